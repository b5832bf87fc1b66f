"""Reads for sessions, seating and tickets that the pages and services share (issue 6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.models.accounts import Role
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.filings.models import Site
from skillcert.logistics.models import Attendance, ExamSession, Room, Seat, Ticket
from skillcert.logistics.selectors import candidates_of_round, rooms_of_round
from skillcert.rounds.models import Round


def sessions_of_round(*, round: Round) -> QuerySet[ExamSession]:
    """The round's sessions in time order, with their offerings and live seat counts."""
    return (
        ExamSession.objects.filter(round=round)
        .select_related("site")
        .prefetch_related("offerings", "offerings__occupation", "offerings__job_type")
        .annotate(
            seated=Count(
                "seats", filter=Q(seats__application__status=ApplicationStatus.APPROVED), distinct=True
            ),
            checked=Count("seats", filter=~Q(seats__attendance=Attendance.PENDING), distinct=True),
        )
        .order_by("day", "starts", "site__name", "pk")
    )


def session_candidates(*, session: ExamSession) -> QuerySet[Application]:
    """The approved candidates of the session's offerings: who should have a seat in it."""
    return candidates_of_round(round=session.round).filter(offering__in=session.offerings.all())


def unseated_candidates(*, session: ExamSession) -> QuerySet[Application]:
    return session_candidates(session=session).exclude(seats__session=session).order_by("name", "pk")


def session_rooms(*, session: ExamSession) -> QuerySet[Room]:
    """Active rooms of the session's site whose kind fits its module (R6.1)."""
    return (
        rooms_of_round(round=session.round)
        .filter(site_id=session.site_id, kind__in=session.room_kinds())
        .prefetch_related("occupations", "job_types")
        .order_by("name", "pk")
    )


@dataclass
class RoomSeats:
    room: Room
    seats: list[Seat] = field(default_factory=list)


def seats_by_room(*, session: ExamSession) -> list[RoomSeats]:
    """The door lists of a session: each room with its seats, in seat order."""
    seats = (
        Seat.objects.filter(session=session, application__status=ApplicationStatus.APPROVED)
        .select_related(
            "room",
            "application",
            "application__person",
            "application__offering",
            "application__offering__occupation",
            "application__offering__job_type",
        )
        .order_by("room__name", "room_id", "number")
    )
    rooms: dict[int, RoomSeats] = {}
    for seat in seats:
        rooms.setdefault(seat.room_id, RoomSeats(seat.room)).seats.append(seat)
    return list(rooms.values())


@dataclass(frozen=True)
class Missing:
    """An approved candidate without a seat in a session of their offering (or without any session)."""

    application: Application
    session: ExamSession | None


def ticket_problems(*, round: Round) -> list[Missing]:
    """Who cannot get a ticket yet: every approved candidate must be seated in every session of their offering."""
    sessions = list(
        ExamSession.objects.filter(round=round)
        .select_related("site")
        .prefetch_related("offerings")
        .order_by("day", "starts", "pk")
    )
    by_offering: dict[int, list[ExamSession]] = {}
    for s in sessions:
        for o in s.offerings.all():
            by_offering.setdefault(o.pk, []).append(s)
    seated = set(
        Seat.objects.filter(session__round=round, application__status=ApplicationStatus.APPROVED).values_list(
            "application_id", "session_id"
        )
    )
    missing: list[Missing] = []
    for app in candidates_of_round(round=round).order_by("offering_id", "name", "pk"):
        mine = by_offering.get(app.offering_id, [])
        if not mine:
            missing.append(Missing(app, None))
        missing.extend(Missing(app, s) for s in mine if (app.pk, s.pk) not in seated)
    return missing


def round_counts(*, round: Round) -> dict[str, int]:
    """The figures of the round hub."""
    return {
        "sites": rooms_of_round(round=round).values("site_id").distinct().count(),
        "rooms": rooms_of_round(round=round).count(),
        "sessions": ExamSession.objects.filter(round=round).count(),
        "candidates": candidates_of_round(round=round).count(),
        "seated": Seat.objects.filter(session__round=round, application__status=ApplicationStatus.APPROVED)
        .values("application_id")
        .distinct()
        .count(),
        "tickets": Ticket.objects.filter(round=round, application__status=ApplicationStatus.APPROVED).count(),
    }


def round_list_counts(*, rounds: list[Round]) -> dict[int, dict[str, int]]:
    """The figures of the rounds list, four grouped queries for any number of rounds (no query per row)."""
    ids = [r.pk for r in rounds]

    def per_round(qs: QuerySet[Any], field: str = "pk") -> dict[int, int]:
        rows = qs.values("round_key").annotate(n=Count(field, distinct=True)).values_list("round_key", "n")
        return dict(rows)

    approved = ApplicationStatus.APPROVED
    candidates = per_round(
        Application.objects.filter(round_id__in=ids, status=approved).annotate(round_key=F("round_id"))
    )
    sessions = per_round(ExamSession.objects.filter(round_id__in=ids).annotate(round_key=F("round_id")))
    seated = per_round(
        Seat.objects.filter(session__round_id__in=ids, application__status=approved).annotate(
            round_key=F("session__round_id")
        ),
        "application_id",
    )
    tickets = per_round(
        Ticket.objects.filter(round_id__in=ids, application__status=approved).annotate(
            round_key=F("round_id")
        )
    )
    return {
        pk: {
            "candidates": candidates.get(pk, 0),
            "sessions": sessions.get(pk, 0),
            "seated": seated.get(pk, 0),
            "tickets": tickets.get(pk, 0),
        }
        for pk in ids
    }


def tickets_of_round(*, round: Round) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(round=round, application__status=ApplicationStatus.APPROVED)
        .select_related(
            "application",
            "application__person",
            "application__offering",
            "application__offering__occupation",
            "application__offering__job_type",
        )
        .prefetch_related(
            Prefetch(
                "application__seats",
                queryset=Seat.objects.select_related("session", "session__site", "room").order_by(
                    "session__day", "session__starts"
                ),
            )
        )
        .order_by("number")
    )


# --- sites and rooms as the rooms page sees them ---------------------------------------------------


def logistics_sites(*, user: AnyUser) -> QuerySet[Site]:
    """Sites whose rooms the user may see: enterprise staff their enterprise's, authorities their jurisdiction's."""
    u = access.as_user(user)
    qs = Site.objects.select_related("enterprise")
    if u is None or not (access.is_enterprise_staff(u) or access.is_authority_staff(u)):
        return qs.none()
    return access.scope_to_user(qs, u, enterprise_field="enterprise").order_by("enterprise__name", "name")


def can_write_rooms(*, user: AnyUser) -> bool:
    """Rooms are written by the enterprise admin and exam-affairs staff, for their own enterprise."""
    u = access.as_user(user)
    return bool(u and access.is_enterprise_staff(u) and u.has_role(Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF))


def writable_sites(*, user: AnyUser) -> QuerySet[Site]:
    u = access.as_user(user)
    if u is None or not can_write_rooms(user=u):
        return Site.objects.none()
    return Site.objects.filter(enterprise_id=u.organisation_id, is_active=True).order_by("name")
