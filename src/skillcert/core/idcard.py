"""Parsing, validation, masking and generation of GB 11643-1999 resident ID numbers."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal

__all__ = [
    "PROVINCES",
    "IdErrorCode",
    "IdInfo",
    "IdNumberError",
    "Sex",
    "check_digit",
    "generate",
    "is_valid",
    "mask",
    "parse",
]

Sex = Literal["M", "F"]
IdErrorCode = Literal["length", "chars", "region", "birth_date", "check_digit"]

_DIGITS = frozenset("0123456789")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_MIN_BIRTH_DATE = date(1900, 1, 1)

# Province-level codes of GB/T 2260. 81/82/83 are not GB/T 2260 regions: they are the
# address codes of the 港澳台居民居住证 (2018), which share the resident ID format.
PROVINCES: Mapping[str, str] = MappingProxyType(
    {
        "11": "北京市",
        "12": "天津市",
        "13": "河北省",
        "14": "山西省",
        "15": "内蒙古自治区",
        "21": "辽宁省",
        "22": "吉林省",
        "23": "黑龙江省",
        "31": "上海市",
        "32": "江苏省",
        "33": "浙江省",
        "34": "安徽省",
        "35": "福建省",
        "36": "江西省",
        "37": "山东省",
        "41": "河南省",
        "42": "湖北省",
        "43": "湖南省",
        "44": "广东省",
        "45": "广西壮族自治区",
        "46": "海南省",
        "50": "重庆市",
        "51": "四川省",
        "52": "贵州省",
        "53": "云南省",
        "54": "西藏自治区",
        "61": "陕西省",
        "62": "甘肃省",
        "63": "青海省",
        "64": "宁夏回族自治区",
        "65": "新疆维吾尔自治区",
        "71": "台湾省",
        "81": "香港特别行政区",
        "82": "澳门特别行政区",
        "83": "台湾省",
    }
)


class IdNumberError(ValueError):
    """An invalid ID number; ``code`` is a stable slug, the message is user-facing Chinese."""

    def __init__(self, code: IdErrorCode, message: str) -> None:
        self.code: IdErrorCode = code
        super().__init__(message)


@dataclass(frozen=True)
class IdInfo:
    """What an 18-character ID number encodes."""

    number: str
    region: str
    province: str
    birth_date: date
    sex: Sex


def check_digit(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not _DIGITS.issuperset(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _normalize(number: str) -> str:
    # NFKC folds full-width digits and "ｘ" (common with Chinese IMEs) to ASCII;
    # whitespace is dropped because numbers are often pasted in 6-8-4 groups.
    folded = unicodedata.normalize("NFKC", number)
    return "".join(folded.split()).upper()


def _first_bad_char(text: str, allowed_last: frozenset[str]) -> int | None:
    for i, c in enumerate(text):
        allowed = allowed_last if i == len(text) - 1 else _DIGITS
        if c not in allowed:
            return i
    return None


def _upgrade_legacy(number: str) -> str:
    # First-generation 15-digit numbers were issued only to people born in the
    # 1900s, so the century is always 19.
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_digit(first17)


def parse(number: str, *, today: date | None = None) -> IdInfo:
    """Validate an 18-digit (or legacy 15-digit) ID number and decode it.

    Spaces are ignored and a lowercase ``x`` is accepted. A 15-digit number is
    converted to its 18-character form, which is what ``IdInfo.number`` holds.
    Raises :class:`IdNumberError` naming the first problem found, checked in the
    order length, chars, region, birth_date, check_digit.
    """
    today = today if today is not None else date.today()
    text = _normalize(number)
    if len(text) not in (15, 18):
        raise IdNumberError("length", f"身份证号应为 18 位（或 15 位旧号码），实际为 {len(text)} 位")

    legacy = len(text) == 15
    bad = _first_bad_char(text, _DIGITS if legacy else _DIGITS | {"X"})
    if bad is not None:
        rule = (
            "15 位旧身份证号只能包含数字" if legacy else "身份证号前 17 位只能是数字，最后一位只能是数字或 X"
        )
        raise IdNumberError("chars", f"{rule}，第 {bad + 1} 位「{text[bad]}」不符合")

    province = PROVINCES.get(text[:2])
    if province is None:
        raise IdNumberError("region", f"身份证号前两位「{text[:2]}」不是有效的省级行政区划代码")

    full = _upgrade_legacy(text) if legacy else text
    birth_date = _parse_birth_date(full[6:14], today)

    expected = check_digit(full[:17])
    if full[17] != expected:
        raise IdNumberError("check_digit", f"身份证号校验位应为 {expected}，实际为 {full[17]}")

    return IdInfo(
        number=full,
        region=full[:6],
        province=province,
        birth_date=birth_date,
        sex="M" if int(full[16]) % 2 == 1 else "F",
    )


def _parse_birth_date(yyyymmdd: str, today: date) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise IdNumberError("birth_date", f"身份证号中的出生日期 {yyyymmdd} 不是有效日期") from None
    if born > today:
        raise IdNumberError(
            "birth_date",
            f"身份证号中的出生日期 {born.isoformat()} 晚于今天（{today.isoformat()}）",
        )
    if born < _MIN_BIRTH_DATE:
        raise IdNumberError("birth_date", f"身份证号中的出生日期 {born.isoformat()} 早于 1900-01-01")
    return born


def is_valid(number: str, *, today: date | None = None) -> bool:
    """Return whether :func:`parse` accepts ``number``."""
    try:
        parse(number, today=today)
    except IdNumberError:
        return False
    return True


def mask(number: str) -> str:
    """Hide all but the first 4 and last 4 characters, e.g. ``3701**********1234``.

    Strings shorter than 9 characters are fully starred, since keeping 4 + 4 of
    them would reveal (almost) everything.
    """
    if len(number) < 9:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def generate(*, region: str, birth_date: date, sex: Sex, seq: int) -> str:
    """Build a valid 18-character ID number, for demo data and tests.

    ``seq`` (0..999) becomes the 3-digit sequence code with its last digit's parity
    forced to the sex (odd = male), so ``seq`` and ``seq ^ 1`` give the same number.
    """
    if len(region) != 6 or not _DIGITS.issuperset(region) or region[:2] not in PROVINCES:
        raise ValueError(f"region must be 6 digits with a known province prefix, got {region!r}")
    if birth_date < _MIN_BIRTH_DATE:
        raise ValueError(f"birth_date must not be before 1900-01-01, got {birth_date}")
    if not 0 <= seq <= 999:
        raise ValueError(f"seq must be in 0..999, got {seq}")
    code = seq - seq % 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{code:03d}"
    return first17 + check_digit(first17)
