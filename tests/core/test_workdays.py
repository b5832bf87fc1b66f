"""Tests for working-day arithmetic against the official 2026 schedule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillcert.core.workdays import (
    Calendar,
    UnknownYearError,
    add_workdays,
    before,
    calendar_from_overrides,
    is_workday,
    workdays_between,
    workdays_from_to,
)

ONE = timedelta(days=1)

# 国务院办公厅关于2026年部分节假日安排的通知, transcribed by hand so that the test
# does not trust the chinesecalendar package it is also checked against.
OFF_2026: list[tuple[date, date, str]] = [
    (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
]
WORK_2026: list[tuple[date, str]] = [
    (date(2026, 1, 4), "元旦"),
    (date(2026, 2, 14), "春节"),
    (date(2026, 2, 28), "春节"),
    (date(2026, 5, 9), "劳动节"),
    (date(2026, 9, 20), "国庆节"),
    (date(2026, 10, 10), "国庆节"),
]


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += ONE


def official_2026_rows() -> list[tuple[date, bool, str]]:
    """All 2026 exceptions to the Mon–Fri rule, in calendar_source's row format."""
    rows = [(d, False, name) for first, last, name in OFF_2026 for d in _days(first, last) if d.weekday() < 5]
    rows += [(d, True, name) for d, name in WORK_2026]
    return sorted(rows)


def official_2026() -> Calendar:
    return calendar_from_overrides([2026], [(d, w) for d, w, _ in official_2026_rows()])


CAL = official_2026()


# --- the hand-transcribed data itself -------------------------------------------


def test_adjusted_workdays_fall_on_weekends() -> None:
    assert [d.isoweekday() for d, _ in WORK_2026] == [7, 6, 6, 6, 7, 6]


def test_official_2026_counts() -> None:
    rows = official_2026_rows()
    assert sum(1 for _, works, _ in rows if not works) == 19
    assert sum(1 for _, works, _ in rows if works) == 6


def test_matches_chinesecalendar_package() -> None:
    calendar_source = pytest.importorskip("skillcert.core.calendar_source")
    if 2026 not in calendar_source.supported_years():
        pytest.skip("installed chinesecalendar has no 2026 data")
    assert calendar_source.overrides_for_year(2026) == official_2026_rows()


def test_calendar_from_package_equals_hand_built() -> None:
    calendar_source = pytest.importorskip("skillcert.core.calendar_source")
    if 2026 not in calendar_source.supported_years():
        pytest.skip("installed chinesecalendar has no 2026 data")
    assert calendar_source.calendar_for_years([2026]) == CAL


# --- single days ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 1, 1), False),  # 元旦, Thursday
        (date(2026, 1, 2), False),  # Friday off
        (date(2026, 1, 4), True),  # Sunday worked
        (date(2026, 1, 5), True),
        (date(2026, 2, 13), True),
        (date(2026, 2, 14), True),  # Saturday worked before 春节
        (date(2026, 2, 15), False),
        (date(2026, 2, 16), False),  # Monday in 春节
        (date(2026, 2, 23), False),  # last day of 春节, a Monday
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday worked after 春节
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 4, 6), False),  # 清明 Monday
        (date(2026, 5, 9), True),
        (date(2026, 9, 20), True),  # Sunday worked before 中秋/国庆
        (date(2026, 9, 25), False),  # 中秋 Friday
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday worked after 国庆
        (date(2026, 10, 11), False),
    ],
)
def test_is_workday(d: date, expected: bool) -> None:
    assert is_workday(CAL, d) is expected
    assert CAL.is_workday(d) is expected


# --- counting -----------------------------------------------------------------


def test_february_2026_has_16_working_days() -> None:
    # 20 weekdays, minus 6 weekday holidays (16–20, 23), plus Saturdays 14 and 28.
    assert workdays_from_to(CAL, date(2026, 2, 1), date(2026, 3, 1)) == 16
    assert workdays_between(CAL, date(2026, 1, 31), date(2026, 2, 28)) == 16


def test_count_across_spring_festival() -> None:
    # (Fri 13, Fri 27]: Sat 14 works, 15–23 off, 24–27 work.
    assert workdays_between(CAL, date(2026, 2, 13), date(2026, 2, 27)) == 5
    assert add_workdays(CAL, date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_workdays(CAL, date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert add_workdays(CAL, date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_national_day_week() -> None:
    assert workdays_between(CAL, date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert add_workdays(CAL, date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_workdays(CAL, date(2026, 9, 30), 3) == date(2026, 10, 10)
    # Sun 20 works, Mon–Thu work, 25–27 off, 28–30 work.
    assert workdays_between(CAL, date(2026, 9, 18), date(2026, 9, 30)) == 8


def test_empty_and_reversed_intervals() -> None:
    d = date(2026, 6, 1)
    assert workdays_between(CAL, d, d) == 0
    assert workdays_between(CAL, d, d - ONE) == 0
    assert workdays_from_to(CAL, d, d) == 0
    assert workdays_from_to(CAL, d + ONE, d) == 0
    assert add_workdays(CAL, d, 0) == d


def test_interval_ends_are_as_documented() -> None:
    # Mon 2026-06-01 and Tue 2026-06-02 are both ordinary working days.
    mon, tue = date(2026, 6, 1), date(2026, 6, 2)
    assert workdays_between(CAL, mon, tue) == 1  # (mon, tue] = {tue}
    assert workdays_from_to(CAL, mon, tue) == 1  # [mon, tue) = {mon}
    assert workdays_between(CAL, mon, mon + 7 * ONE) == 5
    assert workdays_from_to(CAL, mon, mon + 7 * ONE) == 5


# --- deadlines (R5.1) ----------------------------------------------------------


def test_before_national_day_session() -> None:
    # First session Mon 2026-10-12: counting back Sat 10, Fri 9, Thu 8, Wed 30,
    # 29, 28, then 24, 23, 22, 21 gives ten working days.
    session = date(2026, 10, 12)
    deadline = before(CAL, session, 10)
    assert deadline == date(2026, 9, 21)
    assert workdays_from_to(CAL, deadline, session) == 10
    assert workdays_from_to(CAL, deadline + ONE, session) == 9


def test_before_spring_festival_session() -> None:
    session = date(2026, 3, 2)
    assert before(CAL, session, 10) == date(2026, 2, 10)
    assert before(CAL, session, 1) == date(2026, 2, 28)  # the worked Saturday
    assert before(CAL, session, 0) == session


def test_negative_n_rejected() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        add_workdays(CAL, date(2026, 6, 1), -1)
    with pytest.raises(ValueError, match="n must be >= 0"):
        before(CAL, date(2026, 6, 1), -1)


# --- unknown years -------------------------------------------------------------


def test_unknown_year_raises_with_year_in_message() -> None:
    with pytest.raises(UnknownYearError, match="2027") as exc_info:
        is_workday(CAL, date(2027, 1, 4))
    assert exc_info.value.year == 2027
    assert str(exc_info.value) == (
        "2027年的节假日与调休安排尚未录入工作日历，无法计算工作日。请管理员先录入该年度官方安排。"
    )
    assert isinstance(exc_info.value, ValueError)


def test_unknown_year_is_never_guessed() -> None:
    with pytest.raises(UnknownYearError, match="2027"):
        add_workdays(CAL, date(2026, 12, 30), 5)
    with pytest.raises(UnknownYearError, match="2027"):
        workdays_between(CAL, date(2026, 12, 1), date(2027, 1, 1))
    with pytest.raises(UnknownYearError, match="2025"):
        before(CAL, date(2026, 1, 5), 3)
    # Intervals that stay inside 2026 are fine even when an end point is outside.
    assert workdays_from_to(CAL, date(2026, 12, 1), date(2027, 1, 1)) == 23
    assert workdays_between(CAL, date(2025, 12, 31), date(2026, 1, 5)) == 2


# --- Calendar invariants -------------------------------------------------------


def test_calendar_rejects_inconsistent_rows() -> None:
    with pytest.raises(ValueError, match="weekend"):
        Calendar(frozenset({2026}), frozenset({date(2026, 2, 15)}), frozenset())
    with pytest.raises(ValueError, match="not a weekend"):
        Calendar(frozenset({2026}), frozenset(), frozenset({date(2026, 2, 16)}))
    with pytest.raises(ValueError, match="known_years"):
        Calendar(frozenset({2026}), frozenset({date(2027, 1, 1)}), frozenset())


def test_calendar_from_overrides_drops_redundant_rows() -> None:
    cal = calendar_from_overrides([2026], [(date(2026, 10, 3), False), (date(2026, 10, 8), True)])
    assert cal.holidays == frozenset()
    assert cal.workdays == frozenset()


# --- properties ------------------------------------------------------------------

# Random calendars over 2025–2027 with at most 40 exceptions per kind, and dates
# and n chosen so every computation stays inside the known years.
_YEARS = frozenset({2025, 2026, 2027})
_ALL_DAYS = list(_days(date(2025, 1, 1), date(2027, 12, 31)))
_WEEKDAYS = [d for d in _ALL_DAYS if d.weekday() < 5]
_WEEKENDS = [d for d in _ALL_DAYS if d.weekday() >= 5]
# The real 2026 data with plain Mon–Fri years around it.
CAL_WIDE = Calendar(_YEARS, CAL.holidays, CAL.workdays)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    if draw(st.booleans()):
        return CAL_WIDE
    holidays = draw(st.frozensets(st.sampled_from(_WEEKDAYS), max_size=40))
    workdays = draw(st.frozensets(st.sampled_from(_WEEKENDS), max_size=40))
    return Calendar(_YEARS, holidays, workdays)


mid_dates = st.dates(date(2026, 1, 1), date(2026, 12, 31))
counts = st.integers(min_value=0, max_value=120)


def _oracle_from_to(cal: Calendar, start: date, end: date) -> int:
    return sum(1 for d in _days(start, end - ONE) if cal.is_workday(d))


@given(calendars(), mid_dates, counts)
def test_add_workdays_lands_on_nth_workday(cal: Calendar, d: date, n: int) -> None:
    result = add_workdays(cal, d, n)
    assert workdays_between(cal, d, result) == n
    if n == 0:
        assert result == d
    else:
        assert result > d
        assert is_workday(cal, result)
        assert workdays_between(cal, d, result - ONE) == n - 1


@given(calendars(), mid_dates, st.integers(min_value=1, max_value=120))
def test_before_is_latest_date_with_n_workdays(cal: Calendar, d: date, n: int) -> None:
    x = before(cal, d, n)
    assert x < d
    assert is_workday(cal, x)
    assert workdays_from_to(cal, x, d) >= n
    assert workdays_from_to(cal, x + ONE, d) < n
    assert add_workdays(cal, x, n - 1) < d <= add_workdays(cal, x, n)


@given(
    calendars(),
    mid_dates,
    st.integers(min_value=1, max_value=120),
    st.integers(min_value=-60, max_value=60),
)
def test_before_is_exact_deadline(cal: Calendar, d: date, n: int, offset: int) -> None:
    # Submitting on s is on time iff s is no later than the deadline.
    s = d + timedelta(days=offset) - timedelta(days=n)
    assert (workdays_from_to(cal, s, d) >= n) == (s <= before(cal, d, n))


@given(calendars(), mid_dates, st.integers(min_value=-40, max_value=365))
def test_counts_match_oracle(cal: Calendar, start: date, span: int) -> None:
    end = start + timedelta(days=span)
    expected = _oracle_from_to(cal, start, end)
    assert workdays_from_to(cal, start, end) == expected
    assert workdays_between(cal, start - ONE, end - ONE) == expected


@given(calendars(), mid_dates, st.integers(0, 180), st.integers(0, 180))
def test_workdays_between_is_additive(cal: Calendar, a: date, i: int, j: int) -> None:
    b = a + timedelta(days=i)
    c = b + timedelta(days=j)
    total = workdays_between(cal, a, c)
    assert total == workdays_between(cal, a, b) + workdays_between(cal, b, c)
    assert workdays_between(cal, a, b) <= total


@given(calendars(), mid_dates, mid_dates, counts)
def test_monotonicity(cal: Calendar, d1: date, d2: date, n: int) -> None:
    d1, d2 = min(d1, d2), max(d1, d2)
    assert add_workdays(cal, d1, n) <= add_workdays(cal, d2, n)
    assert add_workdays(cal, d1, n) < add_workdays(cal, d1, n + 1)
    assert before(cal, d1, n) <= before(cal, d2, n)
    assert before(cal, d1, n + 1) < before(cal, d1, n)
