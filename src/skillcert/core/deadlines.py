"""Deadlines counted in working days (R5.1, R8.2, R10.2): their rules, due dates and states, as pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from skillcert.core import workdays
from skillcert.core.workdays import Calendar

__all__ = [
    "R5_1",
    "R8_2",
    "R10_2",
    "RULES",
    "SOON_WORKDAYS",
    "Direction",
    "Rule",
    "State",
    "due_date",
    "rule_for",
    "state",
    "workdays_left",
]

Direction = Literal["before", "after"]
State = Literal["open", "due_soon", "overdue", "met", "missed"]

# A deadline is "due soon" when this many working days or fewer are left (issue 5: "in 2 working days").
SOON_WORKDAYS = 2


@dataclass(frozen=True)
class Rule:
    """A rule that counts working days from a start date.

    ``direction == "before"``: the deadline lies ``workdays`` working days before the start (R5.1: the
    start is the first session; the plan is on time when registered on or before the due date, and the
    due day itself counts as one of the working days). ``direction == "after"``: the deadline is the
    ``workdays``-th working day after the start (the start day itself is not counted).
    """

    code: str
    label_zh: str
    workdays: int
    direction: Direction


R5_1 = Rule("R5.1", "认定计划须在评价实施前至少10个工作日报备案人社部门", 10, "before")
# For R8.2 the due date is the first day the publicity may end; closing it earlier is the violation.
R8_2 = Rule("R8.2", "评价结果公示不少于5个工作日", 5, "after")
R10_2 = Rule("R10.2", "人社部门退回的数据须在15个工作日内更正并重新报送", 15, "after")

RULES: dict[str, Rule] = {r.code: r for r in (R5_1, R8_2, R10_2)}


def rule_for(code: str) -> Rule:
    """The rule with this code; KeyError names it when there is none."""
    try:
        return RULES[code]
    except KeyError:
        raise KeyError(f"no deadline rule {code!r}") from None


def due_date(rule: Rule, start: date, cal: Calendar) -> date:
    """The due date of ``rule`` counted from ``start``; UnknownYearError if the span leaves the calendar."""
    if rule.direction == "before":
        return workdays.before(cal, start, rule.workdays)
    return workdays.add_workdays(cal, start, rule.workdays)


def workdays_left(due: date, today: date, cal: Calendar) -> int:
    """Working days after ``today`` up to and including ``due`` (0 on the due day; 0 once it has passed)."""
    return workdays.workdays_between(cal, today, due)


def state(due: date, today: date, done_on: date | None, cal: Calendar) -> State:
    """Where a deadline stands on ``today``.

    Done: ``met`` when done on or before the due day, else ``missed``. Not done: ``overdue`` after the
    due day, ``due_soon`` when at most SOON_WORKDAYS working days are left (the due day included),
    else ``open``. The calendar is consulted only for the days between ``today`` and ``due``.
    """
    if done_on is not None:
        return "met" if done_on <= due else "missed"
    if today > due:
        return "overdue"
    if workdays_left(due, today, cal) <= SOON_WORKDAYS:
        return "due_soon"
    return "open"
