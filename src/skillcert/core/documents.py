"""Document rendering for every app: HTML→PDF, Word (docxtpl), Excel (write with xlsxwriter, read with calamine)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from os import PathLike
from typing import IO, Any

from django.template.loader import render_to_string

__all__ = [
    "DOCX_EAST_ASIA_FONT",
    "DOCX_LATIN_FONT",
    "Cell",
    "Sheet",
    "read_xlsx",
    "render_docx",
    "render_pdf",
    "render_pdf_batch",
    "set_docx_fonts",
    "write_xlsx",
]

# Word on Windows ships 宋体 (SimSun); LibreOffice and WPS map it to Noto Serif CJK SC or their own Song face.
DOCX_EAST_ASIA_FONT = "宋体"
DOCX_LATIN_FONT = "Times New Roman"

Cell = str | int | float | Decimal | bool | date | datetime | time | None


# --------------------------------------------------------------------------- PDF


def _url_fetcher() -> Any:
    """Documents may embed local files and data: URIs only — never fetch from the network (SSRF)."""
    from weasyprint import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"}, timeout=5)


def _html(template_name: str, context: Mapping[str, Any], base_url: str | None) -> Any:
    from weasyprint import HTML

    markup = render_to_string(template_name, dict(context))
    return HTML(string=markup, base_url=base_url, url_fetcher=_url_fetcher(), media_type="print")


def render_pdf(template_name: str, context: Mapping[str, Any], *, base_url: str | None = None) -> bytes:
    """Render a Django template to an A4 PDF (page size, fonts and footer come from the template's print CSS).

    Templates extend ``core/documents/base_print.html``, which sets A4, the Noto CJK SC fonts by family
    name, and "第 N 页 共 M 页" in the footer. A list that runs over several pages stays one PDF.
    """
    pdf: bytes = _html(template_name, context, base_url).write_pdf()
    return pdf


def render_pdf_batch(
    template_name: str, contexts: Iterable[Mapping[str, Any]], *, base_url: str | None = None
) -> bytes:
    """Render one document per context and bind them into one multi-page PDF (e.g. admission tickets).

    Each document keeps its own page numbering ("第 1 页 共 1 页" on every ticket).
    """
    documents = [_html(template_name, ctx, base_url).render() for ctx in contexts]
    if not documents:
        raise ValueError("render_pdf_batch needs at least one context")
    pages = [page for doc in documents for page in doc.pages]
    pdf: bytes = documents[0].copy(pages).write_pdf()
    return pdf


# --------------------------------------------------------------------------- Word


def set_docx_fonts(
    document: Any, *, east_asia: str = DOCX_EAST_ASIA_FONT, latin: str = DOCX_LATIN_FONT
) -> None:
    """Give the document defaults, every style and every run an East-Asian font, so Word shows Chinese.

    Without ``w:eastAsia`` Word falls back to the theme's East-Asian font, which on a non-Chinese
    Windows may lack CJK glyphs; runs that name only a Latin font are the usual culprit.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fix(r_pr: Any) -> None:
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, fonts)
        if not fonts.get(qn("w:eastAsia")):
            fonts.set(qn("w:eastAsia"), east_asia)
        for attr in ("w:ascii", "w:hAnsi"):
            if not fonts.get(qn(attr)):
                fonts.set(qn(attr), latin)
        # A theme font attribute overrides the explicit one in Word; drop it.
        for attr in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
            if fonts.get(qn(attr)) is not None:
                del fonts.attrib[qn(attr)]

    def child(parent: Any, tag: str, *, first: bool = False) -> Any:
        found = parent.find(qn(tag))
        if found is None:
            found = OxmlElement(tag)
            if first:
                parent.insert(0, found)
            else:
                parent.append(found)
        return found

    defaults = child(document.styles.element, "w:docDefaults", first=True)
    default_rpr = child(child(defaults, "w:rPrDefault", first=True), "w:rPr")
    fix(default_rpr)
    # Tell Word the East-Asian text is Simplified Chinese (punctuation width, line breaking).
    child(default_rpr, "w:lang").set(qn("w:eastAsia"), "zh-CN")
    for style in document.styles:
        element = style.element
        if element.get(qn("w:type")) in ("paragraph", "character", "table"):
            fix(element.get_or_add_rPr())
    for r_pr in document.element.body.iter(qn("w:rPr")):
        fix(r_pr)


def render_docx(template: str | PathLike[str] | IO[bytes] | bytes, context: Mapping[str, Any]) -> bytes:
    """Fill a docxtpl template (a path, a file object or the .docx bytes) and return the .docx bytes.

    Values are XML-escaped (autoescape), so a name with ``<`` or ``&`` cannot break the document.
    East-Asian fonts are set on styles and runs afterwards (see :func:`set_docx_fonts`).
    """
    from docxtpl import DocxTemplate

    source: str | PathLike[str] | IO[bytes] = (
        io.BytesIO(template) if isinstance(template, bytes) else template
    )
    tpl = DocxTemplate(source)
    tpl.render(dict(context), autoescape=True)
    set_docx_fonts(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- Excel

_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a bold, frozen, filterable header row over plain rows.

    ``widths`` are column widths in Excel character units (a Chinese character counts about 2);
    missing widths are estimated from the content. ``notes`` are lines written under the table
    (e.g. "身份证号已脱敏"), outside the filter range so a re-import of the table ignores them.
    """

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float] = field(default_factory=tuple)
    notes: Sequence[str] = field(default_factory=tuple)


def _display_width(value: object) -> float:
    text = value.isoformat() if isinstance(value, date | time) else str(value)
    return sum(2.0 if ord(ch) > 0x2E80 else 1.1 for ch in text)


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_TITLE_BAD.sub("_", title).strip("'") or "Sheet"
    base = base[:31]
    name, n = base, 2
    while name.lower() in used:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """Write sheets into an in-memory .xlsx and return its bytes.

    Strings are always written as text, never as formulas, so a cell that starts with ``=``
    (a hostile name, say) cannot run in the reader's Excel (formula injection).
    """
    import xlsxwriter

    if not sheets:
        raise ValueError("write_xlsx needs at least one sheet")
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    font = {"font_name": "等线", "font_size": 11}
    header_fmt = book.add_format(
        {**font, "bold": True, "bg_color": "#DCE6F1", "border": 1, "valign": "vcenter"}
    )
    text_fmt = book.add_format({**font, "num_format": "@"})
    plain_fmt = book.add_format(font)
    date_fmt = book.add_format({**font, "num_format": "yyyy-mm-dd"})
    datetime_fmt = book.add_format({**font, "num_format": "yyyy-mm-dd hh:mm"})
    time_fmt = book.add_format({**font, "num_format": "hh:mm"})
    note_fmt = book.add_format({**font, "italic": True, "font_color": "#595959"})
    used: set[str] = set()
    for sheet in sheets:
        ws = book.add_worksheet(_sheet_title(sheet.title, used))
        ncols = len(sheet.headers)
        for col, header in enumerate(sheet.headers):
            ws.write_string(0, col, header, header_fmt)
        for r, row in enumerate(sheet.rows, start=1):
            if len(row) != ncols:
                raise ValueError(f"sheet {sheet.title!r} row {r} has {len(row)} cells, expected {ncols}")
            for col, value in enumerate(row):
                if value is None or value == "":
                    ws.write_blank(r, col, None, plain_fmt)
                elif isinstance(value, str):
                    ws.write_string(r, col, value, text_fmt)
                elif isinstance(value, bool):
                    ws.write_boolean(r, col, value, plain_fmt)
                elif isinstance(value, datetime):
                    ws.write_datetime(r, col, value.replace(tzinfo=None), datetime_fmt)
                elif isinstance(value, date):
                    ws.write_datetime(r, col, value, date_fmt)
                elif isinstance(value, time):
                    ws.write_datetime(r, col, value, time_fmt)
                else:
                    ws.write_number(r, col, float(value) if isinstance(value, Decimal) else value, plain_fmt)
        for col, header in enumerate(sheet.headers):
            if col < len(sheet.widths):
                width = sheet.widths[col]
            else:
                sample = [header, *(row[col] for row in sheet.rows[:200] if row[col] is not None)]
                width = min(60.0, max(6.0, max(_display_width(v) for v in sample) + 2))
            ws.set_column(col, col, width)
        ws.freeze_panes(1, 0)
        if ncols:
            ws.autofilter(0, 0, max(len(sheet.rows), 1), ncols - 1)
        first_note = len(sheet.rows) + 2
        for i, note in enumerate(sheet.notes):
            ws.write_string(first_note + i, 0, note, note_fmt)
    book.close()
    return out.getvalue()


def read_xlsx(data: bytes, sheet: int | str = 0) -> list[list[object]]:
    """Read one sheet (by index or name) of an .xlsx/.xls/.ods file into rows of Python values.

    Row 0 is the sheet's first row (empty leading rows are kept, so row numbers match Excel's minus one).
    Dates come back as ``date``/``datetime``, whole numbers as ``int``, other numbers as ``float``,
    empty cells as ``""``.
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        ws = book.get_sheet_by_name(sheet) if isinstance(sheet, str) else book.get_sheet_by_index(sheet)
        rows: list[list[object]] = [
            [int(v) if isinstance(v, float) and v.is_integer() else v for v in row]
            for row in ws.to_python(skip_empty_area=False)
        ]
    finally:
        book.close()
    return rows


# --------------------------------------------------------------------------- The roster (人员花名册)


@dataclass(frozen=True)
class RosterRow:
    """One line of the roster; the ID number is masked — a roster never carries the full number (S14)."""

    no: int
    employee_no: str
    name: str
    sex: str
    birth_date: date
    id_number_masked: str
    department: str
    post: str
    employment_type: str


ROSTER_HEADERS = ("序号", "工号", "姓名", "性别", "出生日期", "身份证号", "部门", "岗位", "用工形式")


def roster_rows(employees: Iterable[Any], *, start: int = 1) -> list[RosterRow]:
    """Roster lines from ``Employee`` objects (with person and department loaded), numbered in order."""
    return [
        RosterRow(
            no=i,
            employee_no=e.employee_no,
            name=e.person.name,
            sex=e.person.get_sex_display(),
            birth_date=e.person.birth_date,
            id_number_masked=e.person.id_number_masked,
            department=e.department.name if e.department else "",
            post=e.post,
            employment_type=e.get_employment_type_display(),
        )
        for i, e in enumerate(employees, start=start)
    ]


def roster_pdf(*, enterprise_name: str, rows: Sequence[RosterRow], today: date) -> bytes:
    return render_pdf(
        "core/documents/roster.html", {"enterprise": {"name": enterprise_name}, "rows": rows, "today": today}
    )


def roster_xlsx(*, enterprise_name: str, rows: Sequence[RosterRow], today: date) -> bytes:
    sheet = Sheet(
        title="人员花名册",
        headers=ROSTER_HEADERS,
        rows=[
            (
                r.no,
                r.employee_no,
                r.name,
                r.sex,
                r.birth_date,
                r.id_number_masked,
                r.department,
                r.post,
                r.employment_type,
            )
            for r in rows
        ],
        widths=(6, 12, 10, 6, 12, 22, 16, 16, 12),
        notes=(
            f"{enterprise_name} 人员花名册，制表日期 {today:%Y-%m-%d}，共 {len(rows)} 人。",
            "身份证号已按规定脱敏显示。",
        ),
    )
    return write_xlsx([sheet])


def roster_docx(*, enterprise_name: str, rows: Sequence[RosterRow], today: date) -> bytes:
    context = {
        "enterprise_name": enterprise_name,
        "today": f"{today.year}年{today.month}月{today.day}日",
        "rows": rows,
        "count": len(rows),
    }
    return render_docx(roster_docx_template(), context)


def _docx_field(paragraph: Any, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field_el = OxmlElement("w:fldSimple")
    field_el.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_el.append(run)
    paragraph._p.append(field_el)


def roster_docx_template() -> bytes:
    """The roster as a docxtpl template, built with python-docx (no third-party .docx is copied in).

    Official forms that users edit in Word will be kept as .docx templates; this one is made in
    code so the example needs no binary file in the repository. Open it in Word to see the tags.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)
    doc.styles["Normal"].font.size = Pt(10.5)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("人员花名册")
    run.bold, run.font.size = True, Pt(18)
    meta = doc.add_paragraph("单位名称：{{ enterprise_name }}\t制表日期：{{ today }}")
    meta.paragraph_format.tab_stops.add_tab_stop(Mm(180), alignment=2)  # right-aligned tab

    widths = (12, 18, 18, 10, 22, 38, 24, 22, 16)
    table = doc.add_table(rows=4, cols=len(ROSTER_HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    tr_pr.append(repeat)
    for cell, text in zip(header.cells, ROSTER_HEADERS, strict=True):
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:fill"), "DCE6F1")
        cell._tc.get_or_add_tcPr().append(shade)
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in rows %}")
    fields = (
        "no",
        "employee_no",
        "name",
        "sex",
        "birth_date",
        "id_number_masked",
        "department",
        "post",
        "employment_type",
    )
    for cell, name in zip(table.rows[2].cells, fields, strict=True):
        p = cell.paragraphs[0]
        if name not in ("department", "post"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("{{ r.%s }}" % name)  # noqa: UP031 — Jinja braces make an f-string unreadable
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)

    doc.add_paragraph("共 {{ count }} 人。身份证号已按规定脱敏显示。")
    sign = doc.add_paragraph("制表人：\t\t审核人：\t\t单位（盖章）：")
    sign.paragraph_format.space_before = Pt(18)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _docx_field(footer, "PAGE")
    footer.add_run(" 页 共 ")
    _docx_field(footer, "NUMPAGES")
    footer.add_run(" 页")

    set_docx_fonts(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
