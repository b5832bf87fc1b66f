"""The enterprise's editable handbook texts (R6.7): defaults, saving, restoring, who may read and edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.logistics.house_rules_default import DEFAULTS
from skillcert.logistics.models import HouseRules
from skillcert.logistics.selectors_documents import house_rules_of
from skillcert.logistics.services.house_rules import (
    HOUSE_RULE_FIELDS,
    HouseRulesData,
    house_rules_restore_default,
    house_rules_save,
)
from tests.base import AccessCase

URL = reverse("logistics:house_rules")


def form_data(**changes: str) -> dict[str, str]:
    return {**DEFAULTS, **changes}


class TestDefaults(AccessCase):
    def test_defaults_cover_every_field_within_its_limit(self) -> None:
        assert set(DEFAULTS) == set(HOUSE_RULE_FIELDS)
        for name, text in DEFAULTS.items():
            limit = HouseRules._meta.get_field(name).max_length
            assert limit is not None and 200 < len(text) <= limit, name
        assert "考点负责人" in DEFAULTS["duties"] and "质量督导员" in DEFAULTS["duties"]
        assert "监考人员工作流程" in DEFAULTS["procedures"] and "考评人员工作流程" in DEFAULTS["procedures"]

    def test_an_enterprise_that_never_edited_reads_the_defaults_without_a_row(self) -> None:
        rules = house_rules_of(enterprise=self.w.ent_a)
        assert rules.pk is None and rules.room_rules == DEFAULTS["room_rules"]
        assert not HouseRules.objects.exists()


class TestService(AccessCase):
    def owner(self) -> object:
        return self.w.users["owner"]

    def test_save_changes_only_what_changed_and_audits_once(self) -> None:
        data = HouseRulesData(**form_data(room_rules="考生须提前20分钟入场。\r\n不得携带手机。  "))
        rules = house_rules_save(actor=self.w.users["owner"], enterprise=self.w.ent_a, data=data)
        assert rules.room_rules == "考生须提前20分钟入场。\n不得携带手机。\n"
        assert rules.updated_by == self.w.users["owner"]
        (event,) = AuditEvent.objects.filter(action="house_rules.update")
        assert event.summary == {"fields": ["room_rules"], "created": True}
        # The same text again changes nothing and records nothing.
        house_rules_save(actor=self.w.users["owner"], enterprise=self.w.ent_a, data=data)
        assert AuditEvent.objects.filter(action="house_rules.update").count() == 1

    def test_an_empty_text_is_refused_naming_the_section(self) -> None:
        data = HouseRulesData(**form_data(emergency="  \n "))
        with pytest.raises(RuleViolation) as exc:
            house_rules_save(actor=self.w.users["staff"], enterprise=self.w.ent_a, data=data)
        assert exc.value.rule == "R6.7" and exc.value.field == "emergency"
        assert "突发事件应急处置办法" in str(exc.value) and "恢复默认" in str(exc.value)
        assert not HouseRules.objects.exists()

    def test_restore_default_puts_one_text_back(self) -> None:
        data = HouseRulesData(**form_data(duties="自定职责。", procedures="自定流程。"))
        house_rules_save(actor=self.w.users["owner"], enterprise=self.w.ent_a, data=data)
        rules = house_rules_restore_default(
            actor=self.w.users["staff"], enterprise=self.w.ent_a, field="duties"
        )
        assert rules.duties == DEFAULTS["duties"] and rules.procedures == "自定流程。\n"
        last = AuditEvent.objects.filter(action="house_rules.update").latest("seq")
        assert last.summary["fields"] == ["duties"] and last.summary["restored_default"] is True
        with pytest.raises(RuleViolation):
            house_rules_restore_default(actor=self.w.users["staff"], enterprise=self.w.ent_a, field="name")


class TestPages(AccessCase):
    def test_who_reads_the_page(self) -> None:
        # Enterprise staff read their own enterprise's texts (admin and exam staff may edit).
        self.check_access(URL, ["owner", "staff", "outsider", "city", "city_admin", "province", "other_city"])
        # Naming enterprise A: its staff and the authorities over it only.
        self.check_access(
            f"{URL}?enterprise={self.w.ent_a.pk}", ["owner", "staff", "city", "city_admin", "province"]
        )

    def test_authorities_pick_an_enterprise_of_their_jurisdiction_and_read_only(self) -> None:
        html = self.client_for("city").get(URL).content.decode()
        assert self.w.ent_a.name in html and self.w.ent_b.name not in html
        html = self.client_for("province").get(URL).content.decode()
        assert self.w.ent_a.name in html and self.w.ent_b.name in html
        response = self.client_for("city").get(f"{URL}?enterprise={self.w.ent_a.pk}")
        assert (
            response.context["editable"] is False and 'id="house-rules-form"' not in response.content.decode()
        )
        assert "考生凭本人有效身份证件和准考证" in response.content.decode()

    def test_only_the_admin_and_exam_staff_of_the_enterprise_save(self) -> None:
        data = form_data(room_rules="新的考场规则。")
        for persona in ("city", "province", "candidate", "sysadmin", "anonymous"):
            response = self.request_as(persona, "post", f"{URL}?enterprise={self.w.ent_a.pk}", data)
            assert response.status_code in (302, 404) and not HouseRules.objects.exists(), persona
        response = self.request_as("outsider", "post", f"{URL}?enterprise={self.w.ent_a.pk}", data)
        assert response.status_code == 404
        response = self.request_as("staff", "post", URL, data)
        assert response.status_code == 302
        assert HouseRules.objects.get(enterprise=self.w.ent_a).room_rules == "新的考场规则。\n"

    def test_an_empty_field_shows_the_error_on_that_field(self) -> None:
        response = self.request_as("owner", "post", URL, form_data(violation_rules=""))
        assert response.status_code == 200
        assert "违纪违规行为处理规定" in response.context["form"].errors["violation_rules"][0]

    def test_restore_default_from_the_page(self) -> None:
        self.request_as("owner", "post", URL, form_data(emergency="自定应急办法。"))
        page = self.client_for("owner").get(URL).content.decode()
        assert 'data-testid="restore-emergency"' in page and 'data-testid="restore-duties"' not in page
        url = reverse("logistics:house_rules_restore", args=["emergency"])
        for persona in ("city", "province", "candidate", "sysadmin"):
            assert self.request_as(persona, "post", url).status_code == 404
        # The outsider restores their own enterprise's text, never enterprise A's.
        assert self.request_as("outsider", "post", url).status_code == 302
        assert HouseRules.objects.get(enterprise=self.w.ent_a).emergency == "自定应急办法。\n"
        assert self.request_as("owner", "get", url).status_code == 405
        assert self.request_as("staff", "post", url).status_code == 302
        assert HouseRules.objects.get(enterprise=self.w.ent_a).emergency == DEFAULTS["emergency"]
        bad = reverse("logistics:house_rules_restore", args=["nothing"])
        assert self.request_as("owner", "post", bad).status_code == 404
