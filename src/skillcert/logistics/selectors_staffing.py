"""Reads for the staff plan: the database turned into a solver `Problem`, and the plan as pages show it."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db.models import QuerySet

from skillcert.catalog.models import LEVEL_HEIGHT, Level, ModuleKind
from skillcert.core.models import Employee, Person
from skillcert.enrollment.models import Application
from skillcert.filings.models import PoolMember, PoolRole, Relationship
from skillcert.filings.models import Site as SiteRow
from skillcert.logistics import solver
from skillcert.logistics.models import (
    ExamSession,
    Room,
    Seat,
    StaffAssignment,
    StaffPlan,
    StaffPlanStatus,
    StaffRole,
)
from skillcert.logistics.selectors import candidates_of_round, live_seats
from skillcert.rounds.models import Round, RoundOffering

POOL_GROUP: dict[str, str] = {
    PoolRole.EXAM_STAFF: "exam",
    PoolRole.ASSESSOR: "assessor",
    PoolRole.SUPERVISOR: "supervisor",
}
# How far back the rotation history looks; only "more than N consecutive rounds" matters.
ROTATION_LOOKBACK = 12


@dataclass
class ProblemIndex:
    """Maps the solver's plain ids back to database rows."""

    sessions: dict[int, ExamSession] = field(default_factory=dict)
    rooms: dict[int, Room] = field(default_factory=dict)
    sites: dict[int, SiteRow] = field(default_factory=dict)
    people: dict[int, Person] = field(default_factory=dict)
    applications: dict[int, Application] = field(default_factory=dict)
    units: dict[str, solver.Unit] = field(default_factory=dict)

    def unit_rows(self, key: str) -> tuple[ExamSession, Room]:
        unit = self.units[key]
        return self.sessions[unit.session_id], self.rooms[unit.room_id]


def unit_key(session_id: int, room_id: int) -> str:
    return f"{session_id}:{room_id}"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def level_short(level: int) -> str:
    """五级/初级工 → 五级: the short form used in labels like “焊工三级”."""
    return str(Level(level).label).split("/")[0]


def offering_short(offering: RoundOffering) -> str:
    name = offering.job_type.name if offering.job_type_id and offering.job_type else offering.occupation.name
    return f"{name}{level_short(offering.level)}"


def settings_of(*, round: Round) -> StaffPlan:
    """The round's staff plan, or an unsaved one with the default settings."""
    return StaffPlan.objects.filter(round=round).first() or StaffPlan(round=round)


def _unit_for(session: ExamSession, room: Room, seats: list[Seat], *, ambiguous: bool) -> solver.Unit:
    offerings = [s.application.offering for s in seats]
    by_pk = {o.pk: o for o in offerings}
    counts = Counter(o.pk for o in offerings)
    names = [offering_short(by_pk[pk]) for pk, _n in counts.most_common()]
    label = f"{room.name} {'、'.join(names)}"
    if ambiguous:
        label += f"（{session.day:%m-%d} {session.starts:%H:%M}）"
    standards = [o.standard for o in by_pk.values()]
    panel = session.module in (ModuleKind.PRACTICAL, ModuleKind.REVIEW)
    occupation_id: int | None = None
    height: int | None = None
    if panel:
        occ_counts = Counter(o.occupation_id for o in offerings)
        occupation_id = occ_counts.most_common(1)[0][0]
        # The panel must be qualified for the highest level it judges.
        height = max(LEVEL_HEIGHT[o.level] for o in offerings if o.occupation_id == occupation_id)
    panel_min = max(
        (s.review_panel_min if session.module == ModuleKind.REVIEW else s.assessor_min) for s in standards
    )
    return solver.Unit(
        key=unit_key(session.pk, room.pk),
        session_id=session.pk,
        room_id=room.pk,
        site_id=session.site_id,
        day=session.day,
        start=_minutes(session.starts),
        end=_minutes(session.ends),
        kind="panel" if panel else "proctored",
        label=label,
        candidates=tuple(s.application_id for s in seats),
        occupation_id=occupation_id,
        level_height=height,
        # The strictest standard of the room decides.
        proctor_ratio=min(s.proctor_ratio for s in standards),
        proctor_min=max(s.proctor_min for s in standards),
        assessor_ratio=min(s.assessor_ratio for s in standards),
        panel_min=panel_min,
    )


def _units(rnd: Round, index: ProblemIndex) -> list[solver.Unit]:
    sessions = (
        ExamSession.objects.filter(round=rnd)
        .select_related("site")
        .order_by("day", "starts", "site__name", "pk")
    )
    grouped: list[tuple[ExamSession, Room, list[Seat]]] = []
    for session in sessions:
        index.sessions[session.pk] = session
        index.sites[session.site_id] = session.site
        by_room: dict[int, list[Seat]] = defaultdict(list)
        rooms: dict[int, Room] = {}
        seats = live_seats(session=session).select_related(
            "application__offering__standard", "application__offering__job_type"
        )
        for seat in seats:
            by_room[seat.room_id].append(seat)
            rooms[seat.room_id] = seat.room
        for room_id in sorted(by_room, key=lambda r: (rooms[r].name, r)):
            index.rooms[room_id] = rooms[room_id]
            grouped.append((session, rooms[room_id], by_room[room_id]))
    seen = Counter(room.pk for _s, room, _seats in grouped)
    units = [_unit_for(s, room, seats, ambiguous=seen[room.pk] > 1) for s, room, seats in grouped]
    index.units = {u.key: u for u in units}
    return units


def _rotation(rnd: Round) -> dict[int, dict[int, int]]:
    """person id → occupation id → consecutive previous rounds (most recent first, with a saved staff
    plan) in which the person assessed that occupation."""
    previous = list(
        StaffPlan.objects.filter(
            round__enterprise_id=rnd.enterprise_id,
            round__evaluation_starts__lt=rnd.evaluation_starts,
            status=StaffPlanStatus.SAVED,
        )
        .exclude(round=rnd)
        .order_by("-round__evaluation_starts", "-round_id")
        .values_list("pk", flat=True)[:ROTATION_LOOKBACK]
    )
    served: dict[int, set[tuple[int, int]]] = {pk: set() for pk in previous}
    rows = StaffAssignment.objects.filter(plan_id__in=previous, role=StaffRole.ASSESSOR).values_list(
        "plan_id", "person_id", "session_id", "room_id"
    )
    wanted = {(s, r) for _p, _person, s, r in rows}
    occupations: dict[tuple[int, int], set[int]] = defaultdict(set)
    if wanted:
        seat_rows = Seat.objects.filter(session_id__in={s for s, _r in wanted}).values_list(
            "session_id", "room_id", "application__offering__occupation_id"
        )
        for s, r, occ in seat_rows:
            if (s, r) in wanted:
                occupations[(s, r)].add(occ)
        # A panel whose seats are gone still served the session's occupations.
        for s, occ in ExamSession.offerings.through.objects.filter(
            examsession_id__in={s for s, _r in wanted}
        ).values_list("examsession_id", "roundoffering__occupation_id"):
            for key in [k for k in wanted if k[0] == s and not occupations[k]]:
                occupations[key].add(occ)
    for plan_id, person_id, s, r in rows:
        for occ in occupations.get((s, r), ()):
            served[plan_id].add((person_id, occ))
    streak: dict[int, dict[int, int]] = defaultdict(dict)
    pairs = set().union(*served.values()) if served else set()
    for person_id, occ in pairs:
        n = 0
        for plan_id in previous:
            if (person_id, occ) not in served[plan_id]:
                break
            n += 1
        if n:
            streak[person_id][occ] = n
    return streak


def _staff(rnd: Round, index: ProblemIndex) -> list[solver.Staff]:
    members = (
        PoolMember.objects.filter(enterprise_id=rnd.enterprise_id, is_active=True, role__in=list(POOL_GROUP))
        .select_related("person")
        .order_by("person__name", "person_id", "pk")
    )
    by_person: dict[int, list[PoolMember]] = defaultdict(list)
    for m in members:
        by_person[m.person_id].append(m)
        index.people[m.person_id] = m.person
    departments = dict(
        Employee.objects.filter(enterprise_id=rnd.enterprise_id, person_id__in=list(by_person)).values_list(
            "person_id", "department_id"
        )
    )
    rotation = _rotation(rnd)
    staff = []
    for person_id, rows in by_person.items():
        quals = tuple(
            solver.Qualification(
                occupation_id=m.occupation_id, max_height=LEVEL_HEIGHT[m.max_level], valid_until=m.valid_until
            )
            for m in rows
            if m.role == PoolRole.ASSESSOR and m.occupation_id is not None and m.max_level is not None
        )
        home = next((m.home_site_id for m in rows if m.home_site_id is not None), None)
        staff.append(
            solver.Staff(
                person_id=person_id,
                name=rows[0].person.name,
                groups=frozenset(POOL_GROUP[m.role] for m in rows),
                department_id=departments.get(person_id),
                home_site_id=home,
                qualifications=quals,
                rotation=tuple(sorted(rotation.get(person_id, {}).items())),
            )
        )
    return staff


def build_problem(*, round: Round, settings: StaffPlan | None = None) -> tuple[solver.Problem, ProblemIndex]:
    """The round as the solver sees it: rooms in sessions with seated candidates, the staff pool, recusal.

    `settings` is the plan whose settings apply (a plan being changed, not yet saved); by default the
    round's stored plan, or the defaults."""
    index = ProblemIndex()
    units = _units(round, index)
    candidates = []
    for app in candidates_of_round(round=round):
        index.applications[app.pk] = app
        index.people.setdefault(app.person_id, app.person)
        candidates.append(
            solver.Candidate(
                application_id=app.pk,
                person_id=app.person_id,
                department_id=app.employee.department_id if app.employee else None,
            )
        )
    staff = _staff(round, index)
    relations = frozenset(
        Relationship.objects.filter(enterprise_id=round.enterprise_id).values_list(
            "person_a_id", "person_b_id"
        )
    )
    plan = settings if settings is not None else settings_of(round=round)
    problem = solver.Problem(
        staff=tuple(staff),
        units=tuple(units),
        sites=tuple(
            solver.Site(site_id=s.pk, name=s.name) for s in sorted(index.sites.values(), key=lambda s: s.pk)
        ),
        candidates=tuple(candidates),
        relations=relations,
        recuse_same_department=plan.recuse_same_department,
        rotation_rounds=plan.rotation_rounds,
        weights=solver.Weights(
            rotation=plan.weight_rotation, balance=plan.weight_balance, distance=plan.weight_distance
        ),
    )
    return problem, index


def assignment_of(row: StaffAssignment) -> solver.Assignment:
    """A stored assignment as the checker reads it."""
    return solver.Assignment(
        person_id=row.person_id,
        role=row.role,
        site_id=row.site_id,
        unit_key=unit_key(row.session_id, row.room_id)
        if row.session_id is not None and row.room_id is not None
        else None,
        day=row.day,
        is_leader=row.is_leader,
    )


def plan_assignments(*, plan: StaffPlan) -> QuerySet[StaffAssignment]:
    return plan.assignments.select_related("person", "site", "session", "room").order_by(
        "site__name",
        "site_id",
        "session__day",
        "session__starts",
        "session_id",
        "room__name",
        "role",
        "-is_leader",
        "person__name",
        "pk",
    )


def finding_dict(f: solver.Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "code": f.code,
        "message": f.message,
        "person_id": f.person_id,
        "unit_key": f.unit_key,
    }


# --- the plan as the pages show it ------------------------------------------------------------------


@dataclass
class RoomBlock:
    """One room in one session: its unit and the people assigned to it."""

    unit: solver.Unit
    session: ExamSession
    room: Room
    proctors: list[StaffAssignment] = field(default_factory=list)
    tallyers: list[StaffAssignment] = field(default_factory=list)
    assessors: list[StaffAssignment] = field(default_factory=list)

    @property
    def needed(self) -> int:
        if self.unit.kind == "panel":
            return solver.required_assessors(self.unit)
        return solver.required_proctors(self.unit)

    @property
    def assigned(self) -> int:
        return len(self.assessors) if self.unit.kind == "panel" else len(self.proctors)


@dataclass
class SessionBlock:
    session: ExamSession
    rooms: list[RoomBlock] = field(default_factory=list)


@dataclass
class SiteBlock:
    site: SiteRow
    heads: list[StaffAssignment] = field(default_factory=list)
    supervisors: list[StaffAssignment] = field(default_factory=list)
    sessions: list[SessionBlock] = field(default_factory=list)

    @property
    def days_without_supervisor(self) -> list[date]:
        """Days the site holds sessions but has no quality supervisor (R6.5), for the "补充" links."""
        covered = {a.day for a in self.supervisors}
        return sorted({b.session.day for b in self.sessions} - covered)


@dataclass
class PersonLoad:
    person: Person
    roles: list[str]
    count: int
    minutes: int


def plan_layout(
    *, plan: StaffPlan, index: ProblemIndex, findings: list[dict[str, Any]] | None = None
) -> tuple[list[SiteBlock], list[PersonLoad], list[StaffAssignment]]:
    """Sites → sessions → rooms with their people, the load per person, and rows that fit no unit."""
    sites: dict[int, SiteBlock] = {}
    rooms: dict[str, RoomBlock] = {}
    sessions: dict[int, SessionBlock] = {}
    for key, unit in index.units.items():
        session, room = index.unit_rows(key)
        site_block = sites.setdefault(session.site_id, SiteBlock(site=index.sites[session.site_id]))
        if session.pk not in sessions:
            sessions[session.pk] = SessionBlock(session=session)
            site_block.sessions.append(sessions[session.pk])
        rooms[key] = RoomBlock(unit=unit, session=session, room=room)
        sessions[session.pk].rooms.append(rooms[key])
    stray: list[StaffAssignment] = []
    load: dict[int, PersonLoad] = {}
    rows = list(plan_assignments(plan=plan)) if plan.pk else []
    flagged = {(f.get("person_id"), f.get("unit_key")) for f in findings or []}
    for a in rows:
        # For the template: the unit key and whether a finding names this person here (or anywhere).
        key = unit_key(a.session_id, a.room_id) if a.session_id and a.room_id else ""
        a.key = key  # type: ignore[attr-defined]
        a.flag = (a.person_id, key or None) in flagged or (a.person_id, None) in flagged  # type: ignore[attr-defined]
        entry = load.setdefault(a.person_id, PersonLoad(person=a.person, roles=[], count=0, minutes=0))
        entry.count += 1
        label = str(a.get_role_display())
        if label not in entry.roles:
            entry.roles.append(label)
        if a.session is not None:
            entry.minutes += _minutes(a.session.ends) - _minutes(a.session.starts)
        if a.role in (StaffRole.HEAD, StaffRole.SUPERVISOR):
            if a.site_id not in sites:
                sites[a.site_id] = SiteBlock(site=a.site)
            (sites[a.site_id].heads if a.role == StaffRole.HEAD else sites[a.site_id].supervisors).append(a)
            continue
        block = rooms.get(unit_key(a.session_id, a.room_id)) if a.session_id and a.room_id else None
        if block is None:
            stray.append(a)
        elif a.role == StaffRole.ASSESSOR:
            block.assessors.append(a)
        elif a.role == StaffRole.TALLYER:
            block.tallyers.append(a)
        else:
            block.proctors.append(a)
    for site_block in sites.values():
        site_block.supervisors.sort(key=lambda a: (a.day or date.min, a.person.name))
    ordered = sorted(sites.values(), key=lambda b: (b.site.name, b.site.pk))
    loads = sorted(load.values(), key=lambda p: (-p.count, p.person.name))
    return ordered, loads, stray
