"""The printable 申报表 (attachment 1): PDF and Word from the data, full ID number, audited (S14)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from skillcert.core.models import AuditEvent
from skillcert.enrollment import documents
from skillcert.enrollment.models import Application
from skillcert.enrollment.services import applications as services
from tests.enrollment.factories import CertificateFactory
from tests.enrollment.test_apply import ApplyCase

RARE = "𠀀"  # CJK Extension B, not in the certificate font


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match is not None
    return int(match.group(1))


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


class TestPrintedForm(ApplyCase):
    app: Application

    def setUp(self) -> None:
        super().setUp()
        self.app = self.complete()

    def test_pdf_has_the_name_full_id_and_fits_two_pages(self) -> None:
        response = self.candidate().get(reverse("enrollment:application_pdf", args=[self.app.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        pdf = response.content
        assert 1 <= pdf_pages(pdf) <= 2
        text = pdf_text(pdf)
        assert "职业技能等级认定申报表" in text
        assert self.w.person_a.name in text
        assert self.w.person_a.reveal_id_number() in text  # the signed form carries the full number
        assert "个人承诺" in text and "单位意见" in text and "申报人（签字）" in text
        event = AuditEvent.objects.filter(action="application.print").get()
        assert event.summary["format"] == "pdf"
        assert self.w.person_a.reveal_id_number() not in str(event.summary)  # never a full ID in the ledger

    def test_long_form_stays_within_two_pages(self) -> None:
        for i in range(4):
            CertificateFactory(application=self.app, number=f"S{i:021d}")
        Application.objects.filter(pk=self.app.pk).update(
            work_history="\n".join(f"{2000 + i}年 某单位 车工" for i in range(20)), achievements="成果" * 200
        )
        sheet = documents.build_sheet(application=Application.objects.get(pk=self.app.pk))
        pdf = documents.application_pdf(sheet)
        assert 1 <= pdf_pages(pdf) <= 2

    def test_one_page_for_a_usual_form(self) -> None:
        pdf = documents.application_pdf(documents.build_sheet(application=self.app))
        assert pdf_pages(pdf) == 1

    def test_docx_opens_and_has_the_name(self) -> None:
        response = self.candidate().get(reverse("enrollment:application_docx", args=[self.app.pk]))
        assert response.status_code == 200
        text = docx_text(response.content)
        assert self.w.person_a.name in text
        assert "职业技能等级认定申报表" in text and "个人承诺" in text and "（章）" in text
        assert AuditEvent.objects.filter(action="application.print", summary__format="docx").exists()

    def test_rare_character_prints_and_is_flagged_on_the_status_page(self) -> None:
        Application.objects.filter(pk=self.app.pk).update(name=f"王{RARE}明")
        app = Application.objects.get(pk=self.app.pk)
        data = services.application_print(actor=self.w.users["candidate"], application=app, fmt="pdf")
        assert pdf_pages(data) == 1
        page = self.candidate().get(reverse("enrollment:application_status", args=[app.pk])).content.decode()
        assert 'data-testid="unprintable"' in page and RARE in page

    def test_plain_name_has_no_warning(self) -> None:
        page = (
            self.candidate()
            .get(reverse("enrollment:application_status", args=[self.app.pk]))
            .content.decode()
        )
        assert 'data-testid="unprintable"' not in page
