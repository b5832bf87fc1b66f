"""Forms of the catalogue pages: job types, standards with their module grid, the rule-set editor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcert.catalog.models import (
    ORDINARY_LEVELS,
    EligibilityRuleSet,
    JobType,
    Level,
    ModuleKind,
    Occupation,
    Standard,
)
from skillcert.catalog.services import STAFFING_FIELDS, ModuleSpec, Staffing
from skillcert.catalog.tables import short_levels
from skillcert.core.forms import Form, model_choice

LEVEL_CHOICES = [(v, Level(v).label) for v in ORDINARY_LEVELS]
# Defaults of a new standard's grid: theory and practical at every level, portfolio review from 二级.
DEFAULT_MINUTES = {ModuleKind.THEORY: 90, ModuleKind.PRACTICAL: 120, ModuleKind.REVIEW: 30}


def default_kinds(level: int) -> tuple[str, ...]:
    if level in (2, 1):
        return (ModuleKind.THEORY, ModuleKind.PRACTICAL, ModuleKind.REVIEW)
    return (ModuleKind.THEORY, ModuleKind.PRACTICAL)


def _checkboxes(form: forms.BaseForm, *names: str) -> None:
    """Checkbox groups take Bootstrap's check class, not the text-input one BootstrapMixin gives them."""
    for name in names:
        form.fields[name].widget.attrs["class"] = "form-check-input"


class JobTypeForm(Form):
    name = forms.CharField(label=gettext_lazy("工种名称"), max_length=80)
    code = forms.CharField(label=gettext_lazy("工种编码"), max_length=30, required=False)
    levels = forms.TypedMultipleChoiceField(
        label=gettext_lazy("设有等级"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _checkboxes(self, "levels")


class JobTypeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{short_levels(obj.levels)}）"


class StandardForm(Form):
    title = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=200,
        help_text=gettext_lazy("如“国家职业技能标准 焊工（2018年版）”或“××公司焊工评价规范”"),
    )
    code = forms.CharField(label=gettext_lazy("标准编号"), max_length=60, required=False)
    edition_year = forms.IntegerField(label=gettext_lazy("版本年份"), min_value=1990, max_value=2100)
    issued_by = forms.CharField(label=gettext_lazy("发布单位"), max_length=120, required=False)
    job_types = JobTypeChoiceField(
        label=gettext_lazy("覆盖工种"),
        queryset=JobType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("不选则覆盖该职业的全部工种。"),
    )
    rule_set = forms.ModelChoiceField(
        label=gettext_lazy("申报条件"), queryset=EligibilityRuleSet.objects.none(), required=False
    )
    proctor_ratio = forms.IntegerField(
        label=gettext_lazy("考生与监考人员比例（1:N）"), min_value=1, max_value=100
    )
    proctor_min = forms.IntegerField(label=gettext_lazy("每考场最少监考人数"), min_value=0, max_value=50)
    assessor_ratio = forms.IntegerField(
        label=gettext_lazy("考生与考评人员比例（1:N）"), min_value=1, max_value=100
    )
    assessor_min = forms.IntegerField(
        label=gettext_lazy("每考评组最少考评员（奇数，≥3）"), min_value=0, max_value=51
    )
    review_panel_min = forms.IntegerField(
        label=gettext_lazy("综合评审组最少人数（奇数，≥3）"), min_value=0, max_value=51
    )
    is_active = forms.BooleanField(label=gettext_lazy("现行有效"), required=False)

    def __init__(
        self,
        *args: Any,
        occupation: Occupation,
        rule_sets: QuerySet[EligibilityRuleSet],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "job_types").queryset = JobType.objects.filter(occupation=occupation).order_by(
            "pk"
        )
        _checkboxes(self, "job_types")
        model_choice(self, "rule_set").queryset = rule_sets

    def staffing(self) -> Staffing:
        return Staffing(**{name: self.cleaned_data[name] for name in STAFFING_FIELDS})

    @staticmethod
    def initial_for(standard: Standard | None, occupation: Occupation) -> dict[str, Any]:
        if standard is None:
            return {
                "title": _("国家职业技能标准 %(n)s") % {"n": occupation.name},
                "code": occupation.code,
                "is_active": True,
                **{name: getattr(Staffing(), name) for name in STAFFING_FIELDS},
            }
        return {
            "title": standard.title,
            "code": standard.code,
            "edition_year": standard.edition_year,
            "issued_by": standard.issued_by,
            "job_types": list(standard.job_types.all()),
            "rule_set": standard.rule_set,
            "is_active": standard.is_active,
            **{name: getattr(standard, name) for name in STAFFING_FIELDS},
        }


@dataclass(frozen=True)
class GridCell:
    kind: str
    label: str
    on: forms.BoundField
    full: forms.BoundField
    pass_mark: forms.BoundField
    minutes: forms.BoundField


@dataclass(frozen=True)
class GridRow:
    level: int
    label: str
    cover: forms.BoundField
    cells: list[GridCell]


class ModuleGridForm(Form):
    """One row per level (covered or not) and, in it, one cell per module kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        check = {"class": "form-check-input"}
        number = {"class": "form-control form-control-sm sc-mark"}
        for level in ORDINARY_LEVELS:
            self.fields[f"cover_{level}"] = forms.BooleanField(
                label=Level(level).label, required=False, widget=forms.CheckboxInput(attrs=check)
            )
            for kind, label in ModuleKind.choices:
                key = f"{level}_{kind}"
                self.fields[f"on_{key}"] = forms.BooleanField(
                    label=label, required=False, widget=forms.CheckboxInput(attrs=check)
                )
                self.fields[f"full_{key}"] = forms.IntegerField(
                    label=_("满分"),
                    min_value=1,
                    max_value=1000,
                    required=False,
                    widget=forms.NumberInput(attrs=number),
                )
                self.fields[f"pass_{key}"] = forms.IntegerField(
                    label=_("合格分"),
                    min_value=0,
                    max_value=1000,
                    required=False,
                    widget=forms.NumberInput(attrs=number),
                )
                self.fields[f"min_{key}"] = forms.IntegerField(
                    label=_("时长（分钟）"),
                    min_value=1,
                    max_value=1440,
                    required=False,
                    widget=forms.NumberInput(attrs=number),
                )

    @staticmethod
    def initial_for(standard: Standard | None) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if standard is None:
            for level in ORDINARY_LEVELS:
                data[f"cover_{level}"] = True
                for kind in ModuleKind.values:
                    key = f"{level}_{kind}"
                    data[f"on_{key}"] = kind in default_kinds(level)
                    data[f"full_{key}"], data[f"pass_{key}"] = 100, 60
                    data[f"min_{key}"] = DEFAULT_MINUTES[ModuleKind(kind)]
            return data
        for level in ORDINARY_LEVELS:
            data[f"cover_{level}"] = level in standard.levels
            for kind in ModuleKind.values:
                key = f"{level}_{kind}"
                data[f"full_{key}"], data[f"pass_{key}"] = 100, 60
                data[f"min_{key}"] = DEFAULT_MINUTES[ModuleKind(kind)]
        for m in standard.modules.all():
            key = f"{m.level}_{m.kind}"
            data[f"on_{key}"] = True
            data[f"full_{key}"], data[f"pass_{key}"], data[f"min_{key}"] = (
                m.full_marks,
                m.pass_mark,
                m.duration_minutes,
            )
        return data

    def rows(self) -> list[GridRow]:
        return [
            GridRow(
                level=level,
                label=str(Level(level).label),
                cover=self[f"cover_{level}"],
                cells=[
                    GridCell(
                        kind=kind,
                        label=str(label),
                        on=self[f"on_{level}_{kind}"],
                        full=self[f"full_{level}_{kind}"],
                        pass_mark=self[f"pass_{level}_{kind}"],
                        minutes=self[f"min_{level}_{kind}"],
                    )
                    for kind, label in ModuleKind.choices
                ],
            )
            for level in ORDINARY_LEVELS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for level in self.levels(data):
            for kind, label in ModuleKind.choices:
                key = f"{level}_{kind}"
                if not data.get(f"on_{key}"):
                    continue
                for prefix in ("full", "pass", "min"):
                    if data.get(f"{prefix}_{key}") is None and f"{prefix}_{key}" not in self.errors:
                        self.add_error(
                            f"{prefix}_{key}",
                            _("%(l)s“%(k)s”须填写%(f)s。")
                            % {
                                "l": Level(level).label,
                                "k": label,
                                "f": self.fields[f"{prefix}_{key}"].label,
                            },
                        )
        return data

    def levels(self, data: dict[str, Any] | None = None) -> list[int]:
        data = self.cleaned_data if data is None else data
        return [v for v in ORDINARY_LEVELS if data.get(f"cover_{v}")]

    def modules(self) -> list[ModuleSpec]:
        """Ticked cells of covered levels; cells of a level that is not covered are ignored."""
        data = self.cleaned_data
        return [
            ModuleSpec(
                level=level,
                kind=kind,
                full_marks=data[f"full_{level}_{kind}"],
                pass_mark=data[f"pass_{level}_{kind}"],
                duration_minutes=data[f"min_{level}_{kind}"],
            )
            for level in self.levels()
            for kind in ModuleKind.values
            if data.get(f"on_{level}_{kind}")
        ]

    def all_errors(self) -> list[str]:
        return [str(e) for errors in self.errors.values() for e in errors]


class RuleSetForm(Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=120)
    source = forms.CharField(
        label=gettext_lazy("依据"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("如“国家职业技能标准 焊工（2018年版）”或企业备案的评价规范"),
    )
    rules = forms.CharField(
        label=gettext_lazy("申报条件（JSON）"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "font-monospace small"}),
        help_text=gettext_lazy("JSON 中的 name、source 以上方填写为准。"),
    )

    def clean_rules(self) -> dict[str, Any]:
        text = self.cleaned_data["rules"]
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("不是有效的 JSON：第 %(line)s 行第 %(col)s 列，%(msg)s。")
                % {"line": exc.lineno, "col": exc.colno, "msg": _json_message(exc.msg)}
            ) from None
        if not isinstance(data, dict):
            raise forms.ValidationError(_("申报条件须为 JSON 对象（{…}）。"))
        return data


_JSON_MESSAGES = {
    "Expecting value": "此处应为一个值",
    "Expecting property name enclosed in double quotes": "字段名须用英文双引号括起",
    "Expecting ',' delimiter": "缺少英文逗号",
    "Expecting ':' delimiter": "缺少英文冒号",
    "Extra data": "JSON 结束后还有多余内容",
    "Unterminated string starting at": "字符串缺少结尾的双引号",
    "Invalid control character at": "字符串中有控制字符",
}


def _json_message(msg: str) -> str:
    return _JSON_MESSAGES.get(msg, msg)


def rules_text(rules: object) -> str:
    """Rule-set JSON as the editor shows it: indented, Chinese left readable."""
    return json.dumps(rules, ensure_ascii=False, indent=2)
