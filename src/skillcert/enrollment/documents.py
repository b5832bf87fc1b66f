"""The printable 《职业技能等级认定申报表》 (guideline attachment 1): PDF and Word, generated from data.

``build_sheet`` reads one application once into plain strings (the full ID number included: the
printed form is signed by the applicant and filed, so the caller records "application.print");
the two renderers take only that data. The layout follows the reference template: a bordered
seven-column table with the 2-inch photo box at the top right, one pair of rows per existing
certificate, the personal pledge with a signature line, and the unit's opinion with the seal place.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from skillcert.catalog.models import Level
from skillcert.core import documents
from skillcert.core.models import EmploymentType
from skillcert.enrollment.models import Application, CertificateKind, Education, PoliticalStatus

TITLE = "职业技能等级认定申报表"
PLEDGE_TEXT = (
    "本人已知悉本职业（工种）申报条件，承诺遵守职业技能等级认定有关要求，保证本次填报的信息材料真实准确，"
    "如有虚假，本人愿承担相关法律责任，并接受相应处理。"
)
# The four boxes of 证书类别 on the reference form, in its order and wording.
CERT_BOXES = (
    (CertificateKind.QUALIFICATION, "职业资格"),
    (CertificateKind.SKILL_LEVEL, "技能等级"),
    (CertificateKind.PROFESSIONAL, "专业技术"),
    (CertificateKind.OTHER, "其它"),
)
TITLE_GRADES = {"junior": "初级", "intermediate": "中级", "senior": "高级"}


@dataclass(frozen=True)
class CertLine:
    kind: str
    boxes: tuple[tuple[str, bool], ...]  # (label, ticked) for the four kinds
    level: str
    occupation: str
    number: str
    issued_on: str


@dataclass(frozen=True)
class Sheet:
    """One application as the printed form shows it."""

    number: str
    round_name: str
    enterprise_name: str
    name: str
    sex: str
    birth_date: str
    photo_jpeg: bytes | None
    education: str
    school: str
    id_number: str
    major: str
    phone: str
    graduated_on: str
    work_started_on: str
    political_status: str
    current_post: str
    post_years: str
    occupation_years: str
    job_direction: str
    employment_type: str
    certificates: tuple[CertLine, ...]
    occupation: str
    job_type: str
    level: str
    is_exceptional: bool
    condition: str
    exceptional_grounds: str
    work_history: str
    awards: str
    achievements: str
    pledge_note: str
    unit_opinion: str
    unit_opinion_on: str
    status: str
    printed_on: str

    @property
    def photo_data_uri(self) -> str:
        if not self.photo_jpeg:
            return ""
        return "data:image/jpeg;base64," + base64.b64encode(self.photo_jpeg).decode("ascii")

    @property
    def blank_certificate(self) -> CertLine:
        return CertLine("", tuple((label, False) for _k, label in CERT_BOXES), "", "", "", "")

    @property
    def certificate_lines(self) -> tuple[CertLine, ...]:
        """At least one pair of rows, left blank when no certificate is held (the form is signed on paper)."""
        return self.certificates or (self.blank_certificate,)


def cn_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_month(value: date | None) -> str:
    return f"{value.year}年{value.month}月" if value else ""


def _years(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return f"{text}年"


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _cert_level(kind: str, level: int | None, title_grade: str) -> str:
    if kind == CertificateKind.PROFESSIONAL:
        return TITLE_GRADES.get(title_grade, "")
    if level is None:
        return ""
    return _label(Level, level)  # type: ignore[arg-type]


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{cn_date(local.date())} {local:%H:%M}"


def build_sheet(*, application: Application) -> Sheet:
    """Read the application (with its certificates and photo) into the printed form's strings."""
    app = application
    offering = app.offering
    certs = tuple(
        CertLine(
            kind=c.kind,
            boxes=tuple((label, c.kind == kind) for kind, label in CERT_BOXES),
            level=_cert_level(c.kind, c.level, c.title_grade),
            occupation=c.occupation_name,
            number=c.number,
            issued_on=cn_date(c.issued_on),
        )
        for c in app.certificates.order_by("issued_on", "pk")
    )
    pledge = ""
    if app.pledge_accepted_at is not None:
        pledge = f"已于 {_local(app.pledge_accepted_at)} 在线确认本承诺"
        if app.pledge_ip:
            pledge += f"（IP {app.pledge_ip}）"
        pledge += "。"
    grounds = "、".join(str(g) for g in app.exceptional_grounds or ())
    return Sheet(
        number=f"{app.pk:08d}",
        round_name=app.round.name,
        enterprise_name=app.round.enterprise.name,
        name=app.name,
        sex={"M": "男", "F": "女"}.get(app.sex, app.sex),
        birth_date=cn_date(app.birth_date),
        photo_jpeg=app.photo_bytes(),
        education=_label(Education, app.education),
        school=app.school,
        id_number=app.person.reveal_id_number(),
        major=app.major,
        phone=app.reveal_phone(),
        graduated_on=cn_month(app.graduated_on) + ("（在校）" if app.is_current_student else ""),
        work_started_on=cn_month(app.work_started_on),
        political_status=_label(PoliticalStatus, app.political_status),
        current_post=app.current_post,
        post_years=_years(app.post_years),
        occupation_years=_years(app.occupation_years),
        job_direction=app.job_direction,
        employment_type=_label(EmploymentType, app.employment_type),
        certificates=certs,
        occupation=offering.occupation.name,
        job_type=offering.job_type.name if offering.job_type is not None else "",
        level=offering.get_level_display(),
        is_exceptional=app.is_exceptional,
        condition=app.condition_relied_on,
        exceptional_grounds=grounds,
        work_history=app.work_history,
        awards=app.awards,
        achievements=app.achievements,
        pledge_note=pledge,
        unit_opinion=app.unit_opinion,
        unit_opinion_on=cn_date(timezone.localtime(app.unit_opinion_at).date())
        if app.unit_opinion_at
        else "",
        status=app.get_status_display(),
        printed_on=cn_date(timezone.localdate()),
    )


# --------------------------------------------------------------------------- PDF


def application_pdf(sheet: Sheet) -> bytes:
    """The 申报表 as an A4 PDF (one page for a usual form, two with a long work history)."""
    return documents.render_pdf(
        "enrollment/documents/application.html", {"s": sheet, "title": TITLE, "pledge_text": PLEDGE_TEXT}
    )


# --------------------------------------------------------------------------- Word

_WIDTHS_MM = (20, 24, 20, 33, 19, 27, 37)  # 180 mm: the A4 width inside 15 mm margins
_LABEL_FILL = "F2F2F2"


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shade)


def _put(cell: Any, text: str, *, label: bool = False, center: bool | None = None, size: float = 10.5) -> Any:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if label:
        _shade(cell, _LABEL_FILL)
    centred = label if center is None else center
    lines = text.split("\n") if text else [""]
    p = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        if centred:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.font.size = Pt(size)
        run.bold = label
    return cell


def _boxes(items: tuple[tuple[str, bool], ...]) -> str:
    return "  ".join(("■" if on else "□") + label for label, on in items)


def application_docx(sheet: Sheet) -> bytes:
    """The 申报表 as a Word document built in code, the same table as the PDF."""
    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    s = sheet
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(18), Mm(15)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.core_properties.title = TITLE
    doc.core_properties.author = s.enterprise_name

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(TITLE)
    run.bold, run.font.size = True, Pt(18)
    meta = doc.add_paragraph(f"认定批次：{s.round_name}\t申报编号：{s.number}")
    meta.paragraph_format.tab_stops.add_tab_stop(Mm(180), alignment=2)
    meta.runs[0].font.size = Pt(9.5)

    table = doc.add_table(rows=0, cols=7)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def row() -> Any:
        return table.add_row().cells

    # Rows 1–4 with the photo box merged down the last column.
    r1, r2, r3, r4 = row(), row(), row(), row()
    for cells, items in (
        (
            r1,
            (
                ("姓  名", True),
                (s.name, False),
                ("性别", True),
                (s.sex, False),
                ("出生日期", True),
                (s.birth_date, False),
            ),
        ),
        (
            r4,
            (
                ("毕业时间", True),
                (s.graduated_on, False),
                ("参加工作时间", True),
                (s.work_started_on, False),
                ("政治面貌", True),
                (s.political_status, False),
            ),
        ),
    ):
        for cell, (text, is_label) in zip(cells[:6], items, strict=True):
            _put(cell, text, label=is_label, center=True)
    for cells, l1, v1, l2, v2 in (
        (r2, "文化程度", s.education, "身份证号", s.id_number),
        (r3, "所学专业", s.major, "联系电话", s.phone),
    ):
        _put(cells[0], l1, label=True)
        _put(cells[1], v1, center=True)
        _put(cells[2], l2, label=True)
        _put(cells[3].merge(cells[5]), v2, center=True)
    photo = r1[6].merge(r4[6])
    photo.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = photo.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if s.photo_jpeg:
        p.add_run().add_picture(io.BytesIO(s.photo_jpeg), width=Mm(30))
    else:
        p.add_run("二寸\n近期\n免冠\n照片").font.size = Pt(10.5)

    r5 = row()
    _put(r5[0], "现从事岗位", label=True)
    _put(r5[1], s.current_post, center=True)
    _put(r5[2], "岗位年限", label=True)
    _put(r5[3], s.post_years, center=True)
    _put(r5[4], "工种方向", label=True)
    _put(r5[5].merge(r5[6]), s.job_direction, center=True)
    r6 = row()
    _put(r6[0], "毕业院校", label=True)
    _put(r6[1].merge(r6[3]), s.school, center=True)
    _put(r6[4], "本职业或相关\n职业累计年限", label=True, size=9)
    _put(r6[5].merge(r6[6]), s.occupation_years, center=True)

    # Existing certificates: two rows each, the section label merged down.
    first_cert: Any = None
    last_cert: Any = None
    for cert in s.certificate_lines:
        a, b = row(), row()
        first_cert = first_cert or a[0]
        last_cert = b[0]
        _put(a[1], "证书类别", label=True)
        _put(a[2].merge(a[4]), _boxes(cert.boxes), center=False, size=10)
        _put(a[5], "等级", label=True)
        _put(a[6], cert.level, center=True)
        _put(b[1], "职业工种", label=True)
        _put(b[2], cert.occupation, center=True)
        _put(b[3], "证书编号", label=True)
        _put(b[4], cert.number, center=True, size=9)
        _put(b[5], "发证时间", label=True)
        _put(b[6], cert.issued_on, center=True)
    _put(first_cert.merge(last_cert), "现有技能或专业技术类证书情况", label=True)

    a, b = row(), row()
    _put(a[0].merge(b[0]), "申报技能等级认定情况", label=True)
    _put(a[1], "申报职业", label=True)
    _put(a[2], s.occupation, center=True)
    _put(a[3], "工种方向", label=True)
    _put(a[4], s.job_type or s.job_direction, center=True)
    _put(a[5], "等级", label=True)
    _put(a[6], s.level, center=True)
    _put(b[1], "申报类别\n及条件", label=True)
    _put(
        b[2],
        _boxes((("正常申报", not s.is_exceptional), ("破格申报", s.is_exceptional))).replace("  ", "\n"),
        center=False,
        size=10,
    )
    condition = s.condition
    if s.exceptional_grounds:
        condition += f"\n破格依据：{s.exceptional_grounds}"
    _put(b[3].merge(b[6]), condition, center=False, size=9.5)

    history = row()
    _put(history[0], "工作简历及奖励、荣誉、成果等", label=True)
    body = history[1].merge(history[6])
    parts = [
        ("工作经历", s.work_history),
        ("奖惩情况", s.awards),
        ("工作业绩与成果", s.achievements),
    ]
    _put(body, "\n".join(f"{head}：{text or '无'}" for head, text in parts), center=False, size=10)
    table.rows[-1].height = Mm(55)

    pledge = row()
    _put(pledge[0], "个人承诺", label=True)
    cell = pledge[1].merge(pledge[6])
    _put(cell, "    " + PLEDGE_TEXT, center=False)
    sign = cell.add_paragraph("申报人（签字）：                    年      月      日")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if s.pledge_note:
        note = cell.add_paragraph(s.pledge_note)
        note.runs[0].font.size = Pt(8.5)
    table.rows[-1].height = Mm(32)

    unit = row()
    _put(unit[0], "单位意见", label=True)
    cell = unit[1].merge(unit[6])
    _put(cell, s.unit_opinion, center=False)
    cell.add_paragraph("")
    seal = cell.add_paragraph("（章）")
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    day = cell.add_paragraph(s.unit_opinion_on or "年      月      日")
    day.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.rows[-1].height = Mm(38)

    for tr in table.rows:
        for c, width in zip(tr.cells, _WIDTHS_MM, strict=True):
            c.width = Mm(width)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{s.enterprise_name} · {s.round_name} · 申报编号 {s.number}").font.size = Pt(8)

    documents.set_docx_fonts(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
