"""Reads of exam-day records (R7): who may see and record them, the hub's status, the check-in search."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from skillcert.core import access, crypto, idcard
from skillcert.core.access import AnyUser
from skillcert.core.models import Person
from skillcert.enrollment.models import ApplicationStatus
from skillcert.filings.models import Site
from skillcert.logistics import selectors
from skillcert.logistics.examday_models import (
    SITE_CHECKS,
    Check,
    CheckKind,
    MaterialKind,
    MaterialSeal,
    Ruling,
    SupervisionReport,
    Violation,
)
from skillcert.logistics.models import Attendance, ExamSession, Room, Seat, Ticket
from skillcert.logistics.services.examday import REQUIRED_SEALS, room_check_kinds
from skillcert.rounds.models import Round

# --- access --------------------------------------------------------------------------------------


def can_read_exam_day(*, user: AnyUser, round: Round) -> bool:
    """Recorders of the enterprise, and authority staff whose jurisdiction covers it (read only)."""
    return selectors.can_record_exam_day(user=user, round=round) or access.is_authority_staff(user)


def access_exam_day_round_read(*, user: AnyUser, pk: object) -> Round:
    rnd = access.get_or_404(selectors.logistics_round_list(user=user), pk)
    if not can_read_exam_day(user=user, round=rnd):
        raise Http404
    return rnd


def access_exam_day_session_read(*, user: AnyUser, pk: object, for_write: bool = False) -> ExamSession:
    session = access.get_or_404(selectors.session_list(user=user).select_related("round__enterprise"), pk)
    allowed = (
        selectors.can_record_exam_day(user=user, round=session.round)
        if for_write
        else can_read_exam_day(user=user, round=session.round)
    )
    if not allowed:
        raise Http404
    return session


def rooms_of_session(*, session: ExamSession) -> QuerySet[Room]:
    """The rooms the session uses: those with a seated candidate."""
    ids = selectors.live_seats(session=session).values_list("room_id", flat=True)
    return Room.objects.filter(pk__in=ids).select_related("site").order_by("name", "pk")


def access_session_room(*, session: ExamSession, pk: object) -> Room:
    return access.get_or_404(rooms_of_session(session=session), pk)


def site_of_round(*, round: Round, pk: object) -> Site:
    return access.get_or_404(Site.objects.filter(enterprise_id=round.enterprise_id), pk)


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


def access_violation(*, user: AnyUser, pk: object, for_write: bool = False) -> Violation:
    qs = Violation.objects.filter(session__in=selectors.session_list(user=user)).select_related(
        "session__round", "session__site", "room", "seat", "application", "reported_by", "ruled_by"
    )
    violation = access.get_or_404(qs, pk)
    rnd = violation.session.round
    ok = (
        selectors.can_record_exam_day(user=user, round=rnd)
        if for_write
        else can_read_exam_day(user=user, round=rnd)
    )
    if not ok:
        raise Http404
    return violation


def access_check(*, user: AnyUser, pk: object) -> Check:
    qs = Check.objects.filter(round__in=selectors.logistics_round_list(user=user)).select_related("round")
    check = access.get_or_404(qs, pk)
    if not can_read_exam_day(user=user, round=check.round):
        raise Http404
    return check


def access_report(*, user: AnyUser, pk: object) -> SupervisionReport:
    qs = SupervisionReport.objects.filter(round__in=selectors.logistics_round_list(user=user)).select_related(
        "round__enterprise", "site", "author"
    )
    report = access.get_or_404(qs, pk)
    if not can_read_exam_day(user=user, round=report.round):
        raise Http404
    return report


def access_seat_for_photo(*, user: AnyUser, pk: object) -> Seat:
    """A seat whose candidate photo a recorder may see at check-in (staff only, never authorities)."""
    qs = Seat.objects.filter(session__in=selectors.session_list(user=user)).select_related(
        "session__round", "application__person"
    )
    seat = access.get_or_404(qs, pk)
    if not selectors.can_record_exam_day(user=user, round=seat.session.round):
        raise Http404
    return seat


def seat_of_round(*, session: ExamSession, pk: object) -> Seat:
    """A seat of the session's round; the check-in service refuses another room or session with where to go."""
    qs = Seat.objects.filter(session__round_id=session.round_id).select_related(
        "application", "room", "session"
    )
    return access.get_or_404(qs, pk)


# --- the check-in search -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    """What a search at the check-in desk found: the seat here, a seat elsewhere, or nothing."""

    seat: Seat | None = None
    here: bool = False
    message: str = ""


def _candidate_seats(session: ExamSession, query: str) -> QuerySet[Seat]:
    seats = Seat.objects.filter(
        session__round_id=session.round_id, application__status=ApplicationStatus.APPROVED
    ).select_related("room", "session", "application__person", "checked_in_by")
    ticket = Ticket.objects.filter(round_id=session.round_id, number__iexact=query).first()
    if ticket is not None:
        return seats.filter(application_id=ticket.application_id)
    if idcard.is_valid(query):
        index = crypto.blind_index(idcard.parse(query).number, purpose="id_number")
        person = Person.objects.filter(id_number_index=index).first()
        if person is not None:
            return seats.filter(application__person=person)
    return seats.none()


def seat_lookup(*, session: ExamSession, room: Room, query: str) -> Lookup:
    """Find a candidate by admission-ticket number or ID number (through the blind index, S13)."""
    query = query.strip().upper()
    if not query:
        return Lookup()
    found = list(_candidate_seats(session, query))
    if not found:
        return Lookup(message=_("未找到准考证号或身份证号为“%(q)s”的本批次考生，请核对证件。") % {"q": query})
    mine = next((s for s in found if s.session_id == session.pk), None)
    if mine is None:
        where = "；".join(f"{s.session} {s.room.name} {s.number:02d}号" for s in found)
        return Lookup(
            seat=found[0],
            message=_("%(n)s不参加本场次考试。其考试安排：%(w)s。")
            % {"n": found[0].application.name, "w": where},
        )
    if mine.room_id != room.pk:
        return Lookup(
            seat=mine,
            message=_("%(n)s不在本考场，请到%(r)s %(s)02d号座位。")
            % {"n": mine.application.name, "r": mine.room.name, "s": mine.number},
        )
    return Lookup(seat=mine, here=True)


def room_seats(*, session: ExamSession, room: Room) -> list[Seat]:
    return list(
        selectors.live_seats(session=session)
        .filter(room=room)
        .select_related("application__person", "checked_in_by")
        .order_by("number")
    )


# --- the hub -------------------------------------------------------------------------------------


@dataclass
class RoomStatus:
    room: Room
    seated: int = 0
    present: int = 0
    absent: int = 0
    pending_rulings: int = 0
    checks_done: bool = False
    checks_needed: int = 0
    sealed: list[str] = field(default_factory=list)
    all_sealed: bool = False

    @property
    def pending(self) -> int:
        return self.seated - self.present - self.absent


@dataclass
class SessionStatus:
    session: ExamSession
    rooms: list[RoomStatus]


@dataclass
class SiteDay:
    site: Site
    day: date
    sessions: list[SessionStatus]
    checks_done: list[str]
    checks_missing: list[str]
    report: SupervisionReport | None

    @property
    def checks_total(self) -> int:
        return len(self.checks_done) + len(self.checks_missing)


@dataclass
class Day:
    day: date
    sites: list[SiteDay]


def _latest_ok(checks: list[Check]) -> dict[tuple[object, ...], bool]:
    """The latest check of each kind (at a site/day, or a room/session) decides whether it passed."""
    latest: dict[tuple[object, ...], bool] = {}
    for c in sorted(checks, key=lambda c: (c.checked_at, c.pk)):
        key = (c.kind, c.site_id, c.day, c.session_id, c.room_id)
        latest[key] = c.ok
    return latest


def exam_day_hub(*, round: Round) -> list[Day]:
    """Per day → site → session → room, with the counts a site head watches on the day."""
    sessions = list(
        ExamSession.objects.filter(round=round)
        .select_related("site")
        .order_by("day", "site__name", "starts", "pk")
    )
    seats = (
        Seat.objects.filter(session__round=round, application__status=ApplicationStatus.APPROVED)
        .select_related("room")
        .only("session_id", "room_id", "attendance", "room__name", "room__site_id")
    )
    per_room: dict[tuple[int, int], RoomStatus] = {}
    for seat in seats:
        st = per_room.setdefault((seat.session_id, seat.room_id), RoomStatus(room=seat.room))
        st.seated += 1
        st.present += seat.attendance == Attendance.PRESENT
        st.absent += seat.attendance == Attendance.ABSENT
    pending = Counter(
        Violation.objects.filter(session__round=round, ruling=Ruling.PENDING).values_list(
            "session_id", "room_id"
        )
    )
    sealed: dict[tuple[int, int], list[str]] = defaultdict(list)
    for sid, rid, kind in MaterialSeal.objects.filter(session__round=round).values_list(
        "session_id", "room_id", "kind"
    ):
        sealed[(sid, rid)].append(kind)
    latest = _latest_ok(list(Check.objects.filter(round=round)))
    reports = {(r.site_id, r.day): r for r in SupervisionReport.objects.filter(round=round)}

    days: dict[date, dict[int, SiteDay]] = {}
    for session in sessions:
        rooms = sorted(
            (st for (sid, _rid), st in per_room.items() if sid == session.pk), key=lambda st: st.room.name
        )
        kinds = room_check_kinds(session)
        for st in rooms:
            st.pending_rulings = pending.get((session.pk, st.room.pk), 0)
            kinds_sealed = sealed.get((session.pk, st.room.pk), [])
            st.sealed = [str(MaterialKind(k).label) for k in MaterialKind.values if k in kinds_sealed]
            st.all_sealed = all(k in kinds_sealed for k in REQUIRED_SEALS)
            st.checks_needed = len(kinds)
            st.checks_done = all(
                latest.get((k, session.site_id, session.day, session.pk, st.room.pk)) for k in kinds
            )
        sites = days.setdefault(session.day, {})
        if session.site_id not in sites:
            done = [
                str(CheckKind(k).label)
                for k in SITE_CHECKS
                if latest.get((k, session.site_id, session.day, None, None))
            ]
            missing = [str(CheckKind(k).label) for k in SITE_CHECKS if str(CheckKind(k).label) not in done]
            sites[session.site_id] = SiteDay(
                site=session.site,
                day=session.day,
                sessions=[],
                checks_done=done,
                checks_missing=missing,
                report=reports.get((session.site_id, session.day)),
            )
        sites[session.site_id].sessions.append(SessionStatus(session=session, rooms=rooms))
    return [Day(day=d, sites=list(s.values())) for d, s in sorted(days.items())]


def site_day_sessions(*, round: Round, site: Site, day: date) -> list[ExamSession]:
    return list(ExamSession.objects.filter(round=round, site=site, day=day).order_by("starts", "pk"))


def checks_at(*, round: Round, site: Site, day: date) -> list[Check]:
    return list(
        Check.objects.filter(round=round, site=site, day=day)
        .select_related("checked_by", "room", "session")
        .order_by("-checked_at", "-pk")
    )
