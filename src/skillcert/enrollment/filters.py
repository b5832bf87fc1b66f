"""django-filter filter sets for enrollment lists: the reviewer's queue (R3.3)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import ORDINARY_LEVELS, Level, Occupation
from skillcert.core import crypto, idcard
from skillcert.enrollment.models import Application, ApplicationStatus, Eligibility
from skillcert.rounds.models import Round, RoundOffering

RESULT_CHOICES = [
    (Eligibility.ELIGIBLE.value, Eligibility.ELIGIBLE.label),
    (Eligibility.CONFIRM.value, Eligibility.CONFIRM.label),
    (Eligibility.INELIGIBLE.value, Eligibility.INELIGIBLE.label),
    # "" means "no filter" in a form, so the not-yet-evaluated rows get a word of their own.
    ("pending", Eligibility.PENDING.label),
]
FLAG_CHOICES = [
    ("yes", _("有提示")),
    ("block", _("有须更正的问题")),
    ("warn", _("有请核实的提示")),
    ("no", _("无提示")),
]
YES_NO = [("yes", _("是")), ("no", _("否"))]
REVIEW_STATUSES = [(k, v) for k, v in ApplicationStatus.choices if k != ApplicationStatus.DRAFT]


class ReviewFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("姓名或身份证号"))
    occupation = django_filters.ModelChoiceFilter(
        field_name="offering__occupation",
        queryset=Occupation.objects.none(),
        label=_("职业"),
        empty_label=_("全部职业"),
    )
    level = django_filters.ChoiceFilter(
        field_name="offering__level",
        choices=[(v, Level(v).label) for v in ORDINARY_LEVELS],
        label=_("等级"),
        empty_label=_("全部等级"),
    )
    result = django_filters.ChoiceFilter(
        method="filter_result", choices=RESULT_CHOICES, label=_("核算结果"), empty_label=_("全部结果")
    )
    flags = django_filters.ChoiceFilter(
        method="filter_flags", choices=FLAG_CHOICES, label=_("审核提示"), empty_label=_("不限")
    )
    mismatch = django_filters.ChoiceFilter(
        method="filter_mismatch", choices=YES_NO, label=_("岗位不一致"), empty_label=_("不限")
    )
    status = django_filters.ChoiceFilter(choices=REVIEW_STATUSES, label=_("状态"), empty_label=_("全部状态"))

    class Meta:
        model = Application
        fields = ["q", "occupation", "level", "result", "flags", "mismatch", "status"]

    def __init__(self, *args: Any, round: Round | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if round is not None:
            offered = RoundOffering.objects.filter(round=round).values("occupation_id")
            self.filters["occupation"].queryset = Occupation.objects.filter(pk__in=offered).order_by("code")

    def search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        value = value.strip()
        if not value:
            return queryset
        # A full ID number is found through its blind index, never by decrypting (S13).
        if idcard.is_valid(value):
            index = crypto.blind_index(idcard.parse(value).number, purpose="id_number")
            return queryset.filter(person__id_number_index=index)
        # The name as declared on the form: no join to the person table for every row of the round.
        return queryset.filter(name__icontains=value)

    def filter_result(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        return queryset.filter(eligibility="" if value == "pending" else value)

    def filter_flags(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        match value:
            case "yes":
                return queryset.filter(Q(blocking_flags__gt=0) | Q(warning_flags__gt=0))
            case "block":
                return queryset.filter(blocking_flags__gt=0)
            case "warn":
                return queryset.filter(warning_flags__gt=0)
            case "no":
                return queryset.filter(blocking_flags=0, warning_flags=0)
        return queryset

    def filter_mismatch(
        self, queryset: QuerySet[Application], name: str, value: str
    ) -> QuerySet[Application]:
        return queryset.filter(post_mismatch=(value == "yes"))
