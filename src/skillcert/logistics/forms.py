"""Forms of the rooms and sessions pages; the rules live in the services, forms only parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from skillcert.catalog.models import JobType, ModuleKind, Occupation
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form, model_choice
from skillcert.filings.models import ScopeItem, Site
from skillcert.logistics.models import Delivery, RoomKind
from skillcert.logistics.services.rooms import RoomData
from skillcert.logistics.services.sessions import SessionData
from skillcert.rounds.models import Round, RoundOffering

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def add_problems(form: forms.Form, problems: list[RuleViolation]) -> None:
    """Each service problem on the field it names, or above the form."""
    for p in problems:
        form.add_error(p.field if p.field in form.fields else None, str(p))


def _job_type_label(obj: JobType) -> str:
    return f"{obj.occupation.name}（{obj.name}）"


class RoomForm(Form):
    site = forms.ModelChoiceField(label=_("考点"), queryset=Site.objects.none())
    name = forms.CharField(label=_("考场名称"), max_length=60, help_text=_("如“第3考场”“焊接实训车间A区”"))
    kind = forms.ChoiceField(label=_("考场类型"), choices=RoomKind.choices)
    capacity = forms.IntegerField(label=_("容量（座位/工位）"), min_value=1, max_value=2000)
    occupations = forms.ModelMultipleChoiceField(
        label=_("适用职业"),
        queryset=Occupation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("实操考场须选择其设备可考核的职业；其他类型的考场适用于全部职业，无需选择。"),
    )
    job_types = forms.ModelMultipleChoiceField(
        label=_("适用工种"),
        queryset=JobType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则适用于所选职业的全部工种"),
    )
    monitored = forms.BooleanField(label=_("安装电子监控"), required=False, initial=True)
    alt_record = forms.CharField(
        label=_("无监控时的留痕方式"),
        max_length=200,
        required=False,
        help_text=_("因安全或保密原因无法监控时，写明其他全程留痕方式（如全程录像、双人记录）（R6.1）"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args: Any, sites: QuerySet[Site] | None, enterprise_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sites is None:  # editing: a room stays at its site
            del self.fields["site"]
        else:
            model_choice(self, "site").queryset = sites
        scope = ScopeItem.objects.filter(enterprise_id=enterprise_id)
        occupation_ids = scope.values("occupation_id")
        model_choice(self, "occupations").queryset = Occupation.objects.filter(
            pk__in=occupation_ids
        ).order_by("code")
        model_choice(self, "job_types").queryset = (
            JobType.objects.filter(occupation_id__in=occupation_ids)
            .select_related("occupation")
            .order_by("occupation__code", "name")
        )
        model_choice(self, "job_types").label_from_instance = _job_type_label  # type: ignore[method-assign]

    def data_object(self) -> RoomData:
        d = self.cleaned_data
        return RoomData(
            name=d["name"],
            kind=d["kind"],
            capacity=d["capacity"],
            monitored=bool(d["monitored"]),
            alt_record=d["alt_record"] or "",
            note=d["note"] or "",
            is_active=bool(d["is_active"]),
            occupations=tuple(d["occupations"]),
            job_types=tuple(d["job_types"]),
        )


class SessionForm(Form):
    module = forms.ChoiceField(label=_("考核模块"), choices=ModuleKind.choices)
    delivery = forms.ChoiceField(
        label=_("形式"),
        choices=Delivery.choices,
        help_text=_("理论知识考试为纸笔或机考；操作技能考核、综合评审为现场"),
    )
    offerings = forms.ModelMultipleChoiceField(
        label=_("职业（工种）等级"),
        queryset=RoundOffering.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只能选择其标准在该等级设有所选模块的职业（工种）等级"),
    )
    site = forms.ModelChoiceField(label=_("考点"), queryset=Site.objects.none())
    day = forms.DateField(label=_("日期"), widget=DATE)
    starts = forms.TimeField(label=_("开始时间"), widget=TIME)
    ends = forms.TimeField(label=_("结束时间"), widget=TIME)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.round = round
        model_choice(self, "offerings").queryset = round.offerings.select_related(
            "occupation", "job_type"
        ).order_by("occupation__code", "job_type__name", "-level")
        model_choice(self, "site").queryset = Site.objects.filter(
            enterprise_id=round.enterprise_id, is_active=True
        ).order_by("name")
        self.fields["day"].help_text = _("评价期：%(a)s 至 %(b)s") % {
            "a": f"{round.evaluation_starts:%Y-%m-%d}",
            "b": f"{round.evaluation_ends:%Y-%m-%d}",
        }

    def data_object(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            module=d["module"],
            delivery=d["delivery"],
            offerings=tuple(d["offerings"]),
            site=d["site"],
            day=d["day"],
            starts=d["starts"],
            ends=d["ends"],
            note=d["note"] or "",
        )
