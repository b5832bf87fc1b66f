"""The staffing optimiser and its independent checker (R6.3–R6.5): plain data in, plain data out.

No Django import: the service turns the database into a `Problem`, this module answers with a
`Solution`, and `verify_assignment` re-checks every hard rule on any list of assignments (the
solver's, a greedy baseline's or a person's manual edits).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from ortools.sat.python import cp_model

# Role codes match logistics.models.StaffRole; groups match ROLE_GROUP (R6.5: one group per round).
HEAD, PROCTOR, TALLYER, ASSESSOR, SUPERVISOR = "head", "proctor", "tallyer", "assessor", "supervisor"
ROLE_GROUP: Mapping[str, str] = {
    HEAD: "exam",
    PROCTOR: "exam",
    TALLYER: "exam",
    ASSESSOR: "assessor",
    SUPERVISOR: "supervisor",
}
GROUP_LABEL: Mapping[str, str] = {"exam": "考务人员", "assessor": "考评人员", "supervisor": "质量督导员"}
ROLE_LABEL: Mapping[str, str] = {
    HEAD: "考点负责人",
    PROCTOR: "监考人员",
    TALLYER: "记分员",
    ASSESSOR: "考评员",
    SUPERVISOR: "质量督导员",
}


@dataclass(frozen=True)
class Qualification:
    """An assessor's qualification: the occupation, the highest level (as a height: 五级=1 … 一级=5)."""

    occupation_id: int
    max_height: int
    valid_until: date | None = None


@dataclass(frozen=True)
class Staff:
    """A person of the enterprise's staff pool who may serve in the round."""

    person_id: int
    name: str
    groups: frozenset[str]  # subset of {"exam", "assessor", "supervisor"}: what the pool allows
    department_id: int | None = None
    home_site_id: int | None = None
    qualifications: tuple[Qualification, ...] = ()
    # occupation_id → how many consecutive previous rounds this person assessed that occupation
    rotation: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Candidate:
    application_id: int
    person_id: int
    department_id: int | None = None


@dataclass(frozen=True)
class Unit:
    """A room in a session, the place staff are assigned to.

    `proctored` units (theory and CBT rooms) need proctors; `panel` units (practical rooms and
    review rooms) need an assessor panel with a leader and a tallyer. A panel unit holds the
    candidates of one occupation and level (seating keeps them apart).
    """

    key: str  # f"{session_id}:{room_id}"
    session_id: int
    room_id: int
    site_id: int
    day: date
    start: int  # minutes after midnight
    end: int
    kind: Literal["proctored", "panel"]
    label: str  # "第3考场 焊工三级", used in messages a person reads
    candidates: tuple[int, ...] = ()  # application ids seated in the room
    occupation_id: int | None = None  # panel units
    level_height: int | None = None  # panel units: 五级=1 … 一级=5
    proctor_ratio: int = 15
    proctor_min: int = 2
    assessor_ratio: int = 5
    panel_min: int = 3


@dataclass(frozen=True)
class Site:
    site_id: int
    name: str


@dataclass(frozen=True)
class Weights:
    rotation: int = 10
    balance: int = 3
    distance: int = 2


@dataclass(frozen=True)
class Problem:
    staff: tuple[Staff, ...]
    units: tuple[Unit, ...]
    sites: tuple[Site, ...]
    candidates: tuple[Candidate, ...]
    # person pairs (a < b) who must never meet as staff and candidate: relatives, same team, superior
    relations: frozenset[tuple[int, int]] = frozenset()
    recuse_same_department: bool = True
    rotation_rounds: int = 3
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class Assignment:
    """One person in one role. A head has a site only; a supervisor a site and a day; the others a unit."""

    person_id: int
    role: str
    site_id: int
    unit_key: str | None = None
    day: date | None = None
    is_leader: bool = False


@dataclass(frozen=True)
class Finding:
    """A broken hard rule, in words a person can act on."""

    rule: str  # "R6.3", "R6.4", "R6.5"
    code: str  # "group", "overlap", "qualification", "candidate", "recusal", "count", "leader", "head", ...
    message: str
    person_id: int | None = None
    unit_key: str | None = None


@dataclass(frozen=True)
class Solution:
    status: Literal["optimal", "feasible", "infeasible"]
    assignments: tuple[Assignment, ...]
    objective: int | None  # the soft-rule penalty of `assignments` (lower is better), see `objective_of`
    explanations: tuple[str, ...] = ()  # why no plan exists, when status is "infeasible"
    stats: Mapping[str, float] = field(default_factory=dict)
    # (part, status) for each sub-problem the optimiser solved, e.g. ("5月12日 上午（8:30起）", "optimal")
    parts: tuple[tuple[str, str], ...] = ()


Progress = Callable[[int, int], None]  # (done, total)


def required_proctors(unit: Unit) -> int:
    """Proctors a room needs: the standard's ratio, never fewer than the minimum (≥ 2, R6.3)."""
    n = len(unit.candidates)
    return max(unit.proctor_min, 2, -(-n // max(unit.proctor_ratio, 1)))


def required_assessors(unit: Unit) -> int:
    """Assessors a panel needs: the ratio, at least the minimum (≥ 3), and always odd (R6.4)."""
    n = len(unit.candidates)
    need = max(unit.panel_min, 3, -(-n // max(unit.assessor_ratio, 1)))
    return need if need % 2 == 1 else need + 1


# ---------------------------------------------------------------------------------------------
# Shared indexes and wording
# ---------------------------------------------------------------------------------------------

UNIT_ROLES = frozenset({PROCTOR, TALLYER, ASSESSOR})
RELATION_REASON = "亲属、同班组或上下级"
DEPARTMENT_REASON = "同一部门"


def day_label(day: date) -> str:
    return f"{day.month}月{day.day}日"


def half_day(minutes: int) -> str:
    return "上午" if minutes < 12 * 60 else ("下午" if minutes < 18 * 60 else "晚上")


def clock(minutes: int) -> str:
    return f"{minutes // 60:d}:{minutes % 60:02d}"


def when_label(unit: Unit) -> str:
    """'5月12日 13:30–16:30', how a person recognises a session."""
    return f"{day_label(unit.day)} {clock(unit.start)}–{clock(unit.end)}"


def _overlaps(a: Unit, b: Unit) -> bool:
    return a.day == b.day and a.start < b.end and b.start < a.end


class _Index:
    """Lookups every part of the module needs, built once per problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.staff = {s.person_id: s for s in problem.staff}
        self.units = {u.key: u for u in problem.units}
        self.sites = {s.site_id: s for s in problem.sites}
        self.candidates = {c.application_id: c for c in problem.candidates}
        self.candidate_persons = frozenset(c.person_id for c in problem.candidates)
        self.related: dict[int, set[int]] = {}
        for a, b in problem.relations:
            self.related.setdefault(a, set()).add(b)
            self.related.setdefault(b, set()).add(a)
        self._unit_related: dict[str, frozenset[int]] = {}
        self._unit_departments: dict[str, frozenset[int]] = {}
        self.active_sites = sorted({u.site_id for u in problem.units})
        self.site_days = sorted({(u.site_id, u.day) for u in problem.units})

    def name(self, person_id: int) -> str:
        staff = self.staff.get(person_id)
        return staff.name if staff else f"人员（编号{person_id}）"

    def site_name(self, site_id: int) -> str:
        site = self.sites.get(site_id)
        return site.name if site else f"考点（编号{site_id}）"

    def unit_related(self, unit: Unit) -> frozenset[int]:
        """Every person related (relatives, same team, superior) to a candidate of the unit."""
        found = self._unit_related.get(unit.key)
        if found is None:
            people: set[int] = set()
            for app in unit.candidates:
                cand = self.candidates.get(app)
                if cand is not None:
                    people |= self.related.get(cand.person_id, set())
            found = self._unit_related[unit.key] = frozenset(people)
        return found

    def unit_departments(self, unit: Unit) -> frozenset[int]:
        found = self._unit_departments.get(unit.key)
        if found is None:
            depts = {
                cand.department_id
                for app in unit.candidates
                if (cand := self.candidates.get(app)) is not None and cand.department_id is not None
            }
            found = self._unit_departments[unit.key] = frozenset(depts)
        return found

    def recusal(self, staff: Staff, unit: Unit) -> list[str]:
        """Why `staff` must not serve in `unit` (empty: no reason)."""
        reasons = []
        if staff.person_id in self.unit_related(unit):
            reasons.append(RELATION_REASON)
        if (
            self.problem.recuse_same_department
            and staff.department_id is not None
            and staff.department_id in self.unit_departments(unit)
        ):
            reasons.append(DEPARTMENT_REASON)
        return reasons

    def recused_candidates(self, staff: Staff, unit: Unit) -> int:
        """How many candidates of the unit `staff` must not meet."""
        related = self.related.get(staff.person_id, set())
        n = 0
        for app in unit.candidates:
            cand = self.candidates.get(app)
            if cand is None:
                continue
            if cand.person_id in related or (
                self.problem.recuse_same_department
                and staff.department_id is not None
                and cand.department_id == staff.department_id
            ):
                n += 1
        return n

    def qualification_problem(self, staff: Staff, unit: Unit) -> str | None:
        """None when `staff` may assess `unit`, else the reason in words."""
        if unit.occupation_id is None:
            return None
        need = unit.level_height or 1
        matching = [q for q in staff.qualifications if q.occupation_id == unit.occupation_id]
        high_enough = [q for q in matching if q.max_height >= need]
        if not high_enough:
            if matching:
                return (
                    f"{staff.name} 的考评员资格等级低于{unit.label}所评等级，"
                    f"不能在该考场担任考评员（R6.4）。请改派具有该等级或更高等级资格的考评员。"
                )
            return (
                f"{staff.name} 没有{unit.label}所需职业（工种）的考评员资格，"
                f"不能在该考场担任考评员（R6.4）。请改派具有该职业资格的考评员。"
            )
        if all(q.valid_until is not None and q.valid_until < unit.day for q in high_enough):
            until = max(q.valid_until for q in high_enough if q.valid_until is not None)
            return (
                f"{staff.name} 的考评员证书有效期至{until:%Y年%m月%d日}，早于{unit.label}的考试日期"
                f"{day_label(unit.day)}（R6.4）。请改派证书有效的考评员。"
            )
        return None

    def qualified(self, staff: Staff, unit: Unit) -> bool:
        return self.qualification_problem(staff, unit) is None

    def rotation_due(self, staff: Staff, occupation_id: int | None) -> bool:
        if occupation_id is None:
            return False
        return dict(staff.rotation).get(occupation_id, 0) >= self.problem.rotation_rounds


# ---------------------------------------------------------------------------------------------
# The independent checker
# ---------------------------------------------------------------------------------------------


def verify_assignment(
    problem: Problem, assignments: tuple[Assignment, ...] | list[Assignment]
) -> list[Finding]:
    """Re-check every hard rule on a plan; an empty list means the plan may be saved.

    Every unit of the problem needs its staff (the service passes only rooms with candidates);
    the findings come in a stable order: the people's own rules first, then the counts.
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
                add(
                    "R6.5",
                    "unknown",
                    f"{name} 被安排到不存在的考场场次（{a.unit_key}）担任{role_label}。",
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
