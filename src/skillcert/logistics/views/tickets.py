"""Pages of the logistics app: admission tickets (准考证) of a round, and a candidate's own ticket."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core import access
from skillcert.core.errors import RuleViolation
from skillcert.core.http import AuthedRequest, file_response
from skillcert.logistics import selectors
from skillcert.logistics import selectors_schedule as sched
from skillcert.logistics.models import Ticket
from skillcert.logistics.services import tickets as ticket_services
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus


def _pdf(data: bytes, filename: str) -> HttpResponse:
    return file_response(data, filename=filename, content_type="application/pdf", inline=True)


@require_GET
@login_required
def tickets(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk)
    confirmed = CertificationPlan.objects.filter(round=rnd, status=CertificationPlanStatus.CONFIRMED).exists()
    missing = sched.ticket_problems(round=rnd)
    return render(
        request,
        "logistics/tickets.html",
        {
            "round": rnd,
            "tickets": list(sched.tickets_of_round(round=rnd)),
            "confirmed": confirmed,
            "missing": missing[:100],
            "missing_count": len(missing),
            "candidates": selectors.candidates_of_round(round=rnd).count(),
            "can_manage": selectors.can_manage(user=request.user, round=rnd),
        },
    )


@require_POST
@login_required
def tickets_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk, for_write=True)
    try:
        issue = ticket_services.ticket_issue_all(actor=request.user, round=rnd)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已生成准考证%(c)s张；已有准考证的%(k)s人保持原号。") % {"c": issue.created, "k": issue.kept},
        )
    return redirect("logistics:tickets", pk=rnd.pk)


@require_GET
@login_required
def tickets_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk)
    try:
        data = ticket_services.tickets_batch_pdf(actor=request.user, round=rnd)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("logistics:tickets", pk=rnd.pk)
    return _pdf(data, _("%(r)s 准考证.pdf") % {"r": rnd.name})


@require_GET
@login_required
def ticket_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = access.get_or_404(
        Ticket.objects.filter(round__in=selectors.logistics_round_list(user=request.user)), pk
    )
    data = ticket_services.ticket_pdf(actor=request.user, ticket=ticket)
    return _pdf(data, _("准考证 %(n)s.pdf") % {"n": ticket.number})


@require_GET
@login_required
def my_ticket_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = selectors.access_own_ticket(user=request.user, pk=pk)
    data = ticket_services.ticket_pdf(actor=request.user, ticket=ticket)
    return _pdf(data, _("准考证 %(n)s.pdf") % {"n": ticket.number})


urls: list[URLPattern] = [
    path("rounds/<int:pk>/tickets/", tickets, name="tickets"),
    path("rounds/<int:pk>/tickets/issue/", tickets_issue, name="tickets_issue"),
    path("rounds/<int:pk>/tickets.pdf", tickets_pdf, name="tickets_pdf"),
    path("tickets/<int:pk>.pdf", ticket_pdf, name="ticket_pdf"),
    path("my/tickets/<int:pk>.pdf", my_ticket_pdf, name="my_ticket_pdf"),
]
