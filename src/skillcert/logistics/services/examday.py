"""Writes of exam-day records (R7.1–R7.3): checks, check-in, the room log, violations, seals, the
supervisor's form and finishing a session. Every write needs the confirmed plan (R5.2) and is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog.models import ModuleKind
from skillcert.core import audit, crypto
from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.core.models.accounts import Role
from skillcert.filings.models import Site
from skillcert.logistics import selectors
from skillcert.logistics.examday_models import (
    SITE_CHECKS,
    Check,
    CheckKind,
    LogKind,
    MaterialKind,
    MaterialSeal,
    Overall,
    RoomLogEntry,
    Ruling,
    SupervisionReport,
    Violation,
)
from skillcert.logistics.models import (
    Attendance,
    Delivery,
    ExamSession,
    Room,
    Seat,
    StaffAssignment,
    StaffRole,
)
from skillcert.rounds.models import Round
from skillcert.rounds.services_plans import require_plan_confirmed

__all__ = [
    "COUNTED_MATERIALS",
    "UPLOAD_MAX_BYTES",
    "SupervisionData",
    "check_context",
    "check_record",
    "evidence_context",
    "exam_session_finish",
    "finish_problems",
    "material_seal",
    "room_check_kinds",
    "room_log_add",
    "seat_check_in",
    "seats_mark_absent",
    "session_start",
    "stored_file",
    "supervision_report_submit",
    "violation_record",
    "violation_rule",
]

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_TYPES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}
# Papers and sign-in sheets are counted per candidate: never more than the room's seats (R7.3).
COUNTED_MATERIALS = (MaterialKind.PAPERS, MaterialKind.SIGN_IN)
# A session is finished only when these are sealed in every room (R7.3).
REQUIRED_SEALS = (MaterialKind.PAPERS, MaterialKind.SIGN_IN)


# --- helpers -------------------------------------------------------------------------------------


def _upload_ext(upload: UploadedFile, *, rule: str, field: str, what: str) -> str:
    """A PDF, JPEG or PNG of at most 10 MB, recognised by its first bytes (never by its name)."""
    size = upload.size or 0
    if size == 0 or size > UPLOAD_MAX_BYTES:
        raise RuleViolation(rule, _("%(w)s须为不超过10MB的文件，请重新选择。") % {"w": what}, field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    ext = next((e for magic, e in UPLOAD_TYPES.items() if head.startswith(magic)), None)
    if ext is None:
        raise RuleViolation(rule, _("%(w)s须为 PDF、JPG 或 PNG 文件。") % {"w": what}, field=field)
    return ext


CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _sealed(upload: UploadedFile, context: bytes) -> ContentFile[bytes]:
    """Uploads may show candidates and are kept encrypted at rest (S13), like the pledge scan."""
    upload.seek(0)
    return ContentFile(crypto.encrypt(upload.read(), context=context))


def stored_file(name: str, context: bytes) -> tuple[bytes, str]:
    """An encrypted upload's bytes and its content type, from the stored name (…<ext>.enc)."""
    with default_storage.open(name, "rb") as f:
        blob = f.read()
    base = name.removesuffix(".enc")
    content_type = CONTENT_TYPES.get(base.rsplit(".", 1)[-1], "application/octet-stream")
    data = crypto.decrypt(blob, context=context) if name.endswith(".enc") else bytes(blob)
    return data, content_type


def check_attachment_read(*, actor: User, check: Check) -> tuple[bytes, str]:
    """The decrypted attachment of a check (e.g. briefing minutes); each opening is audited."""
    data, content_type = stored_file(check.attachment.name, check_context(check.round_id))
    audit.record(
        actor=actor,
        action="exam_check.attachment_view",
        obj=check,
        organisation_id=check.round.enterprise_id,
        summary={"kind": check.kind, "day": str(check.day)},
    )
    return data, content_type


def violation_evidence_read(*, actor: User, violation: Violation) -> tuple[bytes, str]:
    """The decrypted evidence of a violation (personal data of the candidate); each opening is audited."""
    data, content_type = stored_file(violation.evidence.name, evidence_context(violation.session_id))
    audit.record(
        actor=actor,
        action="violation.evidence_view",
        obj=violation,
        organisation_id=violation.session.round.enterprise_id,
        summary={"session": violation.session_id, "kind": violation.kind},
    )
    return data, content_type


def check_context(round_pk: int) -> bytes:
    return f"exam_check:{round_pk}".encode()


def evidence_context(session_pk: int) -> bytes:
    return f"violation:{session_pk}".encode()


def _seat_count(session: ExamSession, room: Room) -> int:
    return selectors.live_seats(session=session).filter(room=room).count()


def session_start(session: ExamSession) -> datetime:
    """The session's start as an aware datetime in the local time zone."""
    return timezone.make_aware(datetime.combine(session.day, session.starts))


def _require_open(session: ExamSession, what: str) -> None:
    if session.finished_at is not None:
        raise RuleViolation(
            "R7.3",
            _("本场次已于%(t)s确认结束，不能再%(w)s。")
            % {"t": timezone.localtime(session.finished_at).strftime("%m-%d %H:%M"), "w": what},
        )


def _require_room_of_session(session: ExamSession, room: Room) -> None:
    if not selectors.live_seats(session=session).filter(room=room).exists():
        raise RuleViolation("R7.2", _("%(r)s不是本场次使用的考场。") % {"r": room.name}, field="room")


def room_check_kinds(session: ExamSession) -> list[str]:
    """The room checks that apply to a session (R7.1): machines for CBT, envelopes for paper theory,
    the practical setup for practical sessions."""
    if session.module == ModuleKind.THEORY:
        return [CheckKind.CBT_MACHINES] if session.delivery == Delivery.CBT else [CheckKind.ENVELOPES]
    if session.module == ModuleKind.PRACTICAL:
        return [CheckKind.PRACTICAL_SETUP]
    return []


# --- R7.1 checks before the exam -----------------------------------------------------------------


def check_record(
    *,
    actor: User,
    round: Round,
    site: Site,
    day: date,
    kind: str,
    ok: bool,
    note: str = "",
    problems: str = "",
    count: int | None = None,
    session: ExamSession | None = None,
    room: Room | None = None,
    attachment: UploadedFile | None = None,
) -> Check:
    """Record one pre-exam check (R7.1): a site check for a day, or a room check for a session."""
    require_plan_confirmed(round=round, action=_("登记考前检查"))
    problems = problems.strip()
    if not ok and not problems:
        raise RuleViolation("R7.1", _("检查不合格时须写明发现的问题及处理情况。"), field="problems")
    if site.enterprise_id != round.enterprise_id:
        raise RuleViolation("R7.1", _("考点不属于本批次的企业。"), field="site")
    if room is None:
        if kind not in SITE_CHECKS:
            raise RuleViolation("R7.1", _("该检查项目须按考场和场次登记。"), field="kind")
        if not round.exam_sessions.filter(site=site, day=day).exists():
            raise RuleViolation(
                "R7.1", _("%(s)s在%(d)s没有考试场次。") % {"s": site.name, "d": day}, field="day"
            )
        if kind == CheckKind.SUPERVISOR_CHECK and not selectors.can_supervise(user=actor, round=round):
            raise RuleViolation("R6.5", _("督导检查只能由内部质量督导员登记。"), field="kind")
        if kind == CheckKind.BRIEFING and attachment is None:
            raise RuleViolation(
                "R7.1", _("考前工作会议须上传会议纪要（PDF、JPG 或 PNG）。"), field="attachment"
            )
        count = None
    else:
        if session is None or session.round_id != round.pk or room.site_id != session.site_id:
            raise RuleViolation("R7.1", _("考场检查须选择本批次的场次和考场。"), field="room")
        _require_room_of_session(session, room)
        if kind not in room_check_kinds(session):
            raise RuleViolation(
                "R7.1",
                _("“%(k)s”不适用于本场次（%(s)s）。") % {"k": CheckKind(kind).label, "s": session},
                field="kind",
            )
        site, day = session.site, session.day
        if kind == CheckKind.PRACTICAL_SETUP and not actor.has_role(Role.ASSESSOR, Role.ENTERPRISE_ADMIN):
            raise RuleViolation("R7.1", _("实操场地、设备、工具、材料须由考评员检查登记。"), field="kind")
        if kind == CheckKind.ENVELOPES:
            seats = _seat_count(session, room)
            if count is None:
                raise RuleViolation("R7.1", _("请填写试卷袋内的试卷份数。"), field="count")
            if count != seats and not problems:
                raise RuleViolation(
                    "R7.1",
                    _("试卷%(c)s份与%(r)s的考生数%(n)s人不一致，请写明问题及处理情况。")
                    % {"c": count, "r": room.name, "n": seats},
                    field="problems",
                )
        else:
            count = None
    ext = (
        _upload_ext(attachment, rule="R7.1", field="attachment", what=_("会议纪要等附件"))
        if attachment is not None
        else ""
    )
    with transaction.atomic():
        check = Check(
            round=round,
            site=site,
            session=session if room is not None else None,
            room=room,
            day=day,
            kind=kind,
            ok=ok,
            count=count,
            note=note.strip(),
            problems=problems,
            checked_by=actor,
        )
        if attachment is not None:
            check.attachment.save(
                f"check-{round.pk}-{kind}.{ext}.enc", _sealed(attachment, check_context(round.pk)), save=False
            )
        check.save()
        audit.record(
            actor=actor,
            action="exam_check.record",
            obj=check,
            organisation_id=round.enterprise_id,
            summary={
                "round": round.pk,
                "kind": kind,
                "ok": ok,
                "site": site.pk,
                "room": room.pk if room else None,
            },
        )
    return check


# --- R7.2 check-in and absentees -----------------------------------------------------------------


def seat_check_in(*, actor: User, seat: Seat, session: ExamSession, room: Room) -> Seat:
    """Mark a candidate present in the proctor's room; a candidate seated elsewhere is sent there."""
    require_plan_confirmed(round=session.round, action=_("签到"))
    _require_open(session, _("签到"))
    with transaction.atomic():
        seat = (
            Seat.objects.select_for_update(of=("self",))
            .select_related("room", "checked_in_by")
            .get(pk=seat.pk)
        )
        if seat.session_id != session.pk or seat.room_id != room.pk:
            raise RuleViolation(
                "R7.2",
                _("该考生不在本考场，请到%(r)s %(n)02d号座位（%(s)s）。")
                % {"r": seat.room.name, "n": seat.number, "s": seat.session},
            )
        if seat.attendance == Attendance.PRESENT:
            raise RuleViolation(
                "R7.2",
                _("该考生已于%(t)s由%(u)s签到，无需重复签到。")
                % {
                    "t": timezone.localtime(seat.checked_in_at).strftime("%H:%M")
                    if seat.checked_in_at
                    else "",
                    "u": seat.checked_in_by or _("他人"),
                },
            )
        if seat.attendance == Attendance.ABSENT:
            raise RuleViolation("R7.2", _("该考生已登记缺考，开考后不能再签到。"))
        seat.attendance, seat.checked_in_at, seat.checked_in_by = Attendance.PRESENT, timezone.now(), actor
        seat.save(update_fields=["attendance", "checked_in_at", "checked_in_by"])
        audit.record(
            actor=actor,
            action="seat.check_in",
            obj=seat,
            organisation_id=session.round.enterprise_id,
            summary={"session": session.pk, "room": room.pk, "seat": seat.number},
        )
    return seat


def seats_mark_absent(*, actor: User, session: ExamSession, room: Room, now: datetime | None = None) -> int:
    """After the start, every candidate of the room not checked in is absent (缺考). Returns how many."""
    require_plan_confirmed(round=session.round, action=_("登记缺考"))
    _require_open(session, _("登记缺考"))
    now = now or timezone.now()
    start = session_start(session)
    if now < start:
        raise RuleViolation(
            "R7.2",
            _("开考（%(t)s）后才能登记缺考。") % {"t": timezone.localtime(start).strftime("%m-%d %H:%M")},
        )
    with transaction.atomic():
        ids = list(
            selectors.live_seats(session=session)
            .filter(room=room, attendance=Attendance.PENDING)
            .values_list("pk", flat=True)
        )
        seats = list(Seat.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("number"))
        for seat in seats:
            seat.attendance = Attendance.ABSENT
            seat.save(update_fields=["attendance"])
            audit.record(
                actor=actor,
                action="seat.absent",
                obj=seat,
                organisation_id=session.round.enterprise_id,
                summary={"session": session.pk, "room": room.pk, "seat": seat.number},
            )
    return len(seats)


# --- R7.2 the room log ---------------------------------------------------------------------------


def _assessor_names(session: ExamSession, room: Room) -> list[str]:
    return list(
        StaffAssignment.objects.filter(
            plan__round_id=session.round_id, session=session, room=room, role=StaffRole.ASSESSOR
        ).values_list("person__name", flat=True)
    )


def room_log_add(
    *,
    actor: User,
    session: ExamSession,
    room: Room,
    kind: str,
    text: str,
    at: datetime | None = None,
    handled_by: str = "",
) -> RoomLogEntry:
    """One timed line of the room's log (考场记录). An equipment fault names who handled it; in a
    practical session that is one of the room's assessors (R7.2)."""
    require_plan_confirmed(round=session.round, action=_("填写考场记录"))
    _require_room_of_session(session, room)
    text, handled_by = text.strip(), handled_by.strip()
    if not text:
        raise RuleViolation("R7.2", _("请填写记录内容。"), field="text")
    if kind == LogKind.EQUIPMENT_FAULT:
        if not handled_by:
            raise RuleViolation("R7.2", _("设备故障须写明处理人。"), field="handled_by")
        assessors = _assessor_names(session, room) if session.module == ModuleKind.PRACTICAL else []
        if assessors and handled_by not in assessors:
            raise RuleViolation(
                "R7.2",
                _("实操考核中的设备故障由本考场的考评员处理，请填写其中一人：%(n)s。")
                % {"n": "、".join(assessors)},
                field="handled_by",
            )
    with transaction.atomic():
        entry = RoomLogEntry.objects.create(
            session=session,
            room=room,
            at=at or timezone.now(),
            kind=kind,
            text=text,
            handled_by=handled_by,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action="room_log.add",
            obj=entry,
            organisation_id=session.round.enterprise_id,
            summary={"session": session.pk, "room": room.pk, "kind": kind},
        )
    return entry


# --- R7.2 violations -----------------------------------------------------------------------------


def violation_record(
    *,
    actor: User,
    session: ExamSession,
    room: Room,
    seat: Seat,
    kind: str,
    description: str,
    evidence: UploadedFile | None = None,
    evidence_note: str = "",
) -> Violation:
    """Record a violation by a candidate seated in this room; the supervisor rules on it later."""
    require_plan_confirmed(round=session.round, action=_("记录违纪"))
    if not selectors.live_seats(session=session).filter(pk=seat.pk, room=room).exists():
        raise RuleViolation("R7.2", _("只能记录本场次本考场考生的违纪行为。"), field="seat")
    description = description.strip()
    if not description:
        raise RuleViolation("R7.2", _("请写明违纪经过。"), field="description")
    ext = _upload_ext(evidence, rule="R7.2", field="evidence", what=_("证据")) if evidence is not None else ""
    with transaction.atomic():
        violation = Violation(
            session=session,
            room=room,
            seat=seat,
            application=seat.application,
            kind=kind,
            description=description,
            evidence_note=evidence_note.strip(),
            reported_by=actor,
        )
        if evidence is not None:
            violation.evidence.save(
                f"evidence-{session.pk}-{seat.pk}.{ext}.enc",
                _sealed(evidence, evidence_context(session.pk)),
                save=False,
            )
        violation.save()
        audit.record(
            actor=actor,
            action="violation.record",
            obj=violation,
            organisation_id=session.round.enterprise_id,
            summary={
                "session": session.pk,
                "room": room.pk,
                "application": seat.application_id,
                "kind": kind,
            },
        )
    return violation


def violation_rule(*, actor: User, violation: Violation, ruling: str, note: str = "") -> Violation:
    """The supervisor's ruling (R7.2): only pending → ruled, once; a note unless the case is dismissed."""
    rnd = violation.session.round
    require_plan_confirmed(round=rnd, action=_("认定违纪"))
    if not selectors.can_supervise(user=actor, round=rnd):
        raise RuleViolation("R7.2", _("违纪行为只能由内部质量督导员认定。"), field="ruling")
    note = note.strip()
    if ruling == Ruling.PENDING or ruling not in Ruling.values:
        raise RuleViolation("R7.2", _("请选择认定结果。"), field="ruling")
    if ruling != Ruling.DISMISSED and not note:
        raise RuleViolation("R7.2", _("作出处理的认定须写明认定意见和依据。"), field="note")
    with transaction.atomic():
        violation = Violation.objects.select_for_update(of=("self",)).get(pk=violation.pk)
        if violation.ruling != Ruling.PENDING:
            raise RuleViolation(
                "R7.2",
                _("该违纪已于%(t)s认定为“%(r)s”，不能更改；如有异议请另行书面说明。")
                % {
                    "t": timezone.localtime(violation.ruled_at).strftime("%m-%d %H:%M")
                    if violation.ruled_at
                    else "",
                    "r": violation.get_ruling_display(),
                },
            )
        violation.ruling, violation.ruling_note = ruling, note
        violation.ruled_by, violation.ruled_at = actor, timezone.now()
        violation.save(update_fields=["ruling", "ruling_note", "ruled_by", "ruled_at"])
        audit.record(
            actor=actor,
            action="violation.rule",
            obj=violation,
            organisation_id=rnd.enterprise_id,
            summary={"session": violation.session_id, "ruling": ruling},
        )
    return violation


# --- R7.3 after the exam -------------------------------------------------------------------------


def material_seal(
    *,
    actor: User,
    session: ExamSession,
    room: Room,
    kind: str,
    count: int,
    seal_no: str,
    handed_over_to: str,
    note: str = "",
) -> MaterialSeal:
    """Record the materials of a room collected, counted and sealed (R7.3); each kind once per room."""
    require_plan_confirmed(round=session.round, action=_("登记材料密封"))
    _require_room_of_session(session, room)
    seal_no, handed_over_to = seal_no.strip(), handed_over_to.strip()
    if not seal_no:
        raise RuleViolation("R7.3", _("请填写封条编号。"), field="seal_no")
    if not handed_over_to:
        raise RuleViolation("R7.3", _("请填写接收人。"), field="handed_over_to")
    seats = _seat_count(session, room)
    if kind in COUNTED_MATERIALS and count > seats:
        raise RuleViolation(
            "R7.3",
            _("%(k)s%(c)s份，超过%(r)s的考生数%(n)s人，请核对份数。")
            % {"k": MaterialKind(kind).label, "c": count, "r": room.name, "n": seats},
            field="count",
        )
    with transaction.atomic():
        ExamSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
        if MaterialSeal.objects.filter(session=session, room=room, kind=kind).exists():
            raise RuleViolation(
                "R7.3",
                _("%(r)s的%(k)s已登记密封，不能重复登记。") % {"r": room.name, "k": MaterialKind(kind).label},
            )
        try:
            with transaction.atomic():
                seal = MaterialSeal.objects.create(
                    session=session,
                    room=room,
                    kind=kind,
                    count=count,
                    seal_no=seal_no,
                    handed_over_to=handed_over_to,
                    note=note.strip(),
                    sealed_by=actor,
                )
        except IntegrityError:
            raise RuleViolation("R7.3", _("该材料已登记密封，不能重复登记。")) from None
        audit.record(
            actor=actor,
            action="material.seal",
            obj=seal,
            organisation_id=session.round.enterprise_id,
            summary={"session": session.pk, "room": room.pk, "kind": kind, "count": count},
        )
    return seal


def finish_problems(*, session: ExamSession) -> list[str]:
    """What still stands between the session and its end (R7.3): attendance and the sealed materials."""
    problems: list[str] = []
    seats = list(selectors.live_seats(session=session))
    rooms: dict[int, Room] = {}
    pending: dict[int, int] = {}
    for seat in seats:
        rooms.setdefault(seat.room_id, seat.room)
        if seat.attendance == Attendance.PENDING:
            pending[seat.room_id] = pending.get(seat.room_id, 0) + 1
    if not seats:
        problems.append(_("本场次没有安排考生座位。"))
    sealed = set(MaterialSeal.objects.filter(session=session).values_list("room_id", "kind"))
    for room_id, room in sorted(rooms.items(), key=lambda kv: kv[1].name):
        if pending.get(room_id):
            problems.append(
                _("%(r)s有%(n)s名考生未签到也未登记缺考。") % {"r": room.name, "n": pending[room_id]}
            )
        missing = [str(MaterialKind(k).label) for k in REQUIRED_SEALS if (room_id, k) not in sealed]
        if missing:
            problems.append(_("%(r)s未登记密封：%(m)s。") % {"r": room.name, "m": "、".join(missing)})
    return problems


def exam_session_finish(*, actor: User, session: ExamSession) -> ExamSession:
    """Confirm the session over: every seat present or absent, papers and sign-in sheets sealed (R7.3)."""
    require_plan_confirmed(round=session.round, action=_("确认场次结束"))
    with transaction.atomic():
        session = (
            ExamSession.objects.select_for_update(of=("self",)).select_related("round").get(pk=session.pk)
        )
        _require_open(session, _("确认结束"))
        problems = finish_problems(session=session)
        if problems:
            raise RuleViolation("R7.3", _("场次还不能结束：") + "".join(problems))
        session.finished_at = timezone.now()
        session.save(update_fields=["finished_at"])
        audit.record(
            actor=actor,
            action="exam_session.finish",
            obj=session,
            organisation_id=session.round.enterprise_id,
            summary={"round": session.round_id},
        )
    return session


@dataclass(frozen=True)
class SupervisionData:
    """The supervisor's answers on the quality-supervision form (质量督导表)."""

    attendance_ok: bool
    briefing_ok: bool
    papers_ok: bool
    rooms_ok: bool
    scoring_ok: bool
    problems: str
    overall: str
    evaluation: str


def supervision_report_submit(
    *, actor: User, round: Round, site: Site, day: date, data: SupervisionData
) -> SupervisionReport:
    """The quality supervisor's form for a site on a day (R7.3), once; a "no" needs the problems written."""
    require_plan_confirmed(round=round, action=_("提交质量督导表"))
    if not selectors.can_supervise(user=actor, round=round):
        raise RuleViolation("R6.5", _("质量督导表只能由内部质量督导员填写。"))
    if not round.exam_sessions.filter(site=site, day=day).exists():
        raise RuleViolation("R7.3", _("%(s)s在%(d)s没有考试场次。") % {"s": site.name, "d": day})
    answers = (data.attendance_ok, data.briefing_ok, data.papers_ok, data.rooms_ok, data.scoring_ok)
    if not all(answers) and not data.problems.strip():
        raise RuleViolation("R7.3", _("有检查项为“否”时，须写明发现的问题及处理情况。"), field="problems")
    if data.overall not in Overall.values:
        raise RuleViolation("R7.3", _("请选择总体评价。"), field="overall")
    if not data.evaluation.strip():
        raise RuleViolation("R7.3", _("请填写综合评价意见。"), field="evaluation")
    with transaction.atomic():
        Round.objects.select_for_update(of=("self",)).get(pk=round.pk)
        if SupervisionReport.objects.filter(round=round, site=site, day=day).exists():
            raise RuleViolation(
                "R7.3",
                _("%(s)s %(d)s的质量督导表已提交，每个考点每天只填一份。") % {"s": site.name, "d": day},
            )
        report = SupervisionReport.objects.create(
            round=round,
            site=site,
            day=day,
            attendance_ok=data.attendance_ok,
            briefing_ok=data.briefing_ok,
            papers_ok=data.papers_ok,
            rooms_ok=data.rooms_ok,
            scoring_ok=data.scoring_ok,
            problems=data.problems.strip(),
            overall=data.overall,
            evaluation=data.evaluation.strip(),
            author=actor,
        )
        audit.record(
            actor=actor,
            action="supervision_report.submit",
            obj=report,
            organisation_id=round.enterprise_id,
            summary={"round": round.pk, "site": site.pk, "day": day.isoformat(), "overall": data.overall},
        )
    return report
