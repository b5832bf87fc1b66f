"""Writes of the staff plan (R6.3–R6.5): settings, generation by the optimiser, manual edits, saving.

The optimiser and the checker live in `logistics.solver` (pure). Every write here re-runs the checker
and stores its findings on the plan, so the page always shows what is wrong with the plan as stored;
saving a plan that breaks a hard rule is refused, and the refusal is audited.
"""

from __future__ import annotations

import time as clock
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Person, User
from skillcert.filings.models import Site
from skillcert.logistics import solver
from skillcert.logistics.models import (
    ROLE_GROUP,
    ExamSession,
    Room,
    StaffAssignment,
    StaffPlan,
    StaffPlanStatus,
    StaffRole,
)
from skillcert.logistics.selectors_staffing import (
    ProblemIndex,
    assignment_of,
    build_problem,
    finding_dict,
    unit_key,
)
from skillcert.rounds.models import Round

# The optimiser's time budget for a round (the benchmark's 60 s covers a whole province).
SOLVE_SECONDS = 30.0
INFEASIBLE = "infeasible"


def _plan_for_update(rnd: Round) -> StaffPlan:
    plan, _created = StaffPlan.objects.get_or_create(round=rnd)
    return StaffPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)


def _stored(plan: StaffPlan) -> list[solver.Assignment]:
    return [assignment_of(a) for a in plan.assignments.all()]


def _stray_names(plan: StaffPlan, problem: solver.Problem) -> dict[str, str]:
    """Rooms in sessions the plan names that are no longer units (no candidates left after re-seating)."""
    units = {u.key for u in problem.units}
    names: dict[str, str] = {}
    rows = plan.assignments.filter(session__isnull=False, room__isnull=False).select_related(
        "session", "room"
    )
    for row in rows:
        session, room = row.session, row.room
        if session is None or room is None:
            continue
        key = unit_key(session.pk, room.pk)
        if key not in units and key not in names:
            names[key] = (
                f"{room.name}（{session.day.month}月{session.day.day}日 "
                f"{session.starts:%H:%M}–{session.ends:%H:%M}）"
            )
    return names


def _recheck(plan: StaffPlan) -> tuple[list[solver.Finding], solver.Problem, list[solver.Assignment]]:
    """Run the checker on the plan as stored and keep its findings on the plan (not yet saved)."""
    problem, _index = build_problem(round=plan.round, settings=plan)
    stored = _stored(plan)
    findings = (
        solver.verify_assignment(problem, stored, unit_names=_stray_names(plan, problem)) if stored else []
    )
    plan.findings = [finding_dict(f) for f in findings]
    return findings, problem, stored


def findings_sentence(findings: list[solver.Finding] | list[dict[str, Any]]) -> str:
    messages = [f["message"] if isinstance(f, dict) else f.message for f in findings]
    return "；".join(m.rstrip("。") for m in messages)


# --- settings -------------------------------------------------------------------------------------


def staff_plan_settings(
    *,
    actor: User,
    round: Round,
    recuse_same_department: bool,
    rotation_rounds: int,
    weight_rotation: int,
    weight_balance: int,
    weight_distance: int,
) -> StaffPlan:
    """Change the recusal and rotation settings and the soft-rule weights of the round's staff plan."""
    if not 1 <= rotation_rounds <= 20:
        raise RuleViolation("R6.4", _("轮换期须在 1 到 20 个批次之间。"), field="rotation_rounds")
    for name, value in (
        ("weight_rotation", weight_rotation),
        ("weight_balance", weight_balance),
        ("weight_distance", weight_distance),
    ):
        if not 0 <= value <= 100:
            raise RuleViolation("R6.4", _("权重须在 0 到 100 之间。"), field=name)
    with transaction.atomic():
        plan = _plan_for_update(round)
        before = {
            "recuse_same_department": plan.recuse_same_department,
            "rotation_rounds": plan.rotation_rounds,
            "weight_rotation": plan.weight_rotation,
            "weight_balance": plan.weight_balance,
            "weight_distance": plan.weight_distance,
        }
        plan.recuse_same_department = recuse_same_department
        plan.rotation_rounds = rotation_rounds
        plan.weight_rotation = weight_rotation
        plan.weight_balance = weight_balance
        plan.weight_distance = weight_distance
        after = {k: getattr(plan, k) for k in before}
        fields = [*before, "findings"]
        # Recusal by department is a hard rule: the stored plan is checked again under the new settings.
        findings, _problem, _stored_rows = _recheck(plan)
        if findings and plan.status == StaffPlanStatus.SAVED:
            plan.status = StaffPlanStatus.DRAFT
            fields.append("status")
        plan.save(update_fields=fields)
        audit.record(
            actor=actor,
            action="staff_plan.settings",
            obj=plan,
            organisation_id=round.enterprise_id,
            summary={"round": round.name, "before": before, "after": after},
        )
    return plan


# --- generation -----------------------------------------------------------------------------------


def _write_assignments(
    plan: StaffPlan, index: ProblemIndex, assignments: tuple[solver.Assignment, ...]
) -> int:
    plan.assignments.all().delete()
    rows = []
    for a in assignments:
        session_id = room_id = None
        if a.unit_key is not None:
            unit = index.units[a.unit_key]
            session_id, room_id = unit.session_id, unit.room_id
        rows.append(
            StaffAssignment(
                plan=plan,
                person_id=a.person_id,
                role=a.role,
                site_id=a.site_id,
                session_id=session_id,
                room_id=room_id,
                day=a.day,
                is_leader=a.is_leader,
            )
        )
    StaffAssignment.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def staff_plan_generate(
    *, actor: User, round: Round, progress: solver.Progress | None = None, time_limit: float = SOLVE_SECONDS
) -> StaffPlan:
    """Run the optimiser (and the greedy baseline) and store the result as a draft plan.

    When no plan exists the explanations are stored (stats["explanations"]) and the plan already
    stored, if any, is kept as it was: a failed run loses nothing.
    """
    started = clock.monotonic()
    problem, index = build_problem(round=round)
    if not problem.units:
        raise RuleViolation("R6.3", _("本批次还没有安排座位的场次，请先完成考场编排（座位）后再编排人员。"))
    solution = solver.solve(problem, time_limit=time_limit, progress=progress)
    baseline = solver.greedy(problem)
    baseline_objective = baseline.objective if baseline.status != INFEASIBLE else None
    seconds = float(f"{clock.monotonic() - started:.2f}")
    stats: dict[str, Any] = {
        **{k: float(v) for k, v in solution.stats.items()},
        "status": solution.status,
        "units": len(problem.units),
        "staff": len(problem.staff),
        "candidates": len(problem.candidates),
        "seconds": seconds,
    }
    with transaction.atomic():
        plan = _plan_for_update(round)
        fields = ["stats", "findings", "generated_at"]
        plan.generated_at = timezone.now()
        if solution.status == INFEASIBLE:
            stats["explanations"] = list(solution.explanations)
            plan.stats = stats
            kept_findings, _problem, _stored_rows = _recheck(plan)
            if kept_findings and plan.status == StaffPlanStatus.SAVED:
                # The kept plan no longer passes the checker: it is not a saved plan any more.
                plan.status = StaffPlanStatus.DRAFT
                fields.append("status")
            count = 0
        else:
            count = _write_assignments(plan, index, solution.assignments)
            stats["assignments"] = count
            plan.stats = stats
            plan.objective = solution.objective
            plan.baseline_objective = baseline_objective
            plan.status = StaffPlanStatus.DRAFT
            plan.saved_at = None
            plan.saved_by = None
            fields += ["objective", "baseline_objective", "status", "saved_at", "saved_by"]
            findings = solver.verify_assignment(problem, solution.assignments)
            plan.findings = [finding_dict(f) for f in findings]
        plan.save(update_fields=fields)
        audit.record(
            actor=actor,
            action="staff_plan.generate",
            obj=plan,
            organisation_id=round.enterprise_id,
            outcome="ok" if solution.status != INFEASIBLE else "refused",
            summary={
                "round": round.name,
                "status": solution.status,
                "objective": solution.objective,
                "baseline_objective": baseline_objective,
                "assignments": count,
                "explanations": list(solution.explanations)[:20],
                "seconds": seconds,
            },
        )
    return plan


# --- manual edits ---------------------------------------------------------------------------------


def _after_edit(plan: StaffPlan, *, actor: User, summary: dict[str, Any]) -> None:
    """Check the edited plan again; an edit returns a saved plan to draft so it is saved knowingly."""
    findings, problem, stored = _recheck(plan)
    plan.status = StaffPlanStatus.DRAFT
    plan.objective = solver.objective_of(problem, stored) if stored else None
    plan.save(update_fields=["findings", "status", "objective"])
    audit.record(
        actor=actor,
        action="staff_plan.edit",
        obj=plan,
        organisation_id=plan.round.enterprise_id,
        summary={**summary, "findings": len(findings)},
    )


def _locked_assignment(assignment: StaffAssignment) -> tuple[StaffPlan, StaffAssignment]:
    plan = StaffPlan.objects.select_for_update(of=("self",)).get(pk=assignment.plan_id)
    row = StaffAssignment.objects.select_related("person").get(pk=assignment.pk, plan=plan)
    return plan, row


def staff_assignment_move(*, actor: User, assignment: StaffAssignment, person: Person) -> StaffAssignment:
    """Give an assignment to another person; the checker's findings are stored, the plan becomes a draft."""
    with transaction.atomic():
        plan, row = _locked_assignment(assignment)
        before = row.person
        if before.pk == person.pk:
            return row
        row.person = person
        row.save(update_fields=["person"])
        _after_edit(
            plan,
            actor=actor,
            summary={
                "op": "move",
                "assignment": row.pk,
                "role": row.role,
                "from": {"id": before.pk, "name": before.name},
                "to": {"id": person.pk, "name": person.name},
            },
        )
    return row


def staff_assignment_add(
    *,
    actor: User,
    round: Round,
    person: Person,
    role: str,
    site: Site | None = None,
    session: ExamSession | None = None,
    room: Room | None = None,
    day: date | None = None,
    is_leader: bool = False,
) -> StaffAssignment:
    """Add one person in one role: a head to a site, a supervisor to a site and day, others to a room."""
    if role not in ROLE_GROUP:
        raise RuleViolation("R6.5", _("未知的职责。"), field="role")
    if role in (StaffRole.PROCTOR, StaffRole.TALLYER, StaffRole.ASSESSOR):
        if session is None or room is None or session.round_id != round.pk:
            raise RuleViolation("R6.3", _("监考人员、记分员和考评员须指定本批次的场次和考场。"), field="room")
        if room.site_id != session.site_id:
            raise RuleViolation("R6.3", _("考场不在该场次的考点。"), field="room")
        site_id, day = session.site_id, None
    elif site is None or site.enterprise_id != round.enterprise_id:
        raise RuleViolation("R6.3", _("须指定本企业的考点。"), field="site")
    else:
        site_id = site.pk
        session = room = None
        if role == StaffRole.SUPERVISOR and day is None:
            raise RuleViolation("R6.5", _("质量督导员须指定日期。"), field="day")
        if role == StaffRole.HEAD:
            day = None
    if is_leader and role != StaffRole.ASSESSOR:
        raise RuleViolation("R6.4", _("只有考评员可以担任考评组组长。"), field="is_leader")
    with transaction.atomic():
        plan = _plan_for_update(round)
        row = StaffAssignment.objects.create(
            plan=plan,
            person=person,
            role=role,
            site_id=site_id,
            session=session,
            room=room,
            day=day,
            is_leader=is_leader,
        )
        _after_edit(
            plan,
            actor=actor,
            summary={
                "op": "add",
                "assignment": row.pk,
                "role": role,
                "to": {"id": person.pk, "name": person.name},
            },
        )
    return row


def staff_assignment_remove(*, actor: User, assignment: StaffAssignment) -> StaffPlan:
    """Remove one assignment from the plan."""
    with transaction.atomic():
        plan, row = _locked_assignment(assignment)
        summary = {
            "op": "remove",
            "assignment": row.pk,
            "role": row.role,
            "from": {"id": row.person_id, "name": row.person.name},
        }
        row.delete()
        _after_edit(plan, actor=actor, summary=summary)
    return plan


# --- saving ---------------------------------------------------------------------------------------


def staff_plan_save(*, actor: User, round: Round) -> StaffPlan:
    """Save the plan after the checker passes it; a plan that breaks a hard rule is refused (R6.3–R6.5)."""
    refused: list[dict[str, Any]] = []
    with transaction.atomic():
        plan = _plan_for_update(round)
        if not plan.assignments.exists():
            raise RuleViolation("R6.3", _("尚无人员安排，请先生成编排方案。"))
        findings, _problem, _stored_rows = _recheck(plan)
        if findings:
            refused = list(plan.findings)
            if plan.status == StaffPlanStatus.SAVED:
                plan.status = StaffPlanStatus.DRAFT
            plan.save(update_fields=["findings", "status"])
            # Recorded in its own transaction step: the refusal is kept although the save is not made.
            audit.record(
                actor=actor,
                action="staff_plan.save_refused",
                obj=plan,
                organisation_id=round.enterprise_id,
                outcome="refused",
                summary={"round": round.name, "findings": refused[:50], "count": len(refused)},
            )
        else:
            plan.status = StaffPlanStatus.SAVED
            plan.saved_at = timezone.now()
            plan.saved_by = actor
            plan.save(update_fields=["findings", "status", "saved_at", "saved_by"])
            audit.record(
                actor=actor,
                action="staff_plan.save",
                obj=plan,
                organisation_id=round.enterprise_id,
                summary={
                    "round": round.name,
                    "assignments": plan.assignments.count(),
                    "objective": plan.objective,
                },
            )
    if refused:
        first = refused[0]
        raise RuleViolation(
            str(first.get("rule") or "R6.5"),
            _("人员编排违反硬性规则，不能保存：%(list)s。请调整后再保存。")
            % {"list": findings_sentence(refused)},
        )
    return plan
