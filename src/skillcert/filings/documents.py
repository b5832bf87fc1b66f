"""The two forms of a scope adjustment (R1.3), generated from data (DESIGN rule 7).

- 《职业技能等级认定职业（工种）调整申请表》: Word, built with python-docx in code (no template file),
  and the same content as a printable PDF;
- 《评价机构信息与认定范围清单》: Excel (one sheet each for the organisation, the scope after the
  adjustment, sites and equipment, assessors), and as a printable PDF.

``build_dossier`` reads the database once into plain data; the renderers take only that data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from skillcert.catalog.models import LEVEL_HEIGHT, Level, StandardKind
from skillcert.core import documents
from skillcert.core.documents import Sheet
from skillcert.filings import selectors
from skillcert.filings.models import AdjustmentAction, ScopeAdjustment

APPLICATION_TITLE = "职业技能等级认定职业（工种）调整申请表"
INVENTORY_TITLE = "评价机构信息与认定范围清单"
SCOPE_HEADERS = ("序号", "职业编码", "职业名称", "工种", "等级", "评价依据", "依据类型", "本次调整")
SITE_HEADERS = ("序号", "场地名称", "地址", "设施设备", "规格型号", "数量", "适用职业")
ASSESSOR_HEADERS = ("序号", "姓名", "职业", "最高可考评等级", "考评员证书编号", "有效期至")


@dataclass(frozen=True)
class ScopeLine:
    no: int
    occupation_code: str
    occupation: str
    job_type: str
    level: str
    standard: str
    standard_kind: str
    change: str  # 增加 / 减少 / "" (unchanged)


@dataclass(frozen=True)
class SiteLine:
    no: int
    site: str
    address: str
    equipment: str
    model: str
    count: int
    occupations: str


@dataclass(frozen=True)
class AssessorLine:
    no: int
    name: str
    occupation: str
    max_level: str
    certificate_no: str
    valid_until: date | None


@dataclass(frozen=True)
class Dossier:
    """Everything the two forms show, as plain data."""

    number: str
    status: str
    made_on: date
    enterprise_name: str
    credit_code: str
    address: str
    contact_name: str
    contact_phone: str
    authority_name: str
    filing_code: str
    filed_on: date | None
    is_central: bool
    parent_company: str
    parent_filing_no: str
    reason: str
    additions: tuple[ScopeLine, ...]
    removals: tuple[ScopeLine, ...]
    scope_after: tuple[ScopeLine, ...]
    specifications: tuple[str, ...]
    sites: tuple[SiteLine, ...]
    assessors: tuple[AssessorLine, ...]

    def organisation_rows(self) -> list[tuple[str, str]]:
        rows = [
            ("评价机构名称", self.enterprise_name),
            ("统一社会信用代码", self.credit_code),
            ("备案编号", self.filing_code),
            ("备案日期", cn_date(self.filed_on)),
            ("备案人社部门", self.authority_name),
            ("中央企业在鲁子公司或分支机构", f"是（{self.parent_company}）" if self.is_central else "否"),
        ]
        if self.is_central:
            rows.append(("集团向人社部备案文号", self.parent_filing_no or "（未填写）"))
        rows += [
            ("联系人", self.contact_name),
            ("联系电话", self.contact_phone),
            ("通讯地址", self.address),
            ("申请编号", self.number),
        ]
        return rows


def cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _level(value: int) -> str:
    return str(Level(value).label) if value in Level.values else str(value)


def _kind(kind: str) -> str:
    return str(StandardKind(kind).label) if kind in StandardKind.values else kind


def build_dossier(*, adjustment: ScopeAdjustment, today: date) -> Dossier:
    """Read the adjustment, its enterprise, filing, scope, sites and assessors into a Dossier."""
    ent = adjustment.enterprise
    filing = selectors.filing_of(enterprise=ent)
    items = list(selectors.adjustment_items(adjustment=adjustment))
    additions: list[ScopeLine] = []
    removals: list[ScopeLine] = []
    for item in items:
        standard = item.standard
        line = ScopeLine(
            no=0,
            occupation_code=item.occupation.code,
            occupation=item.occupation.name,
            job_type=item.job_type.name if item.job_type else "",
            level=_level(item.level),
            standard=str(standard) if standard else "（未指定）",
            standard_kind=_kind(standard.kind) if standard else "",
            change=str(AdjustmentAction(item.action).label),
        )
        (additions if item.action == AdjustmentAction.ADD else removals).append(line)
    additions = [_renumber(line, i) for i, line in enumerate(additions, start=1)]
    removals = [_renumber(line, i) for i, line in enumerate(removals, start=1)]

    # The scope as it stands before this adjustment, whatever its status: items it added are left
    # out and items it ended are put back, so the list reads the same before and after approval.
    removed_ids = {item.scope_item_id for item in items if item.action == AdjustmentAction.REMOVE}
    base = [
        s
        for s in selectors.scope_history(enterprise=ent)
        if s.added_by_id != adjustment.pk
        and (
            (s.valid_from <= today and (s.valid_to is None or s.valid_to > today))
            or (s.removed_by_id is not None and s.removed_by_id == adjustment.pk)
        )
    ]
    scope_after: list[ScopeLine] = []
    for s in base:
        scope_after.append(
            ScopeLine(
                no=len(scope_after) + 1,
                occupation_code=s.occupation.code,
                occupation=s.occupation.name,
                job_type=s.job_type.name if s.job_type else "",
                level=_level(s.level),
                standard=str(s.standard),
                standard_kind=_kind(s.standard.kind),
                change="减少" if s.pk in removed_ids else "",
            )
        )
    for line in additions:
        scope_after.append(_renumber(line, len(scope_after) + 1))

    added = [item for item in items if item.action == AdjustmentAction.ADD]
    occupation_ids = sorted({item.occupation_id for item in added})
    specs = sorted(
        {
            f"{item.occupation.name}：{item.standard.title}"
            + (f"（{item.standard.code}）" if item.standard.code else "")
            for item in added
            if item.standard is not None and item.standard.kind == StandardKind.SPECIFICATION
        }
    )
    sites: list[SiteLine] = []
    seen_equipment: set[int] = set()
    for occ_id in occupation_ids:
        for eq in selectors.equipment_for(enterprise=ent, occupation=occ_id).prefetch_related("occupations"):
            if eq.pk in seen_equipment:
                continue
            seen_equipment.add(eq.pk)
            sites.append(
                SiteLine(
                    no=len(sites) + 1,
                    site=eq.site.name,
                    address=eq.site.address,
                    equipment=eq.name,
                    model=eq.model,
                    count=eq.count,
                    occupations="、".join(o.name for o in eq.occupations.all()),
                )
            )
    assessors: list[AssessorLine] = []
    seen_members: set[int] = set()
    lowest: dict[int, int] = {}  # per occupation, the lowest level added: its assessors are listed
    for item in added:
        current = lowest.get(item.occupation_id)
        if current is None or LEVEL_HEIGHT[item.level] < LEVEL_HEIGHT[current]:
            lowest[item.occupation_id] = item.level
    for occ_id in occupation_ids:
        members = selectors.assessors_for(enterprise=ent, occupation=occ_id, level=lowest[occ_id], on=today)
        # Highest level first within an occupation: the panel leaders head the list.
        for member in sorted(members, key=lambda m: (-LEVEL_HEIGHT[m.max_level or 5], m.person.name)):
            if member.pk in seen_members:
                continue
            seen_members.add(member.pk)
            assert member.occupation is not None and member.max_level is not None
            assessors.append(
                AssessorLine(
                    no=len(assessors) + 1,
                    name=member.person.name,
                    occupation=member.occupation.name,
                    max_level=_level(member.max_level),
                    certificate_no=member.certificate_no,
                    valid_until=member.valid_until,
                )
            )
    return Dossier(
        number=adjustment.number,
        status=adjustment.get_status_display(),
        made_on=today,
        enterprise_name=ent.name,
        credit_code=ent.credit_code,
        address=ent.address,
        contact_name=ent.contact_name,
        contact_phone=ent.contact_phone,
        authority_name=str(filing.authority if filing else ent.authority),
        filing_code=filing.code if filing else "",
        filed_on=filing.filed_on if filing else None,
        is_central=ent.is_central_subsidiary,
        parent_company=ent.parent_company,
        parent_filing_no=adjustment.parent_filing_no,
        reason=adjustment.reason,
        additions=tuple(additions),
        removals=tuple(removals),
        scope_after=tuple(scope_after),
        specifications=tuple(specs),
        sites=tuple(sites),
        assessors=tuple(assessors),
    )


def _renumber(line: ScopeLine, no: int) -> ScopeLine:
    return ScopeLine(no, *(getattr(line, f) for f in ScopeLine.__dataclass_fields__ if f != "no"))


def attachments(d: Dossier) -> list[str]:
    """The materials list of R1.3, numbered as the guideline numbers them."""
    spec = "；".join(d.specifications) if d.specifications else "无（拟增加职业均有国家职业技能标准）"
    items = [
        f"1. 《{APPLICATION_TITLE}》（本表）",
        f"2. 《{INVENTORY_TITLE}》",
        f"3. 评价规范：{spec}",
        f"4. 拟调整职业（工种）的评价场地、设施设备配置及考评人员清单（见清单，场地设备 {len(d.sites)} 项，考评人员 {len(d.assessors)} 人）",
    ]
    if d.is_central:
        items.append(
            f"5. {d.parent_company}向人力资源社会保障部调整范围备案文件（文号：{d.parent_filing_no}）"
        )
    return items


# --------------------------------------------------------------------------- Word


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shade)


def _cell_text(
    cell: Any, text: str, *, bold: bool = False, center: bool = False, size: float | None = None
) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n") if text else [""]
    p = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = bold
        if size:
            run.font.size = Pt(size)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _scope_table(doc: Any, lines: tuple[ScopeLine, ...], empty: str) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    headers = SCOPE_HEADERS[:7]
    widths = (10, 22, 30, 24, 24, 52, 18)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _shade(cell, "DCE6F1")
        _cell_text(cell, text, bold=True, center=True)
    _repeat_header(table.rows[0])
    if not lines:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _cell_text(merged, empty, center=True)
    for line in lines:
        cells = table.add_row().cells
        values = (
            str(line.no),
            line.occupation_code,
            line.occupation,
            line.job_type or "—",
            line.level,
            line.standard,
            line.standard_kind,
        )
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _cell_text(cell, value, center=i in (0, 1, 4, 6))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _heading(doc: Any, text: str) -> None:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(10)
    p.paragraph_format.space_after = Pt(4)
    run = p.add_run(text)
    run.bold, run.font.size = True, Pt(12)


def application_docx(d: Dossier) -> bytes:
    """《职业技能等级认定职业（工种）调整申请表》 as a Word document, built in code."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = APPLICATION_TITLE
    doc.core_properties.author = d.enterprise_name

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(APPLICATION_TITLE)
    run.bold, run.font.size = True, Pt(16)
    meta = doc.add_paragraph(f"申请编号：{d.number}\t填报日期：{cn_date(d.made_on)}")
    meta.paragraph_format.tab_stops.add_tab_stop(Mm(174), alignment=2)  # right-aligned tab

    org_rows = d.organisation_rows()[:-1]  # the number is in the line above
    info = doc.add_table(rows=0, cols=4)
    info.style = doc.styles["Table Grid"]
    info.alignment = WD_TABLE_ALIGNMENT.CENTER
    pairs = list(org_rows)
    wide = {"评价机构名称", "通讯地址", "中央企业在鲁子公司或分支机构", "集团向人社部备案文号"}
    i = 0
    while i < len(pairs):
        label, value = pairs[i]
        cells = info.add_row().cells
        if label in wide or i + 1 >= len(pairs) or pairs[i + 1][0] in wide:
            _shade(cells[0], "F2F2F2")
            _cell_text(cells[0], label, bold=True, center=True)
            _cell_text(cells[1].merge(cells[3]), value)
            i += 1
            continue
        label2, value2 = pairs[i + 1]
        for cell, text in ((cells[0], label), (cells[2], label2)):
            _shade(cell, "F2F2F2")
            _cell_text(cell, text, bold=True, center=True)
        _cell_text(cells[1], value)
        _cell_text(cells[3], value2)
        i += 2
    for row in info.rows:
        for cell, width in zip(row.cells, (36, 52, 36, 50), strict=True):
            cell.width = Mm(width)

    _heading(doc, "一、拟增加的职业（工种）等级")
    _scope_table(doc, d.additions, "无")
    _heading(doc, "二、拟减少的职业（工种）等级")
    _scope_table(doc, d.removals, "无")
    _heading(doc, "三、调整理由")
    box = doc.add_table(rows=1, cols=1)
    box.style = doc.styles["Table Grid"]
    _cell_text(box.rows[0].cells[0], d.reason or "（未填写）")
    box.rows[0].height = Mm(30)
    _heading(doc, "四、附件材料")
    for line in attachments(d):
        doc.add_paragraph(line).paragraph_format.left_indent = Mm(4)

    sign = doc.add_table(rows=1, cols=2)
    sign.style = doc.styles["Table Grid"]
    sign.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(sign.rows[0].cells, ("评价机构意见", "备案人力资源社会保障部门意见"), strict=True):
        _cell_text(cell, f"{head}：\n\n\n\n（盖章）\n年    月    日")
        cell.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        cell.paragraphs[-2].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        cell.width = Mm(87)
    sign.rows[0].height = Mm(45)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(8)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{d.enterprise_name} · {d.number}").font.size = Pt(8)

    documents.set_docx_fonts(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def application_pdf(d: Dossier) -> bytes:
    """The application form as a printable PDF (same content as the Word form)."""
    return documents.render_pdf(
        "filings/documents/application.html",
        {"d": d, "title": APPLICATION_TITLE, "attachments": attachments(d)},
    )


# --------------------------------------------------------------------------- Excel


def inventory_sheets(d: Dossier) -> list[Sheet]:
    made = f"申请编号 {d.number}，制表日期 {d.made_on:%Y-%m-%d}。"
    return [
        Sheet(
            title="评价机构信息",
            headers=("项目", "内容"),
            rows=d.organisation_rows(),
            widths=(30, 60),
            notes=(made,),
        ),
        Sheet(
            title="认定范围清单",
            headers=SCOPE_HEADERS,
            rows=[
                (
                    s.no,
                    s.occupation_code,
                    s.occupation,
                    s.job_type,
                    s.level,
                    s.standard,
                    s.standard_kind,
                    s.change,
                )
                for s in d.scope_after
            ],
            widths=(6, 14, 20, 18, 16, 44, 18, 10),
            notes=(made, "“本次调整”为空的条目保持不变；增加的条目经人力资源社会保障部同意后生效。"),
        ),
        Sheet(
            title="场地与设施设备",
            headers=SITE_HEADERS,
            rows=[(s.no, s.site, s.address, s.equipment, s.model, s.count, s.occupations) for s in d.sites],
            widths=(6, 20, 36, 24, 18, 8, 30),
            notes=(made, "仅列出服务于拟增加职业的设施设备。"),
        ),
        Sheet(
            title="考评人员",
            headers=ASSESSOR_HEADERS,
            rows=[
                (a.no, a.name, a.occupation, a.max_level, a.certificate_no, a.valid_until)
                for a in d.assessors
            ],
            widths=(6, 12, 20, 18, 24, 14),
            notes=(made, "仅列出可考评拟增加职业等级、证书在有效期内的考评人员。"),
        ),
    ]


def inventory_xlsx(d: Dossier) -> bytes:
    """《评价机构信息与认定范围清单》 as an Excel workbook."""
    return documents.write_xlsx(inventory_sheets(d))


def inventory_pdf(d: Dossier) -> bytes:
    return documents.render_pdf("filings/documents/inventory.html", {"d": d, "title": INVENTORY_TITLE})
