"""Forms of the rounds pages; the rules live in rounds.services, forms only parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import JobType, Standard
from skillcert.core.forms import Form, model_choice
from skillcert.filings import selectors as filing_selectors
from skillcert.filings.models import ScopeItem
from skillcert.rounds.models import Round
from skillcert.rounds.services import RoundData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(Form):
    name = forms.CharField(label=_("批次名称"), max_length=80, help_text=_("如“2027年第1批”"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    registration_opens = forms.DateField(label=_("报名开始日期"), widget=DATE)
    registration_closes = forms.DateField(label=_("报名截止日期"), widget=DATE)
    evaluation_starts = forms.DateField(
        label=_("评价开始日期"),
        widget=DATE,
        help_text=_("认定职业（工种）等级须在该日有效的认定范围内（R1.5）"),
    )
    evaluation_ends = forms.DateField(label=_("评价结束日期"), widget=DATE)
    reference_date = forms.DateField(
        label=_("条件核算截止日期"),
        widget=DATE,
        required=False,
        help_text=_("计算工作年限等申报条件的基准日；不填则为报名截止日期"),
    )
    schedule_note = forms.CharField(
        label=_("时间安排"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("报名、资格审核、理论考试、技能考核、综合评审、结果公示等各环节的时间，每行一项"),
    )
    content_methods = forms.CharField(
        label=_("评价内容和方式"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("如理论知识考试、操作技能考核、综合评审的内容和方式，每段一行"),
    )
    registration_method = forms.CharField(
        label=_("报名方式"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如在线填报、所需材料、由谁签署意见"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)

    def data_object(self) -> RoundData:
        d = self.cleaned_data
        return RoundData(
            name=d["name"],
            year=d["year"],
            registration_opens=d["registration_opens"],
            registration_closes=d["registration_closes"],
            evaluation_starts=d["evaluation_starts"],
            evaluation_ends=d["evaluation_ends"],
            reference_date=d["reference_date"],
            schedule_note=d["schedule_note"],
            content_methods=d["content_methods"],
            registration_method=d["registration_method"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
        )

    @classmethod
    def initial_of(cls, rnd: Round) -> dict[str, object]:
        return {name: getattr(rnd, name) for name in cls.base_fields}


class ScopeItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.occupation.code} {obj.label()} · {obj.get_level_display()}"


class JobTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.occupation.name} · {obj.name}"


class StandardField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}（{obj.get_kind_display()}）"


class OfferingForm(Form):
    """The picker offers only the scope items in force on the round's evaluation start date (R1.5)."""

    scope_item = ScopeItemField(
        label=_("职业（工种）等级"),
        queryset=ScopeItem.objects.none(),
        empty_label=_("— 请选择认定范围内的条目 —"),
    )
    job_type = JobTypeField(
        label=_("工种"),
        queryset=JobType.objects.none(),
        required=False,
        empty_label=_("— 整个职业 —"),
        help_text=_("范围条目未限定工种时，可选定一个工种；不选表示整个职业"),
    )
    standard = StandardField(
        label=_("评价依据"),
        queryset=Standard.objects.none(),
        required=False,
        empty_label=_("— 范围条目所列标准 —"),
    )
    quota = forms.IntegerField(label=_("计划人数"), min_value=1, max_value=100_000, required=False)

    def __init__(self, *args: Any, items: QuerySet[ScopeItem], round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "scope_item").queryset = items
        open_occupations = items.filter(job_type__isnull=True).values("occupation_id")
        model_choice(self, "job_type").queryset = (
            JobType.objects.filter(occupation_id__in=open_occupations)
            .select_related("occupation")
            .order_by("occupation__code", "name")
        )
        model_choice(self, "standard").queryset = filing_selectors.standards_for(
            enterprise=round.enterprise_id
        ).filter(occupation_id__in=items.values("occupation_id"))


class CancelForm(Form):
    reason = forms.CharField(
        label=_("取消理由"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
