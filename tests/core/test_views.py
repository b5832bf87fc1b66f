"""Access and behaviour of the core pages: organisations, people, accounts, audit (S6, S7, S14)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format

from skillcert.core.models import AuditEvent, Department, Employee, Organisation, Person, RoleAssignment, User
from skillcert.core.models.accounts import Role
from tests.base import AccessCase
from tests.factories import valid_id_number

ENTERPRISE_A_READERS = {"owner", "staff", "city", "city_admin", "province"}


class TestHome(AccessCase):
    def test_every_logged_in_persona_reaches_home(self) -> None:
        from tests.base import PERSONAS

        self.check_access(reverse("core:home"), allowed=set(PERSONAS) - {"anonymous"})

    def test_home_lists_work_per_role(self) -> None:
        assert b"enterprise-home" in self.request_as("owner", "get", reverse("core:home")).content
        assert b"authority-home" in self.request_as("city", "get", reverse("core:home")).content
        assert b"candidate-home" in self.request_as("candidate", "get", reverse("core:home")).content
        assert b"auditadmin-home" in self.request_as("auditadmin", "get", reverse("core:home")).content


class TestOrganisations(AccessCase):
    def test_list_is_scoped(self) -> None:
        url = reverse("core:org_list")
        self.check_access(
            url,
            allowed={
                "owner",
                "staff",
                "outsider",
                "city",
                "city_admin",
                "province",
                "other_city",
                "sysadmin",
                "secadmin",
                "auditadmin",
            },
        )
        names = self.request_as("city", "get", url).content.decode()
        assert self.w.ent_a.name in names and self.w.ent_b.name not in names
        names = self.request_as("province", "get", url).content.decode()
        assert self.w.ent_a.name in names and self.w.ent_b.name in names
        names = self.request_as("owner", "get", url).content.decode()
        assert self.w.ent_a.name in names and self.w.ent_b.name not in names

    def test_detail_of_enterprise_a(self) -> None:
        self.check_access(
            reverse("core:org_detail", args=[self.w.ent_a.pk]),
            allowed=ENTERPRISE_A_READERS | {"sysadmin", "secadmin"},
        )

    def test_edit_only_by_managers(self) -> None:
        self.check_access(
            reverse("core:org_edit", args=[self.w.ent_a.pk]), allowed={"owner", "city_admin", "sysadmin"}
        )

    def test_owner_edits_contact(self) -> None:
        url = reverse("core:org_edit", args=[self.w.ent_a.pk])
        response = self.request_as(
            "owner",
            "post",
            url,
            {"name": self.w.ent_a.name, "contact_name": "李四", "contact_phone": "0531-1234567"},
        )
        assert response.status_code == 302
        assert Organisation.objects.get(pk=self.w.ent_a.pk).contact_name == "李四"
        assert AuditEvent.objects.filter(
            action="organisation.update", object_id=str(self.w.ent_a.pk)
        ).exists()

    def test_bad_credit_code_is_named(self) -> None:
        url = reverse("core:org_edit", args=[self.w.ent_a.pk])
        response = self.request_as("owner", "post", url, {"name": self.w.ent_a.name, "credit_code": "123"})
        assert response.status_code == 200
        assert "统一社会信用代码应为18位" in response.content.decode()

    def test_authority_admin_creates_enterprise_in_its_jurisdiction(self) -> None:
        url = reverse("core:org_create")
        self.check_access(url, allowed={"city_admin", "sysadmin"})
        response = self.request_as(
            "city_admin",
            "post",
            url,
            {"kind": "enterprise", "name": "新备案企业有限公司", "authority": self.w.city.pk},
        )
        assert response.status_code == 302, response.content.decode()
        assert Organisation.objects.get(name="新备案企业有限公司").authority == self.w.city
        # Another city's authority is not offered.
        response = self.request_as(
            "city_admin",
            "post",
            url,
            {"kind": "enterprise", "name": "越权企业", "authority": self.w.other_city.pk},
        )
        assert response.status_code == 200
        assert not Organisation.objects.filter(name="越权企业").exists()

    def test_department_create_and_edit(self) -> None:
        url = reverse("core:department_create", args=[self.w.ent_a.pk])
        self.check_access(url, allowed={"owner", "city_admin", "sysadmin"})
        response = self.request_as("owner", "post", url, {"name": "焊接车间", "code": "HJ"})
        assert response.status_code == 302
        dept = Department.objects.get(enterprise=self.w.ent_a, name="焊接车间")
        duplicate = self.request_as("owner", "post", url, {"name": "焊接车间"})
        assert "已有名为“焊接车间”的部门" in duplicate.content.decode()
        self.check_access(
            reverse("core:department_edit", args=[dept.pk]), allowed={"owner", "city_admin", "sysadmin"}
        )


class TestPeople(AccessCase):
    def test_list_scoped_and_masked(self) -> None:
        url = reverse("core:person_list")
        self.check_access(url, allowed=ENTERPRISE_A_READERS | {"outsider", "other_city"})
        page = self.request_as("owner", "get", url).content.decode()
        assert self.w.person_a.name in page and self.w.person_b.name not in page
        assert self.w.person_a.id_number_masked in page
        assert self.w.person_a.reveal_id_number() not in page

    def test_search_by_full_id_number_uses_blind_index(self) -> None:
        number = self.w.person_a.reveal_id_number()
        page = self.request_as("owner", "get", reverse("core:person_list"), {"q": number}).content.decode()
        assert self.w.person_a.name in page

    def test_detail(self) -> None:
        url = reverse("core:person_detail", args=[self.w.person_a.pk])
        self.check_access(url, allowed=ENTERPRISE_A_READERS | {"candidate"})
        assert AuditEvent.objects.filter(action="person.view", object_id=str(self.w.person_a.pk)).exists()

    def test_reveal_needs_reason_and_is_audited(self) -> None:
        url = reverse("core:person_reveal", args=[self.w.person_a.pk])
        number = self.w.person_a.reveal_id_number()
        short = self.request_as("owner", "post", url, {"reason": "看"}).content.decode()
        assert number not in short
        response = self.request_as("owner", "post", url, {"reason": "核对申报材料"})
        assert number in response.content.decode()
        event = AuditEvent.objects.filter(action="person.reveal_id_number").latest("seq")
        assert event.summary["reason"] == "核对申报材料" and number not in str(event.summary)
        # Exam staff and candidates may not reveal; other tenants get 404.
        self.check_access(
            url,
            allowed={"owner", "city", "city_admin", "province"},
            method="post",
            data={"reason": "核对申报材料"},
        )

    def test_create_person_and_employee(self) -> None:
        url = reverse("core:person_create")
        self.check_access(url, allowed={"owner", "outsider"})
        number = valid_id_number(901, sex="F")
        response = self.request_as(
            "owner",
            "post",
            url,
            {
                "name": "李秀英",
                "id_number": number,
                "phone": "13800001111",
                "employee_no": "A9001",
                "department": self.w.dept_a.pk,
                "post": "钳工",
                "employment_type": "regular",
            },
        )
        assert response.status_code == 302, response.content.decode()
        emp = Employee.objects.get(employee_no="A9001")
        assert emp.person.sex == "F" and emp.enterprise == self.w.ent_a
        assert emp.person.phone_masked == "138****1111"

    def test_bad_id_number_names_the_problem(self) -> None:
        number = valid_id_number(902)
        wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
        response = self.request_as(
            "owner",
            "post",
            reverse("core:person_create"),
            {"name": "王五", "id_number": wrong, "employee_no": "A9002", "employment_type": "regular"},
        )
        assert "校验位" in response.content.decode()
        assert not Employee.objects.filter(employee_no="A9002").exists()

    def test_photo_is_served_only_to_readers(self) -> None:
        from skillcert.core.services.people import person_set_photo

        person_set_photo(
            actor=self.w.users["owner"],
            person=self.w.person_a,
            data=b"\x89PNG fake",
            content_type="image/png",
        )
        url = reverse("core:person_photo", args=[self.w.person_a.pk])
        self.check_access(url, allowed=ENTERPRISE_A_READERS | {"candidate"})
        assert Person.objects.get(pk=self.w.person_a.pk).photo_enc != b"\x89PNG fake"


class TestAccounts(AccessCase):
    def test_list(self) -> None:
        self.check_access(
            reverse("core:account_list"), allowed={"owner", "outsider", "city_admin", "sysadmin", "secadmin"}
        )
        page = self.request_as("owner", "get", reverse("core:account_list")).content.decode()
        assert "t_staff" in page and "t_outsider" not in page

    def test_create_account_gives_one_time_password(self) -> None:
        url = reverse("core:account_create")
        response = self.request_as(
            "owner",
            "post",
            url,
            {"username": "new_clerk", "display_name": "新文员", "organisation": self.w.ent_a.pk},
            follow=True,
        )
        assert "初始密码" in response.content.decode()
        user = User.objects.get(username="new_clerk")
        assert user.must_change_password and user.organisation == self.w.ent_a

    def test_owner_grants_enterprise_role_but_not_admin_roles(self) -> None:
        staff = self.w.users["staff"]
        url = reverse("core:role_grant", args=[staff.pk])
        self.request_as("owner", "post", url, {"role": Role.ASSESSOR})
        assert RoleAssignment.objects.filter(user=staff, role=Role.ASSESSOR).exists()
        self.request_as("owner", "post", url, {"role": Role.AUDIT_ADMIN})
        assert not RoleAssignment.objects.filter(user=staff, role=Role.AUDIT_ADMIN).exists()
        assert self.request_as("outsider", "post", url, {"role": Role.MARKER}).status_code == 404

    def test_three_administrators_are_separate(self) -> None:
        sysadmin = self.w.users["sysadmin"]
        response = self.request_as(
            "secadmin",
            "post",
            reverse("core:role_grant", args=[sysadmin.pk]),
            {"role": Role.AUDIT_ADMIN},
            follow=True,
        )
        assert "须由不同账号担任" in response.content.decode()
        assert not RoleAssignment.objects.filter(user=sysadmin, role=Role.AUDIT_ADMIN).exists()


class TestAuditPages(AccessCase):
    def test_only_audit_admin_reads_the_ledger(self) -> None:
        self.check_access(reverse("core:audit_list"), allowed={"auditadmin"})
        self.check_access(reverse("core:audit_export"), allowed={"auditadmin"})

    def test_verify_button_reports_chain(self) -> None:
        page = self.request_as(
            "auditadmin", "get", reverse("core:audit_list"), {"verify": "1"}
        ).content.decode()
        assert "哈希链完整" in page


class TestEmployeeEdit(AccessCase):
    def test_only_own_enterprise_admin_edits(self) -> None:
        url = reverse("core:employee_edit", args=[self.w.emp_a.pk])
        self.check_access(url, allowed={"owner"})
        response = self.request_as(
            "owner",
            "post",
            url,
            {"department": self.w.dept_a.pk, "post": "数控车工", "employment_type": "dispatched"},
        )
        assert response.status_code == 302
        emp = Employee.objects.get(pk=self.w.emp_a.pk)
        assert (emp.post, emp.employment_type, emp.is_active) == ("数控车工", "dispatched", False)
        assert AuditEvent.objects.filter(action="employee.update", object_id=str(emp.pk)).exists()


class TestAccountActions(AccessCase):
    def test_admin_actions_on_a_member_account(self) -> None:
        staff = self.w.users["staff"]
        url = reverse("core:account_action", args=[staff.pk])
        self.check_access(
            url, allowed={"owner", "sysadmin"}, method="post", data={"action": "unlock"}, ok=(302,)
        )
        page = self.request_as(
            "owner", "post", url, {"action": "reset_password"}, follow=True
        ).content.decode()
        assert "一次性密码" in page
        assert User.objects.get(pk=staff.pk).must_change_password
        self.request_as("owner", "post", url, {"action": "deactivate"})
        assert not User.objects.get(pk=staff.pk).is_active
        self.request_as("owner", "post", url, {"action": "activate"})
        assert User.objects.get(pk=staff.pk).is_active
        assert AuditEvent.objects.filter(action="account.deactivate", object_id=str(staff.pk)).exists()

    def test_unknown_action_is_404(self) -> None:
        url = reverse("core:account_action", args=[self.w.users["staff"].pk])
        assert self.request_as("owner", "post", url, {"action": "drop_table"}).status_code == 404


class TestPeopleEditing(AccessCase):
    def test_blank_phone_keeps_the_number_and_clear_removes_it(self) -> None:
        from skillcert.core.services.people import person_update

        person_update(actor=None, person=self.w.person_a, name=self.w.person_a.name, phone="13912345678")
        url = reverse("core:person_edit", args=[self.w.person_a.pk])
        self.request_as("owner", "post", url, {"name": "改名后", "phone": ""})
        person = Person.objects.get(pk=self.w.person_a.pk)
        assert person.name == "改名后" and person.reveal_phone() == "13912345678"
        self.request_as("owner", "post", url, {"name": "改名后", "phone": "", "clear_phone": "on"})
        assert Person.objects.get(pk=self.w.person_a.pk).reveal_phone() == ""

    def test_a_worker_moving_between_enterprises_stays_one_person(self) -> None:
        number = self.w.person_b.reveal_id_number()
        data = {
            "name": self.w.person_b.name,
            "id_number": number,
            "employee_no": "MOVE1",
            "employment_type": "regular",
        }
        response = self.request_as("owner", "post", reverse("core:person_create"), data)
        assert response.status_code == 302, response.content.decode()
        assert Employee.objects.get(enterprise=self.w.ent_a, employee_no="MOVE1").person == self.w.person_b
        wrong_name = {**data, "name": "别人", "employee_no": "MOVE2"}
        page = self.request_as("owner", "post", reverse("core:person_create"), wrong_name).content.decode()
        assert "姓名不一致" in page

    def test_sex_column_shows_each_persons_sex(self) -> None:
        from tests.factories import EmployeeFactory, PersonFactory

        EmployeeFactory(
            enterprise=self.w.ent_a, person=PersonFactory(name="女工甲", sex="F"), employee_no="F001"
        )
        page = self.request_as("owner", "get", reverse("core:person_list")).content.decode()
        assert "男" in page and "女" in page


class TestAuditReadable(AccessCase):
    def test_actions_outcomes_and_summaries_read_in_chinese(self) -> None:
        self.request_as("owner", "get", reverse("core:person_detail", args=[self.w.person_a.pk]))
        page = self.request_as("auditadmin", "get", reverse("core:audit_list")).content.decode()
        assert "查看人员信息" in page and "成功" in page
        assert "\\u" not in page


def test_client_ip_behind_trusted_proxies(rf, settings) -> None:
    from skillcert.core.middleware import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="127.0.0.1")
    settings.PROXY_HOPS = 0
    assert client_ip(request) == "127.0.0.1"  # a client cannot forge its address by default
    settings.PROXY_HOPS = 1
    assert client_ip(request) == "10.0.0.7"  # the address nginx appended, not the forged left one


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_throughout(client: Client) -> None:
    """Only Chinese is offered, so Django's own strings (weekday names, errors) never turn English."""
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    with translation.override(translation.get_language_from_request(response.wsgi_request)):
        assert date_format(date(2026, 11, 29), "l") == "星期日"


@pytest.mark.django_db
def test_the_page_title_separates_the_page_from_the_platform(client: Client) -> None:
    html = client.get("/login/").content.decode()
    assert " · 企业技能人才自主评价平台</title>" in html


def test_every_served_file_is_private_and_named_in_two_ways() -> None:
    """One response helper for every download: ASCII fallback + UTF-8 name, never cached, not sniffed."""
    from skillcert.core.http import file_response

    response = file_response(b"%PDF", filename="准考证 2026.pdf", content_type="application/pdf", inline=True)
    assert response["Content-Disposition"].startswith("inline; filename=\"file.pdf\"; filename*=UTF-8''")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert file_response(b"x", filename="名单", content_type="text/plain")["Content-Disposition"].startswith(
        'attachment; filename="file.bin"'
    )
