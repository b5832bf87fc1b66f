"""Deadlines counted in working days (pure): due dates of R5.1/R8.2/R10.2 and deadline states, on the 2026 calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillcert.core import deadlines
from skillcert.core.calendar_source import calendar_for_years
from skillcert.core.deadlines import R5_1, R8_2, R10_2, RULES, due_date, state, workdays_left
from skillcert.core.workdays import UnknownYearError, workdays_between, workdays_from_to

# 2025 is loaded too so that "before" rules near New Year can count back; the dates tested are in 2026.
CAL = calendar_for_years([2025, 2026])
CAL_2026 = calendar_for_years([2026])
ONE = timedelta(days=1)

days_2026 = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 11, 30))
any_rule = st.sampled_from(sorted(RULES.values(), key=lambda r: r.code))


def test_rules_are_the_three_of_the_guideline():
    assert {code: (r.workdays, r.direction) for code, r in RULES.items()} == {
        "R5.1": (10, "before"),
        "R8.2": (5, "after"),
        "R10.2": (15, "after"),
    }
    assert deadlines.rule_for("R5.1") is R5_1
    with pytest.raises(KeyError, match=r"R9\.9"):
        deadlines.rule_for("R9.9")


# --------------------------------------------------------------------------- R5.1 on the 2026 calendar


@pytest.mark.parametrize(
    ("first_session", "latest"),
    [
        # Plain weeks: Monday 2026-03-16 → ten working days back is Monday 2026-03-02.
        (date(2026, 3, 16), date(2026, 3, 2)),
        # Spring Festival: 2026-02-15..23 off, Saturdays 02-14 and 02-28 worked. Counting back from Monday
        # 03-02: 02-28 (Sat), 27, 26, 25, 24, [23..15 off], 02-14 (Sat), 13, 12, 11, 10.
        (date(2026, 3, 2), date(2026, 2, 10)),
        # A session on the working Saturday itself: 02-27, 26, 25, 24, 14, 13, 12, 11, 10, 09.
        (date(2026, 2, 28), date(2026, 2, 9)),
        # National Day: 10-01..07 off (and 09-25 中秋), Saturday 10-10 and Sunday 09-20 worked. From Monday
        # 10-12: 10-10, 09, 08, [07..01 off], 09-30, 29, 28, [27, 26 weekend, 25 中秋], 24, 23, 22, 21.
        (date(2026, 10, 12), date(2026, 9, 21)),
        # From Thursday 10-15 the working Sunday 09-20 is not reached: 14, 13, 12, 10, 09, 08, 30, 29, 28, 24.
        (date(2026, 10, 15), date(2026, 9, 24)),
        # From Friday 10-16 the count crosses the week off: 15, 14, 13, 12, 10 (Sat), 09, 08, 09-30, 29, 28.
        (date(2026, 10, 16), date(2026, 9, 28)),
    ],
)
def test_r5_1_latest_registration_day(first_session, latest):
    assert due_date(R5_1, first_session, CAL) == latest
    assert workdays_from_to(CAL, latest, first_session) == 10
    assert workdays_from_to(CAL, latest + ONE, first_session) < 10


def test_r5_1_nine_working_days_ahead_is_late():
    # Registering on 02-11 for a 03-02 session leaves 9 working days: past the due date, so overdue/missed.
    due = due_date(R5_1, date(2026, 3, 2), CAL)
    assert workdays_from_to(CAL, date(2026, 2, 11), date(2026, 3, 2)) == 9
    assert state(due, date(2026, 2, 11), None, CAL) == "overdue"
    assert state(due, date(2026, 2, 11), date(2026, 2, 11), CAL) == "missed"
    assert state(due, date(2026, 2, 11), date(2026, 2, 10), CAL) == "met"


def test_after_rules_over_the_holidays():
    # R10.2: returned on 09-30, the 15th working day after it, skipping the National Day week, is 10-27.
    assert due_date(R10_2, date(2026, 9, 30), CAL) == date(2026, 10, 27)
    # R8.2: publicity from Friday 02-13; five working days are 02-14 (Sat), 24, 25, 26, 27.
    assert due_date(R8_2, date(2026, 2, 13), CAL) == date(2026, 2, 27)


def test_2027_has_no_calendar_and_is_refused():
    with pytest.raises(UnknownYearError) as err:
        due_date(R5_1, date(2027, 1, 18), CAL)
    assert err.value.year == 2027
    assert "2027年" in str(err.value)
    with pytest.raises(UnknownYearError):
        due_date(R10_2, date(2026, 12, 20), CAL)  # fifteen working days run into January 2027
    # Counting back from early 2026 needs 2025: with only 2026 loaded that is refused, never guessed.
    with pytest.raises(UnknownYearError) as err:
        due_date(R5_1, date(2026, 1, 9), CAL_2026)
    assert err.value.year == 2025


def test_state_near_the_due_day():
    due = date(2026, 2, 27)  # Friday
    assert state(due, date(2026, 2, 27), None, CAL) == "due_soon"  # due today: 0 left
    assert state(due, date(2026, 2, 25), None, CAL) == "due_soon"  # 26 and 27 left
    assert state(due, date(2026, 2, 24), None, CAL) == "open"  # 25, 26, 27 left
    # The week off does not count: from 02-13 only 02-14 (Sat), 24, 25, 26, 27 remain → open; from 02-23, 3.
    assert workdays_left(due, date(2026, 2, 13), CAL) == 5
    assert state(due, date(2026, 2, 20), None, CAL) == "open"
    assert state(due, date(2026, 2, 28), None, CAL) == "overdue"


# --------------------------------------------------------------------------- properties


@given(rule=any_rule, start=days_2026)
def test_due_date_counts_exactly_the_rule_s_working_days(rule, start):
    due = due_date(rule, start, CAL)
    assert CAL.is_workday(due)
    if rule.direction == "before":
        assert due < start
        assert workdays_from_to(CAL, due, start) == rule.workdays
        assert workdays_from_to(CAL, due + ONE, start) == rule.workdays - 1
    else:
        assert due > start
        assert workdays_between(CAL, start, due) == rule.workdays
        assert workdays_between(CAL, start, due - ONE) == rule.workdays - 1


@given(rule=any_rule, start=days_2026, later=st.integers(1, 40))
def test_a_later_start_never_moves_the_due_date_earlier(rule, start, later):
    moved = min(start + timedelta(days=later), date(2026, 11, 30))
    assert due_date(rule, start, CAL) <= due_date(rule, moved, CAL)


@given(rule=any_rule, start=days_2026, today=days_2026, done=st.none() | days_2026)
def test_state_agrees_with_the_due_date(rule, start, today, done):
    due = due_date(rule, start, CAL)
    s = state(due, today, done, CAL)
    if done is not None:
        assert s == ("met" if done <= due else "missed")
    elif today > due:
        assert s == "overdue"
    else:
        assert s in ("open", "due_soon")
        assert (s == "due_soon") == (workdays_between(CAL, today, due) <= deadlines.SOON_WORKDAYS)


@given(rule=any_rule, start=days_2026, today=days_2026, step=st.integers(1, 30))
def test_state_only_moves_forward_as_days_pass(rule, start, today, step):
    order = {"open": 0, "due_soon": 1, "overdue": 2}
    due = due_date(rule, start, CAL)
    assert order[state(due, today, None, CAL)] <= order[state(due, today + timedelta(days=step), None, CAL)]


@given(rule=any_rule, start=days_2026)
def test_due_soon_starts_two_working_days_ahead(rule, start):
    due = due_date(rule, start, CAL)
    # Three working days before the due day (and any day off after it) is still open; the next working
    # day, with two working days left, is due soon.
    three_before = deadlines.workdays.before(CAL, due, 3)
    next_workday = deadlines.workdays.add_workdays(CAL, three_before, 1)
    assert state(due, three_before, None, CAL) == "open"
    assert state(due, next_workday - ONE, None, CAL) == "open"
    assert state(due, next_workday, None, CAL) == "due_soon"
