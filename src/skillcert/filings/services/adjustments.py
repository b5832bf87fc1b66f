"""Writes for scope adjustments: draft, submit, return, forward, and the Ministry's decision (R1.3, R1.4).

Every move goes through ScopeAdjustment.require_transition (the table in models.py); each service
locks the row, writes only the fields it changes and records one audit event.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.catalog.models import JobType, Occupation, Standard
from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User
from skillcert.filings import selectors, window
from skillcert.filings.models import (
    AdjustmentAction,
    AdjustmentItem,
    AdjustmentStatus,
    Filing,
    ScopeAdjustment,
    ScopeItem,
)
from skillcert.filings.services import jsonable
from skillcert.filings.services.filing import ScopeEntry, check_entry, entry_label, resolve_standard

PARENT_FILING_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
PARENT_FILING_MAX_BYTES = 10 * 1024 * 1024
REASON_MAX = 2000


def _locked(adjustment: ScopeAdjustment) -> ScopeAdjustment:
    return (
        ScopeAdjustment.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=adjustment.pk)
    )


def _require_draft(adj: ScopeAdjustment) -> None:
    if adj.status != AdjustmentStatus.DRAFT:
        raise RuleViolation(
            "R1.3",
            _("调整申请当前状态为“%(s)s”，只有草稿可以修改。") % {"s": adj.get_status_display()},
            field="status",
        )


def _same_key(occupation: Occupation, job_type: JobType | None, level: int) -> Q:
    job_q = Q(job_type__isnull=True) if job_type is None else Q(job_type=job_type)
    return Q(occupation=occupation, level=level) & job_q


def _audit(actor: User | None, action: str, adj: ScopeAdjustment, **summary: object) -> None:
    audit.record(
        actor=actor,
        action=f"adjustment.{action}",
        obj=adj,
        organisation_id=adj.enterprise_id,
        summary=jsonable({"number": adj.number, "status": adj.status, **summary}),
    )


# --- drafting (enterprise) ----------------------------------------------------------------------


def adjustment_create(*, actor: User | None, enterprise: Organisation, reason: str = "") -> ScopeAdjustment:
    """Start a draft adjustment; only a filed enterprise may adjust its scope (R1.1, R1.3)."""
    filing = Filing.objects.filter(enterprise=enterprise).first()
    if filing is None:
        raise RuleViolation("R1.1", _("本企业尚未备案为评价机构，不能申请调整评价范围。"), field="enterprise")
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise RuleViolation("R1.3", _("调整理由不能超过 %(n)s 字。") % {"n": REASON_MAX}, field="reason")
    with transaction.atomic():
        adj = ScopeAdjustment.objects.create(
            enterprise=enterprise, authority_id=filing.authority_id, reason=reason, created_by=actor
        )
        _audit(actor, "create", adj)
    return adj


def adjustment_update(*, actor: User | None, adjustment: ScopeAdjustment, reason: str) -> ScopeAdjustment:
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise RuleViolation("R1.3", _("调整理由不能超过 %(n)s 字。") % {"n": REASON_MAX}, field="reason")
    with transaction.atomic():
        adj = _locked(adjustment)
        _require_draft(adj)
        if adj.reason != reason:
            adj.reason = reason
            adj.save(update_fields=["reason"])
            _audit(actor, "update", adj, reason_chars=len(reason))
    return adj


def adjustment_addition_create(
    *,
    actor: User | None,
    adjustment: ScopeAdjustment,
    occupation: Occupation,
    job_type: JobType | None,
    level: int,
    standard: Standard | None = None,
) -> AdjustmentItem:
    """Add a line asking for (occupation, job type, level) under a standard (R1.2; R1.3 item 3)."""
    entry = ScopeEntry(occupation=occupation, job_type=job_type, level=level, standard=standard)
    with transaction.atomic():
        adj = _locked(adjustment)
        _require_draft(adj)
        resolved = resolve_standard(enterprise=adj.enterprise, entry=entry)
        check_entry(enterprise=adj.enterprise, entry=entry, standard=resolved)
        label = entry_label(occupation, job_type, level)
        key = _same_key(occupation, job_type, level)
        if ScopeItem.objects.filter(key, enterprise=adj.enterprise, valid_to__isnull=True).exists():
            raise RuleViolation("R1.3", _("%(e)s已在本企业的认定范围内。") % {"e": label}, field="occupation")
        if adj.items.filter(key).exists():
            raise RuleViolation("R1.3", _("%(e)s已在本申请中。") % {"e": label}, field="occupation")
        item = AdjustmentItem.objects.create(
            adjustment=adj,
            action=AdjustmentAction.ADD,
            occupation=occupation,
            job_type=job_type,
            level=level,
            standard=resolved,
        )
        _audit(actor, "item_add", adj, item=str(item), standard=str(resolved))
    return item


def adjustment_removal_create(
    *, actor: User | None, adjustment: ScopeAdjustment, scope_item: ScopeItem
) -> AdjustmentItem:
    """Add a line asking to remove a scope item that is open (not already ended)."""
    with transaction.atomic():
        adj = _locked(adjustment)
        _require_draft(adj)
        if scope_item.enterprise_id != adj.enterprise_id or scope_item.valid_to is not None:
            raise RuleViolation("R1.3", _("只能减少本企业当前认定范围内的条目。"), field="scope_item")
        if adj.items.filter(_same_key(scope_item.occupation, scope_item.job_type, scope_item.level)).exists():
            raise RuleViolation(
                "R1.3",
                _("%(e)s已在本申请中。")
                % {"e": entry_label(scope_item.occupation, scope_item.job_type, scope_item.level)},
                field="scope_item",
            )
        item = AdjustmentItem.objects.create(
            adjustment=adj,
            action=AdjustmentAction.REMOVE,
            occupation=scope_item.occupation,
            job_type=scope_item.job_type,
            level=scope_item.level,
            standard=scope_item.standard,
            scope_item=scope_item,
        )
        _audit(actor, "item_remove", adj, item=str(item))
    return item


def adjustment_item_delete(*, actor: User | None, item: AdjustmentItem) -> None:
    with transaction.atomic():
        adj = _locked(item.adjustment)
        _require_draft(adj)
        text = str(item)
        AdjustmentItem.objects.filter(pk=item.pk, adjustment=adj).delete()
        _audit(actor, "item_delete", adj, item=text)


def adjustment_parent_filing_attach(
    *,
    actor: User | None,
    adjustment: ScopeAdjustment,
    number: str,
    data: bytes,
    filename: str,
    content_type: str,
) -> ScopeAdjustment:
    """Attach the parent central enterprise's Ministry filing: its number and the document (R1.4)."""
    number = number.strip()
    if not number:
        raise RuleViolation("R1.4", _("须填写集团向人社部备案的文号。"), field="parent_filing_no")
    magic = PARENT_FILING_TYPES.get(content_type)
    if magic is None or not data.startswith(magic):
        raise RuleViolation("R1.4", _("备案文件须为 PDF、JPEG 或 PNG 格式。"), field="parent_filing_file")
    if len(data) > PARENT_FILING_MAX_BYTES:
        raise RuleViolation("R1.4", _("备案文件不能超过 10MB。"), field="parent_filing_file")
    with transaction.atomic():
        adj = _locked(adjustment)
        _require_draft(adj)
        if not adj.enterprise.is_central_subsidiary:
            raise RuleViolation(
                "R1.4",
                _("只有中央企业在鲁子公司或分支机构需要上传集团备案文件。"),
                field="parent_filing_file",
            )
        adj.parent_filing_no = number
        adj.parent_filing_name = filename[-200:]
        adj.parent_filing_type = content_type
        adj.parent_filing_file.save(filename, ContentFile(data), save=False)
        adj.save(
            update_fields=[
                "parent_filing_no",
                "parent_filing_name",
                "parent_filing_type",
                "parent_filing_file",
            ]
        )
        _audit(actor, "parent_filing", adj, parent_filing_no=number, bytes=len(data))
    return adj


# --- submission (enterprise → filing authority) -------------------------------------------------


def submission_problems(*, adjustment: ScopeAdjustment, today: date) -> list[str]:
    """What R1.3 still misses, one Chinese sentence each (empty when the materials are complete)."""
    problems: list[str] = []
    items = list(selectors.adjustment_items(adjustment=adjustment))
    if not items:
        problems.append(_("至少填写一项拟增加或减少的职业（工种）等级"))
    if not adjustment.reason.strip():
        problems.append(_("填写调整理由"))
    ent = adjustment.enterprise
    if ent.is_central_subsidiary and not (adjustment.parent_filing_no and adjustment.parent_filing_file):
        problems.append(_("上传集团向人力资源社会保障部的调整范围备案文件并填写文号（R1.4）"))
    for item in items:
        label = entry_label(item.occupation, item.job_type, item.level)
        if item.action == AdjustmentAction.REMOVE:
            if item.scope_item is None or item.scope_item.valid_to is not None:
                problems.append(_("%(e)s已不在认定范围内，请删除该项") % {"e": label})
            continue
        entry = ScopeEntry(item.occupation, item.job_type, item.level, item.standard)
        try:
            standard = resolve_standard(enterprise=ent, entry=entry)
            check_entry(enterprise=ent, entry=entry, standard=standard)
        except RuleViolation as exc:
            problems.append(f"{label}：{exc.message}".rstrip("。"))
            continue
        if not selectors.equipment_for(enterprise=ent, occupation=item.occupation).exists():
            problems.append(_("登记服务于职业“%(o)s”的评价场地和设施设备") % {"o": item.occupation.name})
        need = standard.assessor_min
        have = selectors.assessors_for(
            enterprise=ent, occupation=item.occupation, level=item.level, on=today
        ).count()
        if have < need:
            problems.append(
                _("%(e)s至少需要 %(n)s 名证书有效、可考评该等级的考评员（现有 %(h)s 名）")
                % {"e": label, "n": need, "h": have}
            )
    # One sentence per problem, in the order they were found, without repeats.
    return list(dict.fromkeys(problems))


def adjustment_submit(*, actor: User | None, adjustment: ScopeAdjustment, today: date) -> ScopeAdjustment:
    """Send the application and its materials to the filing authority (R1.3).

    Outside the collection months (R1.4: normally June and December) the submission is accepted
    and flagged, so the authority sees a warning. The two forms are generated now and kept with
    the submission, so the authority reads what was sent.
    """
    from skillcert.filings import documents

    with transaction.atomic():
        adj = _locked(adjustment)
        adj.require_transition(AdjustmentStatus.SUBMITTED)
        filing = Filing.objects.filter(enterprise_id=adj.enterprise_id).first()
        if filing is None:
            raise RuleViolation(
                "R1.1", _("本企业尚未备案为评价机构，不能申请调整评价范围。"), field="enterprise"
            )
        if adj.enterprise.is_central_subsidiary and not (adj.parent_filing_no and adj.parent_filing_file):
            raise RuleViolation(
                "R1.4",
                _(
                    "中央企业在鲁子公司、分公司调整评价范围，须在集团（%(p)s）向人力资源社会保障部备案后办理：请上传集团的备案文件并填写文号。"
                )
                % {"p": adj.enterprise.parent_company or _("集团总部")},
                field="parent_filing_file",
            )
        problems = submission_problems(adjustment=adj, today=today)
        if problems:
            raise RuleViolation(
                "R1.3", _("提交前请补齐：%(p)s。") % {"p": "；".join(problems)}, field="items"
            )
        months = selectors.window_months()
        adj.status = AdjustmentStatus.SUBMITTED
        adj.submitted_at = timezone.now()
        adj.submitted_on = today
        adj.submitted_by = actor
        adj.authority_id = filing.authority_id
        adj.outside_window = not window.in_window(today, months)
        dossier = documents.build_dossier(adjustment=adj, today=today)
        adj.form_docx.save(
            f"{adj.number}-调整申请表.docx", ContentFile(documents.application_docx(dossier)), save=False
        )
        adj.inventory_xlsx.save(
            f"{adj.number}-范围清单.xlsx", ContentFile(documents.inventory_xlsx(dossier)), save=False
        )
        adj.save(
            update_fields=[
                "status",
                "submitted_at",
                "submitted_on",
                "submitted_by",
                "authority",
                "outside_window",
                "form_docx",
                "inventory_xlsx",
            ]
        )
        _audit(
            actor,
            "submit",
            adj,
            items=len(dossier.additions) + len(dossier.removals),
            outside_window=adj.outside_window,
        )
    return adj


def adjustment_reopen(*, actor: User | None, adjustment: ScopeAdjustment) -> ScopeAdjustment:
    """Take a returned application back into draft to complete it (R1.3)."""
    with transaction.atomic():
        adj = _locked(adjustment)
        adj.require_transition(AdjustmentStatus.DRAFT)
        adj.status = AdjustmentStatus.DRAFT
        adj.save(update_fields=["status"])
        _audit(actor, "reopen", adj)
    return adj


# --- review (filing authority) and the Ministry's decision ---------------------------------------


def adjustment_return(*, actor: User | None, adjustment: ScopeAdjustment, reason: str) -> ScopeAdjustment:
    """The authority sends the application back with what is missing (R1.3)."""
    reason = reason.strip()
    if len(reason) < 2:
        raise RuleViolation("R1.3", _("退回须写明理由。"), field="reason")
    with transaction.atomic():
        adj = _locked(adjustment)
        adj.require_transition(AdjustmentStatus.RETURNED)
        adj.status = AdjustmentStatus.RETURNED
        adj.returned_at = timezone.now()
        adj.return_reason = reason[:500]
        adj.save(update_fields=["status", "returned_at", "return_reason"])
        _audit(actor, "return", adj, reason=adj.return_reason)
    return adj


def adjustment_forward(*, actor: User | None, adjustment: ScopeAdjustment) -> ScopeAdjustment:
    """The authority forwards the application to the Ministry (R1.4)."""
    with transaction.atomic():
        adj = _locked(adjustment)
        adj.require_transition(AdjustmentStatus.FORWARDED)
        adj.status = AdjustmentStatus.FORWARDED
        adj.forwarded_at = timezone.now()
        adj.forwarded_by = actor
        adj.save(update_fields=["status", "forwarded_at", "forwarded_by"])
        _audit(actor, "forward", adj)
    return adj


def _document_no(value: str) -> str:
    value = value.strip()
    if not value:
        raise RuleViolation("R1.4", _("须填写人力资源社会保障部的文号。"), field="document_no")
    if len(value) > 80:
        raise RuleViolation("R1.4", _("文号不能超过 80 个字符。"), field="document_no")
    return value


def adjustment_approve(
    *,
    actor: User | None,
    adjustment: ScopeAdjustment,
    document_no: str,
    effective_on: date,
    note: str = "",
) -> ScopeAdjustment:
    """Record the Ministry's consent; the scope changes from `effective_on` (R1.4).

    Removed items get ``valid_to = effective_on``; added items start on it. Nothing is deleted.
    """
    document_no = _document_no(document_no)
    with transaction.atomic():
        adj = _locked(adjustment)
        adj.require_transition(AdjustmentStatus.APPROVED)
        if adj.submitted_on is not None and effective_on < adj.submitted_on:
            raise RuleViolation(
                "R1.4",
                _("生效日期不能早于申请的提交日期（%(d)s）。") % {"d": adj.submitted_on},
                field="effective_on",
            )
        items = list(selectors.adjustment_items(adjustment=adj))
        # The enterprise's scope rows are locked so two approvals cannot interleave.
        list(
            ScopeItem.objects.select_for_update(of=("self",))
            .filter(enterprise_id=adj.enterprise_id)
            .values_list("pk")
        )
        removed = 0
        for item in (i for i in items if i.action == AdjustmentAction.REMOVE):
            target = ScopeItem.objects.filter(pk=item.scope_item_id).first() if item.scope_item_id else None
            label = entry_label(item.occupation, item.job_type, item.level)
            if target is None or target.valid_to is not None:
                raise RuleViolation(
                    "R1.4", _("%(e)s已不在认定范围内，无法减少。") % {"e": label}, field="items"
                )
            if target.valid_from >= effective_on:
                raise RuleViolation(
                    "R1.4",
                    _("%(e)s自 %(f)s 起生效，减少的生效日期须晚于该日。")
                    % {"e": label, "f": target.valid_from},
                    field="effective_on",
                )
            target.valid_to, target.removed_by = effective_on, adj
            target.save(update_fields=["valid_to", "removed_by"])
            removed += 1
        added = 0
        for item in (i for i in items if i.action == AdjustmentAction.ADD):
            label = entry_label(item.occupation, item.job_type, item.level)
            overlapping = ScopeItem.objects.filter(
                _same_key(item.occupation, item.job_type, item.level), enterprise_id=adj.enterprise_id
            ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=effective_on))
            if overlapping.exists():
                raise RuleViolation(
                    "R1.4",
                    _("%(e)s在 %(d)s 已在认定范围内，不能重复增加。") % {"e": label, "d": effective_on},
                    field="items",
                )
            if item.standard is None:
                raise RuleViolation("R1.2", _("%(e)s未指定评价依据。") % {"e": label}, field="items")
            ScopeItem.objects.create(
                enterprise_id=adj.enterprise_id,
                occupation=item.occupation,
                job_type=item.job_type,
                level=item.level,
                standard=item.standard,
                valid_from=effective_on,
                added_by=adj,
            )
            added += 1
        adj.status = AdjustmentStatus.APPROVED
        adj.decided_at = timezone.now()
        adj.decided_by = actor
        adj.ministry_doc_no = document_no
        adj.effective_on = effective_on
        adj.decision_note = note.strip()[:500]
        adj.save(
            update_fields=[
                "status",
                "decided_at",
                "decided_by",
                "ministry_doc_no",
                "effective_on",
                "decision_note",
            ]
        )
        _audit(
            actor,
            "approve",
            adj,
            ministry_doc_no=document_no,
            effective_on=effective_on,
            added=added,
            removed=removed,
        )
    return adj


def adjustment_refuse(
    *, actor: User | None, adjustment: ScopeAdjustment, document_no: str, note: str = ""
) -> ScopeAdjustment:
    """Record the Ministry's refusal; the scope does not change (R1.4)."""
    document_no = _document_no(document_no)
    with transaction.atomic():
        adj = _locked(adjustment)
        adj.require_transition(AdjustmentStatus.REFUSED)
        adj.status = AdjustmentStatus.REFUSED
        adj.decided_at = timezone.now()
        adj.decided_by = actor
        adj.ministry_doc_no = document_no
        adj.decision_note = note.strip()[:500]
        adj.save(update_fields=["status", "decided_at", "decided_by", "ministry_doc_no", "decision_note"])
        _audit(actor, "refuse", adj, ministry_doc_no=document_no)
    return adj


def adjustment_decide(
    *,
    actor: User | None,
    adjustment: ScopeAdjustment,
    approved: bool,
    document_no: str,
    effective_on: date | None = None,
    note: str = "",
) -> ScopeAdjustment:
    """Record the Ministry's decision either way (the API's single entry point)."""
    if not approved:
        return adjustment_refuse(actor=actor, adjustment=adjustment, document_no=document_no, note=note)
    if effective_on is None:
        raise RuleViolation("R1.4", _("人社部同意时须填写生效日期。"), field="effective_on")
    return adjustment_approve(
        actor=actor, adjustment=adjustment, document_no=document_no, effective_on=effective_on, note=note
    )
