"""Exam-day services (R7.1–R7.3): each rule and each refusal, and the check-in search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from skillcert.core.audit import AuditEvent
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User
from skillcert.core.models.accounts import Role
from skillcert.logistics import selectors_examday as sel
from skillcert.logistics.examday_models import (
    Check,
    CheckKind,
    LogKind,
    MaterialKind,
    Overall,
    Ruling,
    SupervisionReport,
    ViolationKind,
)
from skillcert.logistics.models import (
    Attendance,
    Delivery,
    ExamSession,
    Room,
    Seat,
    StaffAssignment,
    StaffPlan,
    StaffRole,
    Ticket,
)
from skillcert.logistics.services import examday as svc
from skillcert.logistics.views.examday import supervision_pdf_bytes
from tests.enrollment.factories import EnterpriseFactory
from tests.factories import PersonFactory, UserFactory, grant
from tests.logistics.factories import ExamWorld, exam_world, practical_session, theory_session
from tests.rounds.helpers import pdf_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


@dataclass
class Day:
    """A world with a paper theory session seated 4 + 4 in two rooms, and staff of every kind."""

    world: ExamWorld
    session: ExamSession
    room1: Room
    room2: Room
    seats1: list[Seat]
    seats2: list[Seat]
    admin: User
    staff: User
    assessor: User
    supervisor: User


def seat(session: ExamSession, app: object, room: Room, number: int) -> Seat:
    return Seat.objects.create(session=session, application=app, room=room, number=number)


def user(ent: Organisation, role: str) -> User:
    return grant(UserFactory(organisation=ent), role)


def make_day(*, confirmed: bool = True, **session_kw: object) -> Day:
    ent = EnterpriseFactory()
    world = exam_world(ent, candidates=8, confirmed=confirmed)
    session = theory_session(world, **session_kw)
    r1, r2 = world.theory_rooms
    s1 = [seat(session, a, r1, i + 1) for i, a in enumerate(world.applications[:4])]
    s2 = [seat(session, a, r2, i + 1) for i, a in enumerate(world.applications[4:8])]
    return Day(
        world,
        session,
        r1,
        r2,
        s1,
        s2,
        user(ent, Role.ENTERPRISE_ADMIN),
        user(ent, Role.EXAM_STAFF),
        user(ent, Role.ASSESSOR),
        user(ent, Role.SUPERVISOR),
    )


def audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def started(session: ExamSession) -> datetime:
    return svc.session_start(session) + timedelta(minutes=1)


def seal_all(d: Day, room: Room, n: int) -> None:
    for kind in (MaterialKind.PAPERS, MaterialKind.SIGN_IN):
        svc.material_seal(
            actor=d.staff,
            session=d.session,
            room=room,
            kind=kind,
            count=n,
            seal_no=f"F{kind}",
            handed_over_to="王",
        )


# --- R5.2 --------------------------------------------------------------------------------------------


def test_every_write_waits_for_the_confirmed_plan() -> None:
    d = make_day(confirmed=False)
    calls = [
        lambda: svc.seat_check_in(actor=d.staff, seat=d.seats1[0], session=d.session, room=d.room1),
        lambda: svc.seats_mark_absent(actor=d.staff, session=d.session, room=d.room1, now=started(d.session)),
        lambda: svc.room_log_add(
            actor=d.staff, session=d.session, room=d.room1, kind=LogKind.EVENT, text="x"
        ),
        lambda: svc.check_record(
            actor=d.staff,
            round=d.world.round,
            site=d.world.site,
            day=d.session.day,
            kind=CheckKind.PAPER_CUSTODY,
            ok=True,
        ),
        lambda: svc.violation_record(
            actor=d.staff, session=d.session, room=d.room1, seat=d.seats1[0], kind="copying", description="x"
        ),
        lambda: svc.material_seal(
            actor=d.staff,
            session=d.session,
            room=d.room1,
            kind="papers",
            count=1,
            seal_no="1",
            handed_over_to="王",
        ),
        lambda: svc.exam_session_finish(actor=d.staff, session=d.session),
    ]
    for call in calls:
        with pytest.raises(RuleViolation) as exc:
            call()
        assert exc.value.rule == "R5.2"
    assert Seat.objects.filter(attendance=Attendance.PRESENT).count() == 0
    assert Check.objects.count() == 0


# --- check-in --------------------------------------------------------------------------------------


def test_check_in_marks_present_once_and_audits() -> None:
    d = make_day()
    s = svc.seat_check_in(actor=d.staff, seat=d.seats1[0], session=d.session, room=d.room1)
    assert s.attendance == Attendance.PRESENT and s.checked_in_by == d.staff and s.checked_in_at
    assert audited("seat.check_in") == 1
    with pytest.raises(RuleViolation) as exc:
        svc.seat_check_in(actor=d.admin, seat=d.seats1[0], session=d.session, room=d.room1)
    assert "已于" in exc.value.message and str(d.staff) in exc.value.message
    assert audited("seat.check_in") == 1


def test_check_in_in_the_wrong_room_says_where_to_go() -> None:
    d = make_day()
    with pytest.raises(RuleViolation) as exc:
        svc.seat_check_in(actor=d.staff, seat=d.seats2[2], session=d.session, room=d.room1)
    assert d.room2.name in exc.value.message and "03号" in exc.value.message
    d.seats2[2].refresh_from_db()
    assert d.seats2[2].attendance == Attendance.PENDING


def test_absentees_only_after_the_start() -> None:
    d = make_day()
    svc.seat_check_in(actor=d.staff, seat=d.seats1[0], session=d.session, room=d.room1)
    with pytest.raises(RuleViolation, match="开考"):
        svc.seats_mark_absent(
            actor=d.staff,
            session=d.session,
            room=d.room1,
            now=svc.session_start(d.session) - timedelta(minutes=5),
        )
    n = svc.seats_mark_absent(actor=d.staff, session=d.session, room=d.room1, now=started(d.session))
    assert n == 3 and audited("seat.absent") == 3
    marks = dict(Seat.objects.filter(room=d.room1).values_list("number", "attendance"))
    assert marks == {1: "present", 2: "absent", 3: "absent", 4: "absent"}
    # Room 2 is untouched, and an absentee cannot check in afterwards.
    assert not Seat.objects.filter(room=d.room2).exclude(attendance=Attendance.PENDING).exists()
    with pytest.raises(RuleViolation, match="缺考"):
        svc.seat_check_in(actor=d.staff, seat=d.seats1[1], session=d.session, room=d.room1)


def test_lookup_by_ticket_number_and_by_id_number() -> None:
    d = make_day()
    app = d.seats2[0].application
    Ticket.objects.create(application=app, round=d.world.round, number="2025000123")
    by_ticket = sel.seat_lookup(session=d.session, room=d.room2, query=" 2025000123 ")
    assert by_ticket.here and by_ticket.seat == d.seats2[0]
    number = app.person.reveal_id_number()
    by_id = sel.seat_lookup(session=d.session, room=d.room2, query=number.lower())
    assert by_id.here and by_id.seat == d.seats2[0]
    elsewhere = sel.seat_lookup(session=d.session, room=d.room1, query=number)
    assert not elsewhere.here and d.room2.name in elsewhere.message and "01号" in elsewhere.message
    unknown = sel.seat_lookup(session=d.session, room=d.room1, query="999")
    assert unknown.seat is None and "未找到" in unknown.message
    # A candidate of another session is told where they sit.
    other = theory_session(
        d.world,
        starts=d.session.ends,
        ends=(datetime.combine(d.session.day, d.session.ends) + timedelta(hours=1)).time(),
    )
    lone = sel.seat_lookup(session=other, room=d.room1, query="2025000123")
    assert not lone.here and "不参加本场次" in lone.message and d.room2.name in lone.message


# --- R7.1 checks -----------------------------------------------------------------------------------


def _check(d: Day, actor: User, kind: str, **kw: object) -> Check:
    args: dict[str, object] = {
        "actor": actor,
        "round": d.world.round,
        "site": d.world.site,
        "day": d.session.day,
        "kind": kind,
        "ok": True,
    }
    args.update(kw)
    return svc.check_record(**args)  # type: ignore[arg-type]


def test_a_failed_check_needs_the_problems() -> None:
    d = make_day()
    with pytest.raises(RuleViolation) as exc:
        _check(d, d.staff, CheckKind.PAPER_CUSTODY, ok=False)
    assert exc.value.field == "problems"
    c = _check(d, d.staff, CheckKind.PAPER_CUSTODY, ok=False, problems="保密柜锁损坏，已更换")
    assert not c.ok and audited("exam_check.record") == 1


def test_supervisor_check_only_by_a_supervisor() -> None:
    d = make_day()
    with pytest.raises(RuleViolation, match="督导"):
        _check(d, d.admin, CheckKind.SUPERVISOR_CHECK)
    assert _check(d, d.supervisor, CheckKind.SUPERVISOR_CHECK).checked_by == d.supervisor


def test_briefing_needs_minutes_of_an_allowed_type() -> None:
    d = make_day()
    with pytest.raises(RuleViolation, match="会议纪要"):
        _check(d, d.staff, CheckKind.BRIEFING)
    with pytest.raises(RuleViolation, match="PDF"):
        _check(d, d.staff, CheckKind.BRIEFING, attachment=SimpleUploadedFile("m.txt", b"hello"))
    big = SimpleUploadedFile("m.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(RuleViolation, match="10MB"):
        _check(d, d.staff, CheckKind.BRIEFING, attachment=big)
    c = _check(d, d.staff, CheckKind.BRIEFING, attachment=SimpleUploadedFile("m.pdf", PDF))
    assert c.attachment.name.endswith(".pdf.enc")
    data, content_type = svc.stored_file(c.attachment.name, svc.check_context(d.world.round.pk))
    assert data == PDF and content_type == "application/pdf"
    with c.attachment.open("rb") as f:
        assert f.read() != PDF  # encrypted at rest


def test_a_site_check_needs_a_session_that_day() -> None:
    d = make_day()
    with pytest.raises(RuleViolation, match="没有考试场次"):
        _check(d, d.staff, CheckKind.PAPER_CUSTODY, day=d.session.day + timedelta(days=30))


def test_envelope_count_must_match_the_seats_or_say_why() -> None:
    d = make_day()
    room_kw = {"session": d.session, "room": d.room1}
    with pytest.raises(RuleViolation, match="份数"):
        _check(d, d.staff, CheckKind.ENVELOPES, **room_kw)
    with pytest.raises(RuleViolation) as exc:
        _check(d, d.staff, CheckKind.ENVELOPES, count=5, **room_kw)
    assert "4人" in exc.value.message and exc.value.field == "problems"
    assert _check(d, d.staff, CheckKind.ENVELOPES, count=4, **room_kw).count == 4
    assert _check(d, d.staff, CheckKind.ENVELOPES, count=5, problems="多一份备用卷", **room_kw).count == 5


def test_room_checks_follow_the_session_kind() -> None:
    d = make_day()
    with pytest.raises(RuleViolation, match="不适用"):
        _check(d, d.staff, CheckKind.CBT_MACHINES, session=d.session, room=d.room1)
    with pytest.raises(RuleViolation, match="按考场"):
        _check(d, d.staff, CheckKind.ENVELOPES)
    with pytest.raises(RuleViolation, match="不是本场次"):
        _check(d, d.staff, CheckKind.ENVELOPES, session=d.session, room=d.world.practical_room, count=0)
    cbt = theory_session(
        d.world,
        delivery=Delivery.CBT,
        starts=d.session.ends,
        ends=(datetime.combine(d.session.day, d.session.ends) + timedelta(hours=1)).time(),
    )
    seat(cbt, d.world.applications[0], d.room1, 1)
    assert (
        _check(d, d.staff, CheckKind.CBT_MACHINES, session=cbt, room=d.room1).kind == CheckKind.CBT_MACHINES
    )


def test_practical_setup_by_an_assessor_or_the_admin() -> None:
    d = make_day()
    prac = practical_session(d.world)
    seat(prac, d.world.applications[0], d.world.practical_room, 1)
    kw = {"session": prac, "room": d.world.practical_room}
    with pytest.raises(RuleViolation, match="考评员"):
        _check(d, d.staff, CheckKind.PRACTICAL_SETUP, **kw)
    assert _check(d, d.assessor, CheckKind.PRACTICAL_SETUP, **kw).room == d.world.practical_room
    assert _check(d, d.admin, CheckKind.PRACTICAL_SETUP, **kw).checked_by == d.admin


# --- room log --------------------------------------------------------------------------------------


def test_room_log_and_equipment_faults() -> None:
    d = make_day()
    e = svc.room_log_add(
        actor=d.staff, session=d.session, room=d.room1, kind=LogKind.RULES_READ, text="宣读考场规则"
    )
    assert e.at and audited("room_log.add") == 1
    with pytest.raises(RuleViolation, match="处理人"):
        svc.room_log_add(
            actor=d.staff, session=d.session, room=d.room1, kind=LogKind.EQUIPMENT_FAULT, text="灯坏"
        )
    with pytest.raises(RuleViolation, match="不是本场次"):
        svc.room_log_add(
            actor=d.staff, session=d.session, room=d.world.practical_room, kind=LogKind.EVENT, text="x"
        )
    prac = practical_session(d.world)
    room = d.world.practical_room
    seat(prac, d.world.applications[0], room, 1)
    plan = StaffPlan.objects.create(round=d.world.round)
    person = PersonFactory(name="李考评")
    StaffAssignment.objects.create(
        plan=plan, person=person, role=StaffRole.ASSESSOR, site=d.world.site, session=prac, room=room
    )
    with pytest.raises(RuleViolation, match="李考评"):
        svc.room_log_add(
            actor=d.staff,
            session=prac,
            room=room,
            kind=LogKind.EQUIPMENT_FAULT,
            text="焊机故障",
            handled_by="张三",
        )
    ok = svc.room_log_add(
        actor=d.staff,
        session=prac,
        room=room,
        kind=LogKind.EQUIPMENT_FAULT,
        text="焊机故障",
        handled_by="李考评",
    )
    assert ok.handled_by == "李考评"


# --- violations ------------------------------------------------------------------------------------


def test_violation_only_for_a_candidate_of_the_room() -> None:
    d = make_day()
    with pytest.raises(RuleViolation, match="本考场"):
        svc.violation_record(
            actor=d.staff,
            session=d.session,
            room=d.room1,
            seat=d.seats2[0],
            kind=ViolationKind.COPYING,
            description="抄袭",
        )
    with pytest.raises(RuleViolation, match="PDF"):
        svc.violation_record(
            actor=d.staff,
            session=d.session,
            room=d.room1,
            seat=d.seats1[0],
            kind=ViolationKind.DEVICE,
            description="使用手机",
            evidence=SimpleUploadedFile("x.gif", b"GIF89a"),
        )
    v = svc.violation_record(
        actor=d.staff,
        session=d.session,
        room=d.room1,
        seat=d.seats1[0],
        kind=ViolationKind.DEVICE,
        description="使用手机",
        evidence=SimpleUploadedFile("x.png", PNG),
    )
    assert v.ruling == Ruling.PENDING and v.application == d.seats1[0].application
    assert svc.stored_file(v.evidence.name, svc.evidence_context(d.session.pk)) == (PNG, "image/png")
    assert audited("violation.record") == 1


def test_ruling_by_a_supervisor_once_with_a_note() -> None:
    d = make_day()
    v = svc.violation_record(
        actor=d.staff,
        session=d.session,
        room=d.room1,
        seat=d.seats1[0],
        kind=ViolationKind.DEVICE,
        description="使用手机",
    )
    with pytest.raises(RuleViolation, match="督导员"):
        svc.violation_rule(actor=d.admin, violation=v, ruling=Ruling.WARNING, note="警告")
    with pytest.raises(RuleViolation) as exc:
        svc.violation_rule(actor=d.supervisor, violation=v, ruling=Ruling.VOID_MODULE)
    assert exc.value.field == "note"
    with pytest.raises(RuleViolation, match="认定结果"):
        svc.violation_rule(actor=d.supervisor, violation=v, ruling=Ruling.PENDING, note="x")
    ruled = svc.violation_rule(
        actor=d.supervisor, violation=v, ruling=Ruling.VOID_MODULE, note="依据考场规则第5条"
    )
    assert ruled.ruled_by == d.supervisor and ruled.ruled_at and audited("violation.rule") == 1
    with pytest.raises(RuleViolation, match="不能更改"):
        svc.violation_rule(actor=d.supervisor, violation=v, ruling=Ruling.DISMISSED)
    v.refresh_from_db()
    assert v.ruling == Ruling.VOID_MODULE and audited("violation.rule") == 1


def test_dismissal_needs_no_note() -> None:
    d = make_day()
    v = svc.violation_record(
        actor=d.staff,
        session=d.session,
        room=d.room1,
        seat=d.seats1[1],
        kind=ViolationKind.OTHER,
        description="疑似",
    )
    assert (
        svc.violation_rule(actor=d.supervisor, violation=v, ruling=Ruling.DISMISSED).ruling
        == Ruling.DISMISSED
    )


# --- R7.3 seals and finishing ----------------------------------------------------------------------


def test_seal_counts_and_once_per_kind() -> None:
    d = make_day()
    kw = {
        "actor": d.staff,
        "session": d.session,
        "room": d.room1,
        "seal_no": "FT-01",
        "handed_over_to": "王主任",
    }
    with pytest.raises(RuleViolation) as exc:
        svc.material_seal(kind=MaterialKind.PAPERS, count=5, **kw)  # type: ignore[arg-type]
    assert "4人" in exc.value.message and exc.value.field == "count"
    with pytest.raises(RuleViolation, match="签到表"):
        svc.material_seal(kind=MaterialKind.SIGN_IN, count=9, **kw)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="封条"):
        svc.material_seal(kind=MaterialKind.PAPERS, count=4, **{**kw, "seal_no": " "})  # type: ignore[arg-type]
    # Score sheets and summaries are not counted per seat.
    assert svc.material_seal(kind=MaterialKind.SUMMARY, count=12, **kw).count == 12  # type: ignore[arg-type]
    svc.material_seal(kind=MaterialKind.PAPERS, count=4, **kw)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="重复"):
        svc.material_seal(kind=MaterialKind.PAPERS, count=3, **kw)  # type: ignore[arg-type]
    assert audited("material.seal") == 2


def test_finish_lists_what_is_missing_then_finishes() -> None:
    d = make_day()
    svc.seat_check_in(actor=d.staff, seat=d.seats1[0], session=d.session, room=d.room1)
    seal_all(d, d.room1, 1)
    with pytest.raises(RuleViolation) as exc:
        svc.exam_session_finish(actor=d.staff, session=d.session)
    msg = exc.value.message
    assert "第1考场有3名考生未签到" in msg and "第2考场有4名考生" in msg
    assert "第2考场未登记密封：试卷（答题卡）、签到表" in msg and "第1考场未登记密封" not in msg
    d.session.refresh_from_db()
    assert d.session.finished_at is None
    for room in (d.room1, d.room2):
        svc.seats_mark_absent(actor=d.staff, session=d.session, room=room, now=started(d.session))
    seal_all(d, d.room2, 0)
    finished = svc.exam_session_finish(actor=d.staff, session=d.session)
    assert finished.finished_at is not None and audited("exam_session.finish") == 1
    with pytest.raises(RuleViolation, match="确认结束"):
        svc.exam_session_finish(actor=d.staff, session=d.session)
    with pytest.raises(RuleViolation, match="确认结束"):
        svc.seat_check_in(actor=d.staff, seat=d.seats1[1], session=finished, room=d.room1)


def test_finish_needs_seats() -> None:
    d = make_day()
    empty = theory_session(
        d.world,
        starts=d.session.ends,
        ends=(datetime.combine(d.session.day, d.session.ends) + timedelta(hours=1)).time(),
    )
    with pytest.raises(RuleViolation, match="没有安排考生座位"):
        svc.exam_session_finish(actor=d.staff, session=empty)


# --- the quality-supervision form ------------------------------------------------------------------


def report_data(**kw: object) -> svc.SupervisionData:
    values: dict[str, object] = {
        "attendance_ok": True,
        "briefing_ok": True,
        "papers_ok": True,
        "rooms_ok": True,
        "scoring_ok": True,
        "problems": "",
        "overall": Overall.GOOD,
        "evaluation": "组织规范，秩序良好。",
    }
    values.update(kw)
    return svc.SupervisionData(**values)  # type: ignore[arg-type]


def test_supervision_form_once_per_site_and_day() -> None:
    d = make_day()
    kw = {"round": d.world.round, "site": d.world.site, "day": d.session.day}
    with pytest.raises(RuleViolation, match="督导员"):
        svc.supervision_report_submit(actor=d.admin, data=report_data(), **kw)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation) as exc:
        svc.supervision_report_submit(actor=d.supervisor, data=report_data(papers_ok=False), **kw)  # type: ignore[arg-type]
    assert exc.value.field == "problems"
    report = svc.supervision_report_submit(
        actor=d.supervisor,
        data=report_data(papers_ok=False, problems="第2考场试卷袋开启时间早5分钟，已纠正"),
        **kw,  # type: ignore[arg-type]
    )
    assert report.author == d.supervisor and audited("supervision_report.submit") == 1
    with pytest.raises(RuleViolation, match="已提交"):
        svc.supervision_report_submit(actor=d.supervisor, data=report_data(), **kw)  # type: ignore[arg-type]
    assert SupervisionReport.objects.count() == 1


def test_supervision_pdf_text() -> None:
    d = make_day()
    report = svc.supervision_report_submit(
        actor=d.supervisor,
        round=d.world.round,
        site=d.world.site,
        day=d.session.day,
        data=report_data(
            rooms_ok=False, problems="第2考场监控探头离线，已改为全程录像", overall=Overall.FAIR
        ),
    )
    text = pdf_text(supervision_pdf_bytes(report))
    assert "质量督导表" in text
    assert d.world.site.name in text and d.world.round.name in text
    assert "考场设置、监控符合要求" in text and "否" in text
    assert "第2考场监控探头离线，已改为全程录像" in text
    assert "☑ 较好" in text and "组织规范，秩序良好。" in text


# --- the hub ---------------------------------------------------------------------------------------


def test_hub_counts() -> None:
    d = make_day()
    svc.seat_check_in(actor=d.staff, seat=d.seats1[0], session=d.session, room=d.room1)
    svc.violation_record(
        actor=d.staff,
        session=d.session,
        room=d.room1,
        seat=d.seats1[0],
        kind=ViolationKind.DEVICE,
        description="手机",
    )
    svc.material_seal(
        actor=d.staff,
        session=d.session,
        room=d.room1,
        kind="papers",
        count=1,
        seal_no="1",
        handed_over_to="王",
    )
    _check(d, d.staff, CheckKind.ENVELOPES, session=d.session, room=d.room1, count=4)
    _check(d, d.staff, CheckKind.PAPER_CUSTODY)
    days = sel.exam_day_hub(round=d.world.round)
    assert [x.day for x in days] == [d.session.day]
    site_day = days[0].sites[0]
    assert site_day.checks_done == [CheckKind.PAPER_CUSTODY.label] and site_day.checks_total == 4
    r1, r2 = site_day.sessions[0].rooms
    assert (r1.room, r1.seated, r1.present, r1.pending_rulings, r1.checks_done, r1.all_sealed) == (
        d.room1,
        4,
        1,
        1,
        True,
        False,
    )
    assert r1.sealed == [MaterialKind.PAPERS.label]
    assert (r2.present, r2.pending_rulings, r2.checks_done) == (0, 0, False)
    # A later failed check replaces the earlier pass.
    _check(d, d.staff, CheckKind.PAPER_CUSTODY, ok=False, problems="锁坏")
    assert sel.exam_day_hub(round=d.world.round)[0].sites[0].checks_done == []


def test_now_is_used_for_absentees_by_default() -> None:
    d = make_day(day=timezone.localdate() - timedelta(days=1))
    assert svc.seats_mark_absent(actor=d.staff, session=d.session, room=d.room2) == 4
