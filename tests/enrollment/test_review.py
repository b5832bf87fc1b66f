"""The eligibility review services (R3.3, R3.2): every refusal of approval, decisions, confirmations, export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import pytest

from skillcert.core.documents import read_xlsx
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent, User
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationFlag,
    ApplicationStatus,
    Eligibility,
    FlagSeverity,
)
from skillcert.enrollment.services import review
from skillcert.enrollment.services.evaluation import application_evaluate
from skillcert.rounds.models import RoundOffering
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, CertificateFactory, OfferingFactory, RoundFactory
from tests.factories import PersonFactory


def make_app(offering: RoundOffering, *, evaluate: bool = True, **kwargs: Any) -> Application:
    """A submitted application whose post matches the occupation (clean unless told otherwise)."""
    kwargs.setdefault("current_post", offering.occupation.name)
    kwargs.setdefault("status", ApplicationStatus.SUBMITTED)
    app: Application = ApplicationFactory(offering=offering, **kwargs)
    return application_evaluate(application=app) if evaluate else app


def confirm_case(offering: RoundOffering) -> tuple[Application, ApplicationCertificate]:
    """5 years in the occupation and a level-5 certificate of an unknown occupation: a person must say."""
    app = make_app(offering, evaluate=False, occupation_years=Decimal("5"))
    cert: ApplicationCertificate = CertificateFactory(
        application=app, occupation_name="无关工种", level=5, issued_on=date(2015, 1, 1)
    )
    return application_evaluate(application=app), cert


def events(action: str, obj: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_id=str(obj.pk)))


class ReviewCase(AccessCase):
    offering: ClassVar[RoundOffering]
    reviewer: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.offering = OfferingFactory(round__enterprise=cls.w.ent_a)
        cls.reviewer = cls.w.users["staff"]

    def refusal(self, app: Application, **kwargs: Any) -> RuleViolation:
        with pytest.raises(RuleViolation) as caught:
            review.application_approve(application=app, actor=self.reviewer, **kwargs)
        app.refresh_from_db()
        assert app.status == ApplicationStatus.SUBMITTED
        return caught.value


class TestApprove(ReviewCase):
    def test_clean_eligible_application_is_approved_and_audited(self) -> None:
        app = make_app(self.offering)
        assert (app.eligibility, app.blocking_flags, app.warning_flags, app.post_mismatch) == (
            Eligibility.ELIGIBLE,
            0,
            0,
            False,
        )
        review.application_approve(application=app, actor=self.reviewer)
        app.refresh_from_db()
        assert app.status == ApplicationStatus.APPROVED
        assert app.reviewed_by == self.reviewer and app.reviewed_at is not None
        [event] = events("application.approve", app)
        assert event.actor_id == self.reviewer.pk and event.summary["eligibility"] == "eligible"

    def test_blocking_flags_refuse_and_are_named(self) -> None:
        app = make_app(self.offering, sex="F")  # the person's ID number says male
        assert app.blocking_flags >= 1
        exc = self.refusal(app)
        assert exc.rule == "R3.3"
        assert "须更正的问题" in exc.message
        flag = ApplicationFlag.objects.get(application=app, code="id.sex_mismatch")
        assert flag.message in exc.message

    def test_ineligible_refuses_with_the_reason(self) -> None:
        app = make_app(self.offering, occupation_years=Decimal("1"))
        assert app.eligibility == Eligibility.INELIGIBLE
        exc = self.refusal(app)
        assert exc.rule == "R3.3"
        assert exc.message.startswith("不符合申报条件")
        assert "不足 6 年" in exc.message

    def test_not_yet_evaluated_refuses(self) -> None:
        app = make_app(self.offering, evaluate=False)
        exc = self.refusal(app)
        assert exc.rule == "R3.3" and "尚未核算" in exc.message

    def test_confirm_needs_the_reviewers_note(self) -> None:
        app, _cert = confirm_case(self.offering)
        assert app.eligibility == Eligibility.CONFIRM
        exc = self.refusal(app)
        assert exc.rule == "R3.3" and exc.field == "confirm_note"
        assert "需人工确认" in exc.message
        exc = self.refusal(app, confirm_note="   ")
        assert exc.field == "confirm_note"
        review.application_approve(
            application=app, actor=self.reviewer, confirm_note="已核对证书原件，属相关职业"
        )
        app.refresh_from_db()
        assert app.status == ApplicationStatus.APPROVED
        assert "已核对证书原件" in app.review_reason
        [event] = events("application.approve", app)
        assert event.summary["confirm_note"] == "已核对证书原件，属相关职业"

    def test_post_mismatch_refuses_until_overridden(self) -> None:
        app = make_app(self.offering, current_post="厨师")
        assert app.post_mismatch and app.eligibility == Eligibility.ELIGIBLE
        exc = self.refusal(app)
        assert exc.rule == "R3.2"
        assert "厨师" in exc.message and self.offering.occupation.name in exc.message
        review.post_mismatch_override(
            application=app, actor=self.reviewer, reason="实际从事该职业工作，岗位名称未更新"
        )
        review.application_approve(application=app, actor=self.reviewer)
        app.refresh_from_db()
        assert app.status == ApplicationStatus.APPROVED

    def test_unconfirmed_warnings_refuse_and_are_named(self) -> None:
        app = make_app(self.offering, phone="")
        flag = ApplicationFlag.objects.get(application=app, severity=FlagSeverity.WARN)
        exc = self.refusal(app)
        assert exc.rule == "R3.3" and "未核实" in exc.message and flag.message in exc.message
        review.flag_confirm(flag=flag, actor=self.reviewer, note="电话核实：座机可联系")
        review.application_approve(application=app, actor=self.reviewer)
        app.refresh_from_db()
        assert app.status == ApplicationStatus.APPROVED

    def test_only_submitted_applications_can_be_approved(self) -> None:
        app = make_app(self.offering, status=ApplicationStatus.DRAFT)
        with pytest.raises(RuleViolation) as caught:
            review.application_approve(application=app, actor=self.reviewer)
        assert caught.value.rule == "R3.3" and "草稿" in caught.value.message

    def test_a_reviewer_never_decides_their_own_application(self) -> None:
        person = PersonFactory(user=self.reviewer)
        app = make_app(self.offering, person=person)
        exc = self.refusal(app)
        assert "本人" in exc.message
        with pytest.raises(RuleViolation):
            review.application_reject(application=app, actor=self.reviewer, reason="理由")

    def test_approval_problems_lists_every_problem(self) -> None:
        app = make_app(self.offering, occupation_years=Decimal("1"), current_post="厨师", phone="", sex="F")
        rules = [p.rule for p in review.approval_problems(application=app)]
        assert rules == ["R3.3", "R3.3", "R3.2", "R3.3"]


class TestRejectAndReturn(ReviewCase):
    def test_reject_needs_a_reason(self) -> None:
        app = make_app(self.offering)
        for blank in ("", "   "):
            with pytest.raises(RuleViolation) as caught:
                review.application_reject(application=app, actor=self.reviewer, reason=blank)
            assert caught.value.field == "reason" and "不予通过的理由" in caught.value.message
        review.application_reject(application=app, actor=self.reviewer, reason="  提供的证书经查询不存在 ")
        app.refresh_from_db()
        assert app.status == ApplicationStatus.REJECTED
        assert app.review_reason == "提供的证书经查询不存在"
        [event] = events("application.reject", app)
        assert event.summary["reason"] == "提供的证书经查询不存在"

    def test_return_needs_a_reason_and_lets_the_candidate_resubmit(self) -> None:
        app = make_app(self.offering, sex="F")
        with pytest.raises(RuleViolation) as caught:
            review.application_return(application=app, actor=self.reviewer, reason="")
        assert caught.value.field == "reason" and "退回修改的理由" in caught.value.message
        review.application_return(application=app, actor=self.reviewer, reason="性别与身份证号不符，请更正")
        app.refresh_from_db()
        assert app.status == ApplicationStatus.RETURNED
        assert app.review_reason == "性别与身份证号不符，请更正"
        app.require_transition(ApplicationStatus.SUBMITTED)  # the candidate may send it again
        assert events("application.return", app)

    def test_a_decided_application_cannot_be_decided_again(self) -> None:
        app = make_app(self.offering)
        review.application_reject(application=app, actor=self.reviewer, reason="不符合")
        with pytest.raises(RuleViolation) as caught:
            review.application_return(application=app, actor=self.reviewer, reason="再看看")
        assert "不予通过" in caught.value.message

    def test_reason_length_is_bounded(self) -> None:
        app = make_app(self.offering)
        with pytest.raises(RuleViolation) as caught:
            review.application_reject(application=app, actor=self.reviewer, reason="长" * 501)
        assert caught.value.field == "reason"


class TestConfirmations(ReviewCase):
    def test_flag_confirm_records_who_when_and_why(self) -> None:
        app = make_app(self.offering, phone="")
        flag = ApplicationFlag.objects.get(application=app, severity=FlagSeverity.WARN)
        with pytest.raises(RuleViolation) as caught:
            review.flag_confirm(flag=flag, actor=self.reviewer, note=" ")
        assert caught.value.field == "note"
        review.flag_confirm(flag=flag, actor=self.reviewer, note="已电话联系本人")
        flag.refresh_from_db()
        assert (
            flag.confirmed_by == self.reviewer and flag.confirmed_at and flag.confirm_note == "已电话联系本人"
        )
        [event] = events("application.flag_confirm", app)
        assert event.summary["code"] == flag.code
        with pytest.raises(RuleViolation, match="已核实"):
            review.flag_confirm(flag=flag, actor=self.reviewer, note="再次")

    def test_a_confirmation_survives_reevaluation(self) -> None:
        app = make_app(self.offering, phone="")
        flag = ApplicationFlag.objects.get(application=app, severity=FlagSeverity.WARN)
        review.flag_confirm(flag=flag, actor=self.reviewer, note="已电话联系本人")
        review.application_reevaluate(application=app, actor=self.reviewer)
        again = ApplicationFlag.objects.get(application=app, severity=FlagSeverity.WARN)
        assert again.confirmed_at is not None and again.confirm_note == "已电话联系本人"

    def test_blocking_flags_cannot_be_confirmed(self) -> None:
        app = make_app(self.offering, sex="F")
        flag = ApplicationFlag.objects.filter(application=app, severity=FlagSeverity.BLOCK).first()
        assert flag is not None
        with pytest.raises(RuleViolation) as caught:
            review.flag_confirm(flag=flag, actor=self.reviewer, note="看过了")
        assert caught.value.rule == "R3.3" and "须由申报人更正" in caught.value.message

    def test_post_override_needs_a_mismatch_and_a_reason(self) -> None:
        clean = make_app(self.offering)
        with pytest.raises(RuleViolation) as caught:
            review.post_mismatch_override(application=clean, actor=self.reviewer, reason="理由")
        assert caught.value.rule == "R3.2"
        app = make_app(self.offering, current_post="厨师")
        with pytest.raises(RuleViolation) as caught:
            review.post_mismatch_override(application=app, actor=self.reviewer, reason="")
        assert caught.value.field == "reason"
        review.post_mismatch_override(application=app, actor=self.reviewer, reason="车间调岗，实际从事本职业")
        app.refresh_from_db()
        assert (
            app.post_override_reason == "车间调岗，实际从事本职业" and app.post_override_by == self.reviewer
        )
        assert events("application.post_override", app)

    def test_relation_confirm_evaluates_again(self) -> None:
        app, cert = confirm_case(self.offering)
        assert app.eligibility == Eligibility.CONFIRM
        app = review.certificate_relation_confirm(
            certificate=cert, actor=self.reviewer, relation="related", note="同属机械加工类"
        )
        cert.refresh_from_db()
        assert cert.relation_confirmed == "related"
        assert app.eligibility == Eligibility.ELIGIBLE
        app.refresh_from_db()
        assert app.eligibility == Eligibility.ELIGIBLE
        [event] = events("application.certificate_relation", app)
        assert event.summary["eligibility_before"] == "confirm"
        assert event.summary["eligibility_after"] == "eligible"
        app = review.certificate_relation_confirm(certificate=cert, actor=self.reviewer, relation="unrelated")
        assert app.eligibility == Eligibility.INELIGIBLE

    def test_relation_must_be_one_of_three(self) -> None:
        _app, cert = confirm_case(self.offering)
        with pytest.raises(RuleViolation) as caught:
            review.certificate_relation_confirm(certificate=cert, actor=self.reviewer, relation="maybe")
        assert caught.value.field == "relation"

    def test_reevaluate_picks_up_changed_data(self) -> None:
        app = make_app(self.offering, occupation_years=Decimal("1"))
        assert app.eligibility == Eligibility.INELIGIBLE
        Application.objects.filter(pk=app.pk).update(occupation_years=Decimal("9"))
        app = review.application_reevaluate(application=app, actor=self.reviewer)
        assert app.eligibility == Eligibility.ELIGIBLE
        [event] = events("application.evaluate", app)
        assert (event.summary["eligibility_before"], event.summary["eligibility_after"]) == (
            "ineligible",
            "eligible",
        )


class TestBulkApprove(ReviewCase):
    def test_only_clean_eligible_ones_are_approved_and_the_rest_explained(self) -> None:
        clean = [make_app(self.offering) for _ in range(3)]
        blocking = make_app(self.offering, sex="F")
        ineligible = make_app(self.offering, occupation_years=Decimal("1"))
        confirm, _cert = confirm_case(self.offering)
        mismatch = make_app(self.offering, current_post="厨师")
        warned = make_app(self.offering, phone="")
        overridden = make_app(self.offering, current_post="钳工")
        review.post_mismatch_override(application=overridden, actor=self.reviewer, reason="岗位名称未更新")
        already = make_app(self.offering)
        review.application_approve(application=already, actor=self.reviewer)
        elsewhere = make_app(OfferingFactory(round=RoundFactory(enterprise=self.w.ent_a)))

        ids = [
            a.pk
            for a in (*clean, blocking, ineligible, confirm, mismatch, warned, overridden, already, elsewhere)
        ]
        result = review.application_bulk_approve(
            actor=self.reviewer, round=self.offering.round, ids=[*ids, ids[0]]
        )

        assert sorted(a.pk for a in result.approved) == sorted([*(a.pk for a in clean), overridden.pk])
        reasons = {s.pk: s.reason for s in result.skipped}
        assert set(reasons) == {
            blocking.pk,
            ineligible.pk,
            confirm.pk,
            mismatch.pk,
            warned.pk,
            already.pk,
            elsewhere.pk,
        }
        assert "须更正" in reasons[blocking.pk]
        assert "不符合申报条件" in reasons[ineligible.pk]
        assert "需人工确认" in reasons[confirm.pk]
        assert "R3.2" in reasons[mismatch.pk]
        assert "未核实" in reasons[warned.pk]
        assert "审核通过" in reasons[already.pk]
        assert "不属于本认定批次" in reasons[elsewhere.pk]
        assert Application.objects.filter(pk=elsewhere.pk, status=ApplicationStatus.SUBMITTED).exists()
        bulk_events = AuditEvent.objects.filter(action="application.approve", summary__bulk=True)
        assert bulk_events.count() == 4


class TestExport(ReviewCase):
    def test_approved_list_is_masked_and_audited(self) -> None:
        approved = make_app(self.offering, employment_type="dispatched")
        review.application_approve(application=approved, actor=self.reviewer)
        make_app(self.offering)  # submitted, not in the list
        data = review.approved_export(round=self.offering.round, actor=self.reviewer)
        rows = read_xlsx(data)
        assert rows[0] == [
            "序号",
            "姓名",
            "性别",
            "身份证号",
            "职业",
            "工种",
            "等级",
            "人员来源",
            "文化程度",
            "现岗位",
            "审核时间",
        ]
        assert rows[1][:4] == [1, approved.name, "男", approved.person.id_number_masked]
        assert "*" in rows[1][3]
        assert rows[1][4] == self.offering.occupation.name
        assert rows[1][6] == "四级/中级工" and rows[1][7] == "劳务派遣"
        assert rows[2] == [""] * 11  # one data row, then the notes
        full = approved.person.reveal_id_number()
        assert all(full not in str(cell) for row in rows for cell in row)
        assert any("脱敏" in str(row[0]) for row in rows[2:])
        [event] = AuditEvent.objects.filter(action="export.approved")
        assert event.summary == {"rows": 1, "masked": True}
        assert event.object_id == str(self.offering.round.pk)
