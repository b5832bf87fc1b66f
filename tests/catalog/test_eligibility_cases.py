"""Cases written from the 申报条件 of the 2018 and 2023 national templates, with their explanations.

Every case is checked on the reference date 2025-06-30 unless it says otherwise. ``number``
is the position (from 1) of the matched condition in the level's list, which is how the
explanation names conditions; where the source joins two branches with 或 in one clause,
each branch is its own condition, so 2018 positions can run one ahead of the clause numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from skillcert.catalog.eligibility import (
    Education,
    Facts,
    HeldCertificate,
    Level,
    ProfessionalTitle,
    Relation,
    TitleGrade,
    evaluate,
)
from skillcert.catalog.ruletemplates import TEMPLATES

REF = date(2025, 6, 30)
L5, L4, L3, L2, L1 = Level.L5, Level.L4, Level.L3, Level.L2, Level.L1


def d(text: str) -> date:
    return date.fromisoformat(text)


def cert(level: int, issued: str, relation: Relation = "same", occupation: str = "") -> HeldCertificate:
    return HeldCertificate(
        level=level, issued_on=d(issued), occupation_relation=relation, occupation=occupation
    )


def edu(
    kind: str,
    graduated: str | None = None,
    *,
    relation: Relation = "same",
    current: bool = False,
    assessed: bool | None = None,
    major: str = "",
) -> Education:
    return Education(
        kind=kind,
        graduated_on=None if graduated is None else d(graduated),
        major_relation=relation,
        is_current_student=current,
        assessed=assessed,
        major=major,
    )


def title(grade: TitleGrade, obtained: str, relation: Relation = "same") -> ProfessionalTitle:
    return ProfessionalTitle(grade=grade, obtained_on=d(obtained), relation=relation)


@dataclass(frozen=True)
class Case:
    template: str
    level: Level
    facts: Facts
    result: str
    phrase: str
    number: int = 0  # position of the matched condition (eligible or confirm)
    on: date = REF


CASES: dict[str, Case] = {
    # --- 2018 五级/初级工 -----------------------------------------------------------
    "2018-五级-工作满1年": Case("2018", L5, Facts(occupation_years=1), "eligible", "工作 1.0 年，满 1 年", 1),
    "2018-五级-工作0.9年": Case(
        "2018",
        L5,
        Facts(occupation_years=0.9),
        "ineligible",
        "累计从事本职业或相关职业工作 0.9 年，不足 1 年",
    ),
    "2018-五级-参加工作满1年（含当日）": Case(
        "2018", L5, Facts(occupation_since=d("2024-06-30")), "eligible", "1.0 年，满 1 年", 1
    ),
    "2018-五级-参加工作差一天1年": Case(
        "2018", L5, Facts(occupation_since=d("2024-07-01")), "ineligible", "0.9 年，不足 1 年"
    ),
    "2018-五级-学徒期满": Case(
        "2018",
        L5,
        Facts(occupation_years=0.5, apprenticeship_completed_on=d("2025-01-15")),
        "eligible",
        "已于 2025-01-15 学徒期满",
        2,
    ),
    "2018-五级-学徒职业待确认": Case(
        "2018",
        L5,
        Facts(
            occupation_years=0.5,
            apprenticeship_completed_on=d("2025-01-15"),
            apprenticeship_relation="unknown",
        ),
        "confirm",
        "学徒所在职业是否属于本职业或相关职业，需人工确认",
        2,
    ),
    # --- 2018 四级/中级工 -----------------------------------------------------------
    "2018-四级-五级证书满4年": Case(
        "2018",
        L4,
        Facts(occupation_years=5, certificates=(cert(5, "2021-06-30"),)),
        "eligible",
        "4.0 年，满 4 年",
        1,
    ),
    "2018-四级-五级证书3年11个月": Case(
        "2018",
        L4,
        Facts(occupation_years=5, certificates=(cert(5, "2021-07-31"),)),
        "ineligible",
        "取得五级/初级工证书后累计从事本职业或相关职业工作 3.9 年，不足 4 年",
    ),
    "2018-四级-证书后年限不超过工作年限": Case(
        "2018",
        L4,
        Facts(occupation_years=3.6, certificates=(cert(5, "2019-01-01"),)),
        "ineligible",
        "取得五级/初级工证书已 6.4 年，但从事本职业或相关职业工作仅 3.6 年",
    ),
    "2018-四级-工作满6年": Case("2018", L4, Facts(occupation_years=6), "eligible", "工作 6.0 年，满 6 年", 2),
    "2018-四级-工作5.9年": Case(
        "2018", L4, Facts(occupation_years=5.9), "ineligible", "工作 5.9 年，不足 6 年"
    ),
    "2018-四级-技工学校毕业": Case(
        "2018",
        L4,
        Facts(education=(edu("skilled_intermediate", "2024-07-01", major="数控加工"),)),
        "eligible",
        "技工院校中级工班毕业（数控加工）",
        3,
    ),
    "2018-四级-技工学校在校应届毕业生": Case(
        "2018",
        L4,
        Facts(education=(edu("skilled_intermediate", current=True),)),
        "eligible",
        "技工院校中级工班在读",
        3,
    ),
    "2018-四级-技工学校专业相关性待确认": Case(
        "2018",
        L4,
        Facts(education=(edu("skilled_intermediate", "2024-07-01", relation="unknown", major="汽车维修"),)),
        "confirm",
        "所学专业「汽车维修」是否属于本专业或相关专业，需人工确认",
        3,
    ),
    "2018-四级-中职经评估论证": Case(
        "2018",
        L4,
        Facts(education=(edu("secondary_vocational", "2024-07-01", assessed=True),)),
        "eligible",
        "中等职业学校毕业",
        4,
    ),
    "2018-四级-中职是否经评估论证待确认": Case(
        "2018",
        L4,
        Facts(education=(edu("secondary_vocational", "2024-07-01"),)),
        "confirm",
        "中等职业学校是否经评估论证、以相应技能为培养目标，需人工确认",
        4,
    ),
    "2018-四级-中职未经评估论证": Case(
        "2018",
        L4,
        Facts(occupation_years=2, education=(edu("secondary_vocational", "2023-07-01", assessed=False),)),
        "ineligible",
        "中等职业学校未经评估论证",
    ),
    "2018-四级-五级证书职业无关": Case(
        "2018",
        L4,
        Facts(occupation_years=5, certificates=(cert(5, "2019-01-01", "unrelated", "中式烹调师"),)),
        "ineligible",
        "所持五级/初级工证书（中式烹调师）不属于本职业或相关职业",
    ),
    "2018-四级-五级证书职业相关性待确认": Case(
        "2018",
        L4,
        Facts(occupation_years=5.5, certificates=(cert(5, "2020-01-01", "unknown", "钳工"),)),
        "confirm",
        "五级/初级工证书（钳工）的职业是否属于本职业或相关职业，需人工确认",
        1,
    ),
    # --- 2018 三级/高级工 -----------------------------------------------------------
    "2018-三级-四级证书满5年": Case(
        "2018",
        L3,
        Facts(occupation_years=10, certificates=(cert(4, "2020-06-30"),)),
        "eligible",
        "满 5 年",
        1,
    ),
    "2018-三级-四级证书4年11个月": Case(
        "2018",
        L3,
        Facts(occupation_years=10, certificates=(cert(4, "2020-07-31"),)),
        "ineligible",
        "取得四级/中级工证书后累计从事本职业或相关职业工作 4.9 年，不足 5 年",
    ),
    "2018-三级-四级证书加技师学院高级工班": Case(
        "2018",
        L3,
        Facts(
            occupation_years=1,
            certificates=(cert(4, "2024-06-01"),),
            education=(edu("skilled_advanced", "2024-07-01", relation="unrelated"),),
        ),
        "eligible",
        "技工院校高级工班毕业",
        2,
    ),
    "2018-三级-四级证书加高职评估论证待确认": Case(
        "2018",
        L3,
        Facts(
            occupation_years=1,
            certificates=(cert(4, "2024-06-01"),),
            education=(edu("higher_vocational", "2024-07-01"),),
        ),
        "confirm",
        "高等职业学校是否经评估论证",
        3,
    ),
    "2018-三级-大专加四级证书满2年": Case(
        "2018",
        L3,
        Facts(
            occupation_years=7,
            certificates=(cert(4, "2023-06-30"),),
            education=(edu("junior_college", "2018-07-01"),),
        ),
        "eligible",
        "取得四级/中级工证书后累计从事本职业或相关职业工作 2.0 年，满 2 年",
        4,
    ),
    "2018-三级-大专在读不适用第3条": Case(
        "2018",
        L3,
        Facts(
            occupation_years=4,
            certificates=(cert(4, "2022-01-01"),),
            education=(edu("junior_college", current=True),),
        ),
        "ineligible",
        "条件（4）不符合：大学专科尚未毕业，本条件要求已取得毕业证书",
    ),
    "2018-三级-无四级证书": Case(
        "2018", L3, Facts(occupation_years=12), "ineligible", "未取得本职业或相关职业四级/中级工及以上证书"
    ),
    # --- 2018 二级/技师 -------------------------------------------------------------
    "2018-二级-三级证书满4年": Case(
        "2018", L2, Facts(occupation_years=8, certificates=(cert(3, "2021-06-30"),)), "eligible", "满 4 年", 1
    ),
    "2018-二级-三级证书3年": Case(
        "2018",
        L2,
        Facts(occupation_years=8, certificates=(cert(3, "2022-06-30"),)),
        "ineligible",
        "3.0 年，不足 4 年",
    ),
    "2018-二级-高级技工学校毕业生三级证书工作3年": Case(
        "2018",
        L2,
        Facts(
            occupation_years=3,
            certificates=(cert(3, "2024-01-01"),),
            education=(edu("skilled_advanced", "2022-07-01"),),
        ),
        "eligible",
        "累计从事本职业或相关职业工作 3.0 年，满 3 年",
        2,
    ),
    "2018-二级-预备技师毕业生工作2年": Case(
        "2018",
        L2,
        Facts(occupation_years=2, education=(edu("skilled_technician", "2023-07-01"),)),
        "eligible",
        "技工院校预备技师（技师）班毕业",
        3,
    ),
    "2018-二级-预备技师毕业生工作1.5年": Case(
        "2018",
        L2,
        Facts(occupation_years=1.5, education=(edu("skilled_technician", "2023-07-01"),)),
        "ineligible",
        "条件（3）不符合：累计从事本职业或相关职业工作 1.5 年，不足 2 年",
    ),
    # --- 2018 一级/高级技师 ---------------------------------------------------------
    "2018-一级-二级证书满4年": Case(
        "2018",
        L1,
        Facts(occupation_years=20, certificates=(cert(2, "2021-06-30"),)),
        "eligible",
        "满 4 年",
        1,
    ),
    "2018-一级-二级证书差一天4年": Case(
        "2018",
        L1,
        Facts(occupation_years=20, certificates=(cert(2, "2021-07-01"),)),
        "ineligible",
        "取得二级/技师证书后累计从事本职业或相关职业工作 3.9 年，不足 4 年",
    ),
    "2018-一级-只持三级证书": Case(
        "2018",
        L1,
        Facts(occupation_years=20, certificates=(cert(3, "2010-01-01"),)),
        "ineligible",
        "未取得本职业或相关职业二级/技师及以上证书",
    ),
    "2018-一级-闰日发证次年2月28日满周年": Case(
        "2018",
        L1,
        Facts(occupation_years=20, certificates=(cert(2, "2020-02-29"),)),
        "eligible",
        "4.0 年，满 4 年",
        1,
        on=d("2024-02-29"),
    ),
    # --- 2023 五级/初级工 -----------------------------------------------------------
    "2023-五级-年满16周岁": Case(
        "2023", L5, Facts(birth_date=d("2009-06-30")), "eligible", "现年 16 周岁，已满 16 周岁", 1
    ),
    "2023-五级-差一天16周岁": Case(
        "2023", L5, Facts(birth_date=d("2009-07-01")), "ineligible", "现年 15 周岁，未满 16 周岁"
    ),
    "2023-五级-未填出生日期": Case("2023", L5, Facts(occupation_years=3), "ineligible", "未填报出生日期"),
    # --- 2023 四级/中级工 -----------------------------------------------------------
    "2023-四级-工作满5年": Case("2023", L4, Facts(occupation_years=5), "eligible", "5.0 年，满 5 年", 1),
    "2023-四级-工作4.9年": Case("2023", L4, Facts(occupation_years=4.95), "ineligible", "4.9 年，不足 5 年"),
    "2023-四级-五级证书满3年": Case(
        "2023",
        L4,
        Facts(occupation_years=4, certificates=(cert(5, "2022-06-30"),)),
        "eligible",
        "3.0 年，满 3 年",
        2,
    ),
    "2023-四级-五级证书2年11个月": Case(
        "2023",
        L4,
        Facts(occupation_years=4, certificates=(cert(5, "2022-08-01"),)),
        "ineligible",
        "取得五级/初级工证书后累计从事本职业或相关职业工作 2.9 年，不足 3 年",
    ),
    "2023-四级-本科相关专业": Case(
        "2023",
        L4,
        Facts(education=(edu("bachelor", "2024-07-01", relation="related", major="机械工程"),)),
        "eligible",
        "大学本科毕业（机械工程）",
        3,
    ),
    "2023-四级-本科专业相关性待确认": Case(
        "2023",
        L4,
        Facts(education=(edu("bachelor", "2024-07-01", relation="unknown", major="工业设计"),)),
        "confirm",
        "所学专业「工业设计」是否属于本专业或相关专业，需人工确认",
        3,
    ),
    "2023-四级-本科专业无关": Case(
        "2023",
        L4,
        Facts(
            occupation_years=1,
            education=(edu("bachelor", "2024-07-01", relation="unrelated", major="汉语言文学"),),
        ),
        "ineligible",
        "所学专业「汉语言文学」不属于本专业或相关专业",
    ),
    # --- 2023 三级/高级工 -----------------------------------------------------------
    "2023-三级-工作满10年": Case("2023", L3, Facts(occupation_years=10), "eligible", "10.0 年，满 10 年", 1),
    "2023-三级-四级证书满4年": Case(
        "2023",
        L3,
        Facts(occupation_years=6, certificates=(cert(4, "2021-06-30"),)),
        "eligible",
        "4.0 年，满 4 年",
        2,
    ),
    "2023-三级-初级职称满1年": Case(
        "2023",
        L3,
        Facts(occupation_years=3, titles=(title("junior", "2024-06-30"),)),
        "eligible",
        "取得初级职称后累计从事本职业或相关职业工作 1.0 年，满 1 年",
        3,
    ),
    "2023-三级-初级职称专业对应待确认": Case(
        "2023",
        L3,
        Facts(occupation_years=5, titles=(title("junior", "2020-01-01", "unknown"),)),
        "confirm",
        "初级职称是否符合专业对应关系，需人工确认",
        3,
    ),
    "2023-三级-技工院校高级工班在读": Case(
        "2023",
        L3,
        Facts(education=(edu("skilled_advanced", current=True),)),
        "eligible",
        "技工院校高级工班在读",
        4,
    ),
    "2023-三级-四级证书加大专": Case(
        "2023",
        L3,
        Facts(certificates=(cert(4, "2025-01-01"),), education=(edu("junior_college", "2024-07-01"),)),
        "eligible",
        "已取得四级/中级工证书",
        5,
    ),
    "2023-三级-经评估论证的高职": Case(
        "2023",
        L3,
        Facts(education=(edu("higher_vocational", "2024-07-01", assessed=True),)),
        "eligible",
        "高等职业学校毕业",
        6,
    ),
    "2023-三级-中级工班毕业": Case(
        "2023",
        L3,
        Facts(occupation_years=3, education=(edu("skilled_intermediate", "2022-07-01"),)),
        "ineligible",
        "未取得本专业或相关专业的技工院校高级工班、技工院校预备技师（技师）班毕业证书（含在读应届毕业生）",
    ),
    # --- 2023 二级/技师 -------------------------------------------------------------
    "2023-二级-三级证书满5年": Case(
        "2023",
        L2,
        Facts(occupation_years=9, certificates=(cert(3, "2020-06-30"),)),
        "eligible",
        "5.0 年，满 5 年",
        1,
    ),
    "2023-二级-三级证书4年": Case(
        "2023",
        L2,
        Facts(occupation_years=9, certificates=(cert(3, "2021-06-30"),)),
        "ineligible",
        "4.0 年，不足 5 年",
    ),
    "2023-二级-初级职称5年且三级证书1年": Case(
        "2023",
        L2,
        Facts(
            occupation_years=6, certificates=(cert(3, "2024-06-30"),), titles=(title("junior", "2020-06-30"),)
        ),
        "eligible",
        "取得初级职称后累计从事本职业或相关职业工作 5.0 年，满 5 年",
        2,
    ),
    "2023-二级-中级职称满1年": Case(
        "2023",
        L2,
        Facts(occupation_years=1, titles=(title("intermediate", "2024-06-30"),)),
        "eligible",
        "取得中级职称后累计从事本职业或相关职业工作 1.0 年，满 1 年",
        3,
    ),
    "2023-二级-高级技工学校毕业生工作2年": Case(
        "2023",
        L2,
        Facts(
            occupation_years=2,
            certificates=(cert(3, "2024-01-01"),),
            education=(edu("skilled_advanced", "2023-07-01"),),
        ),
        "eligible",
        "累计从事本职业或相关职业工作 2.0 年，满 2 年",
        4,
    ),
    "2023-二级-预备技师班学生三级证书满2年": Case(
        "2023",
        L2,
        Facts(certificates=(cert(3, "2023-06-30"),), education=(edu("skilled_technician", current=True),)),
        "eligible",
        "取得三级/高级工证书 2.0 年，满 2 年",
        5,
    ),
    "2023-二级-预备技师班学生三级证书1.5年": Case(
        "2023",
        L2,
        Facts(certificates=(cert(3, "2024-01-01"),), education=(edu("skilled_technician", current=True),)),
        "ineligible",
        "条件（5）不符合：取得三级/高级工证书 1.4 年，不足 2 年",
    ),
    # --- 2023 一级/高级技师 ---------------------------------------------------------
    "2023-一级-二级证书满5年": Case(
        "2023",
        L1,
        Facts(occupation_years=15, certificates=(cert(2, "2020-06-30"),)),
        "eligible",
        "满 5 年",
        1,
    ),
    "2023-一级-中级职称5年且二级证书1年": Case(
        "2023",
        L1,
        Facts(
            occupation_years=10,
            certificates=(cert(2, "2024-06-30"),),
            titles=(title("intermediate", "2020-01-01"),),
        ),
        "eligible",
        "取得二级/技师证书后累计从事本职业或相关职业工作 1.0 年，满 1 年",
        2,
    ),
    "2023-一级-高级职称满1年": Case(
        "2023",
        L1,
        Facts(occupation_years=2, titles=(title("senior", "2024-06-30"),)),
        "eligible",
        "满 1 年",
        3,
    ),
    "2023-一级-高级职称半年": Case(
        "2023",
        L1,
        Facts(occupation_years=2, titles=(title("senior", "2025-01-01"),)),
        "ineligible",
        "取得高级职称后累计从事本职业或相关职业工作 0.4 年，不足 1 年",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_case(case: Case) -> None:
    verdict = evaluate(TEMPLATES[case.template], case.facts, case.level, case.on)
    explanation = " ".join(verdict.reasons)
    assert verdict.result == case.result, explanation
    assert case.phrase in explanation, explanation
    if case.result == "ineligible":
        assert verdict.matched is None
        assert len(verdict.reasons) == len(TEMPLATES[case.template].levels[case.level])
    else:
        assert verdict.matched is TEMPLATES[case.template].levels[case.level][case.number - 1]
        lead = "符合条件" if case.result == "eligible" else "条件"
        assert verdict.reasons[0].startswith(f"{lead}（{case.number}）"), verdict.reasons[0]


def test_table_covers_both_templates_and_every_level() -> None:
    assert len(CASES) >= 40
    covered = {(c.template, c.level, c.result) for c in CASES.values()}
    for template in ("2018", "2023"):
        for level in Level:
            assert (template, level, "eligible") in covered
            assert (template, level, "ineligible") in covered
    assert {c.template for c in CASES.values() if c.result == "confirm"} == {"2018", "2023"}


def test_same_applicant_differs_between_templates() -> None:
    # 5.5 years with no certificate: too few for 2018 四级 (6 years), enough for 2023 (5 years).
    facts = Facts(occupation_years=5.5)
    assert evaluate(TEMPLATES["2018"], facts, L4, REF).result == "ineligible"
    assert evaluate(TEMPLATES["2023"], facts, L4, REF).result == "eligible"
    # A junior title opens 三级 only under 2023.
    titled = Facts(occupation_years=2, titles=(title("junior", "2023-01-01"),))
    assert evaluate(TEMPLATES["2018"], titled, L3, REF).result == "ineligible"
    assert evaluate(TEMPLATES["2023"], titled, L3, REF).result == "eligible"
