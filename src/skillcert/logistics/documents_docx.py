"""Word versions of the arrangement tables (attachment 4) and the handbook (attachment 5), for editing and sealing."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from skillcert.core.documents import set_docx_fonts
from skillcert.logistics.documents import ArrangementDoc, HandbookDoc, TextLine


class _Writer:
    """A small python-docx writer with the house look: A4, 宋体, tables with a bold header row."""

    def __init__(self, *, landscape: bool = False) -> None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        self.d = Document()
        section = self.d.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
            section.top_margin = section.bottom_margin = Cm(1.8)
            section.left_margin = section.right_margin = Cm(1.8)
        else:
            section.page_width, section.page_height = Cm(21.0), Cm(29.7)
            section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.4)
            section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
        self.d.styles["Normal"].font.size = Pt(12)

    def para(
        self,
        text: str,
        *,
        indent: bool = True,
        bold: bool = False,
        size: float | None = None,
        center: bool = False,
        spacing: float = 1.5,
    ) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self.d.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            p.paragraph_format.first_line_indent = Pt(24)
        p.paragraph_format.line_spacing = spacing
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        return p

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], *, top: Sequence[str] | None = None
    ) -> Any:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        t = self.d.add_table(rows=0, cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        if top is not None:
            cells = t.add_row().cells
            # top: place label, place (2 cells merged), time label, date, count label, count (attachment 4).
            cells[1].merge(cells[2])
            for cell, text in zip(
                (cells[0], cells[1], cells[3], cells[4], cells[5], cells[6]), top, strict=True
            ):
                cell.text = text
            for i in (0, 3, 5):
                for r in cells[i].paragraphs[0].runs:
                    r.bold = True
        cells = t.add_row().cells
        for cell, text in zip(cells, header, strict=True):
            cell.text = text
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for r in cell.paragraphs[0].runs:
                r.bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        self.d.add_paragraph()
        return t

    def lines(self, items: Sequence[TextLine]) -> None:
        for line in items:
            self.para(line.text, bold=line.heading)

    def page_break(self) -> None:
        self.d.add_page_break()

    def bytes(self) -> bytes:
        set_docx_fonts(self.d)
        out = io.BytesIO()
        self.d.save(out)
        return out.getvalue()


def arrangement_docx(doc: ArrangementDoc) -> bytes:
    """Attachment 4 as Word: one table per place and day, the same columns as the PDF."""
    w = _Writer(landscape=True)
    if not doc.blocks:
        w.para(doc.title, center=True, bold=True, size=16)
        w.para(f"{doc.enterprise_name} {doc.round_name}", center=True)
        w.para("本批次尚未安排相应场次。", center=True)
    for i, b in enumerate(doc.blocks):
        if i:
            w.page_break()
        w.para(doc.title, center=True, bold=True, size=16)
        w.para(f"{doc.enterprise_name} {doc.round_name}", center=True, size=11)
        w.table(
            [
                "考场",
                "职业（工种）",
                "等级",
                "考试具体时间",
                doc.leader_label,
                doc.members_label,
                doc.tallyer_label,
            ],
            [[r.room, r.occupation, r.level, r.time, r.leader, r.members, r.tallyer] for r in b.rows],
            top=["考试地点", b.place, "考试时间", b.day_text, "参评人数", str(b.candidates)],
        )
        if b.theory_rows:
            w.para("理论知识考试考场（监考人员）", indent=False, bold=True)
            w.table(
                ["考场", "职业（工种）", "等级", "考试具体时间", "考生人数", "监考人员", doc.tallyer_label],
                [
                    [r.room, r.occupation, r.level, r.time, str(r.candidates), r.members, r.tallyer]
                    for r in b.theory_rows
                ],
            )
        w.para("制表人：\t\t\t审核人：\t\t\t（企业盖章）\t\t\t年　　月　　日", indent=False)
    return w.bytes()


def handbook_docx(doc: HandbookDoc) -> bytes:
    """Attachment 5 as Word, section for section as the PDF."""
    w = _Writer()
    p = doc.plan
    w.para("职业技能等级认定", center=True, size=22, bold=True)
    w.para("考 务 手 册", center=True, size=26, bold=True)
    w.para(doc.round_name, center=True, size=14)
    w.para(doc.enterprise_name, center=True, size=16)
    w.para(doc.month_text, center=True, size=16)
    w.page_break()
    w.para("目　　录", center=True, size=18, bold=True)
    for s in doc.sections:
        w.para(s, indent=False, size=13, spacing=2.0)

    def section(n: int) -> None:
        w.page_break()
        w.para(doc.sections[n], center=True, bold=True, size=15)

    section(0)
    w.para("（一）评价职业、等级", bold=True)
    w.table(
        ["序号", "职业编码", "职业（工种）", "等级", "评价依据"],
        [[str(o.no), o.code, o.label, o.level_label, o.standard] for o in p.offerings],
    )
    w.para("（二）评价时间、地点", bold=True)
    w.para(f"评价时间：{p.evaluation_period}。")
    for line in p.schedule:
        w.para(line)
    places = p.sites or tuple(f"{s.name}（{s.address}）" for s in doc.sites)
    w.para("评价地点：" + ("；".join(places) if places else "（未填写）"))
    w.para("（三）评价内容、方式及评价流程", bold=True)
    for i, m in enumerate(p.methods, start=1):
        text = f"{i}. {m.offering}：{m.method or '（未确定评价方式）'}"
        if m.is_direct:
            text += f"，直接认定依据：{m.direct_grounds}"
        if m.modules:
            text += "。考核模块：" + "；".join(
                f"{x.name}（{'权重' + str(x.weight) + '%，' if x.weight is not None else ''}"
                f"满分{x.full_marks}分，{x.pass_mark}分合格，{x.minutes}分钟）"
                for x in m.modules
            )
        if m.content:
            text += "。评价内容权重：" + "，".join(f"{name}{wt}%" for name, wt in m.content)
        w.para(text + "。")
        if m.note:
            w.para(m.note)
    w.para("评价流程：")
    for line in p.process or ("（未填写）",):
        w.para(line)
    w.para("（四）报名人员情况", bold=True)
    w.para(p.applicants_sentence)
    w.para("（五）联系人及电话", bold=True)
    w.para(f"联系人：{p.contact_name or '（未填写）'}　联系电话：{p.contact_phone or '（未填写）'}")

    section(1)
    w.para("（一）考试场次安排", bold=True)
    w.table(
        ["日期", "时间", "科目", "职业（工种）等级", "考点", "考场", "人数"],
        [
            [
                f"{s.day.month}月{s.day.day}日",
                s.time,
                s.module,
                s.offerings,
                s.site,
                s.rooms,
                str(s.candidates),
            ]
            for s in doc.sessions
        ],
    )
    w.para("（二）考点和考场", bold=True)
    for site in doc.sites:
        w.para(f"{site.name}　地址：{site.address}；考点负责人：{site.head or '（未指定）'}")
        w.table(
            ["考场", "类型", "容量", "监控"],
            [[r.name, r.kind, str(r.capacity), r.monitoring] for r in site.rooms],
        )
    w.para("（三）考点考场设置和考务要求", bold=True)
    w.lines(doc.texts["site_requirements"])

    section(2)
    w.lines(doc.texts["duties"])
    w.para("本批次工作人员安排", bold=True)
    w.para(
        "，".join(f"{name}{n}人" for name, n in doc.staff_counts)
        + "。考务人员、考评人员、质量督导员不得交叉兼任。"
    )
    w.table(["职责", "姓名", "安排"], [[s.role, s.name, s.where] for s in doc.staff])

    for n, name in ((3, "procedures"), (4, "room_rules"), (5, "violation_rules"), (6, "emergency")):
        section(n)
        w.lines(doc.texts[name])
    if doc.contingency:
        w.para("本批次应急预案（摘自考核方案）", bold=True)
        for line in doc.contingency:
            w.para(line)
    return w.bytes()


__all__ = ["arrangement_docx", "handbook_docx"]
