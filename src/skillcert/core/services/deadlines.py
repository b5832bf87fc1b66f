"""Writes of deadlines counted in working days: open, close, and the daily scan that raises notices (issue 5)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.core import audit, deadlines
from skillcert.core import calendar as work_calendar
from skillcert.core.deadlines import Rule
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Deadline, DeadlineState, NotificationKind, Organisation, User
from skillcert.core.services.notify import admins_of, notify
from skillcert.core.workdays import Calendar, UnknownYearError

__all__ = ["ScanCounts", "deadline_close", "deadline_for", "deadline_open", "deadline_scan"]

# The rule whose data an unknown calendar year is missing: R5.3, working days follow the official calendar.
CALENDAR_RULE = "R5.3"
_SYSTEM = "system"


@dataclass(frozen=True)
class ScanCounts:
    """What one scan did: deadlines looked at, notices raised, deadlines skipped for want of calendar data."""

    checked: int = 0
    soon: int = 0
    passed: int = 0
    unknown_year: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _subject_key(subject: models.Model) -> tuple[str, str]:
    return subject._meta.label_lower, str(subject.pk)


def _calendar() -> Calendar:
    return work_calendar.load_calendar()


def _subject_url(subject: models.Model) -> str:
    get_url = getattr(subject, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else ""


def deadline_for(*, rule: Rule, subject: models.Model) -> Deadline | None:
    """The deadline of ``rule`` for ``subject``, if one was opened (for services of later stages)."""
    object_type, object_id = _subject_key(subject)
    return Deadline.objects.filter(rule=rule.code, object_type=object_type, object_id=object_id).first()


def deadline_open(
    *,
    rule: Rule,
    subject: models.Model,
    organisation: Organisation,
    start: date,
    today: date,
    title: str = "",
    url: str = "",
    actor: User | None = None,
) -> Deadline:
    """Open (or re-open with a new start) the deadline of ``rule`` for ``subject``, owed by ``organisation``.

    The due date is counted with the stored working-day calendar. A span that reaches a year without
    calendar data is refused with the calendar's message (R5.3), never guessed. Opening again with a
    different start (a date moved) recomputes the due date, clears ``done_on`` and lets the notices be
    raised again; opening again with the same start changes nothing.
    """
    object_type, object_id = _subject_key(subject)
    try:
        cal = _calendar()
        due = deadlines.due_date(rule, start, cal)
        current = deadlines.state(due, today, None, cal)
    except UnknownYearError as exc:
        raise RuleViolation(CALENDAR_RULE, str(exc)) from exc
    title = title or str(subject)
    url = url or _subject_url(subject)
    with transaction.atomic():
        deadline, created = Deadline.objects.select_for_update().get_or_create(
            rule=rule.code,
            object_type=object_type,
            object_id=object_id,
            defaults={
                "organisation": organisation,
                "title": title[:200],
                "url": url[:300],
                "start": start,
                "due": due,
                "state": current,
            },
        )
        if created:
            action = "deadline.open"
        elif deadline.start == start and deadline.due == due and deadline.organisation_id == organisation.pk:
            return deadline
        else:
            action = "deadline.reopen"
            previous = deadline.due
            deadline.organisation = organisation
            deadline.title, deadline.url = title[:200], url[:300]
            deadline.start, deadline.due, deadline.done_on, deadline.state = start, due, None, current
            deadline.soon_notified_at = deadline.passed_notified_at = None
            deadline.save(
                update_fields=[
                    "organisation",
                    "title",
                    "url",
                    "start",
                    "due",
                    "done_on",
                    "state",
                    "soon_notified_at",
                    "passed_notified_at",
                ]
            )
        summary = {"rule": rule.code, "start": start.isoformat(), "due": due.isoformat(), "title": title}
        if action == "deadline.reopen":
            summary["previous_due"] = previous.isoformat()
        audit.record(
            actor=actor,
            action=action,
            obj=deadline,
            organisation_id=organisation.pk,
            summary=summary,
            actor_name="" if actor else _SYSTEM,
        )
    return deadline


def deadline_close(*, deadline: Deadline, done_on: date, actor: User | None = None) -> Deadline:
    """Record that the duty was done on ``done_on``: the deadline is met or missed and raises no more notices.

    Closing an already closed deadline again with the same day changes nothing.
    """
    with transaction.atomic():
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.done_on == done_on:
            return deadline
        deadline.done_on = done_on
        deadline.state = DeadlineState.MET if done_on <= deadline.due else DeadlineState.MISSED
        deadline.save(update_fields=["done_on", "state"])
        audit.record(
            actor=actor,
            action="deadline.close",
            obj=deadline,
            organisation_id=deadline.organisation_id,
            summary={"rule": deadline.rule, "due": deadline.due.isoformat(), "done_on": done_on.isoformat()},
            actor_name="" if actor else _SYSTEM,
        )
    return deadline


def _notice(deadline: Deadline, kind: NotificationKind, left: int) -> tuple[str, str]:
    rule = deadlines.RULES.get(deadline.rule)
    what = rule.label_zh if rule else deadline.rule
    values: dict[str, object] = {
        "title": deadline.title,
        "due": deadline.due.isoformat(),
        "rule": what,
        "code": deadline.rule,
    }
    if kind == NotificationKind.DEADLINE_PASSED:
        return (
            _("已逾期：%(title)s（截止 %(due)s）") % values,
            _("%(title)s 已超过截止日 %(due)s 仍未完成。依据：%(rule)s（%(code)s）。") % values,
        )
    values["left"] = left
    return (
        _("即将到期：%(title)s（截止 %(due)s）") % values,
        _("%(title)s 将于 %(due)s 到期，还剩 %(left)s 个工作日。依据：%(rule)s（%(code)s）。") % values,
    )


def deadline_scan(*, today: date) -> ScanCounts:
    """The daily job: refresh the state of every open deadline and notify the owing organisation's admins.

    Each deadline raises "due soon" (at most 2 working days left) once and "passed" once; a deadline that
    is already past when first scanned raises only "passed". Running it twice on a day raises nothing new.
    Deadlines whose span lacks calendar data are counted in ``unknown_year`` and left alone.
    """
    cal = _calendar()
    checked = soon = passed = unknown = 0
    pending = Deadline.objects.filter(done_on__isnull=True).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            deadline = (
                Deadline.objects.select_for_update().select_related("organisation").filter(pk=pk).first()
            )
            if deadline is None or deadline.done_on is not None:
                continue
            checked += 1
            try:
                current = deadlines.state(deadline.due, today, None, cal)
                left = deadlines.workdays_left(deadline.due, today, cal)
            except UnknownYearError:
                unknown += 1
                continue
            now = timezone.now()
            update = ["state"] if deadline.state != current else []
            deadline.state = current
            kind: NotificationKind | None = None
            if current == "overdue" and deadline.passed_notified_at is None:
                kind, deadline.passed_notified_at = NotificationKind.DEADLINE_PASSED, now
                update.append("passed_notified_at")
                passed += 1
            elif current == "due_soon" and deadline.soon_notified_at is None:
                kind, deadline.soon_notified_at = NotificationKind.DEADLINE_SOON, now
                update.append("soon_notified_at")
                soon += 1
            if update:
                deadline.save(update_fields=update)
            if kind is not None:
                title, body = _notice(deadline, kind, left)
                notify(
                    recipients=admins_of(deadline.organisation),
                    kind=kind,
                    title=title,
                    body=body,
                    url=deadline.url,
                    organisation=deadline.organisation,
                )
    counts = ScanCounts(checked=checked, soon=soon, passed=passed, unknown_year=unknown)
    if soon or passed:
        audit.record(
            actor=None,
            action="deadline.scan",
            summary={"date": today.isoformat(), **counts.as_dict()},
            actor_name=_SYSTEM,
        )
    return counts
