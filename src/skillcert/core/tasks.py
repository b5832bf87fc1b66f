"""Background tasks of the core app; each reports its progress in a JobProgress row (house rule 10)."""

from __future__ import annotations

import logging
from datetime import date
from uuid import UUID

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from skillcert.core import audit, documents, selectors
from skillcert.core.models import User
from skillcert.core.services import jobs
from skillcert.core.services.deadlines import deadline_scan

logger = logging.getLogger(__name__)

# Progress is reported once per chunk: one UPDATE per 200 rows, not per row.
ROSTER_CHUNK = 200


@task()
def roster_export_task(job_id: str, organisation_id: int, user_id: int) -> dict[str, int]:
    """Write an enterprise's employee roster to an XLSX file attached to the job.

    Reads through the selectors as the requesting user, so the task sees exactly what the
    user could see when it runs (access may have changed since it was queued).
    ID numbers are masked (S14); the same builder as the direct download makes the file.
    """
    job_key = UUID(str(job_id))
    try:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        if user is None:
            raise Http404
        org = selectors.access_roster_enterprise(user=user, pk=organisation_id)
        employees = selectors.roster_employees(user=user, enterprise=org).select_related(
            "person", "department"
        )
        total = employees.count()
        jobs.job_start(job_id=job_key, total=total)
        rows: list[documents.RosterRow] = []
        chunk: list[object] = []
        for emp in employees.iterator(chunk_size=ROSTER_CHUNK):
            chunk.append(emp)
            if len(chunk) == ROSTER_CHUNK:
                rows.extend(documents.roster_rows(chunk, start=len(rows) + 1))
                chunk = []
                jobs.job_advance(
                    job_id=job_key,
                    by=ROSTER_CHUNK,
                    message=_("已处理 %(n)s / %(t)s 人") % {"n": len(rows), "t": total},
                )
        if chunk:
            rows.extend(documents.roster_rows(chunk, start=len(rows) + 1))
            jobs.job_advance(job_id=job_key, by=len(chunk))
        today = timezone.localdate()
        data = documents.roster_xlsx(enterprise_name=org.name, rows=rows, today=today)
        with transaction.atomic():
            audit.record(
                actor=user,
                action="export.roster",
                obj=org,
                summary={"count": len(rows), "format": "xlsx", "enterprise": org.name, "job": str(job_key)},
            )
            jobs.job_attach_file(
                job_id=job_key, filename=f"roster-{org.pk}-{today:%Y%m%d}.xlsx", content=data
            )
            jobs.job_finish(
                job_id=job_key,
                result={"rows": len(rows), "organisation_id": org.pk},
                message=_("%(org)s 花名册已生成，共 %(n)s 人。") % {"org": org.name, "n": len(rows)},
            )
        return {"rows": len(rows)}
    except Http404:
        jobs.job_fail(job_id=job_key, message=_("该组织不存在，或您无权导出其花名册。"))
        return {"rows": 0}
    except Exception:
        logger.exception("roster export %s failed", job_key)
        jobs.job_fail(job_id=job_key, message=_("导出失败，请稍后重试；仍失败请联系管理员。"))
        raise


@task()
def deadline_scan_task(on: str | None = None) -> dict[str, int]:
    """The daily deadline scan as a task (same as ``manage.py raise-deadline-notices``); ``on`` is YYYY-MM-DD."""
    today = date.fromisoformat(on) if on else timezone.localdate()
    return deadline_scan(today=today).as_dict()
