"""Automatic checks of one application form: contradictory or doubtful facts become flags (R3.3).

Pure: plain data in, a list of :class:`Flag` out, shared by the online form, the Excel bulk
import and the API. A ``block`` flag stops approval until the form is corrected; a ``warn``
flag asks the reviewer to confirm. :func:`check_application` never raises, whatever the
fields hold, because a bulk import must report every bad row rather than stop at the first.

Years follow the calendar (anniversaries, 29 February → 28 February), as in
``catalog.eligibility``: a person born 2000-03-01 is 16 on 2016-03-01, not a day earlier.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from typing import Literal

from skillcert.core.idcard import IdInfo, IdNumberError, mask, parse

__all__ = [
    "FLAG_SEVERITY",
    "MIN_WORK_AGE",
    "ApplicationFacts",
    "CertificateFacts",
    "CertificateKind",
    "Flag",
    "Severity",
    "check_application",
    "normalise_certificate_number",
    "normalise_id",
    "years_between",
]

Severity = Literal["block", "warn"]
CertificateKind = Literal["qualification", "skill_level", "professional", "other"]

MIN_WORK_AGE = 16  # 劳动法第十五条: no employer may recruit a minor under 16

# One severity per code, so a report can group by code without looking at the flags.
FLAG_SEVERITY: Mapping[str, Severity] = MappingProxyType(
    {
        # The number itself is wrong (GB 11643): every later check keys on it.
        "id.length": "block",
        "id.chars": "block",
        "id.region": "block",
        "id.birth_date": "block",
        "id.check_digit": "block",
        # A checksummed ID number and the form disagree: one of them is false.
        "id.sex_mismatch": "block",
        "id.birth_mismatch": "block",
        # Under 16 at work start is unlawful but old dates are often misremembered: confirm.
        "work.too_young": "warn",
        # Nothing has happened in the future: the date is certainly wrong.
        "date.future": "block",
        # Nothing happened before birth: the date is certainly wrong.
        "date.before_birth": "block",
        # Pledged years may count apprenticeship or part-time work before the stated start.
        "years.exceed_work": "warn",
        # A certificate without a number cannot be verified (R3.3 completeness, R3.4).
        "cert.number_missing": "block",
        # The 22-character skill-level number is national and checked online (R3.4): a bad one is a typo.
        "cert.number_format": "block",
        # Legacy qualification numbers were issued by many bodies in several formats.
        "cert.number_unusual": "warn",
        # A certificate issued in the future or before birth is certainly misdated.
        "cert.date": "block",
        # One certificate belongs to one person: a second holder is false information.
        "cert.duplicate_other_person": "block",
        # R3.2: one occupation (job type) per person per round.
        "person.duplicate_in_round": "block",
        # A reachable phone is needed but its shape is not proof of anything.
        "phone.format": "warn",
    }
)

_CERT_KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "qualification": "职业资格证书",
        "skill_level": "职业技能等级证书",
        "professional": "专业技术职务（职称）证书",
        "other": "其他证书",
    }
)
_SEX_LABELS: Mapping[str, str] = MappingProxyType({"M": "男", "F": "女"})

# re.ASCII: without it \d also matches Arabic-Indic and other Unicode digits.
# fullmatch everywhere: "$" alone would accept a trailing newline.
_SKILL_LEVEL_NUMBER = re.compile(r"[YS]\d{21}", re.ASCII)
_QUALIFICATION_NUMBER = re.compile(r"\d{16}", re.ASCII)
_MOBILE = re.compile(r"(?:\+86|0086|86)?1[3-9]\d{9}", re.ASCII)  # tested with "-" removed
_LANDLINE = re.compile(r"(?:\(0\d{2,3}\)|0\d{2,3}-?)\d{7,8}(?:(?:-|转|#)\d{1,6})?", re.ASCII)


@dataclass(frozen=True)
class CertificateFacts:
    """One certificate the applicant already holds, as typed on the form (R3.1)."""

    kind: CertificateKind
    level: int | None
    occupation: str
    number: str
    issued_on: date | None


@dataclass(frozen=True)
class ApplicationFacts:
    """The checkable part of an application form (R3.1), as typed: nothing is cleaned yet."""

    name: str
    sex: Literal["M", "F"]
    birth_date: date
    id_number: str
    phone: str
    education: str
    graduated_on: date | None
    work_started_on: date | None
    occupation_years: float | None
    certificates: tuple[CertificateFacts, ...]


@dataclass(frozen=True)
class Flag:
    """One doubtful fact: a stable ``code``, the form ``field`` it points at, a Chinese sentence."""

    code: str
    severity: Severity
    field: str
    rule: str
    message: str


def _flag(code: str, field: str, message: str, rule: str = "R3.3") -> Flag:
    return Flag(code=code, severity=FLAG_SEVERITY[code], field=field, rule=rule, message=message)


# --- helpers ---------------------------------------------------------------------------


def _anniversary(d: date, year: int) -> date | None:
    if not 1 <= year <= 9999:
        return None
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February into a common year
        return d.replace(year=year, day=28)


def years_between(a: date, b: date) -> float:
    """Calendar years from ``a`` to ``b``: whole anniversaries plus the fraction of the next year.

    Exact at anniversaries (``years_between(born, d) >= 16`` iff ``d`` is on or after the
    16th birthday); negative when ``b`` is before ``a``.
    """
    if b < a:
        return -years_between(b, a)
    k = b.year - a.year
    start = _anniversary(a, b.year)
    if start is None or start > b:
        k -= 1
        start = _anniversary(a, a.year + k)
    assert start is not None  # a.year <= a.year + k <= b.year
    following = _anniversary(a, a.year + k + 1)
    span = (following - start).days if following is not None else 365
    return k + (b - start).days / span


def _parse_id(raw: object, today: date) -> IdInfo | IdNumberError:
    if not isinstance(raw, str):
        return IdNumberError("length", "未填写身份证号")
    try:
        return parse(raw, today=today)
    except IdNumberError as exc:
        return exc


def normalise_id(raw: str, *, today: date | None = None) -> str | None:
    """The 18-character uppercase form of an ID number (15-digit numbers converted), or None.

    The key for comparing people across applications and certificates.
    """
    info = _parse_id(raw, _as_date(today) or date.today())
    return info.number if isinstance(info, IdInfo) else None


def normalise_certificate_number(raw: str) -> str:
    """Certificate number as compared and stored: full-width folded, spaces dropped, uppercase."""
    if not isinstance(raw, str):
        return ""
    if raw.isascii():  # the common case skips NFKC
        return "".join(raw.split()).upper()
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def _as_date(value: object) -> date | None:
    # Excel readers hand back datetimes, and datetime < date raises TypeError.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _tenths(years: float) -> str:
    # Truncated, so a displayed figure never exceeds the real one.
    return f"{math.floor(years * 10) / 10:.1f}"


def _years_text(years: float) -> str:
    return str(int(years)) if years.is_integer() else f"{years:.1f}"


def _before_birth_text(label: str, d: date, born: date) -> str:
    relation = "与出生日期相同" if d == born else f"早于出生日期 {born.isoformat()}"
    return f"{label} {d.isoformat()} {relation}。"


# --- the checks -----------------------------------------------------------------------------


def check_application(
    facts: ApplicationFacts,
    *,
    today: date,
    known_certificates: Mapping[str, str] = MappingProxyType({}),
    id_numbers_in_round: Mapping[str, int] = MappingProxyType({}),
    self_key: str | None = None,
) -> list[Flag]:
    """Flag what is contradictory or doubtful in one application (R3.3), in form order.

    ``known_certificates`` maps a normalised certificate number (see
    :func:`normalise_certificate_number`) to the normalised ID number of the person it is
    recorded for. ``id_numbers_in_round`` maps a normalised ID number to the number of
    applications of the round carrying it; ``self_key`` is the ID key under which this
    application is already counted there (None for a new application), so it is not
    mistaken for a second one.
    """
    today = _as_date(today) or date.today()
    flags: list[Flag] = []

    stated_birth = _as_date(facts.birth_date)
    if stated_birth is not None and stated_birth > today:
        flags.append(
            _flag(
                "date.future",
                "birth_date",
                f"出生日期 {stated_birth.isoformat()} 晚于今天（{today.isoformat()}）。",
            )
        )
        stated_birth = None

    info = _parse_id(facts.id_number, today)
    own_id: str | None = None
    if isinstance(info, IdNumberError):
        flags.append(_flag(f"id.{info.code}", "id_number", f"{info}。"))
    else:
        own_id = info.number
        # The number passed its check digit, so the form field is the likelier typo:
        # the flag points there.
        sex = facts.sex
        if sex in ("M", "F") and sex != info.sex:
            flags.append(
                _flag(
                    "id.sex_mismatch",
                    "sex",
                    f"身份证号显示性别为{_SEX_LABELS[info.sex]}，表中填写{_SEX_LABELS[sex]}。",
                )
            )
        if stated_birth is not None and stated_birth != info.birth_date:
            flags.append(
                _flag(
                    "id.birth_mismatch",
                    "birth_date",
                    f"身份证号显示出生日期为 {info.birth_date.isoformat()}，"
                    f"表中填写 {stated_birth.isoformat()}。",
                )
            )
        if stated_birth is None:
            stated_birth = info.birth_date
    born = stated_birth

    graduated = _as_date(facts.graduated_on)
    if graduated is not None:
        if graduated > today:
            flags.append(
                _flag(
                    "date.future",
                    "graduated_on",
                    f"毕业时间 {graduated.isoformat()} 晚于今天（{today.isoformat()}）。",
                )
            )
        elif born is not None and graduated <= born:
            flags.append(
                _flag("date.before_birth", "graduated_on", _before_birth_text("毕业时间", graduated, born))
            )

    started = _as_date(facts.work_started_on)
    if started is not None:
        if started > today:
            flags.append(
                _flag(
                    "date.future",
                    "work_started_on",
                    f"参加工作时间 {started.isoformat()} 晚于今天（{today.isoformat()}）。",
                )
            )
            started = None
        elif born is not None and started <= born:
            flags.append(
                _flag(
                    "date.before_birth",
                    "work_started_on",
                    _before_birth_text("参加工作时间", started, born),
                )
            )
            started = None
        elif born is not None and (age := years_between(born, started)) < MIN_WORK_AGE:
            flags.append(
                _flag(
                    "work.too_young",
                    "work_started_on",
                    f"参加工作时间 {started.isoformat()} 时年仅 {int(age)} 岁（出生日期 {born.isoformat()}），"
                    f"未满 {MIN_WORK_AGE} 周岁。",
                )
            )

    years = facts.occupation_years
    if started is not None and isinstance(years, int | float) and math.isfinite(years):
        since_start = years_between(started, today)
        if years > since_start:
            flags.append(
                _flag(
                    "years.exceed_work",
                    "occupation_years",
                    f"填写从事本职业 {_years_text(float(years))} 年，但自参加工作（{started.isoformat()}）"
                    f"至今仅 {_tenths(since_start)} 年。",
                )
            )

    certificates = facts.certificates
    if isinstance(certificates, tuple | list):
        for i, cert in enumerate(certificates):
            if isinstance(cert, CertificateFacts):
                _check_certificate(flags, i, cert, born, today, own_id, known_certificates)

    if own_id is not None:
        count = id_numbers_in_round.get(own_id, 0)
        if isinstance(count, int) and count > 0:
            if self_key is not None and (self_key == own_id or normalise_id(self_key, today=today) == own_id):
                count -= 1
            if count > 0:
                flags.append(
                    _flag(
                        "person.duplicate_in_round",
                        "id_number",
                        f"本轮已有 {count} 份身份证号为 {mask(own_id)} 的申报，"
                        "每人每轮限申报 1 个职业（工种）。",
                        rule="R3.2",
                    )
                )

    _check_phone(flags, facts.phone)
    return flags


def _check_certificate(
    flags: list[Flag],
    i: int,
    cert: CertificateFacts,
    born: date | None,
    today: date,
    own_id: str | None,
    known_certificates: Mapping[str, str],
) -> None:
    kind = cert.kind if isinstance(cert.kind, str) and cert.kind in _CERT_KIND_LABELS else "other"
    which = f"第 {i + 1} 个证书（{_CERT_KIND_LABELS[kind]}）"
    field = f"certificates[{i}].number"
    number = normalise_certificate_number(cert.number)

    if not number:
        flags.append(_flag("cert.number_missing", field, f"{which}未填写证书编号。"))
    elif kind == "skill_level" and not _SKILL_LEVEL_NUMBER.fullmatch(number):
        flags.append(
            _flag(
                "cert.number_format",
                field,
                f"{which}编号「{number}」不符合职业技能等级证书编号格式："
                f"应为 22 位，以 Y 或 S 开头，后接 21 位数字（实际 {len(number)} 位）。",
            )
        )
    elif kind == "qualification" and not _QUALIFICATION_NUMBER.fullmatch(number):
        flags.append(
            _flag(
                "cert.number_unusual",
                field,
                f"{which}编号「{number}」不是常见的 16 位数字格式（实际 {len(number)} 位），请核对。",
            )
        )

    if number and own_id is not None:
        # With an unparsable ID number the holder cannot be compared; the ID flag already
        # blocks, and the check runs again once the number is corrected.
        holder = known_certificates.get(number)
        if isinstance(holder, str) and holder != own_id and normalise_id(holder, today=today) != own_id:
            flags.append(
                _flag(
                    "cert.duplicate_other_person",
                    field,
                    # The other holder is not named: the applicant must not learn who it is (PIPL).
                    f"{which}编号「{number}」已登记在另一人名下，请核对证书编号。",
                )
            )

    issued = _as_date(cert.issued_on)
    if issued is not None:
        date_field = f"certificates[{i}].issued_on"
        if issued > today:
            flags.append(
                _flag(
                    "cert.date",
                    date_field,
                    f"{which}发证日期 {issued.isoformat()} 晚于今天（{today.isoformat()}）。",
                )
            )
        elif born is not None and issued <= born:
            flags.append(_flag("cert.date", date_field, _before_birth_text(f"{which}发证日期", issued, born)))


def _check_phone(flags: list[Flag], phone: object) -> None:
    text = phone if isinstance(phone, str) else ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = "".join(text.split())
    if not text:
        flags.append(_flag("phone.format", "phone", "未填写联系电话。"))
    elif not (_MOBILE.fullmatch(text.replace("-", "")) or _LANDLINE.fullmatch(text)):
        flags.append(
            _flag(
                "phone.format",
                "phone",
                f"联系电话「{text}」既不是 11 位手机号码（以 1 开头），也不是带区号的固定电话，请核对。",
            )
        )
