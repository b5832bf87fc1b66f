"""The pure part of the import (importer.py): labels agree with the models, cells parse, nothing raises."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from skillcert.catalog.models import Level
from skillcert.core import documents, idcard
from skillcert.core.models import EmploymentType
from skillcert.enrollment import importer
from skillcert.enrollment.models import CertificateKind, Education, PoliticalStatus

TODAY = date(2026, 11, 30)
ID = idcard.generate(region="370102", birth_date=date(1990, 5, 17), sex="M", seq=12)
OFFERINGS = {"车工 四级/中级工": 7}


def good(**over: object) -> dict[str, object]:
    item: dict[str, object] = {
        "employee_no": "E1",
        "name": "张三",
        "sex": "男",
        "birth_date": date(1990, 5, 17),
        "education": "大学专科",
        "id_number": ID,
        "current_post": "车工",
        "offering": "车工 四级/中级工",
        "application_type": "正常",
    }
    item.update(over)
    return item


def check(*items: dict[str, object]) -> list[importer.RowResult]:
    return importer.validate(list(enumerate(items, start=2)), offerings=OFFERINGS, today=TODAY)


def test_value_lists_match_the_models() -> None:
    assert list(importer.EDUCATION) == [(k, str(v)) for k, v in Education.choices]
    assert list(importer.POLITICAL_STATUS) == [(k, str(v)) for k, v in PoliticalStatus.choices]
    assert list(importer.EMPLOYMENT_TYPE) == [(k, str(v)) for k, v in EmploymentType.choices]
    assert list(importer.CERTIFICATE_KIND) == [(k, str(v)) for k, v in CertificateKind.choices]
    for n, label in importer.SKILL_LEVELS:
        assert str(Level(n).label) == label


def test_headers_match_by_name_whatever_the_width_and_spacing() -> None:
    assert importer.match_header(" 申报职业(工种)等级 ") == "offering"
    assert importer.match_header("*身份证号") == "id_number"
    assert importer.match_header("职业（工种）") == "cert_occupation"
    assert importer.match_header("等级") == "cert_level"
    assert importer.match_header("备注") is None
    assert len({c.header for c in importer.COLUMNS}) == len(importer.COLUMNS)


def test_offering_label() -> None:
    assert importer.offering_label("焊工", "电焊工", 4) == "焊工（电焊工） 四级/中级工"
    assert importer.offering_label("车工", None, 3) == "车工 三级/高级工"


def test_dates() -> None:
    for value in (
        "2010-07-01",
        "2010/7/1",
        "2010.07.01",
        "2010年7月1日",
        "20100701",
        datetime(2010, 7, 1, 0, 0),
    ):
        assert importer.parse_date(value) == (date(2010, 7, 1), None), value
    assert importer.parse_date("2010.07") == (date(2010, 7, 1), None)
    assert importer.parse_date("2010-02-30")[1] == "不是有效的日期。"
    assert importer.parse_date(40000)[1] is not None
    assert importer.parse_date(date(1899, 12, 31))[1] is not None


def test_years() -> None:
    assert importer.parse_years(8) == (Decimal("8.0"), None)
    assert importer.parse_years("8.25年") == (Decimal("8.2"), None)
    assert importer.parse_years(True)[1] == "应为数字。"
    assert importer.parse_years(float("nan"))[1] is not None
    assert importer.parse_years(-1)[1] is not None


def test_a_clean_row_and_its_record() -> None:
    [result] = check(
        good(phone=13800138000, cert_kind="职称", cert_level="中级", cert_issued_on="2019-01-01")
    )
    assert result.errors == []
    record = result.record
    assert record is not None
    assert (record.row, record.id_number, record.employee_no, record.offering_id) == (2, ID, "E1", 7)
    assert record.fields["phone"] == "13800138000"
    assert record.fields["is_exceptional"] is False and record.fields["exceptional_grounds"] == []
    assert "school" not in record.fields  # not given: left as it is
    assert record.certificate == importer.CertificateData(
        "professional", None, "intermediate", "", "", date(2019, 1, 1)
    )


def test_blank_optional_cell_clears_absent_one_does_not() -> None:
    [result] = check(good(school="", political_status="", occupation_years=""))
    assert result.record is not None
    fields = result.record.fields
    assert (
        fields["school"] == ""
        and fields["political_status"] == "masses"
        and fields["occupation_years"] is None
    )


def test_id_errors_are_masked_and_name_the_check_digit() -> None:
    bad = ID[:17] + ("0" if ID[17] != "0" else "1")
    [result] = check(good(id_number=bad))
    [issue] = result.errors
    assert issue.value == idcard.mask(bad)
    assert issue.reason == f"身份证号校验位应为 {ID[17]}，实际为 {bad[17]}。"


def test_sheet_without_header_row() -> None:
    sheet = importer.records_from_rows([["a", "b"], [1, 2]])
    assert sheet.errors and sheet.errors[0].reason.startswith("找不到表头行")


def test_read_back_a_written_sheet() -> None:
    headers = [c.header for c in importer.COLUMNS]
    row = good()
    values = [row.get(c.key, "") for c in importer.COLUMNS]
    data = documents.write_xlsx([documents.Sheet(title=importer.DATA_SHEET, headers=headers, rows=[values])])
    sheet = importer.read_records(data)
    assert sheet.errors == [] and len(sheet.records) == 1
    [result] = importer.validate(sheet.records, offerings=OFFERINGS, today=TODAY)
    assert result.errors == [], result.errors


cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(),
    st.sampled_from(
        ["男", "大学专科", "车工 四级/中级工", "破格", "职业技能等级证书", "五级/初级工", ID, "2010-13-01"]
    ),
)


@settings(max_examples=300)
@given(st.lists(st.dictionaries(st.sampled_from([c.key for c in importer.COLUMNS]), cells), max_size=5))
def test_validate_never_raises_and_every_row_is_judged(items: list[dict[str, object]]) -> None:
    results = importer.validate(list(enumerate(items, start=2)), offerings=OFFERINGS, today=TODAY)
    assert [r.row for r in results] == list(range(2, 2 + len(items)))
    for r in results:
        assert (r.record is None) == bool(r.errors)
        for issue in r.errors:
            assert issue.reason and issue.column and issue.row == r.row
