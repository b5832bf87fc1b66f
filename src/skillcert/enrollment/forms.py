"""The online 申报表 (attachment 1): the application form, its certificates formset, and small action forms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcert.catalog import eligibility
from skillcert.catalog.models import ORDINARY_LEVELS, Level
from skillcert.core.forms import Form
from skillcert.core.models import EmploymentType
from skillcert.enrollment.models import (
    Application,
    ApplicationDocument,
    CertificateKind,
    DocumentKind,
    Education,
    PoliticalStatus,
)
from skillcert.enrollment.services.applications import ApplicationData, CertificateData
from skillcert.enrollment.services.evaluation import rules_of
from skillcert.rounds.models import RoundOffering

PLEDGE_TEXT = gettext_lazy(
    "本人已知悉本职业（工种）申报条件，承诺遵守职业技能等级认定有关要求，保证本次填报的信息材料真实准确，"
    "如有虚假，本人愿承担相关法律责任，并接受相应处理。"
)
# Upload fields of the form, one per kind of supporting document (R3.3).
UPLOAD_KINDS = (DocumentKind.ID_CARD, DocumentKind.EDUCATION, DocumentKind.YEARS_PLEDGE, DocumentKind.OTHER)
UPLOAD_ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
TITLE_GRADES = [
    ("", "—"),
    ("junior", gettext_lazy("初级")),
    ("intermediate", gettext_lazy("中级")),
    ("senior", gettext_lazy("高级")),
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(pairs: Iterable[tuple[str, Any]], blank: str = "") -> list[tuple[str, str]]:
    out = [("", blank or "—")]
    out.extend((k, str(v)) for k, v in pairs)
    return out


@dataclass(frozen=True)
class ConditionChoice:
    """One condition a worker may rely on: the offering it belongs to and whether it is 破格."""

    value: str
    offering_id: int
    text: str
    exceptional: bool
    grounds: tuple[str, ...]


def offering_conditions(offerings: Sequence[RoundOffering]) -> list[ConditionChoice]:
    """The conditions of each offering's rule set at its level, in the rule set's order."""
    out: list[ConditionChoice] = []
    for offering in offerings:
        rules = rules_of(offering.standard.rule_set)
        if rules is None or offering.level not in ORDINARY_LEVELS:
            continue
        for i, cond in enumerate(rules.levels.get(eligibility.Level(offering.level), ())):
            grounds: list[str] = []
            for req in cond.requires:
                if isinstance(req, eligibility.ExceptionalGround):
                    grounds.extend(req.grounds)
            out.append(
                ConditionChoice(
                    value=f"{offering.pk}:{i}",
                    offering_id=offering.pk,
                    text=cond.describe()[:300],
                    exceptional=cond.exceptional,
                    grounds=tuple(grounds),
                )
            )
    return out


class ApplicationForm(Form):
    """Every field of attachment 1 the worker fills in, in the order of the printed form."""

    # 基本信息
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50)
    sex = forms.ChoiceField(
        label=gettext_lazy("性别"), choices=[("M", gettext_lazy("男")), ("F", gettext_lazy("女"))]
    )
    birth_date = forms.DateField(label=gettext_lazy("出生日期"), widget=_date_input())
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=20, required=False)
    political_status = forms.ChoiceField(
        label=gettext_lazy("政治面貌"), choices=PoliticalStatus.choices, initial=PoliticalStatus.NONE
    )
    photo = forms.FileField(
        label=gettext_lazy("二寸近期免冠照片"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=gettext_lazy(
            "JPG 或 PNG，不超过 5 MB，竖版（宽:高 约 35:49）；系统自动裁切为 413×579 像素。"
        ),
    )
    # 学历
    education = forms.ChoiceField(
        label=gettext_lazy("文化程度"), choices=_choices(Education.choices), required=False
    )
    school = forms.CharField(label=gettext_lazy("毕业院校"), max_length=100, required=False)
    major = forms.CharField(label=gettext_lazy("所学专业"), max_length=80, required=False)
    graduated_on = forms.DateField(label=gettext_lazy("毕业时间"), required=False, widget=_date_input())
    is_current_student = forms.BooleanField(
        label=gettext_lazy("在校应届毕业生（尚未取得毕业证书）"), required=False
    )
    # 工作情况
    work_started_on = forms.DateField(
        label=gettext_lazy("参加工作时间"), required=False, widget=_date_input()
    )
    current_post = forms.CharField(label=gettext_lazy("现从事岗位"), max_length=80, required=False)
    post_years = forms.DecimalField(
        label=gettext_lazy("岗位年限（年）"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal(0),
        required=False,
    )
    occupation_years = forms.DecimalField(
        label=gettext_lazy("本职业或相关职业累计年限（年）"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal(0),
        required=False,
        help_text=gettext_lazy("依据工作年限申报的，须上传本职业（工种）工作年限书面承诺。"),
    )
    job_direction = forms.CharField(label=gettext_lazy("工种方向"), max_length=80, required=False)
    employment_type = forms.ChoiceField(
        label=gettext_lazy("人员类别"), choices=_choices(EmploymentType.choices), required=False
    )
    # 申报信息
    offering = forms.ModelChoiceField(
        label=gettext_lazy("申报职业（工种）及等级"), queryset=RoundOffering.objects.none(), empty_label="—"
    )
    is_exceptional = forms.TypedChoiceField(
        label=gettext_lazy("申报类别"),
        choices=[("0", gettext_lazy("正常申报")), ("1", gettext_lazy("破格申报"))],
        coerce=lambda v: v == "1",
        initial="0",
    )
    condition_relied_on = forms.ChoiceField(label=gettext_lazy("申报条件"), required=False)
    exceptional_grounds = forms.MultipleChoiceField(
        label=gettext_lazy("破格依据"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # 工作经历、奖惩、业绩
    work_history = forms.CharField(
        label=gettext_lazy("工作经历"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("每行一段：起止年月、单位、岗位。"),
    )
    awards = forms.CharField(
        label=gettext_lazy("奖惩情况"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    achievements = forms.CharField(
        label=gettext_lazy("工作业绩与成果"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # 上传材料
    doc_id_card = forms.FileField(label=DocumentKind.ID_CARD.label, required=False)
    doc_education = forms.FileField(
        label=DocumentKind.EDUCATION.label,
        required=False,
        help_text=gettext_lazy("学历证书、学位证书或学籍证明。"),
    )
    doc_years_pledge = forms.FileField(
        label=DocumentKind.YEARS_PLEDGE.label,
        required=False,
        help_text=gettext_lazy("依据工作年限申报时必须提供，本人签字后拍照或扫描上传。"),
    )
    doc_other = forms.FileField(label=DocumentKind.OTHER.label, required=False)
    remove_documents = forms.MultipleChoiceField(
        label=gettext_lazy("删除已上传材料"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # 个人承诺
    pledge = forms.BooleanField(label=PLEDGE_TEXT, required=False)

    def __init__(
        self,
        *args: Any,
        offerings: Sequence[RoundOffering],
        documents: Sequence[ApplicationDocument] = (),
        application: Application | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        offering_field = cast(forms.ModelChoiceField, self.fields["offering"])
        offering_field.queryset = RoundOffering.objects.filter(
            pk__in=[o.pk for o in offerings]
        ).select_related("occupation", "job_type", "standard__rule_set")
        self.conditions = {c.value: c for c in offering_conditions(offerings)}
        labels = {o.pk: str(o) for o in offerings}
        grouped: dict[str, list[tuple[str, str]]] = {}
        for c in self.conditions.values():
            prefix = _("（破格）") if c.exceptional else ""
            grouped.setdefault(labels[c.offering_id], []).append((c.value, prefix + c.text))
        condition_field = cast(forms.ChoiceField, self.fields["condition_relied_on"])
        choices: list[Any] = [("", _("— 请选择本人符合的申报条件 —"))]
        choices.extend((group, items) for group, items in grouped.items())
        # A condition kept from before (e.g. the rule set was edited since) stays selectable.
        if (
            application is not None
            and application.condition_relied_on
            and not any(
                c.offering_id == application.offering_id and c.text == application.condition_relied_on
                for c in self.conditions.values()
            )
        ):
            choices.append(("kept", application.condition_relied_on))
        condition_field.choices = choices
        grounds = sorted({g for c in self.conditions.values() for g in c.grounds})
        cast(forms.MultipleChoiceField, self.fields["exceptional_grounds"]).choices = [
            (g, g) for g in grounds
        ]
        if not grounds:
            del self.fields["exceptional_grounds"]
        cast(forms.MultipleChoiceField, self.fields["remove_documents"]).choices = [
            (str(d.pk), d.filename) for d in documents
        ]
        for name in ("exceptional_grounds", "remove_documents"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-check-input"
        for name in ("doc_id_card", "doc_education", "doc_years_pledge", "doc_other"):
            self.fields[name].widget.attrs["accept"] = UPLOAD_ACCEPT
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["condition_relied_on"].widget.attrs["data-offering-filter"] = "id_offering"

    @staticmethod
    def initial_from(application: Application, conditions: dict[str, ConditionChoice]) -> dict[str, Any]:
        """The form's initial values for a stored application."""
        initial: dict[str, Any] = {
            name: getattr(application, name)
            for name in (
                "name", "sex", "birth_date", "political_status", "education", "school", "major",
                "graduated_on", "is_current_student", "work_started_on", "current_post", "post_years",
                "occupation_years", "job_direction", "employment_type", "work_history", "awards", "achievements",
            )
        }  # fmt: skip
        initial["phone"] = application.reveal_phone()
        initial["offering"] = application.offering_id
        initial["is_exceptional"] = "1" if application.is_exceptional else "0"
        initial["exceptional_grounds"] = list(application.exceptional_grounds or [])
        initial["condition_relied_on"] = next(
            (
                c.value
                for c in conditions.values()
                if c.offering_id == application.offering_id and c.text == application.condition_relied_on
            ),
            "kept" if application.condition_relied_on else "",
        )
        return initial

    def clean_birth_date(self) -> date:
        value: date = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("出生日期不能晚于今天。"))
        return value

    def clean_phone(self) -> str:
        return "".join(str(self.cleaned_data.get("phone") or "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        offering: RoundOffering | None = data.get("offering")
        value = data.get("condition_relied_on") or ""
        chosen = self.conditions.get(value)
        exceptional = bool(data.get("is_exceptional"))
        if chosen is not None and offering is not None:
            if chosen.offering_id != offering.pk:
                self.add_error(
                    "condition_relied_on", _("所选申报条件不属于所选的职业（工种）等级，请重新选择。")
                )
            elif chosen.exceptional and not exceptional:
                self.add_error("is_exceptional", _("所选条件为破格申报条件，申报类别请选择“破格申报”。"))
            elif exceptional and not chosen.exceptional:
                self.add_error("is_exceptional", _("所选条件为正常申报条件；破格申报须选择破格条件。"))
            elif exceptional and chosen.grounds and not data.get("exceptional_grounds"):
                self.add_error("exceptional_grounds", _("破格申报须勾选本人具备的破格情形。"))
        return data

    def condition_text(self, application: Application | None) -> str:
        value = self.cleaned_data.get("condition_relied_on") or ""
        if value == "kept" and application is not None:
            return application.condition_relied_on
        chosen = self.conditions.get(value)
        return chosen.text if chosen is not None else ""

    def to_data(self, application: Application | None = None) -> ApplicationData:
        d = self.cleaned_data
        return ApplicationData(
            offering=d["offering"],
            name=d["name"].strip(),
            sex=d["sex"],
            birth_date=d["birth_date"],
            education=d.get("education") or "",
            school=(d.get("school") or "").strip(),
            major=(d.get("major") or "").strip(),
            graduated_on=d.get("graduated_on"),
            is_current_student=bool(d.get("is_current_student")),
            phone=d.get("phone") or "",
            political_status=d["political_status"],
            work_started_on=d.get("work_started_on"),
            current_post=(d.get("current_post") or "").strip(),
            post_years=d.get("post_years"),
            occupation_years=d.get("occupation_years"),
            job_direction=(d.get("job_direction") or "").strip(),
            employment_type=d.get("employment_type") or "",
            is_exceptional=bool(d.get("is_exceptional")),
            condition_relied_on=self.condition_text(application),
            exceptional_grounds=tuple(d.get("exceptional_grounds") or ()),
            work_history=(d.get("work_history") or "").strip(),
            awards=(d.get("awards") or "").strip(),
            achievements=(d.get("achievements") or "").strip(),
        )

    def uploads(self) -> list[tuple[str, Any]]:
        """(document kind, uploaded file) for each upload field that has a file."""
        return [
            (str(kind), self.cleaned_data[f"doc_{kind}"])
            for kind in UPLOAD_KINDS
            if self.cleaned_data.get(f"doc_{kind}")
        ]


def _level_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(str(v), str(Level(v).label)) for v in ORDINARY_LEVELS]


class CertificateForm(Form):
    """One existing certificate (职业资格 / 技能等级 / 专业技术 / 其他)."""

    kind = forms.ChoiceField(label=gettext_lazy("证书类别"), choices=_choices(CertificateKind.choices))
    level = forms.TypedChoiceField(
        label=gettext_lazy("等级"), choices=_level_choices, coerce=int, empty_value=None, required=False
    )
    title_grade = forms.ChoiceField(label=gettext_lazy("职称级别"), choices=TITLE_GRADES, required=False)
    occupation_name = forms.CharField(label=gettext_lazy("职业（工种）或专业"), max_length=80, required=False)
    number = forms.CharField(label=gettext_lazy("证书编号"), max_length=40, required=False)
    issued_on = forms.DateField(label=gettext_lazy("发证时间"), required=False, widget=_date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (CertificateKind.QUALIFICATION, CertificateKind.SKILL_LEVEL) and not data.get("level"):
            self.add_error("level", _("请选择证书等级。"))
        if kind == CertificateKind.PROFESSIONAL and not data.get("title_grade"):
            self.add_error("title_grade", _("请选择职称级别。"))
        if kind and not data.get("issued_on"):
            self.add_error("issued_on", _("请填写发证时间。"))
        if kind and not (data.get("occupation_name") or "").strip():
            self.add_error("occupation_name", _("请填写证书上的职业（工种）或专业。"))
        return data

    def to_data(self) -> CertificateData:
        d = self.cleaned_data
        return CertificateData(
            kind=d["kind"],
            level=d.get("level"),
            title_grade=d.get("title_grade") or "",
            occupation_name=(d.get("occupation_name") or "").strip(),
            number=(d.get("number") or "").strip(),
            issued_on=d.get("issued_on"),
        )


class BaseCertificateFormSet(forms.BaseFormSet[CertificateForm]):
    def certificates(self) -> list[CertificateData]:
        out = []
        for form in self.forms:
            # Rows added and left empty skip validation and have no kind; deleted rows are dropped.
            if form in self.deleted_forms or not form.cleaned_data.get("kind"):
                continue
            out.append(form.to_data())
        return out


CertificateFormSet = forms.formset_factory(
    CertificateForm,
    formset=BaseCertificateFormSet,
    extra=0,
    can_delete=True,
    max_num=10,
    validate_max=True,
)


def certificate_initial(application: Application) -> list[dict[str, Any]]:
    return [
        {
            "kind": c.kind,
            "level": c.level,
            "title_grade": c.title_grade,
            "occupation_name": c.occupation_name,
            "number": c.number,
            "issued_on": c.issued_on,
        }
        for c in application.certificates.order_by("pk")
    ]


class PledgeForm(Form):
    """Submit a saved application from its status page: the pledge again, ticked."""

    pledge = forms.BooleanField(
        label=PLEDGE_TEXT,
        required=True,
        error_messages={"required": gettext_lazy("请阅读并勾选个人承诺后再提交。")},
    )


class WithdrawForm(Form):
    reason = forms.CharField(label=gettext_lazy("撤回原因"), max_length=200, required=False)
