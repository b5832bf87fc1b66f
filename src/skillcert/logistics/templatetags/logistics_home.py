"""`{% candidate_tickets %}`: a candidate's admission tickets with their sessions, on the home page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch

from skillcert.logistics import selectors
from skillcert.logistics.models import Seat

register = template.Library()


@register.inclusion_tag("logistics/_home_tickets.html", takes_context=True)
def candidate_tickets(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    tickets = []
    if user is not None:
        tickets = list(
            selectors.own_tickets(user=user)
            .select_related("application__offering__occupation", "application__offering__job_type")
            .prefetch_related(
                Prefetch(
                    "application__seats",
                    queryset=Seat.objects.select_related("session", "session__site", "room").order_by(
                        "session__day", "session__starts"
                    ),
                )
            )
            .order_by("-issued_at")
        )
    return {"tickets": tickets}
