"""Document downloads: the roster of an enterprise as PDF or Excel (audited personal-data exports)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from skillcert.core import audit, documents, tasks
from skillcert.core.http import AuthedRequest, file_response
from skillcert.core.selectors import access_roster_enterprise, roster_employees
from skillcert.core.services import jobs as job_services

Format = Literal["pdf", "xlsx", "docx"]
_CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_BUILDERS: dict[str, Callable[..., bytes]] = {
    "pdf": documents.roster_pdf,
    "xlsx": documents.roster_xlsx,
    "docx": documents.roster_docx,
}


def _download(data: bytes, filename: str, fmt: Format) -> HttpResponse:
    return file_response(data, filename=filename, content_type=_CONTENT_TYPES[fmt])


def roster_export(request: AuthedRequest, pk: int, fmt: Format) -> HttpResponse:
    user = request.user
    enterprise = access_roster_enterprise(user=user, pk=pk)
    employees = roster_employees(user=user, enterprise=enterprise)
    rows = documents.roster_rows(employees)
    today: date = timezone.localdate()
    data = _BUILDERS[fmt](enterprise_name=enterprise.name, rows=rows, today=today)
    # The file leaves only if its export is on the ledger (S9, S12).
    with transaction.atomic():
        audit.record(
            actor=user,
            action="export.roster",
            obj=enterprise,
            summary={"count": len(rows), "format": fmt, "enterprise": enterprise.name},
        )
    return _download(data, f"{enterprise.name}-人员花名册-{today:%Y%m%d}.{fmt}", fmt)


@require_GET
@login_required
def roster_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return roster_export(request, pk, "pdf")


@require_GET
@login_required
def roster_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    return roster_export(request, pk, "xlsx")


@require_GET
@login_required
def roster_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The roster as a Word table."""
    return roster_export(request, pk, "docx")


@require_POST
@login_required
def roster_export_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start the roster export as a background task and show its progress bar (house rule 10)."""
    enterprise = access_roster_enterprise(user=request.user, pk=pk)
    job = job_services.job_create(
        actor=request.user, kind="roster_export", title=_("%(n)s 人员花名册导出") % {"n": enterprise.name}
    )
    tasks.roster_export_task.enqueue(
        job_id=str(job.pk), organisation_id=enterprise.pk, user_id=request.user.pk
    )
    return redirect("core:job_detail", pk=job.pk)
