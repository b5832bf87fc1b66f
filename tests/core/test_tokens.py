"""API token pages and services: who may manage tokens, the plaintext shown once, revocation, audit (S6, S10)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.urls import reverse

from skillcert.core.errors import RuleViolation
from skillcert.core.models import ApiToken, AuditEvent, User
from skillcert.core.services.tokens import api_token_authenticate, api_token_create, api_token_revoke
from tests.base import AccessCase

# Enterprise and authority admins, each for their own organisation.
MANAGERS = {"owner", "outsider", "city_admin"}


class TokenCase(AccessCase):
    token: ApiToken
    raw: str

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.token, cls.raw = api_token_create(
            actor=cls.w.users["owner"], organisation=cls.w.ent_a, name="HR 同步"
        )


class TestAccess(TokenCase):
    def test_list_and_create_form_only_for_org_admins(self) -> None:
        self.check_access(reverse("core:token_list"), allowed=MANAGERS)
        self.check_access(reverse("core:token_create"), allowed=MANAGERS)

    def test_revoke_page_only_for_the_owning_admin(self) -> None:
        self.check_access(reverse("core:token_revoke", args=[self.token.pk]), allowed={"owner"})

    def test_lists_are_per_organisation(self) -> None:
        assert (
            f"skc_{self.token.prefix}_"
            not in self.request_as("outsider", "get", reverse("core:token_list")).content.decode()
        )
        assert (
            f"skc_{self.token.prefix}_"
            not in self.request_as("city_admin", "get", reverse("core:token_list")).content.decode()
        )

    def test_outsider_cannot_revoke(self) -> None:
        response = self.request_as("outsider", "post", reverse("core:token_revoke", args=[self.token.pk]), {})
        assert response.status_code == 404
        assert ApiToken.objects.get(pk=self.token.pk).revoked_at is None

    def test_staff_cannot_create(self) -> None:
        response = self.request_as("staff", "post", reverse("core:token_create"), {"name": "x"})
        assert response.status_code == 404
        with pytest.raises(RuleViolation):
            api_token_create(actor=self.w.users["staff"], organisation=self.w.ent_a, name="x")
        with pytest.raises(RuleViolation):  # an admin, but of another organisation
            api_token_create(actor=self.w.users["outsider"], organisation=self.w.ent_a, name="x")


class TestPages(TokenCase):
    def test_list_shows_prefix_and_status_never_the_hash(self) -> None:
        html = self.request_as("owner", "get", reverse("core:token_list")).content.decode()
        assert f"skc_{self.token.prefix}_" in html and "HR 同步" in html and "有效" in html
        assert self.token.token_hash not in html and self.raw not in html
        assert "从未使用" in html

    def test_create_shows_plaintext_once(self) -> None:
        client = self.client_for("owner")
        response = client.post(reverse("core:token_create"), {"name": "考试系统"})
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"
        token = ApiToken.objects.get(name="考试系统")
        html = response.content.decode()
        plaintext = html.split('id="token-plaintext" type="text" value="')[1].split('"')[0]
        assert plaintext.startswith(f"skc_{token.prefix}_")
        assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
        assert "Ctrl+C" in html  # the copy hint
        assert plaintext not in client.get(reverse("core:token_list")).content.decode()
        event = AuditEvent.objects.get(action="api_token.create", object_id=str(token.pk))
        assert event.summary["prefix"] == token.prefix and event.summary["principal"] == f"api:{token.prefix}"
        assert plaintext not in json.dumps(event.summary) and token.token_hash not in json.dumps(
            event.summary
        )
        found = api_token_authenticate(raw=plaintext)
        assert found is not None and found[0].pk == token.pk

    def test_authority_admin_token_gets_a_reviewer_principal(self) -> None:
        response = self.request_as("city_admin", "post", reverse("core:token_create"), {"name": "市局平台"})
        assert response.status_code == 200
        token = ApiToken.objects.get(name="市局平台")
        assert token.organisation_id == self.w.city.pk
        principal = User.objects.get(username=f"api:{token.prefix}")
        assert principal.role_set() == {"authority_reviewer"}

    def test_blank_name_is_refused_on_the_form(self) -> None:
        response = self.request_as("owner", "post", reverse("core:token_create"), {"name": "  "})
        assert response.status_code == 200
        assert "invalid-feedback" in response.content.decode()
        assert ApiToken.objects.count() == 1

    def test_revoke_confirms_then_revokes(self) -> None:
        url = reverse("core:token_revoke", args=[self.token.pk])
        client = self.client_for("owner")
        confirm = client.get(url).content.decode()
        assert "确认吊销" in confirm and 'method="post"' in confirm
        assert ApiToken.objects.get(pk=self.token.pk).revoked_at is None
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == reverse("core:token_list")
        token = ApiToken.objects.get(pk=self.token.pk)
        assert token.revoked_at is not None
        assert not User.objects.get(username=f"api:{token.prefix}").is_active
        assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1
        assert api_token_authenticate(raw=self.raw) is None
        client.post(url)  # a second revoke changes nothing and is not audited again
        assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1
        assert "已吊销" in client.get(reverse("core:token_list")).content.decode()


class TestAuthenticate(TokenCase):
    def test_only_the_exact_token_authenticates(self) -> None:
        assert api_token_authenticate(raw=self.raw) is not None
        assert api_token_authenticate(raw=f"  {self.raw} ") is not None
        assert api_token_authenticate(raw=self.raw + "x") is None
        assert api_token_authenticate(raw=self.raw.replace("skc_", "skx_")) is None
        assert api_token_authenticate(raw="") is None
        other_prefix = "skc_abcdefgh_" + self.raw.split("_", 2)[2]
        assert api_token_authenticate(raw=other_prefix) is None

    def test_a_deactivated_organisation_disables_its_tokens(self) -> None:
        type(self.w.ent_a).objects.filter(pk=self.w.ent_a.pk).update(is_active=False)
        assert api_token_authenticate(raw=self.raw) is None

    def test_revoke_by_another_admin_is_refused(self) -> None:
        with pytest.raises(RuleViolation):
            api_token_revoke(actor=self.w.users["outsider"], token=self.token)


class TestTokenPrincipalsAreNotAccounts(AccessCase):
    def test_hidden_from_account_list_and_no_extra_roles(self) -> None:
        from skillcert.core.models.accounts import Role
        from skillcert.core.services import accounts as account_services

        _token, _plain = api_token_create(
            actor=self.w.users["owner"], organisation=self.w.ent_a, name="HR 系统"
        )
        principal = User.objects.get(username__startswith="api:")
        page = self.request_as("owner", "get", reverse("core:account_list")).content.decode()
        assert principal.username not in page
        with pytest.raises(RuleViolation):
            account_services.role_grant(
                actor=self.w.users["owner"], user=principal, role=Role.ENTERPRISE_ADMIN
            )
