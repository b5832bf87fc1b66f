"""Labels and the eligibility index shared by the checker, the greedy baseline and the optimiser."""

from __future__ import annotations

from datetime import date

from skillcert.logistics.solver import ASSESSOR, PROCTOR, TALLYER, Problem, Staff, Unit

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
                    f"不能在该考场担任考评员。请改派具有该等级或更高等级资格的考评员。"
                )
            return (
                f"{staff.name} 没有{unit.label}所需职业（工种）的考评员资格，"
                f"不能在该考场担任考评员。请改派具有该职业资格的考评员。"
            )
        if all(q.valid_until is not None and q.valid_until < unit.day for q in high_enough):
            until = max(q.valid_until for q in high_enough if q.valid_until is not None)
            return (
                f"{staff.name} 的考评员证书有效期至{until:%Y年%m月%d日}，早于{unit.label}的考试日期"
                f"{day_label(unit.day)}。请改派证书有效的考评员。"
            )
        return None

    def qualified(self, staff: Staff, unit: Unit) -> bool:
        return self.qualification_problem(staff, unit) is None

    def rotation_due(self, staff: Staff, occupation_id: int | None) -> bool:
        if occupation_id is None:
            return False
        return dict(staff.rotation).get(occupation_id, 0) >= self.problem.rotation_rounds
