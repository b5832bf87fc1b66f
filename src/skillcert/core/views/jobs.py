"""Progress pages of background jobs: a bar that htmx refreshes every second, then the result (house rule 10)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import cast
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from skillcert.core import selectors
from skillcert.core.models import User
from skillcert.core.services import jobs as job_services


@require_GET
@login_required
def job_detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    job = selectors.access_job(user=request.user, pk=pk)
    return render(request, "core/jobs/detail.html", {"job": job})


@require_GET
@login_required
def job_progress(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The progress partial alone: what `hx-get` swaps in place of the bar."""
    job = selectors.access_job(user=request.user, pk=pk)
    response = render(request, "core/jobs/_progress.html", {"job": job})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def job_download(request: HttpRequest, pk: UUID) -> FileResponse:
    """The job's result file, for its creator only; never a public media URL (S6, S14)."""
    job = selectors.access_job(user=request.user, pk=pk)
    if not job.result_file:
        raise Http404
    handle = job_services.job_download(actor=cast(User, request.user), job=job)
    suffix = PurePosixPath(job.result_file.name).suffix
    response = FileResponse(handle, as_attachment=True, filename=f"{job.title}{suffix}")
    response["Cache-Control"] = "private, no-store"
    return response
