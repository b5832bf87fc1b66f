"""Tests for GB 11643-1999 resident ID number handling."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillcert.core.idcard import (
    PROVINCES,
    IdInfo,
    IdNumberError,
    Sex,
    check_digit,
    generate,
    is_valid,
    mask,
    parse,
)

TODAY = date(2026, 11, 30)

# --- check digit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        # Only the last digit (weight 2) varies, so the weighted sum is 2k and
        # the remainders 0, 2, 4, 6, 8, 10, 1, 3, 5, 7 are all exercised.
        ("00000000000000000", "1"),
        ("00000000000000001", "X"),
        ("00000000000000002", "8"),
        ("00000000000000003", "6"),
        ("00000000000000004", "4"),
        ("00000000000000005", "2"),
        ("00000000000000006", "0"),
        ("00000000000000007", "9"),
        ("00000000000000008", "7"),
        ("00000000000000009", "5"),
        # Position 8 has weight 1: remainder 9.
        ("00000009000000000", "3"),
        # The two worked examples printed in GB 11643-1999.
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
    ],
)
def test_check_digit_table(first17: str, expected: str) -> None:
    assert check_digit(first17) == expected


@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678", "1101051949123100X"])
def test_check_digit_rejects_non_17_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        check_digit(bad)


# --- valid numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (
            "11010519491231002X",
            IdInfo("11010519491231002X", "110105", "北京市", date(1949, 12, 31), "F"),
        ),
        (
            "370102199003071238",
            IdInfo("370102199003071238", "370102", "山东省", date(1990, 3, 7), "M"),
        ),
        (
            "440305200002290563",
            IdInfo("440305200002290563", "440305", "广东省", date(2000, 2, 29), "F"),
        ),
        (
            "650102190001010008",
            IdInfo("650102190001010008", "650102", "新疆维吾尔自治区", date(1900, 1, 1), "F"),
        ),
    ],
)
def test_parse_valid(number: str, expected: IdInfo) -> None:
    assert parse(number, today=TODAY) == expected
    assert is_valid(number, today=TODAY)


@pytest.mark.parametrize(
    "spelling",
    [
        "11010519491231002x",
        " 110105 19491231 002X ",
        "110105\u300019491231\u3000002x",  # ideographic spaces
        "１１０１０５１９４９１２３１００２ｘ",  # full-width from a Chinese IME
    ],
)
def test_parse_normalises_input(spelling: str) -> None:
    assert parse(spelling, today=TODAY).number == "11010519491231002X"


def test_birth_date_today_is_allowed() -> None:
    number = generate(region="110105", birth_date=TODAY, sex="M", seq=1)
    assert parse(number, today=TODAY).birth_date == TODAY


# --- 15-digit legacy numbers -----------------------------------------------------


def test_legacy_15_digit_number_is_upgraded() -> None:
    info = parse("130503670401001", today=TODAY)
    assert info.number == "130503196704010016"
    assert info.birth_date == date(1967, 4, 1)
    assert info.sex == "M"
    assert info.province == "河北省"
    assert parse(info.number, today=TODAY) == info


def test_legacy_number_with_bad_date() -> None:
    with pytest.raises(IdNumberError) as exc_info:
        parse("130503670231001", today=TODAY)
    assert exc_info.value.code == "birth_date"
    assert str(exc_info.value) == "身份证号中的出生日期 19670231 不是有效日期"


# --- errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("", "length", "身份证号应为 18 位（或 15 位旧号码），实际为 0 位"),
        ("1101051949123100", "length", "身份证号应为 18 位（或 15 位旧号码），实际为 16 位"),
        (
            "11010519491231002Y",
            "chars",
            "身份证号前 17 位只能是数字，最后一位只能是数字或 X，第 18 位「Y」不符合",
        ),
        (
            "1101051949123100X2",
            "chars",
            "身份证号前 17 位只能是数字，最后一位只能是数字或 X，第 17 位「X」不符合",
        ),
        ("13050367040100X", "chars", "15 位旧身份证号只能包含数字，第 15 位「X」不符合"),
        ("990105194912310023", "region", "身份证号前两位「99」不是有效的省级行政区划代码"),
        ("000000199001010000", "region", "身份证号前两位「00」不是有效的省级行政区划代码"),
        ("110105194902300020", "birth_date", "身份证号中的出生日期 19490230 不是有效日期"),
        (
            "110105203001010028",
            "birth_date",
            "身份证号中的出生日期 2030-01-01 晚于今天（2026-11-30）",
        ),
        ("440524188001010014", "birth_date", "身份证号中的出生日期 1880-01-01 早于 1900-01-01"),
        ("110105194912310021", "check_digit", "身份证号校验位应为 X，实际为 1"),
        ("370102199003071233", "check_digit", "身份证号校验位应为 8，实际为 3"),
    ],
)
def test_errors(number: str, code: str, message: str) -> None:
    with pytest.raises(IdNumberError) as exc_info:
        parse(number, today=TODAY)
    assert exc_info.value.code == code
    assert str(exc_info.value) == message
    assert isinstance(exc_info.value, ValueError)
    assert not is_valid(number, today=TODAY)


def test_region_is_checked_before_check_digit() -> None:
    with pytest.raises(IdNumberError) as exc_info:
        parse("990105194912310020", today=TODAY)
    assert exc_info.value.code == "region"


def test_every_listed_province_code_is_accepted() -> None:
    expected = {
        *range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
        *range(50, 55), *range(61, 66), 71, 81, 82, 83,
    }  # fmt: skip
    assert {int(code) for code in PROVINCES} == expected
    for code, name in PROVINCES.items():
        number = generate(region=code + "0101", birth_date=date(1980, 1, 1), sex="F", seq=2)
        assert parse(number, today=TODAY).province == name


# --- mask ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("370102199003071234", "3701**********1234"),
        ("130503670401001", "1305*******1001"),
        ("123456789", "1234*6789"),
        ("12345678", "********"),
        ("abc", "***"),
        ("", ""),
    ],
)
def test_mask(number: str, masked: str) -> None:
    assert mask(number) == masked


@given(st.text(max_size=40))
def test_mask_reveals_at_most_8_characters(text: str) -> None:
    masked = mask(text)
    assert len(masked) == len(text)
    shown = [i for i, c in enumerate(masked) if c != "*"]
    assert len(shown) <= 8
    assert all(masked[i] == text[i] for i in shown)


# --- generate -------------------------------------------------------------------------

regions = st.builds(
    lambda province, rest: province + f"{rest:04d}",
    st.sampled_from(sorted(PROVINCES)),
    st.integers(0, 9999),
)
birth_dates = st.dates(date(1900, 1, 1), TODAY)
sexes: st.SearchStrategy[Sex] = st.sampled_from(("M", "F"))


@given(regions, birth_dates, sexes, st.integers(0, 999))
def test_generate_round_trips(region: str, born: date, sex: Sex, seq: int) -> None:
    number = generate(region=region, birth_date=born, sex=sex, seq=seq)
    info = parse(number, today=TODAY)
    assert info.number == number
    assert (info.region, info.birth_date, info.sex) == (region, born, sex)
    assert info.province == PROVINCES[region[:2]]


@given(regions, birth_dates, sexes, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_single_digit_changes_are_rejected(
    region: str, born: date, sex: Sex, seq: int, pos: int, delta: int
) -> None:
    # MOD 11-2 detects every single substitution in the first 17 digits.
    number = generate(region=region, birth_date=born, sex=sex, seq=seq)
    changed = str((int(number[pos]) + delta) % 10)
    assert not is_valid(number[:pos] + changed + number[pos + 1 :], today=TODAY)


@given(st.text(max_size=25))
def test_parse_only_raises_id_number_error(text: str) -> None:
    # Any other exception type escaping parse() fails the test by propagating.
    error: IdNumberError | None = None
    try:
        info = parse(text, today=TODAY)
    except IdNumberError as exc:
        error = exc
    if error is None:
        assert len(info.number) == 18
    else:
        assert error.code in {"length", "chars", "region", "birth_date", "check_digit"}


def test_generate_forces_sex_parity() -> None:
    male = generate(region="110105", birth_date=date(1990, 1, 1), sex="M", seq=998)
    female = generate(region="110105", birth_date=date(1990, 1, 1), sex="F", seq=999)
    assert male[14:17] == "999"
    assert female[14:17] == "998"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"region": "99010", "birth_date": date(1990, 1, 1), "seq": 1}, "region"),
        ({"region": "990101", "birth_date": date(1990, 1, 1), "seq": 1}, "region"),
        ({"region": "110105", "birth_date": date(1899, 12, 31), "seq": 1}, "1900"),
        ({"region": "110105", "birth_date": date(1990, 1, 1), "seq": 1000}, "seq"),
        ({"region": "110105", "birth_date": date(1990, 1, 1), "seq": -1}, "seq"),
    ],
)
def test_generate_rejects_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        generate(sex="M", **kwargs)  # type: ignore[arg-type]
