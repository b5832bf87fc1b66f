"""Pages for scope adjustments: the enterprise drafts and submits, the authority reviews, forwards and records the decision."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core import access, audit
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.views.common import Action, list_page
from skillcert.filings import documents, selectors, window
from skillcert.filings.filters import AdjustmentFilter
from skillcert.filings.forms import (
    AdditionForm,
    AdjustmentForm,
    DecisionForm,
    ParentFilingForm,
    RemovalForm,
    ReturnForm,
)
from skillcert.filings.models import AdjustmentItem, AdjustmentStatus, ScopeAdjustment
from skillcert.filings.services import adjustments as services
from skillcert.filings.tables import AdjustmentTable, QueueTable
from skillcert.filings.views.common import download, form_page

logger = logging.getLogger(__name__)


def _back(adj: ScopeAdjustment) -> HttpResponse:
    return redirect("filings:adjustment_detail", pk=adj.pk)


@login_required
def adjustment_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not (access.is_enterprise_staff(user) or access.is_authority_staff(user)):
        raise Http404
    actions = []
    if access.is_enterprise_admin(user):
        actions.append(Action(_("新建调整申请"), reverse("filings:adjustment_create")))
    if access.is_authority_staff(user):
        actions.append(Action(_("待办队列"), reverse("filings:queue"), "outline-primary"))
    return list_page(
        request,
        title=_("评价范围调整申请"),
        queryset=selectors.adjustment_list(user=user),
        filterset_class=AdjustmentFilter,
        table_class=AdjustmentTable,
        actions=actions,
    )


@login_required
def adjustment_queue(request: AuthedRequest) -> HttpResponse:
    """Pending adjustments in the authority's jurisdiction, oldest first, with the collection-window warning."""
    user = request.user
    if not access.is_authority_staff(user):
        raise Http404
    months = selectors.window_months()
    today = timezone.localdate()
    queue = selectors.adjustment_queue(user=user)
    return list_page(
        request,
        title=_("待办：评价范围调整申请"),
        queryset=queue,
        filterset_class=AdjustmentFilter,
        table_class=QueueTable,
        intro=_("辖区内已提交（待审核）和已报人社部（待登记意见）的申请，按提交时间先后排列。"),
        extra={
            "template_extra": "filings/_window_note.html",
            "window_label": window.months_label(months),
            "in_window": window.in_window(today, months),
            "outside_count": queue.filter(outside_window=True).count(),
        },
    )


@login_required
def adjustment_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not access.is_enterprise_admin(user) or user.organisation is None:
        raise Http404
    enterprise = user.organisation
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            adj = services.adjustment_create(
                actor=user, enterprise=enterprise, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已创建调整申请 %(n)s，请添加调整事项。") % {"n": adj.number})
            return _back(adj)
    return form_page(
        request,
        form,
        title=_("新建评价范围调整申请"),
        cancel_url=reverse("filings:enterprise", args=[enterprise.pk]),
        intro=_("企业评价范围调整一般在每年 %(m)s 集中申报；经人力资源社会保障部同意后实施。")
        % {"m": window.months_label(selectors.window_months())},
    )


def _render_detail(request: AuthedRequest, adj: ScopeAdjustment, **forms: object) -> HttpResponse:
    """The detail page; a posted form with errors replaces its blank counterpart."""
    user = request.user
    enterprise = adj.enterprise
    can_manage = selectors.can_manage(user=user, enterprise=enterprise)
    can_review = selectors.can_review(user=user, enterprise=enterprise)
    editable = can_manage and adj.status == AdjustmentStatus.DRAFT
    today = timezone.localdate()
    months = selectors.window_months()
    context: dict[str, object] = {
        "adj": adj,
        "enterprise": enterprise,
        "items": selectors.adjustment_items(adjustment=adj),
        "can_manage": can_manage,
        "can_review": can_review,
        "editable": editable,
        "window_label": window.months_label(months),
        "in_window": window.in_window(today, months),
        "next_window": window.next_window(today, months),
    }
    if editable:
        context["reason_form"] = AdjustmentForm(initial={"reason": adj.reason}, prefix="r")
        context["addition_form"] = AdditionForm(enterprise=enterprise, prefix="add")
        context["removal_form"] = RemovalForm(enterprise=enterprise, prefix="rm")
        context["problems"] = services.submission_problems(adjustment=adj, today=today)
        if enterprise.is_central_subsidiary:
            context["parent_form"] = ParentFilingForm(
                initial={"parent_filing_no": adj.parent_filing_no}, prefix="p"
            )
    if can_review and adj.status == AdjustmentStatus.SUBMITTED:
        context["return_form"] = ReturnForm(prefix="ret")
    if can_review and adj.status == AdjustmentStatus.FORWARDED:
        context["decision_form"] = DecisionForm(prefix="d", initial={"effective_on": today})
    context.update(forms)
    return render(request, "filings/adjustment_detail.html", context)


@login_required
def adjustment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.access_adjustment(user=request.user, pk=pk))


@require_POST
@login_required
def adjustment_reason(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk, for_write=True)
    form = AdjustmentForm(request.POST, prefix="r")
    if form.is_valid():
        try:
            services.adjustment_update(actor=request.user, adjustment=adj, reason=form.cleaned_data["reason"])
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存调整理由。"))
            return _back(adj)
    return _render_detail(request, adj, reason_form=form)


@require_POST
@login_required
def addition_create(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk, for_write=True)
    form = AdditionForm(request.POST, enterprise=adj.enterprise, prefix="add")
    if form.is_valid():
        try:
            services.adjustment_addition_create(
                actor=request.user,
                adjustment=adj,
                occupation=form.cleaned_data["occupation"],
                job_type=form.cleaned_data["job_type"],
                level=form.cleaned_data["level"],
                standard=form.cleaned_data["standard"],
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已添加拟增加事项。"))
            return _back(adj)
    return _render_detail(request, adj, addition_form=form)


@require_POST
@login_required
def removal_create(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk, for_write=True)
    form = RemovalForm(request.POST, enterprise=adj.enterprise, prefix="rm")
    if form.is_valid():
        try:
            services.adjustment_removal_create(
                actor=request.user, adjustment=adj, scope_item=form.cleaned_data["scope_item"]
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已添加拟减少事项。"))
            return _back(adj)
    return _render_detail(request, adj, removal_form=form)


@require_POST
@login_required
def item_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        item = AdjustmentItem.objects.select_related("adjustment").get(pk=pk)
    except (AdjustmentItem.DoesNotExist, ValueError):
        raise Http404 from None
    adj = selectors.access_adjustment(user=request.user, pk=item.adjustment_id, for_write=True)
    try:
        services.adjustment_item_delete(actor=request.user, item=item)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除该事项。"))
    return _back(adj)


@require_POST
@login_required
def parent_filing_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk, for_write=True)
    form = ParentFilingForm(request.POST, request.FILES, prefix="p")
    if form.is_valid():
        upload: UploadedFile = form.cleaned_data["parent_filing_file"]
        if upload.size is not None and upload.size > services.PARENT_FILING_MAX_BYTES:
            form.add_error("parent_filing_file", _("备案文件不能超过 10MB。"))
        else:
            try:
                services.adjustment_parent_filing_attach(
                    actor=request.user,
                    adjustment=adj,
                    number=form.cleaned_data["parent_filing_no"],
                    data=upload.read(),
                    filename=upload.name or "file",
                    content_type=upload.content_type or "",
                )
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已上传集团备案文件。"))
                return _back(adj)
    return _render_detail(request, adj, parent_form=form)


@require_GET
@login_required
def parent_filing_download(request: AuthedRequest, pk: int) -> FileResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk)
    if not adj.parent_filing_file:
        raise Http404
    audit.record(
        actor=request.user, action="adjustment.parent_filing_view", obj=adj, organisation_id=adj.enterprise_id
    )
    response = FileResponse(
        adj.parent_filing_file.open("rb"),
        as_attachment=True,
        filename=adj.parent_filing_name or "parent-filing",
        content_type=adj.parent_filing_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def adjustment_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk, for_write=True)
    try:
        adj = services.adjustment_submit(actor=request.user, adjustment=adj, today=timezone.localdate())
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已提交至 %(a)s。") % {"a": adj.authority})
        if adj.outside_window:
            messages.warning(
                request,
                _("现在不在集中申报期（每年 %(m)s）内，申请已提交，人社部门可能在下一集中申报期统一办理。")
                % {"m": window.months_label(selectors.window_months())},
            )
    return _back(adj)


@require_POST
@login_required
def adjustment_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk, for_write=True)
    try:
        services.adjustment_reopen(actor=request.user, adjustment=adj)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("申请已回到草稿，可修改后重新提交。"))
    return _back(adj)


@require_POST
@login_required
def adjustment_return(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment_for_review(user=request.user, pk=pk)
    form = ReturnForm(request.POST, prefix="ret")
    if form.is_valid():
        try:
            services.adjustment_return(actor=request.user, adjustment=adj, reason=form.cleaned_data["reason"])
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已退回企业。"))
    else:
        messages.error(request, _("退回须写明理由。"))
    return _back(adj)


@require_POST
@login_required
def adjustment_forward(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment_for_review(user=request.user, pk=pk)
    try:
        services.adjustment_forward(actor=request.user, adjustment=adj)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记为报人力资源社会保障部。"))
    return _back(adj)


@login_required
def adjustment_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    adj = selectors.access_adjustment_for_review(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None, prefix="d")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adjustment_decide(
                actor=request.user,
                adjustment=adj,
                approved=data["decision"] == "approved",
                document_no=data["document_no"],
                effective_on=data["effective_on"],
                note=data["note"],
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已登记人力资源社会保障部意见。"))
            return _back(adj)
    return form_page(
        request,
        form,
        title=_("登记人社部意见：%(n)s") % {"n": adj.number},
        cancel_url=adj.get_absolute_url(),
    )


# --- the two forms (R1.3) ----------------------------------------------------------------------


def _document(request: AuthedRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    adj = selectors.access_adjustment(user=request.user, pk=pk)
    title = documents.APPLICATION_TITLE if kind == "form" else documents.INVENTORY_TITLE
    snapshot = (
        adj.form_docx if (kind, fmt) == ("form", "docx") else adj.inventory_xlsx if fmt == "xlsx" else None
    )
    data: bytes | None = None
    if snapshot and adj.status != AdjustmentStatus.DRAFT:
        # What was submitted is what the authority reads.
        try:
            with snapshot.open("rb") as fh:
                data = fh.read()
        except OSError:
            logger.error(
                "adjustment %s: submitted %s.%s is missing from storage; regenerated", adj.pk, kind, fmt
            )
        made = adj.submitted_on or timezone.localdate()
    if data is None:
        made = timezone.localdate()
        dossier = documents.build_dossier(adjustment=adj, today=made)
        builders = {
            ("form", "docx"): documents.application_docx,
            ("form", "pdf"): documents.application_pdf,
            ("inventory", "xlsx"): documents.inventory_xlsx,
            ("inventory", "pdf"): documents.inventory_pdf,
        }
        data = builders[(kind, fmt)](dossier)
    audit.record(
        actor=request.user,
        action="export.adjustment",
        obj=adj,
        organisation_id=adj.enterprise_id,
        summary={"document": kind, "format": fmt, "number": adj.number},
    )
    return download(data, f"{adj.enterprise.name}-{title}-{adj.number}-{made:%Y%m%d}.{fmt}", fmt)


@require_GET
@login_required
def form_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "form", "docx")


@require_GET
@login_required
def form_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "form", "pdf")


@require_GET
@login_required
def inventory_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "inventory", "xlsx")


@require_GET
@login_required
def inventory_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "inventory", "pdf")
