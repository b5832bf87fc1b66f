"""Reads of rooms, sessions, seats, tickets, the staff plan and exam-day records, through the user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.models.accounts import Role
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.filings.models import Site
from skillcert.logistics.models import ExamSession, Room, Seat, StaffPlan, Ticket
from skillcert.rounds.models import Round
from skillcert.rounds.selectors import can_manage_round

# --- who may do what -------------------------------------------------------------------------------


def can_manage(*, user: AnyUser, round: Round) -> bool:
    """Rooms, sessions, seating, tickets, staffing and documents: the enterprise admin and exam-affairs staff."""
    return can_manage_round(user=user, round=round)


def _own_staff(user: AnyUser, enterprise_id: int, *roles: str) -> bool:
    u = access.as_user(user)
    return bool(
        u and access.is_enterprise_staff(u) and u.organisation_id == enterprise_id and u.has_role(*roles)
    )


def can_record_exam_day(*, user: AnyUser, round: Round) -> bool:
    """Check-in, room log, violations, checks and sealing: exam-affairs staff, assessors, supervisors, the admin."""
    return _own_staff(
        user, round.enterprise_id, Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF, Role.ASSESSOR, Role.SUPERVISOR
    )


def can_supervise(*, user: AnyUser, round: Round) -> bool:
    """Rulings on violations and the quality-supervision form: the enterprise's quality supervisors (R6.5)."""
    return _own_staff(user, round.enterprise_id, Role.SUPERVISOR)


# --- rounds as the logistics pages see them --------------------------------------------------------


def logistics_round_list(*, user: AnyUser) -> QuerySet[Round]:
    """Rounds whose logistics the user may see: enterprise staff of the round's enterprise, authorities of
    its jurisdiction (read only)."""
    u = access.as_user(user)
    qs = Round.objects.select_related("enterprise")
    if u is None or not (access.is_enterprise_staff(u) or access.is_authority_staff(u)):
        return qs.none()
    return access.scope_to_user(qs, u, enterprise_field="enterprise")


def access_logistics_round(*, user: AnyUser, pk: object, for_write: bool = False) -> Round:
    rnd = access.get_or_404(logistics_round_list(user=user), pk)
    if for_write and not can_manage(user=user, round=rnd):
        raise Http404
    return rnd


# --- rooms -----------------------------------------------------------------------------------------


def room_list(*, user: AnyUser, site: Site | None = None) -> QuerySet[Room]:
    u = access.as_user(user)
    qs = Room.objects.select_related("site", "site__enterprise")
    if u is None or not (access.is_enterprise_staff(u) or access.is_authority_staff(u)):
        return qs.none()
    qs = access.scope_to_user(qs, u, enterprise_field="site__enterprise")
    return qs.filter(site=site) if site is not None else qs


def access_room(*, user: AnyUser, pk: object, for_write: bool = False) -> Room:
    room = access.get_or_404(room_list(user=user), pk)
    if for_write and not _own_staff(user, room.site.enterprise_id, Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF):
        raise Http404
    return room


def rooms_of_round(*, round: Round) -> QuerySet[Room]:
    """Active rooms at the active sites of the round's enterprise."""
    return Room.objects.filter(
        site__enterprise_id=round.enterprise_id, site__is_active=True, is_active=True
    ).select_related("site")


# --- sessions and seats ----------------------------------------------------------------------------


def session_list(*, user: AnyUser, round: Round | None = None) -> QuerySet[ExamSession]:
    u = access.as_user(user)
    qs = ExamSession.objects.select_related("round", "site")
    if u is None or not (access.is_enterprise_staff(u) or access.is_authority_staff(u)):
        return qs.none()
    qs = access.scope_to_user(qs, u, enterprise_field="round__enterprise")
    return qs.filter(round=round) if round is not None else qs


def access_session(*, user: AnyUser, pk: object, for_write: bool = False) -> ExamSession:
    session = access.get_or_404(session_list(user=user), pk)
    if for_write and not can_manage(user=user, round=session.round):
        raise Http404
    return session


def live_seats(*, session: ExamSession) -> QuerySet[Seat]:
    """Seats of approved candidates (a withdrawn candidate's seat is freed by the signal and ignored here)."""
    return (
        session.seats.filter(application__status=ApplicationStatus.APPROVED)
        .select_related("room", "application", "application__offering", "application__offering__occupation")
        .order_by("room__name", "number")
    )


def candidates_of_round(*, round: Round) -> QuerySet[Application]:
    """The approved applications: the candidates who are seated, get tickets and are staffed for."""
    return Application.objects.filter(round=round, status=ApplicationStatus.APPROVED).select_related(
        "offering", "offering__occupation", "offering__job_type", "employee", "person"
    )


# --- tickets ---------------------------------------------------------------------------------------


def own_tickets(*, user: AnyUser) -> QuerySet[Ticket]:
    """A candidate's own admission tickets (their home page)."""
    u = access.as_user(user)
    if u is None or u.pk is None:
        return Ticket.objects.none()
    return Ticket.objects.filter(
        application__person__user_id=u.pk, application__status=ApplicationStatus.APPROVED
    ).select_related("round", "application", "application__offering")


def access_own_ticket(*, user: AnyUser, pk: object) -> Ticket:
    return access.get_or_404(own_tickets(user=user), pk)


# --- the staff plan --------------------------------------------------------------------------------


def staff_plan_of(*, round: Round) -> StaffPlan | None:
    return StaffPlan.objects.filter(round=round).first()
