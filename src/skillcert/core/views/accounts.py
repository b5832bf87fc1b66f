"""Placeholder views."""

from django.http import Http404, HttpRequest, HttpResponse



def account_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def account_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def account_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def role_grant(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def role_revoke(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
