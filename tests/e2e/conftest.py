"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Run with `make e2e` (which installs chromium first). Every module here sets
`pytestmark = pytest.mark.e2e`, so `make test` leaves them out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

CHROMIUM = os.environ.get("SKILLCERT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    """Keep each phase's report on the item, so `page` can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def _restore_triggers(django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Put back the triggers `_e2e_db` set aside, after the flush at the end of the test."""
    saved: dict[str, Any] = {"sqlite": [], "pg_tables": []}
    yield saved
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for sql in saved["sqlite"]:
            cursor.execute(sql)
        for table in saved["pg_tables"]:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


@pytest.fixture(autouse=True)
def _e2e_db(_restore_triggers: dict[str, Any], transactional_db: None) -> Iterator[None]:
    """The live server runs in another thread: data must be committed for it to see them.

    A transactional test ends with a flush of every table, which the audit ledger's guard
    triggers (append-only, S11) refuse; they are set aside for the flush and put back after it.
    """
    yield
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
            )
            tables = set()
            for name, table, sql in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
                _restore_triggers["sqlite"].append(sql)
                tables.add(table)
            # Empty the guarded tables here: the flush alone still met the dropped trigger.
            for table in sorted(tables):
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 (names from sqlite_master)
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                " WHERE trigger_schema = current_schema()"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
                _restore_triggers["pg_tables"].append(table)


@pytest.fixture(scope="session")
def _allow_async_unsafe() -> Iterator[None]:
    # Playwright's sync API keeps an event loop running in this thread; Django would then refuse
    # ORM calls from the test body ("You cannot call this from an async context").
    old = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if old is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = old


@pytest.fixture(scope="session")
def browser(_allow_async_unsafe: None) -> Iterator[Browser]:
    """Headless Debian chromium (never `playwright install`); skipped locally when it is missing."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"{CHROMIUM} not found: install Debian's chromium (make e2e does it: scripts/browser-deps.sh)"
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _safe_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:150]


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context and page per test; a screenshot goes to test-results/ on failure."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        out = Path(request.config.rootpath) / "test-results"
        out.mkdir(exist_ok=True)
        path = out / f"{_safe_name(request.node.nodeid)}.png"
        try:
            pg.screenshot(path=str(path), full_page=True)
            print(f"\nscreenshot: {path}")
        except Exception as exc:  # the page may be gone; the test's own failure matters more
            print(f"\nno screenshot ({exc})")
    context.close()


def login_as(page: Page, live_server: LiveServer, username: str, password: str) -> None:
    """Fill and submit the real login form (no session tricks)."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
