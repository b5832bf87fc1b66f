"""Forms of the filings pages; every rule lives in the services, forms only parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import ORDINARY_LEVELS, JobType, Level, Occupation, Standard
from skillcert.core.forms import Form, model_choice
from skillcert.core.models import Organisation, Person
from skillcert.filings import selectors
from skillcert.filings.models import PoolRole, RelationKind, ScopeItem, Site

LEVEL_CHOICES = [(v, Level(v).label) for v in ORDINARY_LEVELS]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def occupations() -> QuerySet[Occupation]:
    return Occupation.objects.filter(tier=4).order_by("code")


class OccupationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class JobTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.occupation.name} · {obj.name}"


class StandardField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = _("国家标准") if obj.kind == "national" else _("评价规范")
        return f"{obj.occupation.name} · {obj.title}（{obj.edition_year}，{kind}）"


class ScopeEntryFields(Form):
    """Occupation, job type, level and standard: a line of the initial scope or an addition."""

    occupation = OccupationField(label=_("职业"), queryset=Occupation.objects.none())
    job_type = JobTypeField(
        label=_("工种"),
        queryset=JobType.objects.none(),
        required=False,
        help_text=_("不选表示整个职业"),
    )
    level = forms.TypedChoiceField(label=_("等级"), choices=[("", "—"), *LEVEL_CHOICES], coerce=int)
    standard = StandardField(
        label=_("评价依据"),
        queryset=Standard.objects.none(),
        required=False,
        help_text=_("不选则使用该职业现行的国家职业技能标准；无国家标准的职业须选择本企业的评价规范"),
    )

    def __init__(self, *args: Any, enterprise: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "occupation").queryset = occupations()
        occupation_id = self.data.get(self.add_prefix("occupation")) if self.is_bound else None
        job_types = JobType.objects.select_related("occupation").order_by("occupation__code", "name")
        standards = selectors.standards_for(enterprise=enterprise)
        if occupation_id and str(occupation_id).isdigit():
            # Bound: only the chosen occupation's job types and standards are valid choices.
            job_types = job_types.filter(occupation_id=int(occupation_id))
            standards = standards.filter(occupation_id=int(occupation_id))
        model_choice(self, "job_type").queryset = job_types
        model_choice(self, "standard").queryset = standards


class FilingForm(Form):
    code = forms.CharField(label=_("备案编号"), max_length=40)
    filed_on = forms.DateField(label=_("备案日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ScopeEntryForm(ScopeEntryFields):
    """One row of the initial scope in the filing formset; empty rows are skipped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False


class BaseScopeEntryFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, enterprise: Organisation, **kwargs: Any) -> None:
        self.enterprise = enterprise
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "enterprise": self.enterprise}


ScopeEntryFormSet = forms.formset_factory(
    ScopeEntryForm, formset=BaseScopeEntryFormSet, extra=6, max_num=60, validate_max=True
)


class AdjustmentForm(Form):
    reason = forms.CharField(
        label=_("调整理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("说明产业形态变化或生产需要；提交前须填写"),
    )


class AdditionForm(ScopeEntryFields):
    pass


class ScopeItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.occupation.code} {obj.label()} · {obj.get_level_display()}（{obj.standard.title}）"


class RemovalForm(Form):
    scope_item = ScopeItemField(label=_("拟减少的范围条目"), queryset=ScopeItem.objects.none())

    def __init__(self, *args: Any, enterprise: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "scope_item").queryset = (
            ScopeItem.objects.filter(enterprise=enterprise, valid_to__isnull=True)
            .select_related("occupation", "job_type", "standard")
            .order_by("occupation__code", "job_type__name", "-level")
        )


class ParentFilingForm(Form):
    parent_filing_no = forms.CharField(label=_("集团向人社部备案文号"), max_length=80)
    parent_filing_file = forms.FileField(
        label=_("集团备案文件"), help_text=_("PDF、JPEG 或 PNG，不超过 10MB")
    )


class ReturnForm(Form):
    reason = forms.CharField(
        label=_("退回理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}), min_length=2
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=_("人社部意见"),
        choices=[("approved", _("同意")), ("refused", _("不同意"))],
        widget=forms.RadioSelect,
    )
    document_no = forms.CharField(label=_("人社部文号"), max_length=80)
    effective_on = forms.DateField(
        label=_("生效日期"), required=False, widget=DATE, help_text=_("同意时填写：范围自该日起变化")
    )
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class SiteForm(Form):
    name = forms.CharField(label=_("场地名称"), max_length=80)
    address = forms.CharField(label=_("地址"), max_length=200)
    note = forms.CharField(
        label=_("说明"), max_length=200, required=False, help_text=_("如面积、工位数、监控情况")
    )
    head_name = forms.CharField(
        label=_("考点负责人"),
        max_length=40,
        required=False,
        help_text=_("考点的常设负责人；每批次的考点负责人在人员编排中安排"),
    )
    head_phone = forms.CharField(label=_("负责人电话"), max_length=40, required=False)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)


class OccupationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class EquipmentForm(Form):
    name = forms.CharField(label=_("设备名称"), max_length=80)
    model = forms.CharField(label=_("规格型号"), max_length=80, required=False)
    count = forms.IntegerField(label=_("数量"), min_value=1, max_value=100000, initial=1)
    occupations = OccupationsField(
        label=_("适用职业"),
        queryset=Occupation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl 可多选"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupations"].queryset = occupations()  # type: ignore[attr-defined]


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.id_number_masked[-4:]}）"


class PoolMemberForm(Form):
    person = PersonField(label=_("人员"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("类别"), choices=PoolRole.choices)
    occupation = OccupationField(
        label=_("职业"), queryset=Occupation.objects.none(), required=False, help_text=_("督导员可不填")
    )
    max_level = forms.TypedChoiceField(
        label=_("最高可考评等级"),
        choices=[("", "—"), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    certificate_no = forms.CharField(label=_("证书编号"), max_length=60, required=False)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE)
    home_site = forms.ModelChoiceField(
        label=_("常驻考点"),
        queryset=Site.objects.none(),
        required=False,
        help_text=_("人员编排时尽量安排在常驻考点（可不填）"),
    )
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args: Any, enterprise: Organisation, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "occupation").queryset = occupations()
        model_choice(self, "home_site").queryset = Site.objects.filter(enterprise=enterprise, is_active=True)
        if editing:
            del self.fields["person"]
        else:
            model_choice(self, "person").queryset = selectors.employees_of(enterprise=enterprise)
            del self.fields["is_active"]


class RelationshipForm(Form):
    person_a = PersonField(label=_("人员甲"), queryset=Person.objects.none())
    person_b = PersonField(label=_("人员乙"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("关系"), choices=RelationKind.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, enterprise: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = selectors.employees_of(enterprise=enterprise)
        model_choice(self, "person_a").queryset = people
        model_choice(self, "person_b").queryset = people
