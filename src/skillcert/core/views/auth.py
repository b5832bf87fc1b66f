"""Login, logout, password change and second factor (placeholder until the security work lands)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

login_view = auth_views.LoginView.as_view(template_name="core/login.html")
logout_view = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(template_name="core/form.html", success_url="/")


def otp_setup(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=404)


def otp_verify(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=404)


def lockout_response(request: HttpRequest, credentials: dict[str, object], *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("账号已锁定", status=403)
