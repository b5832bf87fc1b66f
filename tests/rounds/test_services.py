"""Round services: date rules, scope refusal (R1.5), publish completeness (R2.1), transitions, the window."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from skillcert.catalog.models import Standard, StandardKind
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.rounds import services
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from skillcert.rounds.services import RoundData, require_registration_open
from tests.base import AccessCase
from tests.filings.helpers import Catalogue, specification
from tests.rounds.helpers import end_scope, make_round, offer, round_data, scoped_catalogue

TODAY = date(2026, 12, 1)


class RoundCase(AccessCase):
    cat: Catalogue

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cat = scoped_catalogue(cls.w.ent_a)

    @property
    def owner(self):  # type: ignore[no-untyped-def]
        return self.w.users["owner"]

    def refused(self, rule: str, fn, **kwargs) -> RuleViolation:  # type: ignore[no-untyped-def]
        with pytest.raises(RuleViolation) as info:
            fn(**kwargs)
        assert info.value.rule == rule, info.value
        return info.value


class TestRoundCreate(RoundCase):
    def test_creates_a_draft_and_audits_it(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        assert rnd.status == RoundStatus.DRAFT and rnd.created_by == self.owner
        assert rnd.reference_on == rnd.registration_closes
        event = AuditEvent.objects.filter(action="round.create").latest("seq")
        assert event.object_id == str(rnd.pk) and event.organisation_id == self.w.ent_a.pk

    def test_strips_text(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY, name="  2026年第9批 ", contact_name=" 王老师 ")
        assert rnd.name == "2026年第9批" and rnd.contact_name == "王老师"

    def test_only_an_enterprise(self) -> None:
        self.refused(
            "R2.1", services.round_create, actor=None, enterprise=self.w.city, data=round_data(TODAY)
        )

    def check(self, field: str, words: str, **changes: object) -> None:
        exc = self.refused(
            "R2.1",
            services.round_create,
            actor=self.owner,
            enterprise=self.w.ent_a,
            data=round_data(TODAY, **changes),
        )
        assert exc.field == field, exc
        assert words in exc.message, exc.message

    def test_every_date_rule(self) -> None:
        d = round_data(TODAY)
        self.check("name", "批次名称", name="  ")
        self.check("name", "80", name="批" * 81)
        self.check(
            "registration_closes",
            "报名截止日期不能早于报名开始日期",
            registration_closes=d.registration_opens - timedelta(days=1),
        )
        self.check(
            "evaluation_starts",
            "评价开始日期不能早于报名截止日期",
            evaluation_starts=d.registration_closes - timedelta(days=1),
        )
        self.check(
            "evaluation_ends",
            "评价结束日期不能早于评价开始日期",
            evaluation_ends=d.evaluation_starts - timedelta(days=1),
        )
        self.check("evaluation_ends", "一年", evaluation_ends=d.evaluation_starts + timedelta(days=400))
        self.check(
            "reference_date", "不能晚于评价开始日期", reference_date=d.evaluation_starts + timedelta(days=1)
        )
        self.check("reference_date", "前一年", reference_date=d.registration_opens - timedelta(days=400))
        self.check("year", "年度", year=d.registration_opens.year - 2)
        self.check("contact_phone", "联系电话", contact_phone="打电话给我")
        self.check("content_methods", "4000", content_methods="字" * 4001)

    def test_boundaries_are_allowed(self) -> None:
        d = round_data(TODAY)
        same = replace(
            d,
            registration_closes=d.registration_opens,
            evaluation_starts=d.registration_opens,
            evaluation_ends=d.registration_opens,
            reference_date=d.registration_opens,
        )
        rnd = services.round_create(actor=self.owner, enterprise=self.w.ent_a, data=same)
        assert rnd.reference_on == d.registration_opens

    def test_year_of_evaluation_end_is_allowed(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY, year=round_data(TODAY).evaluation_ends.year)
        assert rnd.pk

    def test_name_unique_per_enterprise(self) -> None:
        make_round(self.owner, self.w.ent_a, TODAY)
        self.check("name", "已有名为", name=round_data(TODAY).name)
        other = services.round_create(actor=None, enterprise=self.w.ent_b, data=round_data(TODAY))
        assert other.name == round_data(TODAY).name


class TestRoundUpdate(RoundCase):
    def test_updates_changed_fields_only_and_audits(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        data = replace(RoundData.of(rnd), contact_phone="13800000000")
        rnd = services.round_update(actor=self.owner, round=rnd, data=data)
        assert Round.objects.get(pk=rnd.pk).contact_phone == "13800000000"
        event = AuditEvent.objects.filter(action="round.update").latest("seq")
        assert event.summary == {"fields": ["contact_phone"]}

    def test_unchanged_writes_nothing(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        before = AuditEvent.objects.count()
        services.round_update(actor=self.owner, round=rnd, data=RoundData.of(rnd))
        assert AuditEvent.objects.count() == before

    def test_only_while_draft(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        rnd = services.round_publish(actor=self.owner, round=rnd, today=TODAY)
        exc = self.refused(
            "R2.1",
            services.round_update,
            actor=self.owner,
            round=rnd,
            data=replace(RoundData.of(rnd), contact_name="李老师"),
        )
        assert "已发布" in exc.message

    def test_moving_the_evaluation_rechecks_the_scope(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        cutoff = rnd.evaluation_starts + timedelta(days=5)
        end_scope(self.w.ent_a, on=cutoff)
        later = replace(
            RoundData.of(rnd), evaluation_starts=cutoff, evaluation_ends=cutoff + timedelta(days=3)
        )
        exc = self.refused("R1.5", services.round_update, actor=self.owner, round=rnd, data=later)
        assert "焊工（电焊工）" in exc.message
        assert Round.objects.get(pk=rnd.pk).evaluation_starts == rnd.evaluation_starts


class TestOfferings(RoundCase):
    def setUp(self) -> None:
        self.rnd = make_round(self.owner, self.w.ent_a, TODAY)

    def test_adds_inside_scope_with_the_scope_items_standard(self) -> None:
        o = offer(self.owner, self.rnd, self.cat)
        assert o.standard == self.cat.welder_std and o.job_type == self.cat.electric_welder
        assert AuditEvent.objects.filter(action="round.offering_add").exists()

    def test_whole_occupation_item_covers_its_job_types(self) -> None:
        # 车工 is in scope without a job type; offering any of its levels is allowed.
        o = services.offering_add(
            actor=self.owner, round=self.rnd, occupation=self.cat.turner, job_type=None, level=2, quota=5
        )
        assert o.quota == 5

    def test_outside_the_scope_is_refused_with_r15(self) -> None:
        exc = self.refused(
            "R1.5",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.electrician,
            job_type=None,
            level=4,
        )
        d = self.rnd.evaluation_starts
        assert exc.message == (
            f"“电工”四级/中级工不在本企业 {d.year}年{d.month}月{d.day}日 有效的认定范围内，"
            "不能开展该职业（工种）等级的认定。"
        )
        assert not RoundOffering.objects.exists()

    def test_level_outside_the_scope(self) -> None:
        exc = self.refused(
            "R1.5",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.welder,
            job_type=self.cat.gas_welder,
            level=5,
        )
        assert "焊工（气焊工）" in exc.message

    def test_scope_ending_before_the_evaluation_is_refused(self) -> None:
        end_scope(self.w.ent_a, on=self.rnd.evaluation_starts)
        self.refused(
            "R1.5",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.welder,
            job_type=self.cat.electric_welder,
            level=4,
        )

    def test_job_type_of_another_occupation(self) -> None:
        exc = self.refused(
            "R1.2",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.turner,
            job_type=self.cat.electric_welder,
            level=4,
        )
        assert exc.field == "job_type"

    def test_level_not_ordinary(self) -> None:
        self.refused(
            "R1.2",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.turner,
            job_type=None,
            level=11,
        )

    def test_standard_must_be_one_the_enterprise_may_use(self) -> None:
        foreign = specification(self.w.ent_b, self.cat.turner)
        exc = self.refused(
            "R1.2",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.turner,
            job_type=None,
            level=4,
            standard=foreign,
        )
        assert exc.field == "standard" and "本企业备案的评价规范" in exc.message
        own = specification(self.w.ent_a, self.cat.turner)
        o = services.offering_add(
            actor=self.owner, round=self.rnd, occupation=self.cat.turner, job_type=None, level=4, standard=own
        )
        assert o.standard.kind == StandardKind.SPECIFICATION

    def test_standard_must_cover_occupation_and_level(self) -> None:
        exc = self.refused(
            "R1.2",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.turner,
            job_type=None,
            level=4,
            standard=self.cat.welder_std,
        )
        assert "不是职业“车工”的标准" in exc.message
        Standard.objects.filter(pk=self.cat.turner_std.pk).update(levels=[5, 4])
        self.cat.turner_std.refresh_from_db()
        exc = self.refused(
            "R1.2",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.turner,
            job_type=None,
            level=3,
            standard=self.cat.turner_std,
        )
        assert "未覆盖三级/高级工" in exc.message

    def test_standard_limited_to_job_types(self) -> None:
        self.cat.welder_std.job_types.add(self.cat.gas_welder)
        exc = self.refused(
            "R1.2",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.welder,
            job_type=self.cat.electric_welder,
            level=4,
        )
        assert "未覆盖工种“电焊工”" in exc.message

    def test_duplicate_and_quota(self) -> None:
        offer(self.owner, self.rnd, self.cat)
        exc = self.refused(
            "R2.1",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.welder,
            job_type=self.cat.electric_welder,
            level=4,
        )
        assert "本批次已有" in exc.message
        self.refused(
            "R2.1",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.turner,
            job_type=None,
            level=4,
            quota=0,
        )

    def test_remove_only_while_draft(self) -> None:
        o = offer(self.owner, self.rnd, self.cat)
        services.offering_remove(actor=self.owner, offering=o)
        assert not RoundOffering.objects.filter(pk=o.pk).exists()
        assert AuditEvent.objects.filter(action="round.offering_remove").exists()
        o = offer(self.owner, self.rnd, self.cat)
        services.round_publish(actor=self.owner, round=self.rnd, today=TODAY)
        self.refused("R2.1", services.offering_remove, actor=self.owner, offering=o)
        self.refused(
            "R2.1",
            services.offering_add,
            actor=self.owner,
            round=self.rnd,
            occupation=self.cat.turner,
            job_type=None,
            level=4,
        )


class TestPublish(RoundCase):
    def test_names_every_missing_part(self) -> None:
        rnd = make_round(
            self.owner,
            self.w.ent_a,
            TODAY,
            schedule_note="",
            content_methods="",
            registration_method="",
            contact_name="",
            contact_phone="",
        )
        exc = self.refused("R2.1", services.round_publish, actor=self.owner, round=rnd, today=TODAY)
        for part in ("时间安排", "认定职业（工种）等级", "评价内容和方式", "报名方式", "联系人", "联系电话"):
            assert part in exc.message, part
        assert Round.objects.get(pk=rnd.pk).status == RoundStatus.DRAFT

    def test_each_part_alone(self) -> None:
        for field, label in (
            ("schedule_note", "时间安排"),
            ("content_methods", "评价内容和方式"),
            ("registration_method", "报名方式"),
            ("contact_name", "联系人"),
            ("contact_phone", "联系电话"),
        ):
            rnd = make_round(self.owner, self.w.ent_a, TODAY, name=f"缺{label}", **{field: ""})
            offer(self.owner, rnd, self.cat)
            problems = services.publish_problems(round=rnd, today=TODAY)
            assert problems == [f"公告内容不完整，尚缺：{label}。"], problems

    def test_registration_already_closed(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        exc = self.refused(
            "R2.1",
            services.round_publish,
            actor=self.owner,
            round=rnd,
            today=rnd.registration_closes + timedelta(days=1),
        )
        assert "报名截止日期" in exc.message and "已过" in exc.message

    def test_rechecks_the_scope(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        end_scope(self.w.ent_a, on=rnd.evaluation_starts)
        exc = self.refused("R2.1", services.round_publish, actor=self.owner, round=rnd, today=TODAY)
        assert "不在本企业" in exc.message and "焊工（电焊工）" in exc.message

    def test_needs_the_conditions_of_each_level(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        Standard.objects.filter(pk=self.cat.welder_std.pk).update(rule_set=None)
        exc = self.refused("R2.1", services.round_publish, actor=self.owner, round=rnd, today=TODAY)
        assert "没有该等级的申报条件" in exc.message

    def test_publishes_and_stamps(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        assert services.publish_problems(round=rnd, today=TODAY) == []
        rnd = services.round_publish(actor=self.owner, round=rnd, today=TODAY)
        rnd.refresh_from_db()
        assert rnd.status == RoundStatus.PUBLISHED
        assert rnd.published_by == self.owner and rnd.published_at is not None
        assert AuditEvent.objects.filter(action="round.publish", object_id=str(rnd.pk)).exists()
        exc = self.refused("R2.1", services.round_publish, actor=self.owner, round=rnd, today=TODAY)
        assert "已发布" in exc.message


class TestCancel(RoundCase):
    def test_draft_and_published_may_be_cancelled_once(self) -> None:
        draft = make_round(self.owner, self.w.ent_a, TODAY, name="草稿批")
        services.round_cancel(actor=self.owner, round=draft, reason="计划调整")
        assert Round.objects.get(pk=draft.pk).status == RoundStatus.CANCELLED
        event = AuditEvent.objects.filter(action="round.cancel").latest("seq")
        assert event.summary["reason"] == "计划调整" and event.summary["from"] == "draft"

        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        services.round_publish(actor=self.owner, round=rnd, today=TODAY)
        services.round_cancel(actor=self.owner, round=rnd)
        exc = self.refused("R2.1", services.round_cancel, actor=self.owner, round=rnd)
        assert "已取消" in exc.message
        self.refused("R2.1", services.round_publish, actor=self.owner, round=rnd, today=TODAY)

    def test_reason_length(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        self.refused("R2.1", services.round_cancel, actor=self.owner, round=rnd, reason="因" * 501)


class TestRegistrationWindow(RoundCase):
    def test_before_inside_and_after(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        offer(self.owner, rnd, self.cat)
        rnd = services.round_publish(actor=self.owner, round=rnd, today=TODAY)
        opens, closes = rnd.registration_opens, rnd.registration_closes
        require_registration_open(round=rnd, on=opens)
        require_registration_open(round=rnd, on=TODAY)
        require_registration_open(round=rnd, on=closes)
        expected = (
            f"报名时间为 {opens.year}年{opens.month}月{opens.day}日 至 "
            f"{closes.year}年{closes.month}月{closes.day}日，当前不在报名期内"
        )
        for day in (opens - timedelta(days=1), closes + timedelta(days=1)):
            exc = self.refused("R2.1", require_registration_open, round=rnd, on=day)
            assert exc.message == expected

    def test_draft_and_cancelled_take_no_applications(self) -> None:
        rnd = make_round(self.owner, self.w.ent_a, TODAY)
        exc = self.refused("R2.1", require_registration_open, round=rnd, on=TODAY)
        assert "尚未发布" in exc.message
        services.round_cancel(actor=self.owner, round=rnd)
        rnd.refresh_from_db()
        exc = self.refused("R2.1", require_registration_open, round=rnd, on=TODAY)
        assert "已取消" in exc.message


def test_cn_date() -> None:
    assert services.cn_date(date(2027, 1, 5)) == "2027年1月5日"
    assert services.cn_date(None) == ""
