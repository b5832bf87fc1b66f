"""The staffing checker, the soft-rule penalty and the greedy baseline (pure, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from skillcert.logistics.solver import (
    ASSESSOR,
    HEAD,
    PROCTOR,
    SUPERVISOR,
    TALLYER,
    Assignment,
    Candidate,
    Finding,
    Problem,
    Qualification,
    Site,
    Staff,
    Unit,
    Weights,
    _Index,
    diagnose,
    greedy,
    objective_of,
    required_assessors,
    required_proctors,
    time_slots,
    verify_assignment,
)

DAY = date(2026, 5, 12)
WELDER = 7
LATHE = 8


def unit(
    key: str, kind: str, start: int, end: int, apps: range, *, site: int = 1, day: date = DAY, **kw
) -> Unit:
    return Unit(
        key=key,
        session_id=int(key.split(":")[0]),
        room_id=int(key.split(":")[1]),
        site_id=site,
        day=day,
        start=start,
        end=end,
        kind=kind,  # type: ignore[arg-type]
        label=f"第{key.split(':')[1]}考场" + (" 焊工三级" if kind == "panel" else " 理论"),
        candidates=tuple(apps),
        occupation_id=WELDER if kind == "panel" else None,
        level_height=3 if kind == "panel" else None,
        **kw,
    )


T1 = unit("1:1", "proctored", 510, 630, range(1, 21))  # 8:30–10:30, 20 candidates → 2 proctors
T2 = unit("1:2", "proctored", 540, 660, range(21, 31))  # 9:00–11:00, overlaps T1
P1 = unit("2:3", "panel", 810, 990, range(31, 41))  # 13:30–16:30, 10 candidates → 3 assessors

WELDER3 = (Qualification(WELDER, 3),)


def staff(pid: int, *groups: str, **kw) -> Staff:
    return Staff(person_id=pid, name=f"人员{pid}", groups=frozenset(groups), **kw)


STAFF = (
    *(staff(p, "exam", home_site_id=1) for p in range(1, 8)),
    *(staff(p, "assessor", qualifications=WELDER3, home_site_id=1) for p in range(11, 15)),
    staff(21, "supervisor", home_site_id=1),
)
CANDIDATES = tuple(Candidate(app, 1000 + app) for app in range(1, 41))


def problem(**kw) -> Problem:
    base = {
        "staff": STAFF,
        "units": (T1, T2, P1),
        "sites": (Site(1, "第一考点"), Site(2, "第二考点")),
        "candidates": CANDIDATES,
    }
    return Problem(**{**base, **kw})


GOOD = (
    Assignment(1, HEAD, 1),
    Assignment(2, PROCTOR, 1, T1.key),
    Assignment(3, PROCTOR, 1, T1.key),
    Assignment(5, PROCTOR, 1, T2.key),
    Assignment(6, PROCTOR, 1, T2.key),
    Assignment(4, TALLYER, 1, P1.key),
    Assignment(11, ASSESSOR, 1, P1.key, is_leader=True),
    Assignment(12, ASSESSOR, 1, P1.key),
    Assignment(13, ASSESSOR, 1, P1.key),
    Assignment(21, SUPERVISOR, 1, day=DAY),
)


def swap(plan: tuple[Assignment, ...], old: Assignment, *new: Assignment) -> list[Assignment]:
    assert old in plan
    return [a for a in plan if a != old] + list(new)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_required_counts():
    assert required_proctors(T1) == 2
    assert required_proctors(replace(T1, candidates=tuple(range(46)))) == 4
    assert required_assessors(P1) == 3
    assert required_assessors(replace(P1, candidates=tuple(range(16)))) == 5  # 4 → next odd


def test_good_plan_has_no_findings():
    assert verify_assignment(problem(), GOOD) == []


# (a) R6.5: one group per person in the round ---------------------------------------------------


class TestOneGroup:
    flex = staff(8, "exam", "assessor", qualifications=WELDER3)

    def test_exam_and_assessor_roles_refused(self):
        p = problem(staff=(*STAFF, self.flex))
        plan = swap(GOOD, GOOD[8], Assignment(8, ASSESSOR, 1, P1.key))
        plan = swap(tuple(plan), GOOD[2], Assignment(8, PROCTOR, 1, T1.key))
        findings = verify_assignment(p, plan)
        assert codes(findings) == ["group"]
        assert findings[0].rule == "R6.5" and findings[0].person_id == 8
        assert "考务人员和考评人员" in findings[0].message and "人员8" in findings[0].message

    def test_one_group_of_a_flexible_person_passes(self):
        p = problem(staff=(*STAFF, self.flex))
        plan = swap(GOOD, GOOD[8], Assignment(8, ASSESSOR, 1, P1.key))
        assert verify_assignment(p, plan) == []


# (b) nobody in two places ------------------------------------------------------------------


class TestOverlap:
    def test_same_person_in_overlapping_rooms(self):
        plan = [*GOOD, Assignment(2, PROCTOR, 1, T2.key)]
        findings = verify_assignment(problem(), plan)
        assert codes(findings) == ["overlap"]
        assert "第1考场" in findings[0].message and "第2考场" in findings[0].message
        assert findings[0].person_id == 2

    def test_same_person_in_rooms_one_after_the_other(self):
        plan = [*GOOD, Assignment(2, TALLYER, 1, P1.key)]
        assert verify_assignment(problem(), plan) == []

    def test_same_room_twice(self):
        plan = [*GOOD, Assignment(2, PROCTOR, 1, T1.key)]
        assert codes(verify_assignment(problem(), plan)) == ["overlap"]

    def test_head_has_no_other_duty(self):
        plan = [*GOOD, Assignment(1, TALLYER, 1, P1.key)]
        findings = verify_assignment(problem(), plan)
        assert codes(findings) == ["overlap"]
        assert "考点负责人" in findings[0].message

    def test_head_of_two_sites(self):
        other = replace(T1, key="3:9", site_id=2)
        p = problem(
            units=(T1, T2, P1, other),
            staff=(*STAFF, staff(8, "exam"), staff(9, "exam"), staff(22, "supervisor")),
        )
        second_site = [
            Assignment(7, PROCTOR, 2, other.key),
            Assignment(8, PROCTOR, 2, other.key),
            Assignment(22, SUPERVISOR, 2, day=DAY),
        ]
        findings = verify_assignment(p, [*GOOD, *second_site, Assignment(1, HEAD, 2)])
        assert codes(findings) == ["overlap"] and "重复安排为考点负责人" in findings[0].message
        assert verify_assignment(p, [*GOOD, *second_site, Assignment(9, HEAD, 2)]) == []

    def test_supervisor_one_site_per_day(self):
        plan = [*GOOD, Assignment(21, SUPERVISOR, 2, day=DAY)]
        findings = verify_assignment(problem(), plan)
        assert codes(findings) == ["overlap"]
        assert "每天只能督导一个考点" in findings[0].message

    def test_supervisor_on_two_days_passes(self):
        plan = [*GOOD, Assignment(21, SUPERVISOR, 2, day=DAY + timedelta(days=1))]
        assert verify_assignment(problem(), plan) == []

    def test_supervisor_not_in_a_room(self):
        p = problem(staff=(*STAFF, staff(22, "supervisor", "exam")))
        plan = [*GOOD, Assignment(22, SUPERVISOR, 1, day=DAY), Assignment(22, TALLYER, 1, P1.key)]
        assert sorted(codes(verify_assignment(p, plan))) == ["group", "overlap"]


# (c) qualification --------------------------------------------------------------------------


class TestQualification:
    def plan_with(self, q: tuple[Qualification, ...]) -> list[Finding]:
        p = problem(staff=(*STAFF, staff(15, "assessor", qualifications=q)))
        return verify_assignment(p, swap(GOOD, GOOD[8], Assignment(15, ASSESSOR, 1, P1.key)))

    def test_lower_level_refused(self):
        findings = self.plan_with((Qualification(WELDER, 2),))
        assert codes(findings) == ["qualification"] and "等级" in findings[0].message

    def test_other_occupation_refused(self):
        assert codes(self.plan_with((Qualification(LATHE, 5),))) == ["qualification"]

    def test_expired_certificate_refused(self):
        findings = self.plan_with((Qualification(WELDER, 3, DAY - timedelta(days=1)),))
        assert codes(findings) == ["qualification"] and "有效期" in findings[0].message

    def test_higher_level_and_valid_on_the_day_passes(self):
        assert self.plan_with((Qualification(LATHE, 5), Qualification(WELDER, 4, DAY))) == []


# (d) a candidate is never staff ---------------------------------------------------------------


class TestCandidateNotStaff:
    def test_candidate_refused(self):
        p = problem(staff=(*STAFF, staff(1040, "exam")))
        findings = verify_assignment(p, swap(GOOD, GOOD[1], Assignment(1040, PROCTOR, 1, T1.key)))
        assert "candidate" in codes(findings)
        assert all(f.person_id == 1040 for f in findings)

    def test_person_not_a_candidate_passes(self):
        p = problem(staff=(*STAFF, staff(1041, "exam")))
        assert verify_assignment(p, swap(GOOD, GOOD[1], Assignment(1041, PROCTOR, 1, T1.key))) == []


# (e) recusal --------------------------------------------------------------------------------


class TestRecusal:
    def test_related_proctor_refused(self):
        findings = verify_assignment(problem(relations=frozenset({(2, 1001)})), GOOD)
        assert codes(findings) == ["recusal"]
        assert findings[0].person_id == 2 and findings[0].unit_key == T1.key and findings[0].rule == "R6.3"
        assert "亲属、同班组或上下级" in findings[0].message

    def test_relation_in_either_order(self):
        p = problem(
            staff=(*STAFF, staff(2000, "assessor", qualifications=WELDER3)),
            relations=frozenset({(1031, 2000)}),
        )
        findings = verify_assignment(p, swap(GOOD, GOOD[8], Assignment(2000, ASSESSOR, 1, P1.key)))
        assert codes(findings) == ["recusal"] and findings[0].rule == "R6.4"

    def test_related_to_a_candidate_of_another_room_passes(self):
        assert verify_assignment(problem(relations=frozenset({(2, 1031)})), GOOD) == []

    def test_tallyer_same_department_refused(self):
        cands = tuple(replace(c, department_id=50) if c.application_id == 35 else c for c in CANDIDATES)
        people = tuple(replace(s, department_id=50) if s.person_id == 4 else s for s in STAFF)
        findings = verify_assignment(problem(staff=people, candidates=cands), GOOD)
        assert codes(findings) == ["recusal"] and "同一部门" in findings[0].message
        off = problem(staff=people, candidates=cands, recuse_same_department=False)
        assert verify_assignment(off, GOOD) == []

    def test_departments_differ_or_unknown_passes(self):
        cands = tuple(replace(c, department_id=50) for c in CANDIDATES)
        people = tuple(replace(s, department_id=51 if s.person_id == 4 else None) for s in STAFF)
        assert verify_assignment(problem(staff=people, candidates=cands), GOOD) == []


# (f) counts ---------------------------------------------------------------------------------


class TestCounts:
    def test_too_few_proctors(self):
        findings = verify_assignment(problem(), swap(GOOD, GOOD[2]))
        assert codes(findings) == ["count"] and findings[0].unit_key == T1.key
        assert "需要至少2名监考人员" in findings[0].message

    def test_proctor_ratio(self):
        big = replace(T1, candidates=tuple(range(1, 32)))  # 31 candidates → 3 proctors
        p = problem(units=(big, T2, P1), candidates=tuple(Candidate(a, 1000 + a) for a in range(1, 41)))
        assert codes(verify_assignment(p, GOOD)) == ["count"]
        assert verify_assignment(p, [*GOOD, Assignment(7, PROCTOR, 1, T1.key)]) == []

    def test_even_panel_refused_odd_panel_passes(self):
        p = problem(staff=(*STAFF, staff(15, "assessor", qualifications=WELDER3)))
        four = [*GOOD, Assignment(14, ASSESSOR, 1, P1.key)]
        assert codes(verify_assignment(p, four)) == ["count"]
        assert verify_assignment(p, [*four, Assignment(15, ASSESSOR, 1, P1.key)]) == []

    def test_panel_too_small(self):
        assert codes(verify_assignment(problem(), swap(GOOD, GOOD[8]))) == ["count"]

    def test_exactly_one_leader(self):
        none = swap(GOOD, GOOD[6], Assignment(11, ASSESSOR, 1, P1.key))
        assert codes(verify_assignment(problem(), none)) == ["leader"]
        two = swap(GOOD, GOOD[7], Assignment(12, ASSESSOR, 1, P1.key, is_leader=True))
        assert codes(verify_assignment(problem(), two)) == ["leader"]

    def test_tallyer_needed(self):
        findings = verify_assignment(problem(), swap(GOOD, GOOD[5]))
        assert codes(findings) == ["count"] and "记分员" in findings[0].message

    def test_one_head_per_site(self):
        assert codes(verify_assignment(problem(), swap(GOOD, GOOD[0]))) == ["head"]
        assert codes(verify_assignment(problem(), [*GOOD, Assignment(7, HEAD, 1)])) == ["head"]

    def test_head_of_a_site_without_rooms_is_not_required(self):
        assert verify_assignment(problem(), GOOD) == []  # site 2 has no rooms and no head

    def test_supervisor_per_site_and_day(self):
        findings = verify_assignment(problem(), swap(GOOD, GOOD[9]))
        assert codes(findings) == ["supervisor"] and "第一考点5月12日" in findings[0].message
        wrong_day = swap(GOOD, GOOD[9], Assignment(21, SUPERVISOR, 1, day=DAY + timedelta(days=1)))
        assert codes(verify_assignment(problem(), wrong_day)) == ["supervisor"]


# (g) group not allowed by the pool, unknown people, rooms and sites ---------------------------


class TestPoolAndUnknown:
    def test_role_outside_the_pool_groups(self):
        findings = verify_assignment(problem(), swap(GOOD, GOOD[9], Assignment(7, SUPERVISOR, 1, day=DAY)))
        assert codes(findings) == ["group"] and "没有质量督导员资格" in findings[0].message

    def test_role_inside_the_pool_groups_passes(self):
        p = problem(staff=(*STAFF, staff(22, "supervisor", "exam")))
        assert verify_assignment(p, swap(GOOD, GOOD[9], Assignment(22, SUPERVISOR, 1, day=DAY))) == []

    def test_unknown_person(self):
        findings = verify_assignment(problem(), [*GOOD, Assignment(999, PROCTOR, 1, T1.key)])
        assert codes(findings) == ["unknown"] and "999" in findings[0].message

    def test_unknown_room(self):
        assert codes(verify_assignment(problem(), [*GOOD, Assignment(7, PROCTOR, 1, "9:9")])) == ["unknown"]

    def test_unknown_site(self):
        assert codes(verify_assignment(problem(), [*GOOD, Assignment(7, HEAD, 9)])) == ["unknown"]


# (h) shape ----------------------------------------------------------------------------------


class TestShape:
    @pytest.mark.parametrize(
        "extra",
        [
            Assignment(7, PROCTOR, 1, P1.key),  # proctor on a panel
            Assignment(14, ASSESSOR, 1, T1.key),  # assessor on a theory room
            Assignment(7, TALLYER, 1, T1.key),  # tallyer on a theory room
            Assignment(7, PROCTOR, 1),  # no room
            Assignment(7, PROCTOR, 2, T1.key),  # site differs from the room's
            Assignment(7, PROCTOR, 1, T2.key, is_leader=True),  # leader flag on a proctor
            Assignment(7, HEAD, 1, T1.key),  # a head has no room
            Assignment(21, SUPERVISOR, 1),  # a supervisor needs a day
            Assignment(7, "janitor", 1),
        ],
    )
    def test_malformed_assignment(self, extra):
        findings = verify_assignment(problem(), [*GOOD, extra])
        assert codes(findings) == ["shape"]
        assert findings[0].message.endswith(("。", "岗位。"))

    def test_well_formed_extra_proctor_passes(self):
        assert verify_assignment(problem(), [*GOOD, Assignment(7, PROCTOR, 1, T2.key)]) == []


# the soft rules --------------------------------------------------------------------------------


class TestObjective:
    def test_balance_is_sum_of_squares(self):
        w = Weights(rotation=0, balance=3, distance=0)
        assert objective_of(problem(weights=w), GOOD) == 3 * 8  # eight people with one room each
        spread = [*GOOD, Assignment(2, TALLYER, 1, P1.key)]
        assert objective_of(problem(weights=w), spread) == 3 * (8 - 1 + 4)

    def test_distance_counts_every_role_away_from_home(self):
        w = Weights(rotation=0, balance=0, distance=2)
        people = tuple(replace(s, home_site_id=2) if s.person_id in (1, 21, 2) else s for s in STAFF)
        assert objective_of(problem(weights=w), GOOD) == 0
        assert objective_of(problem(weights=w, staff=people), GOOD) == 6
        homeless = tuple(replace(s, home_site_id=None) for s in STAFF)
        assert objective_of(problem(weights=w, staff=homeless), GOOD) == 0

    def test_rotation_from_the_nth_round(self):
        w = Weights(rotation=10, balance=0, distance=0)
        people = tuple(
            replace(s, rotation=((WELDER, 3),))
            if s.person_id == 11
            else replace(s, rotation=((WELDER, 2), (LATHE, 5)))
            if s.person_id == 12
            else s
            for s in STAFF
        )
        assert objective_of(problem(weights=w, staff=people), GOOD) == 10
        assert objective_of(problem(weights=w, staff=people, rotation_rounds=2), GOOD) == 20


# the greedy baseline ------------------------------------------------------------------------


class TestGreedy:
    def test_greedy_fills_the_small_round(self):
        p = problem()
        sol = greedy(p)
        assert sol.status == "feasible"
        assert verify_assignment(p, sol.assignments) == []
        assert sol.objective == objective_of(p, sol.assignments)
        assert greedy(p) == greedy(p) or greedy(p).assignments == sol.assignments

    def test_greedy_respects_recusal(self):
        p = problem(relations=frozenset({(1, 1001), (2, 1001)}))
        sol = greedy(p)
        assert sol.status == "feasible"
        t1 = {a.person_id for a in sol.assignments if a.unit_key == T1.key}
        assert not t1 & {1, 2}

    def test_greedy_says_what_is_missing(self):
        few = tuple(s for s in STAFF if s.person_id not in (13, 14))
        sol = greedy(problem(staff=few))
        assert sol.status == "infeasible"
        assert any("需要3名考评员，符合资质且无需回避的只有2名" in e for e in sol.explanations)
        assert (
            "第3考场 焊工三级（5月12日 13:30–16:30）需要3名考评员，符合资质且无需回避的只有2名"
            in sol.explanations
        )

    def test_diagnose_counts_the_moment(self):
        exam_few = tuple(
            s for s in STAFF if s.person_id not in (5, 6, 7)
        )  # 4 exam staff, 1 head + 4 proctors
        text = diagnose(_Index(problem(staff=exam_few)))
        assert any("同时开考的考场共需监考人员和记分员4名" in t and "只有4名" in t for t in text)


def test_time_slots_merge_overlaps_only():
    slots = time_slots([P1, T2, T1, replace(T1, key="5:5", day=DAY + timedelta(days=1))])
    assert [[u.key for u in s] for s in slots] == [["1:1", "1:2"], ["2:3"], ["5:5"]]
