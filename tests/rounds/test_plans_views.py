"""Pages of the plans: who may see, edit, submit, confirm and return (S6, R5.2)."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skillcert.core.models import Notification
from skillcert.rounds import services_plans as sp
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus
from tests.rounds.test_plans import PLAN, PlanCase

VIEWERS = ["owner", "staff", "city", "city_admin", "province"]


class TestPlanPages(PlanCase):
    def test_detail_and_documents_are_for_the_enterprise_and_its_authorities(self) -> None:
        self.complete_plan()
        for name in ("rounds:plan_detail", "rounds:plan_docx", "rounds:plan_pdf", "rounds:pledge_pdf"):
            self.check_access(reverse(name, args=[self.round.pk]), VIEWERS)

    def test_edit_is_for_the_enterprise_only(self) -> None:
        self.check_access(reverse("rounds:plan_edit", args=[self.round.pk]), ["owner", "staff"])
        self.check_access(
            reverse("rounds:plan_method_edit", args=[self.round.pk, self.o1.pk]), ["owner", "staff"]
        )

    def test_edit_saves_and_reports_errors_on_the_field(self) -> None:
        client = self.client_for("owner")
        data = {k: v for k, v in PLAN.__dict__.items()}
        response = client.post(reverse("rounds:plan_edit", args=[self.round.pk]), data)
        assert response.status_code == 302
        url = reverse("rounds:plan_method_edit", args=[self.round.pk, self.o1.pk])
        bad = {
            "method": "examination",
            "weight_theory": 30,
            "weight_practical": 60,
            "weight_ability": 100,
            "weight_performance": 0,
            "weight_ethics": 0,
            "weight_craftsmanship": 0,
        }
        response = client.post(url, bad)
        assert response.status_code == 200
        assert "合计须为100%" in response.context["form"].errors["weight_theory"][0]
        response = client.post(url, {**bad, "weight_practical": 70})
        assert response.status_code == 302

    def test_queue_is_for_authorities(self) -> None:
        self.check_access(reverse("rounds:plan_queue"), ["city", "city_admin", "province", "other_city"])


class TestConfirmation(PlanCase):
    def setUp(self) -> None:
        super().setUp()
        self.load_2026()
        self.ready()
        self.cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 2))

    def test_city_reviewer_confirms_and_the_enterprise_admin_is_told(self) -> None:
        response = self.request_as("city", "post", reverse("rounds:plan_confirm", args=[self.cert.pk]))
        assert response.status_code == 302
        self.cert.refresh_from_db()
        assert self.cert.status == CertificationPlanStatus.CONFIRMED
        assert Notification.objects.filter(recipient=self.owner, kind="plan_confirmed").exists()

    def test_province_may_confirm(self) -> None:
        self.request_as("province", "post", reverse("rounds:plan_confirm", args=[self.cert.pk]))
        self.cert.refresh_from_db()
        assert self.cert.status == CertificationPlanStatus.CONFIRMED

    def test_others_cannot_confirm(self) -> None:
        url = reverse("rounds:plan_confirm", args=[self.cert.pk])
        for persona in ("other_city", "owner", "staff", "candidate", "outsider", "sysadmin"):
            assert self.request_as(persona, "post", url).status_code == 404, persona
        self.cert.refresh_from_db()
        assert self.cert.status == CertificationPlanStatus.SUBMITTED

    def test_return_with_reasons_then_resubmit(self) -> None:
        url = reverse("rounds:plan_return", args=[self.cert.pk])
        self.request_as("city", "post", url, {"reasons": ""})
        self.cert.refresh_from_db()
        assert self.cert.status == CertificationPlanStatus.SUBMITTED
        self.request_as("city", "post", url, {"reasons": "考场设置不清楚"})
        self.cert.refresh_from_db()
        assert self.cert.status == CertificationPlanStatus.RETURNED
        assert Notification.objects.filter(recipient=self.owner, kind="plan_returned").exists()
        page = self.request_as("owner", "get", reverse("rounds:plan_detail", args=[self.round.pk]))
        assert "考场设置不清楚" in page.content.decode()

    def test_submit_view_shows_the_refusal(self) -> None:
        CertificationPlan.objects.filter(pk=self.cert.pk).update(status=CertificationPlanStatus.RETURNED)
        client = self.client_for("owner")
        response = client.post(reverse("rounds:plan_submit", args=[self.round.pk]), follow=True)
        # The first day (2026-03-02) is behind the real today: refused (R5.1, or R5.3 once today's span needs 2027).
        self.cert.refresh_from_db()
        assert response.status_code == 200 and self.cert.status == CertificationPlanStatus.RETURNED
        assert "（R5." in response.content.decode()


class TestPledgeUpload(PlanCase):
    def test_upload_page_access(self) -> None:
        url = reverse("rounds:pledge_upload", args=[self.round.pk])
        response = self.request_as(
            "outsider", "post", url, {"scan": SimpleUploadedFile("p.pdf", b"%PDF-1.4 x")}
        )
        assert response.status_code == 404
        response = self.request_as("owner", "post", url, {"scan": SimpleUploadedFile("p.pdf", b"%PDF-1.4 x")})
        assert response.status_code == 302
        assert CertificationPlan.objects.get(round=self.round).pledge_scan
        self.check_access(reverse("rounds:pledge_scan", args=[self.round.pk]), VIEWERS)
