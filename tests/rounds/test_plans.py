"""The assessment plan (R4), the certification plan and its confirmation (R5), and the 10-working-day rule."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skillcert.catalog.models import ModuleKind, StandardModule
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.core.services.calendar import calendar_year_enter, calendar_year_load
from skillcert.rounds import plan_documents
from skillcert.rounds import services_plans as sp
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.plans import CertificationPlanStatus, EvaluationMethod, PlanAmendment
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, OfferingFactory
from tests.rounds.helpers import pdf_text

PDF = b"%PDF-1.4\n%scan\n"
GOOD = sp.MethodData(
    method=EvaluationMethod.EXAMINATION,
    weight_theory=30,
    weight_practical=70,
    weight_ability=40,
    weight_performance=30,
    weight_ethics=15,
    weight_craftsmanship=15,
)
PLAN = sp.PlanData(
    sites="济南市历城区工业北路1号 实训楼",
    schedule="理论知识考试：首日上午；操作技能考核：首日下午起。",
    process="资格审核、理论考试、技能考核、成绩汇总、公示、发证。",
    room_setup="理论考场2个（每场30人）；实操考场3个。",
    staff_exam=6,
    staff_assessors=9,
    staff_supervisors=2,
    contingency="停电、设备故障时启用备用考场。",
    contact_name="王老师",
    contact_phone="0531-88880000",
)


def modules(offering: RoundOffering, *kinds: str) -> None:
    for kind in kinds:
        StandardModule.objects.get_or_create(standard=offering.standard, level=offering.level, kind=kind)


class PlanCase(AccessCase):
    """Enterprise A's round with two offerings (theory + practical modules) and approved candidates."""

    first_day = date(2026, 3, 2)

    def setUp(self) -> None:
        self.owner = self.w.users["owner"]
        self.o1 = OfferingFactory(
            round__enterprise=self.w.ent_a,
            round__registration_opens=self.first_day - timedelta(days=60),
            round__registration_closes=self.first_day - timedelta(days=40),
            round__evaluation_starts=self.first_day,
            round__evaluation_ends=self.first_day + timedelta(days=5),
        )
        self.round: Round = self.o1.round
        self.o2 = OfferingFactory(round=self.round, level=3)
        modules(self.o1, ModuleKind.THEORY, ModuleKind.PRACTICAL)
        modules(self.o2, ModuleKind.THEORY, ModuleKind.PRACTICAL)
        ApplicationFactory(offering=self.o1, status="approved", employment_type="正式在岗")
        ApplicationFactory(offering=self.o1, status="approved", employment_type="劳务派遣")
        ApplicationFactory(offering=self.o2, status="approved", employment_type="正式在岗")
        ApplicationFactory(offering=self.o2, status="submitted", employment_type="外包")

    def complete_plan(self) -> None:
        sp.assessment_plan_save(actor=self.owner, round=self.round, data=PLAN)
        for o in (self.o1, self.o2):
            sp.plan_method_save(actor=self.owner, round=self.round, offering=o, data=GOOD)

    def ready(self) -> None:
        self.complete_plan()
        sp.pledge_upload(actor=self.owner, round=self.round, upload=SimpleUploadedFile("p.pdf", PDF))

    def load_2026(self) -> None:
        calendar_year_load(actor=None, year=2026)


class TestPlanValidation(PlanCase):
    def test_module_weights_must_add_up_to_100(self) -> None:
        bad = sp.MethodData(**{**GOOD.__dict__, "weight_practical": 60})
        with pytest.raises(RuleViolation) as e:
            sp.plan_method_save(actor=self.owner, round=self.round, offering=self.o1, data=bad)
        assert e.value.rule == "R4.2" and e.value.field == "weight_theory" and "90" in e.value.message

    def test_content_weights_must_add_up_to_100(self) -> None:
        bad = sp.MethodData(**{**GOOD.__dict__, "weight_ethics": 5})
        with pytest.raises(RuleViolation) as e:
            sp.plan_method_save(actor=self.owner, round=self.round, offering=self.o1, data=bad)
        assert e.value.field == "weight_ability" and "工匠精神" in e.value.message

    def test_missing_module_weight_is_named(self) -> None:
        bad = sp.MethodData(**{**GOOD.__dict__, "weight_practical": None})
        with pytest.raises(RuleViolation) as e:
            sp.plan_method_save(actor=self.owner, round=self.round, offering=self.o1, data=bad)
        assert e.value.field == "weight_practical"

    def test_direct_recognition_needs_its_grounds(self) -> None:
        with pytest.raises(RuleViolation) as e:
            sp.plan_method_save(
                actor=self.owner,
                round=self.round,
                offering=self.o1,
                data=sp.MethodData(method=EvaluationMethod.DIRECT),
            )
        assert e.value.field == "direct_grounds"
        row = sp.plan_method_save(
            actor=self.owner,
            round=self.round,
            offering=self.o1,
            data=sp.MethodData(
                method=EvaluationMethod.DIRECT, direct_grounds="省级技能大赛一等奖", weight_ability=50
            ),
        )
        assert row.weight_ability == 0 and row.direct_grounds == "省级技能大赛一等奖"

    def test_every_offering_needs_a_method(self) -> None:
        sp.assessment_plan_save(actor=self.owner, round=self.round, data=PLAN)
        sp.plan_method_save(actor=self.owner, round=self.round, offering=self.o1, data=GOOD)
        problems = sp.plan_problems(round=self.round)
        assert problems == [f"“{self.o2}”尚未确定评价方式。"]
        sp.plan_method_save(actor=self.owner, round=self.round, offering=self.o2, data=GOOD)
        assert sp.plan_problems(round=self.round) == []

    def test_typed_sections_are_required(self) -> None:
        sp.assessment_plan_save(actor=self.owner, round=self.round, data=sp.PlanData())
        problems = " ".join(sp.plan_problems(round=self.round))
        for word in ("评价地点", "考场设置", "应急预案", "联系人", "工作人员安排"):
            assert word in problems

    def test_offering_of_another_round_is_refused(self) -> None:
        other = OfferingFactory(round__enterprise=self.w.ent_a)
        with pytest.raises(RuleViolation):
            sp.plan_method_save(actor=self.owner, round=self.round, offering=other, data=GOOD)

    def test_saves_are_audited(self) -> None:
        self.complete_plan()
        actions = list(AuditEvent.objects.values_list("action", flat=True))
        assert actions.count("assessment_plan.update") == 1 and actions.count("plan_method.set") == 2


class TestPlanDocuments(PlanCase):
    def test_counts_by_source_and_occupation_are_approved_only(self) -> None:
        doc = plan_documents.plan_doc(round=self.round, today=date(2026, 1, 5))
        assert doc.total == 3
        assert doc.by_source == (("正式在岗", 2), ("劳务派遣", 1), ("外包", 0))
        assert [n for _o, n in doc.by_occupation] == [2, 1] or [n for _o, n in doc.by_occupation] == [1, 2]
        assert "正式在岗2人、劳务派遣1人" in doc.applicants_sentence

    def test_sources_given_as_codes_count_under_their_chinese_names(self) -> None:
        # The online form stores the employee record's code; the import stores the label.
        self.round.applications.filter(employment_type="劳务派遣").update(employment_type="dispatched")
        self.round.applications.filter(employment_type="正式在岗").update(employment_type="regular")
        doc = plan_documents.plan_doc(round=self.round, today=date(2026, 1, 5))
        assert doc.by_source == (("正式在岗", 2), ("劳务派遣", 1), ("外包", 0))

    def test_docx_opens_and_has_every_section(self) -> None:
        self.complete_plan()
        data = plan_documents.plan_docx(plan_documents.plan_doc(round=self.round, today=date(2026, 1, 5)))
        from docx import Document

        text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        assert self.w.ent_a.name in text
        for n, title in enumerate(
            [
                "评价职业、等级",
                "申报条件",
                "评价时间、地点",
                "评价内容、方式及评价流程",
                "报名人员总体情况",
                "考场设置",
                "工作人员安排",
                "应急预案",
                "联系人及电话",
            ],
            start=1,
        ):
            assert f"{'一二三四五六七八九'[n - 1]}、{title}" in text
        assert "考核鉴定" in text and "职业能力40%" in text and "考评人员9人" in text
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert 'w:eastAsia="宋体"' in z.read("word/styles.xml").decode()

    def test_pdf_renders(self) -> None:
        self.complete_plan()
        pdf = plan_documents.plan_pdf(plan_documents.plan_doc(round=self.round, today=date(2026, 1, 5)))
        assert pdf.startswith(b"%PDF")
        text = pdf_text(pdf).replace(" ", "")
        assert "九、联系人及电话" in text and "考核方案" in text

    def test_pledge_carries_the_plan_name(self) -> None:
        pdf = plan_documents.pledge_pdf(plan_name="2026年第1批认定计划", enterprise_name=self.w.ent_a.name)
        text = pdf_text(pdf).replace(" ", "")
        assert "2026年第1批认定计划" in text and "承诺书" in text


class TestSubmission(PlanCase):
    def test_submit_needs_plan_pledge_and_candidates(self) -> None:
        self.load_2026()
        today = date(2026, 2, 2)
        with pytest.raises(RuleViolation) as e:
            sp.certification_plan_submit(actor=self.owner, round=self.round, today=today)
        assert e.value.rule == "R4.1"
        self.complete_plan()
        with pytest.raises(RuleViolation) as e:
            sp.certification_plan_submit(actor=self.owner, round=self.round, today=today)
        assert e.value.field == "scan"
        sp.pledge_upload(actor=self.owner, round=self.round, upload=SimpleUploadedFile("p.pdf", PDF))
        cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=today)
        assert cert.status == CertificationPlanStatus.SUBMITTED
        assert cert.candidate_count == 3 and len(cert.candidate_ids) == 3
        assert cert.first_day == self.first_day

    def test_pledge_must_be_a_scan(self) -> None:
        with pytest.raises(RuleViolation) as e:
            sp.pledge_upload(
                actor=self.owner, round=self.round, upload=SimpleUploadedFile("p.txt", b"hello world")
            )
        assert e.value.field == "scan"
        cert = sp.pledge_upload(
            actor=self.owner, round=self.round, upload=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\nxx")
        )
        assert cert.pledge_scan_type == "image/png"

    def test_spring_festival_working_saturdays_count(self) -> None:
        """First day Mon 2026-03-02: back over 02-28 (Sat, worked), the holiday 02-15…02-23, 02-14 (Sat, worked)."""
        self.load_2026()
        self.ready()
        assert sp.submission_deadline(self.first_day) == date(2026, 2, 10)
        with pytest.raises(RuleViolation) as e:
            sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 11))
        assert e.value.rule == "R5.1"
        assert "2026年3月2日" in e.value.message and "2026年2月10日" in e.value.message
        assert "2026年3月3日" in e.value.message  # the earliest first day when submitting on 02-11
        cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 10))
        assert cert.status == CertificationPlanStatus.SUBMITTED

    def test_national_day_week_counts(self) -> None:
        """First day Mon 2026-10-12: 10-10 (Sat) is worked, 10-01…10-07 and 09-25 (中秋) are off."""
        self.load_2026()
        deadline = sp.submission_deadline(date(2026, 10, 12))
        assert deadline == date(2026, 9, 21)
        assert sp.earliest_first_day(date(2026, 9, 21)) == date(2026, 10, 11)  # a Sunday: 10-10 is worked
        assert sp.earliest_first_day(date(2026, 9, 22)) == date(2026, 10, 13)

    def test_2027_without_calendar_is_a_clear_error_then_works(self) -> None:
        Round.objects.filter(pk=self.round.pk).update(
            evaluation_starts=date(2027, 3, 1), evaluation_ends=date(2027, 3, 5)
        )
        self.round.refresh_from_db()
        self.ready()
        with pytest.raises(RuleViolation) as e:
            sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2027, 1, 4))
        assert e.value.rule == "R5.3" and "2027年" in e.value.message and "工作日历" in e.value.message
        calendar_year_enter(
            actor=self.w.users["sysadmin"],
            year=2027,
            days=[(date(2027, 1, 1), False, "元旦"), (date(2027, 2, 8), False, "春节")],
            note="国务院办公厅关于2027年部分节假日安排的通知",
        )
        cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2027, 1, 4))
        assert cert.status == CertificationPlanStatus.SUBMITTED


class TestTransitions(PlanCase):
    def submitted(self) -> None:
        self.load_2026()
        self.ready()
        sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 2))

    def test_return_then_resubmit_then_confirm(self) -> None:
        self.submitted()
        cert = self.round.certification_plan
        with pytest.raises(RuleViolation):
            sp.certification_plan_return(actor=self.w.users["city"], plan=cert, reasons="  ")
        cert = sp.certification_plan_return(actor=self.w.users["city"], plan=cert, reasons="应急预案过于简单")
        assert cert.status == CertificationPlanStatus.RETURNED and cert.return_reasons == "应急预案过于简单"
        sp.assessment_plan_save(
            actor=self.owner,
            round=self.round,
            data=sp.PlanData(**{**PLAN.__dict__, "contingency": "详细预案"}),
        )
        cert = sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 3))
        assert cert.status == CertificationPlanStatus.SUBMITTED
        cert = sp.certification_plan_confirm(actor=self.w.users["city"], plan=cert)
        assert cert.status == CertificationPlanStatus.CONFIRMED
        with pytest.raises(RuleViolation) as e:
            sp.certification_plan_return(actor=self.w.users["city"], plan=cert, reasons="晚了")
        assert e.value.rule == "R5.2"

    def test_submitted_plan_is_frozen(self) -> None:
        self.submitted()
        with pytest.raises(RuleViolation) as e:
            sp.assessment_plan_save(actor=self.owner, round=self.round, data=PLAN)
        assert e.value.rule == "R5.2"
        with pytest.raises(RuleViolation):
            sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 3))

    def test_require_plan_confirmed(self) -> None:
        with pytest.raises(RuleViolation) as e:
            sp.require_plan_confirmed(round=self.round, action="打印准考证")
        assert e.value.rule == "R5.2" and e.value.message == "认定计划尚未经人社部门确认，不能打印准考证。"
        self.submitted()
        with pytest.raises(RuleViolation):
            sp.require_plan_confirmed(round=self.round)
        sp.certification_plan_confirm(actor=self.w.users["city"], plan=self.round.certification_plan)
        sp.require_plan_confirmed(round=self.round)

    def test_amendments_after_confirmation(self) -> None:
        with pytest.raises(RuleViolation):
            sp.amendment_record(actor=self.owner, round=self.round, kind="withdrawal", description="张三退出")
        self.submitted()
        sp.certification_plan_confirm(actor=self.w.users["city"], plan=self.round.certification_plan)
        sp.amendment_record(actor=self.owner, round=self.round, kind="withdrawal", description="张三因病退出")
        with pytest.raises(RuleViolation) as e:
            sp.evaluation_date_move(
                actor=self.owner,
                round=self.round,
                new_start=date(2026, 3, 2) + timedelta(days=1),
                new_end=date(2026, 3, 9),
                reason="场地检修",
                today=date(2026, 2, 20),
            )
        assert e.value.rule == "R5.1" and e.value.field == "new_start"
        sp.evaluation_date_move(
            actor=self.owner,
            round=self.round,
            new_start=date(2026, 3, 16),
            new_end=date(2026, 3, 20),
            reason="场地检修",
            today=date(2026, 2, 27),
        )
        self.round.refresh_from_db()
        assert self.round.evaluation_starts == date(2026, 3, 16)
        assert PlanAmendment.objects.filter(plan__round=self.round).count() == 2
