"""Filing and the scope in force over its history (R1.1, R1.2, R1.5), and the collection window (R1.4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.filings import selectors, window
from skillcert.filings.models import Filing, ScopeItem
from skillcert.filings.services.filing import ScopeEntry
from tests.base import AccessCase
from tests.filings.helpers import FILED_ON, approve, catalogue, equip, file_enterprise, specification


class TestFiling(AccessCase):
    def setUp(self) -> None:
        self.cat = catalogue()

    def test_filing_records_code_authority_and_initial_scope(self) -> None:
        c = self.cat
        filing = file_enterprise(
            self.w.ent_a,
            [ScopeEntry(c.welder, c.electric_welder, 4), ScopeEntry(c.turner, None, 3)],
            code="鲁人社评备〔2024〕12号",
        )
        assert filing.authority == self.w.city
        assert filing.code == "鲁人社评备〔2024〕12号"
        items = selectors.scope_in_force(enterprise=self.w.ent_a, on=FILED_ON)
        assert {(i.occupation.name, i.level) for i in items} == {("焊工", 4), ("车工", 3)}
        # No standard given: the occupation's national standard is used (R1.2).
        assert {i.standard for i in items} == {c.welder_std, c.turner_std}
        assert AuditEvent.objects.filter(action="filing.create", object_id=str(filing.pk)).exists()

    def test_filed_only_from_the_filing_date(self) -> None:
        file_enterprise(self.w.ent_a, [ScopeEntry(self.cat.turner, None, 4)])
        assert selectors.is_filed(enterprise=self.w.ent_a, on=FILED_ON)
        assert not selectors.is_filed(enterprise=self.w.ent_a, on=FILED_ON - timedelta(days=1))
        assert not selectors.scope_in_force(enterprise=self.w.ent_a, on=FILED_ON - timedelta(days=1)).exists()

    def test_second_filing_and_duplicate_code_are_refused(self) -> None:
        file_enterprise(self.w.ent_a, [ScopeEntry(self.cat.turner, None, 4)], code="X-1")
        with pytest.raises(RuleViolation, match="已备案") as exc:
            file_enterprise(self.w.ent_a, [ScopeEntry(self.cat.turner, None, 3)], code="X-2")
        assert exc.value.rule == "R1.1"
        with pytest.raises(RuleViolation, match="已被使用"):
            file_enterprise(self.w.ent_b, [ScopeEntry(self.cat.turner, None, 3)], code="X-1")

    def test_scope_items_must_fit_the_catalogue(self) -> None:
        c = self.cat
        cases = [
            (ScopeEntry(c.welder, c.gas_welder, 2), "未设二级/技师"),  # 气焊工 has only 五–三级
            (ScopeEntry(c.turner, c.gas_welder, 4), "不属于职业"),
            (ScopeEntry(c.turner, None, 11), "只含五级至一级"),
            (ScopeEntry(c.turner, None, 4, c.welder_std), "不是职业“车工”的标准"),
        ]
        for entry, message in cases:
            with pytest.raises(RuleViolation, match=message) as exc:
                file_enterprise(self.w.ent_a, [entry])
            assert exc.value.rule == "R1.2"
        other_spec = specification(self.w.ent_b, c.drone)
        with pytest.raises(RuleViolation, match="不是本企业备案的评价规范"):
            file_enterprise(self.w.ent_a, [ScopeEntry(c.drone, None, 4, other_spec)])
        assert not Filing.objects.exists()

    def test_occupation_without_national_standard_needs_a_specification(self) -> None:
        c = self.cat
        with pytest.raises(RuleViolation, match="没有国家职业技能标准，须提供本企业经备案的评价规范") as exc:
            file_enterprise(self.w.ent_a, [ScopeEntry(c.drone, None, 4)])
        assert exc.value.rule == "R1.3"
        spec = specification(self.w.ent_a, c.drone)
        file_enterprise(self.w.ent_a, [ScopeEntry(c.drone, None, 4, spec)])
        assert selectors.scope_allows(
            enterprise=self.w.ent_a, occupation=c.drone, job_type=None, level=4, on=FILED_ON
        )


class TestScopeInForce(AccessCase):
    """scope_in_force over history: before and after an effective date, and after a removal (R1.5)."""

    def setUp(self) -> None:
        c = self.cat = catalogue()
        file_enterprise(
            self.w.ent_a, [ScopeEntry(c.welder, c.electric_welder, 4), ScopeEntry(c.turner, None, 4)]
        )
        equip(self.w.ent_a, [c.welder, c.turner, c.electrician])
        self.owner, self.city = self.w.users["owner"], self.w.users["city"]

    def keys(self, on: date) -> set[tuple[str, int]]:
        return {(i.label(), i.level) for i in selectors.scope_in_force(enterprise=self.w.ent_a, on=on)}

    def test_addition_and_removal_take_effect_on_the_effective_date(self) -> None:
        c = self.cat
        turner_item = ScopeItem.objects.get(enterprise=self.w.ent_a, occupation=c.turner)
        effective = date(2026, 7, 1)
        approve(
            self.owner,
            self.city,
            self.w.ent_a,
            adds=[ScopeEntry(c.electrician, None, 3)],
            removes=[turner_item],
            effective_on=effective,
            today=date(2026, 6, 5),
        )
        before = effective - timedelta(days=1)
        assert self.keys(before) == {("焊工（电焊工）", 4), ("车工", 4)}
        assert self.keys(effective) == {("焊工（电焊工）", 4), ("电工", 3)}
        assert self.keys(date(2030, 1, 1)) == {("焊工（电焊工）", 4), ("电工", 3)}
        # The history keeps the removed item, ended on the effective date.
        turner_item.refresh_from_db()
        assert turner_item.valid_to == effective and turner_item.removed_by is not None
        assert selectors.scope_history(enterprise=self.w.ent_a).count() == 3

    def test_job_type_semantics(self) -> None:
        c = self.cat
        on = FILED_ON
        # An item for 电焊工 allows 电焊工 only, not the occupation as a whole nor 气焊工.
        assert selectors.scope_allows(
            enterprise=self.w.ent_a, occupation=c.welder, job_type=c.electric_welder, level=4, on=on
        )
        assert not selectors.scope_allows(
            enterprise=self.w.ent_a, occupation=c.welder, job_type=None, level=4, on=on
        )
        assert not selectors.scope_allows(
            enterprise=self.w.ent_a, occupation=c.welder, job_type=c.gas_welder, level=4, on=on
        )
        # An item without a job type (车工) covers the whole occupation.
        assert selectors.scope_allows(
            enterprise=self.w.ent_a, occupation=c.turner, job_type=None, level=4, on=on
        )
        assert not selectors.scope_allows(
            enterprise=self.w.ent_a, occupation=c.turner, job_type=None, level=3, on=on
        )
        # Another enterprise's scope is never consulted.
        assert not selectors.scope_allows(
            enterprise=self.w.ent_b, occupation=c.turner, job_type=None, level=4, on=on
        )

    def test_require_in_scope_names_occupation_level_and_date(self) -> None:
        c = self.cat
        item = selectors.require_in_scope(enterprise=self.w.ent_a, occupation=c.turner, level=4, on=FILED_ON)
        assert item.occupation == c.turner
        with pytest.raises(RuleViolation) as exc:
            selectors.require_in_scope(
                enterprise=self.w.ent_a,
                occupation=c.welder,
                job_type=c.gas_welder,
                level=3,
                on=date(2026, 3, 1),
            )
        assert exc.value.rule == "R1.5"
        assert (
            exc.value.message
            == "“焊工（气焊工）”三级/高级工不在本企业 2026年3月1日 有效的认定范围内，不能开展该职业（工种）等级的认定。"
        )
        with pytest.raises(RuleViolation, match=r"“车工”四级/中级工不在本企业 2024年3月14日"):
            selectors.require_in_scope(
                enterprise=self.w.ent_a, occupation=c.turner.pk, level=4, on=FILED_ON - timedelta(days=1)
            )


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_window_defaults_to_june_and_december(day: date) -> None:
    assert window.in_window(day, (6, 12)) == (day.month in (6, 12))
    nxt = window.next_window(day, (6, 12))
    assert nxt is not None and nxt.month in (6, 12) and nxt.day == 1
    assert nxt >= day.replace(day=1)
    assert (nxt - day).days < 190


def test_window_rejects_bad_months() -> None:
    with pytest.raises(ValueError, match="1–12"):
        window.in_window(date(2026, 1, 1), (0, 6))
    assert window.months_label((12, 6)) == "6月、12月"
    assert window.next_window(date(2026, 12, 20), (6,)) == date(2027, 6, 1)
