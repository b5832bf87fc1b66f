"""Every filings page from every side (S6), the page flows, and the public list (R1.1)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from skillcert.core.models import Organisation
from skillcert.filings.models import (
    AdjustmentStatus,
    Equipment,
    Filing,
    PoolMember,
    Relationship,
    ScopeAdjustment,
    ScopeItem,
    Site,
)
from skillcert.filings.services import adjustments as services
from skillcert.filings.services import resources
from skillcert.filings.services.filing import ScopeEntry
from tests.base import PERSONAS, AccessCase
from tests.factories import EmployeeFactory, OrganisationFactory
from tests.filings.helpers import JUNE, PDF_BYTES, catalogue, draft, equip, file_enterprise

READERS_A = {"owner", "staff", "city", "city_admin", "province"}
REVIEWERS_A = {"city", "city_admin", "province"}
AUTHORITIES = {"city", "city_admin", "province", "other_city"}
ENTERPRISE_STAFF = {"owner", "staff", "outsider"}


class FilingsViewCase(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = cls.w
        c = cls.cat = catalogue()
        Organisation.objects.filter(pk=w.ent_a.pk).update(
            contact_name="刘红梅", contact_phone="0531-88120000"
        )
        file_enterprise(w.ent_a, [ScopeEntry(c.turner, None, 4), ScopeEntry(c.welder, c.electric_welder, 3)])
        file_enterprise(w.ent_b, [ScopeEntry(c.electrician, None, 4)])
        equip(w.ent_a, [c.electrician])
        cls.site = Site.objects.get(enterprise=w.ent_a)
        cls.equipment = Equipment.objects.get(site=cls.site)
        cls.member = PoolMember.objects.filter(enterprise=w.ent_a).first()
        people = [e.person for e in (w.emp_a, EmployeeFactory(enterprise=w.ent_a))]
        cls.relationship = resources.relationship_create(
            actor=None, enterprise=w.ent_a, a=people[0], b=people[1], kind="relative"
        )
        owner = w.users["owner"]
        cls.adj = services.adjustment_submit(
            actor=owner,
            adjustment=draft(owner, w.ent_a, adds=[ScopeEntry(c.electrician, None, 4)]),
            today=JUNE,
        )
        cls.adj_b = draft(w.users["outsider"], w.ent_b, adds=[ScopeEntry(c.turner, None, 5)])
        cls.unfiled = OrganisationFactory(name="待备案测试企业", authority=w.city)


class TestPageAccess(FilingsViewCase):
    def test_index_sends_enterprise_staff_to_their_filing(self) -> None:
        url = reverse("filings:index")
        for persona in PERSONAS:
            response = self.request_as(persona, "get", url)
            if persona in AUTHORITIES:
                assert response.status_code == 200, persona
            elif persona in ENTERPRISE_STAFF:
                org = self.w.users[persona].organisation
                assert response.status_code == 302 and response["Location"] == reverse(
                    "filings:enterprise", args=[org.pk]
                )  # type: ignore[union-attr]
            elif persona == "anonymous":
                assert response.status_code == 302 and "/login/" in response["Location"]
            else:
                assert response.status_code == 404, persona
        html = self.request_as("city", "get", url).content.decode()
        assert self.w.ent_a.name in html and self.w.ent_b.name not in html and "待备案测试企业" in html
        html = self.request_as("province", "get", url).content.decode()
        assert self.w.ent_b.name in html

    def test_enterprise_pages_are_tenant_scoped(self) -> None:
        pk = self.w.ent_a.pk
        for name in ("enterprise", "sites", "pool", "relationships"):
            self.check_access(reverse(f"filings:{name}", args=[pk]), allowed=READERS_A)

    def test_management_pages_are_the_admins(self) -> None:
        pk = self.w.ent_a.pk
        for url in (
            reverse("filings:site_create", args=[pk]),
            reverse("filings:site_edit", args=[self.site.pk]),
            reverse("filings:equipment_create", args=[self.site.pk]),
            reverse("filings:equipment_edit", args=[self.equipment.pk]),
            reverse("filings:pool_create", args=[pk]),
            reverse("filings:pool_edit", args=[self.member.pk]),  # type: ignore[union-attr]
        ):
            self.check_access(url, allowed={"owner"})

    def test_site_head_is_recorded_and_shown(self) -> None:
        response = self.request_as(
            "owner",
            "post",
            reverse("filings:site_edit", args=[self.site.pk]),
            {
                "name": self.site.name,
                "address": self.site.address,
                "note": "",
                "head_name": "赵主任",
                "head_phone": "0531-88881234",
                "is_active": "on",
            },
        )
        assert response.status_code == 302
        self.site.refresh_from_db()
        assert (self.site.head_name, self.site.head_phone) == ("赵主任", "0531-88881234")
        page = self.request_as("city", "get", reverse("filings:sites", args=[self.w.ent_a.pk]))
        assert "赵主任" in page.content.decode()

    def test_filing_form_is_the_authoritys(self) -> None:
        self.check_access(reverse("filings:filing_create", args=[self.unfiled.pk]), allowed=REVIEWERS_A)

    def test_adjustment_pages(self) -> None:
        self.check_access(reverse("filings:adjustment_list"), allowed=ENTERPRISE_STAFF | AUTHORITIES)
        self.check_access(reverse("filings:queue"), allowed=AUTHORITIES)
        self.check_access(reverse("filings:adjustment_create"), allowed={"owner", "outsider"})
        self.check_access(self.adj.get_absolute_url(), allowed=READERS_A)
        self.check_access(reverse("filings:adjustment_decide", args=[self.adj.pk]), allowed=REVIEWERS_A)
        for name in ("form_docx", "form_pdf", "inventory_xlsx", "inventory_pdf"):
            if name.endswith("pdf"):
                continue  # PDFs are checked once below; WeasyPrint is slow
            self.check_access(reverse(f"filings:{name}", args=[self.adj.pk]), allowed=READERS_A)

    def test_pdf_downloads(self) -> None:
        for name in ("form_pdf", "inventory_pdf"):
            response = self.request_as("city", "get", reverse(f"filings:{name}", args=[self.adj.pk]))
            assert response.status_code == 200 and response.content.startswith(b"%PDF")
            assert response["Content-Type"] == "application/pdf"
            assert (
                self.request_as("outsider", "get", reverse(f"filings:{name}", args=[self.adj.pk])).status_code
                == 404
            )

    def test_writes_by_others_are_404(self) -> None:
        """POSTs to another tenant's records answer 404 and change nothing."""
        adj, item = self.adj_b, self.adj_b.items.get()
        for persona in ("owner", "staff", "city", "other_city", "sysadmin", "candidate"):
            for url in (
                reverse("filings:adjustment_submit", args=[adj.pk]),
                reverse("filings:adjustment_reopen", args=[adj.pk]),
                reverse("filings:adjustment_reason", args=[adj.pk]),
                reverse("filings:addition_create", args=[adj.pk]),
                reverse("filings:removal_create", args=[adj.pk]),
                reverse("filings:item_delete", args=[item.pk]),
                reverse("filings:parent_filing_upload", args=[adj.pk]),
            ):
                assert self.request_as(persona, "post", url, {}).status_code == 404, (persona, url)
        for persona in ("owner", "staff", "outsider", "other_city", "auditadmin"):
            for name in ("adjustment_forward", "adjustment_return", "adjustment_decide"):
                url = reverse(f"filings:{name}", args=[self.adj.pk])
                assert self.request_as(persona, "post", url, {}).status_code == 404, (persona, url)
        for persona in ("staff", "outsider", "city"):
            for url in (
                reverse("filings:equipment_delete", args=[self.equipment.pk]),
                reverse("filings:relationship_delete", args=[self.relationship.pk]),
            ):
                assert self.request_as(persona, "post", url).status_code == 404, (persona, url)
        assert (
            self.request_as(
                "anonymous", "post", reverse("filings:adjustment_forward", args=[self.adj.pk])
            ).status_code
            == 302
        )
        assert ScopeAdjustment.objects.get(pk=adj.pk).status == AdjustmentStatus.DRAFT
        assert ScopeAdjustment.objects.get(pk=self.adj.pk).status == AdjustmentStatus.SUBMITTED
        assert Equipment.objects.filter(pk=self.equipment.pk).exists()
        assert Relationship.objects.filter(pk=self.relationship.pk).exists()

    def test_authority_sees_only_its_jurisdiction(self) -> None:
        adj_b = self.adj_b
        html = self.request_as("city", "get", reverse("filings:adjustment_list")).content.decode()
        assert self.adj.number in html and adj_b.number not in html
        assert self.request_as("city", "get", adj_b.get_absolute_url()).status_code == 404
        # A draft stays the enterprise's own until it is submitted; then the filing authority sees it.
        assert self.request_as("province", "get", adj_b.get_absolute_url()).status_code == 404
        ScopeAdjustment.objects.filter(pk=adj_b.pk).update(status=AdjustmentStatus.SUBMITTED)
        assert self.request_as("province", "get", adj_b.get_absolute_url()).status_code == 200
        assert self.request_as("other_city", "get", self.adj.get_absolute_url()).status_code == 404


class TestPageFlows(FilingsViewCase):
    def test_authority_records_a_filing_with_its_initial_scope(self) -> None:
        c = self.cat
        url = reverse("filings:filing_create", args=[self.unfiled.pk])
        data = {
            "code": "鲁人社评备〔2026〕88号",
            "filed_on": "2026-01-05",
            "note": "",
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "60",
            "items-0-occupation": str(c.welder.pk),
            "items-0-job_type": str(c.electric_welder.pk),
            "items-0-level": "3",
            "items-1-occupation": str(c.turner.pk),
            "items-1-level": "4",
            "items-1-standard": str(c.turner_std.pk),
        }
        response = self.request_as("city", "post", url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        filing = Filing.objects.get(enterprise=self.unfiled)
        assert filing.code == "鲁人社评备〔2026〕88号" and filing.authority == self.w.city
        assert ScopeItem.objects.filter(enterprise=self.unfiled).count() == 2
        # A level a job type does not have is refused with the rule, on the form.
        other = OrganisationFactory(authority=self.w.city)
        data.update({"code": "X-2", "items-0-job_type": str(c.gas_welder.pk), "items-0-level": "1"})
        response = self.request_as("city", "post", reverse("filings:filing_create", args=[other.pk]), data)
        assert response.status_code == 200 and "未设一级/高级技师" in response.content.decode()

    def test_enterprise_drafts_and_submits_through_the_pages(self) -> None:
        c = self.cat
        response = self.request_as(
            "owner", "post", reverse("filings:adjustment_create"), {"reason": "新产线"}
        )
        assert response.status_code == 302
        adj = ScopeAdjustment.objects.filter(enterprise=self.w.ent_a, status="draft").latest("pk")
        page = self.request_as("owner", "get", adj.get_absolute_url()).content.decode()
        assert 'data-testid="problems"' in page and "至少填写一项" in page
        response = self.request_as(
            "owner",
            "post",
            reverse("filings:addition_create", args=[adj.pk]),
            {"add-occupation": c.electrician.pk, "add-level": "3"},
        )
        assert response.status_code == 302
        turner = ScopeItem.objects.get(enterprise=self.w.ent_a, occupation=c.turner)
        self.request_as(
            "owner", "post", reverse("filings:removal_create", args=[adj.pk]), {"rm-scope_item": turner.pk}
        )
        assert adj.items.count() == 2
        # A refused addition shows the rule on the form.
        response = self.request_as(
            "owner",
            "post",
            reverse("filings:addition_create", args=[adj.pk]),
            {"add-occupation": c.drone.pk, "add-level": "4"},
        )
        assert (
            response.status_code == 200
            and "须提供本企业经备案的评价规范。（R1.3）" in response.content.decode()
        )
        response = self.request_as(
            "owner", "post", reverse("filings:adjustment_submit", args=[adj.pk]), follow=True
        )
        adj.refresh_from_db()
        assert adj.status == AdjustmentStatus.SUBMITTED
        assert adj.form_docx and adj.inventory_xlsx

    def test_authority_returns_forwards_and_records_consent(self) -> None:
        url = self.adj.get_absolute_url()
        page = self.request_as("city", "get", url).content.decode()
        assert 'data-testid="review-actions"' in page
        self.request_as(
            "city",
            "post",
            reverse("filings:adjustment_return", args=[self.adj.pk]),
            {"ret-reason": "缺少设备清单"},
        )
        assert ScopeAdjustment.objects.get(pk=self.adj.pk).status == AdjustmentStatus.RETURNED
        page = self.request_as("owner", "get", url).content.decode()
        assert "缺少设备清单" in page
        self.request_as("owner", "post", reverse("filings:adjustment_reopen", args=[self.adj.pk]))
        self.request_as("owner", "post", reverse("filings:adjustment_submit", args=[self.adj.pk]))
        self.request_as("city", "post", reverse("filings:adjustment_forward", args=[self.adj.pk]))
        assert ScopeAdjustment.objects.get(pk=self.adj.pk).status == AdjustmentStatus.FORWARDED
        effective = timezone.localdate() + timedelta(days=10)
        response = self.request_as(
            "city",
            "post",
            reverse("filings:adjustment_decide", args=[self.adj.pk]),
            {
                "d-decision": "approved",
                "d-document_no": "人社鉴函〔2026〕21号",
                "d-effective_on": effective.isoformat(),
            },
        )
        assert response.status_code == 302
        adj = ScopeAdjustment.objects.get(pk=self.adj.pk)
        assert adj.status == AdjustmentStatus.APPROVED and adj.effective_on == effective
        assert ScopeItem.objects.filter(added_by=adj, valid_from=effective).count() == 1

    def test_refused_move_is_shown_with_its_rule(self) -> None:
        response = self.request_as(
            "city", "post", reverse("filings:adjustment_reopen", args=[self.adj.pk]), follow=True
        )
        # Reopening is the enterprise's move; the authority gets 404, not a state change.
        assert response.status_code == 404
        response = self.request_as(
            "owner", "post", reverse("filings:adjustment_reopen", args=[self.adj.pk]), follow=True
        )
        assert "不能重新编辑" in response.content.decode() and "R1.3" in response.content.decode()

    def test_central_subsidiary_uploads_the_parent_filing(self) -> None:
        Organisation.objects.filter(pk=self.w.ent_a.pk).update(
            is_central_subsidiary=True, parent_company="中国测试集团"
        )
        adj = draft(self.w.users["owner"], self.w.ent_a, adds=[ScopeEntry(self.cat.electrician, None, 3)])
        page = self.request_as("owner", "get", adj.get_absolute_url()).content.decode()
        assert "集团向人社部备案文号" in page
        assert "上传集团向人力资源社会保障部的调整范围备案文件并填写文号（R1.4）" in page
        upload = SimpleUploadedFile("集团备案.pdf", PDF_BYTES, content_type="application/pdf")
        response = self.request_as(
            "owner",
            "post",
            reverse("filings:parent_filing_upload", args=[adj.pk]),
            {"p-parent_filing_no": "中测人〔2026〕1号", "p-parent_filing_file": upload},
        )
        assert response.status_code == 302
        file_url = reverse("filings:parent_filing_file", args=[adj.pk])
        self.check_access(file_url, allowed={"owner", "staff"})  # a draft is not yet the authority's to read
        ScopeAdjustment.objects.filter(pk=adj.pk).update(status=AdjustmentStatus.SUBMITTED)
        self.check_access(file_url, allowed=READERS_A)
        assert self.request_as("city", "get", file_url).getvalue() == PDF_BYTES  # type: ignore[attr-defined]

    def test_sites_equipment_pool_and_relationships(self) -> None:
        c, pk = self.cat, self.w.ent_a.pk
        self.request_as(
            "owner",
            "post",
            reverse("filings:site_create", args=[pk]),
            {"name": "二号车间", "address": "济南"},
        )
        site = Site.objects.get(enterprise=self.w.ent_a, name="二号车间")
        self.request_as(
            "owner",
            "post",
            reverse("filings:equipment_create", args=[site.pk]),
            {"name": "数控车床", "model": "CK6150", "count": "4", "occupations": [c.turner.pk]},
        )
        assert Equipment.objects.get(site=site).occupations.get() == c.turner
        person = EmployeeFactory(enterprise=self.w.ent_a).person
        response = self.request_as(
            "owner",
            "post",
            reverse("filings:pool_create", args=[pk]),
            {
                "person": person.pk,
                "role": "assessor",
                "occupation": c.turner.pk,
                "max_level": "2",
                "certificate_no": "KP-1",
            },
        )
        assert response.status_code == 302
        html = self.request_as("city", "get", reverse("filings:pool", args=[pk])).content.decode()
        assert person.name in html and "KP-1" in html and "编辑" not in html
        response = self.request_as(
            "owner",
            "post",
            reverse("filings:relationships", args=[pk]),
            {"person_a": person.pk, "person_b": self.w.person_a.pk, "kind": "superior"},
        )
        assert response.status_code == 302
        response = self.request_as(
            "owner",
            "post",
            reverse("filings:relationships", args=[pk]),
            {"person_a": self.w.person_a.pk, "person_b": person.pk, "kind": "superior"},
        )
        assert "关系已登记" in response.content.decode()


class TestPublicList(FilingsViewCase):
    def test_no_login_needed_and_everyone_sees_the_same(self) -> None:
        url = reverse("filings_public:filed_list")
        assert url == "/public/filed/"
        self.check_access(url, allowed=PERSONAS)
        html = self.request_as("anonymous", "get", url).content.decode()
        assert self.w.ent_a.name in html and self.w.ent_b.name in html
        assert "待备案测试企业" not in html
        assert "车工" in html and "四级/中级工" in html and "焊工（电焊工）" in html

    def test_search(self) -> None:
        url = reverse("filings_public:filed_list")
        html = self.request_as("anonymous", "get", url, {"q": "电焊"}).content.decode()
        assert self.w.ent_a.name in html and self.w.ent_b.name not in html
        html = self.request_as(
            "anonymous", "get", url, {"q": Filing.objects.get(enterprise=self.w.ent_b).code}
        ).content.decode()
        assert self.w.ent_b.name in html and self.w.ent_a.name not in html
        html = self.request_as("anonymous", "get", url, {"q": "x" * 500, "page": "abc"}).content.decode()
        assert "没有符合条件" in html
        partial = self.client_for("anonymous").get(url, {"q": "车工"}, HTTP_HX_REQUEST="true")
        assert partial.status_code == 200 and "<html" not in partial.content.decode()

    def test_no_personal_data(self) -> None:
        pages = [self.request_as("anonymous", "get", reverse("filings_public:filed_list")).content.decode()]
        for filing in Filing.objects.all():
            pages.append(
                self.request_as(
                    "anonymous", "get", reverse("filings_public:filed_detail", args=[filing.pk])
                ).content.decode()
            )
        people = [m.person for m in PoolMember.objects.select_related("person")] + [
            self.w.person_a,
            self.w.person_b,
        ]
        for html in pages:
            assert "刘红梅" not in html and "0531-88120000" not in html
            for person in people:
                assert person.name not in html
                assert person.id_number_masked not in html
            for member in PoolMember.objects.all():
                assert member.certificate_no not in html
        assert self.w.ent_a.name in pages[0]

    def test_detail_of_unknown_or_future_filing_is_404(self) -> None:
        assert (
            self.request_as(
                "anonymous", "get", reverse("filings_public:filed_detail", args=[999999])
            ).status_code
            == 404
        )
        filing = Filing.objects.get(enterprise=self.w.ent_b)
        Filing.objects.filter(pk=filing.pk).update(filed_on=timezone.localdate() + timedelta(days=3))
        assert (
            self.request_as(
                "anonymous", "get", reverse("filings_public:filed_detail", args=[filing.pk])
            ).status_code
            == 404
        )
