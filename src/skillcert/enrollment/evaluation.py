"""From one application's data to its check flags and eligibility verdict — pure, shared by form, import and API.

The online form, the Excel import (50,000 rows) and the API all call :func:`assess` with plain
rows, so the same application gets the same flags and verdict whichever way it arrived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from skillcert.catalog import eligibility
from skillcert.enrollment import checks

Relation = Literal["same", "related", "unknown", "unrelated"]
TITLE_KIND = "professional"


@dataclass(frozen=True)
class CertRow:
    kind: str
    level: int | None
    title_grade: str
    occupation_name: str
    occupation_id: int | None
    number: str
    issued_on: date | None
    relation_confirmed: str = ""


@dataclass(frozen=True)
class AppRow:
    name: str
    sex: str
    birth_date: date | None
    id_number: str
    phone: str
    education: str
    graduated_on: date | None
    is_current_student: bool
    major: str
    work_started_on: date | None
    occupation_years: float | None
    exceptional_grounds: tuple[str, ...]
    certificates: tuple[CertRow, ...]
    current_post: str = ""


@dataclass(frozen=True)
class Outcome:
    flags: tuple[checks.Flag, ...]
    verdict: eligibility.Verdict | None
    post_mismatch: bool

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.flags if f.severity == "block")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.flags if f.severity == "warn")


def _names_match(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    return bool(a and b) and (a in b or b in a)


def relation(
    *,
    confirmed: str,
    cert_occupation_id: int | None,
    cert_occupation_name: str,
    occupation_id: int,
    occupation_name: str,
) -> Relation:
    """How a certificate's or a major's occupation relates to the applied one; unsure → a person confirms."""
    if confirmed in ("same", "related", "unrelated"):
        return confirmed  # type: ignore[return-value]
    if cert_occupation_id is not None and cert_occupation_id == occupation_id:
        return "same"
    if _names_match(cert_occupation_name, occupation_name):
        return "same"
    return "unknown"


def post_matches(
    *, post: str, occupation_name: str, mapped_posts: Mapping[str, frozenset[int]], occupation_id: int
) -> bool:
    """R3.2: the applied occupation matches the worker's post, by the enterprise's mapping or by name."""
    mapped = mapped_posts.get(post.strip())
    if mapped is not None:
        return occupation_id in mapped
    return _names_match(post, occupation_name)


def to_check_facts(row: AppRow) -> checks.ApplicationFacts:
    return checks.ApplicationFacts(
        name=row.name,
        sex=row.sex,  # type: ignore[arg-type]
        birth_date=row.birth_date,  # type: ignore[arg-type]
        id_number=row.id_number,
        phone=row.phone,
        education=row.education,
        graduated_on=row.graduated_on,
        work_started_on=row.work_started_on,
        occupation_years=row.occupation_years,
        certificates=tuple(
            checks.CertificateFacts(
                kind=c.kind,  # type: ignore[arg-type]
                level=c.level,
                occupation=c.occupation_name,
                number=c.number,
                issued_on=c.issued_on,
            )
            for c in row.certificates
        ),
    )


def to_eligibility_facts(row: AppRow, *, occupation_id: int, occupation_name: str) -> eligibility.Facts:
    held: list[eligibility.HeldCertificate] = []
    titles: list[eligibility.ProfessionalTitle] = []
    for c in row.certificates:
        if c.issued_on is None:
            continue
        rel = relation(
            confirmed=c.relation_confirmed,
            cert_occupation_id=c.occupation_id,
            cert_occupation_name=c.occupation_name,
            occupation_id=occupation_id,
            occupation_name=occupation_name,
        )
        if c.kind in ("qualification", "skill_level") and c.level in (1, 2, 3, 4, 5):
            held.append(
                eligibility.HeldCertificate(
                    level=c.level,
                    issued_on=c.issued_on,
                    occupation_relation=rel,
                    kind=c.kind,  # type: ignore[arg-type]
                    occupation=c.occupation_name,
                )
            )
        elif c.kind == TITLE_KIND and c.title_grade in ("junior", "intermediate", "senior"):
            titles.append(
                eligibility.ProfessionalTitle(
                    grade=c.title_grade,  # type: ignore[arg-type]
                    obtained_on=c.issued_on,
                    relation=rel,
                    name=c.occupation_name,
                )
            )
    education: tuple[eligibility.Education, ...] = ()
    if row.education in eligibility.EDUCATION_KINDS:
        major_rel = relation(
            confirmed="",
            cert_occupation_id=None,
            cert_occupation_name=row.major,
            occupation_id=occupation_id,
            occupation_name=occupation_name,
        )
        education = (
            eligibility.Education(
                kind=row.education,
                graduated_on=row.graduated_on,
                major_relation=major_rel,
                is_current_student=row.is_current_student,
                major=row.major,
            ),
        )
    years = row.occupation_years
    return eligibility.Facts(
        birth_date=row.birth_date,
        occupation_years=years if years is not None and years >= 0 else None,
        occupation_since=None if years is not None else row.work_started_on,
        certificates=tuple(held),
        education=education,
        titles=tuple(titles),
        exceptional_grounds=frozenset(row.exceptional_grounds),
    )


def assess(
    row: AppRow,
    *,
    rules: eligibility.RuleSet | None,
    level: int,
    on: date,
    today: date,
    occupation_id: int,
    occupation_name: str,
    known_certificates: Mapping[str, str],
    id_numbers_in_round: Mapping[str, int],
    self_key: str | None,
    mapped_posts: Mapping[str, frozenset[int]],
) -> Outcome:
    """Flags from the automatic checks (R3.3) and the eligibility verdict at the reference date."""
    flags = checks.check_application(
        to_check_facts(row),
        today=today,
        known_certificates=known_certificates,
        id_numbers_in_round=id_numbers_in_round,
        self_key=self_key,
    )
    verdict = None
    if rules is not None and level in (1, 2, 3, 4, 5):
        try:
            facts = to_eligibility_facts(row, occupation_id=occupation_id, occupation_name=occupation_name)
        except ValueError:
            facts = None
        if facts is not None:
            verdict = eligibility.evaluate(rules, facts, eligibility.Level(level), on)
    mismatch = bool(row.current_post) and not post_matches(
        post=row.current_post,
        occupation_name=occupation_name,
        mapped_posts=mapped_posts,
        occupation_id=occupation_id,
    )
    return Outcome(flags=tuple(flags), verdict=verdict, post_mismatch=mismatch)
