"""Working-day arithmetic over the Chinese statutory holiday and 调休 calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "Calendar",
    "UnknownYearError",
    "add_workdays",
    "before",
    "calendar_from_overrides",
    "is_workday",
    "workdays_between",
    "workdays_from_to",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend.


class UnknownYearError(ValueError):
    """Raised when a computation needs a day whose year has no official schedule loaded."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日与调休安排尚未录入工作日历，无法计算工作日。请管理员先录入该年度官方安排。"
        )


def _is_weekend(d: date) -> bool:
    return d.weekday() >= _SATURDAY


@dataclass(frozen=True)
class Calendar:
    """The official schedule for a set of years, stored as exceptions to the Mon–Fri rule.

    ``holidays`` are weekday dates that are days off; ``workdays`` are Saturday/Sunday
    dates that are working days (调休). Every other date of a known year follows the
    plain weekday/weekend rule. Dates of years outside ``known_years`` are never
    guessed: asking about them raises :class:`UnknownYearError`, because the State
    Council publishes each year's 调休 only a few weeks in advance.
    """

    known_years: frozenset[int]
    holidays: frozenset[date]
    workdays: frozenset[date]

    def __post_init__(self) -> None:
        # Reject inconsistent data early: a weekend "holiday" or a weekday "workday"
        # would be a silent no-op and usually means the source rows were mis-keyed.
        for d in self.holidays:
            if _is_weekend(d):
                raise ValueError(f"holiday {d.isoformat()} falls on a weekend")
            if d.year not in self.known_years:
                raise ValueError(f"holiday {d.isoformat()} is outside known_years")
        for d in self.workdays:
            if not _is_weekend(d):
                raise ValueError(f"adjusted workday {d.isoformat()} is not a weekend")
            if d.year not in self.known_years:
                raise ValueError(f"adjusted workday {d.isoformat()} is outside known_years")

    def is_workday(self, d: date) -> bool:
        """Return whether ``d`` is a working day; raise UnknownYearError for unknown years."""
        if d.year not in self.known_years:
            raise UnknownYearError(d.year)
        if _is_weekend(d):
            return d in self.workdays
        return d not in self.holidays


def calendar_from_overrides(known_years: Iterable[int], overrides: Iterable[tuple[date, bool]]) -> Calendar:
    """Build a Calendar from ``(date, is_workday)`` rows for the given years.

    Rows that merely restate the weekday/weekend rule (a weekend marked as a day
    off, e.g. 国庆 falling on a Saturday) are dropped, since sources such as
    chinesecalendar list whole holiday blocks including their weekends.
    """
    years = frozenset(known_years)
    holidays: set[date] = set()
    workdays: set[date] = set()
    for d, works in overrides:
        weekend = _is_weekend(d)
        if works and weekend:
            workdays.add(d)
        elif not works and not weekend:
            holidays.add(d)
    return Calendar(known_years=years, holidays=frozenset(holidays), workdays=frozenset(workdays))


def is_workday(cal: Calendar, d: date) -> bool:
    """Return whether ``d`` is a working day under ``cal``."""
    return cal.is_workday(d)


def add_workdays(cal: Calendar, d: date, n: int) -> date:
    """Return the ``n``-th working day strictly after ``d``.

    ``d`` itself is never counted, whether or not it is a working day, so
    ``add_workdays(cal, friday, 1)`` is the next Monday (absent holidays) and the
    result always satisfies ``workdays_between(cal, d, result) == n``. ``n == 0``
    returns ``d`` unchanged without consulting the calendar.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    current = d
    remaining = n
    while remaining:
        current += _ONE_DAY
        if cal.is_workday(current):
            remaining -= 1
    return current


def workdays_between(cal: Calendar, start: date, end: date) -> int:
    """Count working days in the half-open interval ``(start, end]``.

    ``start`` is excluded and ``end`` is included: the number of working days that
    elapse when moving from ``start`` to ``end`` — the inverse of
    :func:`add_workdays`. Returns 0 when ``end <= start``. Only the dates inside the
    interval are looked up, so ``start`` may lie in an unknown year.
    """
    count = 0
    current = start + _ONE_DAY
    while current <= end:
        if cal.is_workday(current):
            count += 1
        current += _ONE_DAY
    return count


def workdays_from_to(cal: Calendar, start: date, end: date) -> int:
    """Count working days in the half-open interval ``[start, end)``.

    ``start`` is included and ``end`` is excluded: the number of working days
    available from the morning of ``start`` up to, but not including, ``end``.
    Returns 0 when ``end <= start``. This is the measure used by :func:`before`.
    """
    return workdays_between(cal, start - _ONE_DAY, end - _ONE_DAY)


def before(cal: Calendar, d: date, n: int) -> date:
    """Return the latest date ``x`` with ``workdays_from_to(cal, x, d) >= n``.

    This is the deadline for rules such as R5.1 "the training plan must be submitted
    at least 10 working days before the first session": the submission day counts,
    the session day ``d`` does not, so submitting on day ``s`` is on time iff the
    working days ``s, s+1, ..., d-1`` number at least ``n``, i.e. iff
    ``s <= before(cal, d, n)``. For ``n >= 1`` the result is itself a working day,
    ``workdays_from_to(cal, result, d) == n`` exactly, and the day after the result
    gives ``n - 1``. ``n == 0`` returns ``d`` (no notice required: the session day
    itself is still on time).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    current = d
    remaining = n
    while remaining:
        current -= _ONE_DAY
        if cal.is_workday(current):
            remaining -= 1
    return current
