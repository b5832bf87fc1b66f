"""The staffing optimiser and its independent checker (R6.3–R6.5): plain data in, plain data out.

No Django import: the service turns the database into a `Problem`, this module answers with a
`Solution`, and `verify_assignment` re-checks every hard rule on any list of assignments (the
solver's, a greedy baseline's or a person's manual edits).

This package is DESIGN.md's ``logistics/solver.py``, split by concern: the contract (this file),
``index`` (labels, eligibility index), ``checker`` (hard rules, soft penalty), ``groups`` (time
slots, group choice, explanations), ``greedy`` (the baseline) and ``cpsat`` (the optimiser).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# Role codes match logistics.models.StaffRole; groups match ROLE_GROUP (R6.5: one group per round).
HEAD: str = "head"
PROCTOR: str = "proctor"
TALLYER: str = "tallyer"
ASSESSOR: str = "assessor"
SUPERVISOR: str = "supervisor"
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


# The implementation lives in submodules; they import the contract above, so they come last.
from skillcert.logistics.solver.checker import objective_of, verify_assignment  # noqa: E402
from skillcert.logistics.solver.cpsat import SHORTAGE, solve  # noqa: E402
from skillcert.logistics.solver.greedy import greedy  # noqa: E402
from skillcert.logistics.solver.groups import GROUP_ORDER, allocate_groups, diagnose, time_slots  # noqa: E402
from skillcert.logistics.solver.index import (  # noqa: E402
    DEPARTMENT_REASON,
    RELATION_REASON,
    UNIT_ROLES,
    _Index,
    clock,
    day_label,
    half_day,
    when_label,
)

__all__ = [
    "ASSESSOR",
    "DEPARTMENT_REASON",
    "GROUP_LABEL",
    "GROUP_ORDER",
    "HEAD",
    "PROCTOR",
    "RELATION_REASON",
    "ROLE_GROUP",
    "ROLE_LABEL",
    "SHORTAGE",
    "SUPERVISOR",
    "TALLYER",
    "UNIT_ROLES",
    "Assignment",
    "Candidate",
    "Finding",
    "Problem",
    "Progress",
    "Qualification",
    "Site",
    "Solution",
    "Staff",
    "Unit",
    "Weights",
    "_Index",
    "allocate_groups",
    "clock",
    "day_label",
    "diagnose",
    "greedy",
    "half_day",
    "objective_of",
    "required_assessors",
    "required_proctors",
    "solve",
    "time_slots",
    "verify_assignment",
    "when_label",
]
