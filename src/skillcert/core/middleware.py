"""Request middleware: request id and client IP for the audit ledger; session and account policy."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Literal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from skillcert.core import context
from skillcert.core.passwords import password_change_reason

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,36}$")


def client_ip(request: HttpRequest) -> str:
    """The client address for the audit ledger and the login throttle.

    With SKILLCERT_PROXY_HOPS=N the address is taken N entries from the right of X-Forwarded-For
    (each trusted proxy appends one), so addresses a client puts at the left are ignored.
    """
    hops = settings.PROXY_HOPS
    if hops > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops][:45]
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


# --- Session and account policy (S1, S3, S4) ---------------------------------------------------------

# Session keys: when the login happened and when the account was last active (epoch seconds).
SESSION_AUTH_AT = "sc_auth_at"
SESSION_SEEN_AT = "sc_seen_at"
# Activity is written at most this often, so an active session is not re-saved on every request.
SEEN_RESOLUTION_SECONDS = 30
# Set on the request before an automatic logout; the audit receiver records it as the reason.
LOGOUT_REASON_ATTR = "skillcert_logout_reason"

# Where the policy never redirects: static files, the API (its own token auth) and public pages.
EXEMPT_PREFIXES: tuple[str, ...] = ("/static/", "/api/", "/verify")
# API calls made with a browser session still end when the session is idle or too old (S3);
# they are answered 401 by the API rather than redirected.
API_PREFIX = "/api/"
# Pages always open to a logged-in account, whatever step is pending.
EXEMPT_URL_NAMES: tuple[str, ...] = ("core:login", "core:logout")
# The pending steps, in the order they are enforced; each page is open while it is the pending step
# (or nothing is pending), so a password alone cannot enrol a new second factor (S4).
STEP_URL_NAMES: tuple[str, ...] = ("core:password_change", "core:otp_setup", "core:otp_verify")

EndReason = Literal["idle_timeout", "max_age"]


def _epoch() -> int:
    return int(timezone.now().timestamp())


def mark_session_start(session: SessionBase) -> None:
    """Called at login: the absolute lifetime and the idle clock start now."""
    now = _epoch()
    session[SESSION_AUTH_AT] = now
    session[SESSION_SEEN_AT] = now


def _ended(request: HttpRequest) -> EndReason | None:
    """Check the absolute lifetime (every account) and the idle limit (staff), and record activity."""
    session, now = request.session, _epoch()
    started = session.get(SESSION_AUTH_AT)
    if started is None:
        session[SESSION_AUTH_AT] = now
    elif now - int(started) > settings.SESSION_COOKIE_AGE:
        # The session row's expiry moves on each save, so the absolute limit is kept here.
        return "max_age"
    if not request.user.is_staff_account:  # type: ignore[union-attr]
        return None
    seen = session.get(SESSION_SEEN_AT)
    idle_limit = settings.SESSION_IDLE_MINUTES * 60
    if seen is not None and idle_limit > 0 and now - int(seen) > idle_limit:
        return "idle_timeout"
    if seen is None or now - int(seen) >= SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_AT] = now
    return None


def pending_step(request: HttpRequest) -> str | None:
    """The URL name of the step a logged-in account must take first, if any."""
    change, setup, verify = STEP_URL_NAMES
    user = request.user
    if password_change_reason(user) is not None:  # type: ignore[arg-type]
        return change
    if settings.OTP_REQUIRED and user.needs_otp:  # type: ignore[union-attr]
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            return verify if TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists() else setup
    return None


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)  # htmx would otherwise swap the whole page into a fragment
    return HttpResponseRedirect(url)


def _with_next(request: HttpRequest, url: str) -> str:
    if request.method == "GET":
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SessionPolicyMiddleware:
    """Idle timeout and absolute lifetime, then password change and second factor, in that order (S1, S3, S4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            if _ended(request) is not None:
                logout(request)  # the API then answers 401 to the anonymous request
            return self.get_response(request)
        if request.path_info.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        ended = _ended(request)
        if ended is not None:
            return self._end_session(request, ended)
        if request.path not in {reverse(name) for name in EXEMPT_URL_NAMES}:
            step = pending_step(request)
            if step is not None and request.path != reverse(step):
                return _redirect(request, _with_next(request, reverse(step)))
        return self.get_response(request)

    def _end_session(self, request: HttpRequest, reason: EndReason) -> HttpResponse:
        next_path = request.get_full_path() if request.method == "GET" else ""
        setattr(request, LOGOUT_REASON_ATTR, reason)
        logout(request)  # flushes the server-side session; the receiver audits the reason
        # MessageMiddleware runs after this one, so the message is stored by hand (in the cookie).
        storage = default_storage(request)
        storage.add(messages.WARNING, _("会话已超时，请重新登录。"))
        login_url = reverse("core:login")
        response = _redirect(
            request, f"{login_url}?{urlencode({'next': next_path})}" if next_path else login_url
        )
        storage.update(response)
        return response
