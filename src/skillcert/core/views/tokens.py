"""API token pages (placeholder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def token_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def token_create(request: HttpRequest) -> HttpResponse:
    raise Http404


def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
