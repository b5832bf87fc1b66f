"""The authority's dashboard and the plan API: scoped to the jurisdiction, overdue first, counts per enterprise."""

from __future__ import annotations

from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillcert.core.models.notify import Deadline, DeadlineState
from skillcert.core.services.tokens import api_token_create
from skillcert.filings.models import AdjustmentStatus, ScopeAdjustment
from skillcert.rounds import dashboard
from skillcert.rounds.models import Round
from skillcert.rounds.plans import AssessmentPlan, CertificationPlan, CertificationPlanStatus
from tests.base import AccessCase
from tests.enrollment.factories import OfferingFactory, RoundFactory

DASHBOARD_VIEWERS = ["city", "city_admin", "province", "other_city"]
PLAN_VIEWERS = ["owner", "staff", "city", "city_admin", "province"]
PENDING = "/api/v1/rounds/plans/pending"


def _deadline(org: object, rule: str, n: int, *, due: date, state: str, done: bool = False) -> Deadline:
    return Deadline.objects.create(
        rule=rule,
        object_type="rounds.certificationplan",
        object_id=str(n),
        organisation=org,
        title=f"事项{n}",
        start=due - timedelta(days=14),
        due=due,
        state=state,
        done_on=due if done else None,
    )


class DashboardCase(AccessCase):
    round_a: Round
    round_b: Round
    plan_a: CertificationPlan
    plan_b: CertificationPlan

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = cls.w
        now = timezone.now()
        cls.round_a = RoundFactory(enterprise=w.ent_a, name="甲企业第1批")
        OfferingFactory(round=cls.round_a)
        cls.round_b = RoundFactory(enterprise=w.ent_b, name="乙企业第1批")
        cls.plan_a = CertificationPlan.objects.create(
            round=cls.round_a,
            status=CertificationPlanStatus.SUBMITTED,
            submitted_at=now - timedelta(days=2),
            first_day=cls.round_a.evaluation_starts,
            candidate_count=3,
        )
        cls.plan_b = CertificationPlan.objects.create(
            round=cls.round_b,
            status=CertificationPlanStatus.SUBMITTED,
            submitted_at=now - timedelta(days=1),
            first_day=cls.round_b.evaluation_starts,
            candidate_count=1,
        )
        AssessmentPlan.objects.create(
            round=cls.round_a, sites="一号车间\n\n二号考场", contact_name="李老师", staff_exam=2
        )
        # A confirmed plan and a draft adjustment are not pending.
        confirmed = RoundFactory(enterprise=w.ent_a, name="甲企业已确认批")
        CertificationPlan.objects.create(round=confirmed, status=CertificationPlanStatus.CONFIRMED)
        for status, ent, authority in (
            (AdjustmentStatus.SUBMITTED, w.ent_a, w.city),
            (AdjustmentStatus.SUBMITTED, w.ent_a, w.city),
            (AdjustmentStatus.DRAFT, w.ent_a, w.city),
            (AdjustmentStatus.SUBMITTED, w.ent_b, w.province),
        ):
            ScopeAdjustment.objects.create(
                enterprise=ent, authority=authority, status=status, submitted_at=now
            )
        today = timezone.localdate()
        # Open, due earliest — but the overdue one (due later in this data) must still come first.
        cls.d_open = _deadline(w.ent_a, "R5.1", 1, due=today - timedelta(days=30), state=DeadlineState.OPEN)
        cls.d_soon = _deadline(
            w.ent_a, "R10.2", 2, due=today + timedelta(days=2), state=DeadlineState.DUE_SOON
        )
        cls.d_over = _deadline(
            w.ent_a, "R10.2", 3, due=today + timedelta(days=5), state=DeadlineState.OVERDUE
        )
        cls.d_done = _deadline(w.ent_a, "R5.1", 4, due=today, state=DeadlineState.MET, done=True)
        cls.d_other_rule = _deadline(w.ent_a, "R8.2", 5, due=today, state=DeadlineState.OVERDUE)
        cls.d_b = _deadline(w.ent_b, "R5.1", 6, due=today, state=DeadlineState.OVERDUE)


class TestDashboardPage(DashboardCase):
    def test_access(self) -> None:
        url = reverse("rounds:authority_dashboard")
        self.check_access(url, DASHBOARD_VIEWERS)

    def test_city_sees_its_enterprise_province_all_other_city_none(self) -> None:
        url = reverse("rounds:authority_dashboard")
        city = self.request_as("city", "get", url).context["board"]
        assert [p.pk for p in city.plans] == [self.plan_a.pk]
        assert {a.enterprise_id for a in city.adjustments} == {self.w.ent_a.pk}
        province = self.request_as("province", "get", url).context["board"]
        assert [p.pk for p in province.plans] == [self.plan_a.pk, self.plan_b.pk]
        assert {d.organisation_id for d in province.deadlines} == {self.w.ent_a.pk, self.w.ent_b.pk}
        other = self.request_as("other_city", "get", url).context["board"]
        assert other.plans == [] and other.adjustments == [] and other.deadlines == [] and other.counts == []

    def test_overdue_first_then_due_soon_then_by_age(self) -> None:
        board = dashboard.authority_dashboard(user=self.w.users["city"])
        assert [d.pk for d in board.deadlines] == [self.d_over.pk, self.d_soon.pk, self.d_open.pk]
        assert board.overdue_count == 1

    def test_counts_per_enterprise(self) -> None:
        board = dashboard.authority_dashboard(user=self.w.users["province"])
        rows = {c.enterprise.pk: (c.adjustments, c.plans, c.overdue) for c in board.counts}
        assert rows == {self.w.ent_a.pk: (2, 1, 1), self.w.ent_b.pk: (1, 1, 1)}
        response = self.request_as("province", "get", reverse("rounds:authority_dashboard"))
        html = response.content.decode()
        assert self.w.ent_a.name in html and "甲企业第1批" in html and "事项3" in html
        assert "事项5" not in html and "事项4" not in html

    def test_home_links_the_dashboard_for_authorities(self) -> None:
        url = reverse("rounds:authority_dashboard")
        assert url in self.request_as("city", "get", reverse("core:home")).content.decode()
        assert url not in self.request_as("owner", "get", reverse("core:home")).content.decode()


class TestPlanApi(DashboardCase):
    def test_pending_is_scoped(self) -> None:
        def ids(persona: str) -> list[int]:
            response = self.request_as(persona, "get", PENDING)
            assert response.status_code == 200, response.content
            return [item["id"] for item in response.json()["items"]]

        assert ids("city") == [self.plan_a.pk]
        assert ids("city_admin") == [self.plan_a.pk]
        assert ids("province") == [self.plan_a.pk, self.plan_b.pk]
        assert ids("other_city") == []
        for persona in ("owner", "staff", "candidate", "outsider", "sysadmin"):
            assert self.request_as(persona, "get", PENDING).status_code == 404, persona
        assert self.request_as("anonymous", "get", PENDING).status_code == 401

    def test_plan_summary_access(self) -> None:
        url = f"/api/v1/rounds/{self.round_a.pk}/plan"
        self.check_access(url, PLAN_VIEWERS, anonymous=(401,))

    def test_plan_summary_content(self) -> None:
        response = self.request_as("city", "get", f"/api/v1/rounds/{self.round_a.pk}/plan")
        body = response.json()
        assert body["assessment_plan"] is True
        assert body["sites"] == ["一号车间", "二号考场"]
        assert body["contact_name"] == "李老师" and body["staff_exam"] == 2
        assert len(body["methods"]) == 1 and body["methods"][0]["method"] is None
        assert body["problems"]
        cert = body["certification_plan"]
        assert (
            cert["id"] == self.plan_a.pk
            and cert["status"] == "submitted"
            and cert["status_label"] == "待确认"
        )
        assert cert["candidate_count"] == 3 and cert["pledge_uploaded"] is False

    def test_plan_summary_without_plans_and_bad_ids(self) -> None:
        response = self.request_as("province", "get", f"/api/v1/rounds/{self.round_b.pk}/plan")
        body = response.json()
        assert body["assessment_plan"] is False and body["sites"] == []
        assert body["certification_plan"]["status"] == "submitted"
        for bad in ("0", "abc", "99999999", str(self.round_b.pk)):
            status = self.request_as("city", "get", f"/api/v1/rounds/{bad}/plan").status_code
            assert status in (404, 422), (bad, status)

    def test_tokens_are_scoped_like_sessions(self) -> None:
        _c, raw_city = api_token_create(
            actor=self.w.users["city_admin"], organisation=self.w.city, name="市局平台"
        )
        _a, raw_a = api_token_create(actor=self.w.users["owner"], organisation=self.w.ent_a, name="甲系统")
        client = Client()
        city = client.get(PENDING, HTTP_AUTHORIZATION=f"Bearer {raw_city}")
        assert [item["id"] for item in city.json()["items"]] == [self.plan_a.pk]
        assert client.get(PENDING, HTTP_AUTHORIZATION=f"Bearer {raw_a}").status_code == 404
        url = f"/api/v1/rounds/{self.round_a.pk}/plan"
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw_a}").status_code == 200
        other = f"/api/v1/rounds/{self.round_b.pk}/plan"
        assert client.get(other, HTTP_AUTHORIZATION=f"Bearer {raw_city}").status_code == 404

    def test_schema_documents_every_field(self) -> None:
        schema = self.request_as("anonymous", "get", "/api/v1/openapi.json").json()
        for name in ("PlanSummaryOut", "CertificationOut", "PlanMethodOut", "PendingPlanOut"):
            props = schema["components"]["schemas"][name]["properties"]
            missing = [field for field, spec in props.items() if not spec.get("description")]
            assert not missing, (name, missing)
