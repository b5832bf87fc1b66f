"""Forms of the exam-day pages (R7): checks, check-in search, room log, violations, seals, the supervisor's form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from skillcert.core.forms import Form
from skillcert.logistics.examday_models import LogKind, MaterialKind, Overall, Ruling, ViolationKind
from skillcert.logistics.models import Seat
from skillcert.logistics.services.examday import SupervisionData

UPLOAD_ACCEPT = "application/pdf,image/jpeg,image/png"


class TabletForm(Form):
    """Large controls for a tablet; radio choices become a row of big toggle buttons (btn-check)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            widget = f.widget
            css = widget.attrs.get("class", "")
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "btn-check"
            elif "form-select" in css:
                widget.attrs["class"] = css + " form-select-lg"
            elif "form-control" in css and not isinstance(widget, forms.FileInput):
                widget.attrs["class"] = css + " form-control-lg"


class CheckForm(TabletForm):
    ok = forms.TypedChoiceField(
        label=_("检查结果"),
        choices=[("1", _("合格")), ("0", _("发现问题"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    count = forms.IntegerField(label=_("试卷份数"), required=False, min_value=0, max_value=9999)
    note = forms.CharField(
        label=_("检查情况"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    problems = forms.CharField(
        label=_("发现的问题及处理"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachment = forms.FileField(
        label=_("会议纪要（PDF、JPG 或 PNG，10MB以内）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )

    def __init__(self, *args: object, kind: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if kind != "envelopes":
            del self.fields["count"]
        if kind != "briefing":
            del self.fields["attachment"]


class SearchForm(TabletForm):
    q = forms.CharField(
        label=_("准考证号或身份证号"),
        max_length=30,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
    )


class LogForm(TabletForm):
    kind = forms.ChoiceField(label=_("类型"), choices=LogKind.choices)
    at = forms.TimeField(
        label=_("时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("不填则为当前时间"),
    )
    text = forms.CharField(label=_("记录内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    handled_by = forms.CharField(
        label=_("处理人"), required=False, max_length=60, help_text=_("设备故障须填写；实操考核由考评员处理")
    )


class SeatField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number:02d}号 {obj.application.name}"


class ViolationForm(TabletForm):
    seat = SeatField(label=_("考生"), queryset=Seat.objects.none())
    kind = forms.ChoiceField(label=_("违纪类型"), choices=ViolationKind.choices)
    description = forms.CharField(label=_("经过"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(
        label=_("证据（照片或PDF，10MB以内）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )
    evidence_note = forms.CharField(label=_("证据说明"), required=False, max_length=300)

    def __init__(self, *args: object, seats: list[Seat], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["seat"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Seat.objects.filter(pk__in=[s.pk for s in seats]).select_related("application")


class RulingForm(TabletForm):
    ruling = forms.ChoiceField(
        label=_("认定结果"),
        choices=[(v, label) for v, label in Ruling.choices if v != Ruling.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("认定意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("除“不构成违纪”外，须写明认定意见和依据"),
    )


class SealForm(TabletForm):
    kind = forms.ChoiceField(label=_("材料"), choices=MaterialKind.choices)
    count = forms.IntegerField(label=_("份数"), min_value=0, max_value=99999)
    seal_no = forms.CharField(label=_("封条编号"), max_length=40)
    handed_over_to = forms.CharField(label=_("接收人"), max_length=60)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def __init__(self, *args: object, sealed: set[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in MaterialKind.choices if v not in sealed]


YES_NO = [("1", _("是")), ("0", _("否"))]


def _yes_no(label: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="1"
    )


class SupervisionForm(TabletForm):
    attendance_ok = _yes_no(_("考务、考评人员按时到岗"))
    briefing_ok = _yes_no(_("考前会议按要求召开"))
    papers_ok = _yes_no(_("试卷保管、启封、回收规范"))
    rooms_ok = _yes_no(_("考场设置、监控符合要求"))
    scoring_ok = _yes_no(_("考评人员按标准评分"))
    problems = forms.CharField(
        label=_("发现的问题及处理情况"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    overall = forms.ChoiceField(label=_("总体评价"), choices=Overall.choices, widget=forms.RadioSelect)
    evaluation = forms.CharField(
        label=_("综合评价意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def data_object(self) -> SupervisionData:
        d = self.cleaned_data
        return SupervisionData(
            attendance_ok=d["attendance_ok"],
            briefing_ok=d["briefing_ok"],
            papers_ok=d["papers_ok"],
            rooms_ok=d["rooms_ok"],
            scoring_ok=d["scoring_ok"],
            problems=d["problems"] or "",
            overall=d["overall"],
            evaluation=d["evaluation"],
        )
