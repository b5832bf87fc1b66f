"""django-tables2 tables for catalogue lists."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import EligibilityRuleSet, Level, Occupation, Standard
from skillcert.catalog.services import level_names
from skillcert.core.tables import ATTRS

SHORT_LEVELS = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}


def short_levels(levels: list[int]) -> str:
    """'五级–三级' for a run, else '四级、二级'."""
    order = [v for v in (5, 4, 3, 2, 1) if v in levels]
    if not order:
        return "—"
    run = [5, 4, 3, 2, 1]
    start = run.index(order[0])
    if len(order) > 2 and order == run[start : start + len(order)]:
        return f"{SHORT_LEVELS[order[0]]}–{SHORT_LEVELS[order[-1]]}"
    return "、".join(SHORT_LEVELS[v] for v in order)


class OccupationTable(tables.Table):
    code = tables.Column(linkify=True, verbose_name=_("编码"))
    name = tables.Column(linkify=True, verbose_name=_("名称"))
    tier = tables.Column(verbose_name=_("层级"))
    parent = tables.Column(verbose_name=_("上级"), default="—", order_by="parent__code")
    child_count = tables.Column(verbose_name=_("下级"), attrs={"td": {"class": "text-end"}})
    job_type_count = tables.Column(verbose_name=_("工种"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Occupation
        fields = ("code", "name", "tier", "parent", "child_count", "job_type_count")
        attrs = ATTRS
        per_page = 50

    def render_child_count(self, value: int) -> str:
        return str(value) if value else "—"

    def render_job_type_count(self, value: int) -> str:
        return str(value) if value else "—"


class StandardTable(tables.Table):
    title = tables.Column(linkify=True, verbose_name=_("名称"))
    occupation = tables.Column(verbose_name=_("职业"), order_by="occupation__code")
    kind = tables.Column(verbose_name=_("类型"))
    enterprise = tables.Column(verbose_name=_("制定企业"), default="—")
    edition_year = tables.Column(verbose_name=_("版本"))
    levels = tables.Column(verbose_name=_("覆盖等级"), orderable=False)
    rule_set = tables.Column(verbose_name=_("申报条件"), default="—")
    is_active = tables.BooleanColumn(verbose_name=_("现行"), yesno="是,否")

    class Meta:
        model = Standard
        fields = (
            "title",
            "occupation",
            "kind",
            "enterprise",
            "edition_year",
            "levels",
            "rule_set",
            "is_active",
        )
        attrs = ATTRS
        per_page = 50

    def render_levels(self, value: list[int]) -> str:
        return short_levels(value)

    def value_levels(self, value: list[int]) -> str:
        return level_names(v for v in value if v in Level.values)


class RuleSetTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("名称"))
    category = tables.Column(empty_values=(), orderable=False, verbose_name=_("类别"))
    enterprise = tables.Column(verbose_name=_("企业"), default="—")
    standard_count = tables.Column(verbose_name=_("采用的标准"), attrs={"td": {"class": "text-end"}})
    updated_at = tables.DateTimeColumn(verbose_name=_("更新时间"), format="Y-m-d H:i")

    class Meta:
        model = EligibilityRuleSet
        fields = ("name", "category", "enterprise", "standard_count", "updated_at")
        attrs = ATTRS
        per_page = 50

    def render_category(self, record: EligibilityRuleSet) -> str:
        if record.template:
            return f"国家模板（{record.template}年版）"
        return "企业" if record.enterprise_id else "国家（自定义）"
