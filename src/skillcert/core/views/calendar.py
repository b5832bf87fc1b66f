"""Working-day calendar pages (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def calendar_view(request: HttpRequest) -> HttpResponse:
    raise Http404


def calendar_year_create(request: HttpRequest) -> HttpResponse:
    raise Http404
