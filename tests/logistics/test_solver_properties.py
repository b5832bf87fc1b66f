"""The optimiser against its checker: unit cases and hypothesis properties on small random rounds."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillcert.logistics.solver import (
    ASSESSOR,
    HEAD,
    Candidate,
    Problem,
    Qualification,
    Site,
    Staff,
    Unit,
    greedy,
    objective_of,
    solve,
    verify_assignment,
)
from tests.logistics.test_solver import STAFF, problem

DAY = date(2026, 5, 12)


class TestSolve:
    def test_small_round_passes_the_checker_and_beats_greedy(self):
        p = problem()
        calls: list[tuple[int, int]] = []
        sol = solve(p, time_limit=5, progress=lambda d, t: calls.append((d, t)), workers=1)
        assert sol.status == "feasible"
        assert verify_assignment(p, sol.assignments) == []
        assert sol.objective == objective_of(p, sol.assignments)
        assert sol.objective is not None and sol.objective <= (greedy(p).objective or 0)
        assert calls[-1][0] == calls[-1][1] and [d for d, _t in calls] == list(range(1, len(calls) + 1))
        assert sol.stats["findings"] == 0 and sol.stats["units"] == 3
        assert all(status in ("optimal", "feasible") for _label, status in sol.parts)

    def test_spreads_the_load(self):
        # Two rounds of rooms one after the other: greedy reuses the first people, the optimiser
        # takes fresh ones (the sum of squared loads is lower).
        p = problem(
            staff=(*STAFF, *(Staff(p, f"人员{p}", frozenset({"exam"}), home_site_id=1) for p in (8, 9)))
        )
        sol = solve(p, time_limit=5, workers=1)
        loads: dict[int, int] = {}
        for a in sol.assignments:
            if a.unit_key:
                loads[a.person_id] = loads.get(a.person_id, 0) + 1
        assert max(loads.values()) == 1

    def test_no_plan_says_why_and_keeps_the_partial_plan(self):
        few = tuple(s for s in STAFF if s.person_id not in (13, 14))
        p = problem(staff=few)
        sol = solve(p, time_limit=5, workers=1)
        assert sol.status == "infeasible"
        assert (
            "第3考场 焊工三级（5月12日 13:30–16:30）需要3名考评员，符合资质且无需回避的只有2名"
            in sol.explanations
        )
        assert any(a.role == HEAD for a in sol.assignments)  # the rest of the plan is there
        findings = verify_assignment(p, sol.assignments)
        assert [f.code for f in findings] == ["count"]

    def test_too_few_exam_staff_at_one_moment(self):
        exam_few = tuple(s for s in STAFF if s.person_id not in (5, 6, 7))
        sol = solve(problem(staff=exam_few), time_limit=5, workers=1)
        assert sol.status == "infeasible"
        assert any("同时开考的考场共需监考人员和记分员4名" in e for e in sol.explanations)

    def test_rotation_is_avoided_when_someone_else_can_assess(self):
        rotating = tuple(
            Staff(
                s.person_id,
                s.name,
                s.groups,
                home_site_id=1,
                qualifications=s.qualifications,
                rotation=((7, 3),),
            )
            if s.person_id == 11
            else s
            for s in STAFF
        )
        sol = solve(problem(staff=rotating), time_limit=5, workers=1)
        assessors = {a.person_id for a in sol.assignments if a.role == ASSESSOR}
        assert 11 not in assessors and len(assessors) == 3


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

OCCS = (1, 2)


@st.composite
def rounds(draw: st.DrawFn) -> Problem:
    n_sites = draw(st.integers(1, 2))
    n_units = draw(st.integers(1, 5))
    units = []
    app = 0
    for i in range(n_units):
        kind = draw(st.sampled_from(["proctored", "panel"]))
        n = draw(st.integers(1, 20))
        start = draw(st.sampled_from([480, 540, 600, 780]))
        occ = draw(st.sampled_from(OCCS)) if kind == "panel" else None
        units.append(
            Unit(
                key=f"{i + 1}:{i + 1}",
                session_id=i + 1,
                room_id=i + 1,
                site_id=draw(st.integers(1, n_sites)),
                day=DAY + timedelta(days=draw(st.integers(0, 1))),
                start=start,
                end=start + draw(st.sampled_from([60, 120])),
                kind=kind,
                label=f"第{i + 1}考场",
                candidates=tuple(range(app + 1, app + n + 1)),
                occupation_id=occ,
                level_height=draw(st.integers(1, 3)) if occ else None,
            )
        )
        app += n
    candidates = tuple(
        Candidate(a, 1000 + a, draw(st.one_of(st.none(), st.integers(1, 4)))) for a in range(1, app + 1)
    )
    staff = []
    for pid in range(1, draw(st.integers(4, 26)) + 1):
        groups = draw(st.sets(st.sampled_from(["exam", "assessor", "supervisor"]), min_size=1))
        quals = ()
        if "assessor" in groups:
            quals = tuple(
                Qualification(
                    o, draw(st.integers(1, 5)), draw(st.sampled_from([None, DAY, DAY - timedelta(1)]))
                )
                for o in draw(st.sets(st.sampled_from(OCCS), min_size=1))
            )
        staff.append(
            Staff(
                person_id=pid,
                name=f"员工{pid}",
                groups=frozenset(groups),
                department_id=draw(st.one_of(st.none(), st.integers(1, 4))),
                home_site_id=draw(st.one_of(st.none(), st.integers(1, n_sites))),
                qualifications=quals,
                rotation=((1, draw(st.integers(0, 4))),),
            )
        )
    if draw(st.booleans()) and app:
        staff.append(Staff(1001, "考生兼职", frozenset({"exam"})))  # a candidate in the pool
    people = [s.person_id for s in staff]
    relations = draw(
        st.sets(st.tuples(st.sampled_from(people), st.integers(1001, 1000 + max(app, 1))), max_size=6)
    )
    return Problem(
        staff=tuple(staff),
        units=tuple(units),
        sites=tuple(Site(i, f"考点{i}") for i in range(1, n_sites + 1)),
        candidates=candidates,
        relations=frozenset((min(a, b), max(a, b)) for a, b in relations if a != b),
        recuse_same_department=draw(st.booleans()),
    )


PROPS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(rounds())
def test_every_solver_plan_passes_the_checker(p: Problem):
    sol = solve(p, time_limit=2, workers=1)
    findings = verify_assignment(p, sol.assignments)
    if sol.status in ("optimal", "feasible"):
        assert findings == []
        assert not sol.explanations
    else:
        assert findings and sol.explanations
    assert sol.objective == objective_of(p, sol.assignments)


@PROPS
@given(rounds())
def test_greedy_status_is_what_the_checker_says(p: Problem):
    sol = greedy(p)
    findings = verify_assignment(p, sol.assignments)
    assert (sol.status == "feasible") == (findings == [])
    assert {f.message for f in findings} <= set(sol.explanations)
    assert sol.stats["findings"] == len(findings)


@PROPS
@given(rounds())
def test_solver_never_worse_than_greedy(p: Problem):
    base = greedy(p)
    sol = solve(p, time_limit=2, workers=1)
    if base.status == "feasible":
        assert sol.status == "feasible"
        assert (sol.objective or 0) <= (base.objective or 0)
