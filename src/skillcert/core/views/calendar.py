"""Working-day calendar pages for the system administrator: the stored years, a month grid, entering a new year."""

from __future__ import annotations

import calendar as std_calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcert.core import access
from skillcert.core import calendar as work_calendar
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form, add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.models import CalendarYear, User
from skillcert.core.models.accounts import Role
from skillcert.core.services.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    SOURCE_MANUAL,
    calendar_year_enter,
    day_problem,
)

Day = tuple[date, bool, str]

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_RANGE = re.compile(r"^(.+?)\s*(?:至|~|～|—|－－)\s*(.+)$")
_OFF = {"休", "放假", "休息"}
_ON = {"班", "上班"}
_NAME_MAX = 40


def _require_sysadmin(user: User) -> None:
    if not access.is_platform_admin(user, Role.SYSTEM_ADMIN):
        raise Http404


# --------------------------------------------------------------------------- entering a year


def _parse_date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_schedule(text: str, year: int) -> tuple[list[Day], list[str]]:
    """Parse lines such as ``2027-01-01 休 元旦`` / ``2027-02-07 班 春节调休`` / ``2027-10-01至2027-10-07 休 国庆节``.

    Returns the rows and a list of Chinese errors, each naming its line. A ``休`` range keeps only
    its weekdays (the weekend inside a holiday block is off anyway). Blank lines and ``#`` comments
    are skipped.
    """
    rows: list[Day] = []
    errors: list[str] = []
    line_of: dict[date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)  # also splits on the full-width space
        where = _("第 %(n)s 行") % {"n": number}
        if len(parts) < 2:
            errors.append(
                _("%(w)s：“%(l)s”缺少“休”或“班”，应写作“2027-01-01 休 元旦”。") % {"w": where, "l": line}
            )
            continue
        when, kind = parts[0], parts[1]
        name = parts[2].strip() if len(parts) > 2 else ""
        if kind not in _OFF | _ON:
            errors.append(_("%(w)s：第二项应为“休”或“班”，而不是“%(k)s”。") % {"w": where, "k": kind})
            continue
        works = kind in _ON
        if len(name) > _NAME_MAX:
            errors.append(_("%(w)s：名称不能超过 %(n)s 个字。") % {"w": where, "n": _NAME_MAX})
            continue
        span = _RANGE.match(when)
        if span:
            start, end = _parse_date(span[1]), _parse_date(span[2])
            if start is None or end is None:
                errors.append(
                    _("%(w)s：无法识别日期“%(d)s”，应写作 2027-10-01至2027-10-07。") % {"w": where, "d": when}
                )
                continue
            if works:
                errors.append(_("%(w)s：连续日期只能用于“休”；调休上班日请逐行录入。") % {"w": where})
                continue
            if end < start:
                errors.append(_("%(w)s：结束日期早于开始日期。") % {"w": where})
                continue
            if end - start > timedelta(days=31):
                errors.append(_("%(w)s：连续放假不能超过一个月，请检查日期。") % {"w": where})
                continue
            days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
            days = [d for d in days if d.weekday() < 5]
            if not days:
                errors.append(_("%(w)s：该时段全是周末，本来就休息，无需录入。") % {"w": where})
                continue
        else:
            single = _parse_date(when)
            if single is None:
                errors.append(_("%(w)s：无法识别日期“%(d)s”，应写作 2027-01-01。") % {"w": where, "d": when})
                continue
            days = [single]
        for d in days:
            problem = day_problem(year, d, works)
            if problem:
                errors.append(f"{where}：{problem}")
                break
            if d in line_of:
                errors.append(
                    _("%(w)s：%(d)s 已在第 %(m)s 行录入。")
                    % {"w": where, "d": d.isoformat(), "m": line_of[d]}
                )
                break
        else:
            for d in days:
                line_of[d] = number
                rows.append((d, works, name))
    if not rows and not errors:
        errors.append(_("请至少录入一行。"))
    return sorted(rows), errors


SCHEDULE_EXAMPLE = """# 国务院办公厅关于2027年部分节假日安排的通知（示例格式，日期以通知为准）
2027-01-01 休 元旦
2027-02-06至2027-02-12 休 春节
2027-02-14 班 春节调休"""


class CalendarYearForm(Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    note = forms.CharField(
        label=gettext_lazy("依据"),
        max_length=200,
        help_text=gettext_lazy("如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"),
    )
    schedule = forms.CharField(
        label=gettext_lazy("放假与调休安排"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "font-monospace"}),
        help_text=gettext_lazy(
            "每行一天：日期、“休”或“班”、名称，以空格分隔。“休”只用于周一至周五的放假日，"
            "“班”只用于周六、周日的调休上班日；连续放假可写作“2027-10-01至2027-10-07 休 国庆节”，"
            "其中的周末自动略过。以 # 开头的行是注释。"
        ),
    )
    replace = forms.BooleanField(label=gettext_lazy("覆盖该年度已录入的安排"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, text = data.get("year"), data.get("schedule")
        if year is None or text is None:
            return data
        rows, errors = parse_schedule(text, year)
        if errors:
            self.add_error("schedule", errors)
        data["days"] = rows
        existing = CalendarYear.objects.filter(year=year).first()
        if existing is not None and not data.get("replace"):
            self.add_error(
                "replace",
                _("%(y)s 年已录入（%(s)s），如需按本次内容覆盖，请勾选此项。")
                % {"y": year, "s": existing.note or existing.source},
            )
        return data


def _schedule_text(year: int) -> str:
    """A stored year written back in the input format, to correct it."""
    lines = [
        f"{d.date.isoformat()} {'班' if d.is_workday else '休'} {d.name}".rstrip()
        for d in work_calendar.year_days(year)
    ]
    return "\n".join(lines)


@login_required
def calendar_year_create(request: AuthedRequest) -> HttpResponse:
    _require_sysadmin(request.user)
    initial: dict[str, Any] = {}
    source_year = request.GET.get("from", "")
    if request.method == "GET" and source_year.isdigit():
        stored = CalendarYear.objects.filter(year=int(source_year)).first()
        if stored is not None:
            initial = {
                "year": stored.year,
                "note": stored.note if stored.source == SOURCE_MANUAL else "",
                "schedule": _schedule_text(stored.year),
                "replace": True,
            }
    form = CalendarYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = calendar_year_enter(
                actor=request.user, year=data["year"], days=data["days"], note=data["note"]
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            if result.changed:
                messages.success(
                    request,
                    _("已录入 %(y)s 年：放假日 %(h)s 天，调休上班 %(w)s 天。")
                    % {"y": result.year, "h": result.holidays, "w": result.workdays},
                )
            else:
                messages.info(request, _("%(y)s 年的安排与已录入的相同，未作改动。") % {"y": result.year})
            return redirect(f"{reverse('core:calendar')}?year={result.year}")
    return render(
        request,
        "core/calendar/year_form.html",
        {"form": form, "example": SCHEDULE_EXAMPLE, "title": _("录入年度节假日安排")},
    )


# --------------------------------------------------------------------------- viewing


@dataclass(frozen=True)
class DayCell:
    day: date | None
    kind: str  # "", "workday", "weekend", "holiday", "adjusted"
    name: str = ""
    today: bool = False


@dataclass(frozen=True)
class Month:
    number: int
    weeks: list[list[DayCell]]


def _month_grid(year: int, exceptions: dict[date, tuple[bool, str]], today: date) -> list[Month]:
    months = []
    for m in range(1, 13):
        weeks = []
        for week in std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, m):
            cells = []
            for d in week:
                if d.month != m:
                    cells.append(DayCell(None, ""))
                    continue
                works, name = exceptions.get(d, (d.weekday() < 5, ""))
                if d in exceptions:
                    kind = "adjusted" if works else "holiday"
                else:
                    kind = "workday" if works else "weekend"
                cells.append(DayCell(d, kind, name, d == today))
            weeks.append(cells)
        months.append(Month(m, weeks))
    return months


@login_required
def calendar_view(request: AuthedRequest) -> HttpResponse:
    _require_sysadmin(request.user)
    summaries = work_calendar.year_summaries()
    stored = {s.year: s for s in summaries}
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    default = today.year if today.year in stored or not stored else max(stored)
    year = int(raw) if raw.isdigit() and len(raw) <= 4 else default
    selected = stored.get(year)
    days = work_calendar.year_days(year) if selected else []
    exceptions = {d.date: (d.is_workday, d.name) for d in days}
    context = {
        "title": _("工作日历"),
        "summaries": summaries,
        "year": year,
        "selected": selected,
        "days": days,
        "months": _month_grid(year, exceptions, today) if selected else [],
        "weekday_names": "一二三四五六日",
        "prev_year": year - 1,
        "next_year": year + 1,
        "manual_source": SOURCE_MANUAL,
    }
    return render(request, "core/calendar/calendar.html", context)
