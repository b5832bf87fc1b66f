"""Properties of the eligibility engine: calendar boundaries, every template condition, monotonicity, JSON."""

from __future__ import annotations

import copy
import json
import math
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillcert.catalog.eligibility import (
    EDUCATION_KINDS,
    ApprenticeshipDone,
    CertificateFor,
    Condition,
    Education,
    EducationIn,
    ExceptionalGround,
    Facts,
    HeldCertificate,
    JsonValue,
    Level,
    MinAge,
    MinOccupationYears,
    ProfessionalTitle,
    Relation,
    Requirement,
    RuleSet,
    RuleSetError,
    TitleFor,
    Verdict,
    add_years,
    describe,
    evaluate,
    from_json,
    full_years_between,
    to_json,
    validate_json,
    years_between,
)
from skillcert.catalog.ruletemplates import TEMPLATE_2018, TEMPLATE_2023, TEMPLATES

REF = date(2025, 6, 30)
ONE = timedelta(days=1)

ALL_CONDITIONS: dict[str, tuple[RuleSet, Level, int, Condition]] = {
    f"{key}-{int(level)}级-条件{n}": (rules, level, n, cond)
    for key, rules in TEMPLATES.items()
    for level, conds in rules.levels.items()
    for n, cond in enumerate(conds, start=1)
}


def _dated_years(req: Requirement) -> int:
    """The years a requirement counts back from the reference date (0 when it counts none)."""
    if isinstance(req, MinOccupationYears | CertificateFor | TitleFor | MinAge):
        return req.years
    return 0


def _dated(cond: Condition) -> bool:
    return any(_dated_years(r) > 0 for r in cond.requires)


def _has_relation(cond: Condition) -> bool:
    return any(
        isinstance(r, CertificateFor | EducationIn | ApprenticeshipDone | TitleFor)
        and r.relation == "related"
        for r in cond.requires
    )


def _since(on: date, years: int) -> date:
    """The start that reaches ``years`` exactly on ``on``; a month back when no years are counted."""
    return add_years(on, -years) if years else on - timedelta(days=30)


def satisfy(cond: Condition, on: date, *, drop: int | None = None, relation: Relation = "related") -> Facts:
    """The least an applicant needs for ``cond`` on ``on``: every counted period ends on its anniversary.

    ``drop`` leaves out the facts of one requirement; ``relation`` is what the applicant's
    certificates, majors, titles and apprenticeship are, wherever 本…或相关… is accepted.
    """
    facts = Facts()
    work_years = 0
    for i, req in enumerate(cond.requires):
        if i == drop:
            continue
        rel: Relation = relation
        match req:
            case MinOccupationYears(years=n):
                work_years = max(work_years, n)
            case CertificateFor():
                rel = "same" if req.relation == "same" else rel
                cert = HeldCertificate(int(req.level), _since(on, req.years), rel)
                facts = replace(facts, certificates=(*facts.certificates, cert))
                if req.basis == "work":
                    work_years = max(work_years, req.years)
            case EducationIn():
                rel = "same" if req.relation == "same" else rel
                current = req.status == "current"
                edu = Education(
                    kind=req.kinds[-1],
                    graduated_on=None if current else on - timedelta(days=30),
                    major_relation=rel,
                    is_current_student=current,
                    assessed=req.assessed,  # False where not required: it must not matter
                )
                facts = replace(facts, education=(*facts.education, edu))
            case MinAge(years=n):
                facts = replace(facts, birth_date=add_years(on, -n))
            case ApprenticeshipDone():
                rel = "same" if req.relation == "same" else rel
                facts = replace(facts, apprenticeship_completed_on=on - ONE, apprenticeship_relation=rel)
            case TitleFor():
                rel = "same" if req.relation == "same" else rel
                title = ProfessionalTitle(req.grade, _since(on, req.years), rel)
                facts = replace(facts, titles=(*facts.titles, title))
                work_years = max(work_years, req.years)
            case ExceptionalGround(grounds=grounds):
                facts = replace(facts, exceptional_grounds=frozenset(grounds[:1]))
    if work_years:
        facts = replace(facts, occupation_since=add_years(on, -work_years))
    return facts


def status_of(verdict: Verdict, n: int) -> str:
    return next(c.status for c in verdict.checks if c.number == n)


# --- strategies ----------------------------------------------------------------------

near_dates = st.dates(date(1960, 1, 1), date(2030, 12, 31))
relations = st.sampled_from(["same", "related", "unknown", "unrelated"])
certificates = st.builds(
    HeldCertificate,
    level=st.sampled_from([1, 2, 3, 4, 5, 6, 11, 12]),
    issued_on=near_dates,
    occupation_relation=relations,
    kind=st.sampled_from(["qualification", "skill_level"]),
)
educations = st.builds(
    Education,
    kind=st.sampled_from(list(EDUCATION_KINDS)),
    graduated_on=st.none() | near_dates,
    major_relation=relations,
    is_current_student=st.booleans(),
    assessed=st.none() | st.booleans(),
)
titles = st.builds(
    ProfessionalTitle,
    grade=st.sampled_from(["junior", "intermediate", "senior"]),
    obtained_on=near_dates,
    relation=relations,
)


def facts_strategy(dates: st.SearchStrategy[date] = near_dates) -> st.SearchStrategy[Facts]:
    return st.builds(
        Facts,
        birth_date=st.none() | dates,
        occupation_years=st.none() | st.floats(0, 45),
        occupation_since=st.none() | dates,
        certificates=st.lists(certificates, max_size=3).map(tuple),
        education=st.lists(educations, max_size=2).map(tuple),
        apprenticeship_completed_on=st.none() | dates,
        apprenticeship_relation=relations,
        titles=st.lists(titles, max_size=2).map(tuple),
        exceptional_grounds=st.frozensets(st.sampled_from(["省级技能大赛前三名", "发明专利"])),
    )


rel_needed = st.sampled_from(["any", "related", "same"])
rule_years = st.integers(0, 50)
grounds_text = st.text(min_size=1, max_size=100).filter(str.strip)
requirements: st.SearchStrategy[Requirement] = st.one_of(
    st.builds(MinOccupationYears, rule_years),
    st.builds(
        CertificateFor,
        st.sampled_from(list(Level)),
        rule_years,
        rel_needed,
        st.sampled_from(["work", "held"]),
        st.booleans(),
    ),
    st.builds(
        EducationIn,
        st.lists(st.sampled_from(list(EDUCATION_KINDS)), min_size=1, max_size=4, unique=True).map(tuple),
        rel_needed,
        st.sampled_from(["graduated", "graduated_or_current", "current"]),
        st.booleans(),
    ),
    st.builds(MinAge, st.integers(1, 50)),
    st.builds(ApprenticeshipDone, rel_needed),
    st.builds(
        TitleFor, st.sampled_from(["junior", "intermediate", "senior"]), rule_years, rel_needed, st.booleans()
    ),
    st.builds(ExceptionalGround, st.lists(grounds_text, min_size=1, max_size=3, unique=True).map(tuple)),
)
conditions = st.builds(
    Condition, st.lists(requirements, min_size=1, max_size=4).map(tuple), st.text(max_size=60)
)
rulesets = st.builds(
    RuleSet,
    name=st.text(min_size=1, max_size=120).filter(str.strip),
    levels=st.dictionaries(
        st.sampled_from(list(Level)), st.lists(conditions, min_size=1, max_size=3).map(tuple), min_size=1
    ),
    source=st.text(max_size=200),
)
levels = st.sampled_from(list(Level))
templates = st.sampled_from([TEMPLATE_2018, TEMPLATE_2023])
json_garbage = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


# --- year arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "on", "years", "shown"),
    [
        (date(2021, 6, 30), date(2025, 6, 30), 4, 4.0),  # the issue's own example: 含 both ends
        (date(2021, 6, 30), date(2025, 6, 29), 3, 3.9),
        (date(2021, 7, 1), date(2025, 6, 30), 3, 3.9),
        (date(2020, 2, 29), date(2021, 2, 28), 1, 1.0),  # 29 February: anniversary on 28 February
        (date(2020, 2, 29), date(2021, 2, 27), 0, 0.9),
        (date(2020, 2, 29), date(2024, 2, 28), 3, 3.9),  # a leap year has its own 29 February
        (date(2020, 2, 29), date(2024, 2, 29), 4, 4.0),
        (date(2025, 6, 30), date(2025, 6, 30), 0, 0.0),
        (date(2025, 7, 1), date(2025, 6, 30), 0, 0.0),  # not yet: never negative
    ],
)
def test_full_years_between_examples(start: date, on: date, years: int, shown: float) -> None:
    assert full_years_between(start, on) == years
    assert years_between(start, on) == shown


@given(st.dates(), st.integers(0, 80))
def test_the_anniversary_is_the_boundary(start: date, n: int) -> None:
    try:
        on = add_years(start, n)
    except OverflowError:
        return
    assert full_years_between(start, on) == n
    if n >= 1:
        assert full_years_between(start, on - ONE) == n - 1
        assert years_between(start, on - ONE) < n


@given(st.dates(), st.dates(), st.dates())
def test_displayed_years_agree_with_full_years_and_grow(start: date, a: date, b: date) -> None:
    a, b = min(a, b), max(a, b)
    shown = years_between(start, a)
    assert math.floor(shown) == full_years_between(start, a)
    assert shown <= years_between(start, b)
    assert full_years_between(start, a) <= full_years_between(start, b)


def reasons_of(verdict: Verdict, n: int) -> str:
    return " ".join(next(c.reasons for c in verdict.checks if c.number == n))


@given(
    issued=st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    key=st.sampled_from(list(TEMPLATES)),
    level=st.sampled_from([Level.L4, Level.L3, Level.L2, Level.L1]),
    spare=st.floats(0, 40),
)
def test_a_certificate_counts_from_its_anniversary(
    issued: date, key: str, level: Level, spare: float
) -> None:
    # The plain "certificate, then N years" condition of the level, with years in the occupation to spare.
    rules = TEMPLATES[key]
    n, cond = next(
        (n, c)
        for n, c in enumerate(rules.levels[level], start=1)
        if len(c.requires) == 1 and isinstance(c.requires[0], CertificateFor) and c.requires[0].years
    )
    req = cond.requires[0]
    assert isinstance(req, CertificateFor)
    facts = Facts(occupation_years=req.years + spare, certificates=(HeldCertificate(int(req.level), issued),))
    anniversary = add_years(issued, req.years)
    on_time = evaluate(rules, facts, level, anniversary)
    assert status_of(on_time, n) == "pass"
    assert f"{req.years}.0 年，满 {req.years} 年" in reasons_of(on_time, n)
    early = evaluate(rules, facts, level, anniversary - ONE)
    assert status_of(early, n) == "fail"
    assert f"{req.years - 1}.9 年，不足 {req.years} 年" in reasons_of(early, n)


# --- every condition of both templates -----------------------------------------------


@pytest.mark.parametrize("key", ALL_CONDITIONS)
@given(on=st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_every_condition_is_met_by_its_facts(key: str, on: date) -> None:
    rules, level, n, cond = ALL_CONDITIONS[key]
    verdict = evaluate(rules, satisfy(cond, on), level, on)
    assert status_of(verdict, n) == "pass"
    assert verdict.result == "eligible"
    assert verdict.matched is not None


@pytest.mark.parametrize("key", ALL_CONDITIONS)
def test_every_requirement_of_every_condition_is_needed(key: str) -> None:
    rules, level, n, cond = ALL_CONDITIONS[key]
    for i in range(len(cond.requires)):
        verdict = evaluate(rules, satisfy(cond, REF, drop=i), level, REF)
        assert status_of(verdict, n) == "fail", (i, verdict.reasons)


DATED = {k: v for k, v in ALL_CONDITIONS.items() if _dated(v[3])}


# The satisfier counts back from ``on``; from 29 February that lands on 28 February, whose
# anniversary in a leap year is 28 February too, so the day before 29 February still passes.
not_leap_days = st.dates(date(2000, 1, 1), date(2040, 12, 31)).filter(lambda d: (d.month, d.day) != (2, 29))


@pytest.mark.parametrize("key", DATED)
@given(on=not_leap_days)
def test_the_day_before_the_anniversary_fails(key: str, on: date) -> None:
    rules, level, n, cond = ALL_CONDITIONS[key]
    facts = satisfy(cond, on)
    assert status_of(evaluate(rules, facts, level, on), n) == "pass"
    before = evaluate(rules, facts, level, on - ONE)
    assert status_of(before, n) == "fail"
    reason = next(c.reasons[0] for c in before.checks if c.number == n)
    assert "不足" in reason or "未满" in reason


RELATED = {k: v for k, v in ALL_CONDITIONS.items() if _has_relation(v[3])}


@pytest.mark.parametrize("key", RELATED)
def test_unknown_relations_ask_a_person_and_unrelated_ones_fail(key: str) -> None:
    rules, level, n, cond = ALL_CONDITIONS[key]
    unknown = evaluate(rules, satisfy(cond, REF, relation="unknown"), level, REF)
    assert status_of(unknown, n) == "confirm"
    assert unknown.result in ("confirm", "eligible")
    assert any("需人工确认" in r for r in unknown.reasons) or unknown.result == "eligible"
    unrelated = evaluate(rules, satisfy(cond, REF, relation="unrelated"), level, REF)
    assert status_of(unrelated, n) == "fail"


def test_template_shapes() -> None:
    assert [len(TEMPLATE_2018.levels[lv]) for lv in Level] == [1, 3, 4, 4, 2]
    assert [len(TEMPLATE_2023.levels[lv]) for lv in Level] == [3, 5, 6, 3, 1]
    assert list(TEMPLATE_2018.levels) == [Level.L5, Level.L4, Level.L3, Level.L2, Level.L1]
    for rules in TEMPLATES.values():
        for conds in rules.levels.values():
            for cond in conds:
                assert cond.label.endswith("。")
                assert not cond.exceptional
                assert all(describe(r) for r in cond.requires)


# --- monotonicity ------------------------------------------------------------------------

ORDER = {"ineligible": 0, "confirm": 1, "eligible": 2}


@given(facts=facts_strategy(), extra=st.integers(1, 10), rules=templates, level=levels)
def test_more_years_never_hurts(facts: Facts, extra: int, rules: RuleSet, level: Level) -> None:
    before = evaluate(rules, facts, level, REF)
    after = evaluate(rules, facts.plus_years(extra), level, REF)
    assert ORDER[after.result] >= ORDER[before.result], (before.reasons, after.reasons)


@given(facts=facts_strategy(), days=st.integers(1, 4000), rules=templates, level=levels)
def test_a_later_reference_date_never_hurts(facts: Facts, days: int, rules: RuleSet, level: Level) -> None:
    before = evaluate(rules, facts, level, REF)
    after = evaluate(rules, facts, level, REF + timedelta(days=days))
    assert ORDER[after.result] >= ORDER[before.result], (before.reasons, after.reasons)


@given(
    facts=facts_strategy().filter(lambda f: bool(f.certificates)),
    which=st.integers(0, 2),
    days=st.integers(1, 4000),
    rules=templates,
    level=levels,
)
def test_an_earlier_certificate_never_hurts(
    facts: Facts, which: int, days: int, rules: RuleSet, level: Level
) -> None:
    i = which % len(facts.certificates)
    certs = list(facts.certificates)
    certs[i] = replace(certs[i], issued_on=certs[i].issued_on - timedelta(days=days))
    before = evaluate(rules, facts, level, REF)
    after = evaluate(rules, replace(facts, certificates=tuple(certs)), level, REF)
    assert ORDER[after.result] >= ORDER[before.result]


@given(facts=facts_strategy(), more=facts_strategy(), rules=templates, level=levels)
def test_more_facts_never_hurt(facts: Facts, more: Facts, rules: RuleSet, level: Level) -> None:
    richer = replace(
        facts,
        certificates=facts.certificates + more.certificates,
        education=facts.education + more.education,
        titles=facts.titles + more.titles,
        exceptional_grounds=facts.exceptional_grounds | more.exceptional_grounds,
    )
    before = evaluate(rules, facts, level, REF)
    after = evaluate(rules, richer, level, REF)
    assert ORDER[after.result] >= ORDER[before.result]


# --- robustness ------------------------------------------------------------------------


def _check_verdict(rules: RuleSet, level: Level, verdict: Verdict) -> None:
    assert verdict.reasons
    assert all(isinstance(r, str) and r for r in verdict.reasons)
    conds = rules.levels.get(level, ())
    if verdict.result == "ineligible":
        assert verdict.matched is None
    else:
        assert verdict.matched in conds
    assert (verdict.result == "eligible") == any(c.status == "pass" for c in verdict.checks)


@given(facts=facts_strategy(st.dates()), rules=rulesets | templates, level=levels, on=st.dates())
def test_evaluate_never_raises(facts: Facts, rules: RuleSet, level: Level, on: date) -> None:
    _check_verdict(rules, level, evaluate(rules, facts, level, on))
    try:
        older = facts.plus_years(5)
    except ValueError:  # pragma: no cover - plus_years clamps instead of failing
        pytest.fail("plus_years raised")
    _check_verdict(rules, level, evaluate(rules, older, level, on))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -0.5])
def test_facts_reject_impossible_years(bad: float) -> None:
    with pytest.raises(ValueError, match="occupation_years"):
        Facts(occupation_years=bad)


def test_level_without_conditions_is_ineligible_with_a_reason() -> None:
    rules = RuleSet("只设五级", {Level.L5: TEMPLATE_2018.levels[Level.L5]})
    verdict = evaluate(rules, Facts(occupation_years=30), Level.L1, REF)
    assert verdict.result == "ineligible"
    assert verdict.reasons == ("规则集「只设五级」未规定一级/高级技师的申报条件",)


def test_stated_years_take_precedence_and_missing_years_count_as_zero() -> None:
    cond = (Condition((CertificateFor(Level.L5, 4),)),)
    rules = RuleSet("t", {Level.L4: cond})
    cert = HeldCertificate(5, date(2020, 1, 1))
    missing = evaluate(rules, Facts(certificates=(cert,)), Level.L4, REF)
    assert missing.result == "ineligible"
    assert "未填报从事本职业或相关职业工作的年限，按 0 年计" in missing.reasons[0]
    by_date = Facts(certificates=(cert,), occupation_since=date(2019, 1, 1))
    assert evaluate(rules, by_date, Level.L4, REF).result == "eligible"
    stated = replace(by_date, occupation_years=3.5)
    assert evaluate(rules, stated, Level.L4, REF).result == "ineligible"


def test_exceptional_grounds_are_enterprise_defined() -> None:
    grounds = ("省级一类职业技能大赛前三名", "获得国家发明专利并转化应用")
    exceptional = Condition(
        (ExceptionalGround(grounds), MinOccupationYears(2)),
        "破格：获省级一类大赛前三名或发明专利转化应用，且从事本职业2年以上。",
    )
    rules = RuleSet("企业规则", {Level.L3: (*TEMPLATE_2023.levels[Level.L3], exceptional)})
    assert exceptional.exceptional
    facts = Facts(occupation_years=2.5, exceptional_grounds=frozenset({"获得国家发明专利并转化应用"}))
    verdict = evaluate(rules, facts, Level.L3, REF)
    assert verdict.result == "eligible"
    assert verdict.matched is exceptional
    assert "具备破格情形：获得国家发明专利并转化应用" in verdict.reasons[0]
    none = evaluate(rules, replace(facts, exceptional_grounds=frozenset()), Level.L3, REF)
    assert none.result == "ineligible"
    assert (
        "条件（7）不符合：不具备破格情形（省级一类职业技能大赛前三名、获得国家发明专利并转化应用之一）。"
        in (none.reasons)
    )


def test_an_empty_condition_never_makes_anyone_eligible() -> None:
    rules = RuleSet("空", {Level.L5: (Condition(()),)})
    assert evaluate(rules, Facts(occupation_years=40), Level.L5, REF).result == "ineligible"


def test_plus_years_moves_every_date() -> None:
    facts = Facts(
        birth_date=date(2000, 2, 29),
        occupation_years=1.5,
        certificates=(HeldCertificate(5, date(2024, 2, 29)),),
        education=(
            Education("bachelor", date(2022, 7, 1)),
            Education("master", None, is_current_student=True),
        ),
        titles=(ProfessionalTitle("junior", date(2023, 1, 1)),),
        apprenticeship_completed_on=date(2024, 3, 1),
    )
    older = facts.plus_years(1)
    assert older.birth_date == date(1999, 2, 28)
    assert older.occupation_years == 2.5
    assert older.certificates[0].issued_on == date(2023, 2, 28)
    assert older.education[0].graduated_on == date(2021, 7, 1)
    assert older.education[1] == facts.education[1]
    assert older.titles[0].obtained_on == date(2022, 1, 1)
    assert older.apprenticeship_completed_on == date(2023, 3, 1)


def test_level_labels() -> None:
    assert [lv.label for lv in Level] == [
        "一级/高级技师",
        "二级/技师",
        "三级/高级工",
        "四级/中级工",
        "五级/初级工",
    ]


def test_the_module_is_pure() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    code = (
        "import sys; import skillcert.catalog.eligibility, skillcert.catalog.ruletemplates; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert subprocess.run([sys.executable, "-c", code], env=env, check=False).returncode == 0


# --- JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", TEMPLATES)
def test_templates_round_trip_through_json_text(key: str) -> None:
    rules = TEMPLATES[key]
    data = to_json(rules)
    assert validate_json(data) == []
    assert from_json(data) == rules
    assert from_json(json.loads(json.dumps(data, ensure_ascii=False))) == rules
    assert to_json(from_json(data)) == data


@given(rules=rulesets)
def test_generated_rule_sets_round_trip(rules: RuleSet) -> None:
    data = to_json(rules)
    assert validate_json(data) == []
    assert from_json(json.loads(json.dumps(data))) == rules


def test_defaults_may_be_left_out() -> None:
    data: JsonValue = {
        "name": "最简",
        "levels": {"5": {"conditions": [{"requires": [{"type": "certificate", "level": 5}]}]}},
    }
    rules = from_json(data)
    assert rules.levels[Level.L5] == (Condition((CertificateFor(Level.L5),)),)
    assert rules.source == ""


def _template_json() -> dict[str, JsonValue]:
    return copy.deepcopy(to_json(TEMPLATE_2018))


def _set(data: dict[str, JsonValue], path: tuple[str | int, ...], value: JsonValue) -> None:
    node: JsonValue = data
    for step in path[:-1]:
        node = node[step]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (
            ("levels", "4", "conditions", 1, "requires", 0, "years"),
            60,
            "levels.4.conditions[1].requires[0].years: 年限须为 0–50 之间的整数",
        ),
        (("levels", "4", "conditions", 1, "requires", 0, "years"), 2.5, "年限须为 0–50 之间的整数"),
        (("levels", "4", "conditions", 1, "requires", 0, "years"), True, "年限须为 0–50 之间的整数"),
        (
            ("levels", "4", "conditions", 0, "requires", 0, "level"),
            6,
            "levels.4.conditions[0].requires[0].level: 等级须为",
        ),
        (
            ("levels", "4", "conditions", 0, "requires", 0, "relation"),
            "similar",
            "相关性要求须为 any、related、same 之一",
        ),
        (("levels", "4", "conditions", 0, "requires", 0, "type"), "degree", "requires[0].type: 要求类型须为"),
        (
            ("levels", "4", "conditions", 0, "requires", 0, "yaers"),
            4,
            "levels.4.conditions[0].requires[0]: 未知字段「yaers」",
        ),
        (("levels", "4", "conditions", 2, "requires", 0, "kinds"), ["bachelor", "mba"], "kinds[1]: 须为"),
        (
            ("levels", "4", "conditions", 2, "requires", 0, "kinds"),
            ["bachelor", "bachelor"],
            "kinds[1]: 「bachelor」重复",
        ),
        (("levels", "4", "conditions", 2, "requires", 0, "kinds"), [], "kinds: 须为非空列表"),
        (("levels", "4", "conditions", 2, "requires", 0, "status"), "alumni", "学历状态须为"),
        (("levels", "4", "conditions", 2, "requires", 0, "assessed"), "yes", "assessed: 须为 true 或 false"),
        (("levels", "4", "conditions", 0, "requires"), [], "levels.4.conditions[0].requires: 须为非空列表"),
        (("levels", "4", "conditions", 0, "label"), 7, "levels.4.conditions[0].label: 须为文字"),
        (("levels", "4", "conditions", 0, "label"), "长" * 501, "不能超过 500 个字"),
        (("levels", "4", "conditions"), [], "levels.4.conditions: 须为非空列表"),
        (("levels", "4"), [], "levels.4: 须为对象"),
        (("levels", "6"), {"conditions": []}, "levels.6: 等级须为 1–5"),
        (("levels",), {}, "levels: 须为非空对象"),
        (("name",), "  ", "name: 不能为空"),
        (("source",), "依" * 201, "source: 不能超过 200 个字"),
        (("version",), 2, "version: 格式版本须为 1"),
        (("extra",), 1, "$: 未知字段「extra」"),
    ],
)
def test_validate_json_names_the_path(path: tuple[str | int, ...], value: JsonValue, error: str) -> None:
    data = _template_json()
    _set(data, path, value)
    errors = validate_json(data)
    assert any(error in e for e in errors), errors
    with pytest.raises(RuleSetError) as exc_info:
        from_json(data)
    assert exc_info.value.errors == errors


def test_validate_json_reports_every_error_at_once() -> None:
    data = _template_json()
    _set(data, ("levels", "4", "conditions", 1, "requires", 0, "years"), -1)
    _set(data, ("levels", "2", "conditions", 0, "requires", 0, "level"), "三级")
    _set(data, ("name",), "")
    assert len(validate_json(data)) == 3


def test_exceptional_and_title_and_age_fields_are_checked() -> None:
    base: dict[str, JsonValue] = {"name": "x", "levels": {"3": {"conditions": [{"requires": []}]}}}
    cases: list[tuple[JsonValue, str]] = [
        ({"type": "exceptional", "grounds": ["大赛", "大赛"]}, "grounds[1]: 「大赛」重复"),
        ({"type": "exceptional", "grounds": [""]}, "grounds[0]: 须为 1–100 个字的文字"),
        ({"type": "title", "grade": "chief"}, "grade: 职称级别须为 junior、intermediate、senior 之一"),
        ({"type": "age", "years": 0}, "years: 年龄须为 1–50 之间的整数"),
        ({"type": "age"}, "缺少字段「years」"),
        ({"type": "certificate", "level": 4, "basis": "issued"}, "basis: 年限计算方式须为 work、held 之一"),
        ("certificate", "requires[0]: 须为含「type」字段的对象"),
    ]
    for req, error in cases:
        data = copy.deepcopy(base)
        _set(data, ("levels", "3", "conditions", 0, "requires"), [req])
        assert any(error in e for e in validate_json(data)), (req, validate_json(data))


@given(json_garbage)
def test_validate_json_never_raises_on_garbage(data: JsonValue) -> None:
    errors = validate_json(data)
    assert isinstance(errors, list)
    assert all(isinstance(e, str) for e in errors)
    if errors:
        with pytest.raises(RuleSetError):
            from_json(data)
    else:
        assert to_json(from_json(data)) is not None


def _paths(node: JsonValue, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out: list[tuple[str | int, ...]] = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


TEMPLATE_PATHS = _paths(to_json(TEMPLATE_2018))


@given(path=st.sampled_from(TEMPLATE_PATHS), value=json_garbage)
def test_validate_json_never_raises_on_damaged_templates(
    path: tuple[str | int, ...], value: JsonValue
) -> None:
    data = _template_json()
    _set(data, path, value)
    errors = validate_json(data)
    if errors:
        with pytest.raises(RuleSetError):
            from_json(data)
    else:
        from_json(data)
