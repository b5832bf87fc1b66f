"""Pages of rounds: the list, the form, the detail with its offerings and announcement, publishing and the PDF notice."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core import access
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.models.accounts import Role
from skillcert.core.views.common import Action, list_page
from skillcert.rounds import announcement, documents, selectors, services
from skillcert.rounds.filters import RoundFilter
from skillcert.rounds.forms import CancelForm, OfferingForm, RoundForm
from skillcert.rounds.links import apply_url, staff_links
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from skillcert.rounds.tables import RoundTable


def _back(rnd: Round) -> HttpResponse:
    return redirect("rounds:round_detail", pk=rnd.pk)


@login_required
def round_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not (
        access.is_enterprise_staff(user) or access.is_authority_staff(user) or user.has_role(Role.CANDIDATE)
    ):
        raise Http404
    actions = []
    if selectors.can_create_round(user=user):
        actions.append(Action(_("新建认定批次"), reverse("rounds:round_create")))
    intro = (
        _(
            "本企业的认定批次及其公告（R2.1）。先建草稿、添加认定范围内的职业（工种）等级，公告内容齐全后发布。"
        )
        if access.is_enterprise_staff(user)
        else _("辖区内企业发布的认定批次。")
        if access.is_authority_staff(user)
        else _("本企业已发布的认定批次。")
    )
    return list_page(
        request,
        title=_("认定批次"),
        queryset=selectors.round_list(user=user).annotate(offering_count=Count("offerings")),
        filterset_class=RoundFilter,
        table_class=RoundTable,
        actions=actions,
        intro=intro,
    )


def _initial(request: AuthedRequest) -> dict[str, object]:
    """A sensible starting point: registration from next week for three weeks, evaluation a month later."""
    today = timezone.localdate()
    org = request.user.organisation
    opens = today + timedelta(days=7)
    closes = opens + timedelta(days=21)
    starts = closes + timedelta(days=21)
    taken = set(Round.objects.filter(enterprise=org).values_list("name", flat=True)) if org else set()
    n = 1
    while (name := _("%(y)s年第%(n)s批") % {"y": opens.year, "n": n}) in taken:
        n += 1
    return {
        "name": name,
        "year": opens.year,
        "registration_opens": opens,
        "registration_closes": closes,
        "evaluation_starts": starts,
        "evaluation_ends": starts + timedelta(days=10),
        "contact_name": getattr(org, "contact_name", ""),
        "contact_phone": getattr(org, "contact_phone", ""),
    }


@login_required
def round_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_create_round(user=user) or user.organisation is None:
        raise Http404
    form = RoundForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(actor=user, enterprise=user.organisation, data=form.data_object())
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(
                request, _("已创建认定批次“%(n)s”（草稿），请添加认定职业（工种）等级。") % {"n": rnd.name}
            )
            return _back(rnd)
    return render(
        request,
        "rounds/round_form.html",
        {"form": form, "title": _("新建认定批次"), "cancel_url": reverse("rounds:round_list")},
    )


@login_required
def round_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    if rnd.status != RoundStatus.DRAFT:
        messages.error(request, _("认定批次已%(s)s，不能修改。") % {"s": rnd.get_status_display()})
        return _back(rnd)
    form = RoundForm(request.POST or None, initial=RoundForm.initial_of(rnd))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, round=rnd, data=form.data_object())
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return _back(rnd)
    return render(
        request,
        "rounds/round_form.html",
        {
            "form": form,
            "title": _("编辑认定批次：%(n)s") % {"n": rnd.name},
            "cancel_url": rnd.get_absolute_url(),
            "round": rnd,
        },
    )


def _render_detail(request: AuthedRequest, rnd: Round, **forms: object) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    offerings = list(selectors.offering_list(user=user, round=rnd))
    can_manage = selectors.can_manage_round(user=user, round=rnd)
    editable = can_manage and rnd.status == RoundStatus.DRAFT
    context: dict[str, object] = {
        "round": rnd,
        "a": announcement.build(rnd, offerings, today=today),
        "offerings": offerings,
        "can_manage": can_manage,
        "editable": editable,
        "is_staff_view": access.is_enterprise_staff(user) or access.is_authority_staff(user),
        "registration_open": rnd.registration_open_on(today),
        "registration_upcoming": rnd.status == RoundStatus.PUBLISHED and today < rnd.registration_opens,
        "apply_url": apply_url(rnd.pk) if rnd.registration_open_on(today) else None,
        "staff_links": staff_links(rnd.pk) if can_manage and rnd.status == RoundStatus.PUBLISHED else [],
    }
    if editable:
        context["offering_form"] = OfferingForm(
            items=selectors.scope_choices(user=user, round=rnd), round=rnd, prefix="o"
        )
        context["problems"] = services.publish_problems(round=rnd, today=today)
    if can_manage and rnd.status != RoundStatus.CANCELLED:
        context["cancel_form"] = CancelForm(prefix="c")
    context.update(forms)
    return render(request, "rounds/round_detail.html", context)


@require_GET
@login_required
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.access_round(user=request.user, pk=pk))


@require_POST
@login_required
def offering_add(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    form = OfferingForm(
        request.POST, items=selectors.scope_choices(user=request.user, round=rnd), round=rnd, prefix="o"
    )
    if form.is_valid():
        item = form.cleaned_data["scope_item"]
        job_type = item.job_type or form.cleaned_data["job_type"]
        if item.job_type is None and job_type is not None and job_type.occupation_id != item.occupation_id:
            form.add_error(
                "job_type",
                _("工种“%(j)s”不属于职业“%(o)s”。") % {"j": job_type.name, "o": item.occupation.name},
            )
        else:
            try:
                services.offering_add(
                    actor=request.user,
                    round=rnd,
                    occupation=item.occupation,
                    job_type=job_type,
                    level=item.level,
                    standard=form.cleaned_data["standard"],
                    quota=form.cleaned_data["quota"],
                )
            except RuleViolation as exc:
                if exc.field == "level":
                    exc.field = "scope_item"
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已添加。"))
                return _back(rnd)
    return _render_detail(request, rnd, offering_form=form)


@require_POST
@login_required
def offering_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        offering = RoundOffering.objects.select_related("round", "occupation", "job_type").get(pk=pk)
    except (RoundOffering.DoesNotExist, ValueError):
        raise Http404 from None
    rnd = selectors.access_round(user=request.user, pk=offering.round_id, for_write=True)
    try:
        services.offering_remove(actor=request.user, offering=offering)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除 %(o)s。") % {"o": offering})
    return _back(rnd)


@require_POST
@login_required
def round_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    try:
        rnd = services.round_publish(actor=request.user, round=rnd, today=timezone.localdate())
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("公告已发布，本企业职工可在工作台查看并在报名期内申报。"))
    return _back(rnd)


@require_POST
@login_required
def round_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk, for_write=True)
    form = CancelForm(request.POST, prefix="c")
    if not form.is_valid():
        return _render_detail(request, rnd, cancel_form=form)
    try:
        services.round_cancel(actor=request.user, round=rnd, reason=form.cleaned_data["reason"])
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("认定批次已取消。"))
    return _back(rnd)


@require_GET
@login_required
def notice_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_round(user=request.user, pk=pk)
    offerings = selectors.offering_list(user=request.user, round=rnd)
    a = announcement.build(rnd, offerings, today=timezone.localdate())
    # Inline: the notice opens in the browser to read or print.
    return file_response(
        documents.notice_pdf(a),
        filename=documents.notice_filename(a),
        content_type="application/pdf",
        inline=True,
    )
