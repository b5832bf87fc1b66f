"""Pages for filing and the evaluation scope: the authority's enterprise list, an enterprise's filing and scope."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from skillcert.core import access
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.views.common import Action, list_page
from skillcert.filings import selectors, window
from skillcert.filings.filters import EnterpriseFilingFilter
from skillcert.filings.forms import FilingForm, ScopeEntryFormSet
from skillcert.filings.services.filing import ScopeEntry, filing_create
from skillcert.filings.tables import EnterpriseFilingTable


def _on_date(raw: str | None, default: date) -> date:
    try:
        parsed = parse_date(raw or "")
    except ValueError:
        parsed = None
    return parsed or default


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Enterprise staff land on their own filing; authority staff get the enterprises they supervise."""
    user = request.user
    if access.is_enterprise_staff(user) and user.organisation is not None:
        return redirect("filings:enterprise", pk=user.organisation.pk)
    if not access.is_authority_staff(user):
        raise Http404
    pending = selectors.adjustment_queue(user=user).count()
    return list_page(
        request,
        title=_("备案与评价范围"),
        queryset=selectors.enterprise_list(user=user),
        filterset_class=EnterpriseFilingFilter,
        table_class=EnterpriseFilingTable,
        actions=[Action(_("待办调整申请（%(n)s）") % {"n": pending}, reverse("filings:queue"))],
        intro=_("辖区内企业的备案情况。点击企业名称查看或登记备案及其评价范围。"),
    )


@login_required
def enterprise_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    enterprise = selectors.access_enterprise(user=user, pk=pk)
    today = timezone.localdate()
    on = _on_date(request.GET.get("on"), today)
    filing = selectors.filing_of(enterprise=enterprise)
    months = selectors.window_months()
    context = {
        "enterprise": enterprise,
        "filing": filing,
        "on": on,
        "today": today,
        "scope": selectors.scope_in_force(enterprise=enterprise, on=on),
        "history": selectors.scope_history(enterprise=enterprise),
        "adjustments": selectors.adjustment_list(user=user).filter(enterprise=enterprise)[:20],
        "can_manage": selectors.can_manage(user=user, enterprise=enterprise),
        "can_review": selectors.can_review(user=user, enterprise=enterprise),
        "window_label": window.months_label(months),
        "in_window": window.in_window(today, months),
        "next_window": window.next_window(today, months),
        "site_count": selectors.site_list(user=user, enterprise=enterprise).count(),
        "pool_count": selectors.pool_list(user=user, enterprise=enterprise).filter(is_active=True).count(),
    }
    return render(request, "filings/enterprise.html", context)


@login_required
def filing_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The authority records the enterprise as an evaluating organisation with its initial scope (R1.1, R1.2)."""
    enterprise = selectors.access_enterprise_for_review(user=request.user, pk=pk)
    if selectors.filing_of(enterprise=enterprise) is not None:
        messages.info(request, _("该企业已备案；范围变化须通过评价范围调整办理。"))
        return redirect("filings:enterprise", pk=enterprise.pk)
    form = FilingForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    formset = ScopeEntryFormSet(request.POST or None, enterprise=enterprise, prefix="items")  # type: ignore[call-arg]
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        entries = [
            ScopeEntry(
                occupation=f.cleaned_data["occupation"],
                job_type=f.cleaned_data.get("job_type"),
                level=f.cleaned_data["level"],
                standard=f.cleaned_data.get("standard"),
            )
            for f in formset.forms
            if f.has_changed() and f.cleaned_data.get("occupation") is not None
        ]
        try:
            filing_create(
                actor=request.user,
                enterprise=enterprise,
                code=form.cleaned_data["code"],
                filed_on=form.cleaned_data["filed_on"],
                note=form.cleaned_data["note"],
                items=entries,
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("已登记 %(n)s 的备案。") % {"n": enterprise.name})
            return redirect("filings:enterprise", pk=enterprise.pk)
    return render(
        request,
        "filings/filing_form.html",
        {"form": form, "formset": formset, "enterprise": enterprise, "title": _("登记备案")},
    )
