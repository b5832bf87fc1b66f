"""Logging in and out through the real login form, in a real browser."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from django.conf import LazySettings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from skillcert.core.models import OrgKind
from skillcert.core.models.accounts import Role
from tests.e2e.conftest import login_as
from tests.factories import OrganisationFactory, UserFactory, grant

pytestmark = pytest.mark.e2e

PASSWORD = "Skill-Pass-2026"
SHOTS = Path(tempfile.gettempdir())  # e2e-login*.png and e2e-home.png, to look at by eye


@pytest.fixture
def admin_user(settings: LazySettings) -> object:
    settings.OTP_REQUIRED = False
    city = OrganisationFactory(kind=OrgKind.CITY, name="济南市人力资源和社会保障局", region_code="370100")
    org = OrganisationFactory(name="济南重工浏览器测试有限公司", authority=city)
    return grant(
        UserFactory(username="e2e_admin", display_name="浏览器管理员", organisation=org),
        Role.ENTERPRISE_ADMIN,
    )


def test_login_then_logout(page: Page, live_server: LiveServer, admin_user: object) -> None:
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("#id_username")).to_be_visible()
    page.screenshot(path=SHOTS / "e2e-login.png", full_page=True)

    login_as(page, live_server, "e2e_admin", PASSWORD)

    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    navbar = page.locator("nav")
    expect(navbar).to_contain_text("浏览器管理员")
    page.screenshot(path=SHOTS / "e2e-home.png", full_page=True)

    with page.expect_navigation():
        page.locator("form[action$='/logout/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("#id_password")).to_be_visible()
    expect(navbar).not_to_contain_text("浏览器管理员")


def test_wrong_password_shows_error(page: Page, live_server: LiveServer, admin_user: object) -> None:
    login_as(page, live_server, "e2e_admin", "not-the-password")

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("#id_password")).to_be_visible()
    expect(page.locator(".errorlist, .alert-danger, .invalid-feedback").first).to_be_visible()
    page.screenshot(path=SHOTS / "e2e-login-error.png", full_page=True)
    expect(page.locator("nav")).not_to_contain_text("浏览器管理员")
