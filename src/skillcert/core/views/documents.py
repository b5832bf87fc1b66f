"""Document downloads (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def roster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def roster_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
