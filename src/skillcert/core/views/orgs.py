"""Placeholder views."""

from django.http import Http404, HttpRequest, HttpResponse



def org_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def org_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def org_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def org_edit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def department_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def department_edit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
