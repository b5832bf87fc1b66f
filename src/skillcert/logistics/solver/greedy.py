"""The greedy first-fit plan: the baseline the optimiser is compared with."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import date

from skillcert.logistics.solver import (
    ASSESSOR,
    HEAD,
    PROCTOR,
    SUPERVISOR,
    TALLYER,
    Assignment,
    Problem,
    Solution,
    Staff,
    Unit,
    required_assessors,
    required_proctors,
)
from skillcert.logistics.solver.checker import objective_of, verify_assignment
from skillcert.logistics.solver.groups import GROUP_ORDER, allocate_groups, diagnose
from skillcert.logistics.solver.index import _Index, _overlaps

# ---------------------------------------------------------------------------------------------
# The greedy baseline
# ---------------------------------------------------------------------------------------------


class _Ledger:
    """Assignments being built, with each person's busy times, load and exclusive duties."""

    def __init__(self, ix: _Index) -> None:
        self.ix = ix
        self.assignments: list[Assignment] = []
        self.busy: dict[int, list[Unit]] = {}
        self.load: dict[int, int] = {}
        self.heads: set[int] = set()
        self.supervising: set[tuple[int, date]] = set()

    def free(self, person_id: int, unit: Unit) -> bool:
        if person_id in self.heads or (person_id, unit.day) in self.supervising:
            return False
        return not any(_overlaps(unit, other) for other in self.busy.get(person_id, ()))

    def place(self, person_id: int, role: str, unit: Unit, *, leader: bool = False) -> None:
        self.assignments.append(Assignment(person_id, role, unit.site_id, unit.key, is_leader=leader))
        self.busy.setdefault(person_id, []).append(unit)
        self.load[person_id] = self.load.get(person_id, 0) + 1

    def head(self, person_id: int, site_id: int) -> None:
        self.assignments.append(Assignment(person_id, HEAD, site_id))
        self.heads.add(person_id)

    def supervise(self, person_id: int, site_id: int, day: date) -> None:
        self.assignments.append(Assignment(person_id, SUPERVISOR, site_id, day=day))
        self.supervising.add((person_id, day))


def _near_first(people: list[Staff], site_id: int) -> list[Staff]:
    return sorted(
        people, key=lambda s: (s.home_site_id is not None and s.home_site_id != site_id, s.person_id)
    )


def _pick_heads(ix: _Index, ledger: _Ledger, exam_pool: list[Staff]) -> None:
    for site_id in ix.active_sites:
        for s in _near_first(exam_pool, site_id):
            if s.person_id not in ledger.heads:
                ledger.head(s.person_id, site_id)
                break


def _pick_supervisors(ix: _Index, ledger: _Ledger, pool: list[Staff]) -> None:
    for site_id, day in sorted(ix.site_days, key=lambda sd: (sd[1], sd[0])):
        for s in _near_first(pool, site_id):
            if (s.person_id, day) not in ledger.supervising:
                ledger.supervise(s.person_id, site_id, day)
                break


def greedy(problem: Problem) -> Solution:
    """A simple first-fit plan, the baseline the optimiser's objective is compared with.

    Groups as `allocate_groups`; one head per site and one supervisor per site and day, people of
    the site first; then room by room in time order, the first free, eligible people (home site
    first, then by id). Deterministic. When it cannot fill a room it leaves the gap, and the
    status is "infeasible" with the checker's findings as explanations.
    """
    started = time.perf_counter()
    ix = _Index(problem)
    ledger = _greedy_ledger(ix, allocate_groups(ix))
    return _finish(problem, ix, ledger.assignments, started, stats={"greedy": 1.0})


def _pools(ix: _Index, groups: Mapping[int, str]) -> dict[str, list[Staff]]:
    return {g: [s for s in ix.problem.staff if groups.get(s.person_id) == g] for g in GROUP_ORDER}


def _greedy_ledger(ix: _Index, groups: Mapping[int, str]) -> _Ledger:
    pools = _pools(ix, groups)
    ledger = _Ledger(ix)
    _pick_heads(ix, ledger, pools["exam"])
    _pick_supervisors(ix, ledger, pools["supervisor"])
    _first_fit(ix, ledger, pools, ix.problem.units)
    return ledger


def _first_fit(ix: _Index, ledger: _Ledger, pools: Mapping[str, list[Staff]], units: Iterable[Unit]) -> None:
    """Room by room in time order, the first free and eligible people, home site first."""
    for unit in sorted(units, key=lambda u: (u.day, u.start, u.site_id, u.key)):
        exam = _near_first(pools["exam"], unit.site_id)
        if unit.kind == "proctored":
            need = required_proctors(unit)
            for s in exam:
                if need == 0:
                    break
                if ledger.free(s.person_id, unit) and not ix.recusal(s, unit):
                    ledger.place(s.person_id, PROCTOR, unit)
                    need -= 1
            continue
        need = required_assessors(unit)
        for s in _near_first(pools["assessor"], unit.site_id):
            if need == 0:
                break
            if ledger.free(s.person_id, unit) and ix.qualified(s, unit) and not ix.recusal(s, unit):
                ledger.place(s.person_id, ASSESSOR, unit, leader=need == required_assessors(unit))
                need -= 1
        for s in exam:
            if ledger.free(s.person_id, unit) and not ix.recusal(s, unit):
                ledger.place(s.person_id, TALLYER, unit)
                break


def _finish(
    problem: Problem,
    ix: _Index,
    assignments: list[Assignment],
    started: float,
    *,
    stats: dict[str, float],
    proven: bool = False,
    parts: tuple[tuple[str, str], ...] = (),
) -> Solution:
    """Check the plan, then wrap it: findings → infeasible with explanations."""
    findings = verify_assignment(problem, assignments)
    objective = objective_of(problem, assignments)
    people = {a.person_id for a in assignments}
    stats = {
        **stats,
        "seconds": round(time.perf_counter() - started, 3),
        "units": float(len(problem.units)),
        "assignments": float(len(assignments)),
        "people_used": float(len(people)),
        "objective": float(objective),
        "findings": float(len(findings)),
    }
    if findings:
        reasons = diagnose(ix) or diagnose(ix, allocate_groups(ix))
        explanations = tuple(dict.fromkeys([*reasons, *(f.message for f in findings)]))
        return Solution("infeasible", tuple(assignments), objective, explanations, stats, parts)
    return Solution("optimal" if proven else "feasible", tuple(assignments), objective, (), stats, parts)
