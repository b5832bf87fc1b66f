"""Pages of the logistics app: the rounds index, the round hub and the rooms of each site (R6.1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from skillcert.core import access
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.views.common import Action
from skillcert.logistics import selectors
from skillcert.logistics import selectors_schedule as sched
from skillcert.logistics.forms import RoomForm, add_problems
from skillcert.logistics.models import Room
from skillcert.logistics.services import rooms as room_services
from skillcert.rounds.models import Round
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus


def _is_reader(request: AuthedRequest) -> bool:
    return access.is_enterprise_staff(request.user) or access.is_authority_staff(request.user)


def round_links(rnd: Round) -> list[Action]:
    """The round's logistics pages, in the order the work is done."""
    names = [
        ("logistics:sessions", _("场次安排")),
        ("logistics:timetable", _("日程表")),
        ("logistics:seating", _("座位编排")),
        ("logistics:tickets", _("准考证")),
        ("logistics:staffing", _("人员编排")),
        ("logistics:documents", _("考务文书")),
        ("logistics:examday", _("考试当天")),
    ]
    return [Action(label, reverse(name, args=[rnd.pk])) for name, label in names]


@require_GET
@login_required
def index(request: AuthedRequest) -> HttpResponse:
    if not _is_reader(request):
        raise Http404
    rounds = list(
        selectors.logistics_round_list(user=request.user).order_by("-year", "-evaluation_starts", "-pk")
    )
    plans = {p.round_id: p for p in CertificationPlan.objects.filter(round__in=[r.pk for r in rounds])}
    counts = sched.round_list_counts(rounds=rounds)
    rows = [(r, plans.get(r.pk), counts[r.pk]) for r in rounds]
    return render(
        request,
        "logistics/index.html",
        {"rows": rows, "can_write_rooms": sched.can_write_rooms(user=request.user)},
    )


@require_GET
@login_required
def round_hub(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = selectors.access_logistics_round(user=request.user, pk=pk)
    cert = CertificationPlan.objects.filter(round=rnd).first()
    return render(
        request,
        "logistics/round.html",
        {
            "round": rnd,
            "cert": cert,
            "confirmed": cert is not None and cert.status == CertificationPlanStatus.CONFIRMED,
            "counts": sched.round_counts(round=rnd),
            "staff_plan": selectors.staff_plan_of(round=rnd),
            "links": round_links(rnd),
            "can_manage": selectors.can_manage(user=request.user, round=rnd),
        },
    )


@require_GET
@login_required
def rooms(request: AuthedRequest) -> HttpResponse:
    if not _is_reader(request):
        raise Http404
    sites = list(sched.logistics_sites(user=request.user))
    by_site: dict[int, list[Room]] = {}
    for room in (
        selectors.room_list(user=request.user)
        .prefetch_related("occupations", "job_types")
        .order_by("site__name", "name", "pk")
    ):
        by_site.setdefault(room.site_id, []).append(room)
    return render(
        request,
        "logistics/rooms.html",
        {
            "sites": [(s, by_site.get(s.pk, [])) for s in sites],
            "can_write": sched.can_write_rooms(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def room_create(request: AuthedRequest) -> HttpResponse:
    if not sched.can_write_rooms(user=request.user):
        raise Http404
    sites = sched.writable_sites(user=request.user)
    initial = {"site": request.GET.get("site")} if request.GET.get("site") else None
    form = RoomForm(
        request.POST or None, initial=initial, sites=sites, enterprise_id=request.user.organisation_id or 0
    )
    if request.method == "POST" and form.is_valid():
        site = form.cleaned_data["site"]
        data = form.data_object()
        problems = room_services.room_problems(site=site, data=data)
        if problems:
            add_problems(form, problems)
        else:
            try:
                room = room_services.room_create(actor=request.user, site=site, data=data)
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("考场“%(r)s”已添加。") % {"r": room})
                return redirect("logistics:rooms")
    return render(
        request,
        "logistics/room_form.html",
        {"form": form, "title": _("添加考场"), "no_sites": not sites.exists()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def room_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    room = selectors.access_room(user=request.user, pk=pk, for_write=True)
    initial = {
        "name": room.name,
        "kind": room.kind,
        "capacity": room.capacity,
        "occupations": list(room.occupations.all()),
        "job_types": list(room.job_types.all()),
        "monitored": room.monitored,
        "alt_record": room.alt_record,
        "note": room.note,
        "is_active": room.is_active,
    }
    form = RoomForm(request.POST or None, initial=initial, sites=None, enterprise_id=room.site.enterprise_id)
    if request.method == "POST" and form.is_valid():
        data = form.data_object()
        problems = room_services.room_problems(site=room.site, data=data, room=room)
        if problems:
            add_problems(form, problems)
        else:
            try:
                room_services.room_update(actor=request.user, room=room, data=data)
            except RuleViolation as exc:
                add_rule_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("logistics:rooms")
    return render(
        request,
        "logistics/room_form.html",
        {"form": form, "title": _("编辑考场：%(r)s") % {"r": room}, "room": room},
    )


urls: list[URLPattern] = [
    path("", index, name="index"),
    path("rounds/<int:pk>/", round_hub, name="round"),
    path("rooms/", rooms, name="rooms"),
    path("rooms/new/", room_create, name="room_create"),
    path("rooms/<int:pk>/edit/", room_edit, name="room_edit"),
]
