"""Writes for authentication and account security: passwords, lockouts and the second factor (S1–S4)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from skillcert.core import access, audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent, User
from skillcert.core.models.accounts import Role
from skillcert.core.passwords import password_change_reason

# A secret shown for enrolment but never confirmed is replaced after this long.
PENDING_DEVICE_TTL = timedelta(hours=1)


def _validate_new_password(password: str, user: User, *, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise RuleViolation("S1", " ".join(exc.messages), field=field) from None


def initial_password_spent(*, user: User) -> bool:
    """An initial or reset password opens one session only (S1): has it already opened one?"""
    if not user.must_change_password:
        return False
    logins = AuditEvent.objects.filter(action="auth.login", actor_id=user.pk)
    if user.password_changed_at is not None:
        logins = logins.filter(at__gte=user.password_changed_at)
    return logins.exists()


def login_refusal_record(*, username: str, reason: Literal["throttled", "initial_password_spent"]) -> None:
    """Audit a login the view refused before or after the password check (S9)."""
    target = (
        User.objects.filter(username=username).only("pk", "organisation_id").first() if username else None
    )
    with transaction.atomic():
        audit.record(
            actor=None,
            # Throttled attempts are kept apart so they do not extend the throttle they hit.
            action="auth.login_throttled" if reason == "throttled" else "auth.login_failed",
            outcome="denied",
            actor_name=username[:150],
            object_type="core.user" if target else "",
            object_id=target.pk if target else "",
            organisation_id=target.organisation_id if target else None,
            summary={"reason": reason},
        )


def password_change(*, user: User, new_password: str, actor: User | None = None) -> User:
    """The account holder sets a new password; a pending forced change is cleared (S1)."""
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        _validate_new_password(new_password, locked, field="new_password1")
        if locked.check_password(new_password):
            raise RuleViolation("S1", _("新密码不能与当前密码相同。"), field="new_password1")
        reason = password_change_reason(locked) or "voluntary"
        locked.set_password(new_password)
        locked.password_changed_at = timezone.now()
        locked.must_change_password = False
        locked.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(
            actor=actor or locked, action="auth.password_change", obj=locked, summary={"reason": reason}
        )
    return locked


def may_manage_account(actor: User, user: User) -> bool:
    """System administrators manage every account (S7); an organisation's admin manages its own accounts."""
    if actor.pk == user.pk:
        return False
    if access.is_platform_admin(actor, Role.SYSTEM_ADMIN):
        return True
    if actor.organisation_id is None or actor.organisation_id != user.organisation_id:
        return False
    if access.is_enterprise_admin(actor):
        return True
    return access.is_authority_staff(actor) and actor.has_role(Role.AUTHORITY_ADMIN)


def password_reset(*, actor: User, user: User, new_password: str) -> User:
    """An administrator sets a one-time password: it opens one session, which must change it (S1)."""
    if not may_manage_account(actor, user):
        raise RuleViolation("S6", _("您无权重置该账号的密码。"))
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        _validate_new_password(new_password, locked, field="password")
        locked.set_password(new_password)
        locked.password_changed_at = timezone.now()
        locked.must_change_password = True
        locked.save(update_fields=["password", "password_changed_at", "must_change_password"])
        AxesProxyHandler.reset_attempts(username=locked.username)
        audit.record(actor=actor, action="auth.password_reset", obj=locked)
    return locked


def lockout_clear(*, actor: User, user: User) -> int:
    """Lift a login lockout before its 30 minutes are over (S2). Returns the failure records removed."""
    if not may_manage_account(actor, user):
        raise RuleViolation("S6", _("您无权解除该账号的锁定。"))
    with transaction.atomic():
        count = int(AxesProxyHandler.reset_attempts(username=user.username))
        audit.record(actor=actor, action="auth.unlock", obj=user, summary={"cleared": count})
    return count


def otp_device_prepare(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device whose secret the enrolment page shows; reused while fresh (S4)."""
    with transaction.atomic():
        User.objects.select_for_update(of=("self",)).filter(
            pk=user.pk
        ).first()  # one pending secret even with two tabs
        pending = TOTPDevice.objects.filter(user=user, confirmed=False)
        device = pending.filter(created_at__gte=timezone.now() - PENDING_DEVICE_TTL).order_by("-pk").first()
        if device is None:
            pending.delete()
            device = TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)
            audit.record(actor=user, action="auth.otp_prepare", obj=device)
    return device


def _check_token(device: TOTPDevice, token: str) -> tuple[bool, str]:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        until = (info or {}).get("locked_until")
        seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
        return False, _("验证码错误次数过多，请 %(s)d 秒后再试。") % {"s": seconds}
    if device.verify_token(token):
        return True, ""
    return False, _("验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字。")


def otp_enrol(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm a prepared device with a code from the authenticator app (S4)."""
    with transaction.atomic():
        locked = (
            TOTPDevice.objects.select_for_update(of=("self",))
            .filter(pk=device.pk, user=user, confirmed=False)
            .first()
        )
        if locked is None:
            raise RuleViolation("S4", _("该绑定请求已失效，请刷新页面后重新扫描二维码。"), field="token")
        ok, message = _check_token(locked, token)
        if ok:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit.record(actor=user, action="auth.otp_enrol", obj=locked, outcome="ok" if ok else "denied")
    if not ok:  # raised after the commit, so the failure count and its audit event are kept
        raise RuleViolation("S4", message, field="token")
    return locked


def otp_check(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Verify a code against the account's confirmed device (S4)."""
    with transaction.atomic():
        locked = (
            TOTPDevice.objects.select_for_update(of=("self",))
            .filter(pk=device.pk, user=user, confirmed=True)
            .first()
        )
        if locked is None:
            raise RuleViolation("S4", _("未找到已绑定的身份验证器，请重新绑定。"), field="token")
        ok, message = _check_token(locked, token)
        audit.record(actor=user, action="auth.otp_verify", obj=locked, outcome="ok" if ok else "denied")
    if not ok:
        raise RuleViolation("S4", message, field="token")
    return locked


def otp_reset(*, actor: User, user: User) -> int:
    """Remove an account's authenticators (a lost phone); it enrols again at its next login (S4)."""
    if not may_manage_account(actor, user):
        raise RuleViolation("S6", _("您无权重置该账号的身份验证器。"))
    with transaction.atomic():
        count, _deleted = TOTPDevice.objects.filter(user=user).delete()
        audit.record(actor=actor, action="auth.otp_reset", obj=user, summary={"devices": count})
    return count
