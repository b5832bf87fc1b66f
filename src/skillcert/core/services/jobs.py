"""Writes for background-job progress records."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from skillcert.core import audit
from skillcert.core.models import JobProgress, JobStatus, Organisation, User


def job_create(
    *, actor: User, kind: str, title: str, total: int = 0, organisation: Organisation | None = None
) -> JobProgress:
    return JobProgress.objects.create(
        kind=kind, title=title, created_by=actor, organisation=organisation or actor.organisation, total=total
    )


def job_start(*, job_id: UUID | str, total: int | None = None) -> None:
    fields: dict[str, Any] = {"status": JobStatus.RUNNING, "started_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    JobProgress.objects.filter(pk=job_id).update(**fields)


def job_advance(*, job_id: UUID | str, by: int = 1, message: str | None = None) -> None:
    # A single UPDATE so several workers may report progress without a lost update.
    fields: dict[str, Any] = {"done": F("done") + by}
    if message is not None:
        fields["message"] = message[:300]
    JobProgress.objects.filter(pk=job_id).update(**fields)


def job_finish(*, job_id: UUID | str, result: dict[str, Any] | None = None, message: str = "") -> None:
    JobProgress.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        result=result or {},
        message=message[:300],
        done=F("total"),
    )


def job_fail(*, job_id: UUID | str, message: str) -> None:
    JobProgress.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), message=message[:300]
    )


def job_attach_file(*, job_id: UUID | str, filename: str, content: bytes) -> str:
    """Store a task's result file and link it to the job; returns the stored name."""
    job = JobProgress.objects.get(pk=job_id)
    job.result_file.save(filename, ContentFile(content), save=False)
    JobProgress.objects.filter(pk=job_id).update(result_file=job.result_file.name)
    return job.result_file.name


def job_download(*, actor: User, job: JobProgress) -> File:
    """Open a job's result file for its creator; the download is audited (S9: personal-data exports)."""
    audit.record(
        actor=actor,
        action="job.download",
        obj=job,
        organisation_id=job.organisation_id,
        summary={"kind": job.kind, "file": job.result_file.name},
    )
    job.result_file.open("rb")
    return job.result_file
