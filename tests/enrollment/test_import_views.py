"""The import pages (upload, template) and the import task: access, drop-downs, progress, report (R3.4)."""

from __future__ import annotations

import re
import zipfile
from datetime import timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from skillcert.core import documents
from skillcert.core.models import JobProgress, JobStatus
from skillcert.core.services import jobs as job_services
from skillcert.enrollment import importer, tasks
from skillcert.enrollment.models import Application
from skillcert.rounds.models import Round
from tests.enrollment.test_import import HEADERS, ImportCase, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data: bytes, name: str = "申报.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def sheet_xml(data: bytes, title: str) -> str:
    """The XML of the worksheet called `title` (xlsxwriter numbers them in order of creation)."""
    book = zipfile.ZipFile(BytesIO(data))
    workbook = book.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet name="([^"]+)"', workbook)
    return book.read(f"xl/worksheets/sheet{names.index(title) + 1}.xml").decode()


class TestTemplate(ImportCase):
    def url(self) -> str:
        return reverse("enrollment:import_template", args=[self.round.pk])

    def test_access(self) -> None:
        self.check_access(self.url(), allowed={"owner", "staff"})

    def test_headers_dropdowns_and_notes(self) -> None:
        response = self.request_as("staff", "get", self.url())
        assert response["Content-Type"] == XLSX
        assert "attachment" in response["Content-Disposition"]
        data = response.content

        rows = documents.read_xlsx(data, importer.DATA_SHEET)
        assert rows[0] == HEADERS  # the order of attachment 1, 工号 first
        assert importer.read_records(data).errors == []

        book = zipfile.ZipFile(BytesIO(data))
        workbook = book.read("xl/workbook.xml").decode()
        assert re.findall(r'<sheet name="([^"]+)"', workbook) == [importer.DATA_SHEET, "填表说明", "选项"]
        assert 'state="hidden"' in workbook  # the lists sheet

        xml = sheet_xml(data, importer.DATA_SHEET)
        validations = re.findall(r"<dataValidation ([^>]*)>(.*?)</dataValidation>", xml, re.S)
        by_column: dict[str, tuple[str, str]] = {}
        for attrs, body in validations:
            ref = re.search(r'sqref="([A-Z]+)2:', attrs)
            assert ref is not None
            kind = re.search(r'type="(\w+)"', attrs)
            by_column[ref.group(1)] = (kind.group(1) if kind else "", body)
        letter = {h: chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i, h in enumerate(HEADERS)}
        for header in (
            "性别",
            "文化程度",
            "政治面貌",
            "人员来源",
            "申报类型",
            "证书类别",
            "证书等级",
            "申报职业（工种）等级",
        ):
            kind, body = by_column[letter[header]]
            assert kind == "list", header
            assert "选项" in body, header
        for header in ("出生日期", "毕业时间", "参加工作时间", "发证日期"):
            assert by_column[letter[header]][0] == "date", header
        assert by_column[letter["本职业或相关职业累计年限"]][0] == "decimal"

        lists = documents.read_xlsx(data, "选项")
        columns = {
            lists[0][i]: [r[i] for r in lists[1:] if i < len(r) and r[i]] for i in range(len(lists[0]))
        }
        assert (
            set(columns["申报职业（工种）等级"])
            == set(self.labels.values())
            == {"车工 四级/中级工", "焊工 三级/高级工"}
        )
        assert columns["性别"] == ["男", "女"]
        assert columns["申报类型"] == ["正常", "破格"]
        assert "大学专科" in columns["文化程度"]

        notes = documents.read_xlsx(data, "填表说明")
        flat = [cell for row in notes for cell in row if isinstance(cell, str)]
        for header in HEADERS:
            assert header in flat
        assert "必填" in flat and "选填" in flat
        assert any(self.round.registration_closes.isoformat() in cell for cell in flat)


class TestUploadPage(ImportCase):
    def url(self) -> str:
        return reverse("enrollment:import_upload", args=[self.round.pk])

    def test_access(self) -> None:
        self.check_access(self.url(), allowed={"owner", "staff"})
        other = Round.objects.create(
            enterprise=self.w.ent_b,
            name="B 批次",
            year=2026,
            registration_opens=self.round.registration_opens,
            registration_closes=self.round.registration_closes,
            evaluation_starts=self.round.evaluation_starts,
            evaluation_ends=self.round.evaluation_ends,
        )
        assert (
            self.request_as("owner", "get", reverse("enrollment:import_upload", args=[other.pk])).status_code
            == 404
        )

    def test_page_links_the_template_and_shows_the_window(self) -> None:
        page = self.request_as("owner", "get", self.url()).content.decode()
        assert reverse("enrollment:import_template", args=[self.round.pk]) in page
        assert self.round.registration_closes.strftime("%Y-%m-%d") in page
        assert 'type="radio"' in page and 'value="good_rows_only"' in page
        assert "<script>" not in page and "style=" not in page

    def test_upload_runs_the_task_and_the_job_page_offers_the_report(self) -> None:
        response = self.request_as(
            "owner", "post", self.url(), {"file": upload(xlsx(self.rows(5))), "mode": "all_or_nothing"}
        )
        job = JobProgress.objects.get(kind=f"application_import:{self.round.pk}")
        assert response.status_code == 302
        assert response["Location"] == reverse("core:job_detail", args=[job.pk])
        assert job.status == JobStatus.DONE  # the immediate backend ran it inline
        assert job.result["created"] == 5 and job.result["written"] is True
        assert "新建 5" in job.message
        assert job.result_file
        assert Application.objects.filter(round=self.round).count() == 5
        assert default_storage.listdir(tasks.UPLOAD_DIR)[1] == []  # the upload is gone
        page = self.request_as("owner", "get", reverse("core:job_detail", args=[job.pk])).content.decode()
        assert reverse("core:job_download", args=[job.pk]) in page
        listing = self.request_as("owner", "get", self.url()).content.decode()
        assert reverse("core:job_detail", args=[job.pk]) in listing

    def test_bad_rows_give_a_report_and_write_nothing(self) -> None:
        rows = self.rows(40)
        rows[35]["身份证号"] = str(rows[35]["身份证号"])[:17] + "Z"
        self.request_as("staff", "post", self.url(), {"file": upload(xlsx(rows)), "mode": "all_or_nothing"})
        job = JobProgress.objects.get(kind=f"application_import:{self.round.pk}")
        assert job.status == JobStatus.DONE and job.result["written"] is False
        assert "未导入任何数据" in job.message
        assert Application.objects.count() == 0
        job.result_file.open("rb")
        report = documents.read_xlsx(job.result_file.read(), "错误明细")
        assert report[0] == ["行号", "列", "填写的值", "原因"]
        assert report[1][:2] == [37, "身份证号"]
        page = self.request_as("staff", "get", reverse("core:job_detail", args=[job.pk])).content.decode()
        assert "alert-warning" in page and "alert-success" not in page  # nothing written: amber, not green

    def test_good_rows_only_from_the_form(self) -> None:
        rows = self.rows(3)
        rows[1]["性别"] = "?"
        self.request_as("owner", "post", self.url(), {"file": upload(xlsx(rows)), "mode": "good_rows_only"})
        job = JobProgress.objects.get(kind=f"application_import:{self.round.pk}")
        assert job.result["created"] == 2 and job.result["error_rows"] == 1
        assert Application.objects.count() == 2

    def test_not_an_excel_file_is_refused_on_the_form(self) -> None:
        for name, data in (("a.csv", b"a,b"), ("a.xlsx", b"not a zip")):
            response = self.request_as(
                "owner", "post", self.url(), {"file": upload(data, name), "mode": "all_or_nothing"}
            )
            assert response.status_code == 200
            assert "Excel" in response.content.decode()
        assert not JobProgress.objects.exists()

    def test_closed_window_is_refused_with_the_dates(self) -> None:
        today = timezone.localdate()
        Round.objects.filter(pk=self.round.pk).update(
            registration_closes=today - timedelta(days=1), registration_opens=today - timedelta(days=9)
        )
        response = self.request_as(
            "owner", "post", self.url(), {"file": upload(xlsx(self.rows(1))), "mode": "all_or_nothing"}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert (today - timedelta(days=1)).isoformat() in page
        assert not JobProgress.objects.exists()


class TestTask(ImportCase):
    def start(self, data: bytes, mode: str = "all_or_nothing", user: str = "owner") -> JobProgress:
        job = job_services.job_create(actor=self.w.users[user], kind="application_import", title="导入")
        name = tasks.upload_save(data)
        tasks.import_applications_task.enqueue(
            job_id=str(job.pk), round_id=self.round.pk, user_id=self.w.users[user].pk, mode=mode, upload=name
        )
        job.refresh_from_db()
        return job

    def test_progress_is_reported_and_the_report_attached(self) -> None:
        calls: list[int] = []
        real = job_services.job_advance

        def spy(*, job_id: object, by: int = 1, message: str | None = None) -> None:
            calls.append(by)
            real(job_id=job_id, by=by, message=message)  # type: ignore[arg-type]

        with mock.patch.object(job_services, "job_advance", spy):
            job = self.start(xlsx(self.rows(5)))
        assert job.status == JobStatus.DONE
        assert job.total == 10 and job.done == 10  # checking, then evaluating, each row once
        assert sum(calls) == 10 and len(calls) >= 3
        assert job.started_at is not None and job.finished_at is not None
        assert job.result_file.name.endswith(".xlsx")
        job.result_file.open("rb")
        summary = documents.read_xlsx(job.result_file.read(), "导入结果")
        assert ["新建申报", 5] in summary
        assert "seconds" in job.result

    def test_upload_is_encrypted_at_rest_and_removed(self) -> None:
        data = xlsx(self.rows(1))
        name = tasks.upload_save(data)
        with default_storage.open(name, "rb") as handle:
            stored = handle.read()
        assert data not in stored and b"PK\x03\x04" not in stored[:4]
        assert tasks.upload_read(name) == data
        tasks.upload_delete(name)
        assert not default_storage.exists(name)
        tasks.upload_delete("jobs/other.xlsx")  # only its own folder

    def test_a_user_who_may_not_import_gets_a_failed_job(self) -> None:
        job = self.start(xlsx(self.rows(1)), user="candidate")
        assert job.status == JobStatus.FAILED
        assert "无权" in job.message
        assert Application.objects.count() == 0

    def test_window_closed_when_the_task_runs(self) -> None:
        Round.objects.filter(pk=self.round.pk).update(status="cancelled")
        job = self.start(xlsx(self.rows(1)))
        assert job.status == JobStatus.FAILED and "未发布或已取消" in job.message

    def test_unexpected_error_fails_the_job_and_keeps_nothing(self) -> None:
        name = tasks.upload_save(xlsx(self.rows(1)))
        job = job_services.job_create(actor=self.owner, kind="application_import", title="导入")
        with (
            mock.patch("skillcert.enrollment.services.imports._Plan.write", side_effect=RuntimeError("boom")),
            pytest.raises(RuntimeError),
        ):
            tasks.import_applications_task.call(
                str(job.pk), self.round.pk, self.owner.pk, "all_or_nothing", name
            )
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and "未写入任何数据" in job.message
        assert not default_storage.exists(name)
        assert Application.objects.count() == 0

    def test_the_storage_holds_no_leftovers_after_a_bad_file(self) -> None:
        default_storage.save("imports/keep.txt", ContentFile(b"x"))
        job = self.start(b"PK\x03\x04 broken")
        assert job.status == JobStatus.DONE and job.result["written"] is False
        assert default_storage.listdir(tasks.UPLOAD_DIR)[1] == ["keep.txt"]
