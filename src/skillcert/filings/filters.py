"""django-filter filter sets for the filings lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from skillcert.core.models import Organisation
from skillcert.filings.models import AdjustmentStatus, PoolMember, PoolRole, ScopeAdjustment


def yes_no(label: str | Promise) -> django_filters.BooleanFilter:
    """A yes/no filter whose empty choice reads 全部 (not django's 未知)."""
    widget = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    return django_filters.BooleanFilter(label=label, widget=widget)


class EnterpriseFilingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("企业名称或备案编号"))
    is_filed = yes_no(_("已备案"))

    class Meta:
        model = Organisation
        fields = ["q", "is_filed"]

    def search(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(filing__code__iexact=value.strip())
        )


class AdjustmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("企业名称"))
    status = django_filters.ChoiceFilter(
        choices=AdjustmentStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )
    outside_window = yes_no(_("非集中申报期提交"))

    class Meta:
        model = ScopeAdjustment
        fields = ["q", "status", "outside_window"]

    def search(self, queryset: QuerySet[ScopeAdjustment], name: str, value: str) -> QuerySet[ScopeAdjustment]:
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__short_name__icontains=value)
        )


class PoolFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名或证书编号"))
    role = django_filters.ChoiceFilter(choices=PoolRole.choices, label=_("类别"), empty_label=_("全部类别"))
    occupation = django_filters.CharFilter(
        field_name="occupation__name", lookup_expr="icontains", label=_("职业")
    )
    is_active = yes_no(_("在用"))

    class Meta:
        model = PoolMember
        fields = ["q", "role", "occupation", "is_active"]

    def search(self, queryset: QuerySet[PoolMember], name: str, value: str) -> QuerySet[PoolMember]:
        value = value.strip()
        return queryset.filter(Q(person__name__icontains=value) | Q(certificate_no__iexact=value))
