"""Bulk import of 50,000 applications from Excel, end to end (R3.4; target ≤ 60 s, ≤ 1 GB).

Makes a round with three offerings, writes a 50,000-row file in the template's layout (valid ID
numbers, half the rows with a certificate) to a temporary folder, then runs the import task as
the web page queues it: the encrypted upload, reading, every cell check, people and employee
records, the automatic checks and the eligibility evaluation of every row, the bulk writes, the
one audit event and the report attached to the job. Then imports the same file again (every
row unchanged) and compares with a bare python-calamine read of the file.

On PostgreSQL (SKILLCERT_DATABASE_URL=postgres://…/skillcert_bench) the database is created if
missing; each run uses its own enterprise and ID-number region, and removes its rows afterwards.
"""

from __future__ import annotations

import os
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench import ensure_db

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))


def _ensure_postgres_database() -> None:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg
    from psycopg import sql

    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _world(tag: str) -> tuple[object, object, list[str]]:
    from django.utils import timezone

    from skillcert.catalog import eligibility
    from skillcert.catalog.models import EligibilityRuleSet, Occupation, Standard
    from skillcert.catalog.ruletemplates import TEMPLATES
    from skillcert.core.models import Organisation, OrgKind, RoleAssignment, User
    from skillcert.core.models.accounts import Role
    from skillcert.enrollment.services.imports import offering_labels, round_offerings
    from skillcert.rounds.models import Round, RoundOffering, RoundStatus

    city = Organisation.objects.create(kind=OrgKind.CITY, name=f"基准市人社局{tag}", region_code="370100")
    ent = Organisation.objects.create(kind=OrgKind.ENTERPRISE, name=f"基准测试企业{tag}", authority=city)
    user = User.objects.create(username=f"bench_{tag}", display_name="基准", organisation=ent)
    RoleAssignment.objects.create(user=user, role=Role.ENTERPRISE_ADMIN, organisation=ent)
    template = TEMPLATES["2018"]
    rules, _ = EligibilityRuleSet.objects.get_or_create(
        template="2018",
        enterprise=None,
        defaults={"name": template.name, "source": template.source, "rules": eligibility.to_json(template)},
    )
    today = timezone.localdate()
    rnd = Round.objects.create(
        enterprise=ent,
        name=f"{today.year}年第1批",
        year=today.year,
        status=RoundStatus.PUBLISHED,
        registration_opens=today - timedelta(days=5),
        registration_closes=today + timedelta(days=25),
        evaluation_starts=today + timedelta(days=40),
        evaluation_ends=today + timedelta(days=45),
        published_at=timezone.now(),
    )
    for i, (name, level) in enumerate((("车工", 4), ("焊工", 3), ("电工", 5))):
        occupation, _ = Occupation.objects.get_or_create(
            code=f"6-98-{tag[-2:]}-{i:02d}", defaults={"name": f"{name}{tag}", "tier": 4}
        )
        standard = Standard.objects.create(
            occupation=occupation,
            title=f"国家职业技能标准 {name}",
            edition_year=2018,
            levels=[5, 4, 3, 2, 1],
            rule_set=rules,
        )
        RoundOffering.objects.create(round=rnd, occupation=occupation, level=level, standard=standard)
    labels = list(offering_labels(round_offerings(round=rnd)))
    return user, rnd, labels


def _write_file(path: Path, labels: list[str], region: str) -> None:
    import xlsxwriter

    from skillcert.core import idcard
    from skillcert.enrollment.importer import COLUMNS, DATA_SHEET

    headers = [c.header for c in COLUMNS]
    col = {h: i for i, h in enumerate(headers)}
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet(DATA_SHEET)
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, h in enumerate(headers):
        ws.write_string(0, c, h)
    base = date(1970, 1, 1)
    educations = ("大学专科", "高等职业学校", "技工院校高级工班", "普通高中", "中等职业学校", "大学本科")
    for i in range(ROWS):
        r = i + 1
        born = base + timedelta(days=i % 10_000)
        sex = "M" if i % 2 else "F"
        number = idcard.generate(region=region, birth_date=born, sex=sex, seq=2 * (i // 10_000))  # type: ignore[arg-type]
        started = date(born.year + 20, 7, 1)
        text = {
            "工号": f"B{i:06d}",
            "姓名": f"员工{i}",
            "性别": "男" if sex == "M" else "女",
            "文化程度": educations[i % len(educations)],
            "身份证号": number,
            "所学专业": "机械制造与自动化",
            "毕业院校": "山东劳动职业技术学院",
            "联系电话": f"139{i:08d}",
            "是否在校学生": "否",
            "政治面貌": "群众",
            "现从事岗位": ("车工", "焊工", "电工")[i % 3],
            "工种方向": "",
            "人员来源": "正式在岗",
            "申报职业（工种）等级": labels[i % len(labels)],
            "申报类型": "正常",
            "申报条件": "累计从事本职业工作满5年",
            "工作简历": f"{started.year}.07—今 基准测试企业 {('车工', '焊工', '电工')[i % 3]}",
        }
        for h, v in text.items():
            ws.write_string(r, col[h], v)
        ws.write_datetime(r, col["出生日期"], born, date_fmt)
        ws.write_datetime(r, col["毕业时间"], date(born.year + 19, 7, 1), date_fmt)
        ws.write_datetime(r, col["参加工作时间"], started, date_fmt)
        ws.write_number(r, col["岗位年限"], 3 + i % 12)
        ws.write_number(r, col["本职业或相关职业累计年限"], 3 + i % 15 + 0.5)
        if i % 2 == 0:
            ws.write_string(r, col["证书类别"], "职业技能等级证书")
            ws.write_string(r, col["证书等级"], "五级/初级工")
            ws.write_string(r, col["证书职业（工种）"], ("车工", "焊工", "电工")[i % 3])
            ws.write_string(r, col["证书编号"], f"S{region}{i:015d}")
            ws.write_datetime(r, col["发证日期"], date(started.year + 3, 6, 30), date_fmt)
    book.close()


def _free_region() -> str:
    """An ID-number region whose people are not in this database yet (PostgreSQL keeps earlier runs)."""
    from skillcert.core import crypto, idcard
    from skillcert.core.models import Person

    rng = random.Random()
    while True:
        region = f"37{rng.randrange(10_000):04d}"
        probe = idcard.generate(region=region, birth_date=date(1970, 1, 1), sex="F", seq=0)
        if not Person.objects.filter(id_number_index=crypto.blind_index(probe, purpose="id_number")).exists():
            return region


def _cleanup(rnd: object) -> None:
    from skillcert.core.models import Employee, Person
    from skillcert.enrollment.models import Application

    apps = Application.objects.filter(round=rnd)
    person_ids = list(apps.values_list("person_id", flat=True))
    apps.delete()
    Employee.objects.filter(enterprise_id=rnd.enterprise_id).delete()  # type: ignore[attr-defined]
    for start in range(0, len(person_ids), 900):
        Person.objects.filter(pk__in=person_ids[start : start + 900]).delete()


def run() -> dict[str, object]:
    _ensure_postgres_database()
    ensure_db()
    from django.conf import settings
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from skillcert.core.models import JobProgress
    from skillcert.core.services import jobs
    from skillcert.enrollment import tasks
    from skillcert.enrollment.models import Application, ApplicationFlag

    tag = f"{random.randrange(10**6):06d}"
    user, rnd, labels = _world(tag)
    region = _free_region()
    figures: dict[str, object] = {"rows": ROWS, "database": connection.vendor}
    with tempfile.TemporaryDirectory(prefix="skillcert-bench-import-") as tmp:
        path = Path(tmp) / "applications.xlsx"
        started = time.perf_counter()
        _write_file(path, labels, region)
        figures["file_write_s"] = round(time.perf_counter() - started, 2)
        figures["file_mb"] = round(path.stat().st_size / 2**20, 2)

        started = time.perf_counter()
        book = CalamineWorkbook.from_path(str(path))
        cells = book.get_sheet_by_index(0).to_python()
        book.close()
        calamine_s = time.perf_counter() - started
        figures["calamine_read_s"] = round(calamine_s, 3)
        del cells
        data = path.read_bytes()

    rss_before = _rss_mb()
    for attempt in ("import", "reimport"):
        job = jobs.job_create(actor=user, kind=f"application_import:{rnd.pk}", title="基准导入")  # type: ignore[arg-type]
        upload = tasks.upload_save(data)
        started = time.perf_counter()
        counts = tasks.import_applications_task.call(str(job.pk), rnd.pk, user.pk, "all_or_nothing", upload)  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == "done", job.message
        figures[f"{attempt}_s"] = round(elapsed, 2)
        for step, seconds in job.result.get("seconds", {}).items():
            figures[f"{attempt}_{step}_s"] = seconds
        figures[f"{attempt}_rows_per_s"] = round(ROWS / elapsed)
        if attempt == "import":
            assert counts["created"] == ROWS, counts
            figures["ratio_to_calamine_read"] = round(elapsed / calamine_s, 1)
            figures["flags_stored"] = ApplicationFlag.objects.filter(application__round=rnd).count()
            figures["eligible"] = Application.objects.filter(round=rnd, eligibility="eligible").count()
        else:
            assert counts["unchanged"] == ROWS, counts
        assert JobProgress.objects.get(pk=job.pk).result_file
    figures["peak_rss_mb"] = round(_rss_mb(), 1)
    figures["rss_before_import_mb"] = round(rss_before, 1)
    figures["budget"] = "≤ 60 s and ≤ 1024 MB"
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        _cleanup(rnd)
    return figures
