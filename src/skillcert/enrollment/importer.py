"""Bulk import of applications (R3.4): the columns, reading the sheet, and checking every cell — pure.

One code path for every source: the Excel upload becomes a list of ``{column key: cell}``
records (:func:`read_records`), the API hands its JSON items as the same dicts, and
:func:`validate` turns each into either a clean :class:`Record` or the list of its
:class:`Issue` s (row, column, value, reason in Chinese). Nothing here touches the database:
the service (``services/imports.py``) looks people up, runs the automatic checks and the
eligibility evaluation (``evaluation.assess``) on the clean records, and writes.

Performance matters (50,000 rows in well under a minute, end to end): each column gets one
pre-built parser, the sheet is read with python-calamine, and nothing is done twice per cell.

The labels here repeat the models' choices on purpose (this module imports no Django);
tests/enrollment/test_import_pure.py checks that they agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from skillcert.core.idcard import IdNumberError, mask, parse

__all__ = [
    "COLUMNS",
    "COLUMN_BY_KEY",
    "DATA_SHEET",
    "MAX_ROWS",
    "CertificateData",
    "Column",
    "Issue",
    "Record",
    "RowResult",
    "SheetRecords",
    "match_header",
    "normalise_label",
    "offering_label",
    "read_records",
    "validate",
]

DATA_SHEET = "申报信息"
NOTES_SHEET = "填表说明"
MAX_ROWS = 100_000  # a larger file is refused before any row is read
FIRST_YEAR, LAST_YEAR = 1900, 2099
MAX_YEARS = 70  # working years stated on a form

Kind = Literal[
    "text", "long_text", "enum", "date", "number", "bool", "id_number", "offering", "grounds", "level"
]

# --- the value lists (keys as in enrollment.models / core.models) ---------------------------------

SEX = (("M", "男"), ("F", "女"))
EDUCATION = (
    ("skilled_intermediate", "技工院校中级工班"),
    ("skilled_advanced", "技工院校高级工班"),
    ("skilled_technician", "技工院校预备技师（技师）班"),
    ("secondary_vocational", "中等职业学校"),
    ("higher_vocational", "高等职业学校"),
    ("junior_college", "大学专科"),
    ("bachelor", "大学本科"),
    ("master", "硕士研究生"),
    ("doctor", "博士研究生"),
    ("high_school", "普通高中"),
    ("junior_school", "初中及以下"),
    ("other", "其他学历"),
)
POLITICAL_STATUS = (
    ("cpc", "中共党员"),
    ("cpc_probation", "中共预备党员"),
    ("cyl", "共青团员"),
    ("democratic", "民主党派"),
    ("masses", "群众"),
)
EMPLOYMENT_TYPE = (("regular", "正式在岗"), ("dispatched", "劳务派遣"), ("outsourced", "外包"))
APPLICATION_TYPE = (("normal", "正常"), ("exceptional", "破格"))
CERTIFICATE_KIND = (
    ("qualification", "职业资格证书"),
    ("skill_level", "职业技能等级证书"),
    ("professional", "专业技术职务（职称）证书"),
    ("other", "其他证书"),
)
YES_NO = (("yes", "是"), ("no", "否"))
SKILL_LEVELS = (
    (5, "五级/初级工"),
    (4, "四级/中级工"),
    (3, "三级/高级工"),
    (2, "二级/技师"),
    (1, "一级/高级技师"),
)
TITLE_GRADES = (("junior", "初级职称"), ("intermediate", "中级职称"), ("senior", "高级职称"))
LEVEL_LABELS: dict[int, str] = dict(SKILL_LEVELS)

_SYNONYMS: dict[str, dict[str, str]] = {
    "sex": {"男性": "M", "女性": "F"},
    "application_type": {"正常申报": "normal", "破格申报": "exceptional"},
    "cert_kind": {
        "职业资格": "qualification",
        "技能等级": "skill_level",
        "专业技术": "professional",
        "职称": "professional",
        "其他": "other",
        "其它": "other",
    },
    "is_current_student": {"true": "yes", "false": "no", "y": "yes", "n": "no", "1": "yes", "0": "no"},
    "employment_type": {"正式": "regular", "派遣": "dispatched"},
    "political_status": {"党员": "cpc", "预备党员": "cpc_probation", "团员": "cyl"},
}
# 证书等级: skill and qualification levels by any usual name; professional titles by grade.
_LEVEL_WORDS: dict[str, int] = {}
for _n, _label in SKILL_LEVELS:
    _numbered, _named = _label.split("/")
    for _word in (_label, _numbered, _named, str(_n)):
        _LEVEL_WORDS[_word] = _n
# The old qualification names: 初级/中级/高级 mean levels 5/4/3 for a skill certificate.
_LEVEL_WORDS.update({"初级": 5, "中级": 4, "高级": 3})
_GRADE_WORDS: dict[str, str] = {}
for _g, _label in TITLE_GRADES:
    for _word in (_label, _label.removesuffix("职称"), _g):
        _GRADE_WORDS[_word] = _g


# --- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the template: its key (the JSON field of the API), header, kind and notes."""

    key: str
    header: str
    kind: Kind
    required: bool = False
    max_length: int = 0
    choices: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    note: str = ""
    example: str = ""
    width: float = 12.0

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _key, label in self.choices)


CERTIFICATE_KEYS = ("cert_kind", "cert_level", "cert_occupation", "cert_number", "cert_issued_on")

COLUMNS: tuple[Column, ...] = (
    Column(
        key="employee_no",
        header="工号",
        kind="text",
        required=True,
        max_length=40,
        note="本企业的员工工号；新工号将同时建立员工记录。",
        example="JZ00123",
    ),
    Column(
        key="name",
        header="姓名",
        kind="text",
        required=True,
        max_length=50,
        aliases=("申报人姓名",),
        note="与身份证件一致。",
        example="张三",
        width=10,
    ),
    Column(
        key="sex",
        header="性别",
        kind="enum",
        required=True,
        choices=SEX,
        note="从下拉列表选择。",
        example="男",
        width=7,
    ),
    Column(
        key="birth_date",
        header="出生日期",
        kind="date",
        required=True,
        note="日期，如 1990-05-17；须与身份证号一致。",
        example="1990-05-17",
    ),
    Column(
        key="education",
        header="文化程度",
        kind="enum",
        required=True,
        choices=EDUCATION,
        note="最高学历，从下拉列表选择。",
        example="大学专科",
        width=18,
    ),
    Column(
        key="id_number",
        header="身份证号",
        kind="id_number",
        required=True,
        max_length=18,
        aliases=("公民身份号码", "身份证号码"),
        note="18 位居民身份证号（15 位旧号码自动升位），以文本格式填写，末位 X 大小写均可。",
        example="370102199005171234",
        width=21,
    ),
    Column(key="major", header="所学专业", kind="text", max_length=80, example="机械制造与自动化", width=16),
    Column(
        key="school", header="毕业院校", kind="text", max_length=100, example="山东劳动职业技术学院", width=18
    ),
    Column(
        key="phone",
        header="联系电话",
        kind="text",
        max_length=20,
        note="11 位手机号，或带区号的固定电话。",
        example="13800138000",
        width=14,
    ),
    Column(
        key="graduated_on", header="毕业时间", kind="date", note="日期，如 2010-07-01。", example="2010-07-01"
    ),
    Column(
        key="is_current_student",
        header="是否在校学生",
        kind="enum",
        choices=YES_NO,
        note="在读学生选“是”；其余选“否”或留空。",
        example="否",
        width=8,
    ),
    Column(
        key="work_started_on",
        header="参加工作时间",
        kind="date",
        note="日期，如 2010-08-01。",
        example="2010-08-01",
    ),
    Column(
        key="political_status",
        header="政治面貌",
        kind="enum",
        choices=POLITICAL_STATUS,
        note="从下拉列表选择；留空按“群众”。",
        example="群众",
    ),
    Column(
        key="current_post",
        header="现从事岗位",
        kind="text",
        required=True,
        max_length=80,
        aliases=("现岗位",),
        note="本人实际工作岗位；申报职业须与岗位一致（R3.2）。",
        example="车工",
    ),
    Column(
        key="post_years",
        header="岗位年限",
        kind="number",
        note="在现岗位工作的年数，可带 1 位小数。",
        example="8",
        width=8,
    ),
    Column(
        key="occupation_years",
        header="本职业或相关职业累计年限",
        kind="number",
        aliases=("累计年限", "本职业工作年限"),
        note="从事本职业或相关职业的累计年数，可带 1 位小数；按工作年限申报的须另交书面承诺。",
        example="8.5",
    ),
    Column(key="job_direction", header="工种方向", kind="text", max_length=80, example="数控车工"),
    Column(
        key="employment_type",
        header="人员来源",
        kind="enum",
        choices=EMPLOYMENT_TYPE,
        aliases=("用工形式",),
        note="从下拉列表选择；留空按“正式在岗”。",
        example="正式在岗",
        width=10,
    ),
    Column(
        key="cert_kind",
        header="证书类别",
        kind="enum",
        choices=CERTIFICATE_KIND,
        aliases=("现有证书类别",),
        note="已取得的一个证书（没有则此组五列都留空）；填写后须填证书等级和发证日期。",
        example="职业技能等级证书",
        width=18,
    ),
    Column(
        key="cert_level",
        header="证书等级",
        kind="level",
        choices=tuple((str(n), label) for n, label in SKILL_LEVELS) + TITLE_GRADES,
        aliases=("等级",),
        note="职业资格、职业技能等级证书选“五级/初级工”至“一级/高级技师”；职称证书选初级、中级或高级职称。",
        example="五级/初级工",
        width=14,
    ),
    Column(
        key="cert_occupation",
        header="证书职业（工种）",
        kind="text",
        max_length=80,
        aliases=("职业（工种）", "职业工种"),
        note="证书上的职业（工种）或专业名称。",
        example="车工",
        width=14,
    ),
    Column(
        key="cert_number",
        header="证书编号",
        kind="text",
        max_length=40,
        note="职业技能等级证书为 22 位（Y 或 S 开头）；职业资格证书一般为 16 位数字。",
        example="S000037000001234567890",
        width=24,
    ),
    Column(
        key="cert_issued_on",
        header="发证日期",
        kind="date",
        aliases=("发证时间",),
        note="日期，如 2018-06-30。",
        example="2018-06-30",
    ),
    Column(
        key="offering",
        header="申报职业（工种）等级",
        kind="offering",
        required=True,
        aliases=("申报职业",),
        note="从下拉列表选择本批次公布的职业（工种）和等级；每人每批次限申报 1 个（R3.2）。",
        example="车工 四级/中级工",
        width=28,
    ),
    Column(
        key="application_type",
        header="申报类型",
        kind="enum",
        required=True,
        choices=APPLICATION_TYPE,
        aliases=("申报类别",),
        note="正常申报或破格申报。",
        example="正常",
        width=8,
    ),
    Column(
        key="condition_relied_on",
        header="申报条件",
        kind="text",
        max_length=300,
        aliases=("所依据的申报条件",),
        note="所依据的具体申报条件。",
        example="累计从事本职业工作满5年",
        width=24,
    ),
    Column(
        key="exceptional_grounds",
        header="破格依据",
        kind="grounds",
        max_length=300,
        note="破格申报必填：所依据的破格条件，多条用分号“；”分隔；正常申报留空。",
        example="省级职业技能竞赛前10名",
        width=20,
    ),
    Column(
        key="work_history",
        header="工作简历",
        kind="long_text",
        max_length=4000,
        aliases=("工作经历",),
        example="2010.08—今 某公司 车工",
        width=30,
    ),
    Column(
        key="awards", header="奖惩情况", kind="long_text", max_length=2000, aliases=("奖励、荣誉",), width=20
    ),
    Column(
        key="achievements",
        header="工作业绩与成果",
        kind="long_text",
        max_length=4000,
        aliases=("成果",),
        width=20,
    ),
    Column(key="unit_opinion", header="单位意见", kind="long_text", max_length=1000, width=16),
)
COLUMN_BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
REQUIRED_KEYS = frozenset(c.key for c in COLUMNS if c.required)


def normalise_label(text: str) -> str:
    """Labels and headers compare without width, spaces, an asterisk (必填 mark) or a line break."""
    folded = unicodedata.normalize("NFKC", text) if not text.isascii() else text
    return "".join(folded.split()).replace("*", "").lower()


_HEADER_INDEX: dict[str, str] = {}
for _c in COLUMNS:
    for _name in (_c.header, *_c.aliases, _c.key):
        _HEADER_INDEX[normalise_label(_name)] = _c.key


def match_header(text: str) -> str | None:
    """The column key a header names, or None for a column the template does not have."""
    return _HEADER_INDEX.get(normalise_label(text))


def offering_label(occupation: str, job_type: str | None, level: int) -> str:
    """How an offering reads in the template's drop-down, e.g. ``焊工（电焊工） 四级/中级工``."""
    job = f"（{job_type}）" if job_type else ""
    return f"{occupation}{job} {LEVEL_LABELS.get(level, str(level))}"


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One problem: the row as Excel numbers it (the item number for the API), the column, the value, why."""

    row: int
    column: str
    value: str
    reason: str
    field: str = ""


@dataclass(frozen=True)
class CertificateData:
    kind: str
    level: int | None
    title_grade: str
    occupation_name: str
    number: str
    issued_on: date | None


@dataclass(eq=False)
class Record:
    """A row whose every cell passed: the application's fields, only for the columns the source gave."""

    row: int
    id_number: str  # the 18-character form
    employee_no: str
    offering_id: int
    fields: dict[str, object]
    certificate: CertificateData | None  # None: no certificate given in this row


@dataclass(eq=False)
class RowResult:
    row: int
    record: Record | None
    errors: list[Issue] = field(default_factory=list)


@dataclass(eq=False)
class SheetRecords:
    """What :func:`read_records` found: rows as dicts, the columns present, and file-level problems."""

    records: list[tuple[int, dict[str, object]]]
    provided: frozenset[str]
    errors: list[Issue]  # the file cannot be imported (missing or repeated headers, unreadable)
    notices: list[Issue]  # reported, not blocking (columns the template does not have)


# --- reading the sheet ---------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def read_records(data: bytes) -> SheetRecords:
    """Read the data sheet (named 申报信息, else the first) into ``(excel_row, {key: cell})`` records.

    The header row is the first of the first ten rows that names at least three template columns,
    so a title line above it does no harm. Columns are matched by name, in any order; empty rows
    are skipped.
    """
    import io

    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # any unreadable upload is the same user error
        return SheetRecords(
            [], frozenset(), [_file_error("无法读取该文件：请上传由模板填写的 Excel 文件（.xlsx）。")], []
        )
    try:
        names = list(book.sheet_names)
        if not names:
            return SheetRecords([], frozenset(), [_file_error("文件中没有工作表。")], [])
        sheet = book.get_sheet_by_name(DATA_SHEET if DATA_SHEET in names else names[0])
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # a broken sheet, likewise
        return SheetRecords(
            [], frozenset(), [_file_error("无法读取该文件的工作表，请使用下载的模板重新填写。")], []
        )
    finally:
        book.close()
    return records_from_rows(rows)


def _file_error(reason: str, *, row: int = 0, column: str = "", value: str = "") -> Issue:
    return Issue(row=row, column=column, value=value, reason=reason)


def records_from_rows(rows: Sequence[Sequence[object]]) -> SheetRecords:
    """Match the header row and turn the rows under it into ``(excel_row, {key: cell})`` records."""
    header_at = None
    for i, row in enumerate(rows[:10]):
        if sum(1 for cell in row if isinstance(cell, str) and match_header(cell)) >= 3:
            header_at = i
            break
    if header_at is None:
        return SheetRecords(
            [],
            frozenset(),
            [_file_error("找不到表头行：第一行应为模板的列名（工号、姓名、性别……）。", row=1)],
            [],
        )
    errors: list[Issue] = []
    notices: list[Issue] = []
    index: dict[str, int] = {}
    header_row = header_at + 1
    for col, cell in enumerate(rows[header_at]):
        if _blank(cell):
            continue
        text = str(cell).strip()
        key = match_header(text)
        if key is None:
            notices.append(_file_error("模板中没有此列，已忽略。", row=header_row, column=text, value=text))
        elif key in index:
            errors.append(
                _file_error(
                    f"列名重复：第 {_column_letter(index[key])} 列和第 {_column_letter(col)} 列都是“{COLUMN_BY_KEY[key].header}”。",
                    row=header_row,
                    column=text,
                    value=text,
                )
            )
        else:
            index[key] = col
    for key in sorted(REQUIRED_KEYS - index.keys(), key=lambda k: list(COLUMN_BY_KEY).index(k)):
        header = COLUMN_BY_KEY[key].header
        errors.append(_file_error(f"缺少必填列“{header}”。", row=header_row, column=header))
    body = rows[header_at + 1 :]
    if len(body) > MAX_ROWS:
        errors.append(_file_error(f"行数过多：一次最多导入 {MAX_ROWS} 行，请分批导入。", row=header_row))
    if errors:
        return SheetRecords([], frozenset(index), errors, notices)
    pairs = tuple(index.items())
    records: list[tuple[int, dict[str, object]]] = []
    for offset, row in enumerate(body):
        width = len(row)
        record = {key: (row[col] if col < width else "") for key, col in pairs}
        if all(_blank(v) for v in record.values()):
            continue
        records.append((header_at + 2 + offset, record))
    return SheetRecords(records, frozenset(index), errors, notices)


def _column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- cell parsers: value → (clean value, None) or (None, reason) -----------------------------------

Parsed = tuple[object, str | None]
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_LONG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_GROUND_SPLIT = re.compile(r"[;；\n]+")
_MISSING = "必填，不能为空。"
_ABSENT = object()
_ONE_PER_ROUND = "每人每批次限申报 1 个职业（工种）（R3.2）。"


def _as_text(value: object) -> str | None:
    """A cell as text: numbers typed into a text column (工号 1001, a phone) read as they look."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None


def _text_parser(column: Column) -> Callable[[object], Parsed]:
    limit = column.max_length
    control = _CONTROL_LONG if column.kind == "long_text" else _CONTROL

    def parse_text(value: object) -> Parsed:
        text = _as_text(value)
        if text is None:
            return None, "应为文本。"
        if len(text) > limit:
            return None, f"过长：最多 {limit} 个字符，实际 {len(text)} 个。"
        if control.search(text):
            return None, "含有不可见的控制字符，请删除后重新填写。"
        return text, None

    return parse_text


def _enum_parser(column: Column) -> Callable[[object], Parsed]:
    lookup: dict[str, str] = {}
    for key, label in column.choices:
        lookup[normalise_label(label)] = key
        lookup[normalise_label(key)] = key
    for word, key in _SYNONYMS.get(column.key, {}).items():
        lookup[normalise_label(word)] = key
    allowed = "、".join(column.labels)

    exact = {label: key for key, label in column.choices}

    def parse_enum(value: object) -> Parsed:
        key = exact.get(value) if isinstance(value, str) else None  # the drop-down's own values: fast
        if key is None:
            text = _as_text(value)
            key = lookup.get(normalise_label(text)) if text is not None else None
        if key is None:
            return None, f"不是可选的值，应为：{allowed}。"
        return key, None

    return parse_enum


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(value: object) -> Parsed:
    """A date cell, or text like 2010-07-01, 2010/7/1, 2010.07 (the 1st), 2010年7月1日, 20100701."""
    if isinstance(value, datetime):
        day: date | None = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        m = _DATE_TEXT.fullmatch(text)
        if m:
            day = _make_date(int(m[1]), int(m[2]), int(m[3] or 1))
        elif c := _DATE_COMPACT.fullmatch(text):
            day = _make_date(int(c[1]), int(c[2]), int(c[3]))
        else:
            return None, "应为日期，如 2010-07-01。"
    else:
        return None, "应为日期，如 2010-07-01（请把单元格设为日期格式）。"
    if day is None:
        return None, "不是有效的日期。"
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None, f"日期超出范围：年份应在 {FIRST_YEAR}—{LAST_YEAR} 之间。"
    return day, None


def parse_years(value: object) -> Parsed:
    """Years as a number from 0 to 70, kept to one decimal place."""
    if isinstance(value, bool):
        return None, "应为数字。"
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().removesuffix("年").strip()
        try:
            number = float(text)
        except ValueError:
            return None, "应为数字，如 8 或 8.5。"
    else:
        return None, "应为数字，如 8 或 8.5。"
    if not 0 <= number <= MAX_YEARS:  # also refuses NaN
        return None, f"应在 0 到 {MAX_YEARS} 之间。"
    return Decimal(f"{number:.1f}"), None


def parse_id_number(value: object, today: date) -> Parsed:
    """An ID number (GB 11643): the 18-character form, or the reason with the expected check digit."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An 18-digit number stored as a number has lost its last digits to floating point.
        return None, "身份证号须以文本格式填写：数字格式会丢失末几位。"
    if not isinstance(value, str):
        return None, "应为文本。"
    try:
        return parse(value, today=today).number, None
    except IdNumberError as exc:
        return None, f"{exc}。"


def _grounds(value: object) -> Parsed:
    text = _as_text(value)
    if text is None:
        return None, "应为文本。"
    if len(text) > 300:
        return None, f"过长：最多 300 个字符，实际 {len(text)} 个。"
    if _CONTROL_LONG.search(text):
        return None, "含有不可见的控制字符，请删除后重新填写。"
    return tuple(g.strip() for g in _GROUND_SPLIT.split(text) if g.strip()), None


def _shown(column: Column, value: object) -> str:
    """A cell as the report shows it: ID numbers and phones masked (S14), long text cut."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = text.strip()
    if column.key in ("id_number", "phone"):
        return mask("".join(text.split()))
    return text if len(text) <= 60 else text[:60] + "…"


# --- validation ----------------------------------------------------------------------------------


_FIELD_OF = {
    "name": "name",
    "sex": "sex",
    "birth_date": "birth_date",
    "education": "education",
    "major": "major",
    "school": "school",
    "phone": "phone",
    "graduated_on": "graduated_on",
    "work_started_on": "work_started_on",
    "political_status": "political_status",
    "current_post": "current_post",
    "post_years": "post_years",
    "occupation_years": "occupation_years",
    "job_direction": "job_direction",
    "employment_type": "employment_type",
    "condition_relied_on": "condition_relied_on",
    "work_history": "work_history",
    "awards": "awards",
    "achievements": "achievements",
    "unit_opinion": "unit_opinion",
}


def validate(
    items: Iterable[tuple[int, Mapping[str, object]]],
    *,
    offerings: Mapping[str, int],
    today: date,
    progress: Callable[[int], None] | None = None,
    chunk: int = 2000,
) -> list[RowResult]:
    """Check every cell of every row; a person twice in the batch is an error on both rows (R3.2).

    ``items`` are ``(row number, {column key: value})``. A key present with a blank value is a
    blank cell (it clears the field); a key absent is a column the source did not give (the field
    is left as it is; a required one is an error). ``offerings`` maps each offering's label (see
    :func:`offering_label`) to its id; an item may also give the id itself.
    ``progress`` is called with the number of rows done since the last call, every ``chunk`` rows.
    """
    columns = COLUMNS
    offering_lookup = {normalise_label(label): pk for label, pk in offerings.items()}
    offering_ids = frozenset(offerings.values())
    parsers: dict[str, Callable[[object], Parsed]] = {}
    for c in columns:
        if c.kind in ("text", "long_text"):
            parsers[c.key] = _text_parser(c)
        elif c.kind in ("enum",):
            parsers[c.key] = _enum_parser(c)
        elif c.kind == "date":
            parsers[c.key] = parse_date
        elif c.kind == "number":
            parsers[c.key] = parse_years
        elif c.kind == "grounds":
            parsers[c.key] = _grounds
        elif c.kind == "level":
            parsers[c.key] = _text_parser(Column(c.key, c.header, "text", max_length=20))
        elif c.kind == "id_number":
            parsers[c.key] = lambda v: parse_id_number(v, today)
        elif c.kind == "offering":
            parsers[c.key] = lambda v: _parse_offering(v, offerings, offering_lookup, offering_ids)
    plan = [(c, parsers[c.key]) for c in columns]

    results: list[RowResult] = []
    first_row_of_id: dict[str, int] = {}
    first_row_of_no: dict[str, tuple[int, str]] = {}
    duplicates: dict[int, list[Issue]] = {}
    pending = 0
    for row, item in items:
        clean: dict[str, object] = {}
        errors: list[Issue] = []
        for column, parser in plan:
            raw = item.get(column.key, _ABSENT)
            if raw is _ABSENT or raw is None or raw == "" or (isinstance(raw, str) and not raw.strip()):
                if column.required:
                    errors.append(Issue(row, column.header, "", _MISSING, column.key))
                continue
            value, reason = parser(raw)
            if reason is not None:
                errors.append(Issue(row, column.header, _shown(column, raw), reason, column.key))
            else:
                clean[column.key] = value
        record = _build(row, clean, item.keys(), errors)
        if record is not None:
            errors_before = len(errors)
            _note_duplicates(record, first_row_of_id, first_row_of_no, duplicates, errors)
            if len(errors) > errors_before:
                record = None
        results.append(RowResult(row=row, record=record, errors=errors))
        pending += 1
        if progress is not None and pending >= chunk:
            progress(pending)
            pending = 0
    if duplicates:
        for result in results:
            extra = duplicates.get(result.row)
            if extra:
                result.errors.extend(extra)
                result.record = None
    if progress is not None and pending:
        progress(pending)
    return results


def _parse_offering(
    value: object, exact: Mapping[str, int], lookup: Mapping[str, int], ids: frozenset[int]
) -> Parsed:
    if isinstance(value, str) and value in exact:
        return exact[value], None
    if isinstance(value, int) and not isinstance(value, bool) and value in ids:
        return value, None
    text = _as_text(value)
    pk = lookup.get(normalise_label(text)) if text is not None else None
    if pk is None:
        return None, "不是本批次公布的认定职业（工种）等级，请从下拉列表中选择（R1.5）。"
    return pk, None


def _note_duplicates(
    record: Record,
    first_row_of_id: dict[str, int],
    first_row_of_no: dict[str, tuple[int, str]],
    duplicates: dict[int, list[Issue]],
    errors: list[Issue],
) -> None:
    id_column = COLUMN_BY_KEY["id_number"]
    shown = mask(record.id_number)
    first = first_row_of_id.setdefault(record.id_number, record.row)
    if first != record.row:
        errors.append(
            Issue(
                record.row, id_column.header, shown, f"与第 {first} 行是同一人：{_ONE_PER_ROUND}", "id_number"
            )
        )
        duplicates.setdefault(first, []).append(
            Issue(
                first, id_column.header, shown, f"与第 {record.row} 行是同一人：{_ONE_PER_ROUND}", "id_number"
            )
        )
    seen = first_row_of_no.setdefault(record.employee_no, (record.row, record.id_number))
    if seen[0] != record.row and seen[1] != record.id_number:
        header = COLUMN_BY_KEY["employee_no"].header
        errors.append(
            Issue(
                record.row,
                header,
                record.employee_no,
                f"与第 {seen[0]} 行的工号相同，但身份证号不同。",
                "employee_no",
            )
        )
        duplicates.setdefault(seen[0], []).append(
            Issue(
                seen[0],
                header,
                record.employee_no,
                f"与第 {record.row} 行的工号相同，但身份证号不同。",
                "employee_no",
            )
        )


def _build(
    row: int, clean: dict[str, object], provided: Collection[str], errors: list[Issue]
) -> Record | None:
    """Cross-cell rules of one row, then the record (None when any cell is wrong)."""
    fields: dict[str, object] = {}
    for key, model_field in _FIELD_OF.items():
        if key in clean:
            fields[model_field] = clean[key]
        elif key in provided:
            # A blank optional cell is a value: it clears what an earlier import or the form said.
            fields[model_field] = _EMPTY.get(key, "")
    if "is_current_student" in clean:
        fields["is_current_student"] = clean["is_current_student"] == "yes"
    elif "is_current_student" in provided:
        fields["is_current_student"] = False

    kind = clean.get("application_type")
    grounds = clean.get("exceptional_grounds", ())
    if kind is not None:
        fields["is_exceptional"] = kind == "exceptional"
        if kind == "exceptional" and not grounds and not _has_error(errors, "exceptional_grounds"):
            errors.append(
                Issue(
                    row,
                    COLUMN_BY_KEY["exceptional_grounds"].header,
                    "",
                    "破格申报须填写破格依据。",
                    "exceptional_grounds",
                )
            )
        if kind == "normal" and grounds:
            errors.append(
                Issue(
                    row,
                    COLUMN_BY_KEY["exceptional_grounds"].header,
                    "；".join(grounds),  # type: ignore[arg-type]
                    "正常申报不填破格依据；破格申报请把申报类型选为“破格”。",
                    "exceptional_grounds",
                )
            )
        fields["exceptional_grounds"] = list(grounds) if kind == "exceptional" else []  # type: ignore[call-overload]

    certificate = _certificate(row, clean, errors)
    if errors:
        return None
    return Record(
        row=row,
        id_number=str(clean["id_number"]),
        employee_no=str(clean["employee_no"]),
        offering_id=int(clean["offering"]),  # type: ignore[call-overload]
        fields=fields,
        certificate=certificate,
    )


_EMPTY: dict[str, object] = {
    "graduated_on": None,
    "work_started_on": None,
    "post_years": None,
    "occupation_years": None,
    "political_status": "masses",
    "employment_type": "regular",
}


def _has_error(errors: list[Issue], key: str) -> bool:
    return any(e.field == key for e in errors)


def _certificate(row: int, clean: dict[str, object], errors: list[Issue]) -> CertificateData | None:
    given = [k for k in CERTIFICATE_KEYS if k in clean]
    if not given and not any(_has_error(errors, k) for k in CERTIFICATE_KEYS):
        return None
    kind = clean.get("cert_kind")
    if kind is None:
        if not _has_error(errors, "cert_kind"):
            errors.append(
                Issue(
                    row,
                    COLUMN_BY_KEY["cert_kind"].header,
                    "",
                    "填写了证书信息时，证书类别必填。",
                    "cert_kind",
                )
            )
        return None
    level: int | None = None
    grade = ""
    word = clean.get("cert_level")
    level_column = COLUMN_BY_KEY["cert_level"]
    if word is None:
        if kind != "other" and not _has_error(errors, "cert_level"):
            errors.append(
                Issue(row, level_column.header, "", "填写了证书类别时，证书等级必填。", "cert_level")
            )
    else:
        token = normalise_label(str(word))
        if kind == "professional":
            grade = _GRADE_WORDS.get(token, "")
            if not grade:
                errors.append(
                    Issue(
                        row,
                        level_column.header,
                        str(word),
                        "职称证书的等级应为：初级职称、中级职称、高级职称。",
                        "cert_level",
                    )
                )
        else:
            found = _LEVEL_WORDS.get(token)
            if found is None and kind == "other" and token in _GRADE_WORDS:
                grade = _GRADE_WORDS[token]
            elif found is None:
                errors.append(
                    Issue(
                        row,
                        level_column.header,
                        str(word),
                        "职业资格、职业技能等级证书的等级应为："
                        + "、".join(t for _n, t in SKILL_LEVELS)
                        + "。",
                        "cert_level",
                    )
                )
            level = found
    issued = clean.get("cert_issued_on")
    if issued is None and not _has_error(errors, "cert_issued_on"):
        errors.append(
            Issue(
                row,
                COLUMN_BY_KEY["cert_issued_on"].header,
                "",
                "填写了证书类别时，发证日期必填。",
                "cert_issued_on",
            )
        )
    if errors:
        return None
    return CertificateData(
        kind=str(kind),
        level=level,
        title_grade=grade,
        occupation_name=str(clean.get("cert_occupation", "")),
        number=str(clean.get("cert_number", "")),
        issued_on=issued if isinstance(issued, date) else None,
    )
