"""django-tables2 tables for the filings lists."""

from __future__ import annotations

from datetime import date

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from skillcert.core.models import Organisation
from skillcert.core.tables import ATTRS
from skillcert.filings.models import PoolMember, ScopeAdjustment


class EnterpriseFilingTable(tables.Table):
    name = tables.Column(
        verbose_name=_("企业"), linkify=("filings:enterprise", {"pk": tables.A("pk")}), order_by="name"
    )
    authority = tables.Column(verbose_name=_("备案人社部门"), order_by="authority__name")
    is_filed = tables.BooleanColumn(verbose_name=_("已备案"), yesno="是,否")
    code = tables.Column(accessor="filing__code", verbose_name=_("备案编号"), default="—")
    filed_on = tables.DateColumn(
        accessor="filing__filed_on", verbose_name=_("备案日期"), format="Y-m-d", default="—"
    )
    is_central_subsidiary = tables.BooleanColumn(verbose_name=_("央企在鲁子公司"), yesno="是,否")

    class Meta:
        model = Organisation
        fields = ("name", "authority", "is_filed", "code", "filed_on", "is_central_subsidiary")
        attrs = ATTRS
        per_page = 25


class AdjustmentTable(tables.Table):
    number = tables.Column(
        verbose_name=_("申请编号"),
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        order_by="pk",
    )
    enterprise = tables.Column(verbose_name=_("企业"), order_by="enterprise__name")
    status = tables.Column(verbose_name=_("状态"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("提交时间"), format="Y-m-d H:i", default="—")
    window = tables.Column(verbose_name=_("集中申报期"), accessor="outside_window", orderable=False)
    created_at = tables.DateTimeColumn(verbose_name=_("创建时间"), format="Y-m-d H:i")

    class Meta:
        model = ScopeAdjustment
        fields: tuple[str, ...] = ("number", "enterprise", "status", "submitted_at", "window", "created_at")
        attrs = ATTRS
        per_page = 25

    def render_number(self, record: ScopeAdjustment) -> str:
        return record.number

    def render_window(self, record: ScopeAdjustment) -> SafeString | str:
        if record.submitted_at is None:
            return "—"
        if record.outside_window:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("非集中申报期提交"))
        return str(_("期内"))


class QueueTable(AdjustmentTable):
    changes = tables.Column(verbose_name=_("调整事项"), empty_values=(), orderable=False)
    waiting = tables.Column(verbose_name=_("已等待"), empty_values=(), orderable=False)

    class Meta(AdjustmentTable.Meta):
        fields = ("number", "enterprise", "status", "changes", "submitted_at", "waiting", "window")
        exclude = ("created_at",)

    def render_changes(self, record: ScopeAdjustment) -> str:
        return _("增加 %(a)s 项，减少 %(r)s 项") % {
            "a": getattr(record, "additions", 0),
            "r": getattr(record, "removals", 0),
        }

    def render_waiting(self, record: ScopeAdjustment) -> str:
        from django.utils import timezone

        if record.submitted_at is None:
            return "—"
        days = (timezone.now() - record.submitted_at).days
        return _("%(d)s 天") % {"d": days}


class PoolTable(tables.Table):
    name = tables.Column(accessor="person__name", verbose_name=_("姓名"), order_by="person__name")
    role = tables.Column(verbose_name=_("类别"))
    occupation = tables.Column(verbose_name=_("职业"), default="—", order_by="occupation__code")
    max_level = tables.Column(verbose_name=_("最高可考评等级"), default="—")
    certificate_no = tables.Column(verbose_name=_("证书编号"), default="—")
    valid_until = tables.DateColumn(verbose_name=_("有效期至"), format="Y-m-d", default="长期")
    home_site = tables.Column(verbose_name=_("常驻考点"), default="—", order_by="home_site__name")
    is_active = tables.BooleanColumn(verbose_name=_("在用"), yesno="是,否")

    class Meta:
        model = PoolMember
        fields: tuple[str, ...] = (
            "name",
            "role",
            "occupation",
            "max_level",
            "certificate_no",
            "valid_until",
            "home_site",
            "is_active",
        )
        attrs = ATTRS
        per_page = 50

    def render_occupation(self, record: PoolMember) -> str:
        return record.occupation.name if record.occupation else "—"

    def render_valid_until(self, value: date | None) -> str:
        # An expired certificate cannot serve as an assessor (R6.4): show it in red.
        if value is None:
            return str(_("长期"))
        if value < timezone.localdate():
            return format_html('<span class="sc-expired">{}（{}）</span>', value.isoformat(), _("已过期"))
        return value.isoformat()


class EditablePoolTable(PoolTable):
    """The pool as its enterprise's administrator sees it, with an edit link per row."""

    edit = tables.LinkColumn(
        "filings:pool_edit",
        args=[tables.A("pk")],
        text=_("编辑"),
        orderable=False,
        verbose_name="",
        empty_values=(),
    )

    class Meta(PoolTable.Meta):
        fields = (*PoolTable.Meta.fields, "edit")
