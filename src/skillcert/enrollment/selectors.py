"""Reads of applications, always through the user (DESIGN rule 2)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.models.accounts import Role
from skillcert.enrollment.models import Application, ApplicationFlag, ApplicationStatus, FlagSeverity
from skillcert.rounds.models import Round
from skillcert.rounds.selectors import access_round, can_manage_round, round_list

# Enterprise roles that review applications (R3.3): the administrator and exam-affairs staff.
REVIEWER_ROLES = (Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF)


def application_list(*, user: AnyUser) -> QuerySet[Application]:
    """Staff see their enterprise's applications, authorities their jurisdiction's, a candidate their own."""
    qs = Application.objects.select_related(
        "round", "offering__occupation", "offering__job_type", "person", "round__enterprise"
    )
    return access.scope_to_user(qs, user, enterprise_field="round__enterprise", person_field="person")


def can_review(*, user: AnyUser, application: Application) -> bool:
    u = access.as_user(user)
    return bool(
        u
        and access.is_enterprise_staff(u)
        and u.has_role(*REVIEWER_ROLES)
        and application.round.enterprise_id == u.organisation_id
    )


def is_own(*, user: AnyUser, application: Application) -> bool:
    u = access.as_user(user)
    return bool(u and application.person.user_id == u.pk)


def access_application(*, user: AnyUser, pk: object, for_write: bool = False) -> Application:
    """An application the user may see; with for_write, one they may change (the applicant or a reviewer)."""
    app = access.get_or_404(application_list(user=user), pk)
    if for_write and not (is_own(user=user, application=app) or can_review(user=user, application=app)):
        raise access.Http404
    return app


def access_application_for_review(*, user: AnyUser, pk: object) -> Application:
    app = access.get_or_404(application_list(user=user), pk)
    if not can_review(user=user, application=app):
        raise access.Http404
    return app


# --------------------------------------------------------------------------- eligibility review (R3.3)

# Columns the reviewer's queue never shows: blobs and long texts stay in the database (50,000 rows).
_QUEUE_DEFERRED = (
    "photo_enc",
    "phone_enc",
    "work_history",
    "awards",
    "achievements",
    "unit_opinion",
    "exceptional_grounds",
    "eligibility_reasons",
    "person__id_number_enc",
    "person__phone_enc",
    "person__photo_enc",
)


def can_view_review(*, user: AnyUser, round: Round) -> bool:
    """Reviewers of the round's enterprise act; authority staff over it may look (read-only)."""
    return can_manage_round(user=user, round=round) or access.is_authority_staff(user)


def access_review_round(*, user: AnyUser, pk: object, for_write: bool = False) -> Round:
    """A round whose review queue the user may see; with for_write, one they may decide on."""
    rnd = access_round(user=user, pk=pk)
    allowed = can_manage_round(user=user, round=rnd) if for_write else can_view_review(user=user, round=rnd)
    if not allowed:
        raise access.Http404
    return rnd


def review_round_list(*, user: AnyUser) -> QuerySet[Round]:
    """Rounds the user may review or look at, each with its number of applications per status."""
    u = access.as_user(user)
    if u is None or not (
        access.is_authority_staff(u) or (access.is_enterprise_staff(u) and u.has_role(*REVIEWER_ROLES))
    ):
        return Round.objects.none()
    counts = {
        f"n_{status}": Count("applications", filter=Q(applications__status=status))
        for status in ApplicationStatus.values
    }
    return round_list(user=u).annotate(n_total=Count("applications"), **counts)


def review_queue(*, user: AnyUser, round: Round) -> QuerySet[Application]:
    """The submitted (and decided) applications of a round for the reviewer's list: one query per page.

    Everything a row shows comes from the row itself (denormalised flag counts and result) or
    from select_related joins, so the page costs the same number of queries for 10 rows or 100.
    """
    # Warnings a reviewer has not yet confirmed: a correlated count, computed only for the page's rows.
    open_warnings = (
        ApplicationFlag.objects.filter(
            application=OuterRef("pk"), severity=FlagSeverity.WARN, confirmed_at__isnull=True
        )
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        application_list(user=user)
        .filter(round=round)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("offering__occupation", "offering__job_type", "person")
        .defer(*_QUEUE_DEFERRED)
        .annotate(open_warnings=Coalesce(Subquery(open_warnings), 0))
        # Newest first by key: the round's index hands rows over in key order, so the first page of
        # 50,000 needs no sort (ordering by submitted_at would sort them all on every page).
        .order_by("-pk")
    )


def review_status_counts(*, round: Round) -> dict[str, int]:
    """How many applications of the round are in each status (one grouped query)."""
    rows = Application.objects.filter(round=round).order_by().values_list("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    counts.update({status: n for status, n in rows})
    return counts


def access_application_for_review_page(*, user: AnyUser, pk: object) -> Application:
    """An application on the review page: its enterprise's reviewers, and authority staff over it."""
    app = access.get_or_404(application_list(user=user), pk)
    if not (can_review(user=user, application=app) or access.is_authority_staff(user)):
        raise access.Http404
    return app


def next_to_review(*, user: AnyUser, application: Application) -> int | None:
    """The oldest other application of the same round still waiting for review, for "下一份"."""
    return (
        application_list(user=user)
        .filter(round_id=application.round_id, status=ApplicationStatus.SUBMITTED)
        .exclude(pk=application.pk)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
