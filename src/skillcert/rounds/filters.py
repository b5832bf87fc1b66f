"""django-filter filter set of the rounds list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from skillcert.rounds.models import Round, RoundStatus


class RoundFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("批次或企业名称"))
    status = django_filters.ChoiceFilter(
        choices=RoundStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)

    class Meta:
        model = Round
        fields = ["q", "status", "year"]

    def search(self, queryset: QuerySet[Round], name: str, value: str) -> QuerySet[Round]:
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__short_name__icontains=value)
        )
