"""Who may reach the worker's application pages (S6): the applicant edits; the enterprise's reviewers view."""

from __future__ import annotations

from django.urls import reverse

from skillcert.core.models import AuditEvent
from skillcert.enrollment.models import Application
from tests.enrollment.test_apply import ApplyCase

VIEWERS = ["candidate", "owner", "staff"]


class TestAccess(ApplyCase):
    app: Application

    def setUp(self) -> None:
        super().setUp()
        self.app = self.complete()

    def test_status_page(self) -> None:
        self.check_access(reverse("enrollment:application_status", args=[self.app.pk]), allowed=VIEWERS)

    def test_photo(self) -> None:
        self.check_access(reverse("enrollment:application_photo", args=[self.app.pk]), allowed=VIEWERS)

    def test_document(self) -> None:
        doc = self.app.documents.first()
        assert doc is not None
        self.check_access(reverse("enrollment:document_download", args=[doc.pk]), allowed=VIEWERS)
        assert AuditEvent.objects.filter(action="application.document_view").count() == len(VIEWERS)

    def test_printed_forms(self) -> None:
        self.check_access(reverse("enrollment:application_docx", args=[self.app.pk]), allowed=VIEWERS)
        assert AuditEvent.objects.filter(action="application.print").count() == len(VIEWERS)

    def test_only_the_applicant_edits(self) -> None:
        self.check_access(reverse("enrollment:application_edit", args=[self.app.pk]), allowed=["candidate"])
        # Without the pledge the applicant's submit is refused (302 back with a message), others get 404.
        self.check_access(
            reverse("enrollment:application_submit", args=[self.app.pk]),
            allowed=["candidate"],
            method="post",
            data={},
            ok=(302,),
        )
        self.app.refresh_from_db()
        assert self.app.status == "draft"
        self.check_access(
            reverse("enrollment:application_withdraw", args=[self.app.pk]),
            allowed=["candidate"],
            method="post",
            data={},
            ok=(302,),
        )
        self.app.refresh_from_db()
        assert self.app.status == "withdrawn"

    def test_apply_only_for_the_enterprise_employee(self) -> None:
        # Staff of A see the round but are no employee with a linked person: 404 as for everyone else.
        self.check_access(
            reverse("enrollment:apply", args=[self.rnd.pk]),
            allowed=["candidate"],
            ok=(302,),  # the candidate already has a draft: sent to it
        )

    def test_my_applications(self) -> None:
        self.check_access(reverse("enrollment:my_applications"), allowed=["candidate"])
        page = self.client_for("candidate").get(reverse("enrollment:my_applications")).content.decode()
        assert self.rnd.name in page and "草稿" in page

    def test_nav_shows_my_applications_to_candidates(self) -> None:
        page = self.client_for("candidate").get(reverse("core:home")).content.decode()
        assert reverse("enrollment:my_applications") in page
        page = self.client_for("owner").get(reverse("core:home")).content.decode()
        assert reverse("enrollment:my_applications") not in page

    def test_another_tenant_id_is_404(self) -> None:
        response = self.client_for("outsider").get(reverse("enrollment:application_pdf", args=[self.app.pk]))
        assert response.status_code == 404
        response = self.client_for("anonymous").get(reverse("enrollment:application_pdf", args=[self.app.pk]))
        assert response.status_code == 302

    def test_absolute_url_is_the_status_page(self) -> None:
        response = self.client_for("candidate").get(self.app.get_absolute_url())
        assert response.status_code == 200
