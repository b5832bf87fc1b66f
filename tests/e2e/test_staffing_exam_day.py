"""In a real browser: generate the staff plan, move an assessor by hand into a recusal conflict and see the
save refused with the reason; then, on exam day, check a candidate in and record a violation (issue 6).

Screenshots of each step go to test-results/ (e2e-staffing-*.png).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from django.conf import LazySettings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from skillcert.core.models import Organisation, User
from skillcert.core.models.accounts import Role
from skillcert.enrollment.models import Application
from skillcert.filings.models import PoolMember, PoolRole, RelationKind, Relationship
from skillcert.logistics.models import Seat, Ticket
from skillcert.logistics.services.seating import seating_assign
from skillcert.logistics.services.tickets import ticket_issue_all
from tests.e2e.conftest import login_as
from tests.enrollment.factories import AuthorityFactory, EnterpriseFactory
from tests.factories import UserFactory, grant
from tests.logistics.factories import ExamWorld, exam_world, pool_member, practical_session, theory_session

pytestmark = pytest.mark.e2e

PASSWORD = "Skill-Pass-2026"
OUT = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page: Page, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / f"e2e-staffing-{name}.png"), full_page=True)


class Scene:
    def __init__(self, world: ExamWorld, admin: User, related: PoolMember, ticket: Ticket) -> None:
        self.world, self.admin, self.ticket = world, admin, ticket
        self.related_assessor_name, self.related_person_id = related.person.name, related.person_id


@pytest.fixture
def scene(settings: LazySettings) -> Scene:
    settings.OTP_REQUIRED = False
    city = AuthorityFactory(name="济南市人力资源和社会保障局", region_code="370100")
    ent = cast(Organisation, EnterpriseFactory(name="济南重工浏览器测试有限公司", authority=city))
    world = exam_world(ent, candidates=6, level=3)
    admin = cast(User, UserFactory(username="e2e_exam_admin", display_name="赵志刚", organisation=ent))
    grant(admin, Role.ENTERPRISE_ADMIN)
    theory = theory_session(world)
    practical = practical_session(world)
    other = world.departments[1]
    occupation = world.offering.occupation
    # Staff from a department with no candidates, so only the declared relationship causes recusal.
    staff_dept = type(other).objects.create(enterprise=ent, name="质量管理部")
    for _ in range(6):
        pool_member(ent, PoolRole.EXAM_STAFF, department=staff_dept)
    for _ in range(2):
        pool_member(ent, PoolRole.SUPERVISOR, department=staff_dept)
    assessors = [
        pool_member(ent, occupation=occupation, max_level=2, department=staff_dept) for _ in range(4)
    ]
    related = assessors[-1]
    candidate: Application = world.applications[0]
    a, b = sorted([related.person_id, candidate.person_id])
    Relationship.objects.create(enterprise=ent, person_a_id=a, person_b_id=b, kind=RelationKind.RELATIVE)
    seating_assign(actor=admin, session=theory)
    seating_assign(actor=admin, session=practical)
    ticket_issue_all(actor=admin, round=world.round)
    ticket = Ticket.objects.get(application=world.applications[1])
    return Scene(world, admin, related, ticket)


def test_staff_plan_refused_then_check_in_and_violation(
    page: Page, live_server: LiveServer, scene: Scene
) -> None:
    world = scene.world
    login_as(page, live_server, "e2e_exam_admin", PASSWORD)

    # 1. Generate the staff plan: it passes the checker.
    page.goto(f"{live_server.url}/logistics/rounds/{world.round.pk}/staffing/")
    page.get_by_test_id("staffing-generate").click()
    expect(page.get_by_test_id("plan-status")).to_have_attribute("data-status", "draft", timeout=30_000)
    expect(page.get_by_test_id("findings-ok")).to_be_visible()
    _shot(page, "1-generated")

    # 2. Move an assessor of the practical room to the candidate's relative: the checker flags it...
    practical_unit = page.locator('[data-testid="assignment"][data-role="assessor"]').first
    practical_unit.get_by_test_id("assignment-move").click()
    page.get_by_test_id("move-person").select_option(value=str(scene.related_person_id))
    page.get_by_test_id("move-submit").click()
    finding = page.locator('[data-testid="finding"][data-code="recusal"]')
    expect(finding).to_be_visible()
    expect(finding).to_contain_text(scene.related_assessor_name)
    # ...and saving is refused with the reason.
    page.get_by_test_id("staffing-save").click()
    expect(page.get_by_test_id("save-error")).to_contain_text("回避")
    expect(page.get_by_test_id("plan-status")).to_have_attribute("data-status", "draft")
    _shot(page, "2-refused")

    # 3. Exam day: the proctor finds the candidate by ticket number and checks them in.
    seat = Seat.objects.select_related("room", "session").get(
        application=scene.ticket.application, session__module="theory"
    )
    page.goto(f"{live_server.url}/logistics/sessions/{seat.session_id}/rooms/{seat.room_id}/check-in/")
    page.get_by_role("searchbox").or_(page.locator('input[name="q"]')).first.fill(scene.ticket.number)
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_test_id("lookup")).to_contain_text(scene.ticket.application.name)
    page.get_by_test_id("check-in").click()
    expect(page.get_by_test_id("checkin-note")).to_be_visible()
    _shot(page, "3-checked-in")
    seat.refresh_from_db()
    assert seat.attendance == "present"

    # 4. A violation in that room, recorded for the same candidate.
    page.goto(f"{live_server.url}/logistics/sessions/{seat.session_id}/rooms/{seat.room_id}/violations/")
    page.locator('select[name="seat"]').select_option(value=str(seat.pk))
    page.locator('select[name="kind"]').select_option(value="device")
    page.locator('textarea[name="description"]').fill("开考后第20分钟发现考生手机处于开机状态，已收缴。")
    page.get_by_test_id("record-violation").click()
    expect(page.get_by_test_id("violation-list")).to_contain_text("开考后第20分钟")
    _shot(page, "4-violation")
