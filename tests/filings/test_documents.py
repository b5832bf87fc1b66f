"""The two adjustment forms (R1.3): generated from data, open in Word/Excel, and what was submitted is kept."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse

from skillcert.core.documents import read_xlsx
from skillcert.core.models import Organisation
from skillcert.filings import documents
from skillcert.filings.models import ScopeItem
from skillcert.filings.services import adjustments as services
from skillcert.filings.services.filing import ScopeEntry
from tests.base import AccessCase
from tests.filings.helpers import JUNE, PDF_BYTES, catalogue, draft, equip, file_enterprise

TODAY = date(2026, 6, 12)


class DocumentCase(AccessCase):
    def setUp(self) -> None:
        c = self.cat = catalogue()
        Organisation.objects.filter(pk=self.w.ent_a.pk).update(
            credit_code="91370100MA3C8K2X1T",
            contact_name="刘红梅",
            contact_phone="0531-88120000",
            address="济南市历城区",
        )
        self.w.ent_a.refresh_from_db()
        file_enterprise(
            self.w.ent_a,
            [ScopeEntry(c.turner, None, 4), ScopeEntry(c.turner, None, 3)],
            code="鲁人社评备〔2024〕12号",
        )
        equip(self.w.ent_a, [c.welder, c.electrician])
        self.owner = self.w.users["owner"]
        turner3 = ScopeItem.objects.get(enterprise=self.w.ent_a, occupation=c.turner, level=3)
        self.adj = draft(
            self.owner,
            self.w.ent_a,
            adds=[ScopeEntry(c.welder, c.electric_welder, 4), ScopeEntry(c.electrician, None, 3)],
            removes=[turner3],
            reason="新建焊接产线，需开展电焊工评价；车工三级需求减少。",
        )
        self.dossier = documents.build_dossier(adjustment=self.adj, today=TODAY)


class TestDossier(DocumentCase):
    def test_dossier_reads_the_data(self) -> None:
        d = self.dossier
        assert d.enterprise_name == self.w.ent_a.name and d.filing_code == "鲁人社评备〔2024〕12号"
        assert [(line.occupation, line.job_type, line.level) for line in d.additions] == [
            ("焊工", "电焊工", "四级/中级工"),
            ("电工", "", "三级/高级工"),
        ]
        assert [(line.occupation, line.level, line.change) for line in d.removals] == [
            ("车工", "三级/高级工", "减少")
        ]
        assert [(s.occupation, s.level, s.change) for s in d.scope_after] == [
            ("车工", "四级/中级工", ""),
            ("车工", "三级/高级工", "减少"),
            ("焊工", "四级/中级工", "增加"),
            ("电工", "三级/高级工", "增加"),
        ]
        assert len(d.sites) == 1 and "焊工" in d.sites[0].occupations
        assert len(d.assessors) == 6  # three per added occupation
        assert any("无（拟增加职业均有国家职业技能标准）" in line for line in documents.attachments(d))


class TestWord(DocumentCase):
    def test_docx_opens_and_names_the_enterprise(self) -> None:
        from docx import Document

        data = documents.application_docx(self.dossier)
        doc = Document(io.BytesIO(data))
        text = "\n".join(p.text for p in doc.paragraphs)
        cells = "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
        assert documents.APPLICATION_TITLE in text
        assert self.w.ent_a.name in cells and "鲁人社评备〔2024〕12号" in cells
        assert "电焊工" in cells and "国家职业技能标准 焊工（2018年版）" in cells
        assert "新建焊接产线" in cells
        assert "备案人力资源社会保障部门意见" in cells
        assert doc.core_properties.author == self.w.ent_a.name
        # East-Asian font set, so Word shows the Chinese in 宋体.
        assert 'w:eastAsia="宋体"' in doc.styles.element.xml

    def test_hostile_text_stays_text(self) -> None:
        from docx import Document

        self.adj.reason = '<w:p>&"=cmd|calc'
        d = documents.build_dossier(adjustment=self.adj, today=TODAY)
        doc = Document(io.BytesIO(documents.application_docx(d)))
        assert any(
            '<w:p>&"=cmd|calc' in cell.text for t in doc.tables for row in t.rows for cell in row.cells
        )


class TestExcel(DocumentCase):
    def test_xlsx_round_trips(self) -> None:
        data = documents.inventory_xlsx(self.dossier)
        org = read_xlsx(data, "评价机构信息")
        assert org[0] == ["项目", "内容"]
        assert ["评价机构名称", self.w.ent_a.name] in org and ["备案编号", "鲁人社评备〔2024〕12号"] in org
        scope = read_xlsx(data, "认定范围清单")
        assert scope[0] == list(documents.SCOPE_HEADERS)
        body = [row for row in scope[1:] if isinstance(row[0], int)]
        assert [(row[2], row[4], row[7]) for row in body] == [
            (s.occupation, s.level, s.change) for s in self.dossier.scope_after
        ]
        assessors = read_xlsx(data, "考评人员")
        names = {row[1] for row in assessors[1:] if isinstance(row[0], int)}
        assert names == {a.name for a in self.dossier.assessors}
        sites = read_xlsx(data, "场地与设施设备")
        assert sites[1][3] == "综合实训设备" and sites[1][5] == 6


class TestSubmittedCopies(DocumentCase):
    def test_submission_keeps_the_forms_and_serves_them(self) -> None:
        adj = services.adjustment_submit(actor=self.owner, adjustment=self.adj, today=JUNE)
        assert adj.form_docx.name.endswith(".docx") and adj.inventory_xlsx.name.endswith(".xlsx")
        kept = adj.form_docx.open("rb").read()
        response = self.request_as("city", "get", reverse("filings:form_docx", args=[adj.pk]))
        assert response.status_code == 200 and response.content == kept
        assert "filename*=UTF-8''" in response["Content-Disposition"]
        # A later change to the enterprise does not alter what was submitted.
        Organisation.objects.filter(pk=self.w.ent_a.pk).update(contact_phone="0000")
        assert self.request_as("city", "get", reverse("filings:inventory_xlsx", args=[adj.pk])).content == (
            adj.inventory_xlsx.open("rb").read()
        )

    def test_central_subsidiary_form_lists_the_parent_filing(self) -> None:
        Organisation.objects.filter(pk=self.w.ent_a.pk).update(
            is_central_subsidiary=True, parent_company="中国测试集团"
        )
        self.adj.refresh_from_db()
        services.adjustment_parent_filing_attach(
            actor=self.owner,
            adjustment=self.adj,
            number="中测人〔2026〕5号",
            data=PDF_BYTES,
            filename="a.pdf",
            content_type="application/pdf",
        )
        self.adj.refresh_from_db()
        d = documents.build_dossier(adjustment=self.adj, today=TODAY)
        assert ("集团向人社部备案文号", "中测人〔2026〕5号") in d.organisation_rows()
        assert any("中国测试集团向人力资源社会保障部调整范围备案文件" in a for a in documents.attachments(d))
