"""Writes of seating: candidates of a session into fitting rooms with seat numbers (issue 6, R6.1).

`seating_assign` replaces one session's seats; `seating_assign_round` runs it for every session of a
round, and `seating_round_task` does that in the background with a progress bar (house rule 10).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from uuid import UUID

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_tasks import task

from skillcert.catalog.models import ModuleKind
from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.core.services import jobs
from skillcert.enrollment.models import ApplicationStatus
from skillcert.logistics import selectors
from skillcert.logistics.models import Attendance, ExamSession, Seat
from skillcert.logistics.seating import SeatCandidate, SeatRoom, assign_seats
from skillcert.logistics.selectors_schedule import session_candidates, session_rooms
from skillcert.rounds.models import Round

__all__ = [
    "SeatingOutcome",
    "seating_assign",
    "seating_assign_round",
    "seating_job_kind",
    "seating_round_task",
]

logger = logging.getLogger(__name__)


@dataclass
class SeatingOutcome:
    session_id: int
    placed: int = 0
    rooms: int = 0
    unseated: list[tuple[str, str]] = field(default_factory=list)  # (candidate name, reason)
    refused: str = ""


def _require_reseatable(session: ExamSession) -> None:
    if session.finished_at is not None:
        raise RuleViolation("R7.2", _("该场次已结束，座位不能重新编排。"))
    checked = session.seats.exclude(attendance=Attendance.PENDING).count()
    if checked:
        raise RuleViolation(
            "R7.2",
            _(
                "该场次已有%(n)s名考生签到或记为缺考，重新编排会打乱考场记录，不能重排；"
                "如需调整个别考生，请在考场记录中说明。"
            )
            % {"n": checked},
        )


def seating_assign(*, actor: User, session: ExamSession) -> SeatingOutcome:
    """Replace the session's seats with a fresh assignment of its approved candidates."""
    with transaction.atomic():
        session = (
            ExamSession.objects.select_for_update(of=("self",))
            .select_related("round", "site")
            .get(pk=session.pk)
        )
        _require_reseatable(session)
        apps = list(session_candidates(session=session).order_by("pk"))
        # A room holds one session at a time: rooms seated by another session at the site that overlaps
        # this one in time are not available (R6.1, capacity).
        busy = (
            Seat.objects.filter(
                session__site_id=session.site_id,
                session__day=session.day,
                session__starts__lt=session.ends,
                session__ends__gt=session.starts,
                application__status=ApplicationStatus.APPROVED,
            )
            .exclude(session_id=session.pk)
            .values_list("room_id", flat=True)
        )
        rooms = list(session_rooms(session=session).exclude(pk__in=busy))
        labels = {o.pk: str(o) for o in session.offerings.select_related("occupation", "job_type")}
        result = assign_seats(
            rooms=[
                SeatRoom(
                    room_id=r.pk,
                    name=r.name,
                    capacity=r.capacity,
                    occupation_ids=frozenset(o.pk for o in r.occupations.all()),
                    job_type_ids=frozenset(j.pk for j in r.job_types.all()),
                )
                for r in rooms
            ],
            candidates=[
                SeatCandidate(
                    application_id=a.pk,
                    offering_id=a.offering_id,
                    occupation_id=a.offering.occupation_id,
                    job_type_id=a.offering.job_type_id,
                    department_id=a.employee.department_id if a.employee else None,
                )
                for a in apps
            ],
            one_offering_per_room=session.module in (ModuleKind.PRACTICAL, ModuleKind.REVIEW),
            offering_labels=labels,
        )
        released = session.seats.all().delete()[0]
        Seat.objects.bulk_create(
            [
                Seat(session=session, application_id=p.application_id, room_id=p.room_id, number=p.number)
                for p in result.placed
            ]
        )
        names = {a.pk: a.name for a in apps}
        outcome = SeatingOutcome(
            session_id=session.pk,
            placed=len(result.placed),
            rooms=len({p.room_id for p in result.placed}),
            unseated=[(names[u.application_id], u.reason) for u in result.unseated],
        )
        audit.record(
            actor=actor,
            action="seating.assign",
            obj=session,
            organisation_id=session.round.enterprise_id,
            summary={
                "session": str(session),
                "placed": outcome.placed,
                "rooms": outcome.rooms,
                "unseated": len(result.unseated),
                "released": released,
            },
        )
    return outcome


def seating_assign_round(*, actor: User, round: Round, job_id: UUID | None = None) -> list[SeatingOutcome]:
    """Seat every session of the round; a session with check-ins is left as it is and says why."""
    sessions = list(ExamSession.objects.filter(round=round).order_by("day", "starts", "pk"))
    if job_id is not None:
        jobs.job_start(job_id=job_id, total=len(sessions))
    outcomes: list[SeatingOutcome] = []
    for session in sessions:
        try:
            outcomes.append(seating_assign(actor=actor, session=session))
        except RuleViolation as exc:
            outcomes.append(SeatingOutcome(session_id=session.pk, refused=str(exc)))
        if job_id is not None:
            jobs.job_advance(job_id=job_id, message=_("已编排：%(s)s") % {"s": session})
    return outcomes


def seating_job_kind(round: Round) -> str:
    return f"logistics.seating:{round.pk}"


@task()
def seating_round_task(job_id: str, round_id: int, user_id: int) -> dict[str, int]:
    """The round-wide seating run as a task; access is checked again as the requesting user."""
    job_key = UUID(str(job_id))
    try:
        user = User.objects.select_related("organisation").filter(pk=user_id, is_active=True).first()
        if user is None:
            raise Http404
        rnd = selectors.access_logistics_round(user=user, pk=round_id, for_write=True)
        outcomes = seating_assign_round(actor=user, round=rnd, job_id=job_key)
        placed = sum(o.placed for o in outcomes)
        unseated = sum(len(o.unseated) for o in outcomes)
        refused = sum(1 for o in outcomes if o.refused)
        message = _("座位编排完成：%(n)s个场次，安排座位%(p)s个。") % {"n": len(outcomes), "p": placed}
        if unseated:
            message += _("有%(u)s人次未能安排，请到各场次查看原因。") % {"u": unseated}
        if refused:
            message += _("%(r)s个场次已有签到记录，未重排。") % {"r": refused}
        jobs.job_finish(
            job_id=job_key,
            result={
                "sessions": len(outcomes),
                "placed": placed,
                "unseated": unseated,
                "refused": refused,
                "round_id": rnd.pk,
                "details": [
                    {"session": o.session_id, "refused": o.refused, "unseated": o.unseated[:50]}
                    for o in outcomes
                    if o.refused or o.unseated
                ],
            },
            message=message,
        )
        return {"placed": placed, "unseated": unseated}
    except Http404:
        jobs.job_fail(job_id=job_key, message=_("该批次不存在，或您无权编排其座位。"))
        return {"placed": 0, "unseated": 0}
    except Exception:
        logger.exception("seating run %s failed", job_key)
        jobs.job_fail(job_id=job_key, message=_("座位编排失败，请稍后重试；仍失败请联系管理员。"))
        raise
