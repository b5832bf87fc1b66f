"""Official holiday/调休 rows taken from the chinesecalendar package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import chinese_calendar

from skillcert.core.workdays import Calendar, UnknownYearError, calendar_from_overrides

__all__ = ["calendar_for_years", "overrides_for_year", "supported_years"]


def supported_years() -> range:
    """Return the years for which the installed chinesecalendar has official data."""
    # Same bounds chinesecalendar itself enforces: the first and last year with
    # any listed holiday. A release only adds a year once its notice is out.
    listed: Iterable[date] = chinese_calendar.holidays.keys()
    years = {d.year for d in listed}
    return range(min(years), max(years) + 1)


def _chinese_name(english: str) -> str:
    # The package keys its dicts by the English enum value; Holiday carries the
    # Chinese label (春节, 国庆节, ...) that administrators actually read.
    chinese: str = chinese_calendar.Holiday(english).chinese
    return chinese


def overrides_for_year(year: int) -> list[tuple[date, bool, str]]:
    """Return ``(date, is_workday, name)`` exceptions to the Mon–Fri rule for ``year``.

    Only rows that change the plain rule are returned: weekday holidays
    (``is_workday`` False) and weekend working days (``is_workday`` True). The name
    is the Chinese festival the row belongs to, also for 调休 working days. Sorted
    by date. Raises UnknownYearError if the package has no data for ``year``.
    """
    if year not in supported_years():
        raise UnknownYearError(year)
    rows: list[tuple[date, bool, str]] = []
    holidays: dict[date, str] = chinese_calendar.holidays
    workdays: dict[date, str] = chinese_calendar.workdays
    for d, english in holidays.items():
        if d.year == year and d.weekday() < 5:
            rows.append((d, False, _chinese_name(english)))
    for d, english in workdays.items():
        if d.year == year and d.weekday() >= 5:
            rows.append((d, True, _chinese_name(english)))
    rows.sort()
    return rows


def calendar_for_years(years: Iterable[int]) -> Calendar:
    """Build a Calendar for ``years`` from the package data."""
    wanted = sorted(set(years))
    rows = [(d, works) for y in wanted for d, works, _ in overrides_for_year(y)]
    return calendar_from_overrides(wanted, rows)
