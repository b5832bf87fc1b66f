"""Typed request for views behind login_required."""

from __future__ import annotations

from django.http import HttpRequest

from skillcert.core.models import User


class AuthedRequest(HttpRequest):
    """A request whose user is a logged-in account (views decorated with login_required)."""

    user: User
