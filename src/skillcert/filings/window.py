"""The collection window for scope adjustments (R1.4: normally June and December); pure, no Django."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def normalise_months(months: Iterable[int]) -> tuple[int, ...]:
    """Sorted unique months 1–12; raises ValueError on anything else (a settings mistake must be loud)."""
    result = sorted(set(months))
    bad = [m for m in result if not 1 <= m <= 12]
    if bad:
        raise ValueError(f"months must be 1–12, got {bad}")
    return tuple(result)


def in_window(day: date, months: Iterable[int]) -> bool:
    """True when `day` falls in one of the collection months."""
    return day.month in normalise_months(months)


def next_window(day: date, months: Iterable[int]) -> date | None:
    """The first day of the next collection month on or after `day` (None when no months are set)."""
    ordered = normalise_months(months)
    if not ordered:
        return None
    if day.month in ordered:
        return day.replace(day=1)
    for month in ordered:
        if month > day.month:
            return date(day.year, month, 1)
    return date(day.year + 1, ordered[0], 1)


def months_label(months: Iterable[int]) -> str:
    """'6月、12月' for messages."""
    return "、".join(f"{m}月" for m in normalise_months(months))
