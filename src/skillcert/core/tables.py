"""django-tables2 tables for core lists."""

from __future__ import annotations

import json

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from skillcert.core.audit_labels import action_label, object_label, outcome_label
from skillcert.core.models import AuditEvent, Employee, Organisation, User

ATTRS = {"class": "table table-sm table-hover sc-table align-middle"}


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("名称"))
    kind = tables.Column(verbose_name=_("类型"))
    authority = tables.Column(verbose_name=_("备案人社部门"), empty_values=(), default="—")
    parent = tables.Column(verbose_name=_("上级部门"), default="—")
    region_code = tables.Column(verbose_name=_("行政区划"))

    class Meta:
        model = Organisation
        fields = ("name", "kind", "authority", "parent", "region_code")
        attrs = ATTRS
        per_page = 25


class EmployeeTable(tables.Table):
    employee_no = tables.Column(verbose_name=_("工号"))
    name = tables.Column(
        accessor="person__name",
        verbose_name=_("姓名"),
        order_by="person__name",
        linkify=("core:person_detail", {"pk": tables.A("person_id")}),
    )
    sex = tables.Column(accessor="person__sex", verbose_name=_("性别"), order_by="person__sex")
    id_number = tables.Column(
        accessor="person__id_number_masked",
        verbose_name=_("身份证号"),
        orderable=False,
        attrs={"td": {"class": "sc-id-masked"}},
    )
    enterprise = tables.Column(verbose_name=_("企业"))
    department = tables.Column(verbose_name=_("部门"), default="—")
    post = tables.Column(verbose_name=_("岗位"))
    employment_type = tables.Column(verbose_name=_("用工形式"))
    is_active = tables.BooleanColumn(verbose_name=_("在职"), yesno="是,否")

    class Meta:
        model = Employee
        fields = (
            "employee_no",
            "name",
            "sex",
            "id_number",
            "enterprise",
            "department",
            "post",
            "employment_type",
            "is_active",
        )
        attrs = ATTRS
        per_page = 50

    def render_sex(self, record: Employee) -> str:
        return str(record.person.get_sex_display())


class AccountTable(tables.Table):
    username = tables.Column(linkify=True, verbose_name=_("登录名"))
    display_name = tables.Column(verbose_name=_("姓名"))
    organisation = tables.Column(verbose_name=_("所属组织"))
    roles = tables.Column(empty_values=(), orderable=False, verbose_name=_("角色"))
    is_active = tables.BooleanColumn(verbose_name=_("启用"), yesno="是,否")
    last_login = tables.DateTimeColumn(verbose_name=_("最近登录"), format="Y-m-d H:i", default="—")

    class Meta:
        model = User
        fields = ("username", "display_name", "organisation", "roles", "is_active", "last_login")
        attrs = ATTRS
        per_page = 50

    def render_roles(self, record: User) -> str:
        return "、".join(a.get_role_display() for a in record.role_assignments.all()) or "—"


class AuditEventTable(tables.Table):
    seq = tables.Column(verbose_name="#")
    at = tables.DateTimeColumn(
        verbose_name=_("时间"), format="Y-m-d H:i:s", attrs={"td": {"class": "sc-nowrap"}}
    )
    actor_name = tables.Column(verbose_name=_("操作人"), default=_("系统"))
    organisation_id = tables.Column(verbose_name=_("组织ID"), default="—")
    ip = tables.Column(verbose_name=_("来源IP"))
    action = tables.Column(verbose_name=_("操作"))
    object_type = tables.Column(verbose_name=_("对象"))
    object_id = tables.Column(verbose_name=_("对象ID"))
    outcome = tables.Column(verbose_name=_("结果"))
    summary = tables.Column(verbose_name=_("摘要"), orderable=False, attrs={"td": {"class": "sc-summary"}})

    class Meta:
        model = AuditEvent
        fields = (
            "seq",
            "at",
            "actor_name",
            "organisation_id",
            "ip",
            "action",
            "object_type",
            "object_id",
            "outcome",
            "summary",
        )
        attrs = ATTRS
        per_page = 50

    def render_action(self, value: str) -> str:
        return format_html('{} <span class="text-muted small">{}</span>', action_label(value), value)

    def render_outcome(self, value: str) -> str:
        return outcome_label(value)

    def render_object_type(self, value: str) -> str:
        return object_label(value)

    def render_summary(self, value: object) -> str:
        # Chinese stays readable (no \\u escapes); the ledger never holds a full ID number (S10).
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
