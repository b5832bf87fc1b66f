"""Property: after any sequence of approved additions and removals, scope_in_force(on=D) equals a pure model (R1.5)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from skillcert.core.errors import RuleViolation
from skillcert.filings import selectors
from skillcert.filings.models import ScopeItem
from skillcert.filings.services.filing import ScopeEntry
from tests.base import World
from tests.filings.helpers import approve, catalogue, equip, file_enterprise

BASE = date(2026, 1, 5)
Key = tuple[int, int | None, int]  # occupation id, job type id, level
Interval = tuple[date, date | None]


def model_in_force(history: dict[Key, list[Interval]], on: date) -> set[Key]:
    """The scope on a date, computed from the intervals alone: [from, to) with to=None open."""
    return {
        key
        for key, intervals in history.items()
        for start, end in intervals
        if start <= on and (end is None or on < end)
    }


ops_strategy = st.lists(
    st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 4), st.integers(0, 45)),
    min_size=1,
    max_size=6,
)


class TestScopeHistoryProperty(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.w = World()
        c = cls.cat = catalogue()
        cls.entries = [
            ScopeEntry(c.welder, c.electric_welder, 4),
            ScopeEntry(c.welder, c.electric_welder, 3),
            ScopeEntry(c.welder, c.gas_welder, 5),
            ScopeEntry(c.turner, None, 4),
            ScopeEntry(c.electrician, None, 2),
        ]
        # Filed with the first two keys; every key's occupation has a site, equipment and assessors.
        file_enterprise(cls.w.ent_a, cls.entries[:2], on=BASE)
        equip(cls.w.ent_a, [c.welder, c.turner, c.electrician])

    @settings(max_examples=25)
    @given(ops=ops_strategy, probes=st.lists(st.integers(-10, 320), max_size=8))
    def test_scope_in_force_matches_the_model(
        self, ops: list[tuple[str, int, int]], probes: list[int]
    ) -> None:
        owner, reviewer, ent = self.w.users["owner"], self.w.users["city"], self.w.ent_a
        history: dict[Key, list[Interval]] = {e.key(): [(BASE, None)] for e in self.entries[:2]}
        day = BASE
        boundaries = [BASE]
        for n, (action, index, gap) in enumerate(ops):
            day = day + timedelta(days=gap)
            entry = self.entries[index]
            key = entry.key()
            intervals = history.setdefault(key, [])
            open_ = next((i for i, (_s, end) in enumerate(intervals) if end is None), None)
            if action == "add":
                expected_ok = open_ is None
                changes = {"adds": [entry]}
            else:
                if open_ is None:
                    continue  # nothing to remove: the enterprise could not even pick the item
                expected_ok = intervals[open_][0] < day
                item = ScopeItem.objects.get(
                    enterprise=ent,
                    occupation_id=key[0],
                    job_type_id=key[1],
                    level=key[2],
                    valid_to__isnull=True,
                )
                changes = {"removes": [item]}
            try:
                approve(owner, reviewer, ent, effective_on=day, doc=f"人社鉴函〔2026〕{n}号", **changes)  # type: ignore[arg-type]
                ok = True
            except RuleViolation:
                ok = False
            assert ok == expected_ok, (action, key, day, history)
            if ok and action == "add":
                intervals.append((day, None))
            elif ok:
                assert open_ is not None
                intervals[open_] = (intervals[open_][0], day)
            boundaries.append(day)
        dates = {BASE + timedelta(days=p) for p in probes}
        dates |= {d + timedelta(days=delta) for d in boundaries for delta in (-1, 0, 1)}
        for on in sorted(dates):
            actual = {
                (i.occupation_id, i.job_type_id, i.level)
                for i in selectors.scope_in_force(enterprise=ent, on=on)
            }
            assert actual == model_in_force(history, on), on
            for key in (e.key() for e in self.entries):
                allowed = selectors.scope_allows(
                    enterprise=ent, occupation=key[0], job_type=key[1], level=key[2], on=on
                )
                assert allowed == (key in actual)


def test_model_itself() -> None:
    k: Key = (1, None, 4)
    history = {k: [(date(2026, 1, 1), date(2026, 3, 1)), (date(2026, 5, 1), None)]}
    assert model_in_force(history, date(2025, 12, 31)) == set()
    assert model_in_force(history, date(2026, 1, 1)) == {k}
    assert model_in_force(history, date(2026, 3, 1)) == set()
    assert model_in_force(history, date(2026, 5, 1)) == {k}
