"""Parse and check a CSV of the occupational classification (code,name,tier,parent_code,gbm); no Django.

Every row is checked and every problem is reported with its line number, column and a Chinese
reason (DESIGN rule 9, S19). A row whose parent row is rejected is rejected too, so the rows
that pass always form whole chains up to a 大类 and can be written on their own.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

COLUMNS = ("code", "name", "tier", "parent_code", "gbm")
REQUIRED_COLUMNS = ("code", "name", "tier", "parent_code")
TIER_NAMES = {1: "大类", 2: "中类", 3: "小类", 4: "职业"}
# 大类 "6", 中类 "6-18", 小类 "6-18-01", 职业 "6-18-01-01".
CODE_PATTERNS = {
    1: re.compile(r"^[1-9]$"),
    2: re.compile(r"^[1-9]-\d{2}$"),
    3: re.compile(r"^[1-9]-\d{2}-\d{2}$"),
    4: re.compile(r"^[1-9]-\d{2}-\d{2}-\d{2}$"),
}
CODE_EXAMPLES = {1: "6", 2: "6-18", 3: "6-18-01", 4: "6-18-01-01"}
GBM_PATTERN = re.compile(r"^\d{1,10}$")
NAME_MAX = 120
MAX_ROWS = 20_000


@dataclass(frozen=True)
class OccupationRow:
    """One accepted row: a node of the classification."""

    line: int
    code: str
    name: str
    tier: int
    parent_code: str
    gbm: str


@dataclass(frozen=True)
class RowError:
    """One rejected row (line 0: the file as a whole)."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.line} 行" if self.line else "文件"
        if self.column:
            where += f"（{self.column}）"
        return f"{where}：{self.reason}"


@dataclass
class ParseResult:
    rows: list[OccupationRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 as Excel on a Chinese Windows saves CSV."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _clean(value: str | None) -> str:
    return (value or "").strip()


def parse(text: str, *, known: Mapping[str, int] | None = None) -> ParseResult:
    """Check every row of `text`; `known` maps codes already stored (outside the file) to their tier."""
    known = known or {}
    result = ParseResult()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(RowError(0, "", "文件为空，缺少表头 code,name,tier,parent_code,gbm。"))
        return result
    except csv.Error as exc:
        result.errors.append(RowError(1, "", f"无法解析表头：{exc}"))
        return result
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        result.errors.append(
            RowError(1, "", f"表头缺少列：{'、'.join(missing)}（应为 code,name,tier,parent_code,gbm）。")
        )
        return result
    index = {c: names.index(c) for c in COLUMNS if c in names}

    candidates: list[OccupationRow] = []
    bad_lines: dict[str, int] = {}  # code → line of a row rejected for its own content
    first_line: dict[str, int] = {}
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(RowError(start, "", f"无法解析：{exc}"))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(candidates) + len(bad_lines) >= MAX_ROWS:
            result.errors.append(RowError(start, "", f"行数超过上限 {MAX_ROWS}，其后各行未检查。"))
            break

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return _clean(cells[i]) if i is not None and i < len(cells) else ""

        code, name, tier_text, parent_code, gbm = (cell(c) for c in COLUMNS)
        problems: list[tuple[str, str]] = []
        if len(cells) > len(header):
            problems.append(
                ("", f"列数为 {len(cells)}，多于表头的 {len(header)} 列（名称中的逗号须加引号）。")
            )
        tier = int(tier_text) if tier_text.isdigit() else 0
        if tier not in TIER_NAMES:
            problems.append(
                ("tier", f"层级“{tier_text}”无效，应为 1（大类）、2（中类）、3（小类）或 4（职业）。")
            )
        if not code:
            problems.append(("code", "编码为空。"))
        elif tier in CODE_PATTERNS and not CODE_PATTERNS[tier].match(code):
            problems.append(
                (
                    "code",
                    f"编码“{code}”不符合{TIER_NAMES[tier]}的格式（如 {CODE_EXAMPLES[tier]}）。",
                )
            )
        elif code in first_line:
            problems.append(("code", f"编码“{code}”与第 {first_line[code]} 行重复。"))
        if not name:
            problems.append(("name", "名称为空。"))
        elif len(name) > NAME_MAX:
            problems.append(("name", f"名称过长（{len(name)} 字，最多 {NAME_MAX} 字）。"))
        if gbm and not GBM_PATTERN.match(gbm):
            problems.append(("gbm", f"GB/T 6565 代码“{gbm}”应为 1–10 位数字。"))
        if tier == 1 and parent_code:
            problems.append(("parent_code", "大类不应有上级编码。"))
        elif tier > 1 and not parent_code:
            problems.append(("parent_code", f"{TIER_NAMES[tier]}须填写上级编码。"))
        elif tier > 1 and code and not code.startswith(parent_code + "-"):
            problems.append(("parent_code", f"编码“{code}”不在上级编码“{parent_code}”之下。"))
        if code and code not in first_line:
            first_line[code] = start
        if problems:
            result.errors.extend(RowError(start, col, reason) for col, reason in problems)
            # A repeated code keeps its first row; only a bad first row takes its children with it.
            if code and first_line.get(code) == start:
                bad_lines[code] = start
            continue
        candidates.append(OccupationRow(start, code, name, tier, parent_code, gbm))

    _check_parents(candidates, known, bad_lines, result)
    result.errors.sort(key=lambda e: e.line)
    return result


def _check_parents(
    candidates: list[OccupationRow],
    known: Mapping[str, int],
    bad_lines: dict[str, int],
    result: ParseResult,
) -> None:
    """Each parent must exist (in the file or stored) one tier up; a bad parent rejects its children."""
    in_file = {r.code: r for r in candidates}
    # Walk the tiers top-down so a rejection reaches the grandchildren too.
    rejected = dict(bad_lines)
    for row in sorted(candidates, key=lambda r: r.tier):
        if row.tier == 1:
            result.rows.append(row)
            continue
        reason = ""
        if row.parent_code in rejected:
            reason = f"上级编码“{row.parent_code}”所在的第 {rejected[row.parent_code]} 行有误。"
        elif row.parent_code in in_file:
            parent_tier = in_file[row.parent_code].tier
            if parent_tier != row.tier - 1:
                reason = f"上级编码“{row.parent_code}”是{TIER_NAMES[parent_tier]}，应为{TIER_NAMES[row.tier - 1]}。"
        elif row.parent_code in known:
            parent_tier = known[row.parent_code]
            if parent_tier != row.tier - 1:
                reason = f"上级编码“{row.parent_code}”是{TIER_NAMES.get(parent_tier, '?')}，应为{TIER_NAMES[row.tier - 1]}。"
        else:
            reason = f"上级编码“{row.parent_code}”在文件和职业目录中都不存在。"
        if reason:
            result.errors.append(RowError(row.line, "parent_code", reason))
            rejected.setdefault(row.code, row.line)
        else:
            result.rows.append(row)
    result.rows.sort(key=lambda r: r.line)
