"""The demo data: idempotent, realistic, every role present."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from skillcert.core import idcard
from skillcert.core.models import Employee, Organisation, OrgKind, RoleAssignment, User
from skillcert.core.models.accounts import Role


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_complete(tmp_path, settings) -> None:
    settings.VAR_DIR = tmp_path
    call_command("seed-demo")
    counts = (Organisation.objects.count(), Employee.objects.count(), User.objects.count())
    call_command("seed-demo")
    assert (Organisation.objects.count(), Employee.objects.count(), User.objects.count()) == counts
    assert Employee.objects.count() >= 300
    assert Organisation.objects.filter(kind=OrgKind.CITY).count() == 2
    assert Organisation.objects.filter(kind=OrgKind.ENTERPRISE, is_central_subsidiary=True).exists()
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    for emp in Employee.objects.select_related("person")[:50]:
        assert idcard.is_valid(emp.person.reveal_id_number())
    logins = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    assert "jz_admin" in logins and "auditadmin" in logins


@pytest.mark.django_db
def test_every_demo_login_reaches_its_home_page(tmp_path, settings, client) -> None:
    """`make demo` runs without the second factor (SKILLCERT_OTP_REQUIRED=0); every printed login works."""
    from django.urls import reverse

    from skillcert.core.demo.seed import DEMO_PASSWORD, seed

    settings.VAR_DIR = tmp_path
    settings.OTP_REQUIRED = False
    for login in seed():
        client.logout()
        response = client.post(
            reverse("core:login"), {"username": login.username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200, login.username
        assert response.request["PATH_INFO"] == reverse("core:home"), (
            login.username,
            response.redirect_chain,
        )
        assert "工作台" in response.content.decode()
