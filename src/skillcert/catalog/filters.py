"""django-filter filter sets for catalogue lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import EligibilityRuleSet, Occupation, Standard, StandardKind

TIER_CHOICES = [(1, _("大类")), (2, _("中类")), (3, _("小类")), (4, _("职业"))]


class OccupationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("编码或名称"))
    tier = django_filters.ChoiceFilter(choices=TIER_CHOICES, label=_("层级"), empty_label=_("全部层级"))
    under = django_filters.CharFilter(method="filter_under", label=_("上级编码"))
    has_standard = django_filters.ChoiceFilter(
        choices=[("yes", _("有")), ("no", _("无"))],
        method="filter_has_standard",
        label=_("职业技能标准"),
        empty_label=_("不限"),
    )

    class Meta:
        model = Occupation
        fields = ["q", "tier", "under", "has_standard"]

    def search(self, queryset: QuerySet[Occupation], name: str, value: str) -> QuerySet[Occupation]:
        value = value.strip()
        return queryset.filter(Q(code__startswith=value) | Q(name__icontains=value))

    def filter_under(self, queryset: QuerySet[Occupation], name: str, value: str) -> QuerySet[Occupation]:
        return queryset.filter(code__startswith=value.strip().rstrip("-") + "-")

    def filter_has_standard(
        self, queryset: QuerySet[Occupation], name: str, value: str
    ) -> QuerySet[Occupation]:
        # National standards only: whether others' specifications exist is not for every reader to learn.
        with_standard = Standard.objects.filter(kind=StandardKind.NATIONAL).values("occupation_id")
        if value == "yes":
            return queryset.filter(pk__in=with_standard)
        if value == "no":
            return queryset.exclude(pk__in=with_standard)
        return queryset


class StandardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称、编号或职业"))
    kind = django_filters.ChoiceFilter(
        choices=StandardKind.choices, label=_("类型"), empty_label=_("全部类型")
    )
    edition_year = django_filters.NumberFilter(label=_("版本年份"))
    is_active = django_filters.ChoiceFilter(
        choices=[("true", _("现行有效")), ("false", _("已废止"))],
        method="filter_active",
        label=_("状态"),
        empty_label=_("不限"),
    )

    class Meta:
        model = Standard
        fields = ["q", "kind", "edition_year", "is_active"]

    def filter_active(self, queryset: QuerySet[Standard], name: str, value: str) -> QuerySet[Standard]:
        return queryset.filter(is_active=value == "true") if value in ("true", "false") else queryset

    def search(self, queryset: QuerySet[Standard], name: str, value: str) -> QuerySet[Standard]:
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value)
            | Q(code__startswith=value)
            | Q(occupation__name__icontains=value)
            | Q(occupation__code__startswith=value)
        )


RULE_SET_KINDS = [("template", _("国家模板")), ("national", _("国家（自定义）")), ("enterprise", _("企业"))]


class RuleSetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称"))
    kind = django_filters.ChoiceFilter(
        choices=RULE_SET_KINDS, method="filter_kind", label=_("类别"), empty_label=_("全部类别")
    )

    class Meta:
        model = EligibilityRuleSet
        fields = ["q", "kind"]

    def filter_kind(
        self, queryset: QuerySet[EligibilityRuleSet], name: str, value: str
    ) -> QuerySet[EligibilityRuleSet]:
        if value == "template":
            return queryset.exclude(template="")
        if value == "national":
            return queryset.filter(template="", enterprise__isnull=True)
        if value == "enterprise":
            return queryset.filter(enterprise__isnull=False)
        return queryset
