"""Documents: PDF/Word/Excel rendering, the font check for certificate names, and the roster downloads."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime

import docx
import pytest
from django.urls import reverse

from skillcert.core import documents, fonts
from skillcert.core.models import AuditEvent, Employee
from tests.base import AccessCase
from tests.factories import EmployeeFactory, PersonFactory

TODAY = date(2026, 3, 5)


def page_count(pdf: bytes) -> int:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        match = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        assert match, out
        return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def sample_rows(n: int) -> list[documents.RosterRow]:
    return [
        documents.RosterRow(
            no=i,
            employee_no=f"E{i:05d}",
            name=f"王{i}",
            sex="男",
            birth_date=date(1980, 1, 1),
            id_number_masked=f"3701**********{i:04d}",
            department="金工车间",
            post="车工",
            employment_type="正式在岗",
        )
        for i in range(1, n + 1)
    ]


# --------------------------------------------------------------------------- rendering module


def test_roster_pdf_is_a4_with_page_numbers():
    pdf = documents.roster_pdf(enterprise_name="测试企业", rows=sample_rows(3), today=TODAY)
    assert pdf.startswith(b"%PDF")
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    assert "人员花名册" in text.replace(" ", "")
    assert "第 1 页 共 1 页" in text or "第1页共1页" in text.replace(" ", "")


def test_long_roster_runs_over_pages_in_one_pdf():
    pdf = documents.roster_pdf(enterprise_name="测试企业", rows=sample_rows(80), today=TODAY)
    pages = page_count(pdf)
    assert pages >= 3
    assert f"第{pages}页共{pages}页" in pdf_text(pdf).replace(" ", "")


def test_batch_binds_one_document_per_context():
    contexts = [
        {"enterprise": {"name": f"企业{i}"}, "rows": sample_rows(2), "today": TODAY} for i in range(3)
    ]
    pdf = documents.render_pdf_batch("core/documents/roster.html", contexts)
    assert page_count(pdf) == 3
    text = pdf_text(pdf)
    assert all(f"企业{i}" in text for i in range(3))


def test_xlsx_round_trip_keeps_types_and_never_writes_formulas():
    sheet = documents.Sheet(
        title="名单:1/2",  # characters Excel forbids in sheet names are replaced
        headers=["姓名", "人数", "日期", "时间", "备注"],
        rows=[
            ["张三", 3, date(2026, 1, 2), datetime(2026, 1, 2, 8, 30), "=1+1"],
            ["李四", 2.5, None, None, ""],
        ],
        notes=["说明：测试"],
    )
    data = documents.write_xlsx([sheet])
    rows = documents.read_xlsx(data)
    assert rows[0] == ["姓名", "人数", "日期", "时间", "备注"]
    assert rows[1] == ["张三", 3, date(2026, 1, 2), datetime(2026, 1, 2, 8, 30), "=1+1"]
    assert rows[2] == ["李四", 2.5, "", "", ""]
    assert rows[-1][0] == "说明：测试"
    assert documents.read_xlsx(data, sheet="名单_1_2")[0][0] == "姓名"


def test_docx_roster_opens_in_python_docx_with_east_asian_font():
    data = documents.roster_docx(enterprise_name="鲁A&B<测试>公司", rows=sample_rows(2), today=TODAY)
    doc = docx.Document(io.BytesIO(data))
    assert "鲁A&B<测试>公司" in doc.paragraphs[1].text  # escaped into XML, read back intact
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "工号", "姓名"]
    assert [c.text for c in table.rows[2].cells][2] == "王2"
    assert len(table.rows) == 3
    assert 'w:eastAsia="宋体"' in doc.styles.element.xml


# --------------------------------------------------------------------------- font check (R9.2)


@pytest.fixture
def cert_font() -> str:
    try:
        fonts.font_codepoints(fonts.CERTIFICATE_FONT)
    except fonts.FontNotFoundError as exc:
        pytest.skip(str(exc))
    return fonts.CERTIFICATE_FONT


def test_common_name_is_printable(cert_font):
    assert fonts.unprintable_chars("张伟 欧阳娜娜·阿卜杜拉", cert_font) == []
    assert fonts.unprintable_chars("喆堃赟䶮", cert_font) == []  # rare but in the font


def test_rare_characters_outside_the_font_are_reported(cert_font):
    # U+2A6A5 𪚥 (zhé, four dragons) and U+20000 𠀀 are not in Noto Serif CJK SC's cmap.
    assert fonts.unprintable_chars("李𪚥明𪚥𠀀", cert_font) == ["𪚥", "𠀀"]


def test_missing_font_is_refused_not_replaced_by_a_fallback():
    fonts.font_file.cache_clear()
    with pytest.raises(fonts.FontNotFoundError):
        fonts.font_file("No Such Font Family SC")


# --------------------------------------------------------------------------- roster downloads


class TestRosterDownloads(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(39):
            EmployeeFactory(
                enterprise=cls.w.ent_a,
                department=cls.w.dept_a,
                person=PersonFactory(name=f"李{i}", sex="F" if i % 2 else "M"),
            )
        # A former employee is not on the roster.
        EmployeeFactory(enterprise=cls.w.ent_a, is_active=False, person=PersonFactory(name="离职者"))

    def url(self, name: str, pk: int | None = None) -> str:
        return reverse(f"core:{name}", args=[pk or self.w.ent_a.pk])

    def test_pdf_access(self):
        self.check_access(self.url("roster_pdf"), ["owner", "staff", "city", "city_admin", "province"])

    def test_xlsx_access(self):
        self.check_access(self.url("roster_xlsx"), ["owner", "staff", "city", "city_admin", "province"])

    def test_only_enterprises_have_rosters(self):
        response = self.request_as("province", "get", self.url("roster_pdf", self.w.city.pk))
        assert response.status_code == 404

    def test_pdf_lists_the_enterprise_with_masked_ids_and_is_audited(self):
        response = self.request_as("city", "get", self.url("roster_pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        pdf = response.content
        assert pdf.startswith(b"%PDF")
        assert page_count(pdf) == 2  # 40 people: a header page and a continuation
        text = pdf_text(pdf)
        assert self.w.ent_a.name in text
        person = self.w.person_a
        assert person.id_number_masked in text
        assert person.reveal_id_number() not in text
        assert "离职者" not in text
        event = AuditEvent.objects.get(action="export.roster")
        assert event.actor_id == self.w.users["city"].pk
        assert event.object_id == str(self.w.ent_a.pk)
        assert event.summary["count"] == 40
        assert event.summary["format"] == "pdf"

    def test_xlsx_round_trips_with_masked_ids(self):
        response = self.request_as("owner", "get", self.url("roster_xlsx"))
        assert response.status_code == 200
        rows = documents.read_xlsx(response.content)
        assert rows[0] == list(documents.ROSTER_HEADERS)
        body = [r for r in rows[1:] if isinstance(r[0], int)]
        assert len(body) == 40
        assert [r[0] for r in body] == list(range(1, 41))
        ids = {r[5] for r in body}
        assert self.w.person_a.id_number_masked in ids
        assert all("*" in i for i in ids)
        full_ids = {e.person.reveal_id_number() for e in Employee.objects.filter(enterprise=self.w.ent_a)}
        assert not full_ids & {str(c) for r in rows for c in r}
        event = AuditEvent.objects.get(action="export.roster")
        assert event.summary == {"count": 40, "format": "xlsx", "enterprise": self.w.ent_a.name}

    def test_docx_contains_the_names(self):
        employees = Employee.objects.filter(enterprise=self.w.ent_a, is_active=True).select_related(
            "person", "department"
        )
        data = documents.roster_docx(
            enterprise_name=self.w.ent_a.name, rows=documents.roster_rows(employees), today=TODAY
        )
        doc = docx.Document(io.BytesIO(data))
        names = {row.cells[2].text for row in doc.tables[0].rows[1:]}
        assert self.w.person_a.name in names
        assert len(names) == 40
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
        assert self.w.person_a.id_number_masked in xml
        assert self.w.person_a.reveal_id_number() not in xml

    def test_denied_download_writes_no_event(self):
        self.request_as("outsider", "get", self.url("roster_pdf"))
        assert not AuditEvent.objects.filter(action="export.roster").exists()
