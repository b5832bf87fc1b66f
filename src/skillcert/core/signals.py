"""Signal receivers that write audit events for authentication (S9): log-in, failure, lockout, log-out."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from skillcert.core import audit
from skillcert.core.middleware import LOGOUT_REASON_ATTR, mark_session_start
from skillcert.core.models import User


def _claimed_account(username: str) -> User | None:
    """The account a failed attempt named, if any: for the audit trail only, never for the response (S5)."""
    if not username:
        return None
    return User.objects.filter(username=username).only("pk", "organisation_id").first()


def _target_fields(target: User | None) -> dict[str, Any]:
    if target is None:
        return {}
    return {"object_type": "core.user", "object_id": target.pk, "organisation_id": target.organisation_id}


@receiver(user_logged_in, dispatch_uid="skillcert.audit.login")
def audit_login(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None and hasattr(request, "session"):
        mark_session_start(request.session)
    audit.record(actor=user, action="auth.login", obj=user)


@receiver(user_login_failed, dispatch_uid="skillcert.audit.login_failed")
def audit_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    username = str(credentials.get("username") or "")[:150]
    # axes' backend flags a request it refused because the name is already locked out.
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        actor=None,
        action="auth.login_failed",
        outcome="denied",
        actor_name=username,
        summary={"reason": "locked" if locked else "bad_credentials"},
        **_target_fields(_claimed_account(username)),
    )


@receiver(user_locked_out, dispatch_uid="skillcert.audit.lockout")
def audit_lockout(sender: object, request: HttpRequest, username: str | None, **kwargs: object) -> None:
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return  # a further attempt during a lockout: already audited as auth.login_failed (reason "locked")
    if settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT and failures > get_failure_limit(request, None):
        return  # axes re-signals every failure past the limit in this mode; the lockout began earlier
    cool_off = get_cool_off(request)
    name = (username or "")[:150]
    audit.record(
        actor=None,
        action="auth.lockout",
        outcome="locked",
        actor_name=name,
        summary={"failures": failures, "minutes": int(cool_off.total_seconds() // 60) if cool_off else None},
        **_target_fields(_claimed_account(name)),
    )


@receiver(user_logged_out, dispatch_uid="skillcert.audit.logout")
def audit_logout(sender: object, request: HttpRequest | None, user: User | None, **kwargs: object) -> None:
    if user is None:
        return
    reason = str(getattr(request, LOGOUT_REASON_ATTR, "user"))
    audit.record(actor=user, action="auth.logout", obj=user, summary={"reason": reason})
