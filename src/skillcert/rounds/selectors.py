"""Reads of rounds and their offerings, always through the user (DESIGN rule 2)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.models.accounts import Role
from skillcert.filings import selectors as filing_selectors
from skillcert.filings.models import ScopeItem
from skillcert.rounds.models import Round, RoundOffering, RoundStatus


def round_list(*, user: AnyUser) -> QuerySet[Round]:
    """Staff see their enterprise's rounds, authorities their jurisdiction's; a worker the published ones."""
    u = access.as_user(user)
    qs = Round.objects.select_related("enterprise")
    if u is None or u.organisation is None:
        return qs.none()
    if access.is_enterprise_staff(u) or access.is_authority_staff(u):
        return access.scope_to_user(qs, u, enterprise_field="enterprise")
    if u.has_role(Role.CANDIDATE):
        return qs.filter(enterprise=u.organisation, status=RoundStatus.PUBLISHED)
    return qs.none()


def can_manage_round(*, user: AnyUser, round: Round) -> bool:
    """The enterprise admin and exam-affairs staff of the round's enterprise."""
    u = access.as_user(user)
    return bool(
        u
        and access.is_enterprise_staff(u)
        and u.has_role(Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF)
        and round.enterprise_id == u.organisation_id
    )


def access_round(*, user: AnyUser, pk: object, for_write: bool = False) -> Round:
    rnd = access.get_or_404(round_list(user=user), pk)
    if for_write and not can_manage_round(user=user, round=rnd):
        raise access.Http404
    return rnd


def open_rounds(*, user: AnyUser, on: date) -> QuerySet[Round]:
    """Published rounds whose registration window contains `on` (what a worker may apply to)."""
    return round_list(user=user).filter(
        status=RoundStatus.PUBLISHED, registration_opens__lte=on, registration_closes__gte=on
    )


def offering_list(*, user: AnyUser, round: Round) -> QuerySet[RoundOffering]:
    access_round(user=user, pk=round.pk)
    return RoundOffering.objects.filter(round=round).select_related(
        "occupation", "job_type", "standard__rule_set"
    )


def can_create_round(*, user: AnyUser) -> bool:
    """The enterprise admin and exam-affairs staff create rounds for their own enterprise."""
    u = access.as_user(user)
    return bool(
        u
        and u.organisation is not None
        and access.is_enterprise_staff(u)
        and u.has_role(Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF)
    )


def current_rounds(*, user: AnyUser, on: date) -> QuerySet[Round]:
    """Published rounds whose registration has not closed on `on` (open now, or opening later), soonest first."""
    return (
        round_list(user=user)
        .filter(status=RoundStatus.PUBLISHED, registration_closes__gte=on)
        .order_by("registration_opens", "pk")
    )


def scope_choices(*, user: AnyUser, round: Round) -> QuerySet[ScopeItem]:
    """The scope items a round may offer: the enterprise's scope in force on the evaluation start date (R1.5)."""
    access_round(user=user, pk=round.pk)
    return filing_selectors.scope_in_force(
        enterprise=round.enterprise_id, on=round.evaluation_starts
    ).order_by("occupation__code", "job_type__name", "-level")
