"""Pages of the logistics app: a round's exam sessions and its timetable per site and per room."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.filings.models import Site
from skillcert.logistics import selectors
from skillcert.logistics import selectors_schedule as sched
from skillcert.logistics.forms import SessionForm, add_problems
from skillcert.logistics.models import ExamSession, Room, Seat
from skillcert.logistics.services import sessions as session_services
from skillcert.rounds.models import Round


@require_GET
@login_required
def sessions(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk)
    rows = list(sched.sessions_of_round(round=rnd))
    return render(
        request,
        "logistics/sessions.html",
        {"round": rnd, "rows": rows, "can_manage": selectors.can_manage(user=request.user, round=rnd)},
    )


def _form_page(request: AuthedRequest, rnd: Round, form: SessionForm, title: str) -> HttpResponse:
    return render(request, "logistics/session_form.html", {"round": rnd, "form": form, "title": title})


@require_http_methods(["GET", "POST"])
@login_required
def session_create(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk, for_write=True)
    form = SessionForm(request.POST or None, round=rnd, initial={"day": rnd.evaluation_starts})
    if request.method == "POST" and form.is_valid():
        data = form.data_object()
        problems = session_services.session_problems(round=rnd, data=data)
        if problems:
            add_problems(form, problems)
        else:
            try:
                session_services.exam_session_create(actor=request.user, round=rnd, data=data)
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("场次已添加。"))
                return redirect("logistics:sessions", pk=rnd.pk)
    return _form_page(request, rnd, form, _("添加场次"))


@require_http_methods(["GET", "POST"])
@login_required
def session_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(user=request.user, pk=pk, for_write=True)
    rnd = session.round
    initial = {
        "module": session.module,
        "delivery": session.delivery,
        "offerings": list(session.offerings.all()),
        "site": session.site,
        "day": session.day,
        "starts": session.starts,
        "ends": session.ends,
        "note": session.note,
    }
    form = SessionForm(request.POST or None, round=rnd, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.data_object()
        problems = session_services.session_problems(round=rnd, data=data, exclude_pk=session.pk)
        if problems:
            add_problems(form, problems)
        else:
            try:
                session_services.exam_session_update(actor=request.user, session=session, data=data)
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("logistics:sessions", pk=rnd.pk)
    return _form_page(request, rnd, form, _("编辑场次：%(s)s") % {"s": session})


@require_POST
@login_required
def session_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(user=request.user, pk=pk, for_write=True)
    rnd_pk = session.round_id
    try:
        session_services.exam_session_delete(actor=request.user, session=session)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("场次已删除。"))
    return redirect("logistics:sessions", pk=rnd_pk)


# --- the timetable ---------------------------------------------------------------------------------


@dataclass
class SiteGrid:
    """One site: a row per day, a column per time slot, the sessions in each cell."""

    site: Site
    slots: list[tuple[str, str]] = field(default_factory=list)
    rows: list[tuple[date, list[list[ExamSession]]]] = field(default_factory=list)


@dataclass(frozen=True)
class RoomUse:
    session: ExamSession
    seated: int


@dataclass
class RoomGrid:
    """One site's rooms: a row per room, a column per day, the sessions using the room that day."""

    site: Site
    days: list[date] = field(default_factory=list)
    rows: list[tuple[Room, list[list[RoomUse]]]] = field(default_factory=list)


def site_grids(items: list[ExamSession]) -> list[SiteGrid]:
    grids: dict[int, SiteGrid] = {}
    for s in items:
        grids.setdefault(s.site_id, SiteGrid(s.site))
    for grid in grids.values():
        mine = [s for s in items if s.site_id == grid.site.pk]
        grid.slots = sorted({(f"{s.starts:%H:%M}", f"{s.ends:%H:%M}") for s in mine})
        for day in sorted({s.day for s in mine}):
            cells = [
                [s for s in mine if s.day == day and (f"{s.starts:%H:%M}", f"{s.ends:%H:%M}") == slot]
                for slot in grid.slots
            ]
            grid.rows.append((day, cells))
    return sorted(grids.values(), key=lambda g: g.site.name)


def room_grids(items: list[ExamSession]) -> list[RoomGrid]:
    by_pk = {s.pk: s for s in items}
    uses = (
        Seat.objects.filter(session__in=items)
        .values("session_id", "room_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    room_ids = {u["room_id"] for u in uses}
    rooms = {r.pk: r for r in Room.objects.filter(pk__in=room_ids).select_related("site")}
    grids: dict[int, RoomGrid] = {}
    table: dict[tuple[int, date], list[RoomUse]] = {}
    for u in uses:
        session, room = by_pk[u["session_id"]], rooms[u["room_id"]]
        grid = grids.setdefault(room.site_id, RoomGrid(room.site))
        if session.day not in grid.days:
            grid.days.append(session.day)
        table.setdefault((room.pk, session.day), []).append(RoomUse(session, u["n"]))
    for grid in grids.values():
        grid.days.sort()
        for room in sorted(
            (r for r in rooms.values() if r.site_id == grid.site.pk), key=lambda r: (r.name, r.pk)
        ):
            cells = [sorted(table.get((room.pk, d), []), key=lambda x: x.session.starts) for d in grid.days]
            grid.rows.append((room, cells))
    return sorted(grids.values(), key=lambda g: g.site.name)


@require_GET
@login_required
def timetable(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk)
    items = list(sched.sessions_of_round(round=rnd))
    return render(
        request,
        "logistics/timetable.html",
        {"round": rnd, "sites": site_grids(items), "rooms": room_grids(items), "empty": not items},
    )


urls: list[URLPattern] = [
    path("rounds/<int:pk>/sessions/", sessions, name="sessions"),
    path("rounds/<int:pk>/sessions/new/", session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", session_delete, name="session_delete"),
    path("rounds/<int:pk>/timetable/", timetable, name="timetable"),
]
