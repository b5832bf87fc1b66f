"""The scope-adjustment workflow: every allowed and refused move, what submission requires, the window (R1.3, R1.4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import transaction

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.filings import selectors
from skillcert.filings.models import (
    ADJUSTMENT_TRANSITIONS,
    TRANSITION_RULES,
    AdjustmentStatus,
    ScopeAdjustment,
    ScopeItem,
)
from skillcert.filings.services import adjustments as services
from skillcert.filings.services.filing import ScopeEntry
from tests.base import AccessCase
from tests.filings.helpers import (
    JUNE,
    MARCH,
    PDF_BYTES,
    catalogue,
    draft,
    equip,
    file_enterprise,
    specification,
)

S = AdjustmentStatus


class WorkflowCase(AccessCase):
    def setUp(self) -> None:
        c = self.cat = catalogue()
        file_enterprise(self.w.ent_a, [ScopeEntry(c.turner, None, 4)])
        file_enterprise(self.w.ent_b, [ScopeEntry(c.turner, None, 4)])
        equip(self.w.ent_a, [c.welder, c.electrician])
        self.owner, self.city = self.w.users["owner"], self.w.users["city"]

    def ready(self) -> ScopeAdjustment:
        """A draft that satisfies every submission rule."""
        c = self.cat
        return draft(self.owner, self.w.ent_a, adds=[ScopeEntry(c.welder, c.electric_welder, 4)])


class TestTransitions(WorkflowCase):
    def moves(self) -> dict[str, Callable[[ScopeAdjustment], ScopeAdjustment]]:
        owner, city = self.owner, self.city
        return {
            S.SUBMITTED: lambda a: services.adjustment_submit(actor=owner, adjustment=a, today=JUNE),
            S.RETURNED: lambda a: services.adjustment_return(actor=city, adjustment=a, reason="缺少场地照片"),
            S.DRAFT: lambda a: services.adjustment_reopen(actor=owner, adjustment=a),
            S.FORWARDED: lambda a: services.adjustment_forward(actor=city, adjustment=a),
            S.APPROVED: lambda a: services.adjustment_approve(
                actor=city, adjustment=a, document_no="人社鉴函〔2026〕7号", effective_on=date(2026, 7, 1)
            ),
            S.REFUSED: lambda a: services.adjustment_refuse(
                actor=city, adjustment=a, document_no="人社鉴函〔2026〕8号"
            ),
        }

    def test_the_table_is_the_documented_one(self) -> None:
        assert {
            S.DRAFT: {S.SUBMITTED},
            S.SUBMITTED: {S.RETURNED, S.FORWARDED},
            S.RETURNED: {S.DRAFT},
            S.FORWARDED: {S.APPROVED, S.REFUSED},
            S.APPROVED: set(),
            S.REFUSED: set(),
        } == ADJUSTMENT_TRANSITIONS

    def test_every_move_from_every_status(self) -> None:
        """36 pairs: the allowed ones succeed and audit; every other one is refused citing its rule."""
        moves = self.moves()
        checked = 0
        for start in S.values:
            for target, move in moves.items():
                with self.subTest(start=start, target=target), transaction.atomic():
                    adj = self.ready()
                    ScopeAdjustment.objects.filter(pk=adj.pk).update(status=start, submitted_on=JUNE)
                    adj.refresh_from_db()
                    events = AuditEvent.objects.count()
                    if target in ADJUSTMENT_TRANSITIONS[start]:
                        result = move(adj)
                        assert result.status == target
                        assert AuditEvent.objects.count() == events + 1
                        assert AuditEvent.objects.order_by("-seq").first().action.startswith("adjustment.")  # type: ignore[union-attr]
                    else:
                        with pytest.raises(RuleViolation) as exc:
                            move(adj)
                        assert exc.value.rule == TRANSITION_RULES[target]
                        assert ScopeAdjustment(status=start).get_status_display() in exc.value.message
                        adj.refresh_from_db()
                        assert adj.status == start
                        assert AuditEvent.objects.count() == events
                    transaction.set_rollback(True)
                checked += 1
        assert checked == 36

    def test_full_run_and_its_audit_trail(self) -> None:
        adj = self.ready()
        adj = services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        adj = services.adjustment_return(actor=self.city, adjustment=adj, reason="请补充考评员证书")
        assert adj.return_reason == "请补充考评员证书"
        adj = services.adjustment_reopen(actor=self.owner, adjustment=adj)
        adj = services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        adj = services.adjustment_forward(actor=self.city, adjustment=adj)
        adj = services.adjustment_approve(
            actor=self.city, adjustment=adj, document_no="人社鉴函〔2026〕9号", effective_on=date(2026, 7, 1)
        )
        assert adj.status == S.APPROVED and adj.ministry_doc_no == "人社鉴函〔2026〕9号"
        actions = list(
            AuditEvent.objects.filter(object_type="filings.scopeadjustment", object_id=str(adj.pk))
            .order_by("seq")
            .values_list("action", flat=True)
        )
        assert actions == [
            "adjustment.create",
            "adjustment.item_add",
            "adjustment.submit",
            "adjustment.return",
            "adjustment.reopen",
            "adjustment.submit",
            "adjustment.forward",
            "adjustment.approve",
        ]
        assert selectors.scope_allows(
            enterprise=self.w.ent_a,
            occupation=self.cat.welder,
            job_type=self.cat.electric_welder,
            level=4,
            on=date(2026, 7, 1),
        )

    def test_refusal_leaves_the_scope_alone(self) -> None:
        adj = services.adjustment_submit(actor=self.owner, adjustment=self.ready(), today=JUNE)
        adj = services.adjustment_forward(actor=self.city, adjustment=adj)
        before = ScopeItem.objects.count()
        adj = services.adjustment_refuse(actor=self.city, adjustment=adj, document_no="人社鉴函〔2026〕10号")
        assert adj.status == S.REFUSED and ScopeItem.objects.count() == before

    def test_decision_needs_document_number_and_a_sensible_date(self) -> None:
        adj = services.adjustment_submit(actor=self.owner, adjustment=self.ready(), today=JUNE)
        adj = services.adjustment_forward(actor=self.city, adjustment=adj)
        with pytest.raises(RuleViolation, match="文号"):
            services.adjustment_approve(actor=self.city, adjustment=adj, document_no="  ", effective_on=JUNE)
        with pytest.raises(RuleViolation, match="不能早于申请的提交日期") as exc:
            services.adjustment_approve(
                actor=self.city, adjustment=adj, document_no="X", effective_on=JUNE - timedelta(days=1)
            )
        assert exc.value.rule == "R1.4"
        with pytest.raises(RuleViolation, match="生效日期"):
            services.adjustment_decide(actor=self.city, adjustment=adj, approved=True, document_no="X")
        with pytest.raises(RuleViolation, match="退回须写明理由"):
            services.adjustment_return(actor=self.city, adjustment=adj, reason=" ")

    def test_drafts_only_change_while_draft(self) -> None:
        adj = services.adjustment_submit(actor=self.owner, adjustment=self.ready(), today=JUNE)
        with pytest.raises(RuleViolation, match="只有草稿可以修改"):
            services.adjustment_addition_create(
                actor=self.owner, adjustment=adj, occupation=self.cat.electrician, job_type=None, level=4
            )
        with pytest.raises(RuleViolation, match="只有草稿可以修改"):
            services.adjustment_item_delete(actor=self.owner, item=adj.items.get())


class TestSubmissionRules(WorkflowCase):
    def test_unfiled_enterprise_cannot_adjust(self) -> None:
        from tests.factories import OrganisationFactory

        unfiled = OrganisationFactory(authority=self.w.city)
        with pytest.raises(RuleViolation, match="尚未备案") as exc:
            services.adjustment_create(actor=self.owner, enterprise=unfiled)
        assert exc.value.rule == "R1.1"

    def test_empty_draft_lists_what_is_missing(self) -> None:
        adj = services.adjustment_create(actor=self.owner, enterprise=self.w.ent_a)
        with pytest.raises(RuleViolation) as exc:
            services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        assert exc.value.rule == "R1.3"
        assert "至少填写一项" in exc.value.message and "填写调整理由" in exc.value.message

    def test_occupation_without_national_standard_requires_a_specification(self) -> None:
        c = self.cat
        adj = services.adjustment_create(actor=self.owner, enterprise=self.w.ent_a, reason="新业务")
        with pytest.raises(RuleViolation, match="没有国家职业技能标准，须提供本企业经备案的评价规范") as exc:
            services.adjustment_addition_create(
                actor=self.owner, adjustment=adj, occupation=c.drone, job_type=None, level=4
            )
        assert exc.value.rule == "R1.3" and exc.value.field == "standard"
        spec = specification(self.w.ent_a, c.drone)
        item = services.adjustment_addition_create(
            actor=self.owner, adjustment=adj, occupation=c.drone, job_type=None, level=4, standard=spec
        )
        assert item.standard == spec
        # The specification is there; the sites, equipment and assessors for the occupation are not (R1.3 item 4).
        with pytest.raises(RuleViolation) as exc:
            services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        assert "登记服务于职业“无人机装调检修工”的评价场地和设施设备" in exc.value.message
        assert "至少需要 3 名证书有效、可考评该等级的考评员（现有 0 名）" in exc.value.message
        equip(self.w.ent_a, [c.drone])
        adj = services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        assert adj.status == S.SUBMITTED

    def test_expired_or_too_low_assessors_do_not_count(self) -> None:
        from skillcert.filings.models import PoolMember

        c = self.cat
        adj = draft(self.owner, self.w.ent_a, adds=[ScopeEntry(c.electrician, None, 2)])
        members = PoolMember.objects.filter(enterprise=self.w.ent_a, occupation=c.electrician)
        members.filter(pk=members.first().pk).update(valid_until=JUNE - timedelta(days=1))  # type: ignore[union-attr]
        with pytest.raises(RuleViolation, match="现有 2 名"):
            services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        members.update(valid_until=None, max_level=3)  # 三级 may not assess 二级
        with pytest.raises(RuleViolation, match="现有 0 名"):
            services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)

    def test_additions_and_removals_are_checked_against_the_scope(self) -> None:
        c = self.cat
        adj = services.adjustment_create(actor=self.owner, enterprise=self.w.ent_a, reason="调整")
        with pytest.raises(RuleViolation, match="已在本企业的认定范围内"):
            services.adjustment_addition_create(
                actor=self.owner, adjustment=adj, occupation=c.turner, job_type=None, level=4
            )
        services.adjustment_addition_create(
            actor=self.owner, adjustment=adj, occupation=c.electrician, job_type=None, level=4
        )
        with pytest.raises(RuleViolation, match="已在本申请中"):
            services.adjustment_addition_create(
                actor=self.owner, adjustment=adj, occupation=c.electrician, job_type=None, level=4
            )
        other = ScopeItem.objects.get(enterprise=self.w.ent_b)
        with pytest.raises(RuleViolation, match="只能减少本企业当前认定范围内的条目"):
            services.adjustment_removal_create(actor=self.owner, adjustment=adj, scope_item=other)

    def test_central_subsidiary_must_attach_the_parent_filing(self) -> None:
        c = self.cat
        ent = self.w.ent_a
        type(ent).objects.filter(pk=ent.pk).update(
            is_central_subsidiary=True, parent_company="中国测试集团有限公司"
        )
        ent.refresh_from_db()
        adj = self.ready()
        with pytest.raises(RuleViolation) as exc:
            services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        assert exc.value.rule == "R1.4"
        assert (
            "中国测试集团有限公司" in exc.value.message
            and "向人力资源社会保障部备案后办理" in exc.value.message
        )
        # A number alone, or a file that is not a PDF/JPEG/PNG, is not enough.
        with pytest.raises(RuleViolation, match="PDF、JPEG 或 PNG"):
            services.adjustment_parent_filing_attach(
                actor=self.owner,
                adjustment=adj,
                number="中测人〔2026〕3号",
                data=b"MZ...",
                filename="a.pdf",
                content_type="application/pdf",
            )
        with pytest.raises(RuleViolation, match="文号"):
            services.adjustment_parent_filing_attach(
                actor=self.owner,
                adjustment=adj,
                number=" ",
                data=PDF_BYTES,
                filename="a.pdf",
                content_type="application/pdf",
            )
        adj = services.adjustment_parent_filing_attach(
            actor=self.owner,
            adjustment=adj,
            number="中测人〔2026〕3号",
            data=PDF_BYTES,
            filename="集团备案.pdf",
            content_type="application/pdf",
        )
        assert adj.parent_filing_name == "集团备案.pdf" and "集团备案" not in adj.parent_filing_file.name
        adj = services.adjustment_submit(actor=self.owner, adjustment=adj, today=JUNE)
        assert adj.status == S.SUBMITTED
        assert c.welder is not None

    def test_parent_filing_is_only_for_central_subsidiaries(self) -> None:
        adj = self.ready()
        with pytest.raises(RuleViolation, match="只有中央企业在鲁子公司"):
            services.adjustment_parent_filing_attach(
                actor=self.owner,
                adjustment=adj,
                number="X",
                data=PDF_BYTES,
                filename="a.pdf",
                content_type="application/pdf",
            )


class TestWindow(WorkflowCase):
    def test_submission_outside_june_and_december_is_accepted_and_flagged(self) -> None:
        adj = services.adjustment_submit(actor=self.owner, adjustment=self.ready(), today=MARCH)
        assert adj.status == S.SUBMITTED and adj.outside_window
        in_june = services.adjustment_submit(actor=self.owner, adjustment=self.ready_other(), today=JUNE)
        assert not in_june.outside_window
        event = AuditEvent.objects.filter(action="adjustment.submit", object_id=str(adj.pk)).get()
        assert event.summary["outside_window"] is True

    def ready_other(self) -> ScopeAdjustment:
        return draft(self.owner, self.w.ent_a, adds=[ScopeEntry(self.cat.electrician, None, 4)])

    def test_window_months_come_from_settings(self) -> None:
        from django.test import override_settings

        with override_settings(SCOPE_ADJUSTMENT_MONTHS=(3,)):
            adj = services.adjustment_submit(actor=self.owner, adjustment=self.ready(), today=MARCH)
        assert not adj.outside_window

    def test_queue_is_oldest_first_and_shows_the_warning(self) -> None:
        from django.urls import reverse

        first = services.adjustment_submit(actor=self.owner, adjustment=self.ready(), today=MARCH)
        second = services.adjustment_submit(actor=self.owner, adjustment=self.ready_other(), today=JUNE)
        queue = list(selectors.adjustment_queue(user=self.city))
        assert queue == [first, second]
        html = self.request_as("city", "get", reverse("filings:queue")).content.decode()
        assert html.index(first.number) < html.index(second.number)
        assert "非集中申报期提交" in html and "1 件申请在集中申报期以外提交" in html
        detail = self.request_as("city", "get", first.get_absolute_url()).content.decode()
        assert 'data-testid="window-warning"' in detail
