"""In a real browser: a worker applies, the reviewer returns it, the worker fixes it, the reviewer approves it.

Screenshots of every step, the downloaded 申报表 PDF and a PNG of its first page go to test-results/
(e2e-apply-*.png, e2e-apply-申报表.pdf, e2e-apply-申报表-1.png), to be looked at by eye.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
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

from skillcert.core.models import Employee, Person, User
from skillcert.core.models.accounts import Role
from skillcert.enrollment.demo import placeholder_photo
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.rounds.models import RoundOffering
from tests.e2e.conftest import login_as
from tests.enrollment.factories import AuthorityFactory, EnterpriseFactory, OccupationFactory, OfferingFactory
from tests.factories import DepartmentFactory, EmployeeFactory, PersonFactory, UserFactory, grant

pytestmark = pytest.mark.e2e

PASSWORD = "Skill-Pass-2026"
OUT = Path(__file__).resolve().parents[2] / "test-results"
RETURN_REASON = "工作经历未填写，请补充参加工作以来的单位、岗位和起止年月后重新提交。"
WORK_HISTORY = "2008年07月—2013年03月  章丘锻压设备有限公司  车工\n2013年04月至今  济南重工浏览器测试有限公司金工车间  车工"


@dataclass
class World:
    worker: User
    reviewer: User
    person: Person
    employee: Employee
    offering: RoundOffering


@pytest.fixture
def world(settings: LazySettings) -> World:
    settings.OTP_REQUIRED = False
    city = AuthorityFactory(name="济南市人力资源和社会保障局", region_code="370100")
    ent = EnterpriseFactory(name="济南重工浏览器测试有限公司", short_name="济南重工", authority=city)
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    today = timezone.localdate()
    offering = cast(
        RoundOffering,
        OfferingFactory(
            round__enterprise=ent,
            round__name=f"{today.year}年第2批",
            round__registration_opens=today - timedelta(days=4),
            round__registration_closes=today + timedelta(days=21),
            occupation=lathe,
            level=4,
        ),
    )
    OfferingFactory(round=offering.round, occupation=lathe, level=3, standard=offering.standard)
    workshop = DepartmentFactory(enterprise=ent, name="金工车间")
    person = cast(Person, PersonFactory(name="李明辉", sex="M", birth_date=date(1988, 4, 12)))
    employee = cast(
        Employee,
        EmployeeFactory(
            person=person, enterprise=ent, department=workshop, post="车工", hired_on=date(2013, 4, 1)
        ),
    )
    worker = grant(
        cast(User, UserFactory(username="e2e_worker", display_name="李明辉", organisation=ent)),
        Role.CANDIDATE,
    )
    person.user = worker
    person.save(update_fields=["user"])
    reviewer = grant(
        cast(User, UserFactory(username="e2e_exam", display_name="王建国", organisation=ent)),
        Role.EXAM_STAFF,
    )
    return World(worker=worker, reviewer=reviewer, person=person, employee=employee, offering=offering)


def _files(tmp: Path) -> dict[str, Path]:
    """A 2-inch photo larger than needed (the server resizes it), an ID scan, a diploma PDF, a signed pledge."""
    photo = Image.open(io.BytesIO(placeholder_photo("M"))).resize((700, 980))
    paths = {
        "photo": tmp / "照片.jpg",
        "id": tmp / "身份证.png",
        "edu": tmp / "毕业证书.pdf",
        "pledge": tmp / "承诺书.jpg",
    }
    photo.save(paths["photo"], format="JPEG", quality=88)
    for key, fmt, colour in (
        ("id", "PNG", (236, 242, 248)),
        ("edu", "PDF", (250, 246, 236)),
        ("pledge", "JPEG", "white"),
    ):
        img = Image.new("RGB", (600, 380), colour)
        ImageDraw.Draw(img).rectangle((10, 10, 589, 369), outline=(90, 90, 90), width=3)
        img.save(paths[key], format=fmt)
    return paths


def _shot(page: Page, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"e2e-apply-{name}.png"), full_page=True)


def _logout(page: Page) -> None:
    with page.expect_navigation():
        page.locator("form[action$='/logout/'] button[type=submit]").click()


def _open_in_review(page: Page, live_server: LiveServer, name: str) -> None:
    """From the home page: 资格审核 → the round → the applicant in the queue."""
    login_as(page, live_server, "e2e_exam", PASSWORD)
    page.get_by_role("link", name="资格审核").first.click()
    page.locator("table a", has_text="年第2批").first.click()
    expect(page.locator("table")).to_contain_text(name)
    page.get_by_role("link", name=name).first.click()
    expect(page.locator("h1")).to_contain_text(name)


def test_apply_return_fix_approve(page: Page, live_server: LiveServer, world: World, tmp_path: Path) -> None:
    files = _files(tmp_path)
    offering = world.offering

    # The worker opens the round from the home page and starts the form.
    login_as(page, live_server, "e2e_worker", PASSWORD)
    rounds = page.get_by_test_id("candidate-rounds")
    expect(rounds).to_contain_text(offering.round.name)
    _shot(page, "01-home")
    rounds.get_by_role("link", name=re.compile(offering.round.name)).first.click()
    expect(page.get_by_test_id("apply-box")).to_be_visible()
    _shot(page, "02-announcement")
    page.get_by_test_id("apply-box").get_by_role("link", name="在线申报").click()
    expect(page.locator("h1")).to_contain_text("职业技能等级认定申报表")
    expect(page.locator("#id_name")).to_have_value("李明辉")  # prefilled from the ID and HR records
    expect(page.locator("#id_current_post")).to_have_value("车工")

    page.fill("#id_phone", "13905311234")
    page.select_option("#id_political_status", "cpc")
    page.set_input_files("#id_photo", str(files["photo"]))
    page.select_option("#id_education", "skilled_intermediate")
    page.fill("#id_school", "济南市技师学院")
    page.fill("#id_major", "机床切削加工（车工）")
    page.fill("#id_graduated_on", "2008-07-01")
    page.fill("#id_work_started_on", "2008-07-20")
    page.fill("#id_post_years", "13")
    page.fill("#id_occupation_years", "15")
    page.fill("#id_job_direction", "普通车床加工")
    page.select_option("#id_employment_type", "regular")
    # One certificate: an old 职业资格证书 whose number is not the usual 16 digits (a warning to verify).
    page.get_by_role("button", name="＋ 添加证书").click()
    page.select_option("#id_cert-0-kind", "qualification")
    page.select_option("#id_cert-0-level", "5")
    page.fill("#id_cert-0-occupation_name", "车工")
    page.fill("#id_cert-0-number", "370103201000123")
    page.fill("#id_cert-0-issued_on", "2010-06-30")
    page.select_option("#id_offering", str(offering.pk))
    page.select_option("#id_condition_relied_on", f"{offering.pk}:0")
    page.fill("#id_awards", "2021年获公司“技术能手”称号。")
    page.set_input_files("#id_doc_id_card", str(files["id"]))
    page.set_input_files("#id_doc_education", str(files["edu"]))
    page.set_input_files("#id_doc_years_pledge", str(files["pledge"]))
    page.check("#id_pledge")
    _shot(page, "03-form-filled")
    page.get_by_role("button", name="提交申报").click()

    status = page.get_by_test_id("status")
    expect(status.locator("[data-status]")).to_have_text("待审核")
    expect(page.get_by_test_id("flags")).to_contain_text("不是常见的 16 位数字格式")
    _shot(page, "04-submitted")
    app = Application.objects.get(person=world.person, round=offering.round)
    assert app.photo_enc and app.documents.count() == 3 and app.pledge_ip
    _logout(page)

    # The reviewer returns it with a reason.
    _open_in_review(page, live_server, "李明辉")
    expect(page.locator("#flags-panel")).to_contain_text("请核实")
    _shot(page, "05-review-detail")
    page.fill("#id_return-reason", RETURN_REASON)
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator(".alert-success")).to_contain_text("已退回 李明辉 修改")
    _shot(page, "06-returned")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RETURNED and app.review_reason == RETURN_REASON
    _logout(page)

    # The worker sees the reason, fills in the work history and resubmits.
    login_as(page, live_server, "e2e_worker", PASSWORD)
    page.get_by_role("link", name="我的申报").first.click()
    page.locator(
        f"a[href$='/applications/{app.pk}/status/'], a[href$='/applications/{app.pk}/']"
    ).first.click()
    expect(page.get_by_test_id("review-reason")).to_contain_text(RETURN_REASON)
    _shot(page, "07-worker-sees-reason")
    page.get_by_role("link", name="修改并重新提交").click()
    expect(page.get_by_test_id("return-reason")).to_contain_text(RETURN_REASON)
    page.fill("#id_work_history", WORK_HISTORY)
    page.check("#id_pledge")
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_test_id("status").locator("[data-status]")).to_have_text("待审核")
    _shot(page, "08-resubmitted")
    _logout(page)

    # The reviewer verifies the warning, then approves.
    _open_in_review(page, live_server, "李明辉")
    panel = page.locator("#flags-panel")
    pending = panel.get_by_role("button", name="确认已核实")
    while pending.count():
        panel.locator("input[name=note]").first.fill(
            "已查验证书原件，为原劳动部门颁发的旧版职业资格证书，编号与原件一致。"
        )
        pending.first.click()
        expect(panel).to_contain_text("核实：已查验证书原件")
        pending = panel.get_by_role("button", name="确认已核实")
    _shot(page, "09-warning-confirmed")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".alert-success")).to_contain_text("已审核通过 李明辉 的申报")
    _shot(page, "10-approved")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED and app.reviewed_by == world.reviewer
    _logout(page)

    # The worker sees the result and downloads the printable 申报表.
    login_as(page, live_server, "e2e_worker", PASSWORD)
    page.goto(f"{live_server.url}/enrollment/applications/{app.pk}/status/")
    expect(page.get_by_test_id("status").locator("[data-status]")).to_have_text("审核通过")
    _shot(page, "11-worker-approved")
    with page.expect_download() as info:
        page.get_by_role("link", name="打印申报表（PDF）").click()
    pdf = OUT / "e2e-apply-申报表.pdf"
    info.value.save_as(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is not None:
        subprocess.run(
            [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(OUT / "e2e-apply-申报表")],
            check=True,
            timeout=60,
        )
        assert list(OUT.glob("e2e-apply-申报表-*1.png"))
