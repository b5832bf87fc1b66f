"""Eligibility rule sets (申报条件) as data, and their evaluation for one applicant (R3.1, R3.3).

A :class:`RuleSet` lists, per level, alternative :class:`Condition` s; a condition is a
conjunction of requirements (years in the occupation, a certificate held for N years, a
kind of schooling, age, apprenticeship, a professional title, exceptional grounds).
:func:`evaluate` answers "eligible", "ineligible" or "confirm" (a person must decide
whether a major, certificate or title is *related*), with Chinese sentences that carry
the computed figures. Rule sets travel as JSON (:func:`to_json`, :func:`from_json`,
:func:`validate_json`) so an enterprise can edit its filed conditions on a page.

"N years (含)" is calendar-inclusive: a certificate issued 2021-06-30 gives 4 years on
2025-06-30 (a 29 February start reaches its anniversaries on 28 February). Years shown
in sentences are truncated to one decimal, so a figure never reads "4.0" while the
threshold of 4 is not met.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import IntEnum
from types import MappingProxyType
from typing import Literal, TypeAlias, TypeVar

__all__ = [
    "EDUCATION_KINDS",
    "MAX_RULE_YEARS",
    "ApprenticeshipDone",
    "CertificateFor",
    "Condition",
    "ConditionCheck",
    "Education",
    "EducationIn",
    "ExceptionalGround",
    "Facts",
    "HeldCertificate",
    "JsonValue",
    "Level",
    "MinAge",
    "MinOccupationYears",
    "ProfessionalTitle",
    "Relation",
    "RelationNeeded",
    "Requirement",
    "Result",
    "RuleSet",
    "RuleSetError",
    "TitleFor",
    "TitleGrade",
    "Verdict",
    "add_years",
    "describe",
    "evaluate",
    "from_json",
    "full_years_between",
    "to_json",
    "validate_json",
    "years_between",
]


class Level(IntEnum):
    """The five ordinary skill levels; a lower number is a higher level (一级 is the top)."""

    L1 = 1
    L2 = 2
    L3 = 3
    L4 = 4
    L5 = 5

    @property
    def label(self) -> str:
        """Full Chinese name, e.g. ``四级/中级工``."""
        return _LEVEL_LABELS[self.value]


_LEVEL_LABELS: dict[int, str] = {
    1: "一级/高级技师",
    2: "二级/技师",
    3: "三级/高级工",
    4: "四级/中级工",
    5: "五级/初级工",
    6: "学徒工",
    11: "特级技师",
    12: "首席技师",
}
# Height on the eight-level ladder (catalog.models.LEVEL_HEIGHT, repeated to stay Django-free):
# a person's record may hold 学徒工 (6) or the appointed 特级技师/首席技师 (11, 12).
_HEIGHT: dict[int, int] = {6: 0, 5: 1, 4: 2, 3: 3, 2: 4, 1: 5, 11: 6, 12: 7}

Relation = Literal["same", "related", "unknown", "unrelated"]
"""How a certificate's occupation, a major or a title relates to the applied occupation."""
RelationNeeded = Literal["any", "related", "same"]
"""What a requirement accepts: anything, 本…或相关…, or only 本….  ``unknown`` asks a person."""
EducationStatus = Literal["graduated", "graduated_or_current", "current"]
CertificateKind = Literal["qualification", "skill_level"]
TitleGrade = Literal["junior", "intermediate", "senior"]
YearsBasis = Literal["work", "held"]
Result = Literal["eligible", "ineligible", "confirm"]
Status = Literal["pass", "confirm", "fail"]

MAX_RULE_YEARS = 50
_MAX_STATED_YEARS = 1000.0  # caps the arithmetic only; Facts accepts any finite value >= 0

# Kinds of schooling named by the two national templates. 技工院校 programmes are told
# apart by class (中级工班/高级工班/预备技师班), because the 2023 text counts "高级工班及以上"
# whatever the school is called; a 高级技工学校 or 技师学院 graduate records the class finished.
EDUCATION_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "skilled_intermediate": "技工院校中级工班",
        "skilled_advanced": "技工院校高级工班",
        "skilled_technician": "技工院校预备技师（技师）班",
        "secondary_vocational": "中等职业学校",
        "higher_vocational": "高等职业学校",
        "junior_college": "大学专科",
        "bachelor": "大学本科",
        "master": "硕士研究生",
        "doctor": "博士研究生",
        "other": "其他学历",
    }
)

_GRADE_LABELS: dict[str, str] = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
_GRADE_HEIGHT: dict[str, int] = {"junior": 1, "intermediate": 2, "senior": 3}
_OCCUPATION_PHRASE: dict[str, str] = {"any": "", "related": "本职业或相关职业", "same": "本职业"}
_MAJOR_PHRASE: dict[str, str] = {"any": "", "related": "本专业或相关专业", "same": "本专业"}
_TITLE_PHRASE: dict[str, str] = {"any": "", "related": "符合专业对应关系的", "same": "与本职业专业对应的"}
_WORK = "从事本职业或相关职业工作"


# --- year arithmetic -------------------------------------------------------------


def _shift_years(d: date, n: int) -> date | None:
    """``d`` moved by ``n`` calendar years (29 February → 28 February), or None out of range."""
    year = d.year + n
    if not 1 <= year <= 9999:
        return None
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February into a common year
        return d.replace(year=year, day=28)


def add_years(d: date, n: int) -> date:
    """Return ``d`` moved by ``n`` calendar years; 29 February becomes 28 February in a common year."""
    moved = _shift_years(d, n)
    if moved is None:
        raise OverflowError(f"{d.isoformat()} + {n} years is outside the supported dates")
    return moved


def full_years_between(start: date, on: date) -> int:
    """Complete years from ``start`` to ``on``, both days counted (含): ``on >= start + N years``.

    A certificate issued 2021-06-30 has 4 full years on 2025-06-30 and 3 on 2025-06-29.
    Returns 0 when ``on`` is before ``start``.
    """
    return _tenths_between(start, on) // 10


def years_between(start: date, on: date) -> float:
    """Years from ``start`` to ``on`` truncated to one decimal, consistent with full_years_between."""
    return _tenths_between(start, on) / 10


def _tenths_between(start: date, on: date) -> int:
    if on < start:
        return 0
    k = on.year - start.year
    anniversary = _shift_years(start, k)
    if anniversary is None or anniversary > on:
        k -= 1
        anniversary = _shift_years(start, k)
    assert anniversary is not None  # start.year <= start.year + k <= on.year
    following = _shift_years(start, k + 1)
    span = (following - anniversary).days if following is not None else 365
    return k * 10 + ((on - anniversary).days * 10) // span


def _fmt(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}"


# --- the applicant's facts ---------------------------------------------------------


@dataclass(frozen=True)
class HeldCertificate:
    """A vocational-qualification or skill-level certificate the applicant holds."""

    level: int  # 1–5, or 6/11/12 on the eight-level ladder
    issued_on: date
    occupation_relation: Relation = "same"
    kind: CertificateKind = "skill_level"
    occupation: str = ""  # the certificate's occupation, only quoted in sentences


@dataclass(frozen=True)
class Education:
    """A diploma, or an enrolment as a current (应届) student when ``is_current_student``."""

    kind: str  # a key of EDUCATION_KINDS
    graduated_on: date | None = None  # None: no diploma yet
    major_relation: Relation = "same"
    is_current_student: bool = False
    # 经评估论证、以中级/高级技能为培养目标 (a programme assessed for skill training);
    # None means nobody has checked, which sends a condition that needs it to a person.
    assessed: bool | None = None
    major: str = ""


@dataclass(frozen=True)
class ProfessionalTitle:
    """A professional title (职称) or professional-technical qualification of a grade."""

    grade: TitleGrade
    obtained_on: date
    relation: Relation = "same"  # 专业对应关系 with the applied occupation
    name: str = ""


@dataclass(frozen=True)
class Facts:
    """What one applicant declared and proved, as plain data.

    ``occupation_years`` is the pledged (R3.3) years in this or a related occupation as of
    the reference date; when it is None, ``occupation_since`` (the start of that work)
    gives the years by the calendar. With neither, the years count as 0.
    """

    birth_date: date | None = None
    occupation_years: float | None = None
    occupation_since: date | None = None
    certificates: tuple[HeldCertificate, ...] = ()
    education: tuple[Education, ...] = ()
    apprenticeship_completed_on: date | None = None
    apprenticeship_relation: Relation = "same"
    titles: tuple[ProfessionalTitle, ...] = ()
    exceptional_grounds: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        y = self.occupation_years
        if y is not None and not (math.isfinite(y) and y >= 0):
            raise ValueError(f"occupation_years must be a finite number >= 0, got {y!r}")

    def plus_years(self, n: int) -> Facts:
        """The same applicant ``n`` years more experienced: every date ``n`` years earlier."""

        def back(d: date) -> date:
            moved = _shift_years(d, -n)
            if moved is None:
                return date.min if n > 0 else date.max
            return moved

        return replace(
            self,
            birth_date=None if self.birth_date is None else back(self.birth_date),
            occupation_years=None if self.occupation_years is None else max(0.0, self.occupation_years + n),
            occupation_since=None if self.occupation_since is None else back(self.occupation_since),
            certificates=tuple(replace(c, issued_on=back(c.issued_on)) for c in self.certificates),
            education=tuple(
                e if e.graduated_on is None else replace(e, graduated_on=back(e.graduated_on))
                for e in self.education
            ),
            apprenticeship_completed_on=(
                None if self.apprenticeship_completed_on is None else back(self.apprenticeship_completed_on)
            ),
            titles=tuple(replace(t, obtained_on=back(t.obtained_on)) for t in self.titles),
        )


# --- rule sets -------------------------------------------------------------------


@dataclass(frozen=True)
class MinOccupationYears:
    """累计从事本职业或相关职业工作 N 年（含）以上."""

    years: int


@dataclass(frozen=True)
class CertificateFor:
    """Holds a certificate of ``level`` (or higher) and, after it, ``years`` of work (``basis="work"``).

    With ``basis="held"`` the years only count since issue (e.g. 2023: 取得三级证书满2年的
    预备技师班学生); with ``"work"`` they are capped by the stated years in the occupation.
    """

    level: Level
    years: int = 0
    relation: RelationNeeded = "related"
    basis: YearsBasis = "work"
    or_higher: bool = True


@dataclass(frozen=True)
class EducationIn:
    """A diploma of one of ``kinds`` (or, per ``status``, current enrolment), in a related major."""

    kinds: tuple[str, ...]
    relation: RelationNeeded = "related"
    status: EducationStatus = "graduated_or_current"
    assessed: bool = False  # requires 经评估论证


@dataclass(frozen=True)
class MinAge:
    """年满 N 周岁."""

    years: int = 16


@dataclass(frozen=True)
class ApprenticeshipDone:
    """本职业或相关职业学徒期满."""

    relation: RelationNeeded = "related"


@dataclass(frozen=True)
class TitleFor:
    """Holds a professional title of ``grade`` (or higher) and, after it, ``years`` of work."""

    grade: TitleGrade
    years: int = 0
    relation: RelationNeeded = "related"
    or_higher: bool = True


@dataclass(frozen=True)
class ExceptionalGround:
    """破格: any one of the enterprise-defined grounds (a competition ranking, an award, a patent…)."""

    grounds: tuple[str, ...]


Requirement: TypeAlias = (
    MinOccupationYears
    | CertificateFor
    | EducationIn
    | MinAge
    | ApprenticeshipDone
    | TitleFor
    | ExceptionalGround
)


@dataclass(frozen=True)
class Condition:
    """One alternative for a level: every requirement must hold. ``label`` quotes the source text."""

    requires: tuple[Requirement, ...]
    label: str = ""

    @property
    def exceptional(self) -> bool:
        """Whether this is a 破格 condition (an application form marks it 破格申报)."""
        return any(isinstance(r, ExceptionalGround) for r in self.requires)

    def describe(self) -> str:
        """The label, or a sentence built from the requirements when there is none."""
        return self.label or "，且".join(describe(r) for r in self.requires) + "。"


@dataclass(frozen=True)
class RuleSet:
    """Named eligibility conditions per level; ``levels`` is read-only and ordered 五级 → 一级."""

    name: str
    levels: Mapping[Level, tuple[Condition, ...]] = field(hash=False)
    source: str = ""

    def __post_init__(self) -> None:
        ordered = sorted(((Level(k), tuple(v)) for k, v in self.levels.items()), reverse=True)
        object.__setattr__(self, "levels", MappingProxyType(dict(ordered)))


def describe(req: Requirement) -> str:
    """A Chinese phrase for one requirement, as a rule-set page shows it."""
    match req:
        case MinOccupationYears(years=n):
            return f"累计{_WORK} {n} 年（含）以上"
        case CertificateFor(level=lv, years=n, relation=rel, basis=basis, or_higher=hi):
            cert = f"{_OCCUPATION_PHRASE[rel]}{_level_label(lv)}{'及以上' if hi else ''}证书"
            if n == 0:
                return f"取得{cert}"
            if basis == "held":
                return f"取得{cert}满 {n} 年"
            return f"取得{cert}后累计{_WORK} {n} 年（含）以上"
        case EducationIn(kinds=kinds, relation=rel, status=status, assessed=assessed):
            return _education_phrase(kinds, rel, status, assessed)
        case MinAge(years=n):
            return f"年满 {n} 周岁"
        case ApprenticeshipDone(relation=rel):
            return f"{_OCCUPATION_PHRASE[rel]}学徒期满"
        case TitleFor(grade=g, years=n, relation=rel, or_higher=hi):
            title = f"{_TITLE_PHRASE[rel]}{_GRADE_LABELS[g]}{'及以上' if hi and g != 'senior' else ''}职称"
            return f"取得{title}" if n == 0 else f"取得{title}后累计{_WORK} {n} 年（含）以上"
        case ExceptionalGround(grounds=grounds):
            return f"具备下列破格情形之一：{'、'.join(grounds)}"
    raise TypeError(f"unknown requirement {req!r}")  # pragma: no cover


def _level_label(level: int) -> str:
    return _LEVEL_LABELS.get(level, f"{level}级")


def _education_phrase(kinds: tuple[str, ...], rel: str, status: str, assessed: bool) -> str:
    names = "、".join(EDUCATION_KINDS.get(k, k) for k in kinds)
    major = f"{_MAJOR_PHRASE[rel]}的" if _MAJOR_PHRASE[rel] else ""
    prefix = "经评估论证的" if assessed else ""
    if status == "current":
        return f"{major}{prefix}{names}在读学生"
    suffix = "（含在读应届毕业生）" if status == "graduated_or_current" else ""
    return f"取得{major}{prefix}{names}毕业证书{suffix}"


# --- evaluation ------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionCheck:
    """How one condition fared: its 1-based number, status and the sentences explaining it."""

    number: int
    condition: Condition
    status: Status
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """The answer for one applicant and level.

    ``matched`` is the satisfied condition when eligible, the first condition that a
    person's confirmation would satisfy when "confirm", else None. ``reasons`` are Chinese
    sentences with the computed figures; ``checks`` has the detail for every condition.
    """

    result: Result
    matched: Condition | None
    reasons: tuple[str, ...]
    checks: tuple[ConditionCheck, ...] = ()


@dataclass(frozen=True)
class _Check:
    status: Status
    reason: str
    weight: int = 0  # among failures, the larger weight is the more telling reason to show


_RANK: dict[str, int] = {"fail": 0, "confirm": 1, "pass": 2}
# Failure weights: a fact of the right kind that falls short (by the most years) explains
# more than one of the wrong relation, which explains more than one not yet obtained.
_NEAR, _WRONG, _LATER = 1000, 500, 100


def _relation_status(actual: Relation, needed: RelationNeeded) -> Status:
    """Strict answer for a known relation; ``unknown`` is "confirm" where 相关 would do."""
    if needed == "any" or actual == "same":
        return "pass"
    if needed == "same" or actual == "unrelated":
        return "fail"
    return "pass" if actual == "related" else "confirm"


def _years_check(what: str, tenths: int, n: int) -> _Check:
    if tenths >= 10 * n:
        return _Check("pass", f"{what} {_fmt(tenths)} 年，满 {n} 年")
    return _Check("fail", f"{what} {_fmt(tenths)} 年，不足 {n} 年", _NEAR + tenths)


def _occupation_tenths(facts: Facts, on: date) -> int | None:
    if facts.occupation_years is not None:
        return math.floor(min(facts.occupation_years, _MAX_STATED_YEARS) * 10 + 1e-6)
    if facts.occupation_since is not None:
        return _tenths_between(facts.occupation_since, on)
    return None


def _work_after(what: str, since: date, n: int, occupation: int | None, on: date) -> _Check:
    """Years of work after ``since``, never more than the years stated in the occupation."""
    held = _tenths_between(since, on)
    if occupation is None:
        return _Check(
            "fail", f"{what}已 {_fmt(held)} 年，但未填报{_WORK}的年限，按 0 年计，不足 {n} 年", _NEAR
        )
    if occupation < held:
        worked = _years_check(f"{what}后累计{_WORK}", occupation, n)
        if worked.status == "pass":
            return worked
        # The years after a certificate or title cannot exceed the years in the occupation.
        return _Check(
            "fail",
            f"{what}已 {_fmt(held)} 年，但{_WORK}仅 {_fmt(occupation)} 年，按 {_fmt(occupation)} 年计，不足 {n} 年",
            _NEAR + occupation,
        )
    return _years_check(f"{what}后累计{_WORK}", held, n)


def _best(checks: list[_Check], none_reason: str) -> _Check:
    if not checks:
        return _Check("fail", none_reason)
    return max(checks, key=lambda c: (_RANK[c.status], c.weight))  # ties: the first listed


def _check_held(
    held: list[tuple[str, date, Relation]],
    req: CertificateFor | TitleFor,
    on: date,
    occupation: int | None,
    words: tuple[str, str, str],
) -> list[_Check]:
    """Certificates or titles of a qualifying level, each as (name, date obtained, relation).

    ``words`` phrase the date ("发证日期"), a wrong relation and a question for a person,
    the last two with ``{name}`` in them.
    """
    date_word, wrong, question = words
    basis = req.basis if isinstance(req, CertificateFor) else "work"
    outcomes: list[_Check] = []
    for name, since, actual in held:
        if since > on:
            outcomes.append(_Check("fail", f"{name}的{date_word} {since} 晚于审核基准日 {on}", _LATER))
            continue
        relation = _relation_status(actual, req.relation)
        if relation == "fail":
            outcomes.append(_Check("fail", wrong.format(name=name), _WRONG))
            continue
        if req.years == 0:
            years = _Check("pass", f"已取得{name}")
        elif basis == "held":
            years = _years_check(f"取得{name}", _tenths_between(since, on), req.years)
        else:
            years = _work_after(f"取得{name}", since, req.years, occupation, on)
        if years.status == "fail" or relation == "pass":
            outcomes.append(years)
        else:
            outcomes.append(_Check("confirm", question.format(name=name)))
    return outcomes


def _check_certificate(req: CertificateFor, facts: Facts, on: date, occupation: int | None) -> _Check:
    need = _HEIGHT[req.level]
    held = [
        (
            f"{_level_label(c.level)}证书" + (f"（{c.occupation}）" if c.occupation else ""),
            c.issued_on,
            c.occupation_relation,
        )
        for c in facts.certificates
        if _HEIGHT.get(c.level, -1) == need or (req.or_higher and _HEIGHT.get(c.level, -1) > need)
    ]
    phrase = _OCCUPATION_PHRASE[req.relation]
    words = ("发证日期", f"所持{{name}}不属于{phrase}", f"{{name}}的职业是否属于{phrase}，需人工确认")
    wanted = f"{phrase}{_level_label(req.level)}{'及以上' if req.or_higher else ''}证书"
    return _best(_check_held(held, req, on, occupation, words), f"未取得{wanted}")


def _check_title(req: TitleFor, facts: Facts, on: date, occupation: int | None) -> _Check:
    need = _GRADE_HEIGHT[req.grade]
    held = [
        (f"{_GRADE_LABELS[t.grade]}职称" + (f"（{t.name}）" if t.name else ""), t.obtained_on, t.relation)
        for t in facts.titles
        if _GRADE_HEIGHT.get(t.grade, -1) == need or (req.or_higher and _GRADE_HEIGHT.get(t.grade, -1) > need)
    ]
    words = ("取得日期", "所持{name}不符合专业对应关系", "{name}是否符合专业对应关系，需人工确认")
    higher = "及以上" if req.or_higher and req.grade != "senior" else ""
    wanted = f"{_TITLE_PHRASE[req.relation]}{_GRADE_LABELS[req.grade]}{higher}职称"
    return _best(_check_held(held, req, on, occupation, words), f"未取得{wanted}")


def _check_education(req: EducationIn, facts: Facts, on: date) -> _Check:
    outcomes: list[_Check] = []
    for edu in facts.education:
        if edu.kind not in req.kinds:
            continue
        name = EDUCATION_KINDS.get(edu.kind, edu.kind)
        graduated = edu.graduated_on is not None and edu.graduated_on <= on
        if req.status == "graduated" and not graduated:
            when = f"（毕业日期 {edu.graduated_on}）" if edu.graduated_on is not None else ""
            outcomes.append(_Check("fail", f"{name}尚未毕业{when}，本条件要求已取得毕业证书", _LATER))
            continue
        if req.status == "current" and not edu.is_current_student:
            outcomes.append(_Check("fail", f"本条件要求{name}在读学生，申报人不在读", _LATER))
            continue
        if req.status == "graduated_or_current" and not (graduated or edu.is_current_student):
            outcomes.append(_Check("fail", f"{name}既未毕业也非在读应届毕业生", _LATER))
            continue
        major = f"所学专业「{edu.major}」" if edu.major else f"{name}所学专业"
        relation = _relation_status(edu.major_relation, req.relation)
        if relation == "fail":
            outcomes.append(_Check("fail", f"{major}不属于{_MAJOR_PHRASE[req.relation]}", _WRONG))
            continue
        questions: list[str] = []
        if relation == "confirm":
            questions.append(f"{major}是否属于{_MAJOR_PHRASE[req.relation]}")
        if req.assessed and edu.assessed is not True:
            if edu.assessed is False:
                outcomes.append(_Check("fail", f"{name}未经评估论证", _WRONG))
                continue
            questions.append(f"{name}是否经评估论证、以相应技能为培养目标")
        if questions:
            outcomes.append(_Check("confirm", "；".join(questions) + "，需人工确认"))
        else:
            state = "毕业" if graduated else "在读"
            outcomes.append(_Check("pass", f"{name}{state}" + (f"（{edu.major}）" if edu.major else "")))
    wanted = _education_phrase(req.kinds, req.relation, req.status, req.assessed)
    return _best(outcomes, f"非{wanted}" if req.status == "current" else f"未{wanted}")


def _check(req: Requirement, facts: Facts, on: date, occupation: int | None) -> _Check:
    match req:
        case MinOccupationYears(years=n):
            if occupation is None:
                if n == 0:
                    return _Check("pass", f"无需{_WORK}年限")
                return _Check("fail", f"未填报{_WORK}的年限，按 0 年计，不足 {n} 年")
            return _years_check(f"累计{_WORK}", occupation, n)
        case CertificateFor():
            return _check_certificate(req, facts, on, occupation)
        case EducationIn():
            return _check_education(req, facts, on)
        case MinAge(years=n):
            if facts.birth_date is None:
                return _Check("fail", "未填报出生日期")
            age = full_years_between(facts.birth_date, on)
            return _Check(
                "pass" if age >= n else "fail", f"现年 {age} 周岁，{'已满' if age >= n else '未满'} {n} 周岁"
            )
        case ApprenticeshipDone(relation=rel):
            done = facts.apprenticeship_completed_on
            if done is None or done > on:
                return _Check("fail", f"无{_OCCUPATION_PHRASE[rel]}学徒期满记录")
            relation = _relation_status(facts.apprenticeship_relation, rel)
            if relation == "fail":
                return _Check("fail", f"学徒所在职业不属于{_OCCUPATION_PHRASE[rel]}")
            if relation == "confirm":
                return _Check("confirm", f"学徒所在职业是否属于{_OCCUPATION_PHRASE[rel]}，需人工确认")
            return _Check("pass", f"已于 {done} 学徒期满")
        case TitleFor():
            return _check_title(req, facts, on, occupation)
        case ExceptionalGround(grounds=grounds):
            hits = [g for g in grounds if g in facts.exceptional_grounds]
            if hits:
                return _Check("pass", f"具备破格情形：{'、'.join(hits)}")
            return _Check("fail", f"不具备破格情形（{'、'.join(grounds)}之一）")
    raise TypeError(f"unknown requirement {req!r}")  # pragma: no cover


def _check_condition(
    number: int, cond: Condition, facts: Facts, on: date, occupation: int | None
) -> ConditionCheck:
    checks = [_check(r, facts, on, occupation) for r in cond.requires]
    failed = [c.reason for c in checks if c.status == "fail"]
    if failed or not checks:
        return ConditionCheck(number, cond, "fail", tuple(failed[:1]) or ("条件未列出任何要求",))
    confirm = [c.reason for c in checks if c.status == "confirm"]
    if confirm:
        return ConditionCheck(number, cond, "confirm", tuple(confirm))
    return ConditionCheck(number, cond, "pass", tuple(c.reason for c in checks))


def evaluate(rules: RuleSet, facts: Facts, level: Level, on: date) -> Verdict:
    """Whether ``facts`` meet some condition of ``rules`` for ``level`` on the reference date ``on``.

    Eligible when a condition holds on certain facts; "confirm" when none does but one
    would if every ``unknown`` relation (or unchecked 经评估论证) were confirmed; otherwise
    ineligible, with the first failing fact of every condition.
    """
    conditions = rules.levels.get(level, ())
    if not conditions:
        reason = f"规则集「{rules.name}」未规定{_level_label(int(level))}的申报条件"
        return Verdict("ineligible", None, (reason,))
    occupation = _occupation_tenths(facts, on)
    checks = tuple(_check_condition(i, c, facts, on, occupation) for i, c in enumerate(conditions, start=1))
    passed = [c for c in checks if c.status == "pass"]
    if passed:
        first = passed[0]
        return Verdict(
            "eligible",
            first.condition,
            (f"符合条件（{first.number}）：{'；'.join(first.reasons)}。",),
            checks,
        )
    failed = [f"条件（{c.number}）不符合：{c.reasons[0]}。" for c in checks if c.status == "fail"]
    pending = [c for c in checks if c.status == "confirm"]
    if pending:
        asks = [f"条件（{c.number}）待人工确认：{'；'.join(c.reasons)}。" for c in pending]
        return Verdict("confirm", pending[0].condition, (*asks, *failed), checks)
    return Verdict("ineligible", None, tuple(failed), checks)


# --- JSON ------------------------------------------------------------------------

JsonValue: TypeAlias = "dict[str, JsonValue] | list[JsonValue] | str | int | float | bool | None"

_SCHEMA_VERSION = 1
_MAX_NAME = 120  # EligibilityRuleSet.name
_MAX_SOURCE = 200  # EligibilityRuleSet.source
_MAX_LABEL = 500
_MAX_GROUND = 100
_T = TypeVar("_T")
_RELATIONS: dict[str, RelationNeeded] = {"any": "any", "related": "related", "same": "same"}
_STATUSES: dict[str, EducationStatus] = {
    "graduated": "graduated",
    "graduated_or_current": "graduated_or_current",
    "current": "current",
}
_BASES: dict[str, YearsBasis] = {"work": "work", "held": "held"}
_GRADES: dict[str, TitleGrade] = {"junior": "junior", "intermediate": "intermediate", "senior": "senior"}
# Per requirement type: (required fields, optional fields with defaults).
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "occupation_years": (("years",), ()),
    "certificate": (("level",), ("years", "relation", "basis", "or_higher")),
    "education": (("kinds",), ("relation", "status", "assessed")),
    "age": (("years",), ()),
    "apprenticeship": ((), ("relation",)),
    "title": (("grade",), ("years", "relation", "or_higher")),
    "exceptional": (("grounds",), ()),
}


class RuleSetError(ValueError):
    """Raised by from_json; ``errors`` are the Chinese messages validate_json returns."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("规则集有误：" + "；".join(errors))


def _requirement_json(req: Requirement) -> dict[str, JsonValue]:
    match req:
        case MinOccupationYears(years=n):
            return {"type": "occupation_years", "years": n}
        case CertificateFor():
            return {
                "type": "certificate",
                "level": int(req.level),
                "years": req.years,
                "relation": req.relation,
                "basis": req.basis,
                "or_higher": req.or_higher,
            }
        case EducationIn():
            kinds: list[JsonValue] = list(req.kinds)
            return {
                "type": "education",
                "kinds": kinds,
                "relation": req.relation,
                "status": req.status,
                "assessed": req.assessed,
            }
        case MinAge(years=n):
            return {"type": "age", "years": n}
        case ApprenticeshipDone(relation=rel):
            return {"type": "apprenticeship", "relation": rel}
        case TitleFor():
            return {
                "type": "title",
                "grade": req.grade,
                "years": req.years,
                "relation": req.relation,
                "or_higher": req.or_higher,
            }
        case ExceptionalGround(grounds=grounds):
            return {"type": "exceptional", "grounds": list(grounds)}
    raise TypeError(f"unknown requirement {req!r}")  # pragma: no cover


def to_json(rules: RuleSet) -> dict[str, JsonValue]:
    """The rule set as JSON-ready data; :func:`from_json` reverses it exactly."""
    levels: dict[str, JsonValue] = {}
    for level, conditions in rules.levels.items():
        items: list[JsonValue] = [
            {"label": c.label, "requires": [_requirement_json(r) for r in c.requires]} for c in conditions
        ]
        levels[str(int(level))] = {"conditions": items}
    return {"version": _SCHEMA_VERSION, "name": rules.name, "source": rules.source, "levels": levels}


class _Reader:
    """Parses rule-set JSON, collecting every error with its path instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def obj(
        self, value: object, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> bool:
        if not isinstance(value, dict):
            self.error(path, "须为对象（{…}）")
            return False
        ok = True
        for key in value:
            if key not in required and key not in optional:
                self.error(path, f"未知字段「{key}」")
                ok = False
        for key in required:
            if key not in value:
                self.error(path, f"缺少字段「{key}」")
                ok = False
        return ok

    def text(self, value: object, path: str, limit: int, *, blank: bool = True) -> str | None:
        if not isinstance(value, str):
            self.error(path, "须为文字")
            return None
        if not blank and not value.strip():
            self.error(path, "不能为空")
            return None
        if len(value) > limit:
            self.error(path, f"不能超过 {limit} 个字")
            return None
        return value

    def years(self, value: object, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RULE_YEARS:
            self.error(path, f"年限须为 0–{MAX_RULE_YEARS} 之间的整数")
            return None
        return value

    def choice(self, value: object, path: str, allowed: Mapping[str, _T], what: str) -> _T | None:
        if not isinstance(value, str) or value not in allowed:
            self.error(path, f"{what}须为 {'、'.join(allowed)} 之一")
            return None
        return allowed[value]

    def level(self, value: object, path: str) -> Level | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.error(path, "等级须为 1–5（一级至五级）")
            return None
        return Level(value)

    def flag(self, value: object, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.error(path, "须为 true 或 false")
            return None
        return value

    def strings(
        self, value: object, path: str, allowed: tuple[str, ...] | None, limit: int
    ) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.error(path, "须为非空列表")
            return None
        out: list[str] = []
        for i, item in enumerate(value):
            p = f"{path}[{i}]"
            if allowed is not None and (not isinstance(item, str) or item not in allowed):
                self.error(p, f"须为 {'、'.join(allowed)} 之一")
            elif allowed is None and (not isinstance(item, str) or not item.strip() or len(item) > limit):
                self.error(p, f"须为 1–{limit} 个字的文字")
            elif item in out:
                self.error(p, f"「{item}」重复")
            else:
                out.append(item)
        return tuple(out) if len(out) == len(value) else None

    def requirement(self, value: object, path: str) -> Requirement | None:
        if not isinstance(value, dict) or "type" not in value:
            self.error(path, "须为含「type」字段的对象")
            return None
        kind = value["type"]
        if not isinstance(kind, str) or kind not in _FIELDS:
            self.error(f"{path}.type", f"要求类型须为 {'、'.join(_FIELDS)} 之一")
            return None
        required, optional = _FIELDS[kind]
        if not self.obj(value, path, ("type", *required), optional):
            return None
        before = len(self.errors)
        v = value.get
        relation = (
            self.choice(v("relation", "related"), f"{path}.relation", _RELATIONS, "相关性要求") or "related"
        )
        checked_years = self.years(v("years", 0), f"{path}.years")
        years = checked_years or 0
        or_higher = self.flag(v("or_higher", True), f"{path}.or_higher") is not False
        result: Requirement
        match kind:
            case "occupation_years":
                result = MinOccupationYears(years)
            case "age":
                if checked_years == 0:
                    self.error(f"{path}.years", f"年龄须为 1–{MAX_RULE_YEARS} 之间的整数")
                result = MinAge(years)
            case "certificate":
                level = self.level(v("level"), f"{path}.level") or Level.L5
                basis = self.choice(v("basis", "work"), f"{path}.basis", _BASES, "年限计算方式") or "work"
                result = CertificateFor(level, years, relation, basis, or_higher)
            case "education":
                kinds = self.strings(v("kinds"), f"{path}.kinds", tuple(EDUCATION_KINDS), 0) or ()
                status = self.choice(
                    v("status", "graduated_or_current"), f"{path}.status", _STATUSES, "学历状态"
                )
                assessed = self.flag(v("assessed", False), f"{path}.assessed") is True
                result = EducationIn(kinds, relation, status or "graduated", assessed)
            case "apprenticeship":
                result = ApprenticeshipDone(relation)
            case "title":
                grade = self.choice(v("grade"), f"{path}.grade", _GRADES, "职称级别") or "junior"
                result = TitleFor(grade, years, relation, or_higher)
            case _:  # "exceptional"
                result = ExceptionalGround(
                    self.strings(v("grounds"), f"{path}.grounds", None, _MAX_GROUND) or ()
                )
        return result if len(self.errors) == before else None

    def condition(self, value: object, path: str) -> Condition | None:
        if not self.obj(value, path, ("requires",), ("label",)):
            return None
        assert isinstance(value, dict)
        label = self.text(value.get("label", ""), f"{path}.label", _MAX_LABEL)
        raw = value["requires"]
        if not isinstance(raw, list) or not raw:
            self.error(f"{path}.requires", "须为非空列表：条件至少包含一项要求")
            return None
        reqs = [self.requirement(r, f"{path}.requires[{i}]") for i, r in enumerate(raw)]
        if label is None or any(r is None for r in reqs):
            return None
        return Condition(tuple(r for r in reqs if r is not None), label)

    def ruleset(self, data: object) -> RuleSet | None:
        if not self.obj(data, "$", ("name", "levels"), ("version", "source")):
            return None
        assert isinstance(data, dict)
        if data.get("version", _SCHEMA_VERSION) != _SCHEMA_VERSION or isinstance(data.get("version"), bool):
            self.error("version", f"格式版本须为 {_SCHEMA_VERSION}")
        name = self.text(data["name"], "name", _MAX_NAME, blank=False)
        source = self.text(data.get("source", ""), "source", _MAX_SOURCE)
        raw_levels = data["levels"]
        if not isinstance(raw_levels, dict) or not raw_levels:
            self.error("levels", "须为非空对象：至少规定一个等级的申报条件")
            return None
        levels: dict[Level, tuple[Condition, ...]] = {}
        for key, body in raw_levels.items():
            path = f"levels.{key}"
            text = str(key)
            if isinstance(key, bool) or text not in {"1", "2", "3", "4", "5"}:
                self.error(path, "等级须为 1–5（一级至五级）")
                continue
            if Level(int(text)) in levels:
                self.error(path, "等级重复")
                continue
            if not self.obj(body, path, ("conditions",)):
                continue
            assert isinstance(body, dict)
            raw = body["conditions"]
            if not isinstance(raw, list) or not raw:
                self.error(f"{path}.conditions", "须为非空列表：每个等级至少一项条件")
                continue
            conds = [self.condition(c, f"{path}.conditions[{i}]") for i, c in enumerate(raw)]
            levels[Level(int(text))] = tuple(c for c in conds if c is not None)
        if self.errors or name is None or source is None:
            return None
        return RuleSet(name, levels, source)


def validate_json(data: object) -> list[str]:
    """Every problem in rule-set JSON as "path: 中文说明"; empty when :func:`from_json` will accept it."""
    reader = _Reader()
    reader.ruleset(data)
    return reader.errors


def from_json(data: object) -> RuleSet:
    """Build a RuleSet from JSON data; raise RuleSetError listing every problem."""
    reader = _Reader()
    rules = reader.ruleset(data)
    if rules is None:
        raise RuleSetError(reader.errors or ["规则集无法解析"])
    return rules
