"""Tests for the automatic application checks (R3.3): one case per flag, properties, speed."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillcert.core.idcard import PROVINCES, Sex, generate
from skillcert.enrollment.checks import (
    FLAG_SEVERITY,
    ApplicationFacts,
    CertificateFacts,
    CertificateKind,
    Flag,
    check_application,
    normalise_certificate_number,
    normalise_id,
    years_between,
)

TODAY = date(2026, 11, 30)
BORN = date(1990, 5, 17)
ID = generate(region="370102", birth_date=BORN, sex="M", seq=123)
OTHER_ID = generate(region="110105", birth_date=date(1985, 1, 2), sex="F", seq=40)
SKILL_NO = "Y000037000001234567890"
QUAL_NO = "1037000000300123"
KINDS: tuple[CertificateKind, ...] = ("qualification", "skill_level", "professional", "other")


def cert(**changes: object) -> CertificateFacts:
    base = CertificateFacts(
        kind="skill_level", level=4, occupation="电工", number=SKILL_NO, issued_on=date(2018, 6, 30)
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def app(**changes: object) -> ApplicationFacts:
    base = ApplicationFacts(
        name="张伟",
        sex="M",
        birth_date=BORN,
        id_number=ID,
        phone="13812345678",
        education="secondary_vocational",
        graduated_on=date(2008, 7, 1),
        work_started_on=date(2008, 7, 15),
        occupation_years=10.0,
        certificates=(cert(),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def only(flags: list[Flag]) -> Flag:
    assert len(flags) == 1, flags
    return flags[0]


def test_clean_application_has_no_flags() -> None:
    assert check_application(app(), today=TODAY) == []


def test_every_flag_carries_its_table_severity() -> None:
    flag = only(check_application(app(phone=""), today=TODAY))
    assert flag == Flag("phone.format", "warn", "phone", "R3.3", "未填写联系电话。")
    assert set(FLAG_SEVERITY.values()) == {"block", "warn"}


# --- the ID number itself (GB 11643, via core.idcard.parse) ---------------------------


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        ("", "id.length", "身份证号应为 18 位（或 15 位旧号码），实际为 0 位。"),
        ("37010219900517123", "id.length", "身份证号应为 18 位（或 15 位旧号码），实际为 17 位。"),
        (
            "37010219900517123Y",
            "id.chars",
            "身份证号前 17 位只能是数字，最后一位只能是数字或 X，第 18 位「Y」不符合。",
        ),
        ("990105194912310023", "id.region", "身份证号前两位「99」不是有效的省级行政区划代码。"),
        ("110105194902300020", "id.birth_date", "身份证号中的出生日期 19490230 不是有效日期。"),
        ("110105194912310021", "id.check_digit", "身份证号校验位应为 X，实际为 1。"),
    ],
)
def test_bad_id_number_blocks(number: str, code: str, message: str) -> None:
    flag = only(check_application(app(id_number=number), today=TODAY))
    assert flag == Flag(code, "block", "id_number", "R3.3", message)


def test_id_number_typed_loosely_is_accepted() -> None:
    spaced = f" {ID[:6]} {ID[6:14]} {ID[14:].lower()} "
    assert check_application(app(id_number=spaced), today=TODAY) == []


def test_sex_mismatch() -> None:
    flag = only(check_application(app(sex="F"), today=TODAY))
    assert flag == Flag("id.sex_mismatch", "block", "sex", "R3.3", "身份证号显示性别为男，表中填写女。")
    assert check_application(app(sex="M"), today=TODAY) == []


def test_birth_mismatch() -> None:
    flag = only(check_application(app(birth_date=date(1990, 5, 18)), today=TODAY))
    assert flag == Flag(
        "id.birth_mismatch",
        "block",
        "birth_date",
        "R3.3",
        "身份证号显示出生日期为 1990-05-17，表中填写 1990-05-18。",
    )
    assert check_application(app(birth_date=BORN), today=TODAY) == []


# --- 15-digit legacy numbers ---------------------------------------------------------------


LEGACY = "130503670401001"  # becomes 130503196704010016: 1967-04-01, male
LEGACY_18 = "130503196704010016"


def legacy_app(**changes: object) -> ApplicationFacts:
    base = app(
        id_number=LEGACY,
        birth_date=date(1967, 4, 1),
        graduated_on=date(1985, 7, 1),
        work_started_on=date(1985, 8, 1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_legacy_number_is_accepted_and_compared_after_conversion() -> None:
    assert normalise_id(LEGACY, today=TODAY) == LEGACY_18
    assert check_application(legacy_app(), today=TODAY) == []
    flag = only(check_application(legacy_app(birth_date=date(1967, 4, 2), sex="F"), today=TODAY)[1:])
    assert flag.message == "身份证号显示出生日期为 1967-04-01，表中填写 1967-04-02。"


def test_legacy_number_matches_its_18_digit_form_in_round_and_certificates() -> None:
    known = {SKILL_NO: LEGACY_18}
    assert check_application(legacy_app(), today=TODAY, known_certificates=known) == []
    # The holder recorded with the old number is still the same person.
    assert check_application(legacy_app(), today=TODAY, known_certificates={SKILL_NO: LEGACY}) == []
    flag = only(check_application(legacy_app(), today=TODAY, id_numbers_in_round={LEGACY_18: 1}))
    assert flag.code == "person.duplicate_in_round"
    assert (
        check_application(legacy_app(), today=TODAY, id_numbers_in_round={LEGACY_18: 1}, self_key=LEGACY)
        == []
    )


# --- dates -----------------------------------------------------------------------------------


def test_too_young_at_work_start() -> None:
    born = date(2000, 3, 1)
    number = generate(region="370102", birth_date=born, sex="M", seq=5)
    young = app(id_number=number, birth_date=born, graduated_on=None, occupation_years=None)
    flag = only(check_application(replace(young, work_started_on=date(2016, 2, 29)), today=TODAY))
    assert flag == Flag(
        "work.too_young",
        "warn",
        "work_started_on",
        "R3.3",
        "参加工作时间 2016-02-29 时年仅 15 岁（出生日期 2000-03-01），未满 16 周岁。",
    )
    assert check_application(replace(young, work_started_on=date(2016, 3, 1)), today=TODAY) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date": date(2026, 12, 1)}, "birth_date", "出生日期 2026-12-01 晚于今天（2026-11-30）。"),
        ({"graduated_on": date(2027, 7, 1)}, "graduated_on", "毕业时间 2027-07-01 晚于今天（2026-11-30）。"),
        (
            {"work_started_on": date(2026, 12, 1), "occupation_years": None},
            "work_started_on",
            "参加工作时间 2026-12-01 晚于今天（2026-11-30）。",
        ),
    ],
)
def test_future_dates_block(changes: dict[str, object], field: str, message: str) -> None:
    flags = check_application(app(**changes), today=TODAY)
    assert flags[0] == Flag("date.future", "block", field, "R3.3", message)
    # A future birth date cannot be compared with the ID number's; nothing else is flagged.
    assert len(flags) == 1


def test_today_is_not_the_future() -> None:
    assert check_application(app(graduated_on=TODAY), today=TODAY) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"graduated_on": date(1985, 7, 1)}, "graduated_on", "毕业时间 1985-07-01 早于出生日期 1990-05-17。"),
        ({"graduated_on": BORN}, "graduated_on", "毕业时间 1990-05-17 与出生日期相同。"),
        (
            {"work_started_on": date(1989, 9, 1), "occupation_years": None},
            "work_started_on",
            "参加工作时间 1989-09-01 早于出生日期 1990-05-17。",
        ),
    ],
)
def test_dates_before_birth_block(changes: dict[str, object], field: str, message: str) -> None:
    flag = only(check_application(app(**changes), today=TODAY))
    assert flag == Flag("date.before_birth", "block", field, "R3.3", message)


def test_day_after_birth_is_not_before_birth() -> None:
    assert check_application(app(graduated_on=BORN + timedelta(days=1)), today=TODAY) == []


def test_years_exceeding_work() -> None:
    started = app(work_started_on=date(2015, 7, 1))
    flag = only(check_application(replace(started, occupation_years=12.0), today=TODAY))
    assert flag == Flag(
        "years.exceed_work",
        "warn",
        "occupation_years",
        "R3.3",
        "填写从事本职业 12 年，但自参加工作（2015-07-01）至今仅 11.4 年。",
    )
    flag = only(check_application(replace(started, occupation_years=11.5), today=TODAY))
    assert flag.message == "填写从事本职业 11.5 年，但自参加工作（2015-07-01）至今仅 11.4 年。"
    assert check_application(replace(started, occupation_years=11.0), today=TODAY) == []
    # Exactly the years since the start is allowed.
    assert check_application(replace(started, occupation_years=11.0), today=date(2026, 7, 1)) == []


# --- certificates ------------------------------------------------------------------------------


def test_certificate_without_number_blocks() -> None:
    flag = only(check_application(app(certificates=(cert(kind="professional", number="  "),)), today=TODAY))
    assert flag == Flag(
        "cert.number_missing",
        "block",
        "certificates[0].number",
        "R3.3",
        "第 1 个证书（专业技术职务（职称）证书）未填写证书编号。",
    )
    ok = cert(kind="professional", number="鲁职改字〔2015〕第 12 号")
    assert check_application(app(certificates=(ok,)), today=TODAY) == []


@pytest.mark.parametrize(
    ("number", "shown", "length"),
    [
        ("Y00003700000123456789", "Y00003700000123456789", 21),
        ("X000037000001234567890", "X000037000001234567890", 22),
        ("Y00003700000123456789\u0661", "Y00003700000123456789\u0661", 22),  # Arabic-Indic 1
        (QUAL_NO, QUAL_NO, 16),
    ],
)
def test_skill_level_number_format_blocks(number: str, shown: str, length: int) -> None:
    flag = only(check_application(app(certificates=(cert(number=number),)), today=TODAY))
    assert flag == Flag(
        "cert.number_format",
        "block",
        "certificates[0].number",
        "R3.3",
        f"第 1 个证书（职业技能等级证书）编号「{shown}」不符合职业技能等级证书编号格式："
        f"应为 22 位，以 Y 或 S 开头，后接 21 位数字（实际 {length} 位）。",
    )


@pytest.mark.parametrize(
    "number",
    [
        SKILL_NO,
        "S000037000001234567890",
        "y000037000001234567890",
        "Y0000 3700 0001 2345 67890\n",
        "Ｙ００００３７０００００１２３４５６７８９０",
    ],
)
def test_skill_level_number_accepted_spellings(number: str) -> None:
    assert normalise_certificate_number(number) in {SKILL_NO, "S000037000001234567890"}
    assert check_application(app(certificates=(cert(number=number),)), today=TODAY) == []


def test_unusual_qualification_number_warns() -> None:
    legacy = cert(kind="qualification", number="1037-0000-0030", issued_on=date(2010, 1, 5))
    flag = only(check_application(app(certificates=(cert(), legacy)), today=TODAY))
    assert flag == Flag(
        "cert.number_unusual",
        "warn",
        "certificates[1].number",
        "R3.3",
        "第 2 个证书（职业资格证书）编号「1037-0000-0030」不是常见的 16 位数字格式（实际 14 位），请核对。",
    )
    ok = replace(legacy, number=QUAL_NO)
    assert check_application(app(certificates=(cert(), ok)), today=TODAY) == []


@pytest.mark.parametrize(
    ("issued_on", "message"),
    [
        (date(2026, 12, 1), "第 1 个证书（职业技能等级证书）发证日期 2026-12-01 晚于今天（2026-11-30）。"),
        (date(1989, 1, 1), "第 1 个证书（职业技能等级证书）发证日期 1989-01-01 早于出生日期 1990-05-17。"),
        (BORN, "第 1 个证书（职业技能等级证书）发证日期 1990-05-17 与出生日期相同。"),
    ],
)
def test_certificate_date_blocks(issued_on: date, message: str) -> None:
    flag = only(check_application(app(certificates=(cert(issued_on=issued_on),)), today=TODAY))
    assert flag == Flag("cert.date", "block", "certificates[0].issued_on", "R3.3", message)


def test_certificate_dated_today_or_undated_is_fine() -> None:
    assert check_application(app(certificates=(cert(issued_on=TODAY),)), today=TODAY) == []
    assert check_application(app(certificates=(cert(issued_on=None),)), today=TODAY) == []


def test_certificate_of_another_person_blocks() -> None:
    flag = only(check_application(app(), today=TODAY, known_certificates={SKILL_NO: OTHER_ID}))
    assert flag == Flag(
        "cert.duplicate_other_person",
        "block",
        "certificates[0].number",
        "R3.3",
        f"第 1 个证书（职业技能等级证书）编号「{SKILL_NO}」已登记在另一人名下，请核对证书编号。",
    )
    assert OTHER_ID[-4:] not in flag.message  # the other holder is never named to the applicant
    assert check_application(app(), today=TODAY, known_certificates={SKILL_NO: ID}) == []
    assert check_application(app(), today=TODAY, known_certificates={QUAL_NO: OTHER_ID}) == []


def test_certificate_lookup_uses_the_normalised_number() -> None:
    typed = app(certificates=(cert(number=" y0000 37000001234567890"),))
    flag = only(check_application(typed, today=TODAY, known_certificates={SKILL_NO: OTHER_ID}))
    assert flag.code == "cert.duplicate_other_person"


def test_certificate_holder_is_not_compared_while_the_id_number_is_bad() -> None:
    flags = check_application(app(id_number="123"), today=TODAY, known_certificates={SKILL_NO: OTHER_ID})
    assert [f.code for f in flags] == ["id.length"]


# --- one application per person per round (R3.2) ---------------------------------------------


def test_second_application_in_round_blocks() -> None:
    flag = only(check_application(app(), today=TODAY, id_numbers_in_round={ID: 1}))
    assert flag == Flag(
        "person.duplicate_in_round",
        "block",
        "id_number",
        "R3.2",
        f"本轮已有 1 份身份证号为 3701**********{ID[-4:]} 的申报，每人每轮限申报 1 个职业（工种）。",
    )
    # The application itself, already counted, is not a duplicate of itself.
    assert check_application(app(), today=TODAY, id_numbers_in_round={ID: 1}, self_key=ID) == []
    flag = only(check_application(app(), today=TODAY, id_numbers_in_round={ID: 3}, self_key=ID))
    assert flag.message.startswith("本轮已有 2 份")
    # Editing: counted under an old ID number, now typed as ID, where another one exists.
    flag = only(check_application(app(), today=TODAY, id_numbers_in_round={ID: 1}, self_key=OTHER_ID))
    assert flag.code == "person.duplicate_in_round"
    assert check_application(app(), today=TODAY, id_numbers_in_round={OTHER_ID: 2}) == []


# --- phone ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "８６１３８１２３４５６７８",
        "0531-88881234",
        "053188881234",
        "(0531)88881234",
        "010-12345678-123",
        "0531-8888123转456",
    ],
)
def test_phone_accepted(phone: str) -> None:
    assert check_application(app(phone=phone), today=TODAY) == []


@pytest.mark.parametrize(
    "phone", ["12812345678", "1381234567", "138123456789", "88881234", "电话13812345678"]
)
def test_phone_format_warns(phone: str) -> None:
    flag = only(check_application(app(phone=phone), today=TODAY))
    assert flag == Flag(
        "phone.format",
        "warn",
        "phone",
        "R3.3",
        f"联系电话「{phone}」既不是 11 位手机号码（以 1 开头），也不是带区号的固定电话，请核对。",
    )


# --- helpers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "years"),
    [
        (date(2000, 3, 1), date(2016, 3, 1), 16.0),
        (date(2000, 2, 29), date(2001, 2, 28), 1.0),
        (date(2000, 2, 29), date(2004, 2, 29), 4.0),
        (date(2001, 1, 1), date(2001, 7, 2), 182 / 365),
        (date(2016, 3, 1), date(2000, 3, 1), -16.0),
        (date(9998, 6, 1), date(9999, 12, 31), 1 + 213 / 365),
    ],
)
def test_years_between(a: date, b: date, years: float) -> None:
    assert years_between(a, b) == pytest.approx(years)


def test_years_between_is_exact_at_the_anniversary() -> None:
    assert years_between(date(2000, 3, 1), date(2016, 2, 29)) < 16


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (ID.lower(), ID),
        (LEGACY, LEGACY_18),
        ("110105194912310021", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_id(raw: str, expected: str | None) -> None:
    assert normalise_id(raw, today=TODAY) == expected


# --- properties ------------------------------------------------------------------------------------------

maybe_dates = st.one_of(st.none(), st.dates(), st.datetimes())
ids = st.one_of(
    st.text(max_size=20),
    st.builds(
        lambda region, born, sex, seq: generate(region=region + "0101", birth_date=born, sex=sex, seq=seq),
        st.sampled_from(sorted(PROVINCES)),
        st.dates(date(1900, 1, 1), TODAY),
        st.sampled_from(("M", "F")),
        st.integers(0, 999),
    ),
)
any_certificates = st.builds(
    CertificateFacts,
    kind=st.one_of(st.sampled_from(KINDS), st.text()),
    level=st.one_of(st.none(), st.integers()),
    occupation=st.text(),
    number=st.one_of(st.text(), st.from_regex(r"[YSys]\d{21}", fullmatch=True)),
    issued_on=maybe_dates,
)
any_applications = st.builds(
    ApplicationFacts,
    name=st.text(),
    sex=st.one_of(st.sampled_from(("M", "F")), st.text()),
    birth_date=maybe_dates,
    id_number=ids,
    phone=st.text(),
    education=st.text(),
    graduated_on=maybe_dates,
    work_started_on=maybe_dates,
    occupation_years=st.one_of(st.none(), st.floats(), st.integers()),
    certificates=st.lists(any_certificates, max_size=3).map(tuple),
)


@given(
    facts=any_applications,
    today=st.one_of(st.dates(), st.datetimes()),
    known=st.dictionaries(st.text(max_size=22), st.one_of(st.text(max_size=18), ids), max_size=3),
    in_round=st.dictionaries(st.one_of(st.text(max_size=18), ids), st.integers(), max_size=3),
    self_key=st.one_of(st.none(), st.text(max_size=18), ids),
)
def test_never_raises(
    facts: ApplicationFacts,
    today: date,
    known: dict[str, str],
    in_round: dict[str, int],
    self_key: str | None,
) -> None:
    # Make the certificate and round look-ups hit sometimes.
    for c in facts.certificates[:1]:
        known.setdefault(normalise_certificate_number(c.number), OTHER_ID)
    own = normalise_id(facts.id_number, today=today)
    if own is not None:
        in_round.setdefault(own, 2)
    flags = check_application(
        facts, today=today, known_certificates=known, id_numbers_in_round=in_round, self_key=self_key
    )
    for flag in flags:
        assert FLAG_SEVERITY[flag.code] == flag.severity
        assert flag.rule in {"R3.2", "R3.3"}
        assert flag.message.endswith("。")
        assert flag.field


@st.composite
def clean_applications(draw: st.DrawFn) -> tuple[ApplicationFacts, str]:
    born = draw(st.dates(date(1940, 1, 1), date(2010, 11, 30)))
    sex: Sex = draw(st.sampled_from(("M", "F")))
    region = draw(st.sampled_from(sorted(PROVINCES))) + "0102"
    number = generate(region=region, birth_date=born, sex=sex, seq=draw(st.integers(0, 999)))
    typed = number
    if born.year < 2000 and draw(st.booleans()):
        typed = number[:6] + number[8:17]  # the same person's 15-digit first-generation number
    sixteen = born.replace(year=born.year + 16)  # +16 keeps a 29 February in a leap year
    started = draw(st.dates(sixteen, TODAY))
    years = draw(st.floats(0, years_between(started, TODAY)))
    after_birth = born + timedelta(days=1)
    certificates = tuple(
        CertificateFacts(
            kind=kind,
            level=draw(st.sampled_from((None, 1, 2, 3, 4, 5))),
            occupation="电工",
            number=draw(
                st.builds(lambda p, n: f"{p}{n:021d}", st.sampled_from("YS"), st.integers(0, 10**21 - 1))
                if kind == "skill_level"
                else st.integers(0, 10**16 - 1).map("{:016d}".format)
                if kind == "qualification"
                else st.text("电工技师证字第号ABC0123456789-", min_size=1, max_size=20)
            ),
            issued_on=draw(st.one_of(st.none(), st.dates(after_birth, TODAY))),
        )
        for kind in draw(st.lists(st.sampled_from(KINDS), max_size=3))
    )
    facts = ApplicationFacts(
        name="李娜",
        sex=sex,
        birth_date=born,
        id_number=typed,
        phone=f"1{draw(st.integers(3, 9))}{draw(st.integers(0, 10**9 - 1)):09d}",
        education="bachelor",
        graduated_on=draw(st.one_of(st.none(), st.dates(after_birth, TODAY))),
        work_started_on=started,
        occupation_years=years,
        certificates=certificates,
    )
    return facts, number


@given(clean_applications())
def test_clean_generated_application_has_no_flags(case: tuple[ApplicationFacts, str]) -> None:
    facts, own = case
    known = {normalise_certificate_number(c.number): own for c in facts.certificates}
    flags = check_application(
        facts, today=TODAY, known_certificates=known, id_numbers_in_round={own: 1}, self_key=own
    )
    assert flags == []


def test_timing_of_50k_calls(capsys: pytest.CaptureFixture[str]) -> None:
    # Not an assertion: the bulk import budget is 50,000 rows in < 60 s in all.
    rows = [
        app(),
        app(sex="F", phone="123"),
        legacy_app(),
        app(id_number="110105194912310021", occupation_years=30.0),
        app(certificates=(cert(), cert(kind="qualification", number="12"), cert(kind="other", number="A-1"))),
    ]
    known = {SKILL_NO: OTHER_ID, QUAL_NO: ID}
    in_round = {ID: 1, LEGACY_18: 1}
    n = 50_000
    start = time.perf_counter()
    for i in range(n):
        check_application(
            rows[i % len(rows)],
            today=TODAY,
            known_certificates=known,
            id_numbers_in_round=in_round,
            self_key=ID,
        )
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\ncheck_application: {n} calls in {elapsed:.2f} s ({elapsed / n * 1e6:.1f} µs per call)")


def test_datetimes_from_excel_are_treated_as_dates() -> None:
    typed = app(
        birth_date=datetime(1990, 5, 17, 0, 0),
        graduated_on=datetime(2008, 7, 1, 0, 0),
        certificates=(cert(issued_on=datetime(2018, 6, 30, 0, 0)),),
    )
    assert check_application(typed, today=TODAY) == []
