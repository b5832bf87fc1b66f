"""Typed request for views behind login_required."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse

from skillcert.core.models import User


class AuthedRequest(HttpRequest):
    """A request whose user is a logged-in account (views decorated with login_required)."""

    user: User


def file_response(data: bytes, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """A generated document or stored upload as a download (or shown inline), never cached.

    RFC 6266: an ASCII fallback name plus the UTF-8 name, which may carry Chinese. Every file the
    platform serves may hold personal data, so none of them may sit in a shared or browser cache.
    """
    response = HttpResponse(data, content_type=content_type)
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"file.{ext}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
