"""The bulk import of applications (R3.4): every cell checked, all or nothing, idempotent, one audit event.

Also home of the helpers the other import tests share (`ImportCase`, `person_row`, `xlsx`).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import pytest
from django.utils import timezone

from skillcert.core import documents, idcard
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent, Employee, Person, User
from skillcert.enrollment import importer
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationFlag,
    ApplicationSource,
    ApplicationStatus,
)
from skillcert.enrollment.services.imports import (
    ImportResult,
    import_applications,
    import_report_xlsx,
    offering_labels,
    round_offerings,
)
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, OfferingFactory, RoundFactory
from tests.factories import EmployeeFactory, PersonFactory

HEADERS = [c.header for c in importer.COLUMNS]


def id_number(i: int) -> str:
    born, sex = birth(i), ("M" if i % 2 else "F")
    return idcard.generate(region="370102", birth_date=born, sex=sex, seq=(i * 2) % 1000)  # type: ignore[arg-type]


def birth(i: int) -> date:
    return date(1975, 1, 1) + timedelta(days=i * 3)


def person_row(i: int, *, offering: str, **over: object) -> dict[str, object]:
    """A clean row for person `i` (valid ID, consistent dates, one skill certificate)."""
    born = birth(i)
    row: dict[str, object] = {
        "工号": f"T{i:05d}",
        "姓名": f"测试{i}",
        "性别": "男" if i % 2 else "女",
        "出生日期": born,
        "文化程度": "大学专科",
        "身份证号": id_number(i),
        "所学专业": "机械制造与自动化",
        "毕业院校": "山东劳动职业技术学院",
        "联系电话": f"138{i:08d}",
        "毕业时间": date(born.year + 20, 7, 1),
        "是否在校学生": "否",
        "参加工作时间": date(born.year + 21, 8, 1),
        "政治面貌": "群众",
        "现从事岗位": "车工",
        "岗位年限": 5,
        "本职业或相关职业累计年限": 8.5,
        "工种方向": "",
        "人员来源": "正式在岗",
        "证书类别": "职业技能等级证书",
        "证书等级": "五级/初级工",
        "证书职业（工种）": "车工",
        "证书编号": f"S{i:021d}",
        "发证日期": date(2015, 6, 30),
        "申报职业（工种）等级": offering,
        "申报类型": "正常",
        "申报条件": "累计从事本职业工作满5年",
        "破格依据": "",
        "工作简历": "2000.08—今 济南重工 车工",
        "奖惩情况": "",
        "工作业绩与成果": "",
        "单位意见": "",
    }
    row.update(over)
    return row


def xlsx(rows: list[dict[str, object]], headers: list[str] | None = None) -> bytes:
    headers = headers or HEADERS
    body: list[list[Any]] = [[r.get(h, "") for h in headers] for r in rows]
    return documents.write_xlsx([documents.Sheet(title=importer.DATA_SHEET, headers=headers, rows=body)])


def snapshot(round: Round) -> dict[str, object]:
    """Everything an import writes, to compare before and after."""
    apps = list(
        Application.objects.filter(round=round)
        .order_by("pk")
        .values(
            "pk", "person_id", "employee_id", "offering_id", "status", "name", "sex", "birth_date",
            "education", "major", "school", "phone_masked", "graduated_on", "work_started_on",
            "current_post", "post_years", "occupation_years", "is_exceptional", "exceptional_grounds",
            "eligibility", "eligibility_reasons", "blocking_flags", "warning_flags", "updated_at",
        )
    )  # fmt: skip
    return {
        "apps": apps,
        "certs": list(
            ApplicationCertificate.objects.filter(application__round=round).order_by("pk").values()
        ),
        "flags": list(ApplicationFlag.objects.filter(application__round=round).order_by("pk").values()),
        "persons": Person.objects.count(),
        "employees": list(Employee.objects.order_by("pk").values()),
    }


class ImportCase(AccessCase):
    """A published round of enterprise A, open today, with two offerings."""

    round: ClassVar[Round]
    turner: ClassVar[RoundOffering]
    welder: ClassVar[RoundOffering]
    labels: ClassVar[dict[int, str]]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.round = RoundFactory(enterprise=cls.w.ent_a, name="2026年第1批")
        cls.turner = OfferingFactory(round=cls.round, occupation__name="车工", level=4)
        cls.welder = OfferingFactory(round=cls.round, occupation__name="焊工", level=3)
        cls.labels = {pk: label for label, pk in offering_labels(round_offerings(round=cls.round)).items()}

    @property
    def owner(self) -> User:
        return self.w.users["owner"]

    def rows(self, n: int, start: int = 1, **over: object) -> list[dict[str, object]]:
        return [person_row(i, offering=self.labels[self.turner.pk], **over) for i in range(start, start + n)]

    def run_import(self, data: bytes, mode: str = "all_or_nothing") -> ImportResult:
        return import_applications(actor=self.owner, round=self.round, data=data, mode=mode)  # type: ignore[arg-type]

    def errors_of(self, result: ImportResult) -> list[tuple[int, str, str]]:
        return [(e.row, e.column, e.reason) for e in result.errors]


class TestAllOrNothing(ImportCase):
    def test_bad_check_digit_in_row_37_names_row_and_column_and_writes_nothing(self) -> None:
        rows = self.rows(40)
        good = str(rows[35]["身份证号"])  # data starts in Excel row 2: index 35 is row 37
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        rows[35]["身份证号"] = bad
        before = snapshot(self.round)
        audit_before = AuditEvent.objects.count()

        result = self.run_import(xlsx(rows))

        assert not result.written
        [issue] = result.errors
        assert (issue.row, issue.column) == (37, "身份证号")
        assert issue.value == idcard.mask(bad)  # masked in the report (S14)
        assert f"校验位应为 {good[17]}" in issue.reason
        assert snapshot(self.round) == before
        assert Application.objects.count() == 0
        assert {r.status for r in result.rows} == {"skipped", "error"}
        # The refusal itself is audited, once.
        assert AuditEvent.objects.count() == audit_before + 1
        event = AuditEvent.objects.order_by("-seq").first()
        assert event is not None and event.outcome == "refused"

        report = documents.read_xlsx(import_report_xlsx(result, round_name=self.round.name), "错误明细")
        assert report[1][:2] == [37, "身份证号"]
        assert bad not in repr(report)

        del rows[35]
        result = self.run_import(xlsx(rows))
        assert result.written and result.ok
        assert result.counts["created"] == 39
        assert Application.objects.filter(round=self.round).count() == 39
        first = snapshot(self.round)

        again = self.run_import(xlsx(rows))
        assert again.written
        assert again.counts["unchanged"] == 39
        assert again.counts["created"] == again.counts["updated"] == 0
        assert snapshot(self.round) == first

    def test_created_rows_carry_everything(self) -> None:
        result = self.run_import(xlsx(self.rows(3)))
        assert result.counts["created"] == 3
        assert result.persons_created == 3 and result.employees_created == 3
        app = Application.objects.get(round=self.round, name="测试1")
        assert app.status == ApplicationStatus.SUBMITTED
        assert app.source == ApplicationSource.IMPORT
        assert app.submitted_at is not None
        assert app.offering_id == self.turner.pk
        assert app.person.reveal_id_number() == id_number(1)
        assert app.person.sex == "M" and app.person.birth_date == birth(1)
        assert app.reveal_phone() == "13800000001"
        assert app.occupation_years == Decimal("8.5") and app.post_years == Decimal("5.0")
        assert app.employee is not None and app.employee.employee_no == "T00001"
        assert app.employee.enterprise_id == self.w.ent_a.pk
        assert app.eligibility in ("eligible", "ineligible", "confirm")
        assert app.eligibility_on == self.round.reference_on
        [cert] = app.certificates.all()
        assert (cert.kind, cert.level, cert.number_normalised) == ("skill_level", 5, f"S{1:021d}")
        assert [r.application_id for r in result.rows] == list(
            Application.objects.filter(round=self.round).order_by("pk").values_list("pk", flat=True)
        )

    def test_one_audit_event_for_the_whole_import(self) -> None:
        before = AuditEvent.objects.count()
        self.run_import(xlsx(self.rows(25)))
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-seq").first()
        assert event is not None
        assert event.action == "application.import"
        assert event.summary["created"] == 25
        assert event.summary["persons_created"] == 25

    def test_good_rows_only_writes_the_good_ones(self) -> None:
        rows = self.rows(5)
        rows[2]["出生日期"] = "1990-02-30"
        result = self.run_import(xlsx(rows), mode="good_rows_only")
        assert result.written
        assert result.counts["created"] == 4 and result.counts["error_rows"] == 1
        assert self.errors_of(result) == [(4, "出生日期", "不是有效的日期。")]
        assert not Application.objects.filter(name="测试3").exists()
        assert not Person.objects.filter(name="测试3").exists()

    def test_checks_become_flags_not_errors(self) -> None:
        # Sex disagrees with the ID number: a blocking flag for the reviewer, not an import error.
        rows = self.rows(2)
        rows[0]["性别"] = "女"
        rows[1]["联系电话"] = ""
        result = self.run_import(xlsx(rows))
        assert result.written and result.ok
        a1 = Application.objects.get(name="测试1")
        assert a1.blocking_flags == 1
        assert list(a1.flags.values_list("code", "severity")) == [("id.sex_mismatch", "block")]
        a2 = Application.objects.get(name="测试2")
        assert (a2.blocking_flags, a2.warning_flags) == (0, 1)
        assert a2.flags.get().code == "phone.format"

    def test_a_certificate_number_of_another_person_is_flagged(self) -> None:
        other = ApplicationFactory(offering=self.welder, status="submitted")
        ApplicationCertificate.objects.create(
            application=other,
            kind="skill_level",
            level=5,
            number=f"S{1:021d}",
            number_normalised=f"S{1:021d}",
        )
        self.run_import(xlsx(self.rows(1)))
        app = Application.objects.get(name="测试1")
        assert "cert.duplicate_other_person" in set(app.flags.values_list("code", flat=True))


class TestRepeatedImport(ImportCase):
    def test_changed_fields_are_updated_and_nothing_else(self) -> None:
        rows = self.rows(3)
        self.run_import(xlsx(rows))
        before = {a.name: a for a in Application.objects.filter(round=self.round)}
        rows[1]["现从事岗位"] = "数控车工"
        rows[1]["联系电话"] = "13912345678"
        result = self.run_import(xlsx(rows))
        assert [r.status for r in result.rows] == ["unchanged", "updated", "unchanged"]
        after = {a.name: a for a in Application.objects.filter(round=self.round)}
        assert after["测试2"].current_post == "数控车工"
        assert after["测试2"].reveal_phone() == "13912345678"
        assert after["测试2"].updated_at > before["测试2"].updated_at
        assert after["测试1"].updated_at == before["测试1"].updated_at
        assert Person.objects.filter(name__startswith="测试").count() == 3

    def test_reviewed_applications_are_left_alone(self) -> None:
        rows = self.rows(3)
        self.run_import(xlsx(rows))
        Application.objects.filter(name="测试1").update(status=ApplicationStatus.APPROVED)
        Application.objects.filter(name="测试2").update(status=ApplicationStatus.REJECTED)
        for row in rows:
            row["现从事岗位"] = "钳工"
        result = self.run_import(xlsx(rows))
        assert [(r.status, r.message) for r in result.rows] == [
            ("unchanged", "已审核，未更改"),
            ("unchanged", "已审核，未更改"),
            ("updated", ""),
        ]
        assert Application.objects.get(name="测试1").current_post == "车工"
        assert Application.objects.get(name="测试1").status == ApplicationStatus.APPROVED
        assert Application.objects.get(name="测试3").current_post == "钳工"
        sheets = documents.read_xlsx(import_report_xlsx(result, round_name="x"), "已审核未更改")
        assert [row[1] for row in sheets[1:]] == ["测试1", "测试2"]

    def test_an_online_draft_of_the_same_person_is_completed_and_submitted(self) -> None:
        person = PersonFactory(name="测试1")
        person.set_id_number(id_number(1))
        person.save()
        EmployeeFactory(person=person, enterprise=self.w.ent_a, employee_no="T00001")
        draft = ApplicationFactory(offering=self.welder, person=person, status="draft")
        result = self.run_import(xlsx(self.rows(1)))
        assert result.rows[0].status == "updated"
        draft.refresh_from_db()
        assert draft.status == ApplicationStatus.SUBMITTED
        assert draft.offering_id == self.turner.pk
        assert draft.source == ApplicationSource.ONLINE  # how it was started stays on record
        assert draft.certificates.count() == 1
        assert Application.objects.filter(round=self.round).count() == 1

    def test_certificate_of_the_row_is_added_then_kept(self) -> None:
        rows = self.rows(1)
        self.run_import(xlsx(rows))
        app = Application.objects.get()
        ApplicationCertificate.objects.create(
            application=app, kind="qualification", level=4, number="1234567890123456"
        )
        rows[0]["证书编号"] = f"S{2:021d}"
        self.run_import(xlsx(rows))
        numbers = sorted(app.certificates.values_list("number", flat=True))
        assert numbers == ["1234567890123456", f"S{1:021d}", f"S{2:021d}"]
        result = self.run_import(xlsx(rows))
        assert result.rows[0].status == "unchanged"

    def test_absent_columns_leave_fields_as_they_are(self) -> None:
        rows = self.rows(1)
        self.run_import(xlsx(rows))
        headers = [h for h in HEADERS if h not in ("毕业院校", "工作简历")]
        rows[0]["毕业院校"] = "别的学校"
        result = self.run_import(xlsx(rows, headers))
        assert result.rows[0].status == "unchanged"
        assert Application.objects.get().school == "山东劳动职业技术学院"

    def test_confirmed_flags_survive_an_update(self) -> None:
        rows = self.rows(1, 联系电话="")
        self.run_import(xlsx(rows))
        flag = ApplicationFlag.objects.get(code="phone.format")
        ApplicationFlag.objects.filter(pk=flag.pk).update(
            confirmed_by=self.owner, confirmed_at=timezone.now(), confirm_note="电话另行核实"
        )
        rows[0]["现从事岗位"] = "数控车工"
        self.run_import(xlsx(rows))
        flag = ApplicationFlag.objects.get(code="phone.format")
        assert flag.confirmed_by_id == self.owner.pk and flag.confirm_note == "电话另行核实"


class TestPeopleAndEmployees(ImportCase):
    def test_existing_person_with_another_name_is_an_error(self) -> None:
        person = PersonFactory(name="李四")
        person.set_id_number(id_number(1))
        person.save()
        result = self.run_import(xlsx(self.rows(2)))
        assert not result.written
        assert self.errors_of(result) == [
            (2, "姓名", "该身份证号已登记，登记的姓名与填写的姓名不一致，请核对。")
        ]

    def test_existing_person_and_employee_are_reused(self) -> None:
        person = PersonFactory(name="测试1")
        person.set_id_number(id_number(1))
        person.save()
        emp = EmployeeFactory(person=person, enterprise=self.w.ent_a, employee_no="T00001", post="钳工")
        result = self.run_import(xlsx(self.rows(1)))
        assert result.persons_created == 0 and result.employees_created == 0
        app = Application.objects.get()
        assert (app.person_id, app.employee_id) == (person.pk, emp.pk)
        emp.refresh_from_db()
        assert emp.post == "钳工"  # the roster is not the import's to change

    def test_employee_number_of_someone_else_is_an_error(self) -> None:
        EmployeeFactory(enterprise=self.w.ent_a, employee_no="T00001")
        result = self.run_import(xlsx(self.rows(1)))
        assert self.errors_of(result) == [(2, "工号", "工号 T00001 已是本企业另一名员工的工号。")]

    def test_person_with_another_employee_number_is_an_error(self) -> None:
        person = PersonFactory(name="测试1")
        person.set_id_number(id_number(1))
        person.save()
        EmployeeFactory(person=person, enterprise=self.w.ent_a, employee_no="OLD-9")
        result = self.run_import(xlsx(self.rows(1)))
        assert self.errors_of(result) == [(2, "工号", "该人员在本企业的工号为 OLD-9，与填写的不一致。")]

    def test_employee_of_another_enterprise_gets_a_record_here(self) -> None:
        person = PersonFactory(name="测试1")
        person.set_id_number(id_number(1))
        person.save()
        EmployeeFactory(person=person, enterprise=self.w.ent_b, employee_no="T00001")
        result = self.run_import(xlsx(self.rows(1)))
        assert result.written and result.employees_created == 1
        assert Employee.objects.filter(person=person).count() == 2


class TestFile(ImportCase):
    def test_missing_required_headers_are_named_and_nothing_is_read(self) -> None:
        headers = [h for h in HEADERS if h not in ("身份证号", "申报类型")]
        result = self.run_import(xlsx(self.rows(3), headers))
        assert not result.written and result.rows == []
        assert [(e.row, e.reason) for e in result.file_errors] == [
            (1, "缺少必填列“身份证号”。"),
            (1, "缺少必填列“申报类型”。"),
        ]
        assert Application.objects.count() == 0

    def test_columns_in_any_order_unknown_ones_reported(self) -> None:
        headers = [*reversed(HEADERS), "备注"]
        rows = self.rows(2)
        for row in rows:
            row["备注"] = "随便写写"
        result = self.run_import(xlsx(rows, headers))
        assert result.written and result.counts["created"] == 2
        assert [(n.column, n.reason) for n in result.notices] == [("备注", "模板中没有此列，已忽略。")]

    def test_a_title_line_above_the_headers_and_aliases(self) -> None:
        headers = ["等级" if h == "证书等级" else "发证时间" if h == "发证日期" else h for h in HEADERS]
        rows = [
            {("等级" if k == "证书等级" else "发证时间" if k == "发证日期" else k): v for k, v in r.items()}
            for r in self.rows(2)
        ]
        body = [
            ["2026年第1批申报信息", *[""] * (len(headers) - 1)],
            headers,
            *[[r.get(h, "") for h in headers] for r in rows],
        ]
        data = documents.write_xlsx([documents.Sheet(title="Sheet1", headers=[""] * len(headers), rows=body)])
        result = self.run_import(data)
        assert result.written and result.counts["created"] == 2
        assert [r.row for r in result.rows] == [4, 5]
        assert Application.objects.get(name="测试1").certificates.get().level == 5

    def test_duplicate_headers_are_refused(self) -> None:
        result = self.run_import(xlsx(self.rows(1), [*HEADERS, "姓名"]))
        assert not result.written
        assert "列名重复" in result.file_errors[0].reason

    def test_not_an_excel_file(self) -> None:
        result = self.run_import(b"PK\x03\x04 this is not a workbook")
        assert not result.written
        assert "无法读取" in result.file_errors[0].reason
        result = self.run_import(b"")
        assert not result.written

    def test_empty_rows_are_skipped(self) -> None:
        rows = self.rows(2)
        data = xlsx([rows[0], {}, {"姓名": "  "}, rows[1]])
        result = self.run_import(data)
        assert [r.row for r in result.rows] == [2, 5]
        assert result.written


class TestCellErrors(ImportCase):
    """Every kind of cell error, each with its row, column, shown value and Chinese reason."""

    def test_every_cell_error_type(self) -> None:
        label = self.labels[self.turner.pk]
        cases: list[tuple[dict[str, object], str, str, str]] = [
            ({"姓名": ""}, "姓名", "", "必填，不能为空。"),
            ({"性别": "未知"}, "性别", "未知", "不是可选的值，应为：男、女。"),
            ({"文化程度": "大专"}, "文化程度", "大专", "不是可选的值"),
            ({"出生日期": "1990-13-01"}, "出生日期", "1990-13-01", "不是有效的日期。"),
            ({"毕业时间": "去年"}, "毕业时间", "去年", "应为日期"),
            ({"参加工作时间": date(2150, 1, 1)}, "参加工作时间", "2150-01-01", "日期超出范围"),
            ({"发证日期": 43000}, "发证日期", "43000", "应为日期"),
            ({"岗位年限": "五年"}, "岗位年限", "五年", "应为数字"),
            ({"本职业或相关职业累计年限": 120}, "本职业或相关职业累计年限", "120", "应在 0 到 70 之间。"),
            ({"工号": "X" * 41}, "工号", "X" * 41, "过长：最多 40 个字符，实际 41 个。"),
            ({"现从事岗位": "车\x07工"}, "现从事岗位", "车\x07工", "控制字符"),
            ({"身份证号": 370102197501040012}, "身份证号", "3701**********0000", "须以文本格式填写"),
            ({"身份证号": "37010219750104"}, "身份证号", "3701******0104", "应为 18 位"),
            ({"身份证号": "990102197501040011"}, "身份证号", "9901**********0011", "省级行政区划代码"),
            (
                {"申报职业（工种）等级": "钳工 三级/高级工"},
                "申报职业（工种）等级",
                "钳工 三级/高级工",
                "不是本批次公布的",
            ),
            ({"申报类型": ""}, "申报类型", "", "必填"),
            ({"申报类型": "破格"}, "破格依据", "", "破格申报须填写破格依据。"),
            ({"破格依据": "省赛第一"}, "破格依据", "省赛第一", "正常申报不填破格依据"),
            ({"证书类别": ""}, "证书类别", "", "填写了证书信息时，证书类别必填。"),
            ({"证书等级": ""}, "证书等级", "", "证书等级必填"),
            ({"证书等级": "特级"}, "证书等级", "特级", "等级应为"),
            ({"证书类别": "专业技术职务（职称）证书"}, "证书等级", "五级/初级工", "职称证书的等级应为"),
            ({"发证日期": ""}, "发证日期", "", "发证日期必填"),
            ({"是否在校学生": "也许"}, "是否在校学生", "也许", "应为：是、否"),
            ({"工作简历": "长" * 4001}, "工作简历", "长" * 60 + "…", "最多 4000 个字符"),
        ]
        rows = []
        for i, (over, *_rest) in enumerate(cases, start=1):
            rows.append(person_row(i, offering=label, **over))
        result = self.run_import(xlsx(rows))
        assert not result.written
        by_row = {r.row: r.errors for r in result.rows}
        for i, (_over, column, value, reason) in enumerate(cases, start=1):
            errors = by_row[i + 1]
            assert len(errors) == 1, (i + 1, errors)
            [e] = errors
            assert (e.row, e.column, e.value) == (i + 1, column, value), (e, column, value)
            assert reason in e.reason, (e.reason, reason)
        assert Application.objects.count() == 0

    def test_same_person_twice_is_an_error_on_both_rows(self) -> None:
        rows = self.rows(3)
        rows[2]["身份证号"] = rows[0]["身份证号"]
        rows[2]["工号"] = rows[0]["工号"]
        result = self.run_import(xlsx(rows), mode="good_rows_only")
        assert self.errors_of(result) == [
            (2, "身份证号", "与第 4 行是同一人：每人每批次限申报 1 个职业（工种）（R3.2）。"),
            (4, "身份证号", "与第 2 行是同一人：每人每批次限申报 1 个职业（工种）（R3.2）。"),
        ]
        assert [r.status for r in result.rows] == ["error", "created", "error"]

    def test_same_employee_number_for_two_people_is_an_error_on_both(self) -> None:
        rows = self.rows(2)
        rows[1]["工号"] = rows[0]["工号"]
        result = self.run_import(xlsx(rows))
        assert [(e.row, e.column) for e in result.errors] == [(2, "工号"), (3, "工号")]

    def test_lenient_forms_are_accepted(self) -> None:
        row = person_row(
            1,
            offering=" 车工  四级/中级工 ",
            性别="男",
            出生日期=birth(1).strftime("%Y年%m月%d日"),
            毕业时间="1995.07",
            参加工作时间="19960801",
            身份证号=" " + id_number(1).lower() + " ",
            工号=1001,
            联系电话=13800138000,
            证书类别="技能等级",
            证书等级="初级工",
            申报类型="破格申报",
            破格依据="省级技能竞赛第一名；全国五一劳动奖章",
            岗位年限="5年",
        )
        result = self.run_import(xlsx([row]))
        assert result.ok, result.errors
        app = Application.objects.get()
        assert app.graduated_on == date(1995, 7, 1) and app.work_started_on == date(1996, 8, 1)
        assert app.employee is not None and app.employee.employee_no == "1001"
        assert app.is_exceptional and app.exceptional_grounds == ["省级技能竞赛第一名", "全国五一劳动奖章"]
        assert app.reveal_phone() == "13800138000"


class TestWindow(ImportCase):
    def test_closed_registration_is_refused_with_the_dates(self) -> None:
        today = timezone.localdate()
        Round.objects.filter(pk=self.round.pk).update(
            registration_opens=today - timedelta(days=30), registration_closes=today - timedelta(days=1)
        )
        self.round.refresh_from_db()
        with pytest.raises(RuleViolation) as caught:
            self.run_import(xlsx(self.rows(1)))
        assert caught.value.rule == "R2.1"
        assert str(today - timedelta(days=1)) in caught.value.message
        assert str(today - timedelta(days=30)) in caught.value.message
        assert Application.objects.count() == 0

    def test_not_yet_open_is_refused(self) -> None:
        today = timezone.localdate()
        Round.objects.filter(pk=self.round.pk).update(
            registration_opens=today + timedelta(days=1), registration_closes=today + timedelta(days=9)
        )
        self.round.refresh_from_db()
        with pytest.raises(RuleViolation, match=str(today + timedelta(days=1))):
            self.run_import(xlsx(self.rows(1)))

    def test_unpublished_round_is_refused(self) -> None:
        Round.objects.filter(pk=self.round.pk).update(status=RoundStatus.DRAFT)
        self.round.refresh_from_db()
        with pytest.raises(RuleViolation, match="未发布"):
            self.run_import(xlsx(self.rows(1)))


class TestRace(ImportCase):
    def test_a_person_registered_meanwhile_refuses_the_import_cleanly(self) -> None:
        from unittest import mock

        from skillcert.enrollment.services import imports

        real = imports._Plan.evaluate

        def meanwhile(plan: imports._Plan, **kwargs: Any) -> None:
            person = PersonFactory(name="测试2")
            person.set_id_number(id_number(2))
            person.save()
            real(plan, **kwargs)

        with (
            mock.patch.object(imports._Plan, "evaluate", meanwhile),
            pytest.raises(RuleViolation, match="同时修改"),
        ):
            self.run_import(xlsx(self.rows(3)))
        assert Application.objects.count() == 0
        assert Employee.objects.filter(employee_no__startswith="T0").count() == 0
