"""Pages of the staff plan: settings, generation with a progress bar, the plan, manual edits, saving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skillcert.core import selectors as core_selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form, add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.models import JobProgress, Person
from skillcert.core.services import jobs as job_services
from skillcert.filings.models import Site
from skillcert.logistics import solver, tasks
from skillcert.logistics.models import ROLE_GROUP, ExamSession, Room, RoomKind, StaffAssignment, StaffRole
from skillcert.logistics.selectors import access_logistics_round, can_manage
from skillcert.logistics.selectors_staffing import (
    ProblemIndex,
    build_problem,
    plan_layout,
    settings_of,
    unit_key,
)
from skillcert.logistics.services import staffing as services
from skillcert.rounds.models import Round


class SettingsForm(Form):
    recuse_same_department = forms.BooleanField(
        label=gettext_lazy("同部门回避（不监考、不考评本部门考生）"), required=False
    )
    rotation_rounds = forms.IntegerField(
        label=gettext_lazy("轮换期（连续批次数）"), min_value=1, max_value=20
    )
    weight_rotation = forms.IntegerField(label=gettext_lazy("轮换权重"), min_value=0, max_value=100)
    weight_balance = forms.IntegerField(label=gettext_lazy("均衡工作量权重"), min_value=0, max_value=100)
    weight_distance = forms.IntegerField(label=gettext_lazy("就近安排权重"), min_value=0, max_value=100)


class PersonField(forms.ModelChoiceField):
    """People by name, with the staff-pool groups they belong to."""

    labels: dict[int, str]

    def label_from_instance(self, obj: Any) -> str:
        return getattr(self, "labels", {}).get(obj.pk, obj.name)


class MoveForm(Form):
    person = PersonField(label=gettext_lazy("改由"), queryset=Person.objects.none())


class AddForm(Form):
    role = forms.ChoiceField(label=gettext_lazy("职责"), choices=())
    person = PersonField(label=gettext_lazy("人员"), queryset=Person.objects.none())
    is_leader = forms.BooleanField(label=gettext_lazy("担任考评组组长"), required=False)


SOLVE_STATUS = {
    "optimal": gettext_lazy("最优解"),
    "feasible": gettext_lazy("可行解（在时限内未证明最优）"),
    "infeasible": gettext_lazy("无可行方案"),
}


# --- helpers --------------------------------------------------------------------------------------


def _settings_form(rnd: Round, data: Any = None) -> SettingsForm:
    plan = settings_of(round=rnd)
    initial = {
        "recuse_same_department": plan.recuse_same_department,
        "rotation_rounds": plan.rotation_rounds,
        "weight_rotation": plan.weight_rotation,
        "weight_balance": plan.weight_balance,
        "weight_distance": plan.weight_distance,
    }
    return SettingsForm(data, initial=initial)


def _job_of(request: AuthedRequest, rnd: Round) -> JobProgress | None:
    """The generation job the page shows: the one named in ?job=, else this user's latest for the round."""
    jobs = core_selectors.job_list(user=request.user).filter(kind=tasks.staffing_job_kind(rnd.pk))
    wanted = request.GET.get("job")
    if wanted:
        try:
            return jobs.filter(pk=UUID(wanted)).first()
        except ValueError:
            return None
    return jobs.order_by("-created_at").first()


def _staffing_page(
    request: AuthedRequest,
    rnd: Round,
    *,
    settings_form: SettingsForm | None = None,
    save_error: str = "",
    status: int = 200,
) -> HttpResponse:
    plan = settings_of(round=rnd)
    problem, index = build_problem(round=rnd)
    sites, loads, stray = plan_layout(plan=plan, index=index, findings=plan.findings)
    explanations = plan.stats.get("explanations", []) if plan.stats.get("status") == "infeasible" else []
    manage = can_manage(user=request.user, round=rnd)
    context = {
        "round": rnd,
        "plan": plan,
        "has_assignments": bool(plan.pk) and plan.assignments.exists(),
        "can_manage": manage,
        "settings_form": settings_form or _settings_form(rnd),
        "job": _job_of(request, rnd) if manage else None,
        "sites": sites,
        "loads": loads,
        "stray": stray,
        "findings": plan.findings,
        "explanations": explanations,
        "save_error": save_error,
        "problem": problem,
        "solve_status": SOLVE_STATUS.get(str(plan.stats.get("status", "")), ""),
        "improvement": (
            plan.baseline_objective - plan.objective
            if plan.objective is not None and plan.baseline_objective is not None
            else None
        ),
    }
    return render(request, "logistics/staffing/staffing.html", context, status=status)


def _assignment_for_write(request: AuthedRequest, pk: int) -> StaffAssignment:
    row = (
        StaffAssignment.objects.select_related("plan", "plan__round", "person", "site", "session", "room")
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    access_logistics_round(user=request.user, pk=row.plan.round_id, for_write=True)
    return row


def _candidates_for(row: StaffAssignment, index: ProblemIndex, problem: solver.Problem) -> list[int]:
    """People who look eligible for the row's role: the pool group of the role, and for an assessor the
    occupation at the unit's level or higher. The checker decides the rest (recusal, overlaps, …)."""
    group = ROLE_GROUP[row.role]
    unit = index.units.get(unit_key(row.session_id, row.room_id)) if row.session_id and row.room_id else None
    people = []
    for staff in problem.staff:
        if group not in staff.groups or staff.person_id == row.person_id:
            continue
        if row.role == StaffRole.ASSESSOR and unit is not None and unit.occupation_id is not None:
            height = unit.level_height or 0
            if not any(
                q.occupation_id == unit.occupation_id and q.max_height >= height for q in staff.qualifications
            ):
                continue
        people.append(staff.person_id)
    return people


# --- pages ----------------------------------------------------------------------------------------


@require_GET
@login_required
def staffing(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk)
    return _staffing_page(request, rnd)


@require_POST
@login_required
def staffing_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk, for_write=True)
    form = _settings_form(rnd, request.POST)
    if form.is_valid():
        try:
            services.staff_plan_settings(actor=request.user, round=rnd, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            messages.success(request, _("编排设置已保存。"))
            return redirect("logistics:staffing", pk=rnd.pk)
    return _staffing_page(request, rnd, settings_form=form, status=422)


@require_POST
@login_required
def staffing_generate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the optimiser as a task; the page then shows its progress bar."""
    rnd = access_logistics_round(user=request.user, pk=pk, for_write=True)
    job = job_services.job_create(
        actor=request.user,
        kind=tasks.staffing_job_kind(rnd.pk),
        title=_("%(r)s 人员编排") % {"r": rnd.name},
        total=100,
        organisation=rnd.enterprise,
    )
    tasks.staff_plan_generate_task.enqueue(job_id=str(job.pk), round_id=rnd.pk, user_id=request.user.pk)
    return redirect(f"{reverse('logistics:staffing', args=[rnd.pk])}?job={job.pk}")


@require_GET
@login_required
def staffing_progress(request: AuthedRequest, pk: int, job: UUID) -> HttpResponse:
    """The progress bar alone, for htmx; when the job ends, the whole page reloads to show the result."""
    rnd = access_logistics_round(user=request.user, pk=pk, for_write=True)
    row = core_selectors.access_job(user=request.user, pk=job)
    if row.kind != tasks.staffing_job_kind(rnd.pk):
        raise Http404
    response = render(request, "logistics/staffing/_progress.html", {"job": row, "round": rnd})
    response["Cache-Control"] = "no-store"
    if row.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def staffing_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give one assignment to another person; the checker's findings show on the plan page right after."""
    row = _assignment_for_write(request, pk)
    rnd = row.plan.round
    problem, index = build_problem(round=rnd)
    allowed = _candidates_for(row, index, problem)
    form = MoveForm(request.POST or None)
    field = form.fields["person"]
    assert isinstance(field, PersonField)
    field.queryset = Person.objects.filter(pk__in=allowed).order_by("name", "pk")
    field.labels = {s.person_id: _person_label(s) for s in problem.staff}
    if request.method == "POST" and form.is_valid():
        services.staff_assignment_move(actor=request.user, assignment=row, person=form.cleaned_data["person"])
        plan = settings_of(round=rnd)
        if plan.findings:
            messages.warning(
                request, _("已改为草稿；校验发现 %(n)s 项问题，见下方红色提示。") % {"n": len(plan.findings)}
            )
        else:
            messages.success(request, _("已调整；校验通过，请保存编排方案。"))
        return redirect(f"{reverse('logistics:staffing', args=[rnd.pk])}#findings")
    unit = index.units.get(unit_key(row.session_id, row.room_id)) if row.session_id and row.room_id else None
    return render(
        request,
        "logistics/staffing/edit.html",
        {"round": rnd, "row": row, "unit": unit, "form": form},
    )


def _person_label(staff: solver.Staff) -> str:
    groups = "、".join(solver.GROUP_LABEL[g] for g in sorted(staff.groups))
    return f"{staff.name}（{groups}）"


@dataclass(frozen=True)
class _Place:
    """Where a person is added: a room in a session (proctor, tallyer, assessor), or a site (head),
    or a site on a day (supervisor)."""

    site: Site
    session: ExamSession | None = None
    room: Room | None = None
    day: date | None = None

    @property
    def roles(self) -> list[tuple[str, str]]:
        if self.room is not None and self.session is not None:
            kinds = self.session.room_kinds()
            proctored = RoomKind.THEORY in kinds or RoomKind.CBT in kinds
            unit_roles = [StaffRole.PROCTOR] if proctored else [StaffRole.ASSESSOR, StaffRole.TALLYER]
            return [(str(r), str(r.label)) for r in unit_roles]
        role = StaffRole.SUPERVISOR if self.day is not None else StaffRole.HEAD
        return [(str(role), str(role.label))]


def _place_of(request: AuthedRequest, rnd: Round) -> _Place:
    """The place named in the query string, inside the round; anything else is 404."""
    try:
        if request.GET.get("session"):
            session = ExamSession.objects.select_related("site").get(
                pk=int(request.GET["session"]), round=rnd
            )
            room = Room.objects.get(pk=int(request.GET.get("room", "")), site_id=session.site_id)
            return _Place(site=session.site, session=session, room=room)
        site = Site.objects.get(pk=int(request.GET.get("site", "")), enterprise_id=rnd.enterprise_id)
        day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else None
    except (ValueError, KeyError, ExamSession.DoesNotExist, Room.DoesNotExist, Site.DoesNotExist):
        raise Http404 from None
    if day is not None and not rnd.exam_sessions.filter(site=site, day=day).exists():
        raise Http404
    return _Place(site=site, day=day)


@require_http_methods(["GET", "POST"])
@login_required
def staffing_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Fill an empty place by hand (e.g. after a run that found too few people); the checker then re-checks."""
    rnd = access_logistics_round(user=request.user, pk=pk, for_write=True)
    place = _place_of(request, rnd)
    problem, index = build_problem(round=rnd)
    roles = place.roles
    groups = {ROLE_GROUP[r] for r, _label in roles}
    form = AddForm(request.POST or None, initial={"role": roles[0][0]})
    role_field = form.fields["role"]
    assert isinstance(role_field, forms.ChoiceField)
    role_field.choices = roles
    if len(roles) == 1 or roles[0][0] != StaffRole.ASSESSOR:
        del form.fields["is_leader"]
    field = form.fields["person"]
    assert isinstance(field, PersonField)
    field.queryset = Person.objects.filter(
        pk__in=[s.person_id for s in problem.staff if s.groups & groups]
    ).order_by("name", "pk")
    field.labels = {s.person_id: _person_label(s) for s in problem.staff}
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_assignment_add(
                actor=request.user,
                round=rnd,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
                site=place.site,
                session=place.session,
                room=place.room,
                day=place.day,
                is_leader=bool(form.cleaned_data.get("is_leader")),
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            plan = settings_of(round=rnd)
            if plan.findings:
                messages.warning(
                    request,
                    _("已添加，方案为草稿；校验发现 %(n)s 项问题，见下方红色提示。")
                    % {"n": len(plan.findings)},
                )
            else:
                messages.success(request, _("已添加；校验通过，请保存编排方案。"))
            return redirect(f"{reverse('logistics:staffing', args=[rnd.pk])}#findings")
    unit = (
        index.units.get(unit_key(place.session.pk, place.room.pk))
        if place.session is not None and place.room is not None
        else None
    )
    return render(
        request,
        "logistics/staffing/add.html",
        {"round": rnd, "place": place, "unit": unit, "form": form},
    )


@require_POST
@login_required
def staffing_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    row = _assignment_for_write(request, pk)
    rnd = row.plan.round
    services.staff_assignment_remove(actor=request.user, assignment=row)
    messages.info(request, _("已移除 %(n)s 的安排；方案已改为草稿。") % {"n": row.person.name})
    return redirect(f"{reverse('logistics:staffing', args=[rnd.pk])}#findings")


@require_POST
@login_required
def staffing_save(request: AuthedRequest, pk: int) -> HttpResponse:
    rnd = access_logistics_round(user=request.user, pk=pk, for_write=True)
    try:
        services.staff_plan_save(actor=request.user, round=rnd)
    except RuleViolation as exc:
        return _staffing_page(request, rnd, save_error=str(exc), status=422)
    messages.success(request, _("人员编排方案已保存。"))
    return redirect("logistics:staffing", pk=rnd.pk)


urls: list[URLPattern] = [
    path("rounds/<int:pk>/staffing/", staffing, name="staffing"),
    path("rounds/<int:pk>/staffing/settings/", staffing_settings, name="staffing_settings"),
    path("rounds/<int:pk>/staffing/generate/", staffing_generate, name="staffing_generate"),
    path("rounds/<int:pk>/staffing/jobs/<uuid:job>/progress/", staffing_progress, name="staffing_progress"),
    path("rounds/<int:pk>/staffing/save/", staffing_save, name="staffing_save"),
    path("staffing/assignments/<int:pk>/edit/", staffing_edit, name="staffing_edit"),
    path("staffing/assignments/<int:pk>/remove/", staffing_remove, name="staffing_remove"),
    path("rounds/<int:pk>/staffing/add/", staffing_add, name="staffing_add"),
]
