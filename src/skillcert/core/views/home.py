"""Placeholder views."""

from django.http import Http404, HttpRequest, HttpResponse



def home(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
