"""Placeholder views."""

from django.http import Http404, HttpRequest, HttpResponse



def audit_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def audit_export(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
