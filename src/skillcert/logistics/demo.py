"""Idempotent demo of the exam side: a round whose plan the authority confirmed, its rooms, sessions,
seating, staff plan, tickets and the exam-day records of one finished session.

Run after ``seed-applications``. Every write goes through the services, so the rules (R5.1's ten
working days, R5.2, R6.3–R6.5, R7) and the audit ledger apply to the demo as to real work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from skillcert.catalog.models import ModuleKind
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Employee, Organisation, User
from skillcert.core.models.accounts import Role
from skillcert.enrollment import demo as enrollment_demo
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.filings import selectors as filing_selectors
from skillcert.filings.models import PoolMember
from skillcert.rounds import services as round_services
from skillcert.rounds import services_plans as plan_services
from skillcert.rounds.demo import CONTENT_METHODS, REGISTRATION_METHOD
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.plans import CertificationPlanStatus, EvaluationMethod
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
    employee = (
        Employee.objects.filter(person__user=worker, enterprise=rnd.enterprise)
        .select_related("person")
        .first()
        if worker
        else None
    )
    if employee is not None and employee.person_id not in applied:
        four = next((o for o in offerings if o.level == 4), offerings[0])
        slot = enrollment_demo.Slot(SLOT_BASE + rng.randrange(1000, 2000), four, "approved", "clean")
        try:
            with transaction.atomic():
                enrollment_demo.apply_one(slot, employee, rnd, actors)
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


def seed_logistics(today: date) -> SeedReport:
    report = SeedReport()
    rnd = confirmed_round(today, report)
    if rnd is None:
        return report
    return report
