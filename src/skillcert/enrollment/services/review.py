"""The enterprise's eligibility review (R3.3, R3.4): approve, reject, return, confirm, override, export.

Every decision is taken on a locked row (two reviewers may open the same application), moves the
status only through :meth:`Application.require_transition`, and writes one audit event. The
reasons an application cannot be approved are computed by :func:`approval_problems`, so the
detail page, the single approval and the bulk approval give the same sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog.models import Level
from skillcert.core import audit
from skillcert.core.documents import Cell, Sheet, write_xlsx
from skillcert.core.errors import RuleViolation
from skillcert.core.models import EmploymentType, User
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationFlag,
    ApplicationStatus,
    Eligibility,
    FlagSeverity,
)
from skillcert.enrollment.services.evaluation import application_evaluate
from skillcert.rounds.models import Round

REASON_MAX = 500
NOTE_MAX = 300
RELATIONS = ("same", "related", "unrelated")


def export_headers() -> list[str]:
    """The columns of the certification plan's candidate list (认定计划 考生名单)."""
    return [
        _("序号"),
        _("姓名"),
        _("性别"),
        _("身份证号"),
        _("职业"),
        _("工种"),
        _("等级"),
        _("人员来源"),
        _("文化程度"),
        _("现岗位"),
        _("审核时间"),
    ]


def employment_label(value: str) -> str:
    """正式在岗 / 劳务派遣 / 外包 from the stored key; a free text (an import's own wording) as it is."""
    if value in EmploymentType.values:
        return str(EmploymentType(value).label)
    return value


def _listing(items: Iterable[str]) -> str:
    """Sentences joined with "；" inside a longer sentence (their own full stops dropped)."""
    return "；".join(item.rstrip("。；. ") for item in items)


def _locked(application: Application) -> Application:
    """The application row, locked for the rest of the transaction (only the row, not its joins)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "offering__occupation", "offering__job_type", "person")
        .get(pk=application.pk)
    )


def _refuse_own(app: Application, actor: User) -> None:
    # A reviewer who is also an applicant of the round never decides their own case.
    if app.person.user_id is not None and app.person.user_id == actor.pk:
        raise RuleViolation("R3.3", _("不能审核本人的申报，请由其他审核人员办理。"))


def _require_submitted(app: Application) -> None:
    if app.status != ApplicationStatus.SUBMITTED:
        raise RuleViolation(
            "R3.3",
            _("申报当前状态为“%(s)s”，只有待审核的申报可以办理此项。") % {"s": app.get_status_display()},
        )


def _required_text(value: str, *, field_name: str, message: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise RuleViolation("R3.3", message, field=field_name)
    if len(text) > limit:
        raise RuleViolation(
            "R3.3",
            _("不能超过 %(n)d 个字（现为 %(m)d 个字）。") % {"n": limit, "m": len(text)},
            field=field_name,
        )
    return text


# --------------------------------------------------------------------------- what stops approval


def _questions(reasons: list[str]) -> list[str]:
    """The reasons that ask a person to decide (the engine words them "…需人工确认"); else all of them."""
    asks = [r for r in reasons if "人工确认" in r]
    return asks or list(reasons)


def approval_problems(*, application: Application, confirm_note: str = "") -> list[RuleViolation]:
    """Every reason `application` cannot be approved now, in the order a reviewer resolves them.

    Empty when it can. Reads the flags from the database, so pass the locked row inside a
    transaction when the answer decides a write.
    """
    app = application
    problems: list[RuleViolation] = []
    flags = list(
        ApplicationFlag.objects.filter(application_id=app.pk).only(
            "severity", "message", "confirmed_at", "rule", "application_id"
        )
    )
    blocking = [f for f in flags if f.severity == FlagSeverity.BLOCK]
    if blocking:
        problems.append(
            RuleViolation(
                "R3.3",
                _("尚有 %(n)d 项须更正的问题：%(list)s。须退回申报人更正后重新提交，不能审核通过。")
                % {"n": len(blocking), "list": _listing(f.message for f in blocking)},
            )
        )
    result = app.eligibility
    if result == Eligibility.PENDING:
        problems.append(RuleViolation("R3.3", _("尚未核算申报条件，请先“重新核算”。")))
    elif result == Eligibility.INELIGIBLE:
        problems.append(
            RuleViolation(
                "R3.3",
                _("不符合申报条件：%(r)s。")
                % {"r": _listing(app.eligibility_reasons) or _("没有一项申报条件得到满足")},
            )
        )
    elif result == Eligibility.CONFIRM and not confirm_note.strip():
        problems.append(
            RuleViolation(
                "R3.3",
                _(
                    "申报条件需人工确认：%(r)s。请确认已有证书与申报职业的关系，"
                    "或在“人工确认说明”中写明核实情况后再审核通过。"
                )
                % {"r": _listing(_questions(app.eligibility_reasons))},
                field="confirm_note",
            )
        )
    if app.post_mismatch and not app.post_override_reason:
        problems.append(
            RuleViolation(
                "R3.2",
                _("现从事岗位“%(post)s”与申报职业“%(occ)s”不一致，须由审核人员填写理由确认后方可通过。")
                % {"post": app.current_post, "occ": app.offering.occupation.name},
            )
        )
    unconfirmed = [f for f in flags if f.severity == FlagSeverity.WARN and f.confirmed_at is None]
    if unconfirmed:
        problems.append(
            RuleViolation(
                "R3.3",
                _("尚有 %(n)d 项提示未核实：%(list)s。请逐项核实并确认。")
                % {"n": len(unconfirmed), "list": _listing(f.message for f in unconfirmed)},
            )
        )
    return problems


# --------------------------------------------------------------------------- decisions


def application_approve(
    *, application: Application, actor: User, confirm_note: str = "", bulk: bool = False
) -> Application:
    """Approve an application that is clean and eligible (R3.3); "confirm" needs the reviewer's note."""
    note = (confirm_note or "").strip()
    with transaction.atomic():
        app = _locked(application)
        app.require_transition(ApplicationStatus.APPROVED)
        _refuse_own(app, actor)
        if len(note) > REASON_MAX - 10:
            raise RuleViolation(
                "R3.3", _("人工确认说明不能超过 %(n)d 个字。") % {"n": REASON_MAX - 10}, field="confirm_note"
            )
        problems = approval_problems(application=app, confirm_note=note)
        if problems:
            raise problems[0]
        confirmed = app.eligibility == Eligibility.CONFIRM
        app.status = ApplicationStatus.APPROVED
        app.review_reason = _("人工确认：%(n)s") % {"n": note} if confirmed else ""
        app.reviewed_by = actor
        app.reviewed_at = timezone.now()
        app.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at", "updated_at"])
        audit.record(
            actor=actor,
            action="application.approve",
            obj=app,
            summary={
                "round": app.round_id,
                "eligibility": app.eligibility,
                "confirm_note": note if confirmed else "",
                "post_override": bool(app.post_mismatch),
                "bulk": bulk,
            },
        )
    return app


def _decide_with_reason(
    *, application: Application, actor: User, reason: str, target: str, action: str, missing: str
) -> Application:
    with transaction.atomic():
        app = _locked(application)
        app.require_transition(target)
        _refuse_own(app, actor)
        text = _required_text(reason, field_name="reason", message=missing, limit=REASON_MAX)
        app.status = target
        app.review_reason = text
        app.reviewed_by = actor
        app.reviewed_at = timezone.now()
        app.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at", "updated_at"])
        audit.record(actor=actor, action=action, obj=app, summary={"round": app.round_id, "reason": text})
    return app


def application_reject(*, application: Application, actor: User, reason: str) -> Application:
    """Refuse an application for good; the candidate sees the reason (R3.3)."""
    return _decide_with_reason(
        application=application,
        actor=actor,
        reason=reason,
        target=ApplicationStatus.REJECTED,
        action="application.reject",
        missing=_("请填写不予通过的理由，申报人将看到这一理由。"),
    )


def application_return(*, application: Application, actor: User, reason: str) -> Application:
    """Send an application back: the candidate corrects it and resubmits within the registration window."""
    return _decide_with_reason(
        application=application,
        actor=actor,
        reason=reason,
        target=ApplicationStatus.RETURNED,
        action="application.return",
        missing=_("请填写退回修改的理由，写明申报人需要更正的内容。"),
    )


# --------------------------------------------------------------------------- resolving doubts


def flag_confirm(*, flag: ApplicationFlag, actor: User, note: str) -> ApplicationFlag:
    """A reviewer confirms a warning after verifying it (R3.3); blocking flags need the candidate's correction."""
    with transaction.atomic():
        app = _locked(flag.application)
        row = ApplicationFlag.objects.select_for_update(of=("self",)).get(pk=flag.pk, application_id=app.pk)
        _require_submitted(app)
        _refuse_own(app, actor)
        if row.severity != FlagSeverity.WARN:
            raise RuleViolation(
                "R3.3",
                _("“%(m)s”须由申报人更正，审核人员不能确认；请退回修改。") % {"m": row.message},
            )
        if row.confirmed_at is not None:
            raise RuleViolation("R3.3", _("该提示已核实，无需重复确认。"))
        text = _required_text(note, field_name="note", message=_("请写明核实的方式和结果。"), limit=NOTE_MAX)
        row.confirmed_by = actor
        row.confirmed_at = timezone.now()
        row.confirm_note = text
        row.save(update_fields=["confirmed_by", "confirmed_at", "confirm_note"])
        audit.record(
            actor=actor,
            action="application.flag_confirm",
            obj=app,
            summary={"flag": row.pk, "code": row.code, "field": row.field, "note": text},
        )
    return row


def post_mismatch_override(*, application: Application, actor: User, reason: str) -> Application:
    """Accept an application whose occupation differs from the worker's post, for a stated reason (R3.2)."""
    with transaction.atomic():
        app = _locked(application)
        _require_submitted(app)
        _refuse_own(app, actor)
        if not app.post_mismatch:
            raise RuleViolation("R3.2", _("现从事岗位与申报职业一致，无需确认。"))
        text = _required_text(
            reason,
            field_name="reason",
            message=_("请写明岗位与申报职业不一致仍可申报的理由（如实际从事的工作内容）。"),
            limit=NOTE_MAX,
        )
        app.post_override_reason = text
        app.post_override_by = actor
        app.save(update_fields=["post_override_reason", "post_override_by", "updated_at"])
        audit.record(
            actor=actor,
            action="application.post_override",
            obj=app,
            summary={"post": app.current_post, "occupation": app.offering.occupation.name, "reason": text},
        )
    return app


def certificate_relation_confirm(
    *,
    certificate: ApplicationCertificate,
    actor: User,
    relation: str,
    note: str = "",
    today: date | None = None,
) -> Application:
    """Record how a held certificate relates to the applied occupation, then evaluate eligibility again."""
    if relation not in RELATIONS:
        raise RuleViolation("R3.3", _("请选择证书与申报职业的关系。"), field="relation")
    text = (note or "").strip()[:NOTE_MAX]
    with transaction.atomic():
        app = _locked(certificate.application)
        cert = ApplicationCertificate.objects.select_for_update(of=("self",)).get(
            pk=certificate.pk, application_id=app.pk
        )
        _require_submitted(app)
        _refuse_own(app, actor)
        before = app.eligibility
        cert.relation_confirmed = relation
        cert.save(update_fields=["relation_confirmed"])
        app = application_evaluate(application=app, today=today)
        audit.record(
            actor=actor,
            action="application.certificate_relation",
            obj=app,
            summary={
                "certificate": cert.pk,
                "number": cert.number,
                "relation": relation,
                "note": text,
                "eligibility_before": before,
                "eligibility_after": app.eligibility,
            },
        )
    return app


def application_reevaluate(
    *, application: Application, actor: User, today: date | None = None
) -> Application:
    """Run the automatic checks and the eligibility evaluation again (after a rule set or data change)."""
    with transaction.atomic():
        app = _locked(application)
        _require_submitted(app)
        before = (app.eligibility, app.blocking_flags, app.warning_flags)
        app = application_evaluate(application=app, today=today)
        audit.record(
            actor=actor,
            action="application.evaluate",
            obj=app,
            summary={
                "eligibility_before": before[0],
                "eligibility_after": app.eligibility,
                "blocking": app.blocking_flags,
                "warnings": app.warning_flags,
            },
        )
    return app


# --------------------------------------------------------------------------- many at once


@dataclass(frozen=True)
class Skipped:
    pk: int
    name: str
    reason: str


@dataclass
class BulkApproveResult:
    approved: list[Application] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def application_bulk_approve(*, actor: User, round: Round, ids: Iterable[int]) -> BulkApproveResult:
    """Approve the clean eligible applications among `ids`; report every one skipped and why (R3.3).

    Clean means: submitted, no blocking flag, every warning confirmed, result "eligible" (a
    "confirm" result needs a note, so it is approved one by one) and no unconfirmed post mismatch.
    Each approval is its own transaction, so one refusal never undoes the others.
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    result = BulkApproveResult()
    found = {
        a.pk: a for a in Application.objects.filter(round=round, pk__in=wanted).only("pk", "name", "round_id")
    }
    for pk in wanted:
        app = found.get(pk)
        if app is None:
            result.skipped.append(Skipped(pk, "", _("不属于本认定批次或已不存在。")))
            continue
        try:
            result.approved.append(application_approve(application=app, actor=actor, bulk=True))
        except RuleViolation as exc:
            result.skipped.append(Skipped(pk, app.name, str(exc)))
    return result


# --------------------------------------------------------------------------- export


def approved_rows(*, round: Round) -> list[list[Cell]]:
    """The approved candidates of a round, one row each, ID numbers masked (S14)."""
    apps = (
        Application.objects.filter(round=round, status=ApplicationStatus.APPROVED)
        .select_related("person", "offering__occupation", "offering__job_type")
        .only(
            "name",
            "sex",
            "education",
            "current_post",
            "employment_type",
            "reviewed_at",
            "person__id_number_masked",
            "offering__level",
            "offering__occupation__name",
            "offering__occupation__code",
            "offering__job_type__name",
        )
        .order_by("offering__occupation__code", "offering__job_type__name", "-offering__level", "name", "pk")
    )
    rows: list[list[Cell]] = []
    for n, app in enumerate(apps, start=1):
        offering = app.offering
        rows.append(
            [
                n,
                app.name,
                app.get_sex_display(),
                app.person.id_number_masked,
                offering.occupation.name,
                offering.job_type.name if offering.job_type is not None else "",
                str(Level(offering.level).label),
                employment_label(app.employment_type),
                app.get_education_display(),
                app.current_post,
                timezone.localtime(app.reviewed_at) if app.reviewed_at else None,
            ]
        )
    return rows


def approved_export(*, round: Round, actor: User) -> bytes:
    """The approved-candidate list of a round as .xlsx, ID numbers masked; audited as export.approved.

    A list with full ID numbers is a bulk export of personal data and needs two people (S8);
    it is not offered here.
    """
    rows = approved_rows(round=round)
    data = write_xlsx(
        [
            Sheet(
                title=_("审核通过人员名单"),
                headers=export_headers(),
                rows=rows,
                notes=(
                    _("%(r)s · 审核通过 %(n)d 人 · 导出时间 %(t)s")
                    % {"r": round.name, "n": len(rows), "t": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
                    _("身份证号已脱敏（S14）；含完整身份证号的名单属个人信息批量导出，须经两人审批（S8）。"),
                ),
            )
        ]
    )
    audit.record(
        actor=actor,
        action="export.approved",
        obj=round,
        organisation_id=round.enterprise_id,
        summary={"rows": len(rows), "masked": True},
    )
    return data
