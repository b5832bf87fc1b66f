"""Moving the evaluation date before and after confirmation (R5.1), amendments the authority sees, and the
encrypted pledge scan (S13)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.filings.models import ScopeItem
from skillcert.rounds import services_plans as sp
from skillcert.rounds.models import Round, RoundStatus
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus, PlanAmendment
from tests.rounds.test_plans import PDF, PlanCase

FEB_11 = date(2026, 2, 11)  # 9 working days before Mon 2026-03-02 (Spring Festival in between)
EARLIEST = date(2026, 3, 3)


def form_errors(response: Any) -> dict[str, list[str]]:
    return dict(response.context["form"].errors)


class TestMoveBeforeSubmission(PlanCase):
    def setUp(self) -> None:
        super().setUp()
        self.load_2026()
        self.ready()

    def test_refused_nine_working_days_ahead_then_move_then_submit(self) -> None:
        assert sp.earliest_first_day(FEB_11) == EARLIEST
        with pytest.raises(RuleViolation) as e:
            sp.certification_plan_submit(actor=self.owner, round=self.round, today=FEB_11)
        assert e.value.rule == "R5.1" and "2026年3月3日" in e.value.message
        with pytest.raises(RuleViolation) as e:
            sp.evaluation_date_move_before_submission(
                actor=self.owner, round=self.round, new_start=date(2026, 3, 2), today=FEB_11
            )
        assert e.value.rule == "R5.1" and e.value.field == "new_start" and "2026年3月3日" in e.value.message
        rnd = sp.evaluation_date_move_before_submission(
            actor=self.owner, round=self.round, new_start=EARLIEST, today=FEB_11
        )
        assert rnd.evaluation_starts == EARLIEST
        assert rnd.evaluation_ends == self.first_day + timedelta(days=6)  # moved by the same day
        assert AuditEvent.objects.filter(action="round.move_evaluation").count() == 1
        cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=FEB_11)
        assert cert.status == CertificationPlanStatus.SUBMITTED and cert.first_day == EARLIEST
        assert not PlanAmendment.objects.exists()  # before confirmation it is not an amendment

    def test_returned_plan_may_move_the_date(self) -> None:
        cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 2))
        with pytest.raises(RuleViolation) as e:
            sp.evaluation_date_move_before_submission(
                actor=self.owner, round=self.round, new_start=date(2026, 3, 9), today=date(2026, 2, 2)
            )
        assert e.value.rule == "R5.2"
        sp.certification_plan_return(actor=self.w.users["city"], plan=cert, reasons="日期与场地冲突")
        rnd = sp.evaluation_date_move_before_submission(
            actor=self.owner, round=self.round, new_start=date(2026, 3, 9), today=date(2026, 2, 2)
        )
        assert rnd.evaluation_starts == date(2026, 3, 9)

    def test_every_offering_must_stay_in_scope(self) -> None:
        ScopeItem.objects.filter(enterprise_id=self.round.enterprise_id).update(valid_to=date(2026, 3, 10))
        with pytest.raises(RuleViolation) as e:
            sp.evaluation_date_move_before_submission(
                actor=self.owner, round=self.round, new_start=date(2026, 3, 16), today=FEB_11
            )
        assert e.value.rule == "R1.5" and e.value.field == "new_start"
        self.round.refresh_from_db()
        assert self.round.evaluation_starts == self.first_day

    def test_only_published_rounds(self) -> None:
        Round.objects.filter(pk=self.round.pk).update(status=RoundStatus.DRAFT)
        with pytest.raises(RuleViolation) as e:
            sp.evaluation_date_move_before_submission(
                actor=self.owner, round=self.round, new_start=EARLIEST, today=FEB_11
            )
        assert e.value.rule == "R2.1"


class TestDatePages(PlanCase):
    def setUp(self) -> None:
        super().setUp()
        self.load_2026()
        self.ready()
        self.url = reverse("rounds:plan_date_move", args=[self.round.pk])

    def test_page_is_for_the_enterprise_and_explains_the_rule(self) -> None:
        self.check_access(self.url, ["owner", "staff"])
        with mock.patch("skillcert.rounds.views_plans.timezone.localdate", return_value=FEB_11):
            page = self.request_as("owner", "get", self.url).content.decode()
        assert "10个工作日" in page and "2026年3月3日" in page

    def test_move_then_submit_through_the_pages(self) -> None:
        client = self.client_for("owner")
        with mock.patch("skillcert.rounds.views_plans.timezone.localdate", return_value=FEB_11):
            response = client.post(self.url, {"new_start": "2026-03-02"})
            assert response.status_code == 200
            assert "2026年3月3日" in response.context["form"].errors["new_start"][0]
            assert client.post(self.url, {"new_start": "2026-03-03"}).status_code == 302
            client.post(reverse("rounds:plan_submit", args=[self.round.pk]))
        cert = CertificationPlan.objects.get(round=self.round)
        assert cert.status == CertificationPlanStatus.SUBMITTED and cert.first_day == EARLIEST

    def test_after_confirmation_the_move_is_an_amendment(self) -> None:
        cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 2))
        sp.certification_plan_confirm(actor=self.w.users["city"], plan=cert)
        client = self.client_for("owner")
        with mock.patch("skillcert.rounds.views_plans.timezone.localdate", return_value=date(2026, 2, 27)):
            response = client.post(self.url, {"new_start": "2026-03-16", "description": ""})
            assert "调整原因" in response.context["form"].errors["description"][0]
            response = client.post(self.url, {"new_start": "2026-03-16", "description": "场地检修"})
        assert response.status_code == 302
        row = PlanAmendment.objects.get(plan=cert)
        assert row.kind == "date_moved" and row.new_date == date(2026, 3, 16)
        self.round.refresh_from_db()
        assert self.round.evaluation_ends == date(2026, 3, 21)


class TestAmendmentPages(PlanCase):
    def setUp(self) -> None:
        super().setUp()
        self.load_2026()
        self.ready()
        self.cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 2))
        self.url = reverse("rounds:plan_amend", args=[self.round.pk])

    def test_only_after_confirmation(self) -> None:
        response = self.request_as(
            "owner", "post", self.url, {"kind": "withdrawal", "description": "张三退出"}
        )
        assert response.status_code == 200 and form_errors(response)
        assert not PlanAmendment.objects.exists()

    def test_recorded_and_seen_by_the_authority(self) -> None:
        sp.certification_plan_confirm(actor=self.w.users["city"], plan=self.cert)
        self.check_access(self.url, ["owner", "staff"])
        detail = reverse("rounds:plan_detail", args=[self.round.pk])
        own = self.request_as("owner", "get", detail).content.decode()
        assert 'data-testid="add-amendment"' in own and 'data-testid="move-date"' in own
        assert 'data-testid="add-amendment"' not in self.request_as("city", "get", detail).content.decode()
        response = self.request_as(
            "owner", "post", self.url, {"kind": "withdrawal", "description": "张三因病退出"}
        )
        assert response.status_code == 302
        assert AuditEvent.objects.filter(action="certification_plan.amend").count() == 1
        queue = self.request_as("city", "get", reverse("rounds:plan_queue")).content.decode()
        assert "张三因病退出" in queue and "考生退出" in queue
        page = self.request_as("city", "get", reverse("rounds:plan_detail", args=[self.round.pk]))
        assert "张三因病退出" in page.content.decode()
        assert (
            self.request_as("other_city", "get", reverse("rounds:plan_queue"))
            .content.decode()
            .count("张三因病退出")
            == 0
        )

    def test_date_move_kind_is_not_offered_here(self) -> None:
        sp.certification_plan_confirm(actor=self.w.users["city"], plan=self.cert)
        response = self.request_as("owner", "post", self.url, {"kind": "date_moved", "description": "改期"})
        assert response.status_code == 200 and "kind" in form_errors(response)


class TestPledgeEncrypted(PlanCase):
    def test_stored_bytes_are_not_the_plaintext(self) -> None:
        self.ready()
        cert = CertificationPlan.objects.get(round=self.round)
        with cert.pledge_scan.open("rb") as f:
            stored = f.read()
        assert stored != PDF and b"%PDF" not in stored
        assert sp.pledge_scan_bytes(cert) == PDF
        response = self.request_as("city", "get", reverse("rounds:pledge_scan", args=[self.round.pk]))
        assert response.status_code == 200 and response.content == PDF
        assert response["Content-Type"] == "application/pdf"
        assert ".pdf" in response["Content-Disposition"]
