"""The assessment plan (attachment 2) as DOCX and PDF, and the review pledge (attachment 3) as PDF."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from skillcert.core.documents import render_pdf, set_docx_fonts
from skillcert.core.models import EmploymentType
from skillcert.rounds.announcement import (
    ConditionBlock,
    OfferingLine,
    cn_date,
    condition_blocks,
    offering_lines,
    paragraphs,
    reference_note,
)
from skillcert.rounds.models import Round
from skillcert.rounds.plans import AssessmentPlan, EvaluationMethod, PlanMethod
from skillcert.rounds.services_plans import APPROVED, offering_modules

SOURCES = ("正式在岗", "劳务派遣", "外包")
CONTENT_AREAS = (
    ("weight_ability", "职业能力"),
    ("weight_performance", "工作业绩"),
    ("weight_ethics", "职业道德"),
    ("weight_craftsmanship", "工匠精神"),
)
MODULE_WEIGHT = {"theory": "weight_theory", "practical": "weight_practical", "review": "weight_review"}
NUMERALS = "一二三四五六七八九"


@dataclass(frozen=True)
class ModuleLine:
    name: str
    weight: int | None
    full_marks: int
    pass_mark: int
    minutes: int


@dataclass(frozen=True)
class MethodLine:
    offering: str
    method: str  # Chinese name, "" when not set
    is_direct: bool
    direct_grounds: str
    modules: tuple[ModuleLine, ...]
    content: tuple[tuple[str, int], ...]
    note: str


@dataclass(frozen=True)
class PlanDoc:
    """Everything attachment 2 shows, computed from the round and the typed plan."""

    title: str
    round_name: str
    enterprise_name: str
    basis: str
    offerings: tuple[OfferingLine, ...]
    condition_blocks: tuple[ConditionBlock, ...]
    reference_note: str
    evaluation_period: str
    sites: tuple[str, ...]
    schedule: tuple[str, ...]
    methods: tuple[MethodLine, ...]
    process: tuple[str, ...]
    by_source: tuple[tuple[str, int], ...]
    by_occupation: tuple[tuple[str, int], ...]
    total: int
    room_setup: tuple[str, ...]
    staff: tuple[tuple[str, int], ...]
    staff_note: tuple[str, ...]
    contingency: tuple[str, ...]
    contact_name: str
    contact_phone: str
    month_text: str

    @property
    def applicants_sentence(self) -> str:
        sources = "、".join(f"{s}{n}人" for s, n in self.by_source if n) or "（暂无）"
        jobs = "，".join(f"{o}{n}人" for o, n in self.by_occupation) or "（暂无）"
        return _("本次评价共有%(t)s人通过资格审核，按人员来源：%(s)s；按职业（工种）：%(j)s。") % {
            "t": self.total,
            "s": sources,
            "j": jobs,
        }


def _method_line(label: str, row: PlanMethod | None, offering: Any) -> MethodLine:
    if row is None:
        return MethodLine(label, "", False, "", (), (), "")
    modules: tuple[ModuleLine, ...] = ()
    content: tuple[tuple[str, int], ...] = ()
    if row.method != EvaluationMethod.DIRECT:
        modules = tuple(
            ModuleLine(
                name=str(m.get_kind_display()),
                weight=getattr(row, MODULE_WEIGHT[m.kind]),
                full_marks=m.full_marks,
                pass_mark=m.pass_mark,
                minutes=m.duration_minutes,
            )
            for m in offering_modules(offering)
        )
        content = tuple((name, int(getattr(row, f))) for f, name in CONTENT_AREAS)
    return MethodLine(
        offering=label,
        method=str(row.get_method_display()),
        is_direct=row.method == EvaluationMethod.DIRECT,
        direct_grounds=row.direct_grounds,
        modules=modules,
        content=content,
        note=row.note,
    )


def plan_doc(*, round: Round, today: date) -> PlanDoc:
    """Build attachment 2 for ``round`` (its typed sections may still be empty)."""
    plan = AssessmentPlan.objects.filter(round=round).first() or AssessmentPlan(round=round)
    offerings = list(
        round.offerings.select_related("occupation", "job_type", "standard__rule_set").order_by(
            "occupation__code", "job_type__name", "-level"
        )
    )
    lines = offering_lines(offerings)
    rows = {m.offering_id: m for m in plan.methods.all()} if plan.pk else {}
    methods = tuple(
        _method_line(f"{line.label} {line.level_label}", rows.get(o.pk), o)
        for line, o in zip(lines, offerings, strict=True)
    )
    approved = list(round.applications.filter(status=APPROVED).values_list("employment_type", "offering_id"))
    # Sources arrive as codes (online form, from the employee record) or as labels (Excel import).
    labels = {str(k): str(v) for k, v in EmploymentType.choices}
    sources = Counter(labels.get(s.strip(), s.strip()) or "未填写" for s, _o in approved)
    by_source = [(s, sources.pop(s, 0)) for s in SOURCES] + sorted(sources.items())
    per_offering = Counter(o for _s, o in approved)
    by_occupation = tuple(
        (f"{line.label}（{line.level_label}）", per_offering[line.pk])
        for line in lines
        if per_offering[line.pk]
    )
    return PlanDoc(
        title=_("%(e)s%(r)s职业技能等级认定考核方案") % {"e": round.enterprise.name, "r": round.name},
        round_name=round.name,
        enterprise_name=round.enterprise.name,
        basis=plan.basis.strip(),
        offerings=tuple(lines),
        condition_blocks=tuple(condition_blocks(offerings)),
        reference_note=reference_note(round),
        evaluation_period=_("%(a)s至%(b)s")
        % {"a": cn_date(round.evaluation_starts), "b": cn_date(round.evaluation_ends)},
        sites=tuple(paragraphs(plan.sites)),
        schedule=tuple(paragraphs(plan.schedule)),
        methods=methods,
        process=tuple(paragraphs(plan.process)),
        by_source=tuple(by_source),
        by_occupation=by_occupation,
        total=len(approved),
        room_setup=tuple(paragraphs(plan.room_setup)),
        staff=(
            (_("考务人员"), plan.staff_exam),
            (_("考评人员"), plan.staff_assessors),
            (_("质量督导员"), plan.staff_supervisors),
        ),
        staff_note=tuple(paragraphs(plan.staff_note)),
        contingency=tuple(paragraphs(plan.contingency)),
        contact_name=plan.contact_name or round.contact_name,
        contact_phone=plan.contact_phone or round.contact_phone,
        month_text=_("%(y)s年%(m)s月") % {"y": today.year, "m": today.month},
    )


def intro(doc: PlanDoc) -> str:
    own = f"及{doc.basis}" if doc.basis else ""
    return (
        "根据《山东省人力资源和社会保障厅关于开展企业技能人才自主评价的实施意见》（鲁人社发〔2019〕14号）、"
        "《山东省人力资源和社会保障厅关于全面开展企业技能人才自主评价工作的通知》（鲁人社发〔2020〕20号）"
        f"{own}要求，为做好本单位{doc.round_name}职业技能等级认定工作，结合实际，制定本方案。"
    )


def heading(n: int, text: str) -> str:
    return f"{NUMERALS[n - 1]}、{text}"


# --------------------------------------------------------------------------- PDF


def plan_pdf(doc: PlanDoc) -> bytes:
    return render_pdf("rounds/plans/plan_print.html", {"d": doc, "intro": intro(doc)})


def pledge_pdf(*, plan_name: str, enterprise_name: str) -> bytes:
    """Attachment 3 with the certification plan's name filled in, to be signed, sealed and scanned."""
    return render_pdf(
        "rounds/plans/pledge_print.html", {"plan_name": plan_name, "enterprise_name": enterprise_name}
    )


def plan_filename(doc: PlanDoc, ext: str) -> str:
    return f"{doc.enterprise_name}{doc.round_name}考核方案.{ext}"


# --------------------------------------------------------------------------- DOCX


def plan_docx(doc: PlanDoc) -> bytes:
    """Attachment 2 as an editable Word document (the enterprise may adjust it before sealing)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = Document()
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.4)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    normal = d.styles["Normal"]
    normal.font.size = Pt(12)

    def para(
        text: str, *, indent: bool = True, bold: bool = False, size: float | None = None, center: bool = False
    ) -> None:
        p = d.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            p.paragraph_format.first_line_indent = Pt(24)
        p.paragraph_format.line_spacing = 1.5
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)

    def table(header: list[str], rows: list[list[str]]) -> None:
        t = d.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(t.rows[0].cells, header, strict=True):
            cell.text = text
            for r in cell.paragraphs[0].runs:
                r.bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
        d.add_paragraph()

    def lines(items: tuple[str, ...], empty: str = "（未填写）") -> None:
        for item in items or ((empty,) if empty else ()):
            para(item)

    # Cover, as in the template.
    para("职业技能等级认定", center=True, size=22, bold=True)
    para("考 核 方 案", center=True, size=26, bold=True)
    para(doc.enterprise_name, center=True, size=16)
    para(doc.month_text, center=True, size=16)
    d.add_page_break()

    para(doc.title, center=True, size=16, bold=True)
    para(intro(doc))

    para(heading(1, "评价职业、等级"), bold=True)
    table(
        ["序号", "职业编码", "职业（工种）", "等级", "评价依据"],
        [[str(o.no), o.code, o.label, o.level_label, o.standard] for o in doc.offerings],
    )

    para(heading(2, "申报条件"), bold=True)
    for i, b in enumerate(doc.condition_blocks, start=1):
        para(f"（{i}）{b.heading}")
        for c in b.conditions:
            para(f"{c.number}. {'【破格】' if c.exceptional else ''}{c.sentence}")
    para(doc.reference_note)

    para(heading(3, "评价时间、地点"), bold=True)
    para(f"评价时间：{doc.evaluation_period}。")
    lines(doc.schedule, empty="")
    para("评价地点：" + ("；".join(doc.sites) if doc.sites else "（未填写）"))

    para(heading(4, "评价内容、方式及评价流程"), bold=True)
    for i, m in enumerate(doc.methods, start=1):
        para(f"（{i}）{m.offering}：{m.method or '（未确定评价方式）'}")
        if m.is_direct:
            para(f"直接认定依据：{m.direct_grounds}")
        if m.modules:
            table(
                ["考核模块", "权重", "满分", "合格分", "时长（分钟）"],
                [
                    [
                        x.name,
                        f"{x.weight}%" if x.weight is not None else "—",
                        str(x.full_marks),
                        str(x.pass_mark),
                        str(x.minutes),
                    ]
                    for x in m.modules
                ],
            )
        if m.content:
            para("评价内容权重：" + "，".join(f"{name}{w}%" for name, w in m.content) + "。")
        if m.note:
            para(m.note)
    para("评价流程：")
    lines(doc.process)

    para(heading(5, "报名人员总体情况"), bold=True)
    para(doc.applicants_sentence)

    para(heading(6, "考场设置"), bold=True)
    lines(doc.room_setup)

    para(heading(7, "工作人员安排"), bold=True)
    para("，".join(f"{name}{n}人" for name, n in doc.staff) + "。")
    lines(doc.staff_note, empty="")

    para(heading(8, "应急预案"), bold=True)
    lines(doc.contingency)

    para(heading(9, "联系人及电话"), bold=True)
    para(f"联系人：{doc.contact_name or '（未填写）'}　联系电话：{doc.contact_phone or '（未填写）'}")

    set_docx_fonts(d)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
