"""Writes of the assessment plan and the certification plan (R4, R5); every change is audited.

The certification plan moves draft → submitted → confirmed, or submitted → returned → submitted.
Submitting needs a complete assessment plan, the sealed review pledge (attachment 3) and the list of
approved candidates, and is refused when the first evaluation day is fewer than 10 working days away,
counted on the working-day calendar in the database (R5.1, R5.3).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog.models import ModuleKind, StandardModule
from skillcert.core import audit, crypto
from skillcert.core import calendar as workcal
from skillcert.core.deadlines import R5_1
from skillcert.core.errors import RuleViolation
from skillcert.core.models import NotificationKind, User
from skillcert.core.services.deadlines import deadline_close, deadline_open
from skillcert.core.services.notify import admins_of, notify
from skillcert.core.workdays import UnknownYearError
from skillcert.filings import selectors as filing_selectors
from skillcert.rounds import services as round_services
from skillcert.rounds.announcement import cn_date
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from skillcert.rounds.plans import (
    AmendmentKind,
    AssessmentPlan,
    CertificationPlan,
    CertificationPlanStatus,
    EvaluationMethod,
    PlanAmendment,
    PlanMethod,
)

__all__ = [
    "NOTICE_WORKDAYS",
    "MethodData",
    "PlanData",
    "amendment_record",
    "approved_application_ids",
    "assessment_plan_save",
    "certification_plan_confirm",
    "certification_plan_return",
    "certification_plan_submit",
    "earliest_first_day",
    "evaluation_date_move",
    "evaluation_date_move_before_submission",
    "method_problems",
    "plan_method_save",
    "plan_problems",
    "pledge_scan_bytes",
    "pledge_upload",
    "require_plan_confirmed",
    "require_plan_editable",
    "submission_deadline",
]

NOTICE_WORKDAYS = 10  # R5.1: registered at least 10 working days before the evaluation
PLEDGE_MAX_BYTES = 10 * 1024 * 1024
APPROVED = (
    "approved"  # enrollment.ApplicationStatus.APPROVED; rounds may not import enrollment (DESIGN layout)
)
PLEDGE_TYPES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG": ("image/png", "png"),
}
CONTENT_FIELDS = ("weight_ability", "weight_performance", "weight_ethics", "weight_craftsmanship")
MODULE_FIELDS = {
    ModuleKind.THEORY: "weight_theory",
    ModuleKind.PRACTICAL: "weight_practical",
    ModuleKind.REVIEW: "weight_review",
}


# --- reading helpers shared with the documents and views -------------------------------------------


def approved_application_ids(*, round: Round) -> list[int]:
    """The round's approved applications (the eligible candidates of R5.1), by id."""
    return sorted(round.applications.filter(status=APPROVED).values_list("pk", flat=True))


def offering_modules(offering: RoundOffering) -> list[StandardModule]:
    """The modules the offering's standard sets for its level (theory, practical, review)."""
    order: list[str] = [str(k) for k in MODULE_FIELDS]
    found = StandardModule.objects.filter(standard_id=offering.standard_id, level=offering.level)
    return sorted(found, key=lambda m: order.index(m.kind) if m.kind in order else len(order))


# --- the assessment plan (R4) ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanData:
    """The typed sections of attachment 2 (三 地点, 四 流程, 六, 七, 八, 九)."""

    basis: str = ""
    sites: str = ""
    schedule: str = ""
    process: str = ""
    room_setup: str = ""
    staff_exam: int = 0
    staff_assessors: int = 0
    staff_supervisors: int = 0
    staff_note: str = ""
    contingency: str = ""
    contact_name: str = ""
    contact_phone: str = ""

    @classmethod
    def of(cls, plan: AssessmentPlan) -> PlanData:
        return cls(**{f.name: getattr(plan, f.name) for f in fields(cls)})


PLAN_FIELDS = tuple(f.name for f in fields(PlanData))


@dataclass(frozen=True)
class MethodData:
    """Section 四 for one offering."""

    method: str
    direct_grounds: str = ""
    weight_theory: int | None = None
    weight_practical: int | None = None
    weight_review: int | None = None
    weight_ability: int = 0
    weight_performance: int = 0
    weight_ethics: int = 0
    weight_craftsmanship: int = 0
    note: str = ""


METHOD_FIELDS = tuple(f.name for f in fields(MethodData))


def require_plan_editable(*, round: Round) -> None:
    """The plans may change while the certification plan is a draft or returned (afterwards: amendments)."""
    cert = CertificationPlan.objects.filter(round=round).first()
    if cert is not None and not cert.editable:
        raise RuleViolation(
            "R5.2",
            _("认定计划%(s)s，考核方案不能再修改；确认后的变更请登记为认定计划变更。")
            % {"s": cert.get_status_display()},
        )


def _plan_for_write(round: Round) -> AssessmentPlan:
    plan, _created = AssessmentPlan.objects.select_for_update().get_or_create(round=round)
    return plan


def assessment_plan_save(*, actor: User | None, round: Round, data: PlanData) -> AssessmentPlan:
    """Create or change the typed sections of the round's assessment plan."""
    for name in ("staff_exam", "staff_assessors", "staff_supervisors"):
        value = getattr(data, name)
        if value < 0 or value > 9999:
            raise RuleViolation("R4.1", _("人数须在 0 至 9999 之间。"), field=name)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        require_plan_editable(round=round)
        plan = _plan_for_write(round)
        changed = [n for n in PLAN_FIELDS if getattr(plan, n) != getattr(data, n)]
        for n in changed:
            value = getattr(data, n)
            setattr(plan, n, value.strip() if isinstance(value, str) else value)
        plan.updated_by = actor
        plan.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit.record(
            actor=actor,
            action="assessment_plan.update",
            obj=plan,
            organisation_id=round.enterprise_id,
            summary={"round": round.pk, "fields": changed},
        )
    return plan


def method_problems(*, offering: RoundOffering, data: MethodData) -> list[tuple[str, str]]:
    """(field, Chinese sentence) for each way ``data`` breaks R4.2 for ``offering``; empty when valid."""
    out: list[tuple[str, str]] = []
    if data.method not in EvaluationMethod.values:
        return [("method", _("请选择评价方式。"))]
    if data.method == EvaluationMethod.DIRECT:
        if not data.direct_grounds.strip():
            out.append(("direct_grounds", _("直接认定须写明认定依据（如竞赛获奖、荣誉称号）。")))
        return out
    modules = offering_modules(offering)
    if modules:
        total = 0
        for m in modules:
            weight = getattr(data, MODULE_FIELDS[ModuleKind(m.kind)])
            if weight is None:
                out.append(
                    (
                        MODULE_FIELDS[ModuleKind(m.kind)],
                        _("请填写“%(m)s”的权重。") % {"m": m.get_kind_display()},
                    )
                )
            else:
                total += weight
        if not out and total != 100:
            first = MODULE_FIELDS[ModuleKind(modules[0].kind)]
            out.append((first, _("各考核模块的权重合计须为100%%，现为%(t)s%%。") % {"t": total}))
    content = sum(getattr(data, n) for n in CONTENT_FIELDS)
    if content != 100:
        out.append(
            (
                "weight_ability",
                _("职业能力、工作业绩、职业道德、工匠精神的权重合计须为100%%，现为%(t)s%%。")
                % {"t": content},
            )
        )
    return out


def plan_method_save(
    *, actor: User | None, round: Round, offering: RoundOffering, data: MethodData
) -> PlanMethod:
    """Set the evaluation method of one offering of the round (R4.2); refuses invalid weights or grounds."""
    if offering.round_id != round.pk:
        raise RuleViolation("R4.1", _("该职业（工种）等级不属于本批次。"))
    problems = method_problems(offering=offering, data=data)
    if problems:
        field, message = problems[0]
        raise RuleViolation("R4.2", message, field=field)
    if data.method == EvaluationMethod.DIRECT:
        # A direct recognition has no modules or content weights; keep only its grounds.
        data = MethodData(
            method=data.method, direct_grounds=data.direct_grounds.strip(), note=data.note.strip()
        )
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        require_plan_editable(round=round)
        plan = _plan_for_write(round)
        row, created = PlanMethod.objects.get_or_create(
            offering=offering, defaults={"plan": plan, "method": data.method}
        )
        for n in METHOD_FIELDS:
            value = getattr(data, n)
            setattr(row, n, value.strip() if isinstance(value, str) else value)
        row.save(update_fields=list(METHOD_FIELDS))
        audit.record(
            actor=actor,
            action="plan_method.set",
            obj=row,
            organisation_id=round.enterprise_id,
            summary={"round": round.pk, "offering": offering.pk, "method": data.method, "created": created},
        )
    return row


def plan_problems(*, round: Round) -> list[str]:
    """What keeps the assessment plan from being submitted, as Chinese sentences (R4.1, R4.2)."""
    out: list[str] = []
    plan = AssessmentPlan.objects.filter(round=round).first()
    offerings = list(round.offerings.select_related("occupation", "job_type", "standard"))
    if not offerings:
        out.append(_("本批次尚未添加认定职业（工种）等级。"))
    if plan is None:
        out.append(_("尚未填写考核方案。"))
        return out
    rows = {m.offering_id: m for m in plan.methods.all()}
    for o in offerings:
        row = rows.get(o.pk)
        if row is None:
            out.append(_("“%(o)s”尚未确定评价方式。") % {"o": o})
            continue
        data = MethodData(**{n: getattr(row, n) for n in METHOD_FIELDS})
        out.extend(_("“%(o)s”：%(p)s") % {"o": o, "p": p} for _f, p in method_problems(offering=o, data=data))
    required = (
        ("sites", _("评价地点")),
        ("room_setup", _("考场设置")),
        ("contingency", _("应急预案")),
        ("contact_name", _("联系人")),
        ("contact_phone", _("联系电话")),
    )
    out.extend(
        _("请填写“%(f)s”。") % {"f": label} for name, label in required if not getattr(plan, name).strip()
    )
    if plan.staff_exam + plan.staff_assessors + plan.staff_supervisors == 0:
        out.append(_("请填写工作人员安排（考务人员、考评人员、质量督导员人数）。"))
    return out


# --- the certification plan (R5) -------------------------------------------------------------------


def _cert_for_write(round: Round) -> CertificationPlan:
    cert, _created = CertificationPlan.objects.select_for_update().get_or_create(round=round)
    return cert


def pledge_upload(*, actor: User | None, round: Round, upload: UploadedFile) -> CertificationPlan:
    """Store the sealed scan of the review pledge (attachment 3): a PDF, JPEG or PNG up to 10 MB."""
    size = upload.size or 0
    if size == 0 or size > PLEDGE_MAX_BYTES:
        raise RuleViolation("R5.1", _("请上传不超过10MB的盖章扫描件。"), field="scan")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = next((v for magic, v in PLEDGE_TYPES.items() if head.startswith(magic)), None)
    if kind is None:
        raise RuleViolation("R5.1", _("审核承诺书扫描件须为 PDF、JPG 或 PNG 文件。"), field="scan")
    content_type, ext = kind
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round.pk)
        cert = _cert_for_write(round)
        if not cert.editable:
            raise RuleViolation(
                "R5.2",
                _("认定计划%(s)s，不能更换审核承诺书。") % {"s": cert.get_status_display()},
                field="scan",
            )
        old = cert.pledge_scan.name if cert.pledge_scan else ""
        upload.seek(0)
        sealed = crypto.encrypt(upload.read(), context=_pledge_context(round.pk))
        cert.pledge_scan.save(f"pledge-{round.pk}.{ext}.enc", ContentFile(sealed), save=False)
        cert.pledge_scan_type = content_type
        cert.pledge_uploaded_at = timezone.now()
        cert.save(update_fields=["pledge_scan", "pledge_scan_type", "pledge_uploaded_at"])
        if old and old != cert.pledge_scan.name:
            cert.pledge_scan.storage.delete(old)
        audit.record(
            actor=actor,
            action="certification_plan.pledge_upload",
            obj=cert,
            organisation_id=round.enterprise_id,
            summary={"round": round.pk, "type": content_type, "bytes": size},
        )
    return cert


def _pledge_context(round_pk: int) -> bytes:
    return f"pledge:{round_pk}".encode()


def pledge_scan_bytes(cert: CertificationPlan) -> bytes:
    """The uploaded pledge scan, decrypted (S13: it is stored encrypted at rest)."""
    with cert.pledge_scan.open("rb") as f:
        blob = f.read()
    if cert.pledge_scan.name.endswith(".enc"):
        return crypto.decrypt(blob, context=_pledge_context(cert.round_id))
    return bytes(blob)  # uploaded before S13 encryption of the scan


def _calendar_error(exc: UnknownYearError) -> RuleViolation:
    return RuleViolation(
        "R5.3",
        _(
            "%(y)s年的节假日与调休安排尚未录入工作日历，无法计算10个工作日的期限。"
            "请系统管理员先在“工作日历”页面录入%(y)s年的官方安排，再提交。"
        )
        % {"y": exc.year},
    )


def submission_deadline(first_day: date) -> date:
    """The last day the plan may be submitted for an evaluation starting ``first_day`` (R5.1)."""
    try:
        return workcal.before(first_day, NOTICE_WORKDAYS)
    except UnknownYearError as exc:
        raise _calendar_error(exc) from None


def earliest_first_day(today: date) -> date:
    """The earliest first evaluation day a plan submitted ``today`` allows (10 working days from today on)."""
    try:
        return workcal.add_workdays(today - timedelta(days=1), NOTICE_WORKDAYS) + timedelta(days=1)
    except UnknownYearError as exc:
        raise _calendar_error(exc) from None


def require_notice(*, first_day: date, today: date) -> None:
    """Refuse, with the dates, when ``first_day`` is fewer than 10 working days after ``today`` (R5.1)."""
    deadline = submission_deadline(first_day)
    if today > deadline:
        raise RuleViolation(
            "R5.1",
            _(
                "认定计划须在评价实施前至少10个工作日提交：首场评价日期为%(first)s，最迟应于%(deadline)s提交。"
                "今天提交，评价最早可安排在%(earliest)s。请调整评价日期后再提交。"
            )
            % {
                "first": cn_date(first_day),
                "deadline": cn_date(deadline),
                "earliest": cn_date(earliest_first_day(today)),
            },
            field="evaluation_starts",
        )


def _record_deadline(
    *, actor: User | None, cert: CertificationPlan, round: Round, first: date, today: date
) -> None:
    """The round's R5.1 deadline (due 10 working days before ``first``), met on ``today``.

    The deadline is the round's, opened when the round was published, so the reminders came first."""
    deadline = deadline_open(
        rule=R5_1,
        subject=round,
        organisation=round.enterprise,
        start=first,
        today=today,
        title=str(cert),
        url=plan_url(round),
        actor=actor,
    )
    deadline_close(deadline=deadline, done_on=today, actor=actor)


def _tell_enterprise(*, cert: CertificationPlan, kind: NotificationKind, title: str, body: str = "") -> None:
    notify(
        recipients=admins_of(cert.round.enterprise),
        kind=kind,
        title=title,
        body=body,
        url=plan_url(cert.round),
        organisation=cert.round.enterprise,
    )


def plan_url(round: Round) -> str:
    return reverse("rounds:plan_detail", args=[round.pk])


def first_session_day(round: Round) -> date:
    """The first evaluation day; the round's evaluation start until the logistics app schedules sessions."""
    return round.evaluation_starts


def certification_plan_submit(*, actor: User | None, round: Round, today: date) -> CertificationPlan:
    """Register the certification plan with the filing authority (R5.1), or resubmit it after a return."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        cert = _cert_for_write(round)
        cert.require_transition(CertificationPlanStatus.SUBMITTED)
        problems = plan_problems(round=round)
        if problems:
            raise RuleViolation("R4.1", _("考核方案尚不完整：%(p)s") % {"p": "；".join(problems)})
        if not cert.pledge_scan:
            raise RuleViolation("R5.1", _("请先下载审核承诺书，负责人签字盖章后上传扫描件。"), field="scan")
        ids = approved_application_ids(round=round)
        if not ids:
            raise RuleViolation("R5.1", _("本批次还没有审核通过的考生，不能提交认定计划。"))
        first = first_session_day(round)
        require_notice(first_day=first, today=today)
        resubmitted = cert.status == CertificationPlanStatus.RETURNED
        cert.status = CertificationPlanStatus.SUBMITTED
        cert.candidate_ids, cert.candidate_count = ids, len(ids)
        cert.first_day = first
        cert.submitted_at, cert.submitted_by = timezone.now(), actor
        cert.save(
            update_fields=[
                "status",
                "candidate_ids",
                "candidate_count",
                "first_day",
                "submitted_at",
                "submitted_by",
            ]
        )
        audit.record(
            actor=actor,
            action="certification_plan.submit",
            obj=cert,
            organisation_id=round.enterprise_id,
            summary={
                "round": round.pk,
                "candidates": len(ids),
                "first_day": first.isoformat(),
                "resubmitted": resubmitted,
            },
        )
        _record_deadline(actor=actor, cert=cert, round=round, first=first, today=today)
    return cert


def certification_plan_confirm(*, actor: User, plan: CertificationPlan) -> CertificationPlan:
    """The filing authority confirms the plan; the exam side may start (R5.2)."""
    with transaction.atomic():
        cert = CertificationPlan.objects.select_for_update().select_related("round").get(pk=plan.pk)
        cert.require_transition(CertificationPlanStatus.CONFIRMED)
        cert.status = CertificationPlanStatus.CONFIRMED
        cert.decided_at, cert.decided_by = timezone.now(), actor
        cert.save(update_fields=["status", "decided_at", "decided_by"])
        audit.record(
            actor=actor,
            action="certification_plan.confirm",
            obj=cert,
            organisation_id=cert.round.enterprise_id,
            summary={"round": cert.round_id},
        )
        _tell_enterprise(
            cert=cert,
            kind=NotificationKind.PLAN_CONFIRMED,
            title=_("%(p)s已经人社部门确认，可以开始评价准备。") % {"p": cert},
        )
    return cert


def certification_plan_return(*, actor: User, plan: CertificationPlan, reasons: str) -> CertificationPlan:
    """The filing authority returns the plan with its reasons; the enterprise amends and resubmits."""
    reasons = reasons.strip()
    if not reasons:
        raise RuleViolation("R5.2", _("请写明退回原因，便于企业修改。"), field="reasons")
    if len(reasons) > 2000:
        raise RuleViolation("R5.2", _("退回原因不能超过2000字。"), field="reasons")
    with transaction.atomic():
        cert = CertificationPlan.objects.select_for_update().select_related("round").get(pk=plan.pk)
        cert.require_transition(CertificationPlanStatus.RETURNED)
        cert.status = CertificationPlanStatus.RETURNED
        cert.return_reasons = reasons
        cert.decided_at, cert.decided_by = timezone.now(), actor
        cert.save(update_fields=["status", "return_reasons", "decided_at", "decided_by"])
        audit.record(
            actor=actor,
            action="certification_plan.return",
            obj=cert,
            organisation_id=cert.round.enterprise_id,
            summary={"round": cert.round_id, "reasons": reasons[:200]},
        )
        _tell_enterprise(
            cert=cert,
            kind=NotificationKind.PLAN_RETURNED,
            title=_("%(p)s被人社部门退回，请修改后重新提交。") % {"p": cert},
            body=reasons,
        )
    return cert


def require_plan_confirmed(*, round: Round, action: str = "") -> None:
    """Refuse exam-side work (tickets, CBT, score entry) until the authority confirmed the plan (R5.2)."""
    confirmed = CertificationPlan.objects.filter(
        round_id=round.pk, status=CertificationPlanStatus.CONFIRMED
    ).exists()
    if not confirmed:
        what = action or _("开始评价")
        raise RuleViolation("R5.2", _("认定计划尚未经人社部门确认，不能%(a)s。") % {"a": what})


# --- amendments after confirmation -----------------------------------------------------------------


def _confirmed_for_write(round: Round) -> CertificationPlan:
    cert = CertificationPlan.objects.select_for_update().filter(round=round).first()
    if cert is None or cert.status != CertificationPlanStatus.CONFIRMED:
        raise RuleViolation("R5.2", _("认定计划确认后，变更才登记为认定计划变更；确认前请直接修改方案。"))
    return cert


def amendment_record(
    *,
    actor: User | None,
    round: Round,
    kind: str,
    description: str,
    application_id: int | None = None,
) -> PlanAmendment:
    """Record a change after confirmation (a candidate withdrawn, another change) for the authority to see."""
    description = description.strip()
    if kind not in AmendmentKind.values or kind == AmendmentKind.DATE_MOVED:
        raise RuleViolation("R5.2", _("请选择变更类型（调整评价日期请使用“调整评价日期”）。"), field="kind")
    if not description:
        raise RuleViolation("R5.2", _("请写明变更内容。"), field="description")
    with transaction.atomic():
        cert = _confirmed_for_write(round)
        row = PlanAmendment.objects.create(
            plan=cert,
            kind=kind,
            description=description[:2000],
            application_id=application_id,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="certification_plan.amend",
            obj=row,
            organisation_id=round.enterprise_id,
            summary={"round": round.pk, "kind": kind, "application": application_id},
        )
    return row


def evaluation_date_move(
    *, actor: User | None, round: Round, new_start: date, new_end: date, reason: str, today: date
) -> PlanAmendment:
    """Move the evaluation of a confirmed plan, re-checking the 10-working-day rule for the new date (R5.1)."""
    reason = reason.strip()
    if not reason:
        raise RuleViolation("R5.2", _("请写明调整原因。"), field="description")
    _require_dates(round=round, new_start=new_start, new_end=new_end)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=round.pk)
        cert = _confirmed_for_write(rnd)
        try:
            require_notice(first_day=new_start, today=today)
        except RuleViolation as exc:
            raise RuleViolation(exc.rule, exc.message, field="new_start") from None
        _require_offerings_in_scope(round=rnd, on=new_start)
        old = rnd.evaluation_starts
        rnd.evaluation_starts, rnd.evaluation_ends = new_start, new_end
        rnd.save(update_fields=["evaluation_starts", "evaluation_ends"])
        cert.first_day = new_start
        cert.save(update_fields=["first_day"])
        row = PlanAmendment.objects.create(
            plan=cert,
            kind=AmendmentKind.DATE_MOVED,
            description=reason[:2000],
            old_date=old,
            new_date=new_start,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="certification_plan.move_date",
            obj=row,
            organisation_id=rnd.enterprise_id,
            summary={"round": rnd.pk, "from": old.isoformat(), "to": new_start.isoformat()},
        )
        _record_deadline(actor=actor, cert=cert, round=rnd, first=new_start, today=today)
    return row


def _require_dates(*, round: Round, new_start: date, new_end: date) -> None:
    if new_end < new_start:
        raise RuleViolation("R2.1", _("评价结束日期不能早于评价开始日期。"), field="new_end")
    if new_start < round.registration_closes:
        raise RuleViolation(
            "R2.1",
            _("评价开始日期不能早于报名截止日期（%(d)s）。") % {"d": cn_date(round.registration_closes)},
            field="new_start",
        )


def _require_offerings_in_scope(*, round: Round, on: date) -> None:
    """Every offering of the round stays inside the enterprise's filed scope on the new date (R1.5)."""
    for o in round.offerings.all():
        try:
            filing_selectors.require_in_scope(
                enterprise=round.enterprise_id,
                occupation=o.occupation_id,
                job_type=o.job_type_id,
                level=o.level,
                on=on,
            )
        except RuleViolation as exc:
            raise RuleViolation(exc.rule, exc.message, field="new_start") from None


def evaluation_date_move_before_submission(
    *, actor: User | None, round: Round, new_start: date, today: date
) -> Round:
    """Move the evaluation of a published round whose certification plan is not yet submitted or confirmed.

    The end moves by the same number of days. The new first day must leave the 10 working days of R5.1
    when submitting ``today`` (the rule is checked again at submission), and every offering must stay
    in the enterprise's scope on it (R1.5). After submission the date is frozen; after confirmation
    :func:`evaluation_date_move` records the change as an amendment.
    """
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=round.pk)
        if rnd.status != RoundStatus.PUBLISHED:
            raise RuleViolation(
                "R2.1", _("只有已发布的批次在此调整评价日期；草稿批次请直接编辑批次。"), field="new_start"
            )
        cert = CertificationPlan.objects.select_for_update().filter(round=rnd).first()
        if cert is not None and not cert.editable:
            raise RuleViolation(
                "R5.2",
                _("认定计划%(s)s，确认前不能调整评价日期；确认后请登记为认定计划变更。")
                % {"s": cert.get_status_display()},
                field="new_start",
            )
        shift = new_start - rnd.evaluation_starts
        new_end = rnd.evaluation_ends + shift
        _require_dates(round=rnd, new_start=new_start, new_end=new_end)
        try:
            require_notice(first_day=new_start, today=today)
        except RuleViolation as exc:
            raise RuleViolation(exc.rule, exc.message, field="new_start") from None
        _require_offerings_in_scope(round=rnd, on=new_start)
        old_start, old_end = rnd.evaluation_starts, rnd.evaluation_ends
        rnd.evaluation_starts, rnd.evaluation_ends = new_start, new_end
        rnd.save(update_fields=["evaluation_starts", "evaluation_ends"])
        audit.record(
            actor=actor,
            action="round.move_evaluation",
            obj=rnd,
            organisation_id=rnd.enterprise_id,
            summary={
                "from": [old_start.isoformat(), old_end.isoformat()],
                "to": [new_start.isoformat(), new_end.isoformat()],
                "plan": cert.status if cert else "",
            },
        )
        round_services.plan_deadline_track(actor=actor, round=rnd, today=today)
    return rnd
