"""Writes of the working-day calendar: load a year from chinesecalendar, or enter it from the State Council notice (R5.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from skillcert.core import audit, calendar_source
from skillcert.core.errors import RuleViolation
from skillcert.core.models import CalendarDay, CalendarYear, User

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "SOURCE_CHINESECALENDAR",
    "SOURCE_MANUAL",
    "CalendarYearResult",
    "calendar_year_enter",
    "calendar_year_load",
    "day_problem",
]

SOURCE_CHINESECALENDAR = "chinesecalendar"
SOURCE_MANUAL = "manual"
MIN_YEAR, MAX_YEAR = 2000, 2100
_NAME_MAX = CalendarDay._meta.get_field("name").max_length or 40
_NOTE_MAX = CalendarYear._meta.get_field("note").max_length or 200

Day = tuple[date, bool, str]


@dataclass(frozen=True)
class CalendarYearResult:
    """What a load or an entry did: ``created`` (new year), ``changed`` (rows differ from before)."""

    year: int
    holidays: int
    workdays: int
    created: bool
    changed: bool


def day_problem(year: int, d: date, is_workday: bool) -> str | None:
    """Why ``(d, is_workday)`` cannot be a row of ``year``'s schedule, as a Chinese sentence; None if it can.

    The table stores only exceptions to the Monday–Friday rule: a holiday on a weekend or a
    working day on a weekday changes nothing and usually means a mistyped date.
    """
    weekday = "一二三四五六日"[d.weekday()]
    if d.year != year:
        return _("%(d)s 不属于 %(y)s 年。") % {"d": d.isoformat(), "y": year}
    if is_workday and d.weekday() < 5:
        return _("%(d)s 是星期%(w)s，本来就是工作日；“班”只用于周六、周日调休上班。") % {
            "d": d.isoformat(),
            "w": weekday,
        }
    if not is_workday and d.weekday() >= 5:
        return _("%(d)s 是星期%(w)s，本来就休息；“休”只用于周一至周五的放假日。") % {
            "d": d.isoformat(),
            "w": weekday,
        }
    return None


def _check_days(year: int, days: Sequence[Day]) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(
            "R5.3", _("年度须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR}, field="year"
        )
    if not any(not works for _d, works, _n in days):
        raise RuleViolation(
            "R5.3", _("%(y)s 年的安排中没有任何放假日，请按国务院通知录入。") % {"y": year}, field="days"
        )
    seen: set[date] = set()
    for d, works, name in days:
        problem = day_problem(year, d, works)
        if problem:
            raise RuleViolation("R5.3", problem, field="days")
        if d in seen:
            raise RuleViolation("R5.3", _("%(d)s 重复录入。") % {"d": d.isoformat()}, field="days")
        if len(name) > _NAME_MAX:
            raise RuleViolation(
                "R5.3",
                _("%(d)s 的名称超过 %(n)s 个字。") % {"d": d.isoformat(), "n": _NAME_MAX},
                field="days",
            )
        seen.add(d)


def _replace_year(
    *,
    actor: User | None,
    year: int,
    days: Sequence[Day],
    source: str,
    note: str,
    action: str,
    actor_name: str,
) -> CalendarYearResult:
    rows = sorted((d, bool(works), name.strip()) for d, works, name in days)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update(of=("self",)).filter(year=year).first()
        before = (
            sorted((r.date, r.is_workday, r.name) for r in existing.days.all())
            if existing is not None
            else None
        )
        result = CalendarYearResult(
            year=year,
            holidays=sum(1 for _d, works, _n in rows if not works),
            workdays=sum(1 for _d, works, _n in rows if works),
            created=existing is None,
            changed=existing is None or before != rows or (existing.source, existing.note) != (source, note),
        )
        if not result.changed:
            return result  # a repeated load changes nothing and writes nothing (DESIGN rule 9)
        if existing is None:
            cal_year = CalendarYear.objects.create(year=year, source=source, note=note)
        else:
            cal_year = existing
            cal_year.source, cal_year.note = source, note
            cal_year.save(update_fields=["source", "note"])
            cal_year.days.all().delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d, year=cal_year, is_workday=works, name=name) for d, works, name in rows
        )
        audit.record(
            actor=actor,
            actor_name=actor_name,
            action=action,
            obj=cal_year,
            summary={
                "year": year,
                "source": source,
                "holidays": result.holidays,
                "workdays": result.workdays,
                "replaced": existing is not None,
            },
        )
    return result


def calendar_year_load(
    *, actor: User | None, year: int, source: str = SOURCE_CHINESECALENDAR, actor_name: str = ""
) -> CalendarYearResult:
    """Load ``year`` from the chinesecalendar package, replacing that year's rows if they differ.

    Raises workdays.UnknownYearError if the installed package has no data for the year.
    """
    if source != SOURCE_CHINESECALENDAR:
        raise ValueError(f"unknown calendar source {source!r}")
    days = calendar_source.overrides_for_year(year)
    _check_days(year, days)
    note = _("chinesecalendar 数据（国务院办公厅节假日安排通知）")
    return _replace_year(
        actor=actor,
        year=year,
        days=days,
        source=source,
        note=note,
        action="calendar.load",
        actor_name=actor_name,
    )


def calendar_year_enter(*, actor: User, year: int, days: Sequence[Day], note: str) -> CalendarYearResult:
    """Enter ``year``'s schedule by hand from the State Council notice, replacing any rows of that year.

    ``days`` are ``(date, is_workday, name)``: weekday holidays (False) and weekend working days (True).
    """
    note = note.strip()
    if not note:
        raise RuleViolation(
            "R5.3",
            _("请写明依据，如“国务院办公厅关于%(y)s年部分节假日安排的通知”。") % {"y": year},
            field="note",
        )
    if len(note) > _NOTE_MAX:
        raise RuleViolation("R5.3", _("依据不能超过 %(n)s 个字。") % {"n": _NOTE_MAX}, field="note")
    _check_days(year, days)
    return _replace_year(
        actor=actor,
        year=year,
        days=days,
        source=SOURCE_MANUAL,
        note=note,
        action="calendar.enter",
        actor_name="",
    )
