"""The authority's dashboard (issue 5): what waits for it across its jurisdiction, overdue items first.

Composes filings (scope adjustments), rounds (certification plans) and core (deadlines). Every read is
scoped through ``core.access``: a city sees the enterprises filed with it, a province also those filed
with its cities, anyone else nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.models import Organisation
from skillcert.core.models.notify import Deadline, DeadlineState
from skillcert.filings import selectors as filing_selectors
from skillcert.filings.models import ScopeAdjustment
from skillcert.rounds import selectors
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus

__all__ = [
    "DASHBOARD_RULES",
    "Dashboard",
    "EnterpriseCounts",
    "authority_dashboard",
    "open_deadlines",
    "pending_plans",
]

# Deadlines the authority follows: the 10-working-day plan rule and the 15-working-day correction.
DASHBOARD_RULES: tuple[str, ...] = ("R5.1", "R10.2")

_STATE_ORDER = Case(
    When(state=DeadlineState.OVERDUE, then=Value(0)),
    When(state=DeadlineState.DUE_SOON, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class EnterpriseCounts:
    """One row of the per-enterprise table."""

    enterprise: Organisation
    adjustments: int
    plans: int
    overdue: int

    @property
    def total(self) -> int:
        return self.adjustments + self.plans + self.overdue


@dataclass(frozen=True)
class Dashboard:
    adjustments: list[ScopeAdjustment]
    plans: list[CertificationPlan]
    deadlines: list[Deadline]
    counts: list[EnterpriseCounts]

    @property
    def overdue_count(self) -> int:
        return sum(1 for d in self.deadlines if d.state == DeadlineState.OVERDUE)


def pending_plans(*, user: AnyUser) -> QuerySet[CertificationPlan]:
    """Certification plans submitted in the authority's jurisdiction and awaiting confirmation, oldest first."""
    if not access.is_authority_staff(user):
        return CertificationPlan.objects.none()
    return (
        CertificationPlan.objects.filter(
            round__in=selectors.round_list(user=user), status=CertificationPlanStatus.SUBMITTED
        )
        .select_related("round__enterprise")
        .order_by("submitted_at", "pk")
    )


def open_deadlines(*, user: AnyUser) -> QuerySet[Deadline]:
    """Open deadlines of the followed rules in the jurisdiction: overdue first, then due soon, then by age."""
    if not access.is_authority_staff(user):
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(
            organisation__in=access.enterprises_for(user), rule__in=DASHBOARD_RULES, done_on__isnull=True
        )
        .select_related("organisation")
        .annotate(state_order=_STATE_ORDER)
        .order_by("state_order", "due", "start", "pk")
    )


def authority_dashboard(*, user: AnyUser) -> Dashboard:
    """Everything pending for an authority user; empty for anyone else (the view answers 404 first)."""
    adjustments = list(filing_selectors.adjustment_queue(user=user))
    plans = list(pending_plans(user=user))
    deadlines = list(open_deadlines(user=user))
    per: dict[int, dict[str, int]] = {}
    orgs: dict[int, Organisation] = {}

    def bump(org: Organisation, key: str) -> None:
        orgs[org.pk] = org
        row = per.setdefault(org.pk, {"adjustments": 0, "plans": 0, "overdue": 0})
        row[key] += 1

    for adj in adjustments:
        bump(adj.enterprise, "adjustments")
    for plan in plans:
        bump(plan.round.enterprise, "plans")
    for d in deadlines:
        if d.state == DeadlineState.OVERDUE:
            bump(d.organisation, "overdue")
    counts = [EnterpriseCounts(enterprise=orgs[pk], **row) for pk, row in per.items()]
    counts.sort(key=lambda c: (-c.overdue, -c.total, c.enterprise.name, c.enterprise.pk))
    return Dashboard(adjustments=adjustments, plans=plans, deadlines=deadlines, counts=counts)
