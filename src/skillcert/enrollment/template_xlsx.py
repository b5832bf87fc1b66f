"""The Excel template for the bulk import of applications (R3.4): headers, drop-downs, notes — pure.

Sheets: 申报信息 (the headers of :data:`importer.COLUMNS` in the order of attachment 1, one row
per application, drop-down lists, date and number validation, text cells where digits must
stay text), 填表说明 (each column: required?, format, notes, example) and a hidden 选项 sheet
holding the lists the drop-downs point at (an inline list is limited to 255 characters, too
short for a round's offerings).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from skillcert.enrollment.importer import COLUMNS, DATA_SHEET, MAX_ROWS, MAX_YEARS, NOTES_SHEET, Column

LISTS_SHEET = "选项"
_LAST_ROW = MAX_ROWS  # 0-based index of the last row the validations cover
_FIRST_DAY, _LAST_DAY = date(1900, 1, 1), date(2099, 12, 31)


def column_format(column: Column) -> str:
    """How a column is filled in, in words (the notes sheet and the cell hint)."""
    if column.kind in ("enum", "level"):
        return "下拉选择：" + "、".join(column.labels)
    if column.kind == "offering":
        return "下拉选择：本批次公布的职业（工种）和等级"
    if column.kind == "date":
        return "日期（年-月-日，如 2010-07-01）"
    if column.kind == "number":
        return f"数字，0—{MAX_YEARS}，最多 1 位小数"
    if column.kind == "id_number":
        return "文本，18 位（15 位旧号码可用）"
    if column.kind == "grounds":
        return f"文本，最多 {column.max_length} 字，多条用“；”分隔"
    return f"文本，最多 {column.max_length} 字"


def build_template(
    *,
    round_name: str,
    enterprise_name: str,
    registration_opens: date,
    registration_closes: date,
    offerings: Sequence[str],
) -> bytes:
    """The template for one round; ``offerings`` are the labels of its offerings (importer.offering_label)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    font = {"font_name": "等线", "font_size": 11}
    header_fmt = book.add_format(
        {**font, "bold": True, "bg_color": "#DCE6F1", "border": 1, "valign": "vcenter", "text_wrap": True}
    )
    required_fmt = book.add_format(
        {
            **font,
            "bold": True,
            "bg_color": "#DCE6F1",
            "border": 1,
            "valign": "vcenter",
            "text_wrap": True,
            "font_color": "#C00000",
        }
    )
    formats = {
        "text": book.add_format({**font, "num_format": "@"}),
        "date": book.add_format({**font, "num_format": "yyyy-mm-dd"}),
        "number": book.add_format({**font, "num_format": "0.0"}),
        "wrap": book.add_format({**font, "num_format": "@", "text_wrap": True, "valign": "top"}),
        "plain": book.add_format(font),
    }
    title_fmt = book.add_format({**font, "bold": True, "font_size": 14})
    note_fmt = book.add_format({**font, "text_wrap": True, "valign": "top"})
    notes_header_fmt = book.add_format({**font, "bold": True, "bg_color": "#DCE6F1", "border": 1})

    data = book.add_worksheet(DATA_SHEET)
    notes = book.add_worksheet(NOTES_SHEET)
    lists = book.add_worksheet(LISTS_SHEET)

    # The lists the drop-downs refer to, one column each.
    list_ranges: dict[str, str] = {}
    list_columns = [c for c in COLUMNS if c.kind in ("enum", "level", "offering")]
    for i, column in enumerate(list_columns):
        values = list(offerings) if column.kind == "offering" else list(column.labels)
        lists.write_string(0, i, column.header)
        for r, value in enumerate(values, start=1):
            lists.write_string(r, i, value)
        letter = _letter(i)
        list_ranges[column.key] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
    lists.hide()

    data.set_row(0, 30)
    for col, column in enumerate(COLUMNS):
        data.write_string(0, col, column.header, required_fmt if column.required else header_fmt)
        kind = column.kind
        cell_fmt = (
            formats["date"]
            if kind == "date"
            else formats["number"]
            if kind == "number"
            else formats["wrap"]
            if kind == "long_text"
            else formats["text"]
        )
        data.set_column(col, col, column.width, cell_fmt)
        hint = {
            "input_title": column.header[:32],
            "input_message": _hint(column)[:255],
            "error_title": column.header[:32],
        }
        options: dict[str, object]
        if column.key in list_ranges:
            options = {
                "validate": "list",
                "source": list_ranges[column.key],
                "error_message": "请从下拉列表中选择。",
                **hint,
            }
        elif kind == "date":
            options = {
                "validate": "date",
                "criteria": "between",
                "minimum": _FIRST_DAY,
                "maximum": _LAST_DAY,
                "error_message": "请填写日期，如 2010-07-01。",
                **hint,
            }
        elif kind == "number":
            options = {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": MAX_YEARS,
                "error_message": f"请填写 0 到 {MAX_YEARS} 之间的数字。",
                **hint,
            }
        elif kind == "id_number":
            options = {
                "validate": "length",
                "criteria": "between",
                "minimum": 15,
                "maximum": 18,
                "error_message": "身份证号应为 18 位（或 15 位旧号码）。",
                **hint,
            }
        else:
            options = {
                "validate": "length",
                "criteria": "<=",
                "value": column.max_length,
                "error_message": f"最多 {column.max_length} 个字。",
                **hint,
            }
        data.data_validation(1, col, _LAST_ROW, col, options)
    data.freeze_panes(1, 2)

    notes.set_column(0, 0, 24)
    notes.set_column(1, 1, 9)
    notes.set_column(2, 2, 34)
    notes.set_column(3, 3, 60)
    notes.set_column(4, 4, 26)
    notes.write_string(0, 0, f"{enterprise_name} {round_name} 申报信息导入模板 · 填表说明", title_fmt)
    general = (
        f"1. 报名时间为 {registration_opens.isoformat()} 至 {registration_closes.isoformat()}，"
        "只能在报名期内导入（R2.1）。",
        f"2. 在“{DATA_SHEET}”工作表中每行填写一人的一份申报；第一行为列名，请勿修改列名。"
        "列的顺序可以调整，按列名识别；模板之外的列将被忽略。",
        "3. 红色列名为必填列。带下拉列表的列请从列表中选择；日期列请填写日期；"
        "身份证号、工号、电话、证书编号请保持文本格式，以免丢失数字。",
        "4. 每人每批次限申报 1 个职业（工种）：同一身份证号在文件中出现两次，两行都会报错（R3.2）。",
        "5. 导入时逐行逐格检查，所有错误（行号、列名、填写的值、原因）列入可下载的错误报告。"
        "默认只要有一行有误就不导入任何数据；也可选择“只导入正确的行”。",
        "6. 同一文件重复导入不会产生重复数据：同一人在本批次的申报按内容更新，内容相同则不变；"
        "已审核（通过或不予通过）的申报不会被修改，报告中注明“已审核，未更改”。",
        "7. 导入后系统对每份申报自动核查（身份证号与性别、出生日期是否一致，日期先后，证书编号等）"
        "并按申报条件核算资格，结果供审核人员复核。",
    )
    for i, line in enumerate(general, start=2):
        notes.merge_range(i, 0, i, 4, line, note_fmt)
        notes.set_row(i, 32)
    start = len(general) + 3
    for col, header in enumerate(("列名", "是否必填", "格式", "说明", "示例")):
        notes.write_string(start, col, header, notes_header_fmt)
    for r, column in enumerate(COLUMNS, start=start + 1):
        notes.write_string(r, 0, column.header, note_fmt)
        notes.write_string(r, 1, "必填" if column.required else "选填", note_fmt)
        notes.write_string(r, 2, column_format(column), note_fmt)
        notes.write_string(r, 3, column.note, note_fmt)
        notes.write_string(r, 4, column.example, note_fmt)
    offer_at = start + len(COLUMNS) + 2
    notes.write_string(offer_at, 0, "本批次可申报的职业（工种）等级：", title_fmt)
    for r, label in enumerate(offerings, start=offer_at + 1):
        notes.write_string(r, 0, label, formats["plain"])
    data.activate()
    book.close()
    return out.getvalue()


def _hint(column: Column) -> str:
    required = "必填。" if column.required else "选填。"
    return f"{required}{column_format(column)}。{column.note}"


def _letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
