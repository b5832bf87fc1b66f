"""The two national templates of eligibility conditions (申报条件), as ready rule sets.

Every national occupational standard copies the 申报条件 of the technical code it was written
under, sometimes with occupation-specific additions (e.g. 本科/硕士 routes, or 本职业 only
instead of 本职业或相关职业). These are the templates themselves; an enterprise starts from
one and files its own variant (R3.3: it reviews "against the conditions it filed").

Sources (labels quote the clause text without its number; a verdict numbers conditions by
position, and the comment above each names the source clause where a clause was split):

* 2018 — 《国家职业技能标准编制技术规程（2018年版）》, 人力资源社会保障部办公厅印发
  (人社厅发〔2018〕26号 — the document number is quoted from memory), section on
  申报条件, as reproduced in the standards issued 2018–2022 (e.g. 电工, 焊工, 化工 families).
  Confidence: high; the clause text was checked against several standards built on it.
* 2023 — 人力资源社会保障部《国家职业标准编制技术规程（2023年版）》, 申报条件, as reproduced
  in the standards issued from 2024 (document number not verified here). Confidence: medium;
  written from memory of that text and one third-party transcription of a 2024 standard.
  Points of doubt are marked "UNSURE" where they occur.

Reading choices that apply to both (the text is silent; change them in a filed variant):

* "取得 X 级证书" also accepts a higher-level certificate (``or_higher=True``), and a
  职业资格证书 counts the same as a 职业技能等级证书.
* "证书后累计从事…N 年" counts from the issue date and is capped by the stated years in the
  occupation (a person cannot have worked longer after a certificate than in total).
* 技工院校 programmes are told apart by class: 高级技工学校/技师学院 graduates record the
  class they finished (高级工班 or 预备技师（技师）班), so a 中级工班 diploma of a 技师学院 counts
  as 技工学校 level.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from skillcert.catalog.eligibility import (
    ApprenticeshipDone,
    CertificateFor,
    Condition,
    EducationIn,
    Level,
    MinAge,
    MinOccupationYears,
    Requirement,
    RuleSet,
    TitleFor,
)

__all__ = ["TEMPLATES", "TEMPLATE_2018", "TEMPLATE_2023"]

# Groups of EDUCATION_KINDS keys, named after the wording of the texts.
_SKILLED_ANY = ("skilled_intermediate", "skilled_advanced", "skilled_technician")  # 技工院校, any class
_SKILLED_ADVANCED_UP = ("skilled_advanced", "skilled_technician")  # 高级工班及以上; 高级技工学校、技师学院
_PREPARATORY_TECHNICIAN = ("skilled_technician",)  # 技师学院预备技师（技师）班
_COLLEGE_UP = ("higher_vocational", "junior_college", "bachelor", "master", "doctor")  # 大专（高职）及以上
_VOCATIONAL_SECONDARY_UP = ("secondary_vocational", "higher_vocational")  # 中等及以上职业学校
_ALL_SCHOOLS = (*_SKILLED_ANY, "secondary_vocational", *_COLLEGE_UP)

_L5, _L4, _L3, _L2, _L1 = Level.L5, Level.L4, Level.L3, Level.L2, Level.L1


def _c(label: str, *requires: Requirement) -> Condition:
    return Condition(requires=requires, label=label)


TEMPLATE_2018 = RuleSet(
    name="国家职业技能标准申报条件（2018年版规程）",
    source="《国家职业技能标准编制技术规程（2018年版）》申报条件",
    levels={
        # 具备以下条件之一者，可申报五级/初级工
        _L5: (
            _c("累计从事本职业或相关职业工作1年（含）以上。", MinOccupationYears(1)),
            _c("本职业或相关职业学徒期满。", ApprenticeshipDone()),
        ),
        # 具备以下条件之一者，可申报四级/中级工
        _L4: (
            _c(
                "取得本职业或相关职业五级/初级工职业资格证书（技能等级证书）后，"
                "累计从事本职业或相关职业工作4年（含）以上。",
                CertificateFor(_L5, 4),
            ),
            _c("累计从事本职业或相关职业工作6年（含）以上。", MinOccupationYears(6)),
            # Clause (3) has two branches joined by 或; each is its own alternative here.
            _c(
                "取得技工学校本专业或相关专业毕业证书（含尚未取得毕业证书的在校应届毕业生）。",
                EducationIn(_SKILLED_ANY),
            ),
            _c(
                "取得经评估论证、以中级技能为培养目标的中等及以上职业学校本专业或相关专业毕业证书"
                "（含尚未取得毕业证书的在校应届毕业生）。",
                EducationIn(_VOCATIONAL_SECONDARY_UP, assessed=True),
            ),
        ),
        # 具备以下条件之一者，可申报三级/高级工
        _L3: (
            _c(
                "取得本职业或相关职业四级/中级工职业资格证书（技能等级证书）后，"
                "累计从事本职业或相关职业工作5年（含）以上。",
                CertificateFor(_L4, 5),
            ),
            # The 高级技工学校、技师学院 branch names no major, so none is required.
            _c(
                "取得本职业或相关职业四级/中级工职业资格证书（技能等级证书），"
                "并具有高级技工学校、技师学院毕业证书（含尚未取得毕业证书的在校应届毕业生）。",
                CertificateFor(_L4),
                EducationIn(_SKILLED_ADVANCED_UP, relation="any"),
            ),
            _c(
                "取得本职业或相关职业四级/中级工职业资格证书（技能等级证书），"
                "并具有经评估论证、以高级技能为培养目标的高等职业学校本专业或相关专业毕业证书"
                "（含尚未取得毕业证书的在校应届毕业生）。",
                CertificateFor(_L4),
                EducationIn(("higher_vocational",), assessed=True),
            ),
            # No 在校应届毕业生 here: the diploma must be in hand.
            _c(
                "具有大专及以上本专业或相关专业毕业证书，并取得本职业或相关职业四级/中级工"
                "职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作2年（含）以上。",
                EducationIn(_COLLEGE_UP, status="graduated"),
                CertificateFor(_L4, 2),
            ),
        ),
        # 具备以下条件之一者，可申报二级/技师
        _L2: (
            _c(
                "取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）后，"
                "累计从事本职业或相关职业工作4年（含）以上。",
                CertificateFor(_L3, 4),
            ),
            # "累计从事…3年" is read as total years, not years after the 三级 certificate:
            # unlike clause (1) the text has no "后". UNSURE whether reviewers read it so.
            _c(
                "取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）的高级技工学校、"
                "技师学院毕业生，累计从事本职业或相关职业工作3年（含）以上。",
                CertificateFor(_L3),
                EducationIn(_SKILLED_ADVANCED_UP, relation="any", status="graduated"),
                MinOccupationYears(3),
            ),
            # The 预备技师证书 of this or a related occupation is modelled as the diploma of a
            # 预备技师（技师）班 in a related major.
            _c(
                "取得本职业或相关职业预备技师证书的技师学院毕业生，"
                "累计从事本职业或相关职业工作2年（含）以上。",
                EducationIn(_PREPARATORY_TECHNICIAN, status="graduated"),
                MinOccupationYears(2),
            ),
        ),
        # 具备以下条件者，可申报一级/高级技师
        _L1: (
            _c(
                "取得本职业或相关职业二级/技师职业资格证书（技能等级证书）后，"
                "累计从事本职业或相关职业工作4年（含）以上。",
                CertificateFor(_L2, 4),
            ),
        ),
    },
)


TEMPLATE_2023 = RuleSet(
    name="国家职业标准申报条件（2023年版规程）",
    source="人力资源社会保障部《国家职业标准编制技术规程（2023年版）》申报条件",
    levels={
        # The text gives two clauses, "年满16周岁，拟从事本职业或相关职业工作" and
        # "年满16周岁，从事本职业或相关职业工作"; the first contains the second, and whether
        # the applied occupation matches the post is R3.2, checked on the application.
        _L5: (_c("年满16周岁，拟从事或正在从事本职业或相关职业工作。", MinAge(16)),),
        _L4: (
            _c("累计从事本职业或相关职业工作满5年。", MinOccupationYears(5)),
            _c(
                "取得本职业或相关职业五级/初级工职业资格证书（职业技能等级证书）后，"
                "累计从事本职业或相关职业工作满3年。",
                CertificateFor(_L5, 3),
            ),
            _c(
                "取得本专业或相关专业的技工院校或中等及以上职业院校、专科及以上普通高等学校"
                "毕业证书（含在读应届毕业生）。",
                EducationIn(_ALL_SCHOOLS),
            ),
        ),
        _L3: (
            _c("累计从事本职业或相关职业工作满10年。", MinOccupationYears(10)),
            _c(
                "取得本职业或相关职业四级/中级工职业资格证书（职业技能等级证书）后，"
                "累计从事本职业或相关职业工作满4年。",
                CertificateFor(_L4, 4),
            ),
            _c(
                "取得符合专业对应关系的初级职称（专业技术人员职业资格）后，"
                "累计从事本职业或相关职业工作满1年。",
                TitleFor("junior", 1),
            ),
            _c(
                "取得本专业或相关专业的技工院校高级工班及以上毕业证书（含在读应届毕业生）。",
                EducationIn(_SKILLED_ADVANCED_UP),
            ),
            _c(
                "取得本职业或相关职业四级/中级工职业资格证书（职业技能等级证书），"
                "并取得高等职业学校、专科及以上普通高等学校本专业或相关专业毕业证书（含在读应届毕业生）。",
                CertificateFor(_L4),
                EducationIn(_COLLEGE_UP),
            ),
            # UNSURE: the exact list of schools in (6); the transcription seen reads
            # "高等职业学校、专科及以上普通高等学校".
            _c(
                "取得经评估论证的高等职业学校、专科及以上普通高等学校本专业或相关专业毕业证书"
                "（含在读应届毕业生）。",
                EducationIn(_COLLEGE_UP, assessed=True),
            ),
        ),
        _L2: (
            _c(
                "取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）后，"
                "累计从事本职业或相关职业工作满5年。",
                CertificateFor(_L3, 5),
            ),
            _c(
                "取得符合专业对应关系的初级职称（专业技术人员职业资格）后，累计从事本职业或相关职业"
                "工作满5年，并在取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）后，"
                "从事本职业或相关职业工作满1年。",
                TitleFor("junior", 5),
                CertificateFor(_L3, 1),
            ),
            _c(
                "取得符合专业对应关系的中级职称（专业技术人员职业资格）后，"
                "累计从事本职业或相关职业工作满1年。",
                TitleFor("intermediate", 1),
            ),
            # As in 2018 (2), "累计…满2年" is total years and the schools name no major.
            _c(
                "取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）的高级技工学校、"
                "技师学院毕业生，累计从事本职业或相关职业工作满2年。",
                CertificateFor(_L3),
                EducationIn(_SKILLED_ADVANCED_UP, relation="any", status="graduated"),
                MinOccupationYears(2),
            ),
            # Students, not workers: the 2 years run from the certificate's issue, uncapped.
            _c(
                "取得本职业或相关职业三级/高级工职业资格证书（职业技能等级证书）满2年的"
                "技师学院预备技师班、技师班学生。",
                CertificateFor(_L3, 2, basis="held"),
                EducationIn(_PREPARATORY_TECHNICIAN, relation="any", status="current"),
            ),
        ),
        _L1: (
            _c(
                "取得本职业或相关职业二级/技师职业资格证书（职业技能等级证书）后，"
                "累计从事本职业或相关职业工作满5年。",
                CertificateFor(_L2, 5),
            ),
            _c(
                "取得符合专业对应关系的中级职称后，累计从事本职业或相关职业工作满5年，"
                "并在取得本职业或相关职业二级/技师职业资格证书（职业技能等级证书）后，"
                "从事本职业或相关职业工作满1年。",
                TitleFor("intermediate", 5),
                CertificateFor(_L2, 1),
            ),
            _c(
                "取得符合专业对应关系的高级职称（专业技术人员职业资格）后，"
                "累计从事本职业或相关职业工作满1年。",
                TitleFor("senior", 1),
            ),
        ),
    },
)


TEMPLATES: Mapping[str, RuleSet] = MappingProxyType({"2018": TEMPLATE_2018, "2023": TEMPLATE_2023})
