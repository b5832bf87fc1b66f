"""Placeholder views."""

from django.http import Http404, HttpRequest, HttpResponse



def job_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def job_progress(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
