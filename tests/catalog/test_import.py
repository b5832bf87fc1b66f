"""Occupation import (CSV), the demo catalogue and the template rule sets: validation, atomicity, idempotence (S19)."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from skillcert.catalog import demo, occupations_csv
from skillcert.catalog.models import EligibilityRuleSet, JobType, Occupation, Standard, StandardModule
from skillcert.catalog.services import TEMPLATE_NAMES, occupation_import
from skillcert.core.models import AuditEvent

# tests/catalog/test_import.py → /work/main (repo) → /work → /work/shared/data
SHARED_DATA = Path(
    os.environ.get("SKILLCERT_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data"
)
FULL_CSV = SHARED_DATA if SHARED_DATA.suffix == ".csv" else SHARED_DATA / "occupations-2022.csv"

GOOD = """code,name,tier,parent_code,gbm
6,生产制造及有关人员,1,,60000
6-18,机械制造基础加工人员,2,6,61800
6-18-01,机械冷加工人员,3,6-18,61801
6-18-01-01,车工,4,6-18-01,
6-18-01-02,铣工,4,6-18-01,
"""

BAD = """code,name,tier,parent_code,gbm
6,生产制造及有关人员,1,,60000
6-18,,2,6,61800
6-19,机械,5,6,
6-18-01,机械冷加工人员,3,6-18,61801
6-20-01-01,装配钳工,4,6-20-01,
6-21,通用设备,2,6,
6-21,通用设备,2,6,
6-22-01,错层,2,6,
6-23,钳工类,2,6,6x
"""


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "occ.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the pure parser ----------------------------------------------------------------------------


def test_parser_reports_every_bad_row_with_line_and_column() -> None:
    result = occupations_csv.parse(BAD)
    errors = {(e.line, e.column) for e in result.errors}
    assert (3, "name") in errors  # empty name
    assert (4, "tier") in errors  # tier 5
    assert (5, "parent_code") in errors  # its parent (line 3) is bad
    assert (6, "parent_code") in errors  # parent 6-20-01 exists nowhere
    assert (8, "code") in errors  # duplicate of line 7
    assert (9, "code") in errors  # 小类 code given as 中类
    assert (10, "gbm") in errors
    assert [r.code for r in result.rows] == ["6", "6-21"]
    messages = [str(e) for e in result.errors]
    assert "第 8 行（code）：编码“6-21”与第 7 行重复。" in messages
    assert any("上级编码“6-18”所在的第 3 行有误" in m for m in messages)
    assert any("在文件和职业目录中都不存在" in m for m in messages)


def test_parser_accepts_parents_already_stored_and_checks_their_tier() -> None:
    rows = "code,name,tier,parent_code,gbm\n6-18-01-01,车工,4,6-18-01,\n6-18-02,热加工,3,6-18,\n"
    ok = occupations_csv.parse(rows, known={"6-18-01": 3, "6-18": 2})
    assert ok.ok and len(ok.rows) == 2
    wrong = occupations_csv.parse(rows, known={"6-18-01": 2, "6-18": 2})
    assert [(e.line, e.column) for e in wrong.errors] == [(2, "parent_code")]
    assert "应为小类" in wrong.errors[0].reason


def test_parser_header_and_encoding() -> None:
    assert "表头缺少列" in str(occupations_csv.parse("a,b,c\n1,2,3\n").errors[0])
    assert "文件为空" in str(occupations_csv.parse("").errors[0])
    gbk = GOOD.encode("gb18030")
    assert occupations_csv.parse(occupations_csv.decode(gbk)).ok
    assert occupations_csv.parse(occupations_csv.decode(b"\xef\xbb\xbf" + GOOD.encode())).ok
    # Columns in another order, blank lines and surrounding spaces are fine.
    shuffled = "name,code,tier,gbm,parent_code\n 生产制造 , 6 ,1,,\n\n车工,6-18-01-01,4,,6-18-01\n"
    result = occupations_csv.parse(shuffled, known={"6-18-01": 3})
    assert result.ok and [r.code for r in result.rows] == ["6", "6-18-01-01"]


# --- the service and the command ----------------------------------------------------------------


@pytest.mark.django_db
def test_malformed_csv_imports_nothing_and_names_the_lines(tmp_path: Path) -> None:
    path = write(tmp_path, BAD)
    with pytest.raises(CommandError, match="未写入任何数据"):
        run("import-occupations", str(path))
    assert Occupation.objects.count() == 0
    assert not AuditEvent.objects.filter(action="occupation.import").exists()
    result = occupation_import(actor=None, text=BAD)
    assert not result.written and result.rejected_lines == 7
    assert {e.line for e in result.errors} == {3, 4, 5, 6, 8, 9, 10}


@pytest.mark.django_db
def test_command_prints_errors_to_stderr(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-occupations", str(write(tmp_path, BAD)), stdout=out, stderr=err)
    assert "第 3 行（name）：名称为空。" in err.getvalue()
    with pytest.raises(CommandError, match="无法读取"):
        run("import-occupations", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_only_good_writes_the_good_rows(tmp_path: Path) -> None:
    out, err = run("import-occupations", str(write(tmp_path, BAD)), "--only-good")
    assert "新增 2 条" in out and "跳过有误的 7 行" in out
    assert sorted(Occupation.objects.values_list("code", flat=True)) == ["6", "6-21"]
    assert "第 9 行（code）" in err
    event = AuditEvent.objects.get(action="occupation.import")
    assert event.summary["created"] == 2 and event.summary["rejected_lines"] == 7


@pytest.mark.django_db
def test_reimport_changes_nothing_and_updates_by_code(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    out, _err = run("import-occupations", str(path))
    assert "新增 5 条，更新 0 条，无变化 0 条" in out
    lathe = Occupation.objects.get(code="6-18-01-01")
    assert lathe.parent is not None and lathe.parent.code == "6-18-01" and lathe.tier == 4
    events = AuditEvent.objects.count()
    out, _err = run("import-occupations", str(path))
    assert "新增 0 条，更新 0 条，无变化 5 条" in out
    assert AuditEvent.objects.count() == events  # nothing changed, nothing audited
    renamed = write(tmp_path, GOOD.replace("铣工", "铣工（数控）"), "renamed.csv")
    out, _err = run("import-occupations", str(renamed))
    assert "新增 0 条，更新 1 条，无变化 4 条" in out
    assert Occupation.objects.get(code="6-18-01-02").name == "铣工（数控）"
    assert Occupation.objects.get(code="6-18-01-02").pk != lathe.pk


@pytest.mark.django_db
def test_a_file_may_add_under_stored_parents(tmp_path: Path) -> None:
    run("import-occupations", str(write(tmp_path, GOOD)))
    more = "code,name,tier,parent_code,gbm\n6-18-01-04,磨工,4,6-18-01,\n"
    out, _err = run("import-occupations", str(write(tmp_path, more, "more.csv")))
    assert "新增 1 条" in out
    assert Occupation.objects.get(code="6-18-01-04").parent == Occupation.objects.get(code="6-18-01")


@pytest.mark.django_db
@pytest.mark.skipif(not FULL_CSV.is_file(), reason=f"{FULL_CSV} is absent (shared data not mounted)")
def test_full_2022_catalogue_imports_fast_and_idempotently() -> None:
    started = time.monotonic()
    out, err = run("import-occupations", str(FULL_CSV))
    elapsed = time.monotonic() - started
    assert err == ""
    tiers = {t: Occupation.objects.filter(tier=t).count() for t in (1, 2, 3, 4)}
    assert tiers == {1: 8, 2: 79, 3: 450, 4: 1639}
    assert Occupation.objects.get(code="6-18-02-04").name == "焊工"
    assert Occupation.objects.get(code="6-31-01-03").parent.code == "6-31-01"  # type: ignore[union-attr]
    assert not Occupation.objects.filter(tier__gt=1, parent__isnull=True).exists()
    assert elapsed < 15, f"full import took {elapsed:.1f}s"
    out, _err = run("import-occupations", str(FULL_CSV))
    assert "新增 0 条，更新 0 条，无变化 2176 条" in out


# --- the demo catalogue -------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_catalogue_is_idempotent() -> None:
    out, _err = run("load-catalogue")
    assert "新增 20 项" in out
    assert Standard.objects.count() == 20
    assert Occupation.objects.filter(tier=4).count() == 20
    counts = (
        Occupation.objects.count(),
        JobType.objects.count(),
        StandardModule.objects.count(),
        EligibilityRuleSet.objects.count(),
        AuditEvent.objects.count(),
    )
    out, _err = run("load-catalogue")
    assert "新增 0 项，已有 20 项" in out and "申报条件模板：无变化" in out
    assert counts == (
        Occupation.objects.count(),
        JobType.objects.count(),
        StandardModule.objects.count(),
        EligibilityRuleSet.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_demo_catalogue_content() -> None:
    demo.load_catalogue()
    welder = Standard.objects.get(occupation__code="6-18-02-04")
    assert welder.title == "国家职业技能标准 焊工（2018年版）" and str(welder) == welder.title
    assert welder.levels == [5, 4, 3, 2, 1]
    gas = JobType.objects.get(occupation__code="6-18-02-04", name="气焊工")
    assert gas.levels == [5, 4, 3]
    kinds = {(m.level, m.kind) for m in welder.modules.all()}
    assert (3, "review") not in kinds and (2, "review") in kinds and (5, "practical") in kinds
    assert all(m.pass_mark == 60 and m.full_marks == 100 for m in welder.modules.all())
    hr = Standard.objects.get(occupation__code="4-07-03-04")
    assert hr.levels == [4, 3, 2, 1]
    for key, name in TEMPLATE_NAMES.items():
        rs = EligibilityRuleSet.objects.get(template=key)
        assert rs.name == name and rs.enterprise is None
    assert welder.rule_set is not None and welder.rule_set.template == "2018"
    robot = Standard.objects.get(occupation__code="6-31-07-03")
    assert robot.rule_set is not None and robot.rule_set.template == "2023"
    # Every tier-4 occupation hangs on a complete chain of real codes.
    for occ in Occupation.objects.filter(tier=4):
        node, depth = occ, 1
        while node.parent is not None:
            assert occ.code.startswith(node.parent.code + "-")
            node, depth = node.parent, depth + 1
        assert depth == 4


@pytest.mark.django_db
def test_template_rule_sets_follow_the_code() -> None:
    demo.load_catalogue()
    rs = EligibilityRuleSet.objects.get(template="2023")
    EligibilityRuleSet.objects.filter(pk=rs.pk).update(rules={"tampered": True})
    out, _err = run("load-catalogue")
    assert "2023年版" in out
    assert EligibilityRuleSet.objects.get(pk=rs.pk).rules != {"tampered": True}
