"""Eligibility rule sets in Chinese words, level by level, for pages, documents and the API; no Django."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from skillcert.catalog import eligibility

LEVEL_LABELS = {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师", 1: "一级/高级技师"}


class HasRules(Protocol):
    rules: object


@dataclass(frozen=True)
class ConditionText:
    """One alternative condition: the quoted source text (if any) and each requirement as a phrase."""

    number: int
    sentence: str
    requirements: tuple[str, ...]
    exceptional: bool


def _rules(rule_set: HasRules | Mapping[str, object]) -> object:
    return rule_set if isinstance(rule_set, Mapping) else rule_set.rules


def conditions(rule_set: HasRules | Mapping[str, object]) -> dict[int, list[ConditionText]]:
    """Each level (五级 first) with its numbered conditions; {} if the stored rules do not validate."""
    try:
        parsed = eligibility.from_json(_rules(rule_set))
    except eligibility.RuleSetError:
        return {}
    out: dict[int, list[ConditionText]] = {}
    for level, conds in parsed.levels.items():
        out[int(level)] = [
            ConditionText(
                number=i,
                sentence=c.describe(),
                requirements=tuple(eligibility.describe(r) for r in c.requires),
                exceptional=c.exceptional,
            )
            for i, c in enumerate(conds, start=1)
        ]
    return out


def labelled(rule_set: HasRules | Mapping[str, object]) -> list[tuple[str, list[ConditionText]]]:
    """Like :func:`conditions`, keyed by the level's Chinese name, for templates."""
    return [(LEVEL_LABELS.get(level, str(level)), items) for level, items in conditions(rule_set).items()]


def describe(rule_set: HasRules | Mapping[str, object]) -> dict[int, list[str]]:
    """Each level's conditions as Chinese sentences, e.g. {4: ["（1）取得…", "（2）…"]}."""
    return {
        level: [f"（{c.number}）{'【破格】' if c.exceptional else ''}{c.sentence}" for c in items]
        for level, items in conditions(rule_set).items()
    }


def problems(rule_set: HasRules | Mapping[str, object]) -> list[str]:
    """The validation errors of the stored rules ("path: 说明"), empty when they are valid."""
    return eligibility.validate_json(_rules(rule_set))
