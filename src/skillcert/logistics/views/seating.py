"""Pages of the logistics app: seating of a round's sessions and the door list of each session."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core import selectors as core_selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.http import AuthedRequest
from skillcert.core.services import jobs as job_services
from skillcert.logistics import selectors
from skillcert.logistics import selectors_schedule as sched
from skillcert.logistics.models import ExamSession
from skillcert.logistics.services import seating as seating_services

RECENT_JOBS = 3


@dataclass(frozen=True)
class SessionRow:
    session: ExamSession
    expected: int
    seated: int

    @property
    def missing(self) -> int:
        return max(self.expected - self.seated, 0)


@require_GET
@login_required
def seating(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk)
    rows = [
        SessionRow(s, sched.session_candidates(session=s).count(), getattr(s, "seated", 0))
        for s in sched.sessions_of_round(round=rnd)
    ]
    can_manage = selectors.can_manage(user=request.user, round=rnd)
    recent = (
        core_selectors.job_list(user=request.user)
        .filter(kind=seating_services.seating_job_kind(rnd))
        .order_by("-created_at")[:RECENT_JOBS]
        if can_manage
        else []
    )
    return render(
        request,
        "logistics/seating.html",
        {"round": rnd, "rows": rows, "can_manage": can_manage, "recent": recent},
    )


@require_POST
@login_required
def seating_run(request: AuthedRequest, pk: int) -> HttpResponse:
    """One session at once (field `session`), or every session of the round as a background task."""
    rnd = selectors.access_logistics_round(user=request.user, pk=pk, for_write=True)
    session_pk = request.POST.get("session")
    if session_pk:
        session = selectors.access_session(user=request.user, pk=session_pk, for_write=True)
        if session.round_id != rnd.pk:
            raise Http404
        try:
            outcome = seating_services.seating_assign(actor=request.user, session=session)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return redirect("logistics:seating", pk=rnd.pk)
        messages.success(
            request,
            _("%(s)s：已安排%(p)s人，使用%(r)s个考场。")
            % {"s": session, "p": outcome.placed, "r": outcome.rooms},
        )
        for name, reason in outcome.unseated[:20]:
            messages.warning(request, f"{name}：{reason}")
        return redirect("logistics:session_seats", pk=session.pk)
    job = job_services.job_create(
        actor=request.user,
        kind=seating_services.seating_job_kind(rnd),
        title=_("%(r)s 座位编排") % {"r": rnd.name},
        organisation=rnd.enterprise,
    )
    seating_services.seating_round_task.enqueue(job_id=str(job.pk), round_id=rnd.pk, user_id=request.user.pk)
    return redirect("logistics:seating", pk=rnd.pk)


@require_GET
@login_required
def session_seats(request: AuthedRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(user=request.user, pk=pk)
    return render(
        request,
        "logistics/session_seats.html",
        {
            "round": session.round,
            "session": session,
            "offerings": list(session.offerings.select_related("occupation", "job_type")),
            "rooms": sched.seats_by_room(session=session),
            "unseated": list(sched.unseated_candidates(session=session).select_related("person")),
            "can_manage": selectors.can_manage(user=request.user, round=session.round),
        },
    )


urls: list[URLPattern] = [
    path("rounds/<int:pk>/seating/", seating, name="seating"),
    path("rounds/<int:pk>/seating/run/", seating_run, name="seating_run"),
    path("sessions/<int:pk>/seats/", session_seats, name="session_seats"),
]
