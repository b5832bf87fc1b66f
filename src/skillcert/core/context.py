"""Per-request facts (IP, request id) that services attach to audit events without passing them around."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str = ""
    request_id: str = ""


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "skillcert_request", default=RequestContext()
)


def current() -> RequestContext:
    return _current.get()


def bind(ctx: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(ctx)


def reset(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)
