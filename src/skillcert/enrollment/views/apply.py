"""Enrollment pages for the worker: apply online, save a draft, upload, submit, see the status, withdraw, print.

The applicant edits only their own application (selectors.is_own); the enterprise's reviewers
(selectors.can_review) may open the status page, the photo, the uploads and the printed form;
everyone else gets 404 (S6).
"""

from __future__ import annotations

import logging
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skillcert.core import fonts
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.middleware import client_ip
from skillcert.core.models import Employee, Person
from skillcert.core.selectors import employee_list, person_list
from skillcert.enrollment import selectors
from skillcert.enrollment.forms import (
    PLEDGE_TEXT,
    ApplicationForm,
    BaseCertificateFormSet,
    CertificateFormSet,
    PledgeForm,
    WithdrawForm,
    certificate_initial,
)
from skillcert.enrollment.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    FlagSeverity,
)
from skillcert.enrollment.services import applications as services
from skillcert.rounds import selectors as round_selectors
from skillcert.rounds.models import Round, RoundOffering

logger = logging.getLogger(__name__)

POST_NOTICE = gettext_lazy("申报职业须与本人实际工作岗位一致，审核时将核实")
MAX_UPLOAD_READ = 10 * 1024 * 1024 + 1  # one byte over the limit is enough to refuse


# --------------------------------------------------------------------------- access


def _my_person(request: AuthedRequest) -> Person:
    person = person_list(user=request.user).filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def _my_employee(request: AuthedRequest, *, person: Person, round: Round) -> Employee:
    employee = (
        employee_list(user=request.user)
        .filter(person=person, enterprise_id=round.enterprise_id, is_active=True)
        .first()
    )
    if employee is None:
        raise Http404
    return employee


def _viewable(request: AuthedRequest, pk: object) -> Application:
    """The applicant's own application, or one the user reviews; else 404."""
    app = selectors.access_application(user=request.user, pk=pk)
    if not (
        selectors.is_own(user=request.user, application=app)
        or selectors.can_review(user=request.user, application=app)
    ):
        raise Http404
    return app


def _own(request: AuthedRequest, pk: object) -> Application:
    app = selectors.access_application(user=request.user, pk=pk)
    if not selectors.is_own(user=request.user, application=app):
        raise Http404
    return app


def _offerings(request: AuthedRequest, round: Round) -> list[RoundOffering]:
    return list(round_selectors.offering_list(user=request.user, round=round))


def _read(upload: UploadedFile) -> bytes:
    # Read at most one byte over the limit: the service refuses it without holding a huge file.
    return upload.read(MAX_UPLOAD_READ)


def _status_url(app: Application) -> str:
    return reverse("enrollment:application_status", args=[app.pk])


# --------------------------------------------------------------------------- the form


def _render_form(
    request: AuthedRequest,
    *,
    round: Round,
    form: ApplicationForm,
    formset: Any,
    app: Application | None,
    status: int = 200,
) -> HttpResponse:
    action = (
        reverse("enrollment:application_edit", args=[app.pk])
        if app is not None
        else reverse("enrollment:apply", args=[round.pk])
    )
    flags = list(app.flags.all()) if app is not None else []
    context = {
        "title": _("职业技能等级认定申报表"),
        "round": round,
        "app": app,
        "form": form,
        "formset": formset,
        "action": action,
        "documents": list(app.documents.all()) if app is not None else [],
        "flags": flags,
        "post_notice": POST_NOTICE,
        "pledge_text": PLEDGE_TEXT,
        "id_number_masked": (app.person if app is not None else _my_person(request)).id_number_masked,
        "missing": services.missing_for_submit(app) if app is not None else [],
    }
    return render(request, "enrollment/apply/form.html", context, status=status)


def _save(
    request: AuthedRequest,
    *,
    round: Round,
    person: Person,
    employee: Employee | None,
    app: Application | None,
) -> HttpResponse:
    """One POST of the form: save the draft, uploads, then submit when asked. Nothing typed is lost."""
    offerings = _offerings(request, round)
    submitting = request.POST.get("action") == "submit"
    documents = list(app.documents.all()) if app is not None else []
    form = ApplicationForm(
        request.POST,
        request.FILES,
        offerings=offerings,
        documents=documents,
        application=app,
    )
    formset = CertificateFormSet(request.POST, prefix="cert")
    if not (form.is_valid() and formset.is_valid()):
        return _render_form(request, round=round, form=form, formset=formset, app=app, status=422)
    user = request.user
    try:
        with transaction.atomic():
            if app is None:
                app = services.application_start(
                    actor=user,
                    round=round,
                    offering=form.cleaned_data["offering"],
                    person=person,
                    employee=employee,
                )
            app = services.application_update(
                actor=user,
                application=app,
                data=form.to_data(app),
                certificates=cast(BaseCertificateFormSet, formset).certificates(),
            )
    except RuleViolation as exc:
        add_rule_error(form, exc)
        return _render_form(request, round=round, form=form, formset=formset, app=app, status=422)

    errors: list[tuple[str, RuleViolation]] = []
    remove = set(form.cleaned_data.get("remove_documents") or [])
    for doc in app.documents.filter(pk__in=[int(pk) for pk in remove]):
        services.application_remove_document(actor=user, document=doc)
    photo = form.cleaned_data.get("photo")
    if photo:
        try:
            services.application_set_photo(actor=user, application=app, data=_read(photo))
        except RuleViolation as exc:
            errors.append(("photo", exc))
    for kind, upload in form.uploads():
        try:
            services.application_add_document(
                actor=user, application=app, kind=kind, filename=upload.name or "", data=_read(upload)
            )
        except RuleViolation as exc:
            errors.append((f"doc_{kind}", exc))
    if not errors and submitting:
        errors = _submit_problems(app, pledge=bool(form.cleaned_data.get("pledge")))
    if not errors and submitting:
        try:
            services.application_submit(
                actor=user,
                application=app,
                pledge_ip=client_ip(request),
                today=timezone.localdate(),
                pledge_accepted=bool(form.cleaned_data.get("pledge")),
            )
        except RuleViolation as exc:
            errors.append((exc.field or "", exc))
    if errors:
        app.refresh_from_db()
        # A fresh bound form: the documents list now includes this request's uploads.
        form = ApplicationForm(
            request.POST,
            offerings=offerings,
            documents=list(app.documents.all()),
            application=app,
        )
        form.is_valid()
        for _field, err in errors:
            add_rule_error(form, err)
        messages.warning(request, _("申报草稿已保存，但还有问题需要处理，请查看标红的栏目。"))
        return _render_form(request, round=round, form=form, formset=formset, app=app, status=422)
    if submitting:
        messages.success(request, _("申报已提交，请等待企业审核。审核结果将在本页显示。"))
        return redirect(_status_url(app))
    messages.success(request, _("申报草稿已保存。确认无误后请勾选个人承诺并提交。"))
    return redirect("enrollment:application_edit", pk=app.pk)


def _submit_problems(app: Application, *, pledge: bool) -> list[tuple[str, RuleViolation]]:
    """Why the saved draft cannot be submitted yet, each on its own field (the service names only the first)."""
    app.refresh_from_db()
    try:
        services.require_registration_open(round=app.round, on=timezone.localdate())
    except RuleViolation as exc:
        return [("", exc)]
    problems = [
        (field, RuleViolation("R3.3", _("提交申报前须补充此项。"), field=field))
        for field, _label in services.missing_for_submit(app)
    ]
    if not pledge:
        problems.append(
            ("pledge", RuleViolation("R3.1", _("请阅读并勾选个人承诺后再提交。"), field="pledge"))
        )
    return problems


@require_http_methods(["GET", "POST"])
@login_required
def apply(request: AuthedRequest, round_pk: int) -> HttpResponse:
    """Start (or continue) the worker's application to a round (R3.1): one per person per round (R3.2)."""
    round = round_selectors.access_round(user=request.user, pk=round_pk)
    person = _my_person(request)
    employee = _my_employee(request, person=person, round=round)
    existing = (
        selectors.application_list(user=request.user)
        .filter(round=round, person=person)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .first()
    )
    if existing is not None:
        if existing.status in services.EDITABLE:
            return redirect("enrollment:application_edit", pk=existing.pk)
        messages.info(
            request,
            _("您在本批次已有一份申报（%(s)s），每次限申报1个职业（工种）。")
            % {"s": existing.get_status_display()},
        )
        return redirect(_status_url(existing))
    try:
        services.require_registration_open(round=round, on=timezone.localdate())
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("enrollment:my_applications")
    if request.method == "POST":
        return _save(request, round=round, person=person, employee=employee, app=None)
    offerings = _offerings(request, round)
    initial = services.prefill(person=person, employee=employee)
    if len(offerings) == 1:
        initial["offering"] = offerings[0].pk
    form = ApplicationForm(initial=initial, offerings=offerings)
    formset = CertificateFormSet(prefix="cert")
    return _render_form(request, round=round, form=form, formset=formset, app=None)


@require_http_methods(["GET", "POST"])
@login_required
def application_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    app = _own(request, pk)
    if app.status not in services.EDITABLE:
        messages.info(request, _("申报状态为“%(s)s”，不能修改。") % {"s": app.get_status_display()})
        return redirect(_status_url(app))
    if request.method == "POST":
        return _save(request, round=app.round, person=app.person, employee=app.employee, app=app)
    offerings = _offerings(request, app.round)
    form = ApplicationForm(offerings=offerings, documents=list(app.documents.all()), application=app)
    form.initial = ApplicationForm.initial_from(app, form.conditions)
    formset = CertificateFormSet(prefix="cert", initial=certificate_initial(app))
    return _render_form(request, round=app.round, form=form, formset=formset, app=app)


# --------------------------------------------------------------------------- status and actions


@require_GET
@login_required
def application_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """Status, eligibility with its reasons, flags to fix, the reviewer's reason; fix and resubmit, or withdraw."""
    app = _viewable(request, pk)
    own = selectors.is_own(user=request.user, application=app)
    today = timezone.localdate()
    window_open = app.round.registration_open_on(today)
    flags = sorted(app.flags.all(), key=lambda f: (f.severity != FlagSeverity.BLOCK, f.pk))
    try:
        unprintable = fonts.unprintable_chars(app.name)
    except fonts.FontNotFoundError:
        logger.warning("certificate font missing: cannot check the name's characters")
        unprintable = []
    editable = own and app.status in services.EDITABLE
    context = {
        "title": _("我的申报"),
        "app": app,
        "own": own,
        "flags": flags,
        "documents": list(app.documents.all()),
        "certificates": list(app.certificates.all()),
        "unprintable": unprintable,
        "post_notice": POST_NOTICE,
        "window_open": window_open,
        "opens": services.cn_date(app.round.registration_opens),
        "closes": services.cn_date(app.round.registration_closes),
        "can_edit": editable and window_open,
        "can_submit": editable and window_open,
        "can_withdraw": own and ApplicationStatus.WITHDRAWN in _targets(app),
        "missing": services.missing_for_submit(app) if editable else [],
        "pledge_form": PledgeForm(),
        "withdraw_form": WithdrawForm(),
        "is_returned": app.status == ApplicationStatus.RETURNED,
    }
    return render(request, "enrollment/apply/status.html", context)


def _targets(app: Application) -> frozenset[str]:
    return APPLICATION_TRANSITIONS.get(app.status, frozenset())


@require_POST
@login_required
def application_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Submit a saved application from its status page, with the pledge ticked (R3.1)."""
    app = _own(request, pk)
    form = PledgeForm(request.POST)
    try:
        services.application_submit(
            actor=request.user,
            application=app,
            pledge_ip=client_ip(request),
            today=timezone.localdate(),
            pledge_accepted=form.is_valid() and bool(form.cleaned_data.get("pledge")),
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect(_status_url(app))
    messages.success(request, _("申报已提交，请等待企业审核。"))
    return redirect(_status_url(app))


@require_POST
@login_required
def application_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    app = _own(request, pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.application_withdraw(actor=request.user, application=app, reason=reason)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect(_status_url(app))
    messages.success(request, _("申报已撤回。"))
    return redirect(_status_url(app))


@require_GET
@login_required
def my_applications(request: AuthedRequest) -> HttpResponse:
    """The worker's applications, and the rounds open for registration they have not applied to."""
    person = _my_person(request)
    apps = list(
        selectors.application_list(user=request.user)
        .filter(person=person)
        .select_related("offering__occupation", "offering__job_type")
        .order_by("-created_at")
    )
    applied = {a.round_id for a in apps}
    today = timezone.localdate()
    employers = set(
        employee_list(user=request.user)
        .filter(person=person, is_active=True)
        .values_list("enterprise_id", flat=True)
    )
    rounds = [
        r
        for r in round_selectors.open_rounds(user=request.user, on=today).order_by("registration_closes")
        if r.pk not in applied and r.enterprise_id in employers
    ]
    context = {"title": _("我的申报"), "applications": apps, "rounds": rounds, "today": today}
    return render(request, "enrollment/apply/mine.html", context)


# --------------------------------------------------------------------------- files


@require_GET
@login_required
def application_photo(request: AuthedRequest, pk: int) -> HttpResponse:
    app = _viewable(request, pk)
    data = app.photo_bytes()
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=app.photo_type or "image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def document_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """An uploaded document, decrypted for the applicant or a reviewer; each view is audited."""
    app_id = ApplicationDocument.objects.filter(pk=pk).values_list("application_id", flat=True).first()
    if app_id is None:
        raise Http404
    app = _viewable(request, app_id)
    doc = app.documents.get(pk=pk)
    data = services.application_document_view(actor=request.user, document=doc)
    return file_response(data, filename=doc.filename, content_type=doc.content_type, inline=True)


def _print(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    app = _viewable(request, pk)
    data = services.application_print(actor=request.user, application=app, fmt=fmt)
    content_type = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }[fmt]
    return file_response(data, filename=f"职业技能等级认定申报表-{app.name}.{fmt}", content_type=content_type)


@require_GET
@login_required
def application_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _print(request, pk, "pdf")


@require_GET
@login_required
def application_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    return _print(request, pk, "docx")


urlpatterns: list[URLPattern] = [
    path("apply/<int:round_pk>/", apply, name="apply"),
    path("mine/", my_applications, name="my_applications"),
    path("applications/<int:pk>/status/", application_status, name="application_status"),
    # Application.get_absolute_url names this: the status page, open to the applicant and the reviewers.
    path("applications/<int:pk>/", application_status, name="application_detail"),
    path("applications/<int:pk>/edit/", application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/photo/", application_photo, name="application_photo"),
    path("applications/<int:pk>/form.pdf", application_pdf, name="application_pdf"),
    path("applications/<int:pk>/form.docx", application_docx, name="application_docx"),
    path("documents/<int:pk>/", document_download, name="document_download"),
]
