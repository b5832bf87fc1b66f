"""Placeholder views."""

from django.http import Http404, HttpRequest, HttpResponse



def person_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def person_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def person_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def person_edit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def person_photo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def person_reveal(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
