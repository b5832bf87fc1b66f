"""The CP-SAT optimiser: heads, supervisors, then one model per time slot."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date

from ortools.sat.python import cp_model

from skillcert.logistics.solver import (
    ASSESSOR,
    HEAD,
    PROCTOR,
    TALLYER,
    Problem,
    Progress,
    Solution,
    Staff,
    Unit,
    required_assessors,
    required_proctors,
)
from skillcert.logistics.solver.greedy import (
    _finish,
    _first_fit,
    _greedy_ledger,
    _Ledger,
    _near_first,
    _pick_heads,
    _pools,
)
from skillcert.logistics.solver.groups import _cliques, _exam_need, _slot_label, allocate_groups, time_slots
from skillcert.logistics.solver.index import _Index, day_label

# ---------------------------------------------------------------------------------------------
# The optimiser: CP-SAT, decomposed into heads, supervisors per day and one model per time slot
# ---------------------------------------------------------------------------------------------

SHORTAGE = 1_000_000  # penalty per unfilled place: any plan with more people beats one with fewer


class _Budget:
    """Splits the time limit over the parts still to solve, by their size."""

    def __init__(self, time_limit: float, started: float) -> None:
        self.deadline = started + time_limit

    def share(self, size: int, remaining_size: int) -> float:
        left = self.deadline - time.perf_counter()
        return max(0.2, left * size / max(remaining_size, 1))


def _run(model: cp_model.CpModel, seconds: float, workers: int) -> tuple[cp_model.CpSolver, str]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 1
    code = solver.solve(model)
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(code, "unknown")
    return solver, name


def _distance(ix: _Index, staff: Staff, site_id: int) -> int:
    home = staff.home_site_id
    return ix.problem.weights.distance if home is not None and home != site_id else 0


def _choose_heads(
    ix: _Index, ledger: _Ledger, pool: list[Staff], hint: Mapping[int, int], seconds: float, workers: int
) -> str:
    """One head per site with rooms, nearest people first (a small assignment problem)."""
    sites = ix.active_sites
    if not sites:
        return "optimal"
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    keep = len(sites) + 5
    for site_id in sites:
        ranked = _near_first(pool, site_id)
        chosen = ranked[:keep] + [s for s in ranked[keep:] if hint.get(s.person_id) == site_id]
        for s in chosen:
            x[s.person_id, site_id] = model.new_bool_var(f"h{s.person_id}_{site_id}")
    short = {site_id: model.new_bool_var(f"hs{site_id}") for site_id in sites}
    for site_id in sites:
        model.add(sum(v for (p, si), v in x.items() if si == site_id) + short[site_id] == 1)
    by_person: dict[int, list[cp_model.IntVar]] = {}
    for (p, _si), v in x.items():
        by_person.setdefault(p, []).append(v)
    for vs in by_person.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    staff = ix.staff
    model.minimize(
        sum(_distance(ix, staff[p], si) * v for (p, si), v in x.items()) + SHORTAGE * sum(short.values())
    )
    for (p, si), v in x.items():
        model.add_hint(v, hint.get(p) == si)
    solver, status = _run(model, seconds, workers)
    if status == "unknown":
        _pick_heads(ix, ledger, pool)
        return "fallback"
    for (p, si), v in sorted(x.items()):
        if solver.value(v):
            ledger.head(p, si)
    return status


def _choose_supervisors(
    ix: _Index, ledger: _Ledger, pool: list[Staff], day: date, seconds: float, workers: int
) -> str:
    """One supervisor per site open on `day`, nobody at two sites that day, nearest first."""
    sites = [si for si, d in ix.site_days if d == day]
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    keep = len(sites) + 5
    for site_id in sites:
        for s in _near_first(pool, site_id)[:keep]:
            x[s.person_id, site_id] = model.new_bool_var(f"s{s.person_id}_{site_id}")
    short = {site_id: model.new_bool_var(f"ss{site_id}") for site_id in sites}
    for site_id in sites:
        model.add(sum(v for (p, si), v in x.items() if si == site_id) + short[site_id] == 1)
    by_person: dict[int, list[cp_model.IntVar]] = {}
    for (p, _si), v in x.items():
        by_person.setdefault(p, []).append(v)
    for vs in by_person.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    model.minimize(
        sum(_distance(ix, ix.staff[p], si) * v for (p, si), v in x.items()) + SHORTAGE * sum(short.values())
    )
    solver, status = _run(model, seconds, workers)
    if status == "unknown":
        for site_id in sites:
            for s in _near_first(pool, site_id):
                if (s.person_id, day) not in ledger.supervising:
                    ledger.supervise(s.person_id, site_id, day)
                    break
        return "fallback"
    for (p, si), v in sorted(x.items()):
        if solver.value(v):
            ledger.supervise(p, si, day)
    return status


class _SlotModel:
    """The eligible (person, room, role) pairs of one time slot, after filtering by group,
    qualification, recusal and duties already taken; unless `wide`, only the best-ranked people
    per site (and the hint's pairs) get variables."""

    def __init__(
        self,
        ix: _Index,
        ledger: _Ledger,
        pools: Mapping[str, list[Staff]],
        slot: list[Unit],
        *,
        hint: set[tuple[int, str, str]],
        wide: bool = False,
    ) -> None:
        self.ix, self.ledger, self.slot = ix, ledger, slot
        self.pairs: dict[tuple[int, str, str], int] = {}  # (person, unit key, role) → cost
        self.variables = 0
        w = ix.problem.weights
        exam = [s for s in pools["exam"] if s.person_id not in ledger.heads]
        assessors = pools["assessor"]
        unlimited = len(ix.problem.staff) + 1

        def cost(s: Staff, unit: Unit, role: str) -> int:
            c = _distance(ix, s, unit.site_id) + w.balance * (2 * ledger.load.get(s.person_id, 0) + 1)
            if role == ASSESSOR and ix.rotation_due(s, unit.occupation_id):
                c += w.rotation
            return c

        def rank(people: list[Staff], unit: Unit, role: str) -> list[Staff]:
            return sorted(people, key=lambda s: (cost(s, unit, role), s.person_id))

        by_site: dict[int, list[Unit]] = {}
        for u in slot:
            by_site.setdefault(u.site_id, []).append(u)
        for _site, units in sorted(by_site.items()):
            demand = sum(_exam_need(u) for u in units)
            ranked = rank(exam, units[0], PROCTOR)
            keep = unlimited if wide else 2 * demand + 10
            for u in units:
                role = PROCTOR if u.kind == "proctored" else TALLYER
                self._add(u, role, ranked, keep, 2 * _exam_need(u) + 4, cost)
            per_occ: dict[int | None, list[Unit]] = {}
            for u in units:
                if u.kind == "panel":
                    per_occ.setdefault(u.occupation_id, []).append(u)
            for occ_units in per_occ.values():
                demand = sum(required_assessors(u) for u in occ_units)
                keep = unlimited if wide else 2 * demand + 6
                for u in occ_units:
                    qualified = [s for s in assessors if ix.qualified(s, u)]
                    self._add(
                        u, ASSESSOR, rank(qualified, u, ASSESSOR), keep, 2 * required_assessors(u) + 4, cost
                    )
        # The hint's pairs (the greedy plan, or the narrow model's answer) always get a variable,
        # so the model can at least do as well as the hint.
        units_here = {u.key: u for u in slot}
        for p, key, role in hint:
            unit = units_here.get(key)
            s = ix.staff.get(p)
            if unit is None or s is None or (p, key, role) in self.pairs:
                continue
            in_pool = s in exam if role != ASSESSOR else s in assessors and ix.qualified(s, unit)
            if in_pool and ledger.free(p, unit) and not ix.recusal(s, unit):
                self.pairs[p, key, role] = cost(s, unit, role)

    def _add(
        self,
        unit: Unit,
        role: str,
        ranked: list[Staff],
        keep: int,
        at_least: int,
        cost: Callable[[Staff, Unit, str], int],
    ) -> None:
        """The first `keep` of the ranking that may serve, and more while the room has fewer than
        `at_least` (heavy recusal)."""
        taken = 0
        for i, s in enumerate(ranked):
            if i >= keep and taken >= at_least:
                break
            if self.ledger.free(s.person_id, unit) and not self.ix.recusal(s, unit):
                self.pairs[s.person_id, unit.key, role] = cost(s, unit, role)
                taken += 1

    def solve(
        self, hint: set[tuple[int, str, str]], seconds: float, workers: int
    ) -> tuple[str, list[tuple[int, str, str]], int]:
        """(status, chosen pairs, places left empty)."""
        model = cp_model.CpModel()
        x = {k: model.new_bool_var(f"x{k[0]}_{k[1]}_{k[2]}") for k in sorted(self.pairs)}
        shortages: list[cp_model.IntVar] = []
        per_unit_role: dict[tuple[str, str], list[cp_model.IntVar]] = {}
        for (_p, key, role), v in x.items():
            per_unit_role.setdefault((key, role), []).append(v)
        for u in self.slot:
            needs = (
                [(PROCTOR, required_proctors(u))]
                if u.kind == "proctored"
                else [(ASSESSOR, required_assessors(u)), (TALLYER, 1)]
            )
            for role, need in needs:
                short = model.new_int_var(0, need, f"short_{u.key}_{role}")
                shortages.append(short)
                model.add(sum(per_unit_role.get((u.key, role), [])) + short == need)
        for clique in _cliques(self.slot):
            keys = {u.key for u in clique}
            per_person: dict[int, list[cp_model.IntVar]] = {}
            for (p, key, _role), v in x.items():
                if key in keys:
                    per_person.setdefault(p, []).append(v)
            for vs in per_person.values():
                if len(vs) > 1:
                    model.add_at_most_one(vs)
        model.minimize(sum(c * x[k] for k, c in self.pairs.items()) + SHORTAGE * sum(shortages))
        for k, v in x.items():
            model.add_hint(v, k in hint)
        self.variables = len(x) + len(shortages)
        solver, status = _run(model, seconds, workers)
        if status == "unknown":
            return status, [], -1
        chosen = [k for k, v in x.items() if solver.value(v)]
        return status, chosen, sum(solver.value(s) for s in shortages)

    def commit(self, chosen: list[tuple[int, str, str]]) -> None:
        units = {u.key: u for u in self.slot}
        for p, key, role in sorted(chosen, key=lambda k: (units[k[1]].start, k[1], k[2], k[0])):
            if role != ASSESSOR:
                self.ledger.place(p, role, units[key])
        for key in sorted({k[1] for k in chosen}):
            unit = units[key]
            panel = [p for p, k, role in chosen if k == key and role == ASSESSOR]
            # The panel leader: the highest qualification for the occupation, then the lowest id.
            panel.sort(key=lambda p: (-_height(self.ix.staff[p], unit.occupation_id), p))
            for i, p in enumerate(panel):
                self.ledger.place(p, ASSESSOR, unit, leader=i == 0)


def _height(staff: Staff, occupation_id: int | None) -> int:
    return max((q.max_height for q in staff.qualifications if q.occupation_id == occupation_id), default=0)


def solve(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    progress: Progress | None = None,
    workers: int = 2,
) -> Solution:
    """Find a staff plan that keeps every hard rule and keeps the soft penalty low.

    The round is decomposed, so no variable exists per candidate and none for a person who may
    not serve in a room: (1) each person's group is fixed (`allocate_groups`); (2) one head per
    site; (3) supervisors day by day; (4) time slot by time slot (rooms whose times overlap), one
    CP-SAT model over the eligible (person, room, role) pairs of every site at once, after
    filtering by group, qualification, recusal and duties already taken, and keeping per site
    the best-ranked people (cost = distance + the load-balance increment + rotation). Unfilled
    places are allowed at a prohibitive price, so a slot always yields a plan; any gap left
    makes the status "infeasible" with explanations and the partial plan. The greedy plan is
    the hint and the floor: when it scores better the greedy plan is returned.
    Status "optimal" is never claimed: each part is solved to optimality or the time limit, but
    the decomposition is not a global proof (`parts` says how each part ended).
    """
    started = time.perf_counter()
    ix = _Index(problem)
    groups = allocate_groups(ix)
    pools = _pools(ix, groups)
    base = _greedy_ledger(ix, groups)
    hint_heads = {a.person_id: a.site_id for a in base.assignments if a.role == HEAD}
    hint_units = {(a.person_id, a.unit_key or "", a.role) for a in base.assignments if a.unit_key}
    slots = time_slots(problem.units)
    days = sorted({d for _s, d in ix.site_days})
    total = 1 + len(days) + len(slots)
    done = 0
    budget = _Budget(time_limit, started)
    sizes = [len(ix.active_sites)] + [len(ix.active_sites)] * len(days) + [len(s) * 10 for s in slots]
    remaining = sum(sizes)
    ledger = _Ledger(ix)
    parts: list[tuple[str, str]] = []
    variables = 0

    def tick(label: str, status: str, size: int) -> None:
        nonlocal done, remaining
        parts.append((label, status))
        done += 1
        remaining -= size
        if progress is not None:
            progress(done, total)

    status = _choose_heads(ix, ledger, pools["exam"], hint_heads, budget.share(sizes[0], remaining), workers)
    tick("考点负责人", status, sizes[0])
    for day in days:
        status = _choose_supervisors(
            ix, ledger, pools["supervisor"], day, budget.share(sizes[1], remaining), workers
        )
        tick(f"{day_label(day)} 质量督导员", status, sizes[1])
    for slot, size in zip(slots, sizes[1 + len(days) :], strict=True):
        seconds = budget.share(size, remaining)
        label = _slot_label(slot)
        part = _SlotModel(ix, ledger, pools, slot, hint=hint_units)
        status, chosen, short = part.solve(hint_units, seconds / 2, workers)
        variables += part.variables
        if short != 0:
            # Some place stayed empty among the best-ranked people: try again with everyone eligible.
            wide = _SlotModel(ix, ledger, pools, slot, hint=set(chosen) | hint_units, wide=True)
            wide_status, wide_chosen, wide_short = wide.solve(
                set(chosen), budget.share(size, remaining), workers
            )
            variables += wide.variables
            if wide_status != "unknown" and (short < 0 or wide_short < short):
                part, status, chosen, short = wide, wide_status, wide_chosen, wide_short
                label = f"{label}（全部可选人员）"
        if status == "unknown":
            _first_fit(ix, ledger, pools, slot)
            status = "fallback"
        else:
            part.commit(chosen)
        tick(label, status, size)
    counts = {s: float(sum(1 for _l, st in parts if st == s)) for s in ("optimal", "feasible", "fallback")}
    stats = {
        "variables": float(variables),
        "parts_optimal": counts["optimal"],
        "parts_feasible": counts["feasible"],
        "parts_fallback": counts["fallback"],
    }
    solution = _finish(problem, ix, ledger.assignments, started, stats=stats, parts=tuple(parts))
    baseline = _finish(problem, ix, base.assignments, started, stats={})
    stats = {
        **solution.stats,
        "greedy_objective": float(baseline.objective or 0),
        "solver_objective": float(solution.objective or 0),
        "solver_findings": solution.stats["findings"],
    }
    better_greedy = baseline.status == "feasible" and (
        solution.status != "feasible" or (baseline.objective or 0) < (solution.objective or 0)
    )
    if better_greedy:
        stats.update(
            {k: baseline.stats[k] for k in ("assignments", "people_used", "objective", "findings")},
            greedy_fallback=1.0,
        )
        return replace(baseline, stats=stats, parts=(*parts, ("贪心方案", "feasible")))
    return replace(solution, stats=stats)
