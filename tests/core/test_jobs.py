"""Background-job pages (progress bar polled by htmx, download) and the roster export task (house rule 10)."""

from __future__ import annotations

import re
from datetime import timedelta
from unittest import mock

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from skillcert.core import documents, tasks
from skillcert.core.models import AuditEvent, JobProgress, JobStatus
from skillcert.core.services import jobs as job_services
from tests.base import AccessCase
from tests.factories import EmployeeFactory, PersonFactory


class JobCase(AccessCase):
    job: JobProgress

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.job = job_services.job_create(
            actor=cls.w.users["owner"], kind="roster", title="花名册导出", total=10
        )

    def progress(self, persona: str = "owner") -> str:
        return self.request_as(
            persona, "get", reverse("core:job_progress", args=[self.job.pk])
        ).content.decode()


class TestJobPages(JobCase):
    def test_only_the_creator_sees_the_job(self) -> None:
        for name in ("core:job_detail", "core:job_progress"):
            self.check_access(reverse(name, args=[self.job.pk]), allowed={"owner"})

    def test_running_job_polls_every_second(self) -> None:
        job_services.job_start(job_id=self.job.pk)
        job_services.job_advance(job_id=self.job.pk, by=4, message="已写入 4 / 10 行")
        page = self.request_as(
            "owner", "get", reverse("core:job_detail", args=[self.job.pk])
        ).content.decode()
        assert "花名册导出" in page and 'role="progressbar"' in page
        part = self.progress()
        assert f'hx-get="{reverse("core:job_progress", args=[self.job.pk])}"' in part
        assert 'hx-trigger="every 1s"' in part and 'hx-swap="outerHTML"' in part
        assert 'aria-valuenow="40"' in part and 'width="40%"' in part and "4 / 10" in part
        assert "已写入 4 / 10 行" in part
        assert "style=" not in part  # the CSP forbids inline styles

    def test_a_job_nobody_picks_up_or_that_stops_moving_says_so(self) -> None:
        assert 'data-testid="job-stalled"' not in self.progress()
        JobProgress.objects.filter(pk=self.job.pk).update(created_at=timezone.now() - timedelta(minutes=6))
        assert "后台任务进程（db_worker）可能没有运行" in self.progress()
        job_services.job_start(job_id=self.job.pk)
        assert 'data-testid="job-stalled"' not in self.progress()
        JobProgress.objects.filter(pk=self.job.pk).update(started_at=timezone.now() - timedelta(minutes=31))
        part = self.progress()
        assert "可能已中断" in part and 'hx-trigger="every 1s"' in part  # it may still finish

    def test_finished_job_stops_polling_and_offers_the_file(self) -> None:
        job_services.job_attach_file(job_id=self.job.pk, filename="roster.xlsx", content=b"PK-data")
        job_services.job_finish(job_id=self.job.pk, message="花名册已生成，共 10 人。")
        part = self.progress()
        assert "hx-trigger" not in part and "hx-get" not in part
        assert "花名册已生成，共 10 人。" in part and 'aria-valuenow="100"' in part
        download = reverse("core:job_download", args=[self.job.pk])
        assert download in part

    def test_failed_job_shows_its_message(self) -> None:
        job_services.job_fail(job_id=self.job.pk, message="导出失败。")
        part = self.progress()
        assert "导出失败。" in part and "alert-danger" in part and "hx-trigger" not in part

    def test_download_only_by_the_creator_and_audited(self) -> None:
        job_services.job_attach_file(job_id=self.job.pk, filename="roster.xlsx", content=b"PK-data")
        job_services.job_finish(job_id=self.job.pk)
        url = reverse("core:job_download", args=[self.job.pk])
        self.check_access(url, allowed={"owner"})
        response = self.client_for("owner").get(url)
        assert b"".join(response.streaming_content) == b"PK-data"  # type: ignore[attr-defined]
        assert "attachment" in response["Content-Disposition"]
        assert AuditEvent.objects.filter(action="job.download", object_id=str(self.job.pk)).count() == 2

    def test_no_file_no_download(self) -> None:
        assert (
            self.request_as("owner", "get", reverse("core:job_download", args=[self.job.pk])).status_code
            == 404
        )

    def test_unknown_job_is_404(self) -> None:
        url = reverse("core:job_detail", args=["00000000-0000-0000-0000-000000000000"])
        assert self.request_as("owner", "get", url).status_code == 404


class TestRosterExportTask(AccessCase):
    def run_export(self, persona: str, org_pk: int) -> JobProgress:
        user = self.w.users[persona]
        job = job_services.job_create(actor=user, kind="roster", title="花名册导出")
        tasks.roster_export_task.enqueue(job_id=str(job.pk), organisation_id=org_pk, user_id=user.pk)
        return JobProgress.objects.get(pk=job.pk)

    def rows(self, job: JobProgress) -> list[list[object]]:
        with job.result_file.open("rb") as fh:
            return documents.read_xlsx(fh.read())

    def test_builds_the_roster_in_steps(self) -> None:
        dept = self.w.dept_a
        for n in range(4):
            EmployeeFactory(enterprise=self.w.ent_a, department=dept, employee_no=f"R{n}")
        EmployeeFactory(
            enterprise=self.w.ent_a,
            department=dept,
            employee_no="R9",
            person=PersonFactory(name='=HYPERLINK("x")'),
        )
        with (
            mock.patch.object(tasks, "ROSTER_CHUNK", 2),
            mock.patch.object(tasks.jobs, "job_advance", wraps=job_services.job_advance) as advance,
        ):
            job = self.run_export("owner", self.w.ent_a.pk)
        assert job.status == JobStatus.DONE, job.message
        assert job.total == job.done == 6 and job.percent == 100
        assert [c.kwargs["by"] for c in advance.call_args_list] == [2, 2, 2]
        assert job.result_file.name.endswith(".xlsx") and job.result == {
            "rows": 6,
            "organisation_id": self.w.ent_a.pk,
        }
        rows = self.rows(job)
        # The same columns as the direct download (one builder for both).
        assert rows[0] == list(documents.ROSTER_HEADERS)
        body = [r for r in rows[1:] if isinstance(r[0], int)]
        assert len(body) == 6
        full_number = self.w.person_a.reveal_id_number()
        id_col = documents.ROSTER_HEADERS.index("身份证号")
        ids = [str(r[id_col]) for r in body]
        assert self.w.person_a.id_number_masked in ids and full_number not in ids
        assert all(re.fullmatch(r"\d{4}\*{10}[\dX]{4}", i) for i in ids)
        assert '=HYPERLINK("x")' in [r[2] for r in body]  # kept as text, not a formula
        assert "共 6 人" in job.message

    def test_authority_may_export_an_enterprise_it_supervises(self) -> None:
        job = self.run_export("city", self.w.ent_a.pk)
        assert job.status == JobStatus.DONE

    def test_other_tenant_fails_cleanly(self) -> None:
        job = self.run_export("outsider", self.w.ent_a.pk)
        assert job.status == JobStatus.FAILED and not job.result_file
        assert "无权" in job.message

    def test_unexpected_error_marks_the_job_failed(self) -> None:
        with mock.patch.object(tasks.jobs, "job_attach_file", side_effect=OSError("disk full")):
            job = self.run_export("owner", self.w.ent_a.pk)
        assert job.status == JobStatus.FAILED and "导出失败" in job.message
        assert "disk full" not in job.message

    def test_result_file_can_be_attached_by_name(self) -> None:
        job = job_services.job_create(actor=self.w.users["owner"], kind="x", title="x")
        name = job_services.job_attach_file(
            job_id=job.pk, filename="a.xlsx", content=ContentFile(b"1").read()
        )
        assert JobProgress.objects.get(pk=job.pk).result_file.name == name


class TestRosterExportStart(AccessCase):
    def test_start_redirects_to_progress_page(self) -> None:
        url = reverse("core:roster_export_start", args=[self.w.ent_a.pk])
        self.check_access(
            url,
            allowed={"owner", "staff", "city", "city_admin", "province"},
            method="post",
            data={},
            ok=(302,),
        )
        response = self.request_as("owner", "post", url, {})
        job = JobProgress.objects.filter(kind="roster_export").latest("created_at")
        assert response["Location"] == reverse("core:job_detail", args=[job.pk])
        assert job.status == JobStatus.DONE  # the immediate backend ran it inline
