"""Login, logout, password change, second factor and the lockout page (S1–S5)."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from skillcert.core import throttle
from skillcert.core.errors import RuleViolation
from skillcert.core.forms import Form, add_rule_error
from skillcert.core.http import AuthedRequest
from skillcert.core.middleware import client_ip
from skillcert.core.models import User
from skillcert.core.passwords import password_change_reason
from skillcert.core.services import auth as auth_services

# One answer for an unknown name, a wrong password and an inactive account (S5).
BAD_LOGIN = gettext_lazy("登录名或密码不正确。")
_SIX_DIGITS = re.compile(r"[0-9]{6}")


# --- forms ------------------------------------------------------------------------------------------


class LoginForm(Form):
    username = forms.CharField(
        label=gettext_lazy("登录名"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=gettext_lazy("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(Form):
    old_password = forms.CharField(
        label=gettext_lazy("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=gettext_lazy("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise ValidationError(_("当前密码不正确。"), code="password_incorrect")
        return old

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif new1:
            try:
                validate_password(new1, self.user)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class OtpTokenForm(Form):
    token = forms.CharField(
        label=gettext_lazy("6 位验证码"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_token(self) -> str:
        # "123 456", as some authenticator apps display it, is accepted.
        token = str(self.cleaned_data["token"]).replace(" ", "")
        if not _SIX_DIGITS.fullmatch(token):
            raise ValidationError(_("请输入 6 位数字验证码。"), code="invalid")
        return token


# --- helpers ----------------------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _after_login(request: HttpRequest) -> HttpResponse:
    return redirect(_safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL))


def _is_verified(user: User) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _url_with_next(request: HttpRequest, name: str) -> str:
    next_url = _safe_next(request)
    return f"{reverse(name)}?{urlencode({'next': next_url})}" if next_url else reverse(name)


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, drawn here so the secret never leaves the server (CSP allows data: images)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- views ------------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Password login. A locked name gets axes' lockout page through `lockout_response` (S2)."""
    if request.method == "GET" and request.user.is_authenticated:
        return _after_login(request)
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        username, password = form.cleaned_data["username"], form.cleaned_data["password"]
        if throttle.ip_throttled(ip=client_ip(request)):
            auth_services.login_refusal_record(username=username, reason="throttled")
            form.add_error(None, _("您所在网络地址近一小时登录失败次数过多，请稍后再试或联系管理员。"))
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if not isinstance(user, User):
                form.add_error(None, BAD_LOGIN)
            elif auth_services.initial_password_spent(user=user):
                auth_services.login_refusal_record(username=username, reason="initial_password_spent")
                form.add_error(
                    None,
                    _(
                        "初始密码（或管理员重置的密码）只能登录一次，现已失效。请联系本单位管理员重新设置密码。"
                    ),
                )
            else:
                auth_login(request, user)
                return _after_login(request)
    context = {"form": form, "next": _safe_next(request), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "core/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out and delete the server-side session (S3); the audit receiver records it."""
    if request.user.is_authenticated:
        auth_logout(request)
        messages.info(request, _("您已安全退出。"))
    return redirect("core:login")


@login_required
@sensitive_post_parameters()
@never_cache
def password_change(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            changed = auth_services.password_change(
                user=user, new_password=form.cleaned_data["new_password1"]
            )
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            update_session_auth_hash(request, changed)
            messages.success(request, _("密码已修改。"))
            return _after_login(request)
    context = {
        "form": form,
        "reason": password_change_reason(user),
        "policy": password_validators_help_texts(),
        "max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
        "next": _safe_next(request),
    }
    return render(request, "core/auth/password_change.html", context)


@login_required
@sensitive_post_parameters()
@never_cache
def otp_setup(request: AuthedRequest) -> HttpResponse:
    """Bind a TOTP authenticator: scan the QR code (or type the key), then confirm with a code (S4)."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if not _is_verified(user):
            return redirect(_url_with_next(request, "core:otp_verify"))
        messages.info(request, _("您已绑定身份验证器。如需更换，请联系管理员重置。"))
        return _after_login(request)
    device = auth_services.otp_device_prepare(user=user)
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = auth_services.otp_enrol(user=user, device=device, token=form.cleaned_data["token"])
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id for the raised privilege
            messages.success(request, _("身份验证器已绑定。今后登录时，请输入其上显示的验证码。"))
            return _after_login(request)
    context = {
        "form": form,
        "qr": qr_data_uri(device.config_url),
        "secret": _grouped(base64.b32encode(device.bin_key).decode()),
        "issuer": settings.OTP_TOTP_ISSUER,
        "account": user.get_username(),
        "required": settings.OTP_REQUIRED and user.needs_otp,
        "next": _safe_next(request),
    }
    return render(request, "core/auth/otp_setup.html", context)


@login_required
@sensitive_post_parameters()
@never_cache
def otp_verify(request: AuthedRequest) -> HttpResponse:
    """Second step of the login for accounts with an authenticator (S4)."""
    user = request.user
    if _is_verified(user):
        return _after_login(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return redirect(_url_with_next(request, "core:otp_setup"))
    form = OtpTokenForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = auth_services.otp_check(user=user, device=device, token=form.cleaned_data["token"])
        except RuleViolation as exc:
            add_rule_error(form, exc)
        else:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id for the raised privilege
            return _after_login(request)
    return render(request, "core/auth/otp_verify.html", {"form": form, "next": _safe_next(request)})


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: the same page for every locked name, known or not (S2, S5)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "core/auth/lockout.html", context, status=403)
