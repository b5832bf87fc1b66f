"""The logistics documents of a round, built from data: arrangement tables (attachment 4), badges, door lists,
sign-in sheets and the exam-affairs handbook (attachment 5) (R6.2, R6.5, R6.7)."""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from skillcert.catalog.models import Level, ModuleKind
from skillcert.core import audit
from skillcert.core.documents import Cell, Sheet, render_pdf, render_pdf_batch, write_xlsx
from skillcert.core.models import Person, User
from skillcert.logistics.models import (
    ROLE_GROUP,
    ExamSession,
    HouseRules,
    Room,
    Seat,
    StaffAssignment,
    StaffRole,
)
from skillcert.logistics.selectors import live_seats, rooms_of_round, staff_plan_of
from skillcert.rounds.announcement import cn_date, paragraphs
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.plan_documents import PlanDoc, plan_doc

VARIANTS = ("skill", "review")
GROUPS = ("exam", "assessor", "supervisor")
GROUP_LABEL = {"exam": "考务", "assessor": "考评", "supervisor": "督导"}
GROUP_COLOUR = {"exam": "#1f4e79", "assessor": "#1e7b45", "supervisor": "#b3261e"}
# The role shown on an exam-affairs badge when a person holds several of that group's roles.
ROLE_PRIORITY = (
    StaffRole.HEAD,
    StaffRole.PROCTOR,
    StaffRole.TALLYER,
    StaffRole.ASSESSOR,
    StaffRole.SUPERVISOR,
)

HANDBOOK_SECTIONS = (
    "一、考核方案",
    "二、考点考务安排和要求",
    "三、主考、监考、考评人员、督导人员工作职责",
    "四、监考、考评人员工作流程",
    "五、考场规则",
    "六、技能人才评价违纪违规行为处理工作规则",
    "七、突发事件处理办法",
)


def offering_label(o: RoundOffering) -> str:
    return f"{o.occupation.name}（{o.job_type.name}）" if o.job_type_id and o.job_type else o.occupation.name


def level_label(level: int) -> str:
    return str(Level(level).label) if level in Level.values else str(level)


def time_text(s: ExamSession) -> str:
    return f"{s.starts:%H:%M}—{s.ends:%H:%M}"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _joined(items: Iterable[str]) -> str:
    return "、".join(_unique(items))


# --------------------------------------------------------------------------- the round's data, loaded once


@dataclass
class RoundData:
    """Sessions, live seats and staff assignments of a round, indexed for the documents."""

    round: Round
    sessions: list[ExamSession]
    seats: dict[int, list[Seat]]  # session pk → live seats ordered by room and number
    staff: dict[tuple[int, int], list[StaffAssignment]]  # (session pk, room pk) → assignments
    assignments: list[StaffAssignment]
    offerings: dict[int, list[RoundOffering]] = field(default_factory=dict)  # session pk → offerings

    def rooms_of(self, session: ExamSession) -> list[Room]:
        """Rooms with a live seat or a staff member in the session, in name order."""
        rooms: dict[int, Room] = {}
        for seat in self.seats.get(session.pk, []):
            rooms.setdefault(seat.room_id, seat.room)
        for (sid, _rid), rows in self.staff.items():
            if sid == session.pk:
                for a in rows:
                    if a.room is not None:
                        rooms.setdefault(a.room.pk, a.room)
        return sorted(rooms.values(), key=lambda r: (r.site.name, r.name, r.pk))

    def seats_in(self, session: ExamSession, room: Room) -> list[Seat]:
        return [s for s in self.seats.get(session.pk, []) if s.room_id == room.pk]

    def staff_in(self, session: ExamSession, room: Room, role: str) -> list[StaffAssignment]:
        return [a for a in self.staff.get((session.pk, room.pk), []) if a.role == role]


def round_data(*, round: Round, session: ExamSession | None = None) -> RoundData:
    sessions_qs = (
        ExamSession.objects.filter(round=round)
        .select_related("site")
        .prefetch_related("offerings__occupation", "offerings__job_type")
        .order_by("day", "starts", "site__name", "pk")
    )
    if session is not None:
        sessions_qs = sessions_qs.filter(pk=session.pk)
    sessions = list(sessions_qs)
    seats: dict[int, list[Seat]] = {}
    for s in sessions:
        seats[s.pk] = list(
            live_seats(session=s).select_related(
                "room__site", "application__person", "application__ticket", "application__offering__job_type"
            )
        )
    plan = staff_plan_of(round=round)
    assignments: list[StaffAssignment] = (
        list(plan.assignments.select_related("person", "site", "session", "room", "room__site"))
        if plan is not None
        else []
    )
    staff: dict[tuple[int, int], list[StaffAssignment]] = defaultdict(list)
    for a in assignments:
        if a.session_id and a.room_id:
            staff[(a.session_id, a.room_id)].append(a)
    offerings = {s.pk: list(s.offerings.all()) for s in sessions}
    return RoundData(round, sessions, seats, dict(staff), assignments, offerings)


def _names(rows: Sequence[StaffAssignment]) -> str:
    return _joined(a.person.name for a in rows)


def _room_offerings(data: RoundData, session: ExamSession, seats: Sequence[Seat]) -> tuple[str, str]:
    offerings = [s.application.offering for s in seats] or data.offerings.get(session.pk, [])
    return _joined(offering_label(o) for o in offerings), _joined(level_label(o.level) for o in offerings)


# --------------------------------------------------------------------------- 考场安排表 (attachment 4)


@dataclass(frozen=True)
class ArrangementRow:
    room: str
    occupation: str
    level: str
    time: str
    leader: str
    members: str
    tallyer: str
    candidates: int


@dataclass(frozen=True)
class ArrangementBlock:
    """One table of attachment 4: one place on one day."""

    place: str
    day: date
    candidates: int
    rows: tuple[ArrangementRow, ...]
    theory_rows: tuple[ArrangementRow, ...]

    @property
    def day_text(self) -> str:
        return cn_date(self.day)


@dataclass(frozen=True)
class ArrangementDoc:
    variant: str
    title: str
    enterprise_name: str
    round_name: str
    leader_label: str
    members_label: str
    tallyer_label: str
    blocks: tuple[ArrangementBlock, ...]

    @property
    def filename_stem(self) -> str:
        return f"{self.round_name}{self.title}"


def _arrangement_row(data: RoundData, s: ExamSession, room: Room, theory: bool) -> ArrangementRow:
    seats = data.seats_in(s, room)
    occupation, level = _room_offerings(data, s, seats)
    if theory:
        leader, members = "", _names(data.staff_in(s, room, StaffRole.PROCTOR))
    else:
        panel = data.staff_in(s, room, StaffRole.ASSESSOR)
        leader = _names([a for a in panel if a.is_leader])
        members = _names([a for a in panel if not a.is_leader])
    return ArrangementRow(
        room=room.name,
        occupation=occupation,
        level=level,
        time=time_text(s),
        leader=leader,
        members=members,
        tallyer=_names(data.staff_in(s, room, StaffRole.TALLYER)),
        candidates=len(seats),
    )


def arrangement_doc(*, round: Round, variant: str, data: RoundData | None = None) -> ArrangementDoc:
    """Attachment 4 (一) for ``variant="skill"`` (theory and practical sessions; theory rooms list their
    proctors in a second table), attachment 4 (二) for ``variant="review"`` (portfolio review)."""
    if variant not in VARIANTS:
        raise ValueError(variant)
    data = data or round_data(round=round)
    modules = {ModuleKind.THEORY, ModuleKind.PRACTICAL} if variant == "skill" else {ModuleKind.REVIEW}
    groups: dict[tuple[date, int], list[ExamSession]] = defaultdict(list)
    for s in data.sessions:
        if s.module in modules:
            groups[(s.day, s.site_id)].append(s)
    blocks = []
    for (day, _site), sessions in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0].site.name)):
        rows: list[ArrangementRow] = []
        theory_rows: list[ArrangementRow] = []
        people: set[int] = set()
        for s in sessions:
            people.update(seat.application_id for seat in data.seats.get(s.pk, []))
            for room in data.rooms_of(s):
                theory = s.module == ModuleKind.THEORY
                (theory_rows if theory else rows).append(_arrangement_row(data, s, room, theory))
        site = sessions[0].site
        blocks.append(
            ArrangementBlock(
                place=f"{site.name}（{site.address}）" if site.address else site.name,
                day=day,
                candidates=len(people),
                rows=tuple(rows),
                theory_rows=tuple(theory_rows),
            )
        )
    skill = variant == "skill"
    return ArrangementDoc(
        variant=variant,
        title=_("职业技能等级认定技能考核考场安排表") if skill else _("职业技能等级认定综合评审考场安排表"),
        enterprise_name=round.enterprise.name,
        round_name=round.name,
        leader_label=_("考评组长") if skill else _("评审组长"),
        members_label=_("考评员") if skill else _("评审人员"),
        tallyer_label=_("统分人"),
        blocks=tuple(blocks),
    )


def arrangement_pdf(doc: ArrangementDoc) -> bytes:
    return render_pdf("logistics/documents/arrangement_print.html", {"d": doc})


def _place_cells(b: ArrangementBlock, r: ArrangementRow) -> tuple[Cell, ...]:
    return (b.place, b.day, b.candidates, r.room, r.occupation, r.level, r.time)


def arrangement_xlsx(doc: ArrangementDoc) -> bytes:
    head = (
        _("考试地点"),
        _("考试日期"),
        _("参评人数"),
        _("考场"),
        _("职业（工种）"),
        _("等级"),
        _("考试具体时间"),
    )
    sheets = [
        Sheet(
            title=_("技能考核") if doc.variant == "skill" else _("综合评审"),
            headers=(*head, doc.leader_label, doc.members_label, doc.tallyer_label, _("考生人数")),
            rows=[
                (*_place_cells(b, r), r.leader, r.members, r.tallyer, r.candidates)
                for b in doc.blocks
                for r in b.rows
            ],
            notes=(f"{doc.enterprise_name} {doc.round_name} {doc.title}",),
        )
    ]
    if doc.variant == "skill":
        sheets.append(
            Sheet(
                title=_("理论知识考试"),
                headers=(*head, _("监考人员"), doc.tallyer_label, _("考生人数")),
                rows=[
                    (*_place_cells(b, r), r.members, r.tallyer, r.candidates)
                    for b in doc.blocks
                    for r in b.theory_rows
                ],
            )
        )
    return write_xlsx(sheets)


# --------------------------------------------------------------------------- 工作证 (badges)


def _placeholder_svg() -> str:
    """A neutral head-and-shoulders silhouette, drawn here (no copied asset)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="250" height="350" viewBox="0 0 250 350">'
        '<rect width="250" height="350" fill="#e9edf1"/>'
        '<circle cx="125" cy="135" r="58" fill="#b8c2cc"/>'
        '<path d="M25 350 C25 255 70 215 125 215 C180 215 225 255 225 350 Z" fill="#b8c2cc"/>'
        "</svg>"
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


PLACEHOLDER_PHOTO = _placeholder_svg()


def photo_uri(person: Person) -> str:
    data = person.photo_bytes()
    if not data:
        return PLACEHOLDER_PHOTO
    kind = person.photo_type if person.photo_type in ("image/jpeg", "image/png") else "image/jpeg"
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class Badge:
    name: str
    group: str
    role: str
    is_leader: bool
    sites: str
    photo: str
    has_photo: bool

    @property
    def group_label(self) -> str:
        return GROUP_LABEL[self.group]

    @property
    def colour(self) -> str:
        return GROUP_COLOUR[self.group]


def badges(*, round: Round, group: str = "all", data: RoundData | None = None) -> list[Badge]:
    """One badge per person and role group (R6.5: a person is in one group per round), by group then name."""
    if group != "all" and group not in GROUPS:
        raise ValueError(group)
    data = data or round_data(round=round)
    people: dict[tuple[int, str], list[StaffAssignment]] = defaultdict(list)
    for a in data.assignments:
        g = ROLE_GROUP.get(a.role, "")
        if group in ("all", g):
            people[(a.person_id, g)].append(a)
    out = []
    for (_pid, g), rows in people.items():
        person = rows[0].person
        role = min((a.role for a in rows), key=lambda r: ROLE_PRIORITY.index(StaffRole(r)))
        raw = person.photo_bytes()
        out.append(
            Badge(
                name=person.name,
                group=g,
                role=str(StaffRole(role).label),
                is_leader=any(a.is_leader for a in rows if a.role == StaffRole.ASSESSOR),
                sites=_joined(a.site.name for a in rows),
                photo=photo_uri(person) if raw else PLACEHOLDER_PHOTO,
                has_photo=bool(raw),
            )
        )
    labels = [str(StaffRole(r).label) for r in ROLE_PRIORITY]
    return sorted(out, key=lambda b: (GROUPS.index(b.group), labels.index(b.role), not b.is_leader, b.name))


def badges_pdf(*, round: Round, items: Sequence[Badge]) -> bytes:
    """Six badges a page; each group starts on a new sheet so the sheets can be handed out by group."""
    per_page = 6
    pages: list[Sequence[Badge]] = []
    for g in GROUPS:
        of_group = [b for b in items if b.group == g]
        pages.extend(of_group[i : i + per_page] for i in range(0, len(of_group), per_page))
    return render_pdf(
        "logistics/documents/badges_print.html",
        {"round": round, "enterprise_name": round.enterprise.name, "pages": pages},
    )


# --------------------------------------------------------------------------- door lists and sign-in sheets


@dataclass(frozen=True)
class SeatLine:
    number: int
    ticket: str
    name: str
    id_masked: str
    offering: str


@dataclass(frozen=True)
class RoomSheet:
    """One room in one session: the door list and the sign-in sheet are printed from it."""

    enterprise_name: str
    round_name: str
    site: str
    room: str
    day: date
    time: str
    module: str
    occupation: str
    level: str
    proctors: tuple[str, ...]
    lines: tuple[SeatLine, ...]
    signers: str = "监考人员"

    @property
    def day_text(self) -> str:
        return cn_date(self.day)

    @property
    def halves(self) -> tuple[tuple[SeatLine, ...], tuple[SeatLine, ...]]:
        """The door list prints a long room in two columns so the type stays large."""
        if len(self.lines) <= 16:
            return self.lines, ()
        cut = (len(self.lines) + 1) // 2
        return self.lines[:cut], self.lines[cut:]


def _ticket_number(seat: Seat) -> str:
    ticket = getattr(seat.application, "ticket", None)
    return ticket.number if ticket is not None else ""


def room_sheets(*, round: Round, session: ExamSession | None = None) -> list[RoomSheet]:
    """Every room with live seats in every session of the round (or of one session)."""
    data = round_data(round=round, session=session)
    sheets = []
    for s in data.sessions:
        for room in data.rooms_of(s):
            seats = data.seats_in(s, room)
            if not seats:
                continue
            occupation, level = _room_offerings(data, s, seats)
            # Theory rooms are signed off by their proctors, practical and review rooms by the panel.
            theory = s.module == ModuleKind.THEORY
            watchers = data.staff_in(s, room, StaffRole.PROCTOR if theory else StaffRole.ASSESSOR)
            sheets.append(
                RoomSheet(
                    enterprise_name=round.enterprise.name,
                    round_name=round.name,
                    site=s.site.name,
                    room=room.name,
                    day=s.day,
                    time=time_text(s),
                    module=str(s.get_module_display()),
                    occupation=occupation,
                    level=level,
                    proctors=tuple(_unique(a.person.name for a in watchers)),
                    signers=_("监考人员") if theory else _("考评人员"),
                    lines=tuple(
                        SeatLine(
                            number=seat.number,
                            ticket=_ticket_number(seat),
                            name=seat.application.name,
                            id_masked=seat.application.person.id_number_masked,
                            offering=f"{offering_label(seat.application.offering)} "
                            f"{level_label(seat.application.offering.level)}",
                        )
                        for seat in seats
                    ),
                )
            )
    return sheets


def door_lists_pdf(sheets: Sequence[RoomSheet]) -> bytes:
    return render_pdf_batch("logistics/documents/door_list_print.html", [{"s": s} for s in sheets])


def sign_in_pdf(sheets: Sequence[RoomSheet]) -> bytes:
    return render_pdf_batch("logistics/documents/sign_in_print.html", [{"s": s} for s in sheets])


# --------------------------------------------------------------------------- 考务手册 (attachment 5)

_HEADING = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


@dataclass(frozen=True)
class TextLine:
    text: str
    heading: bool


def text_lines(text: str) -> tuple[TextLine, ...]:
    """House-rule text as lines; a short line opening with “（一）” or “一、” is a sub-heading."""
    return tuple(TextLine(p, bool(_HEADING.match(p)) and len(p) <= 40) for p in paragraphs(text))


@dataclass(frozen=True)
class SessionLine:
    day: date
    time: str
    module: str
    offerings: str
    site: str
    rooms: str
    candidates: int


@dataclass(frozen=True)
class RoomLine:
    name: str
    kind: str
    capacity: int
    monitoring: str


@dataclass(frozen=True)
class SiteLine:
    name: str
    address: str
    head: str
    rooms: tuple[RoomLine, ...]


@dataclass(frozen=True)
class StaffLine:
    role: str
    name: str
    where: str


@dataclass(frozen=True)
class HandbookDoc:
    title: str
    enterprise_name: str
    round_name: str
    month_text: str
    plan: PlanDoc
    sessions: tuple[SessionLine, ...]
    sites: tuple[SiteLine, ...]
    staff: tuple[StaffLine, ...]
    staff_counts: tuple[tuple[str, int], ...]
    texts: dict[str, tuple[TextLine, ...]]
    contingency: tuple[str, ...]
    sections: tuple[str, ...] = HANDBOOK_SECTIONS


def _where(a: StaffAssignment) -> str:
    if a.session is not None:
        s = a.session
        room = f" {a.room.name}" if a.room is not None else ""
        return f"{s.day:%m-%d} {time_text(s)} {s.get_module_display()}{room}"
    if a.day is not None:
        return f"{a.site.name} {a.day:%m-%d}"
    return a.site.name


def _staff_lines(assignments: Sequence[StaffAssignment]) -> tuple[StaffLine, ...]:
    """One line per person and role, listing every place they serve; panel leaders apart from assessors."""
    per: dict[tuple[str, int], list[StaffAssignment]] = defaultdict(list)
    for a in assignments:
        role = "leader" if a.role == StaffRole.ASSESSOR and a.is_leader else str(a.role)
        per[(role, a.person_id)].append(a)
    order = ["head", "proctor", "tallyer", "leader", "assessor", "supervisor"]
    labels = {**{str(k): str(v) for k, v in StaffRole.choices}, "leader": _("考评组长")}
    keyed = sorted(per.items(), key=lambda kv: (order.index(kv[0][0]), kv[1][0].person.name))
    return tuple(
        StaffLine(labels[role], rows[0].person.name, "；".join(_unique(_where(a) for a in rows)))
        for (role, _pid), rows in keyed
    )


def handbook_doc(*, round: Round, rules: HouseRules, today: date) -> HandbookDoc:
    data = round_data(round=round)
    sessions = tuple(
        SessionLine(
            day=s.day,
            time=time_text(s),
            module=str(s.get_module_display()),
            offerings=_joined(f"{offering_label(o)} {level_label(o.level)}" for o in data.offerings[s.pk]),
            site=s.site.name,
            rooms=_joined(r.name for r in data.rooms_of(s)),
            candidates=len(data.seats.get(s.pk, [])),
        )
        for s in data.sessions
    )
    site_rooms: dict[int, list[Room]] = defaultdict(list)
    used_sites = {s.site_id for s in data.sessions}
    for room in rooms_of_round(round=round).order_by("site__name", "name"):
        if not used_sites or room.site_id in used_sites:
            site_rooms[room.site_id].append(room)
    sites = tuple(
        SiteLine(
            name=rooms[0].site.name,
            address=rooms[0].site.address,
            head=" ".join(x for x in (rooms[0].site.head_name, rooms[0].site.head_phone) if x),
            rooms=tuple(
                RoomLine(
                    r.name,
                    str(r.get_kind_display()),
                    r.capacity,
                    _("电子监控") if r.monitored else _("无监控：%(a)s") % {"a": r.alt_record},
                )
                for r in rooms
            ),
        )
        for rooms in site_rooms.values()
    )
    staff = _staff_lines(data.assignments)
    counts: dict[str, set[int]] = {g: set() for g in GROUPS}
    for a in data.assignments:
        counts[ROLE_GROUP[a.role]].add(a.person_id)
    plan = plan_doc(round=round, today=today)
    return HandbookDoc(
        title=_("%(e)s%(r)s职业技能等级认定考务手册") % {"e": round.enterprise.name, "r": round.name},
        enterprise_name=round.enterprise.name,
        round_name=round.name,
        month_text=_("%(y)s年%(m)s月") % {"y": today.year, "m": today.month},
        plan=plan,
        sessions=sessions,
        sites=sites,
        staff=staff,
        staff_counts=(
            (_("考务人员"), len(counts["exam"])),
            (_("考评人员"), len(counts["assessor"])),
            (_("质量督导员"), len(counts["supervisor"])),
        ),
        texts={
            name: text_lines(getattr(rules, name))
            for name in (
                "site_requirements",
                "duties",
                "procedures",
                "room_rules",
                "violation_rules",
                "emergency",
            )
        },
        contingency=plan.contingency,
    )


def handbook_pdf(doc: HandbookDoc) -> bytes:
    return render_pdf("logistics/documents/handbook_print.html", {"d": doc})


# --------------------------------------------------------------------------- printing is audited


def document_print_record(
    *, actor: User, round: Round, document: str, fmt: str, session: ExamSession | None = None
) -> None:
    """One audit event per download of a logistics document (which document, which format)."""
    summary: dict[str, object] = {"document": document, "format": fmt}
    if session is not None:
        summary["session"] = session.pk
    audit.record(
        actor=actor,
        action="logistics_document.print",
        obj=round,
        summary=summary,
    )
