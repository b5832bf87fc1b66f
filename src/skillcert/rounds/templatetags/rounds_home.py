"""`{% candidate_rounds %}`: the published rounds a worker may read and apply to, on the home page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils import timezone

from skillcert.rounds import selectors
from skillcert.rounds.announcement import title_of
from skillcert.rounds.links import apply_url
from skillcert.rounds.models import Round

register = template.Library()


@dataclass(frozen=True)
class HomeRound:
    round: Round
    title: str
    is_open: bool
    apply_url: str | None


@register.inclusion_tag("rounds/_home_rounds.html", takes_context=True)
def candidate_rounds(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    today = timezone.localdate()
    rows = []
    if user is not None:
        for rnd in selectors.current_rounds(user=user, on=today):
            is_open = rnd.registration_open_on(today)
            rows.append(HomeRound(rnd, title_of(rnd), is_open, apply_url(rnd.pk) if is_open else None))
    return {"rows": rows, "today": today}
