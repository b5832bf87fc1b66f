"""The reviewer's pages: who may see and act (S6), the queue's filters and constant query count, the actions."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillcert.core.documents import read_xlsx
from skillcert.core.models import AuditEvent
from skillcert.enrollment.models import (
    Application,
    ApplicationFlag,
    ApplicationStatus,
    Eligibility,
    FlagSeverity,
)
from skillcert.rounds.models import RoundOffering
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, OfferingFactory
from tests.enrollment.test_review import confirm_case, make_app

# The enterprise's reviewers act; the authorities over it look; everyone else gets 404 (S6).
REVIEWERS = {"owner", "staff"}
LOOKERS = REVIEWERS | {"city", "city_admin", "province"}


class ViewCase(AccessCase):
    offering: ClassVar[RoundOffering]
    app: ClassVar[Application]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.offering = OfferingFactory(round__enterprise=cls.w.ent_a)
        cls.app = make_app(cls.offering, person=cls.w.person_a)

    def queue_url(self, **params: str) -> str:
        url = reverse("enrollment:review_queue", args=[self.offering.round_id])
        if params:
            url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
        return url


class TestAccess(ViewCase):
    def test_round_picker(self) -> None:
        # Every reviewer and authority reaches the picker; it lists only the rounds they may see.
        url = reverse("enrollment:review_rounds")
        self.check_access(url, LOOKERS | {"outsider", "other_city"})
        name = self.offering.round.name
        for persona in sorted(LOOKERS):
            assert name in self.request_as(persona, "get", url).content.decode(), persona
        for persona in ("outsider", "other_city"):
            assert name not in self.request_as(persona, "get", url).content.decode(), persona

    def test_queue(self) -> None:
        self.check_access(self.queue_url(), LOOKERS)

    def test_detail(self) -> None:
        self.check_access(reverse("enrollment:review_detail", args=[self.app.pk]), LOOKERS)

    def test_export(self) -> None:
        self.check_access(reverse("enrollment:approved_export", args=[self.offering.round_id]), REVIEWERS)

    def test_actions_are_for_reviewers_only(self) -> None:
        pk = self.app.pk
        for name, data in (
            ("review_reject", {"reject-reason": ""}),
            ("review_return", {"return-reason": ""}),
            ("review_approve", {"approve-confirm_note": ""}),
            ("review_post_override", {"override-reason": ""}),
        ):
            # Blank reasons answer 200 with the error; the clean application is approved once (302).
            url = reverse(f"enrollment:{name}", args=[pk])
            self.check_access(url, REVIEWERS, method="post", data=data, ok=(200, 302))
        self.check_access(
            reverse("enrollment:review_reevaluate", args=[pk]), REVIEWERS, method="post", data={}, ok=(302,)
        )
        self.check_access(
            reverse("enrollment:review_bulk_approve", args=[self.offering.round_id]),
            REVIEWERS,
            method="post",
            data={},
            ok=(302,),
        )

    def test_flag_and_certificate_actions_are_for_reviewers_only(self) -> None:
        warned = make_app(self.offering, phone="")
        flag = ApplicationFlag.objects.get(application=warned, severity=FlagSeverity.WARN)
        self.check_access(
            reverse("enrollment:review_flag_confirm", args=[flag.pk]),
            REVIEWERS,
            method="post",
            data={"note": ""},
            ok=(302,),
        )
        _app, cert = confirm_case(self.offering)
        self.check_access(
            reverse("enrollment:review_certificate_relation", args=[cert.pk]),
            REVIEWERS,
            method="post",
            data={"relation": "bogus"},
            ok=(302,),
        )

    def test_another_tenants_application_is_404(self) -> None:
        other = make_app(OfferingFactory(round__enterprise=self.w.ent_b))
        for persona in ("owner", "staff", "city"):
            response = self.request_as(persona, "get", reverse("enrollment:review_detail", args=[other.pk]))
            assert response.status_code == 404
        response = self.request_as("outsider", "get", reverse("enrollment:review_detail", args=[other.pk]))
        assert response.status_code == 200

    def test_authorities_see_no_controls(self) -> None:
        html = self.request_as("city", "get", self.queue_url()).content.decode()
        assert "只读" in html and 'id="bulk-form"' not in html and "sc-select-row" not in html
        assert reverse("enrollment:approved_export", args=[self.offering.round_id]) not in html
        html = self.request_as(
            "city", "get", reverse("enrollment:review_detail", args=[self.app.pk])
        ).content.decode()
        assert "只读" in html and reverse("enrollment:review_approve", args=[self.app.pk]) not in html

    def test_nav_item_for_reviewers(self) -> None:
        label = "资格审核"
        url = reverse("enrollment:review_rounds")
        # Authorities get the entry too: they read their jurisdiction's queues (read only).
        for persona, shown in (("owner", True), ("staff", True), ("candidate", False), ("city", True)):
            html = self.request_as(persona, "get", reverse("core:home")).content.decode()
            assert (f'href="{url}">{label}<' in html) is shown, persona


class TestQueue(ViewCase):
    def test_rows_show_masked_id_result_flags_and_source(self) -> None:
        make_app(self.offering, sex="F", employment_type="outsourced", occupation_years=Decimal("1"))
        ApplicationFactory(offering=self.offering)  # a draft stays out of the queue
        html = self.request_as("staff", "get", self.queue_url()).content.decode()
        assert self.w.person_a.id_number_masked in html
        assert self.w.person_a.reveal_id_number() not in html
        assert "外包" in html and "须更正" in html and "text-bg-danger" in html
        assert "共 2 份申报" in html
        assert "另有草稿 1 份" in html

    def test_filters(self) -> None:
        bad = make_app(self.offering, occupation_years=Decimal("1"))
        warned = make_app(self.offering, phone="")

        def names(**params: str) -> set[str]:
            response = self.request_as("staff", "get", self.queue_url(**params))
            table = response.context["table"]
            return {row.record.name for row in table.paginated_rows}

        assert names(result="ineligible") == {bad.name}
        assert names(result="eligible") == {self.app.name, warned.name}
        assert names(flags="warn") == {warned.name}
        assert names(flags="no") == {self.app.name, bad.name}
        assert names(q=bad.name) == {bad.name}
        assert names(q=self.w.person_a.reveal_id_number()) == {self.app.name}
        assert names(status="approved") == set()
        assert names(level="4", occupation=str(self.offering.occupation_id)) == {
            self.app.name,
            bad.name,
            warned.name,
        }
        assert names(level="3") == set()

    def test_htmx_gets_the_table_only(self) -> None:
        response = self.request_as("staff", "get", self.queue_url(), HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "<html" not in html and self.app.name in html

    def test_page_size_is_bounded(self) -> None:
        response = self.request_as("staff", "get", self.queue_url(per_page="50000"))
        assert response.context["table"].paginator.per_page == 25


class TestQueryCount(AccessCase):
    """The first page costs the same number of queries for 10 rows or 60 (no per-row query)."""

    def test_constant_queries(self) -> None:
        offering = OfferingFactory(round__enterprise=self.w.ent_a)
        url = reverse("enrollment:review_queue", args=[offering.round_id]) + "?per_page=100"
        client = self.client_for("staff")

        def add(n: int) -> None:
            for i in range(n):
                kwargs = {"phone": ""} if i % 3 == 0 else {}
                make_app(offering, employment_type="regular", **kwargs)

        add(10)
        client.get(url)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ten:
            response = client.get(url)
        assert len(response.context["table"].page.object_list) == 10
        add(50)
        with self.assertNumQueries(len(ten)):
            response = client.get(url)
        assert len(response.context["table"].page.object_list) == 60
        assert len(ten) <= 12, [q["sql"] for q in ten.captured_queries]


class TestActions(ViewCase):
    def test_approve_through_the_page(self) -> None:
        client = self.client_for("staff")
        response = client.post(
            reverse("enrollment:review_approve", args=[self.app.pk]), {"approve-confirm_note": ""}
        )
        assert response.status_code == 302
        self.app.refresh_from_db()
        assert self.app.status == ApplicationStatus.APPROVED

    def test_refusal_is_shown_on_the_page(self) -> None:
        bad = make_app(self.offering, occupation_years=Decimal("1"))
        response = self.client_for("staff").post(reverse("enrollment:review_approve", args=[bad.pk]), {})
        assert response.status_code == 200
        assert "不符合申报条件" in response.content.decode()
        bad.refresh_from_db()
        assert bad.status == ApplicationStatus.SUBMITTED

    def test_confirm_note_field_shows_for_confirm(self) -> None:
        app, _cert = confirm_case(self.offering)
        client = self.client_for("staff")
        response = client.post(
            reverse("enrollment:review_approve", args=[app.pk]), {"approve-confirm_note": ""}
        )
        html = response.content.decode()
        assert 'name="approve-confirm_note"' in html and "is-invalid" in html
        response = client.post(
            reverse("enrollment:review_approve", args=[app.pk]), {"approve-confirm_note": "已核实证书"}
        )
        assert response.status_code == 302

    def test_reject_and_return_need_a_reason(self) -> None:
        client = self.client_for("owner")
        for which in ("reject", "return"):
            response = client.post(
                reverse(f"enrollment:review_{which}", args=[self.app.pk]), {f"{which}-reason": ""}
            )
            assert response.status_code == 200
            assert response.context[f"{which}_form"].errors["reason"]
        response = client.post(
            reverse("enrollment:review_return", args=[self.app.pk]), {"return-reason": "请补充学历证明"}
        )
        assert response.status_code == 302
        self.app.refresh_from_db()
        assert self.app.status == ApplicationStatus.RETURNED and self.app.review_reason == "请补充学历证明"

    def test_flag_confirm_with_htmx_swaps_flags_and_checklist(self) -> None:
        warned = make_app(self.offering, phone="")
        flag = ApplicationFlag.objects.get(application=warned, severity=FlagSeverity.WARN)
        client = self.client_for("staff")
        url = reverse("enrollment:review_flag_confirm", args=[flag.pk])
        response = client.post(url, {"note": ""}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert 'id="flags-panel"' in html and "is-invalid" in html
        response = client.post(url, {"note": "已电话核实"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert 'id="flags-panel"' in html and 'hx-swap-oob="true"' in html
        assert "已电话核实" in html and "可以审核通过" in html

    def test_relation_confirm_through_the_page(self) -> None:
        app, cert = confirm_case(self.offering)
        response = self.client_for("staff").post(
            reverse("enrollment:review_certificate_relation", args=[cert.pk]),
            {"relation": "related", "note": ""},
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.eligibility == Eligibility.ELIGIBLE

    def test_post_override_through_the_page(self) -> None:
        app = make_app(self.offering, current_post="厨师")
        response = self.client_for("staff").post(
            reverse("enrollment:review_post_override", args=[app.pk]), {"override-reason": "实际从事本职业"}
        )
        assert response.status_code == 302
        app.refresh_from_db()
        assert app.post_override_reason == "实际从事本职业"

    def test_bulk_approve_reports_skipped(self) -> None:
        bad = make_app(self.offering, occupation_years=Decimal("1"))
        response = self.client_for("staff").post(
            reverse("enrollment:review_bulk_approve", args=[self.offering.round_id]),
            {"selection": [str(self.app.pk), str(bad.pk)], "back": "https://evil.example/"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "已审核通过 1 份申报" in html and "不符合申报条件" in html
        assert "evil.example" not in html
        self.app.refresh_from_db()
        assert self.app.status == ApplicationStatus.APPROVED

    def test_detail_is_audited_and_shows_everything(self) -> None:
        app, _cert = confirm_case(self.offering)
        response = self.client_for("staff").get(reverse("enrollment:review_detail", args=[app.pk]))
        html = response.content.decode()
        assert AuditEvent.objects.filter(action="application.view", object_id=str(app.pk)).exists()
        assert "待人工确认" in html and "无关工种" in html and "确认并重新核算" in html
        assert app.person.id_number_masked in html and app.person.reveal_id_number() not in html

    def test_photo_is_404_without_one(self) -> None:
        response = self.client_for("staff").get(reverse("enrollment:review_photo", args=[self.app.pk]))
        assert response.status_code == 404
        Application.objects.filter(pk=self.app.pk).update()
        app = Application.objects.get(pk=self.app.pk)
        app.set_photo(b"\x89PNG fake", "image/png")
        app.save(update_fields=["photo_enc", "photo_type"])
        response = self.client_for("city").get(reverse("enrollment:review_photo", args=[self.app.pk]))
        assert response.status_code == 200 and response.content == b"\x89PNG fake"
        assert response["Cache-Control"] == "private, no-store"


class TestExportView(ViewCase):
    def test_export_downloads_masked_list(self) -> None:
        client = self.client_for("staff")
        client.post(reverse("enrollment:review_approve", args=[self.app.pk]), {})
        response = client.get(reverse("enrollment:approved_export", args=[self.offering.round_id]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = read_xlsx(response.content)
        assert rows[1][1] == self.app.name and rows[1][3] == self.w.person_a.id_number_masked
        assert AuditEvent.objects.filter(action="export.approved").count() == 1


class TestAuthorityReadsWithoutUploads(ViewCase):
    def test_no_links_to_uploads_or_the_printed_form(self) -> None:
        app = make_app(self.offering)
        html = self.request_as(
            "city", "get", reverse("enrollment:review_detail", args=[app.pk])
        ).content.decode()
        pdf = reverse("enrollment:application_pdf", args=[app.pk])
        assert pdf not in html
        staff_html = self.request_as(
            "staff", "get", reverse("enrollment:review_detail", args=[app.pk])
        ).content.decode()
        assert pdf in staff_html  # the enterprise's reviewer prints the form from here
