"""Enrollment pages: the enterprise's eligibility review (R3.3, R3.4).

The reviewers of the round's enterprise (administrator, exam-affairs staff) act; the authority
staff supervising the enterprise may look at the same pages read-only. Everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from skillcert.catalog.models import Level
from skillcert.core import access, audit
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form, add_rule_error
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.views.common import style_form
from skillcert.enrollment import selectors
from skillcert.enrollment.filters import ReviewFilter
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationDocument,
    ApplicationFlag,
    ApplicationStatus,
    Eligibility,
    FlagSeverity,
)
from skillcert.enrollment.services import review as services
from skillcert.enrollment.tables import ReviewTable, result_badge, status_badge

PER_PAGE_CHOICES = (25, 50, 100)
# Check fields that are not columns of Application (see enrollment.checks).
FLAG_FIELD_LABELS = {
    "id_number": gettext_lazy("身份证号"),
    "phone": gettext_lazy("联系电话"),
    "certificates": gettext_lazy("已有证书"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------- forms


class ApproveForm(Form):
    confirm_note = forms.CharField(
        label=gettext_lazy("人工确认说明"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("资格核算结果为“待人工确认”时必填：写明核实了什么、依据什么。"),
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写理由，申报人将看到这一理由。")},
    )


class ReturnForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("退回修改的理由")
        self.fields["reason"].help_text = _("写明需要更正或补充的内容，申报人将看到。")


class RejectForm(ReasonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("不予通过的理由")
        self.fields["reason"].help_text = _("申报人将看到这一理由。")


class OverrideForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("确认理由"),
        max_length=services.NOTE_MAX,
        error_messages={"required": gettext_lazy("请写明岗位与申报职业不一致仍可申报的理由。")},
    )


class FlagConfirmForm(Form):
    note = forms.CharField(
        label=gettext_lazy("核实说明"),
        max_length=services.NOTE_MAX,
        error_messages={"required": gettext_lazy("请写明核实的方式和结果。")},
    )


class RelationForm(Form):
    relation = forms.ChoiceField(
        label=gettext_lazy("与申报职业的关系"),
        choices=[
            ("same", gettext_lazy("本职业")),
            ("related", gettext_lazy("相关职业")),
            ("unrelated", gettext_lazy("不相关")),
        ],
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=services.NOTE_MAX, required=False)


# --------------------------------------------------------------------------- helpers


def _document_url(doc: ApplicationDocument) -> str | None:
    """The download link of an upload, if the application pages provide one (built defensively)."""
    for args in ((doc.pk,), (doc.application_id, doc.pk)):
        try:
            return reverse("enrollment:document_download", args=args)
        except NoReverseMatch:
            continue
    return None


def _field_label(name: str) -> str:
    """The Chinese name of the form field a check flag points at ("sex", "certificates[0].number")."""
    if not name:
        return ""
    try:
        field = Application._meta.get_field(name)
    except FieldDoesNotExist:
        return str(FLAG_FIELD_LABELS.get(name.split(".")[0].split("[")[0], ""))
    return str(getattr(field, "verbose_name", ""))


def _flags_with_labels(app: Application) -> list[ApplicationFlag]:
    """The flags, each with `field_label` for the page."""
    flags = list(ApplicationFlag.objects.filter(application=app).select_related("confirmed_by"))
    for flag in flags:
        flag.field_label = _field_label(flag.field)  # type: ignore[attr-defined]
    return flags


def _url(name: str, *args: object) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _safe_back(request: AuthedRequest, fallback: str) -> str:
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return fallback


def _to_detail(app: Application) -> HttpResponse:
    return redirect("enrollment:review_detail", pk=app.pk)


# --------------------------------------------------------------------------- rounds and the queue


@login_required
@require_GET
def review_rounds(request: AuthedRequest) -> HttpResponse:
    """The rounds a reviewer works on, with the number of applications per status."""
    user = request.user
    if not (access.is_authority_staff(user) or _is_reviewer(request)):
        raise Http404
    rounds = selectors.review_round_list(user=user)
    return render(
        request,
        "enrollment/review/rounds.html",
        {
            "rounds": rounds,
            "read_only": access.is_authority_staff(user),
            "statuses": [(k, v) for k, v in ApplicationStatus.choices],
        },
    )


def _is_reviewer(request: AuthedRequest) -> bool:
    return access.is_enterprise_staff(request.user) and request.user.has_role(*selectors.REVIEWER_ROLES)


def _per_page(request: AuthedRequest) -> int:
    try:
        value = int(request.GET.get("per_page", PER_PAGE_CHOICES[0]))
    except ValueError:
        return PER_PAGE_CHOICES[0]
    return value if value in PER_PAGE_CHOICES else PER_PAGE_CHOICES[0]


@login_required
@require_GET
def review_queue(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """The reviewer's list of a round: filters, a paged table, bulk approval (R3.3)."""
    rnd = selectors.access_review_round(user=request.user, pk=round_pk)
    can_act = selectors.can_manage_round(user=request.user, round=rnd)
    filterset = ReviewFilter(
        request.GET or None,
        queryset=selectors.review_queue(user=request.user, round=rnd),
        request=request,
        round=rnd,
    )
    style_form(filterset.form)
    table = ReviewTable(filterset.qs, exclude=() if can_act else ("selection",))
    # The page size is ours to bound: django-tables2 would take any ?per_page= (50,000 rows at once).
    table.per_page_field = "_per_page_unused"
    tables.RequestConfig(request, paginate={"per_page": _per_page(request)}).configure(table)
    context: dict[str, Any] = {"round": rnd, "table": table, "filter": filterset, "can_act": can_act}
    if getattr(request, "htmx", False):
        return render(request, "enrollment/review/_queue_table.html", context)
    counts = selectors.review_status_counts(round=rnd)
    context.update(
        {
            "title": _("资格审核：%(r)s") % {"r": rnd.name},
            "status_counts": [
                (key, label, counts[key])
                for key, label in ApplicationStatus.choices
                if key != ApplicationStatus.DRAFT
            ],
            "draft_count": counts[ApplicationStatus.DRAFT],
            "current_status": request.GET.get("status", ""),
            "per_page_choices": PER_PAGE_CHOICES,
            "per_page": _per_page(request),
            "back": request.get_full_path(),
        }
    )
    return render(request, "enrollment/review/queue.html", context)


@login_required
@require_POST
def review_bulk_approve(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Approve the clean eligible applications among those ticked; list the skipped ones with reasons."""
    rnd = selectors.access_review_round(user=request.user, pk=round_pk, for_write=True)
    back = _safe_back(request, reverse("enrollment:review_queue", args=[rnd.pk]))
    ids = [int(v) for v in request.POST.getlist("selection") if v.isdigit()]
    if not ids:
        messages.warning(request, _("请先勾选要审核通过的申报。"))
        return redirect(back)
    result = services.application_bulk_approve(actor=request.user, round=rnd, ids=ids)
    return render(
        request,
        "enrollment/review/bulk_result.html",
        {"round": rnd, "result": result, "back": back, "title": _("批量审核通过：%(r)s") % {"r": rnd.name}},
    )


@login_required
@require_GET
def approved_export(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """The approved candidates of a round as Excel, ID numbers masked (S14); audited."""
    rnd = selectors.access_review_round(user=request.user, pk=round_pk, for_write=True)
    data = services.approved_export(round=rnd, actor=request.user)
    filename = _("%(r)s审核通过人员名单.xlsx") % {"r": rnd.name}
    return file_response(data, filename=filename, content_type=XLSX)


# --------------------------------------------------------------------------- one application


def _detail_context(request: AuthedRequest, app: Application) -> dict[str, Any]:
    user = request.user
    can_act = selectors.can_review(user=user, application=app)
    submitted = app.status == ApplicationStatus.SUBMITTED
    documents = list(
        ApplicationDocument.objects.filter(application=app).only(
            "kind", "filename", "content_type", "size", "uploaded_at", "application_id"
        )
    )
    today = timezone.localdate()
    return {
        "app": app,
        "round": app.round,
        "can_act": can_act and submitted,
        "can_review": can_act,
        "read_only": not can_act,
        "certificates": list(app.certificates.select_related("occupation")),
        "flags": _flags_with_labels(app),
        # Supervising authorities read the form but not the uploads or the printed form (S14).
        "documents": [(doc, _document_url(doc) if can_act else None) for doc in documents],
        "problems": services.approval_problems(application=app) if submitted else [],
        "result_badge": result_badge(app),
        "status_badge": status_badge(app),
        "employment": services.employment_label(app.employment_type),
        "level_label": Level(app.offering.level).label,
        "is_confirm": app.eligibility == Eligibility.CONFIRM,
        "window_open": app.round.registration_opens <= today <= app.round.registration_closes,
        "next_pk": selectors.next_to_review(user=user, application=app) if can_act else None,
        "person_url": _url("core:person_detail", app.person_id),
        "application_url": _url("enrollment:application_pdf", app.pk) if can_act else None,
        "approve_form": ApproveForm(prefix="approve"),
        "reject_form": RejectForm(prefix="reject"),
        "return_form": ReturnForm(prefix="return"),
        "override_form": OverrideForm(prefix="override"),
        "flag_errors": {},
        "relation_errors": {},
        "warn": FlagSeverity.WARN,
    }


def _render_detail(request: AuthedRequest, app: Application, **overrides: Any) -> HttpResponse:
    context = _detail_context(request, app)
    context.update(overrides)
    return render(request, "enrollment/review/detail.html", context)


@login_required
@require_GET
def review_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The form and its uploads side by side, the eligibility result, the flags and the decisions."""
    app = selectors.access_application_for_review_page(user=request.user, pk=pk)
    audit.record(actor=request.user, action="application.view", obj=app, summary={"round": app.round_id})
    return _render_detail(request, app)


@login_required
@require_GET
def review_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    app = selectors.access_application_for_review_page(user=request.user, pk=pk)
    data, content_type = app.photo_bytes(), app.photo_type
    if data is None:
        data, content_type = app.person.photo_bytes(), app.person.photo_type
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=content_type or "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def review_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    app = selectors.access_application_for_review(user=request.user, pk=pk)
    form = ApproveForm(request.POST, prefix="approve")
    if form.is_valid():
        try:
            services.application_approve(
                application=app, actor=request.user, confirm_note=form.cleaned_data["confirm_note"]
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已审核通过 %(n)s 的申报。") % {"n": app.name})
            return _to_detail(app)
    return _render_detail(request, app, approve_form=form)


def _decide(request: AuthedRequest, pk: int, *, which: str) -> HttpResponse:
    app = selectors.access_application_for_review(user=request.user, pk=pk)
    form = (RejectForm if which == "reject" else ReturnForm)(request.POST, prefix=which)
    if form.is_valid():
        try:
            if which == "reject":
                services.application_reject(
                    application=app, actor=request.user, reason=form.cleaned_data["reason"]
                )
                done = _("已作出不予通过的决定，申报人将看到理由。")
            else:
                services.application_return(
                    application=app, actor=request.user, reason=form.cleaned_data["reason"]
                )
                done = _("已退回 %(n)s 修改；申报人须在 %(d)s 前更正后重新提交。") % {
                    "n": app.name,
                    "d": app.round.registration_closes.strftime("%Y-%m-%d"),
                }
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, done)
            return _to_detail(app)
    return _render_detail(request, app, **{f"{which}_form": form, "open_panel": which})


@login_required
@require_POST
def review_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, which="reject")


@login_required
@require_POST
def review_return(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, which="return")


@login_required
@require_POST
def review_reevaluate(request: AuthedRequest, pk: int) -> HttpResponse:
    app = selectors.access_application_for_review(user=request.user, pk=pk)
    try:
        app = services.application_reevaluate(application=app, actor=request.user)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已重新核算：%(r)s；须更正 %(b)d 项，请核实 %(w)d 项。")
            % {"r": app.get_eligibility_display(), "b": app.blocking_flags, "w": app.warning_flags},
        )
    return _to_detail(app)


@login_required
@require_POST
def review_post_override(request: AuthedRequest, pk: int) -> HttpResponse:
    app = selectors.access_application_for_review(user=request.user, pk=pk)
    form = OverrideForm(request.POST, prefix="override")
    if form.is_valid():
        try:
            services.post_mismatch_override(
                application=app, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已确认岗位与申报职业不一致的理由。"))
            return _to_detail(app)
    return _render_detail(request, app, override_form=form)


@login_required
@require_POST
def review_flag_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    """Confirm a warning; htmx swaps the flag list and the approval checklist in place."""
    flag = get_object_or_404(ApplicationFlag.objects.only("pk", "application_id"), pk=pk)
    app = selectors.access_application_for_review(user=request.user, pk=flag.application_id)
    form = FlagConfirmForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.flag_confirm(flag=flag, actor=request.user, note=form.cleaned_data["note"])
        except RuleViolation as exc:
            error = str(exc)
    else:
        error = "；".join(str(e) for errs in form.errors.values() for e in errs)
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("已确认该提示。"))
        return _to_detail(app)
    app.refresh_from_db()
    context = _detail_context(request, app)
    context["flag_errors"] = {flag.pk: error} if error else {}
    context["oob"] = True
    return render(request, "enrollment/review/_flags_response.html", context)


@login_required
@require_POST
def review_certificate_relation(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record how a held certificate relates to the applied occupation, then evaluate again."""
    cert = get_object_or_404(ApplicationCertificate.objects.only("pk", "application_id"), pk=pk)
    app = selectors.access_application_for_review(user=request.user, pk=cert.application_id)
    form = RelationForm(request.POST)
    if form.is_valid():
        try:
            app = services.certificate_relation_confirm(
                certificate=cert,
                actor=request.user,
                relation=form.cleaned_data["relation"],
                note=form.cleaned_data["note"],
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("已确认证书关系并重新核算：%(r)s。") % {"r": app.get_eligibility_display()}
            )
    else:
        messages.error(request, _("请选择证书与申报职业的关系。"))
    return _to_detail(app)


urlpatterns: list[URLPattern] = [
    path("review/", review_rounds, name="review_rounds"),
    path("review/rounds/<int:round_pk>/", review_queue, name="review_queue"),
    path("review/rounds/<int:round_pk>/bulk-approve/", review_bulk_approve, name="review_bulk_approve"),
    path("review/rounds/<int:round_pk>/approved.xlsx", approved_export, name="approved_export"),
    path("review/<int:pk>/", review_detail, name="review_detail"),
    path("review/<int:pk>/photo/", review_photo, name="review_photo"),
    path("review/<int:pk>/approve/", review_approve, name="review_approve"),
    path("review/<int:pk>/reject/", review_reject, name="review_reject"),
    path("review/<int:pk>/return/", review_return, name="review_return"),
    path("review/<int:pk>/reevaluate/", review_reevaluate, name="review_reevaluate"),
    path("review/<int:pk>/post-override/", review_post_override, name="review_post_override"),
    path("review/flags/<int:pk>/confirm/", review_flag_confirm, name="review_flag_confirm"),
    path(
        "review/certificates/<int:pk>/relation/",
        review_certificate_relation,
        name="review_certificate_relation",
    ),
]
