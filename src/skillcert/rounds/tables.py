"""django-tables2 table of rounds."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from skillcert.core.tables import ATTRS
from skillcert.rounds.models import Round, RoundStatus

BADGES: dict[str, str] = {
    RoundStatus.DRAFT: "text-bg-secondary",
    RoundStatus.PUBLISHED: "text-bg-success",
    RoundStatus.CANCELLED: "text-bg-light border",
}


class RoundTable(tables.Table):
    name = tables.Column(verbose_name=_("批次"), linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(verbose_name=_("企业"), order_by="enterprise__name")
    year = tables.Column(verbose_name=_("年度"))
    status = tables.Column(verbose_name=_("状态"))
    registration = tables.Column(
        verbose_name=_("报名时间"),
        empty_values=(),
        order_by="registration_opens",
        attrs={"td": {"class": "sc-nowrap"}},
    )
    evaluation = tables.Column(
        verbose_name=_("评价时间"),
        empty_values=(),
        order_by="evaluation_starts",
        attrs={"td": {"class": "sc-nowrap"}},
    )
    offering_count = tables.Column(verbose_name=_("职业（工种）等级"), orderable=False, default=0)
    published_at = tables.DateTimeColumn(verbose_name=_("发布时间"), format="Y-m-d H:i", default="—")

    class Meta:
        model = Round
        fields = (
            "name",
            "enterprise",
            "year",
            "status",
            "registration",
            "evaluation",
            "offering_count",
            "published_at",
        )
        attrs = ATTRS
        per_page = 25

    def render_status(self, record: Round) -> SafeString:
        return format_html(
            '<span class="badge {}">{}</span>', BADGES.get(record.status, ""), record.get_status_display()
        )

    def render_registration(self, record: Round) -> str:
        return f"{record.registration_opens:%Y-%m-%d} ~ {record.registration_closes:%Y-%m-%d}"

    def render_evaluation(self, record: Round) -> str:
        return f"{record.evaluation_starts:%Y-%m-%d} ~ {record.evaluation_ends:%Y-%m-%d}"

    def render_offering_count(self, value: int) -> str:
        return _("%(n)s 项") % {"n": value}
