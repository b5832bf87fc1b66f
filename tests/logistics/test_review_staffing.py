"""Review of the staff plan (issue 6): edge cases of the checker, manual edits, the task, rotation."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest

from skillcert.core.errors import RuleViolation
from skillcert.core.models import JobStatus
from skillcert.core.services import jobs as job_services
from skillcert.filings.models import PoolMember, PoolRole
from skillcert.logistics import solver
from skillcert.logistics import tasks as logistics_tasks
from skillcert.logistics.models import Seat, StaffAssignment, StaffPlan, StaffPlanStatus, StaffRole
from skillcert.logistics.selectors_staffing import build_problem
from skillcert.logistics.services import staffing as services
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, OfferingFactory, RoundFactory
from tests.logistics.factories import practical_session
from tests.logistics.test_solver import GOOD, P1, T1, T2, problem, staff, swap
from tests.logistics.test_staffing import generate, staffed_world

DAY = date(2026, 5, 12)


# --- the checker on small hand-built problems ------------------------------------------------------


def test_rooms_touching_end_to_start_are_not_an_overlap() -> None:
    later = solver.Unit(**{**T2.__dict__, "key": "3:2", "session_id": 3, "start": T1.end, "end": T1.end + 60})
    p = problem(units=(T1, later, P1))
    plan = [a for a in GOOD if a.unit_key != T2.key] + [
        solver.Assignment(2, solver.PROCTOR, 1, later.key),  # 2 also proctors T1, which ends as this starts
        solver.Assignment(3, solver.PROCTOR, 1, later.key),
    ]
    assert solver.verify_assignment(p, plan) == []
    overlapping = solver.Unit(**{**later.__dict__, "start": T1.end - 1})
    findings = solver.verify_assignment(problem(units=(T1, overlapping, P1)), plan)
    assert {f.code for f in findings} == {"overlap"}


def test_certificate_expiring_the_day_before_is_refused_valid_on_the_day_passes() -> None:
    old = next(a for a in GOOD if a.person_id == 13)
    for until, ok in ((DAY - timedelta(days=1), False), (DAY, True)):
        p = problem(
            staff=(
                *(s for s in problem().staff if s.person_id != 13),
                staff(13, "assessor", qualifications=(solver.Qualification(7, 3, until),)),
            )
        )
        findings = solver.verify_assignment(p, list(GOOD))
        assert (findings == []) is ok
        if not ok:
            assert [f.code for f in findings] == ["qualification"]
            assert "第3考场 焊工三级" in findings[0].message and "5月12日" in findings[0].message
    assert old.role == solver.ASSESSOR


def test_a_person_in_both_pools_serves_one_group() -> None:
    both = staff(30, "exam", "assessor", qualifications=(solver.Qualification(7, 3),))
    p = problem(staff=(*problem().staff, both))
    extra = swap(
        GOOD, next(a for a in GOOD if a.person_id == 6), solver.Assignment(30, solver.PROCTOR, 1, T2.key)
    )
    assert solver.verify_assignment(p, extra) == []
    twice = [*extra, solver.Assignment(30, solver.ASSESSOR, 1, P1.key)]
    twice = [a for a in twice if a.person_id != 13]
    findings = solver.verify_assignment(p, twice)
    assert [f.code for f in findings] == ["group"] and findings[0].rule == "R6.5"
    sol = solver.solve(p, time_limit=3, workers=1)
    assert solver.verify_assignment(p, sol.assignments) == []
    assert len({solver.ROLE_GROUP[a.role] for a in sol.assignments if a.person_id == 30}) <= 1


# --- manual edits through the services -------------------------------------------------------------


class TestManualEdits(AccessCase):
    def setUp(self) -> None:
        self.owner = self.w.users["owner"]
        self.s = staffed_world(self.w.ent_a)
        self.plan = generate(self.s, self.owner)
        services.staff_plan_save(actor=self.owner, round=self.s.round)

    def refused(self) -> RuleViolation:
        with pytest.raises(RuleViolation) as exc:
            services.staff_plan_save(actor=self.owner, round=self.s.round)
        self.plan.refresh_from_db()
        assert self.plan.status == StaffPlanStatus.DRAFT
        return exc.value

    def test_moving_a_proctor_into_a_second_room_at_the_same_time(self) -> None:
        rooms = self.s.world.theory_rooms
        first = self.plan.assignments.filter(role=StaffRole.PROCTOR, room=rooms[0]).first()
        second = self.plan.assignments.filter(role=StaffRole.PROCTOR, room=rooms[1]).first()
        services.staff_assignment_move(actor=self.owner, assignment=second, person=first.person)
        self.plan.refresh_from_db()
        overlap = [f for f in self.plan.findings if f["code"] == "overlap"]
        assert overlap and first.person.name in overlap[0]["message"]
        assert rooms[0].name in overlap[0]["message"] and rooms[1].name in overlap[0]["message"]
        exc = self.refused()
        assert first.person.name in exc.message and "时间重叠" in exc.message

    def test_removing_the_only_leader(self) -> None:
        leader = self.plan.assignments.get(role=StaffRole.ASSESSOR, is_leader=True)
        services.staff_assignment_remove(actor=self.owner, assignment=leader)
        self.plan.refresh_from_db()
        codes = {f["code"] for f in self.plan.findings}
        assert "leader" in codes
        exc = self.refused()
        assert "考评组长" in exc.message and self.s.world.practical_room.name in exc.message
        assert exc.rule == "R6.4"

    def test_moving_onto_a_candidate_of_the_round(self) -> None:
        app = self.s.world.applications[0]
        PoolMember.objects.create(enterprise=self.w.ent_a, person=app.person, role=PoolRole.EXAM_STAFF)
        row = self.plan.assignments.filter(role=StaffRole.PROCTOR).first()
        services.staff_assignment_move(actor=self.owner, assignment=row, person=app.person)
        self.plan.refresh_from_db()
        candidate = [f for f in self.plan.findings if f["code"] == "candidate"]
        assert candidate and app.person.name in candidate[0]["message"]
        exc = self.refused()
        assert "考生" in exc.message and app.person.name in exc.message


# --- the task --------------------------------------------------------------------------------------


class TestTaskFailure(AccessCase):
    def test_a_crash_in_the_solver_leaves_a_readable_message(self) -> None:
        s = staffed_world(self.w.ent_a)
        owner = self.w.users["owner"]
        job = job_services.job_create(
            actor=owner, kind=logistics_tasks.staffing_job_kind(s.round.pk), title="x"
        )

        def boom(problem: solver.Problem, **kw: Any) -> solver.Solution:
            kw["progress"](1, 4)
            raise RuntimeError("solver crashed")

        # The task re-raises after recording the failure (the worker logs it).
        with mock.patch.object(solver, "solve", boom), contextlib.suppress(RuntimeError):
            logistics_tasks.staff_plan_generate_task.enqueue(
                job_id=str(job.pk), round_id=s.round.pk, user_id=owner.pk
            )
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and job.finished
        assert "编排失败" in job.message
        assert not StaffAssignment.objects.filter(plan__round=s.round).exists()


# --- rotation history ------------------------------------------------------------------------------


class TestRotationHistory(AccessCase):
    def test_only_saved_plans_of_earlier_rounds_of_the_same_enterprise_count(self) -> None:
        s = staffed_world(self.w.ent_a)
        occupation = s.world.offering.occupation
        person = s.assessors[0].person

        def past(weeks: int, *, enterprise: Any = None, status: str = StaffPlanStatus.SAVED) -> None:
            starts = s.round.evaluation_starts - timedelta(weeks=weeks)
            rnd = RoundFactory(
                enterprise=enterprise or self.w.ent_a,
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
            StaffAssignment.objects.create(
                plan=plan,
                person=person,
                role=StaffRole.ASSESSOR,
                site=s.world.site,
                session=session,
                room=s.world.practical_room,
            )

        past(-4)  # a later round: not history
        past(2, enterprise=self.w.ent_b)  # another enterprise
        past(3, status=StaffPlanStatus.DRAFT)  # never saved
        problem_, _index = build_problem(round=s.round)
        assert dict(next(x for x in problem_.staff if x.person_id == person.pk).rotation) == {}
        past(5)
        problem_, _index = build_problem(round=s.round)
        assert dict(next(x for x in problem_.staff if x.person_id == person.pk).rotation) == {
            occupation.pk: 1
        }


class TestSavedStatusFollowsTheChecker(AccessCase):
    def test_an_infeasible_run_returns_a_saved_plan_that_now_breaks_the_rules_to_draft(self) -> None:
        owner = self.w.users["owner"]
        s = staffed_world(self.w.ent_a)
        generate(s, owner)
        services.staff_plan_save(actor=owner, round=s.round)
        PoolMember.objects.filter(role=PoolRole.ASSESSOR).update(is_active=False)
        plan = generate(s, owner)
        assert plan.stats["status"] == "infeasible" and plan.findings
        plan.refresh_from_db()
        # A saved plan never carries findings (as staff_plan_settings and staff_plan_save keep it).
        assert plan.status == StaffPlanStatus.DRAFT
        assert plan.assignments.exists()  # nothing lost


class TestRoomWithoutCandidatesIsNamed(AccessCase):
    def test_a_room_emptied_by_reseating_is_named_in_the_finding(self) -> None:
        owner = self.w.users["owner"]
        s = staffed_world(self.w.ent_a)
        plan = generate(s, owner)
        first, second = s.world.theory_rooms
        # Re-seating moves everybody of the second theory room to the first one.
        top = Seat.objects.filter(session=s.theory, room=first).count()
        for n, seat_row in enumerate(Seat.objects.filter(session=s.theory, room=second).order_by("pk"), 1):
            seat_row.room, seat_row.number = first, top + n
            seat_row.save(update_fields=["room", "number"])
        row = plan.assignments.filter(role=StaffRole.PROCTOR, room=second).first()
        assert row is not None
        with pytest.raises(RuleViolation) as exc:
            services.staff_plan_save(actor=owner, round=s.round)
        plan.refresh_from_db()
        stale = [f for f in plan.findings if f["code"] == "unknown" and f["person_id"] == row.person_id]
        assert stale, plan.findings
        key = f"{s.theory.pk}:{second.pk}"
        assert key not in stale[0]["message"]
        assert second.name in stale[0]["message"] and row.person.name in stale[0]["message"]
        assert second.name in exc.value.message
