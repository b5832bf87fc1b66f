"""Time slots, the choice of each person's group (R6.5) and the explanations of a shortage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from skillcert.logistics.solver import Staff, Unit, required_assessors, required_proctors
from skillcert.logistics.solver.index import _Index, clock, day_label, half_day, when_label

# ---------------------------------------------------------------------------------------------
# Groups, time slots and the shortages anyone can see before solving
# ---------------------------------------------------------------------------------------------

GROUP_ORDER = ("assessor", "exam", "supervisor")


def time_slots(units: tuple[Unit, ...] | list[Unit]) -> list[list[Unit]]:
    """Units grouped by day into clusters of overlapping times; clusters never overlap each other."""
    ordered = sorted(units, key=lambda u: (u.day, u.start, u.end, u.key))
    slots: list[list[Unit]] = []
    end = -1
    for u in ordered:
        if slots and slots[-1][0].day == u.day and u.start < end:
            slots[-1].append(u)
            end = max(end, u.end)
        else:
            slots.append([u])
            end = u.end
    return slots


def _cliques(slot: list[Unit]) -> list[list[Unit]]:
    """The sets of units running at the same moment (at each start time), the largest first-class sets."""
    sets = [frozenset(u.key for u in slot if u.start <= t < u.end) for t in sorted({u.start for u in slot})]
    maximal = [s for s in dict.fromkeys(sets) if not any(s < other for other in sets)]
    return [[u for u in slot if u.key in keys] for keys in maximal]


def _exam_need(unit: Unit) -> int:
    return required_proctors(unit) if unit.kind == "proctored" else 1


def _slot_label(slot: list[Unit]) -> str:
    first = slot[0]
    return f"{day_label(first.day)} {half_day(first.start)}（{clock(first.start)}起）"


def allocate_groups(ix: _Index) -> dict[int, str]:
    """Fix each person's one group for the round (R6.5): single-group people where the pool puts
    them, people the pool allows in several groups where the relative shortage is largest
    (assessors only if they hold a qualification). Candidates of the round are left out."""
    units = ix.problem.units
    slots = time_slots(units)
    supervisors_needed = max(
        (sum(1 for _s, d in ix.site_days if d == day) for day in {u.day for u in units}), default=0
    )
    exam_needed = len(ix.active_sites)
    assessors_needed: dict[int, int] = {}
    for slot in slots:
        peak_exam = 0
        for clique in _cliques(slot):
            peak_exam = max(peak_exam, sum(_exam_need(u) for u in clique))
            per_occ: dict[int, int] = {}
            for u in clique:
                if u.kind == "panel" and u.occupation_id is not None:
                    per_occ[u.occupation_id] = per_occ.get(u.occupation_id, 0) + required_assessors(u)
            for occ, n in per_occ.items():
                assessors_needed[occ] = max(assessors_needed.get(occ, 0), n)
        exam_needed = max(exam_needed, len(ix.active_sites) + peak_exam)
    groups: dict[int, str] = {}
    supply = {"exam": 0, "supervisor": 0}
    occ_supply: dict[int, int] = {}
    flexible: list[tuple[Staff, list[str]]] = []

    def take(staff: Staff, group: str) -> None:
        groups[staff.person_id] = group
        if group == "assessor":
            for occ in {q.occupation_id for q in staff.qualifications}:
                occ_supply[occ] = occ_supply.get(occ, 0) + 1
        else:
            supply[group] += 1

    for staff in sorted(ix.problem.staff, key=lambda s: s.person_id):
        if staff.person_id in ix.candidate_persons:
            continue
        options = [g for g in GROUP_ORDER if g in staff.groups and (g != "assessor" or staff.qualifications)]
        if len(options) == 1:
            take(staff, options[0])
        elif options:
            flexible.append((staff, options))

    def shortage(staff: Staff, group: str) -> float:
        if group == "assessor":
            return max(
                (assessors_needed.get(o, 0) - occ_supply.get(o, 0)) / max(assessors_needed.get(o, 0), 1)
                for o in {q.occupation_id for q in staff.qualifications}
            )
        needed = exam_needed if group == "exam" else supervisors_needed
        return (needed - supply[group]) / max(needed, 1)

    for staff, options in flexible:
        best = max(options, key=lambda g: (shortage(staff, g), -GROUP_ORDER.index(g)))
        take(staff, best)
    return groups


def diagnose(ix: _Index, groups: Mapping[int, str] | None = None) -> list[str]:
    """Shortages that make any plan impossible, in words a person can act on: a room with fewer
    eligible people than it needs, a moment when the rooms together need more people than the
    round has, too few heads or supervisors."""
    out: list[str] = []
    pool = [s for s in ix.problem.staff if s.person_id not in ix.candidate_persons]

    def in_group(s: Staff, g: str) -> bool:
        return groups.get(s.person_id) == g if groups is not None else g in s.groups

    exam_pool = [s for s in pool if in_group(s, "exam")]
    assessor_pool = [s for s in pool if in_group(s, "assessor")]
    supervisor_pool = [s for s in pool if in_group(s, "supervisor")]
    for unit in sorted(ix.problem.units, key=lambda u: (u.day, u.start, u.label, u.key)):
        if unit.kind == "proctored":
            need = required_proctors(unit)
            ok = sum(1 for s in exam_pool if not ix.recusal(s, unit))
            if ok < need:
                out.append(
                    f"{unit.label}（{when_label(unit)}）需要{need}名监考人员，无需回避的考务人员只有{ok}名"
                )
            continue
        need = required_assessors(unit)
        ok = sum(1 for s in assessor_pool if ix.qualified(s, unit) and not ix.recusal(s, unit))
        if ok < need:
            out.append(
                f"{unit.label}（{when_label(unit)}）需要{need}名考评员，符合资质且无需回避的只有{ok}名"
            )
        tallyers = sum(1 for s in exam_pool if not ix.recusal(s, unit))
        if tallyers < 1:
            out.append(f"{unit.label}（{when_label(unit)}）需要1名记分员，无需回避的考务人员一名也没有")
    heads = len(ix.active_sites)
    for slot in time_slots(ix.problem.units):
        for clique in _cliques(slot):
            need = sum(_exam_need(u) for u in clique)
            if need + heads > len(exam_pool):
                out.append(
                    f"{day_label(clique[0].day)} {half_day(clique[0].start)} 同时开考的考场共需监考人员和记分员{need}名"
                    f"（另需考点负责人{heads}名），可安排的考务人员只有{len(exam_pool)}名"
                )
                break
        for clique in _cliques(slot):
            out.extend(_occupation_shortages(ix, clique, assessor_pool))
            need = sum(required_assessors(u) for u in clique if u.kind == "panel")
            if need > len(assessor_pool):
                out.append(
                    f"{day_label(clique[0].day)} {half_day(clique[0].start)} 同时开考的实操和评审考场共需考评员{need}名，"
                    f"可安排的考评人员只有{len(assessor_pool)}名"
                )
                break
    if heads > len(exam_pool):
        out.append(f"{heads}个考点各需一名考点负责人，可安排的考务人员只有{len(exam_pool)}名")
    for day in sorted({d for _s, d in ix.site_days}):
        n = sum(1 for _s, d in ix.site_days if d == day)
        if n > len(supervisor_pool):
            out.append(
                f"{day_label(day)}有{n}个考点开考，每个考点需要一名质量督导员，可安排的只有{len(supervisor_pool)}名"
            )
    return out


def _occupation_shortages(ix: _Index, clique: list[Unit], pool: list[Staff]) -> list[str]:
    """Rooms of one occupation at the same moment, from the highest level down: the rooms at
    level h or above need more assessors than hold a valid qualification at h or above."""
    out = []
    panels = [u for u in clique if u.kind == "panel" and u.occupation_id is not None]
    for occ in sorted({u.occupation_id for u in panels if u.occupation_id is not None}):
        mine = [u for u in panels if u.occupation_id == occ]
        for height in sorted({u.level_height or 1 for u in mine}, reverse=True):
            rooms = [u for u in mine if (u.level_height or 1) >= height]
            need = sum(required_assessors(u) for u in rooms)
            probe = replace(rooms[0], level_height=height)
            have = sum(1 for s in pool if ix.qualified(s, probe))
            if need > have:
                names = "、".join(u.label for u in rooms[:3]) + ("等" if len(rooms) > 3 else "")
                out.append(
                    f"{day_label(rooms[0].day)} {half_day(rooms[0].start)} 同时开考的{names}{len(rooms)}个考场"
                    f"共需考评员{need}名，具备相应职业和等级有效资格的考评人员只有{have}名"
                )
                break
    return out
