"""Writes for background-job progress records."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from skillcert.core.models import JobProgress, JobStatus, Organisation, User


def job_create(*, actor: User, kind: str, title: str, total: int = 0, organisation: Organisation | None = None) -> JobProgress:
    return JobProgress.objects.create(
        kind=kind, title=title, created_by=actor, organisation=organisation or actor.organisation, total=total
    )


def job_start(*, job_id: object, total: int | None = None) -> None:
    fields: dict[str, Any] = {"status": JobStatus.RUNNING, "started_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    JobProgress.objects.filter(pk=job_id).update(**fields)


def job_advance(*, job_id: object, by: int = 1, message: str | None = None) -> None:
    # A single UPDATE so several workers may report progress without a lost update.
    fields: dict[str, Any] = {"done": F("done") + by}
    if message is not None:
        fields["message"] = message[:300]
    JobProgress.objects.filter(pk=job_id).update(**fields)


def job_finish(*, job_id: object, result: dict[str, Any] | None = None, message: str = "") -> None:
    JobProgress.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, finished_at=timezone.now(), result=result or {}, message=message[:300], done=F("total")
    )


def job_fail(*, job_id: object, message: str) -> None:
    JobProgress.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, finished_at=timezone.now(), message=message[:300]
    )
