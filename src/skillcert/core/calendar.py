"""The working-day calendar as stored in the database, for services that count working days (R5.3).

Every function reads the CalendarYear/CalendarDay tables afresh (no process cache: several
web nodes and workers share them) and hands the arithmetic to the pure :mod:`workdays` module.
A date in a year that has not been entered raises :class:`workdays.UnknownYearError`; nothing
is ever guessed from the weekday rule alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q

from skillcert.core import workdays
from skillcert.core.models import CalendarDay, CalendarYear
from skillcert.core.workdays import Calendar, UnknownYearError

__all__ = [
    "UnknownYearError",
    "YearSummary",
    "add_workdays",
    "before",
    "is_workday",
    "known_years",
    "load_calendar",
    "workdays_between",
    "year_days",
    "year_summaries",
]


def known_years() -> list[int]:
    """The years whose official schedule is in the table, ascending."""
    return sorted(CalendarYear.objects.values_list("year", flat=True))


def load_calendar(years: Iterable[int] | None = None) -> Calendar:
    """A pure Calendar of ``years`` (default: every year in the table).

    Raises UnknownYearError, naming the first missing year, if a requested year is not in the table.
    """
    stored = set(known_years())
    if years is None:
        wanted = stored
    else:
        wanted = set(years)
        missing = sorted(wanted - stored)
        if missing:
            raise UnknownYearError(missing[0])
    rows = CalendarDay.objects.filter(year_id__in=wanted).values_list("date", "is_workday")
    return workdays.calendar_from_overrides(wanted, rows)


# The helpers below load every stored year (a few dozen rows each): how many years an n-working-day
# span crosses is only known while walking it, and the walk itself stops at the first unknown year.


def is_workday(d: date) -> bool:
    return load_calendar([d.year]).is_workday(d)


def add_workdays(d: date, n: int) -> date:
    """The ``n``-th working day strictly after ``d`` (see :func:`workdays.add_workdays`)."""
    return workdays.add_workdays(load_calendar(), d, n)


def workdays_between(a: date, b: date) -> int:
    """Working days in ``(a, b]`` (see :func:`workdays.workdays_between`)."""
    return workdays.workdays_between(load_calendar(), a, b)


def before(d: date, n: int) -> date:
    """The last day to act so that ``n`` working days remain before ``d`` (R5.1: plan 10 working days ahead)."""
    return workdays.before(load_calendar(), d, n)


# --------------------------------------------------------------------------- for the calendar page


@dataclass(frozen=True)
class YearSummary:
    year: int
    source: str
    note: str
    entered_at: datetime
    holidays: int
    workdays: int


def year_summaries() -> list[YearSummary]:
    """Every stored year, newest first, with its count of weekday holidays and weekend working days."""
    qs = CalendarYear.objects.annotate(
        n_holidays=Count("days", filter=Q(days__is_workday=False)),
        n_workdays=Count("days", filter=Q(days__is_workday=True)),
    ).order_by("-year")
    return [YearSummary(y.year, y.source, y.note, y.entered_at, y.n_holidays, y.n_workdays) for y in qs]


def year_days(year: int) -> list[CalendarDay]:
    """The stored exceptions of ``year`` in date order (empty if the year is not stored)."""
    return list(CalendarDay.objects.filter(year_id=year).order_by("date"))
