"""Idempotent demo of the exam side: a round whose plan the authority confirmed, its rooms, sessions,
seating, staff plan, tickets and the exam-day records of one finished session.

Run after ``seed-applications``. Every write goes through the services, so the rules (R5.1's ten
working days, R5.2, R6.3–R6.5, R7) and the audit ledger apply to the demo as to real work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from skillcert.catalog.models import ModuleKind
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Employee, Organisation, User
from skillcert.core.models.accounts import Role
from skillcert.enrollment import demo as enrollment_demo
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.filings import selectors as filing_selectors
from skillcert.filings.models import PoolMember, PoolRole, Site
from skillcert.filings.services import resources as pool_services
from skillcert.logistics.examday_models import (
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
    ViolationKind,
)
from skillcert.logistics.models import (
    Attendance,
    Delivery,
    ExamSession,
    Room,
    RoomKind,
    Seat,
    StaffPlan,
    StaffPlanStatus,
)
from skillcert.logistics.selectors import live_seats
from skillcert.logistics.services import examday
from skillcert.logistics.services import rooms as room_services
from skillcert.logistics.services import seating as seating_services
from skillcert.logistics.services import sessions as session_services
from skillcert.logistics.services import staffing as staffing_services
from skillcert.logistics.services import tickets as ticket_services
from skillcert.logistics.services.rooms import RoomData
from skillcert.logistics.services.sessions import SessionData
from skillcert.rounds import services as round_services
from skillcert.rounds import services_plans as plan_services
from skillcert.rounds.demo import CONTENT_METHODS, REGISTRATION_METHOD
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus, EvaluationMethod
from skillcert.rounds.services import RoundData
from skillcert.rounds.services_plans import MethodData, PlanData

ENTERPRISE = enrollment_demo.ENTERPRISE
CANDIDATES = 72
SEED = 20266
SLOT_BASE = 5000


@dataclass
class SeedReport:
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dates:
    """The demo round's calendar, relative to the day the demo is seeded."""

    opens: date
    closes: date
    applied: date  # the day the applications are filled in and reviewed
    submitted: date  # the day the certification plan goes to the authority
    theory: date  # the finished session
    practical: date  # the sessions still to come
    ends: date

    @classmethod
    def around(cls, today: date) -> Dates:
        theory = today - timedelta(days=2)
        return cls(
            opens=today - timedelta(days=75),
            closes=today - timedelta(days=55),
            applied=today - timedelta(days=58),
            submitted=theory - timedelta(days=28),
            theory=theory,
            practical=today + timedelta(days=3),
            ends=today + timedelta(days=10),
        )


def _user(enterprise: Organisation, role: str, preferred: str) -> User | None:
    users = User.objects.filter(organisation=enterprise, role_assignments__role=role, is_active=True)
    return users.filter(username=preferred).first() or users.order_by("pk").first()


def _round_data(enterprise: Organisation, name: str, d: Dates) -> RoundData:
    def md(x: date) -> str:
        return f"{x.month}月{x.day}日"

    return RoundData(
        name=name,
        year=d.opens.year,
        registration_opens=d.opens,
        registration_closes=d.closes,
        evaluation_starts=d.theory,
        evaluation_ends=d.ends,
        reference_date=d.closes,
        schedule_note=(
            f"{md(d.opens)}至{md(d.closes)}：职工在线报名，所在部门签署意见；\n"
            f"{md(d.theory)}：理论知识考试（纸笔）；\n"
            f"{md(d.practical)}：操作技能考核；\n"
            "评价结束后10个工作日内：公示评价结果，公示期5个工作日。"
        ),
        content_methods=CONTENT_METHODS,
        registration_method=REGISTRATION_METHOD,
        contact_name=enterprise.contact_name or "人力资源部 王老师",
        contact_phone=enterprise.contact_phone or "0531-88880000",
    )


def _offerings(actor: User | None, rnd: Round, on: date) -> None:
    """Three offerings in scope whose standards have a theory and a practical module: 四级 and 三级 first."""
    items = sorted(
        filing_selectors.scope_in_force(enterprise=rnd.enterprise, on=on),
        key=lambda i: (-i.level, i.occupation.code, i.job_type_id or 0),
    )
    chosen = 0
    seen: set[int] = set()
    for item in items:
        if item.occupation_id in seen or item.level not in (4, 3):
            continue
        round_services.offering_add(
            actor=actor,
            round=rnd,
            occupation=item.occupation,
            job_type=item.job_type,
            level=item.level,
            standard=item.standard,
            quota=30,
        )
        seen.add(item.occupation_id)
        chosen += 1
        if chosen == 3:
            break


def _candidates(rnd: Round, actors: enrollment_demo.Actors, report: SeedReport) -> None:
    """72 approved candidates through the enrollment services; staff-pool members are left out."""
    offerings = list(
        rnd.offerings.select_related("occupation", "job_type", "standard__rule_set").order_by("pk")
    )
    staffing = enrollment_demo.Staffing(rnd.enterprise, rnd)
    pooled = set(PoolMember.objects.filter(enterprise=rnd.enterprise).values_list("person_id", flat=True))
    staffing.used.update(e.pk for e in staffing.pool if e.person_id in pooled)
    applied = set(Application.objects.filter(round=rnd).values_list("person_id", flat=True))
    rng = random.Random(SEED)
    for n in range(CANDIDATES):
        # Slot numbers past the open round's (0–299) keep generated certificate numbers apart.
        slot = enrollment_demo.Slot(SLOT_BASE + n, offerings[n % len(offerings)], "approved", "clean")
        employee = staffing.take(slot)
        if employee.person_id in applied:
            continue
        try:
            with transaction.atomic():
                app = enrollment_demo.apply_one(slot, employee, rnd, actors)
        except RuleViolation as exc:
            report.lines.append(f"注意：{employee.person.name} 的申报未能审核通过：{exc.message}")
            continue
        applied.add(employee.person_id)
        if app.status != ApplicationStatus.APPROVED:
            report.lines.append(f"注意：{app.name} 的申报为“{app.get_status_display()}”")
    # The demo candidate (jz_worker) sits this round, so the home page shows a ticket.
    worker = User.objects.filter(username="jz_worker").first()
    mine = (
        Employee.objects.filter(person__user=worker, enterprise=rnd.enterprise)
        .select_related("person")
        .first()
        if worker
        else None
    )
    if mine is not None and mine.person_id not in applied:
        four = next((o for o in offerings if o.level == 4), offerings[0])
        slot = enrollment_demo.Slot(SLOT_BASE + rng.randrange(1000, 2000), four, "approved", "clean")
        try:
            with transaction.atomic():
                enrollment_demo.apply_one(slot, mine, rnd, actors)
        except RuleViolation as exc:
            report.lines.append(f"演示考生 jz_worker 未能申报：{exc.message}")


def _plan(rnd: Round, actor: User | None) -> None:
    plan_services.assessment_plan_save(
        actor=actor,
        round=rnd,
        data=PlanData(
            basis="国家职业技能标准（2018年版、2020年版）",
            sites="公司职工培训中心（历城区工业北路）\n公司技能实训基地",
            schedule=rnd.schedule_note,
            process="资格审核→考务准备→理论知识考试→操作技能考核→阅卷统分→结果公示→证书发放",
            room_setup="理论考场每场不超过30人，每考场2名监考人员；实操考场按工位设置，每考评组3名考评员。",
            staff_exam=12,
            staff_assessors=9,
            staff_supervisors=2,
            staff_note="考务、考评、督导人员均从公司评价人员库中选派，本批次内不兼任，按规定回避。",
            contingency="设立应急小组；停电、设备故障时暂停考试并记录，延长相应时间；突发疾病由医务室处置。",
            contact_name="王老师",
            contact_phone="0531-88880000",
        ),
    )
    for offering in rnd.offerings.all():
        modules = {m.kind for m in plan_services.offering_modules(offering)}
        theory = 40 if ModuleKind.THEORY in modules else None
        practical = 60 if ModuleKind.PRACTICAL in modules else None
        if theory is None or practical is None:
            theory, practical = (100, None) if practical is None else (None, 100)
        plan_services.plan_method_save(
            actor=actor,
            round=rnd,
            offering=offering,
            data=MethodData(
                method=EvaluationMethod.EXAMINATION,
                weight_theory=theory,
                weight_practical=practical,
                weight_ability=50,
                weight_performance=30,
                weight_ethics=10,
                weight_craftsmanship=10,
            ),
        )


def _pledge_png() -> bytes:
    from skillcert.enrollment.demo import placeholder_photo

    return placeholder_photo("M")


def _confirm(rnd: Round, actor: User | None, reviewer: User, d: Dates) -> None:
    upload = SimpleUploadedFile("审核承诺书.png", _pledge_png(), content_type="image/png")
    plan_services.pledge_upload(actor=actor, round=rnd, upload=upload)
    cert = plan_services.certification_plan_submit(actor=actor, round=rnd, today=d.submitted)
    plan_services.certification_plan_confirm(actor=reviewer, plan=cert)
    # The story's clock: submitted on d.submitted, confirmed three days later. Only the displayed
    # timestamps move; the rules were applied as of those days and the ledger keeps the real times.
    CertificationPlan.objects.filter(pk=cert.pk).update(
        submitted_at=_at(d.submitted, time(10, 0)),
        decided_at=_at(d.submitted + timedelta(days=3), time(15, 30)),
    )


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def confirmed_round(today: date, report: SeedReport) -> Round | None:
    """The demo enterprise's "<year>年第1批": published, 72 approved candidates, plan confirmed."""
    enterprise = Organisation.objects.filter(name=ENTERPRISE).first()
    if enterprise is None:
        report.lines.append(f"跳过：没有{ENTERPRISE}。请先运行 seed-demo、seed-filings。")
        return None
    clerk = _user(enterprise, Role.ENTERPRISE_ADMIN, "jz_admin")
    exam = _user(enterprise, Role.EXAM_STAFF, "jz_exam")
    reviewer = User.objects.filter(username="jn_review").first()
    if clerk is None or exam is None or reviewer is None:
        report.lines.append("跳过：缺少演示账号 jz_admin、jz_exam 或 jn_review。请先运行 seed-demo。")
        return None
    d = Dates.around(today)
    name = f"{d.opens.year}年第1批"
    rnd = Round.objects.filter(enterprise=enterprise, name=name).first()
    if rnd is None:
        rnd = round_services.round_create(
            actor=clerk, enterprise=enterprise, data=_round_data(enterprise, name, d)
        )
        _offerings(clerk, rnd, d.theory)
        rnd = round_services.round_publish(actor=clerk, round=rnd, today=d.opens)
        report.lines.append(f"{ENTERPRISE}：已发布“{name}”，评价 {d.theory} 至 {d.ends}")
    if not Application.objects.filter(round=rnd, status=ApplicationStatus.APPROVED).exists():
        _candidates(rnd, enrollment_demo.Actors(clerk=clerk, reviewer=exam, today=d.applied), report)
    cert = getattr(rnd, "certification_plan", None)
    if cert is None or cert.status != CertificationPlanStatus.CONFIRMED:
        try:
            with transaction.atomic():
                _plan(rnd, clerk)
                _confirm(rnd, clerk, reviewer, d)
        except RuleViolation as exc:
            report.lines.append(f"跳过考务演示：认定计划未能提交（{exc.rule}）：{exc.message}")
            return None
        report.lines.append(f"“{name}”认定计划已于 {d.submitted} 提交，济南市人社局已确认")
    approved = Application.objects.filter(round=rnd, status=ApplicationStatus.APPROVED).count()
    report.lines.append(f"“{name}”：审核通过的考生 {approved} 人")
    return rnd


def offerings_of(rnd: Round) -> list[RoundOffering]:
    return list(rnd.offerings.select_related("occupation", "job_type", "standard").order_by("pk"))


# --------------------------------------------------------------------------- rooms and sessions

THEORY_ROOMS = ("第1考场", "第2考场", "第3考场")


def _rooms(actor: User, rnd: Round, report: SeedReport) -> dict[int, Site]:
    """Theory rooms at the first site; two practical rooms per offered occupation where its equipment is.

    Returns the site of each offering's practical session (by offering id)."""
    sites = list(Site.objects.filter(enterprise=rnd.enterprise, is_active=True).order_by("pk"))
    by_occupation: dict[int, Site] = {}
    for site in sites:
        for eq in site.equipment.prefetch_related("occupations"):
            for occ in eq.occupations.all():
                by_occupation.setdefault(occ.pk, site)
    made = 0
    main = sites[0]
    for name in THEORY_ROOMS:
        if not Room.objects.filter(site=main, name=name).exists():
            room_services.room_create(
                actor=actor,
                site=main,
                data=RoomData(name=name, kind=RoomKind.THEORY, capacity=30, note="标准化考场，配备电子监控"),
            )
            made += 1
    chosen: dict[int, Site] = {}
    for offering in offerings_of(rnd):
        site = by_occupation.get(offering.occupation_id, main)
        chosen[offering.pk] = site
        for suffix in ("A", "B"):
            name = f"{offering.occupation.name}实操{suffix}区"
            if Room.objects.filter(site=site, name=name).exists():
                continue
            monitored = suffix == "A"
            room_services.room_create(
                actor=actor,
                site=site,
                data=RoomData(
                    name=name,
                    kind=RoomKind.PRACTICAL,
                    capacity=14,
                    monitored=monitored,
                    # R6.1: where a camera cannot be used (sparks, smoke), the process is recorded otherwise.
                    alt_record=""
                    if monitored
                    else "现场作业粉尘、弧光较大，采用执法记录仪全程录像并由两名考评员书面记录",
                    occupations=(offering.occupation,),
                ),
            )
            made += 1
    report.lines.append(f"考场：新建 {made} 个（理论考场 {len(THEORY_ROOMS)} 个，实操考场每个职业 2 个）")
    return chosen


def _sessions(actor: User, rnd: Round, d: Dates, sites: dict[int, Site]) -> None:
    if rnd.exam_sessions.exists():
        return
    offerings = offerings_of(rnd)
    main = Site.objects.filter(enterprise=rnd.enterprise, is_active=True).order_by("pk").first()
    assert main is not None
    session_services.exam_session_create(
        actor=actor,
        round=rnd,
        data=SessionData(
            module=ModuleKind.THEORY,
            delivery=Delivery.PAPER,
            offerings=tuple(offerings),
            site=main,
            day=d.theory,
            starts=time(9, 0),
            ends=time(10, 30),
            note="理论知识考试（闭卷，纸笔）",
        ),
    )
    for i, offering in enumerate(offerings):
        starts = time(8, 30) if i % 2 == 0 else time(13, 30)
        session_services.exam_session_create(
            actor=actor,
            round=rnd,
            data=SessionData(
                module=ModuleKind.PRACTICAL,
                delivery=Delivery.ONSITE,
                offerings=(offering,),
                site=sites[offering.pk],
                day=d.practical,
                starts=starts,
                ends=time(starts.hour + 3, starts.minute),
                note="操作技能考核",
            ),
        )


# --------------------------------------------------------------------------- the staff pool and plan


def _pool(actor: User, rnd: Round, report: SeedReport) -> None:
    """Enough people for the round: assessors for each offered occupation, exam-affairs staff, supervisors.

    Candidates of the round are never taken (they may not be staff, R6.5)."""
    ent = rnd.enterprise
    taken = set(Application.objects.filter(round=rnd).values_list("person_id", flat=True))
    taken |= set(PoolMember.objects.filter(enterprise=ent).values_list("person_id", flat=True))
    free = [
        e
        for e in Employee.objects.filter(enterprise=ent, is_active=True, person__user__isnull=True)
        .select_related("person", "department")
        .order_by("employee_no")
        if e.person_id not in taken
    ]
    # Staff from departments without candidates of the round first: same-department recusal (R6.3, R6.4).
    busy = set(
        Application.objects.filter(round=rnd, employee__isnull=False).values_list(
            "employee__department_id", flat=True
        )
    )
    free.sort(key=lambda e: (e.department_id in busy, e.employee_no))
    if PoolMember.objects.filter(enterprise=ent, role=PoolRole.EXAM_STAFF).exists():
        return
    sites = list(Site.objects.filter(enterprise=ent, is_active=True).order_by("pk"))
    added = 0
    valid = d_plus_years(rnd.evaluation_ends, 3)
    for offering in offerings_of(rnd):
        for n in range(7):
            e = free.pop(0)
            pool_services.pool_member_create(
                actor=actor,
                enterprise=ent,
                person=e.person,
                role=PoolRole.ASSESSOR,
                occupation=offering.occupation,
                max_level=3 if n % 2 else 2,
                certificate_no=f"KPY{rnd.year}{offering.occupation_id:03d}{n:03d}",
                valid_until=valid,
            )
            added += 1
    for n in range(16):
        e = free.pop(0)
        pool_services.pool_member_create(
            actor=actor,
            enterprise=ent,
            person=e.person,
            role=PoolRole.EXAM_STAFF,
            home_site=sites[n % len(sites)],
        )
        added += 1
    for _n in range(2):
        e = free.pop(0)
        pool_services.pool_member_create(
            actor=actor, enterprise=ent, person=e.person, role=PoolRole.SUPERVISOR
        )
        added += 1
    report.lines.append(f"评价人员库：新增 {added} 人（考评员、考务人员、质量督导员）")


def d_plus_years(day: date, years: int) -> date:
    return day.replace(year=day.year + years)


def _staff_plan(actor: User, rnd: Round, report: SeedReport) -> None:
    plan = StaffPlan.objects.filter(round=rnd).first()
    if plan is not None and plan.status == StaffPlanStatus.SAVED:
        return
    plan = staffing_services.staff_plan_generate(actor=actor, round=rnd, time_limit=10.0)
    if plan.findings or plan.status != StaffPlanStatus.DRAFT:
        why = plan.stats.get("explanations") or [staffing_services.findings_sentence(plan.findings)]
        report.lines.append(f"人员编排未完成：{'；'.join(why)}")
        return
    plan = staffing_services.staff_plan_save(actor=actor, round=rnd)
    report.lines.append(
        f"人员编排：{plan.assignments.count()} 项安排，目标值 {plan.objective}（贪心基线 {plan.baseline_objective}）"
    )


# --------------------------------------------------------------------------- exam day of the theory session


def _exam_day(rnd: Round, d: Dates, report: SeedReport) -> None:
    session = rnd.exam_sessions.filter(module=ModuleKind.THEORY).order_by("day", "starts").first()
    if session is None or session.finished_at is not None:
        return
    ent = rnd.enterprise
    exam = _user(ent, Role.EXAM_STAFF, "jz_exam")
    supervisor = _user(ent, Role.SUPERVISOR, "jz_supervisor")
    if exam is None or supervisor is None:
        report.lines.append("跳过考试当天记录：缺少演示账号 jz_exam 或 jz_supervisor。")
        return
    site, day = session.site, session.day
    minutes = SimpleUploadedFile("考前工作会议纪要.png", _pledge_png(), content_type="image/png")
    for kind in (CheckKind.PAPER_CUSTODY, CheckKind.BRIEFING, CheckKind.PROCTOR_TRAINING):
        examday.check_record(
            actor=exam,
            round=rnd,
            site=site,
            day=day,
            kind=kind,
            ok=True,
            note=CHECK_NOTES[kind],
            attachment=minutes if kind == CheckKind.BRIEFING else None,
        )
    examday.check_record(
        actor=supervisor,
        round=rnd,
        site=site,
        day=day,
        kind=CheckKind.SUPERVISOR_CHECK,
        ok=True,
        note=CHECK_NOTES[CheckKind.SUPERVISOR_CHECK],
    )
    rng = random.Random(SEED)
    start = timezone.make_aware(datetime.combine(day, session.starts))
    rooms = sorted({s.room for s in live_seats(session=session)}, key=lambda r: r.name)
    first_violation = True
    for room in rooms:
        seats = list(live_seats(session=session).filter(room=room))
        examday.check_record(
            actor=exam,
            round=rnd,
            site=site,
            day=day,
            kind=CheckKind.ENVELOPES,
            ok=True,
            count=len(seats),
            session=session,
            room=room,
            note="试卷袋职业、等级、份数与考场安排一致，密封完好。",
        )
        absent = {rng.randrange(len(seats))} if len(seats) > 5 else set()
        for i, seat in enumerate(seats):
            if i not in absent:
                examday.seat_check_in(actor=exam, seat=seat, session=session, room=room)
        examday.seats_mark_absent(actor=exam, session=session, room=room, now=start + timedelta(minutes=16))
        for minutes_after, log_kind, text in ROOM_LOG:
            examday.room_log_add(
                actor=exam,
                session=session,
                room=room,
                kind=log_kind,
                text=text,
                at=start + timedelta(minutes=minutes_after),
            )
        present = [s for i, s in enumerate(seats) if i not in absent]
        if first_violation and present:
            first_violation = False
            violation = examday.violation_record(
                actor=exam,
                session=session,
                room=room,
                seat=present[-1],
                kind=ViolationKind.DEVICE,
                description="开考后第40分钟，监考人员发现该考生将手机放在抽屉内且处于开机状态，当即收缴并记录。",
                evidence_note="监控录像 09:40–09:42 片段已存档",
            )
            examday.violation_rule(
                actor=supervisor,
                violation=violation,
                ruling=Ruling.VOID_MODULE,
                note="经调看监控并询问考生，认定携带开机状态的通讯工具，取消本科目成绩。",
            )
        for material, count in (
            (MaterialKind.PAPERS, len(present)),
            (MaterialKind.SIGN_IN, 1),
            (MaterialKind.ROOM_LOG, 1),
        ):
            examday.material_seal(
                actor=exam,
                session=session,
                room=room,
                kind=material,
                count=count,
                seal_no=f"JZ{day:%m%d}-{room.pk:03d}-{material[:2].upper()}",
                handed_over_to="考务办公室 李老师",
            )
    examday.exam_session_finish(actor=exam, session=session)
    examday.supervision_report_submit(
        actor=supervisor,
        round=rnd,
        site=site,
        day=day,
        data=examday.SupervisionData(
            attendance_ok=True,
            briefing_ok=True,
            papers_ok=True,
            rooms_ok=True,
            scoring_ok=True,
            problems="第1考场一名考生携带开机手机，已按规定处理。",
            overall=Overall.GOOD,
            evaluation="考务人员按时到岗，考前会议和监考培训按要求进行；试卷保管、启封、回收规范；考场秩序良好。",
        ),
    )
    _exam_day_clock(session, start)
    report.lines.append(f"{session}：已完成签到、考场记录、违纪认定、材料密封和质量督导表，场次已结束")


def _exam_day_clock(session: ExamSession, start: datetime) -> None:
    """Put the exam-day timestamps on the session's day (the records were made by the seed, today):
    check-ins in the half hour before the start, rulings and seals after the end. Display only."""
    end = timezone.make_aware(datetime.combine(session.day, session.ends))
    rng = random.Random(SEED)
    for seat in Seat.objects.filter(session=session, attendance=Attendance.PRESENT):
        Seat.objects.filter(pk=seat.pk).update(checked_in_at=start - timedelta(minutes=rng.randint(3, 30)))
    Check.objects.filter(session=session).update(checked_at=start - timedelta(minutes=40))
    Check.objects.filter(
        round=session.round, site=session.site, day=session.day, session__isnull=True
    ).update(checked_at=start - timedelta(minutes=70))
    Violation.objects.filter(session=session).update(
        reported_at=start + timedelta(minutes=41), ruled_at=end + timedelta(minutes=20)
    )
    MaterialSeal.objects.filter(session=session).update(sealed_at=end + timedelta(minutes=10))
    RoomLogEntry.objects.filter(session=session).update(recorded_at=F("at"))
    ExamSession.objects.filter(pk=session.pk).update(finished_at=end + timedelta(minutes=30))
    SupervisionReport.objects.filter(round=session.round, site=session.site, day=session.day).update(
        submitted_at=end + timedelta(minutes=60)
    )


CHECK_NOTES = {
    CheckKind.PAPER_CUSTODY: "试卷由专人保管于保密室，双人双锁，启封前检查封条完好。",
    CheckKind.BRIEFING: "考前1小时召开考务工作会议，宣读考务要求和应急预案，纪要附后。",
    CheckKind.PROCTOR_TRAINING: "监考人员学习考场规则、违纪处理规定和应急处置办法，全部到会。",
    CheckKind.SUPERVISOR_CHECK: "考务人员按时到岗，考前会议已召开，试卷保管符合要求。",
}
ROOM_LOG = (
    (-10, LogKind.RULES_READ, "宣读考场规则，提醒考生将通讯工具关机后放在指定位置。"),
    (0, LogKind.PAPERS_OUT, "当众启封试卷袋，发放试卷和答题卡。"),
    (85, LogKind.EVENT, "考试结束前5分钟提醒考生。"),
    (90, LogKind.PAPERS_IN, "收回试卷和答题卡，清点无误。"),
)


def seed_logistics(today: date) -> SeedReport:
    report = SeedReport()
    rnd = confirmed_round(today, report)
    if rnd is None:
        return report
    actor = _user(rnd.enterprise, Role.ENTERPRISE_ADMIN, "jz_admin")
    assert actor is not None  # confirmed_round checked it
    d = Dates.around(today)
    with transaction.atomic():
        sites = _rooms(actor, rnd, report)
        _sessions(actor, rnd, d, sites)
        _pool(actor, rnd, report)
    if rnd.exam_sessions.filter(seats__isnull=True).exists():
        outcomes = seating_services.seating_assign_round(actor=actor, round=rnd)
        seated = sum(o.placed for o in outcomes)
        unseated = sum(len(o.unseated) for o in outcomes)
        report.lines.append(f"座位编排：{len(outcomes)} 个场次，安排 {seated} 人次，未安排 {unseated} 人次")
    _staff_plan(actor, rnd, report)
    issued = ticket_services.ticket_issue_all(actor=actor, round=rnd)
    report.lines.append(f"准考证：新生成 {issued.created} 张，保留 {issued.kept} 张")
    with transaction.atomic():
        _exam_day(rnd, d, report)
    return report
