"""Document downloads: the roster of an enterprise as PDF or Excel (audited personal-data exports)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from skillcert.core import access, audit, documents
from skillcert.core.http import AuthedRequest
from skillcert.core.models import Organisation, User
from skillcert.core.selectors import access_organisation, employee_list

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


def _roster_enterprise(user: User, pk: int) -> Organisation:
    """The enterprise whose employees this user may list: its own staff, or an authority over it."""
    org = access_organisation(user=user, pk=pk)
    # organisation_list also shows enterprises to platform admins, who may not read personal data (S7).
    if not org.is_enterprise or not access.enterprises_for(user).filter(pk=org.pk).exists():
        raise Http404
    return org


def _download(data: bytes, filename: str, fmt: Format) -> HttpResponse:
    response = HttpResponse(data, content_type=_CONTENT_TYPES[fmt])
    # RFC 6266: an ASCII fallback plus the UTF-8 Chinese name.
    response["Content-Disposition"] = (
        f"attachment; filename=\"roster.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response


def roster_export(request: AuthedRequest, pk: int, fmt: Format) -> HttpResponse:
    user = request.user
    enterprise = _roster_enterprise(user, pk)
    employees = (
        employee_list(user=user)
        .filter(enterprise=enterprise, is_active=True)
        .order_by("department__name", "employee_no", "pk")
    )
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
    """The roster as a Word table (not yet routed: needs a ``roster.docx`` line in core/urls.py)."""
    return roster_export(request, pk, "docx")
