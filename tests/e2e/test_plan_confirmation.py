"""In a real browser: the enterprise builds the assessment plan, is refused 9 working days ahead, moves the
date, submits; the city authority returns it, the enterprise fixes it, the authority confirms (R4, R5).

"Today" is the real today (the live server runs in another thread, so the clock is not mocked): the round
evaluates a few working days from now, counted with the 2026 working-day calendar loaded by the test.
Screenshots of every step and the downloaded plan go to test-results/ (e2e-plan-*.png, e2e-plan-考核方案.*).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import cast

import pytest
from django.conf import LazySettings
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from skillcert.catalog.models import ModuleKind, StandardModule
from skillcert.core import calendar as workcal
from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.core.models.accounts import Role
from skillcert.core.services.calendar import calendar_year_load
from skillcert.core.workdays import UnknownYearError
from skillcert.rounds import services_plans as sp
from skillcert.rounds.announcement import cn_date
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus
from tests.e2e.conftest import login_as
from tests.enrollment.factories import (
    ApplicationFactory,
    AuthorityFactory,
    EnterpriseFactory,
    OccupationFactory,
    OfferingFactory,
)
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.e2e

PASSWORD = "Skill-Pass-2026"
OUT = Path(__file__).resolve().parents[2] / "test-results"
RETURN_REASON = "考场设置未写明每个考场的人数和监考安排，请补充后重新提交。"
ROOM_SETUP = "理论考场2个；实操考场3个。"
ROOM_SETUP_FIXED = "理论考场2个（每场30人，监考2人）；实操考场3个（每场10人，考评员3人）。"


@dataclass
class World:
    round: Round
    offerings: list[RoundOffering]
    nine_ahead: date
    earliest: date


def _nine_working_days_ahead(today: date) -> date:
    """The last day before the earliest allowed first day that is a working day: only 9 working days ahead."""
    earliest = sp.earliest_first_day(today)
    day = earliest - timedelta(days=1)
    while not workcal.is_workday(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def world(settings: LazySettings) -> World:
    settings.OTP_REQUIRED = False
    today = timezone.localdate()
    calendar_year_load(actor=None, year=today.year)
    try:
        sp.earliest_first_day(today)
    except RuleViolation:  # late December: the 10 working days reach next year
        try:
            calendar_year_load(actor=None, year=today.year + 1)
        except UnknownYearError:
            pytest.skip(
                f"chinesecalendar has no {today.year + 1} data: 10 working days from {today} cannot be counted"
            )
    nine_ahead = _nine_working_days_ahead(today)
    earliest = sp.earliest_first_day(today)
    # Today plus the 9 working days before nine_ahead: only 9 days, one short of R5.1's 10.
    assert workcal.workdays_between(today - timedelta(days=1), nine_ahead - timedelta(days=1)) == 9

    city = AuthorityFactory(name="济南市人力资源和社会保障局", region_code="370100")
    ent = EnterpriseFactory(name="济南重工浏览器测试有限公司", short_name="济南重工", authority=city)
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    welder = OccupationFactory(code="6-18-02-04", name="焊工")
    o1 = cast(
        RoundOffering,
        OfferingFactory(
            round__enterprise=ent,
            round__name=f"{today.year}年第3批",
            round__registration_opens=today - timedelta(days=30),
            round__registration_closes=today - timedelta(days=1),
            round__evaluation_starts=nine_ahead,
            round__evaluation_ends=nine_ahead + timedelta(days=2),
            occupation=lathe,
            level=4,
        ),
    )
    o2 = cast(RoundOffering, OfferingFactory(round=o1.round, occupation=welder, level=3))
    for o in (o1, o2):
        for kind in (ModuleKind.THEORY, ModuleKind.PRACTICAL):
            StandardModule.objects.get_or_create(standard=o.standard, level=o.level, kind=kind)
    ApplicationFactory(offering=o1, status="approved", employment_type="正式在岗")
    ApplicationFactory(offering=o1, status="approved", employment_type="劳务派遣")
    ApplicationFactory(offering=o2, status="approved", employment_type="正式在岗")
    grant(
        cast(User, UserFactory(username="e2e_admin", display_name="赵志刚", organisation=ent)),
        Role.ENTERPRISE_ADMIN,
    )
    grant(
        cast(User, UserFactory(username="e2e_city", display_name="孙丽华", organisation=city)),
        Role.AUTHORITY_REVIEWER,
    )
    return World(round=o1.round, offerings=[o1, o2], nine_ahead=nine_ahead, earliest=earliest)


def _shot(page: Page, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"e2e-plan-{name}.png"), full_page=True)


def _logout(page: Page) -> None:
    with page.expect_navigation():
        page.locator("form[action$='/logout/'] button[type=submit]").click()


def _save(page: Page, label: str = "保存") -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit], form button[type=submit]").filter(
            has_text=label
        ).last.click()


def _pledge_scan(tmp: Path) -> Path:
    path = tmp / "审核承诺书盖章扫描件.pdf"
    img = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 599, 856), outline=(60, 60, 60), width=3)
    draw.ellipse((420, 640, 560, 780), outline=(200, 30, 30), width=6)  # the seal
    img.save(path, format="PDF")
    return path


def _plan_page(page: Page, live_server: LiveServer, rnd: Round) -> None:
    """From the round's page to 考核方案与认定计划."""
    page.goto(f"{live_server.url}/rounds/{rnd.pk}/")
    page.get_by_test_id("plan-link").click()
    expect(page.locator("h1")).to_contain_text("考核方案与认定计划")


def test_plan_refused_moved_returned_fixed_confirmed(
    page: Page, live_server: LiveServer, world: World, tmp_path: Path
) -> None:
    rnd = world.round
    status = page.get_by_test_id("plan-status")

    # The enterprise admin opens the plan page of the round.
    login_as(page, live_server, "e2e_admin", PASSWORD)
    _plan_page(page, live_server, rnd)
    expect(status).to_have_text("草稿")
    expect(page.get_by_test_id("applicants")).to_contain_text("3")
    _shot(page, "01-plan-empty")

    # Typed sections of the assessment plan.
    page.get_by_role("link", name="填写考核方案").click()
    page.fill("#id_basis", "济南重工〔2026〕12号")
    page.fill("#id_sites", "济南市历城区工业北路1号 实训楼")
    page.fill("#id_schedule", "理论知识考试：首日上午；操作技能考核：首日下午起。")
    page.fill("#id_process", "资格审核、理论考试、技能考核、成绩汇总、公示、发证。")
    page.fill("#id_room_setup", ROOM_SETUP)
    page.fill("#id_staff_exam", "6")
    page.fill("#id_staff_assessors", "9")
    page.fill("#id_staff_supervisors", "2")
    page.fill("#id_contingency", "停电、设备故障时启用备用考场。")
    page.fill("#id_contact_name", "王老师")
    page.fill("#id_contact_phone", "0531-88880000")
    _shot(page, "02-plan-edit")
    _save(page)
    expect(page.locator(".alert-success")).to_contain_text("已保存")

    # Each offering's method: first with weights that do not add up, then right.
    for n, offering in enumerate(world.offerings):
        page.get_by_test_id("methods").locator("tr", has_text=str(offering)).get_by_role(
            "link", name="设置"
        ).click()
        page.select_option("#id_method", "examination")
        page.fill("#id_weight_theory", "30")
        page.fill("#id_weight_practical", "60" if n == 0 else "70")
        page.fill("#id_weight_ability", "40")
        page.fill("#id_weight_performance", "30")
        page.fill("#id_weight_ethics", "15")
        page.fill("#id_weight_craftsmanship", "15")
        _save(page)
        if n == 0:
            expect(page.locator("#id_weight_theory").locator("xpath=ancestor::form")).to_contain_text(
                "合计须为100%"
            )
            _shot(page, "03-method-refused")
            page.fill("#id_weight_practical", "70")
            _save(page)
        expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.get_by_test_id("methods")).not_to_contain_text("未确定")
    expect(page.get_by_test_id("methods")).to_contain_text("40/30/15/15")
    _shot(page, "04-plan-filled")

    # The DOCX and the PDF.
    for testid, ext in (("plan-docx", "docx"), ("plan-pdf", "pdf")):
        with page.expect_download() as info:
            page.get_by_test_id(testid).click()
        target = OUT / f"e2e-plan-考核方案.{ext}"
        info.value.save_as(target)
        data = target.read_bytes()
        assert len(data) > 1000, ext
        assert data.startswith(b"%PDF" if ext == "pdf" else b"PK"), ext

    # The sealed pledge scan.
    page.set_input_files("#id_scan", str(_pledge_scan(tmp_path)))
    with page.expect_navigation():
        page.get_by_role("button", name="上传扫描件").click()
    expect(page.locator(".alert-success")).to_contain_text("已上传审核承诺书扫描件")
    expect(page.get_by_test_id("problems")).to_have_count(0)

    # Submitting 9 working days ahead is refused with the earliest allowed date.
    with page.expect_navigation():
        page.get_by_test_id("submit-plan").click()
    refusal = page.locator(".alert-danger")
    expect(refusal).to_contain_text("至少10个工作日")
    expect(refusal).to_contain_text(cn_date(world.nine_ahead))
    expect(refusal).to_contain_text(f"评价最早可安排在{cn_date(world.earliest)}")
    expect(status).to_have_text("草稿")
    _shot(page, "05-submit-refused")

    # Move the date to the earliest allowed one.
    page.get_by_test_id("move-date").click()
    expect(page.locator("body")).to_contain_text(f"首场评价最早可安排在{cn_date(world.earliest)}")
    page.fill("#id_new_start", world.earliest.isoformat())
    _shot(page, "06-date-move")
    _save(page, "调整日期")
    expect(page.locator(".alert-success")).to_contain_text("已调整评价日期")
    expect(page.get_by_test_id("first-day")).to_contain_text(
        f"{world.earliest.year}年{world.earliest.month}月{world.earliest.day}日"
    )

    # Submit: accepted.
    with page.expect_navigation():
        page.get_by_test_id("submit-plan").click()
    expect(page.locator(".alert-success")).to_contain_text("认定计划已提交")
    expect(status).to_have_text("待确认")
    _shot(page, "07-submitted")
    _logout(page)

    # The city authority reviewer returns it with a reason.
    login_as(page, live_server, "e2e_city", PASSWORD)
    page.goto(f"{live_server.url}/rounds/plans/")
    queue = page.get_by_test_id("plan-queue").first
    expect(queue).to_contain_text("济南重工浏览器测试有限公司")
    expect(queue).to_contain_text(world.earliest.isoformat())
    _shot(page, "08-queue")
    queue.get_by_role("link", name=rnd.name).click()
    expect(page.get_by_test_id("confirm-plan")).to_be_visible()
    page.fill("#id_reasons", RETURN_REASON)
    with page.expect_navigation():
        page.get_by_test_id("return-plan").click()
    expect(page.locator(".alert-success")).to_contain_text("已退回认定计划")
    expect(status).to_have_text("退回修改")
    _shot(page, "09-returned")
    _logout(page)

    # The enterprise sees the reason, fixes the room set-up and resubmits.
    login_as(page, live_server, "e2e_admin", PASSWORD)
    _plan_page(page, live_server, rnd)
    expect(page.get_by_test_id("return-reasons")).to_contain_text(RETURN_REASON)
    _shot(page, "10-reason-seen")
    page.get_by_role("link", name="填写考核方案").click()
    expect(page.locator("#id_room_setup")).to_have_value(ROOM_SETUP)
    page.fill("#id_room_setup", ROOM_SETUP_FIXED)
    _save(page)
    expect(page.get_by_test_id("submit-plan")).to_have_text(re.compile("重新提交"))
    with page.expect_navigation():
        page.get_by_test_id("submit-plan").click()
    expect(page.locator(".alert-success")).to_contain_text("认定计划已提交")
    expect(status).to_have_text("待确认")
    _logout(page)

    # The authority confirms.
    login_as(page, live_server, "e2e_city", PASSWORD)
    page.goto(f"{live_server.url}/rounds/plans/")
    page.get_by_test_id("plan-queue").first.get_by_role("link", name=rnd.name).click()
    with page.expect_navigation():
        page.get_by_test_id("confirm-plan").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认认定计划")
    _shot(page, "11-confirmed-authority")
    _logout(page)

    # The enterprise sees the confirmed plan.
    login_as(page, live_server, "e2e_admin", PASSWORD)
    _plan_page(page, live_server, rnd)
    expect(status).to_have_text("已确认")
    expect(page.get_by_test_id("submit-plan")).to_have_count(0)
    _shot(page, "12-confirmed-enterprise")

    cert = CertificationPlan.objects.get(round=rnd)
    assert cert.status == CertificationPlanStatus.CONFIRMED
    assert cert.first_day == world.earliest and cert.candidate_count == 3
    assert cert.round.assessment_plan.room_setup == ROOM_SETUP_FIXED
