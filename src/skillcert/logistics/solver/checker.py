"""The independent checker of every hard rule (R6.3–R6.5) and the soft-rule penalty."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from skillcert.logistics.solver import (
    ASSESSOR,
    GROUP_LABEL,
    HEAD,
    PROCTOR,
    ROLE_GROUP,
    ROLE_LABEL,
    SUPERVISOR,
    TALLYER,
    Assignment,
    Finding,
    Problem,
    required_assessors,
    required_proctors,
)
from skillcert.logistics.solver.index import UNIT_ROLES, _Index, day_label, when_label

# ---------------------------------------------------------------------------------------------
# The independent checker
# ---------------------------------------------------------------------------------------------


def verify_assignment(
    problem: Problem,
    assignments: tuple[Assignment, ...] | list[Assignment],
    *,
    unit_names: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Re-check every hard rule on a plan; an empty list means the plan may be saved.

    Every unit of the problem needs its staff (the service passes only rooms with candidates);
    the findings come in a stable order: the people's own rules first, then the counts.
    `unit_names` names rooms in sessions that are not units of the problem (a room emptied by
    re-seating), so the finding names the room instead of its key.
    """
    ix = _Index(problem)
    findings: list[Finding] = []

    def add(rule: str, code: str, message: str, person: int | None = None, unit: str | None = None) -> None:
        findings.append(Finding(rule=rule, code=code, message=message, person_id=person, unit_key=unit))

    by_person: dict[int, list[Assignment]] = {}
    valid: list[Assignment] = []  # assignments whose person, role, site and unit are known and well formed
    for a in assignments:
        name = ix.name(a.person_id)
        role_label = ROLE_LABEL.get(a.role, a.role)
        if a.role not in ROLE_GROUP:
            add("R6.5", "shape", f"{name} 的岗位“{a.role}”不是可安排的岗位。", a.person_id, a.unit_key)
            continue
        staff = ix.staff.get(a.person_id)
        if staff is None:
            add(
                "R6.5",
                "unknown",
                f"编号{a.person_id}的人员不在本批次可安排的人员库中，不能担任{role_label}。请从人员库中选择。",
                a.person_id,
                a.unit_key,
            )
            continue
        if a.site_id not in ix.sites:
            add(
                "R6.5",
                "unknown",
                f"{name} 被安排到不存在的考点（编号{a.site_id}）。",
                a.person_id,
                a.unit_key,
            )
            continue
        unit = ix.units.get(a.unit_key) if a.unit_key is not None else None
        if a.role in UNIT_ROLES:
            if a.unit_key is None:
                add("R6.5", "shape", f"{name} 担任{role_label}，但没有指定考场。请选择考场。", a.person_id)
                continue
            if unit is None:
                place = (unit_names or {}).get(a.unit_key)
                add(
                    "R6.5",
                    "unknown",
                    f"{name} 被安排在{place}担任{role_label}，但该考场在此场次已没有考生（座位已调整）。"
                    f"请移除该安排，或改派到有考生的考场。"
                    if place
                    else f"{name} 被安排到不存在的考场场次（{a.unit_key}）担任{role_label}。",
                    a.person_id,
                    a.unit_key,
                )
                continue
            if unit.site_id != a.site_id:
                add(
                    "R6.5",
                    "shape",
                    f"{name} 的考点与{unit.label}所在考点不一致。请按考场所在考点安排。",
                    a.person_id,
                    a.unit_key,
                )
                continue
            if a.role == PROCTOR and unit.kind != "proctored":
                add(
                    "R6.3",
                    "shape",
                    f"{unit.label}是实操或评审考场，应安排考评员和记分员，不能安排{name}担任监考人员。",
                    a.person_id,
                    a.unit_key,
                )
                continue
            if a.role in (ASSESSOR, TALLYER) and unit.kind != "panel":
                add(
                    "R6.4",
                    "shape",
                    f"{unit.label}是理论或机考考场，应安排监考人员，不能安排{name}担任{role_label}。",
                    a.person_id,
                    a.unit_key,
                )
                continue
        elif a.unit_key is not None:
            add("R6.5", "shape", f"{name} 担任{role_label}，不应指定考场。", a.person_id, a.unit_key)
            continue
        if a.role == SUPERVISOR and a.day is None:
            add("R6.5", "shape", f"{name} 担任质量督导员，但没有指定日期。请选择督导日期。", a.person_id)
            continue
        if a.is_leader and a.role != ASSESSOR:
            add(
                "R6.4",
                "shape",
                f"{name} 担任{role_label}，只有考评员可以担任考评组长。",
                a.person_id,
                a.unit_key,
            )
            continue
        group = ROLE_GROUP[a.role]
        if group not in staff.groups:
            add(
                "R6.5",
                "group",
                f"{name} 在人员库中没有{GROUP_LABEL[group]}资格，不能担任{role_label}。"
                f"请改派人员库中的{GROUP_LABEL[group]}。",
                a.person_id,
                a.unit_key,
            )
        if a.person_id in ix.candidate_persons:
            add(
                "R6.5",
                "candidate",
                f"{name} 是本批次的考生，不能在本批次担任{role_label}。请改派他人。",
                a.person_id,
                a.unit_key,
            )
        if unit is not None:
            if a.role == ASSESSOR:
                problem_text = ix.qualification_problem(staff, unit)
                if problem_text:
                    add("R6.4", "qualification", problem_text, a.person_id, a.unit_key)
            reasons = ix.recusal(staff, unit)
            if reasons:
                n = ix.recused_candidates(staff, unit)
                add(
                    "R6.4" if a.role == ASSESSOR else "R6.3",
                    "recusal",
                    f"{name} 与{unit.label}的{n}名考生须回避（{'、'.join(reasons)}），"
                    f"不能在该考场担任{role_label}。请改派其他人员。",
                    a.person_id,
                    a.unit_key,
                )
        valid.append(a)
        by_person.setdefault(a.person_id, []).append(a)

    for person_id in sorted(by_person):
        findings.extend(_person_conflicts(ix, person_id, by_person[person_id]))
    findings.extend(_count_findings(ix, valid))
    return findings


def _person_conflicts(ix: _Index, person_id: int, mine: list[Assignment]) -> list[Finding]:
    """R6.5 (one group) and nobody in two places at once."""
    out: list[Finding] = []
    name = ix.name(person_id)
    groups = sorted({ROLE_GROUP[a.role] for a in mine}, key=["exam", "assessor", "supervisor"].index)
    if len(groups) > 1:
        roles = "、".join(dict.fromkeys(ROLE_LABEL[a.role] for a in mine))
        out.append(
            Finding(
                "R6.5",
                "group",
                f"{name} 在本批次同时担任{'和'.join(GROUP_LABEL[g] for g in groups)}的工作（{roles}），"
                f"考务、考评、督导人员不得兼任。请只保留其中一类。",
                person_id,
            )
        )
    heads = [a for a in mine if a.role == HEAD]
    others = [a for a in mine if a.role != HEAD]
    if heads:
        head_sites = sorted({a.site_id for a in heads})
        if len(head_sites) > 1 or len(heads) > 1:
            where = "、".join(ix.site_name(s) for s in head_sites)
            out.append(
                Finding(
                    "R6.3",
                    "overlap",
                    f"{name} 被重复安排为考点负责人（{where}），每人只能负责一个考点。",
                    person_id,
                )
            )
        for a in others:
            place = ix.units[a.unit_key].label if a.unit_key else ix.site_name(a.site_id)
            out.append(
                Finding(
                    "R6.3",
                    "overlap",
                    f"{name} 是{ix.site_name(heads[0].site_id)}的考点负责人，须全程主持考点工作，"
                    f"不能同时担任{ROLE_LABEL[a.role]}（{place}）。",
                    person_id,
                    a.unit_key,
                )
            )
    supervising: dict[date, list[Assignment]] = {}
    for a in mine:
        if a.role == SUPERVISOR and a.day is not None:
            supervising.setdefault(a.day, []).append(a)
    for day in sorted(supervising):
        sites = sorted({a.site_id for a in supervising[day]})
        if len(sites) > 1 or len(supervising[day]) > 1:
            where = "、".join(ix.site_name(s) for s in sites)
            out.append(
                Finding(
                    "R6.5",
                    "overlap",
                    f"{name} 在{day_label(day)}被重复安排督导（{where}），每天只能督导一个考点。",
                    person_id,
                )
            )
    in_units = sorted(
        (a for a in mine if a.unit_key is not None),
        key=lambda a: (ix.units[a.unit_key or ""].day, ix.units[a.unit_key or ""].start, a.unit_key),
    )
    for a in in_units:
        unit = ix.units[a.unit_key or ""]
        if unit.day in supervising:
            out.append(
                Finding(
                    "R6.5",
                    "overlap",
                    f"{name} 在{day_label(unit.day)}担任质量督导员，不能同时在{unit.label}担任{ROLE_LABEL[a.role]}。",
                    person_id,
                    a.unit_key,
                )
            )
    for i, a in enumerate(in_units):
        ua = ix.units[a.unit_key or ""]
        for b in in_units[i + 1 :]:
            ub = ix.units[b.unit_key or ""]
            if ub.day != ua.day or ub.start >= ua.end:
                if ub.day != ua.day:
                    break
                continue
            if ua.key == ub.key:
                text = f"{name} 在{ua.label}被重复安排（{ROLE_LABEL[a.role]}、{ROLE_LABEL[b.role]}），每人在一个考场只担任一个岗位。"
            else:
                text = (
                    f"{name} 在{when_label(ua)}被安排在{ua.label}，又在{when_label(ub)}被安排在{ub.label}，"
                    f"时间重叠。请改派其中一个考场。"
                )
            out.append(Finding("R6.5", "overlap", text, person_id, b.unit_key))
    return out


def _count_findings(ix: _Index, valid: list[Assignment]) -> list[Finding]:
    """R6.3/R6.4/R6.5 counts: proctors, panels, leaders, tallyers, heads, supervisors."""
    out: list[Finding] = []
    per_unit: dict[str, list[Assignment]] = {}
    heads: dict[int, set[int]] = {}
    supervisors: dict[tuple[int, date], set[int]] = {}
    for a in valid:
        if a.unit_key is not None:
            per_unit.setdefault(a.unit_key, []).append(a)
        elif a.role == HEAD:
            heads.setdefault(a.site_id, set()).add(a.person_id)
        elif a.role == SUPERVISOR and a.day is not None:
            supervisors.setdefault((a.site_id, a.day), set()).add(a.person_id)
    for unit in ix.problem.units:
        mine = per_unit.get(unit.key, [])
        n = len(unit.candidates)
        if unit.kind == "proctored":
            proctors = len({a.person_id for a in mine if a.role == PROCTOR})
            need = required_proctors(unit)
            if proctors < need:
                out.append(
                    Finding(
                        "R6.3",
                        "count",
                        f"{unit.label}（{when_label(unit)}）有{n}名考生，需要至少{need}名监考人员，"
                        f"目前只安排了{proctors}名。",
                        unit_key=unit.key,
                    )
                )
            continue
        assessors = {a.person_id for a in mine if a.role == ASSESSOR}
        need = required_assessors(unit)
        if len(assessors) < need or len(assessors) % 2 == 0:
            out.append(
                Finding(
                    "R6.4",
                    "count",
                    f"{unit.label}（{when_label(unit)}）有{n}名考生，考评员须为不少于{need}名的奇数，"
                    f"目前安排了{len(assessors)}名。",
                    unit_key=unit.key,
                )
            )
        leaders = len({a.person_id for a in mine if a.role == ASSESSOR and a.is_leader})
        if leaders != 1:
            out.append(
                Finding(
                    "R6.4",
                    "leader",
                    f"{unit.label}（{when_label(unit)}）须有且只有一名考评组长，目前有{leaders}名。"
                    f"请在考评员中指定一名组长。",
                    unit_key=unit.key,
                )
            )
        if not any(a.role == TALLYER for a in mine):
            out.append(
                Finding(
                    "R6.4",
                    "count",
                    f"{unit.label}（{when_label(unit)}）须至少安排一名记分员，目前没有。",
                    unit_key=unit.key,
                )
            )
    for site_id in ix.active_sites:
        n_heads = len(heads.get(site_id, set()))
        if n_heads != 1:
            out.append(
                Finding(
                    "R6.3",
                    "head",
                    f"{ix.site_name(site_id)}须有且只有一名考点负责人，目前有{n_heads}名。",
                )
            )
    for site_id, day in ix.site_days:
        if not supervisors.get((site_id, day)):
            out.append(
                Finding(
                    "R6.5",
                    "supervisor",
                    f"{ix.site_name(site_id)}{day_label(day)}有考试，须至少安排一名质量督导员，目前没有。",
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# The soft rules
# ---------------------------------------------------------------------------------------------


def objective_of(problem: Problem, assignments: tuple[Assignment, ...] | list[Assignment]) -> int:
    """The weighted soft-rule penalty of any plan (rotation, load balance, distance).

    - rotation: each assessor assignment on an occupation the person already assessed in
      `rotation_rounds` or more consecutive previous rounds costs `weights.rotation`;
    - balance: `weights.balance` × Σ load², where a person's load is their number of room
      assignments (proctor, tallyer, assessor); the sum of squares grows with the spread, so two
      people with 2 rooms each cost less than one with 3 and one with 1 (8 < 10);
    - distance: each assignment at a site other than the person's home site costs
      `weights.distance` (no home site: nothing).
    Unknown people or rooms cost nothing here (the checker reports them).
    """
    ix = _Index(problem)
    w = problem.weights
    total = 0
    load: dict[int, int] = {}
    for a in assignments:
        staff = ix.staff.get(a.person_id)
        if staff is None:
            continue
        if staff.home_site_id is not None and a.site_id != staff.home_site_id:
            total += w.distance
        if a.unit_key is None or a.unit_key not in ix.units:
            continue
        load[a.person_id] = load.get(a.person_id, 0) + 1
        if a.role == ASSESSOR and ix.rotation_due(staff, ix.units[a.unit_key].occupation_id):
            total += w.rotation
    total += w.balance * sum(n * n for n in load.values())
    return total
