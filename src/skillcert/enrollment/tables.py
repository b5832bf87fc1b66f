"""django-tables2 tables for enrollment lists: the reviewer's queue (R3.3).

Every cell renders from the application row and its select_related joins (offering, occupation,
job type, person): no column may run a query of its own, or a page of 100 rows becomes 100 queries.
"""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from skillcert.core.tables import ATTRS
from skillcert.enrollment.models import Application, ApplicationStatus, Eligibility
from skillcert.enrollment.services.review import employment_label

RESULT_BADGES: dict[str, str] = {
    Eligibility.ELIGIBLE: "text-bg-success",
    Eligibility.INELIGIBLE: "text-bg-danger",
    Eligibility.CONFIRM: "text-bg-warning",
    Eligibility.PENDING: "text-bg-secondary",
}
STATUS_BADGES: dict[str, str] = {
    ApplicationStatus.DRAFT: "text-bg-light",
    ApplicationStatus.SUBMITTED: "text-bg-primary",
    ApplicationStatus.RETURNED: "text-bg-warning",
    ApplicationStatus.APPROVED: "text-bg-success",
    ApplicationStatus.REJECTED: "text-bg-danger",
    ApplicationStatus.WITHDRAWN: "text-bg-secondary",
}


def result_badge(app: Application) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>',
        RESULT_BADGES.get(app.eligibility, "text-bg-secondary"),
        app.get_eligibility_display(),
    )


def status_badge(app: Application) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGES.get(app.status, "text-bg-light"),
        app.get_status_display(),
    )


def open_warnings(app: Application) -> int:
    """Warnings not yet confirmed: the queue annotates them; elsewhere every warning counts."""
    return int(getattr(app, "open_warnings", app.warning_flags))


def is_clean(app: Application) -> bool:
    """What bulk approval will accept, judged from the row alone (the service checks again)."""
    return (
        app.status == ApplicationStatus.SUBMITTED
        and app.eligibility == Eligibility.ELIGIBLE
        and app.blocking_flags == 0
        and open_warnings(app) == 0
        and (not app.post_mismatch or bool(app.post_override_reason))
    )


class SelectColumn(tables.CheckBoxColumn):
    """The bulk-approval tick box; `data-clean` marks the rows bulk approval will accept."""

    def render(self, value: object, bound_column: object, record: Application) -> SafeString:
        return format_html(
            '<input type="checkbox" class="form-check-input sc-select-row" name="selection" value="{}"'
            ' form="bulk-form" data-clean="{}" aria-label="{}">',
            value,
            "1" if is_clean(record) else "0",
            record.name,
        )


class ReviewTable(tables.Table):
    selection = SelectColumn(
        accessor="pk",
        attrs={"th__input": {"class": "form-check-input sc-select-page", "aria-label": _("选择本页全部")}},
    )
    name = tables.Column(verbose_name=_("姓名"), linkify=("enrollment:review_detail", {"pk": tables.A("pk")}))
    id_number = tables.Column(
        accessor="person__id_number_masked",
        verbose_name=_("身份证号"),
        orderable=False,
        attrs={"td": {"class": "sc-id-masked sc-nowrap"}},
    )
    offering = tables.Column(
        verbose_name=_("职业（工种）/ 等级"),
        order_by=("offering__occupation__code", "offering__job_type__name", "-offering__level"),
    )
    source = tables.Column(accessor="employment_type", verbose_name=_("人员来源"), default="—")
    submitted_at = tables.DateTimeColumn(
        verbose_name=_("提交时间"), format="Y-m-d H:i", default="—", attrs={"td": {"class": "sc-nowrap"}}
    )
    eligibility = tables.Column(verbose_name=_("核算结果"), empty_values=())
    flags = tables.Column(
        verbose_name=_("审核提示"),
        accessor="blocking_flags",
        order_by=("-blocking_flags", "-warning_flags"),
        empty_values=(),
    )
    post_mismatch = tables.Column(verbose_name=_("岗位"), empty_values=())
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Application
        fields = (
            "selection",
            "name",
            "id_number",
            "offering",
            "source",
            "submitted_at",
            "eligibility",
            "flags",
            "post_mismatch",
            "status",
        )
        attrs = ATTRS
        per_page = 25
        empty_text = _("没有符合条件的申报。")

    def render_offering(self, record: Application) -> SafeString:
        offering = record.offering
        job = offering.job_type.name if offering.job_type is not None else ""
        return format_html(
            '{}{}<br><span class="text-muted small">{}</span>',
            offering.occupation.name,
            format_html("（{}）", job) if job else "",
            offering.get_level_display(),
        )

    def render_source(self, value: str) -> str:
        return employment_label(value) or "—"

    def render_eligibility(self, record: Application) -> SafeString:
        return result_badge(record)

    def render_flags(self, record: Application) -> SafeString | str:
        parts = []
        if record.blocking_flags:
            parts.append(
                format_html(
                    '<span class="badge text-bg-danger">{} {}</span>', _("须更正"), record.blocking_flags
                )
            )
        pending = open_warnings(record)
        if pending:
            parts.append(
                format_html('<span class="badge text-bg-warning">{} {}</span>', _("请核实"), pending)
            )
        if record.warning_flags > pending:
            parts.append(
                format_html(
                    '<span class="badge text-bg-light">{} {}</span>',
                    _("已核实"),
                    record.warning_flags - pending,
                )
            )
        if not parts:
            return "—"
        return SafeString(" ".join(parts))

    def render_post_mismatch(self, record: Application) -> SafeString | str:
        if not record.post_mismatch:
            return format_html('<span class="text-muted">{}</span>', _("一致"))
        if record.post_override_reason:
            return format_html('<span class="badge text-bg-info">{}</span>', _("不一致·已确认"))
        return format_html('<span class="badge text-bg-warning">{}</span>', _("不一致"))

    def render_status(self, record: Application) -> SafeString:
        return status_badge(record)
