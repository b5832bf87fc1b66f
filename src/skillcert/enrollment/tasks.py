"""Background tasks of the enrollment app; each reports its progress in a JobProgress row (house rule 10)."""

from __future__ import annotations

import logging
import uuid
from uuid import UUID

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from skillcert.core import crypto
from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.core.services import jobs
from skillcert.enrollment.services import imports
from skillcert.rounds.selectors import access_round

logger = logging.getLogger(__name__)

UPLOAD_DIR = "imports"
_UPLOAD_CONTEXT = b"enrollment.import_upload"


def upload_save(data: bytes) -> str:
    """Keep an uploaded file for the task, encrypted at rest like other personal data (S13); returns its name."""
    name = f"{UPLOAD_DIR}/{uuid.uuid4().hex}.bin"
    return default_storage.save(name, ContentFile(crypto.encrypt(data, context=_UPLOAD_CONTEXT)))


def upload_read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return crypto.decrypt(handle.read(), context=_UPLOAD_CONTEXT)


def upload_delete(name: str) -> None:
    if name.startswith(f"{UPLOAD_DIR}/") and default_storage.exists(name):
        default_storage.delete(name)


@task()
def import_applications_task(
    job_id: str, round_id: int, user_id: int, mode: str, upload: str
) -> dict[str, int]:
    """Import an uploaded Excel file of applications into a round; attach the report to the job.

    Runs as the requesting user, through the selectors, so access is checked again when the task
    runs. The uploaded file is deleted afterwards, whatever happens.
    """
    job_key = UUID(str(job_id))
    try:
        user = User.objects.select_related("organisation").filter(pk=user_id, is_active=True).first()
        if user is None:
            raise Http404
        rnd = access_round(user=user, pk=round_id, for_write=True)
        if mode not in imports.MODES:
            raise ValueError(f"unknown import mode {mode!r}")
        data = upload_read(upload)
        result = imports.import_applications(
            actor=user,
            round=rnd,
            data=data,
            mode=mode,  # type: ignore[arg-type]
            job_id=job_key,
        )
        report = imports.import_report_xlsx(result, round_name=rnd.name)
        with transaction.atomic():
            jobs.job_attach_file(
                job_id=job_key,
                filename=f"import-report-{rnd.pk}-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx",
                content=report,
            )
            jobs.job_finish(
                job_id=job_key,
                result={
                    "round_id": rnd.pk,
                    "written": result.written,
                    "refused": not result.written,
                    **result.counts,
                    "seconds": {k: round(v, 2) for k, v in result.timings.items()},
                },
                message=imports.import_summary(result),
            )
        return result.counts
    except Http404:
        jobs.job_fail(job_id=job_key, message=_("该认定批次不存在，或您无权向其导入申报。"))
        return {"rows": 0}
    except RuleViolation as exc:
        jobs.job_fail(job_id=job_key, message=str(exc))
        return {"rows": 0}
    except Exception:
        logger.exception("application import %s failed", job_key)
        jobs.job_fail(job_id=job_key, message=_("导入失败，未写入任何数据；请稍后重试，仍失败请联系管理员。"))
        raise
    finally:
        upload_delete(upload)
