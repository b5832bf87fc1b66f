"""The staff plan services: the problem built from the database, generation, manual edits, saving (R6.3–R6.5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest

from skillcert.catalog.models import LEVEL_HEIGHT
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent, JobProgress, JobStatus, Organisation, User
from skillcert.core.services import jobs as job_services
from skillcert.filings.models import PoolMember, PoolRole, RelationKind, Relationship
from skillcert.logistics import solver
from skillcert.logistics import tasks as logistics_tasks
from skillcert.logistics.models import (
    ExamSession,
    Seat,
    StaffAssignment,
    StaffPlan,
    StaffPlanStatus,
    StaffRole,
)
from skillcert.logistics.selectors_staffing import build_problem, unit_key
from skillcert.logistics.services import staffing as services
from skillcert.rounds.models import Round
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, OccupationFactory, OfferingFactory, RoundFactory
from tests.factories import EmployeeFactory
from tests.logistics.factories import (
    ExamWorld,
    RoomFactory,
    exam_world,
    pool_member,
    practical_session,
    theory_session,
)

# --- a round ready for staffing --------------------------------------------------------------------


@dataclass
class Staffed:
    world: ExamWorld
    theory: ExamSession
    practical: ExamSession
    exam: list[PoolMember]
    assessors: list[PoolMember]
    supervisors: list[PoolMember]

    @property
    def round(self) -> Round:
        return self.world.round


def seat(session: ExamSession, apps: list[Any], room: Any) -> None:
    for number, app in enumerate(apps, 1):
        Seat.objects.create(session=session, application=app, room=room, number=number)


def assessor(enterprise: Organisation, world: ExamWorld, *, level: int = 3, **kw: Any) -> PoolMember:
    kw.setdefault("valid_until", world.round.evaluation_starts + timedelta(days=365))
    return pool_member(
        enterprise, PoolRole.ASSESSOR, occupation=world.offering.occupation, max_level=level, **kw
    )


def staffed_world(
    enterprise: Organisation, *, candidates: int = 10, exam: int = 7, assessors: int = 4, supervisors: int = 2
) -> Staffed:
    """Two theory rooms in the morning (5 + 5), the practical room in the afternoon (10), a staff pool."""
    w = exam_world(enterprise, candidates=candidates)
    theory = theory_session(w)
    half = candidates // 2
    seat(theory, w.applications[:half], w.theory_rooms[0])
    seat(theory, w.applications[half:], w.theory_rooms[1])
    practical = practical_session(w)
    seat(practical, w.applications, w.practical_room)
    return Staffed(
        world=w,
        theory=theory,
        practical=practical,
        exam=[pool_member(enterprise, PoolRole.EXAM_STAFF) for _ in range(exam)],
        assessors=[assessor(enterprise, w) for _ in range(assessors)],
        supervisors=[pool_member(enterprise, PoolRole.SUPERVISOR) for _ in range(supervisors)],
    )


def relate(a: int, b: int, enterprise: Organisation, kind: str = RelationKind.RELATIVE) -> Relationship:
    low, high = sorted((a, b))
    return Relationship.objects.create(enterprise=enterprise, person_a_id=low, person_b_id=high, kind=kind)


def generate(s: Staffed, actor: User) -> StaffPlan:
    return services.staff_plan_generate(actor=actor, round=s.round, time_limit=10)


def panel_assessor(plan: StaffPlan, s: Staffed) -> StaffAssignment:
    return (
        plan.assignments.filter(role=StaffRole.ASSESSOR, session=s.practical)
        .order_by("is_leader", "pk")
        .first()
    )


# --- build_problem ---------------------------------------------------------------------------------


class TestBuildProblem(AccessCase):
    def test_units_labels_and_ratios_come_from_seats_and_the_standard(self) -> None:
        s = staffed_world(self.w.ent_a)
        standard = s.world.offering.standard
        standard.proctor_ratio, standard.assessor_ratio, standard.assessor_min = 2, 2, 5
        standard.save(update_fields=["proctor_ratio", "assessor_ratio", "assessor_min"])
        problem, index = build_problem(round=s.round)
        units = {u.key: u for u in problem.units}
        room1 = units[unit_key(s.theory.pk, s.world.theory_rooms[0].pk)]
        panel = units[unit_key(s.practical.pk, s.world.practical_room.pk)]
        assert len(units) == 3
        occupation = s.world.offering.occupation.name
        assert room1.kind == "proctored" and room1.label == f"第1考场 {occupation}三级"
        assert room1.candidates == tuple(a.pk for a in s.world.applications[:5])
        assert (room1.start, room1.end, room1.day) == (9 * 60, 10 * 60 + 30, s.round.evaluation_starts)
        assert room1.proctor_ratio == 2 and solver.required_proctors(room1) == 3
        assert panel.kind == "panel" and panel.occupation_id == s.world.offering.occupation_id
        assert panel.level_height == LEVEL_HEIGHT[3] and panel.panel_min == 5
        assert solver.required_assessors(panel) == 5  # 10 candidates at 1:2, odd, at least 5
        assert (panel.start, panel.end) == (13 * 60 + 30, 16 * 60 + 30)
        assert [x.site_id for x in problem.sites] == [s.world.site.pk]
        assert index.unit_rows(panel.key) == (s.practical, s.world.practical_room)

    def test_review_panel_uses_review_minimum(self) -> None:
        s = staffed_world(self.w.ent_a)
        standard = s.world.offering.standard
        standard.review_panel_min = 7
        standard.save(update_fields=["review_panel_min"])
        review_room = RoomFactory(site=s.world.site, name="评审室", kind="review", capacity=10)
        review = practical_session(
            s.world, module="review", day=s.round.evaluation_starts + timedelta(days=1)
        )
        seat(review, s.world.applications[:3], review_room)
        problem, _index = build_problem(round=s.round)
        unit = next(u for u in problem.units if u.session_id == review.pk)
        assert unit.kind == "panel" and unit.panel_min == 7

    def test_candidates_departments_relations_and_settings(self) -> None:
        s = staffed_world(self.w.ent_a)
        dept = s.world.departments[0]
        related = assessor(self.w.ent_a, s.world, department=dept)
        relate(related.person_id, s.world.applications[0].person_id, self.w.ent_a)
        StaffPlan.objects.create(
            round=s.round, recuse_same_department=False, rotation_rounds=2, weight_balance=7
        )
        problem, _index = build_problem(round=s.round)
        cand = {c.application_id: c for c in problem.candidates}
        first = s.world.applications[0]
        assert cand[first.pk].person_id == first.person_id
        assert cand[first.pk].department_id == first.employee.department_id
        assert tuple(sorted((related.person_id, first.person_id))) in problem.relations
        staff = {x.person_id: x for x in problem.staff}
        assert staff[related.person_id].department_id == dept.pk
        assert problem.recuse_same_department is False and problem.rotation_rounds == 2
        assert problem.weights == solver.Weights(rotation=10, balance=7, distance=2)

    def test_one_staff_per_person_merging_pool_rows(self) -> None:
        s = staffed_world(self.w.ent_a)
        person = s.assessors[0].person
        other_occupation = OccupationFactory()
        PoolMember.objects.create(
            enterprise=self.w.ent_a, person=person, role=PoolRole.SUPERVISOR, home_site=s.world.site
        )
        PoolMember.objects.create(
            enterprise=self.w.ent_a,
            person=person,
            role=PoolRole.ASSESSOR,
            occupation=other_occupation,
            max_level=1,
        )
        PoolMember.objects.create(
            enterprise=self.w.ent_a,
            person=EmployeeFactory(enterprise=self.w.ent_a).person,
            role=PoolRole.ASSESSOR,
            occupation=other_occupation,
            max_level=1,
            is_active=False,
        )
        problem, _index = build_problem(round=s.round)
        mine = [x for x in problem.staff if x.person_id == person.pk]
        assert len(mine) == 1
        staff = mine[0]
        assert staff.groups == frozenset({"assessor", "supervisor"})
        assert staff.home_site_id == s.world.site.pk and staff.name == person.name
        assert {(q.occupation_id, q.max_height) for q in staff.qualifications} == {
            (s.world.offering.occupation_id, LEVEL_HEIGHT[3]),
            (other_occupation.pk, LEVEL_HEIGHT[1]),
        }
        assert len(problem.staff) == 7 + 4 + 2  # the inactive row is left out

    def test_rotation_counts_consecutive_saved_rounds_most_recent_first(self) -> None:
        s = staffed_world(self.w.ent_a)
        occupation = s.world.offering.occupation
        veteran, gap, fresh = (a.person for a in s.assessors[:3])

        def past(weeks: int, served: list[Any], status: str = StaffPlanStatus.SAVED) -> None:
            starts = s.round.evaluation_starts - timedelta(weeks=weeks)
            rnd = RoundFactory(
                enterprise=self.w.ent_a,
                registration_opens=starts - timedelta(days=30),
                registration_closes=starts - timedelta(days=20),
                evaluation_starts=starts,
                evaluation_ends=starts + timedelta(days=2),
            )
            offering = OfferingFactory(round=rnd, occupation=occupation, level=3)
            session = practical_session(s.world, round=rnd, offerings=[offering], day=starts)
            app = ApplicationFactory(offering=offering, status="approved")
            Seat.objects.create(session=session, application=app, room=s.world.practical_room, number=1)
            plan = StaffPlan.objects.create(round=rnd, status=status)
            for person in served:
                StaffAssignment.objects.create(
                    plan=plan,
                    person=person,
                    role=StaffRole.ASSESSOR,
                    site=s.world.site,
                    session=session,
                    room=s.world.practical_room,
                )

        past(4, [veteran, gap])  # most recent
        past(8, [veteran])
        past(12, [veteran, gap])
        past(16, [veteran, fresh], status=StaffPlanStatus.DRAFT)  # never saved: not counted
        problem, _index = build_problem(round=s.round)
        rotation = {x.person_id: dict(x.rotation) for x in problem.staff}
        assert rotation[veteran.pk] == {occupation.pk: 3}
        assert rotation[gap.pk] == {occupation.pk: 1}
        assert rotation[fresh.pk] == {}


# --- generation, editing, saving -------------------------------------------------------------------


class TestPlanServices(AccessCase):
    def setUp(self) -> None:
        self.owner = self.w.users["owner"]

    def test_settings_are_stored_and_audited(self) -> None:
        s = staffed_world(self.w.ent_a)
        plan = services.staff_plan_settings(
            actor=self.owner,
            round=s.round,
            recuse_same_department=False,
            rotation_rounds=4,
            weight_rotation=1,
            weight_balance=2,
            weight_distance=3,
        )
        plan.refresh_from_db()
        assert (plan.recuse_same_department, plan.rotation_rounds, plan.weight_distance) == (False, 4, 3)
        event = AuditEvent.objects.get(action="staff_plan.settings")
        assert (
            event.summary["after"]["rotation_rounds"] == 4 and event.summary["before"]["rotation_rounds"] == 3
        )
        with pytest.raises(RuleViolation) as exc:
            services.staff_plan_settings(
                actor=self.owner,
                round=s.round,
                recuse_same_department=True,
                rotation_rounds=0,
                weight_rotation=1,
                weight_balance=2,
                weight_distance=3,
            )
        assert exc.value.field == "rotation_rounds"

    def test_generate_stores_a_draft_that_passes_the_checker_and_saves(self) -> None:
        s = staffed_world(self.w.ent_a)
        plan = generate(s, self.owner)
        assert plan.status == StaffPlanStatus.DRAFT and plan.findings == []
        assert plan.objective is not None and plan.baseline_objective is not None
        assert plan.stats["units"] == 3 and plan.stats["assignments"] == plan.assignments.count()
        roles = list(plan.assignments.values_list("role", flat=True))
        assert roles.count(StaffRole.HEAD) == 1 and roles.count(StaffRole.PROCTOR) >= 4
        assert roles.count(StaffRole.ASSESSOR) >= 3 and roles.count(StaffRole.SUPERVISOR) >= 1
        assert plan.assignments.filter(role=StaffRole.ASSESSOR, is_leader=True).count() == 1
        problem, _index = build_problem(round=s.round)
        stored = [
            solver.Assignment(
                a.person_id,
                a.role,
                a.site_id,
                unit_key(a.session_id, a.room_id) if a.session_id else None,
                a.day,
                a.is_leader,
            )
            for a in plan.assignments.all()
        ]
        assert solver.verify_assignment(problem, stored) == []
        assert AuditEvent.objects.filter(action="staff_plan.generate").count() == 1
        saved = services.staff_plan_save(actor=self.owner, round=s.round)
        assert saved.status == StaffPlanStatus.SAVED and saved.saved_by == self.owner
        assert AuditEvent.objects.filter(action="staff_plan.save").count() == 1

    def test_move_into_recusal_is_stored_as_draft_and_save_is_refused_with_the_reason(self) -> None:
        s = staffed_world(self.w.ent_a)
        plan = generate(s, self.owner)
        services.staff_plan_save(actor=self.owner, round=s.round)
        spare = next(a for a in s.assessors if not plan.assignments.filter(person=a.person).exists())
        candidate = s.world.applications[3]
        relate(spare.person_id, candidate.person_id, self.w.ent_a, RelationKind.SUPERIOR)
        row = panel_assessor(plan, s)
        services.staff_assignment_move(actor=self.owner, assignment=row, person=spare.person)
        plan.refresh_from_db()
        assert plan.status == StaffPlanStatus.DRAFT  # editing a saved plan returns it to draft
        assert StaffAssignment.objects.get(pk=row.pk).person_id == spare.person_id
        recusal = [f for f in plan.findings if f["code"] == "recusal"]
        assert recusal and recusal[0]["person_id"] == spare.person_id and recusal[0]["rule"] == "R6.4"
        assert spare.person.name in recusal[0]["message"]
        edit = AuditEvent.objects.get(action="staff_plan.edit")
        assert edit.summary["to"]["id"] == spare.person_id and edit.summary["findings"] == len(plan.findings)
        with pytest.raises(RuleViolation) as exc:
            services.staff_plan_save(actor=self.owner, round=s.round)
        assert exc.value.rule == plan.findings[0]["rule"]
        assert "不能保存" in exc.value.message and spare.person.name in exc.value.message
        refused = AuditEvent.objects.get(action="staff_plan.save_refused")
        assert refused.outcome == "refused"
        assert any(f["code"] == "recusal" for f in refused.summary["findings"])
        plan.refresh_from_db()
        assert plan.status == StaffPlanStatus.DRAFT

    def test_same_department_recusal_follows_the_setting(self) -> None:
        s = staffed_world(self.w.ent_a)
        plan = generate(s, self.owner)
        colleague = assessor(self.w.ent_a, s.world, department=s.world.departments[0])
        row = panel_assessor(plan, s)
        services.staff_assignment_move(actor=self.owner, assignment=row, person=colleague.person)
        plan.refresh_from_db()
        assert [f["code"] for f in plan.findings] == ["recusal"]
        services.staff_plan_settings(
            actor=self.owner,
            round=s.round,
            recuse_same_department=False,
            rotation_rounds=3,
            weight_rotation=10,
            weight_balance=3,
            weight_distance=2,
        )
        plan.refresh_from_db()
        assert plan.findings == []
        assert services.staff_plan_save(actor=self.owner, round=s.round).status == StaffPlanStatus.SAVED

    def test_unqualified_assessor_is_refused(self) -> None:
        s = staffed_world(self.w.ent_a)
        plan = generate(s, self.owner)
        too_low = assessor(self.w.ent_a, s.world, level=4)  # 四级 may not judge 三级
        expired = assessor(self.w.ent_a, s.world, valid_until=s.round.evaluation_starts - timedelta(days=1))
        for person in (too_low.person, expired.person):
            row = panel_assessor(plan, s)
            services.staff_assignment_move(actor=self.owner, assignment=row, person=person)
            plan.refresh_from_db()
            codes = {(f["code"], f["person_id"]) for f in plan.findings}
            assert ("qualification", person.pk) in codes
            with pytest.raises(RuleViolation) as exc:
                services.staff_plan_save(actor=self.owner, round=s.round)
            assert exc.value.rule == "R6.4"
            services.staff_assignment_move(actor=self.owner, assignment=row, person=s.assessors[-1].person)
        assert AuditEvent.objects.filter(action="staff_plan.save_refused").count() == 2

    def test_add_and_remove_are_checked_and_audited(self) -> None:
        s = staffed_world(self.w.ent_a)
        plan = generate(s, self.owner)
        spare = next(x for x in s.exam if not plan.assignments.filter(person=x.person).exists())
        added = services.staff_assignment_add(
            actor=self.owner,
            round=s.round,
            person=spare.person,
            role=StaffRole.PROCTOR,
            session=s.practical,
            room=s.world.practical_room,
        )
        plan.refresh_from_db()
        assert any(f["code"] == "shape" and f["person_id"] == spare.person_id for f in plan.findings)
        services.staff_assignment_remove(actor=self.owner, assignment=added)
        plan.refresh_from_db()
        assert plan.findings == [] and not StaffAssignment.objects.filter(pk=added.pk).exists()
        ops = [e.summary["op"] for e in AuditEvent.objects.filter(action="staff_plan.edit").order_by("seq")]
        assert ops == ["add", "remove"]
        with pytest.raises(RuleViolation):
            services.staff_assignment_add(
                actor=self.owner,
                round=s.round,
                person=spare.person,
                role=StaffRole.SUPERVISOR,
                site=s.world.site,
            )

    def test_removing_a_needed_proctor_blocks_saving(self) -> None:
        s = staffed_world(self.w.ent_a)
        plan = generate(s, self.owner)
        row = plan.assignments.filter(role=StaffRole.PROCTOR).first()
        assert row is not None
        services.staff_assignment_remove(actor=self.owner, assignment=row)
        plan.refresh_from_db()
        assert any(f["code"] == "count" and f["rule"] == "R6.3" for f in plan.findings)
        with pytest.raises(RuleViolation):
            services.staff_plan_save(actor=self.owner, round=s.round)

    def test_a_pool_too_small_is_explained_and_loses_nothing(self) -> None:
        s = staffed_world(self.w.ent_a, assessors=2)
        plan = generate(s, self.owner)
        assert plan.stats["status"] == "infeasible" and plan.status == StaffPlanStatus.EMPTY
        text = " ".join(plan.stats["explanations"])
        assert "实训车间A区" in text and "考评员" in text
        assert plan.assignments.count() == 0
        event = AuditEvent.objects.get(action="staff_plan.generate")
        assert event.outcome == "refused" and event.summary["explanations"]

    def test_infeasible_run_keeps_the_saved_plan(self) -> None:
        s = staffed_world(self.w.ent_a)
        generate(s, self.owner)
        services.staff_plan_save(actor=self.owner, round=s.round)
        before = set(StaffAssignment.objects.values_list("pk", flat=True))
        PoolMember.objects.filter(role=PoolRole.ASSESSOR).update(is_active=False)
        plan = generate(s, self.owner)
        assert plan.stats["status"] == "infeasible"
        assert set(StaffAssignment.objects.values_list("pk", flat=True)) == before
        assert plan.findings  # the kept plan now breaks the rules (assessors left the pool)

    def test_no_seated_session_is_refused(self) -> None:
        w = exam_world(self.w.ent_a)
        with pytest.raises(RuleViolation) as exc:
            services.staff_plan_generate(actor=self.owner, round=w.round)
        assert exc.value.rule == "R6.3"

    def test_save_without_assignments_is_refused(self) -> None:
        s = staffed_world(self.w.ent_a)
        with pytest.raises(RuleViolation):
            services.staff_plan_save(actor=self.owner, round=s.round)


# --- the task --------------------------------------------------------------------------------------


class TestGenerateTask(AccessCase):
    def test_task_reports_progress_and_finishes(self) -> None:
        s = staffed_world(self.w.ent_a)
        owner = self.w.users["owner"]
        job = job_services.job_create(
            actor=owner, kind=logistics_tasks.staffing_job_kind(s.round.pk), title="x"
        )
        seen: list[int] = []
        real_solve = solver.solve

        def solve(problem: solver.Problem, **kw: Any) -> solver.Solution:
            progress = kw["progress"]
            progress(1, 4)
            seen.append(JobProgress.objects.get(pk=job.pk).done)
            progress(3, 4)
            seen.append(JobProgress.objects.get(pk=job.pk).done)
            progress(2, 4)  # never backwards
            seen.append(JobProgress.objects.get(pk=job.pk).done)
            return real_solve(problem, time_limit=10)

        with mock.patch.object(solver, "solve", solve):
            logistics_tasks.staff_plan_generate_task.enqueue(
                job_id=str(job.pk), round_id=s.round.pk, user_id=owner.pk
            )
        job.refresh_from_db()
        assert seen == [25, 75, 75]
        assert job.status == JobStatus.DONE and job.percent == 100
        assert job.result["assignments"] == StaffAssignment.objects.filter(plan__round=s.round).count() > 0
        assert "编排完成" in job.message

    def test_task_refuses_a_user_who_may_not_manage(self) -> None:
        s = staffed_world(self.w.ent_a)
        city = self.w.users["city"]
        job = job_services.job_create(
            actor=city, kind=logistics_tasks.staffing_job_kind(s.round.pk), title="x"
        )
        logistics_tasks.staff_plan_generate_task.enqueue(
            job_id=str(job.pk), round_id=s.round.pk, user_id=city.pk
        )
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and not StaffPlan.objects.filter(round=s.round).exists()

    def test_task_reports_infeasible_as_refused(self) -> None:
        s = staffed_world(self.w.ent_a, assessors=1)
        owner = self.w.users["owner"]
        job = job_services.job_create(
            actor=owner, kind=logistics_tasks.staffing_job_kind(s.round.pk), title="x"
        )
        logistics_tasks.staff_plan_generate_task.enqueue(
            job_id=str(job.pk), round_id=s.round.pk, user_id=owner.pk
        )
        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.result["refused"] is True
        assert "考评员" in job.message
