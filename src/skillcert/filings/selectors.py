"""Reads of filings, scope, adjustments, sites and the staff pool.

``scope_in_force`` is the one definition of "the scope on date D" (R1.5): rounds, applications and
certificates ask ``scope_allows`` / ``require_in_scope`` and never query ScopeItem themselves.
Everything else takes the user and answers 404 for missing and forbidden alike (DESIGN rule 2).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from skillcert.catalog.models import LEVEL_HEIGHT, JobType, Level, Occupation, Standard, StandardKind
from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, OrgKind, Person
from skillcert.filings import window
from skillcert.filings.models import (
    PENDING_STATUSES,
    AdjustmentAction,
    AdjustmentItem,
    AdjustmentStatus,
    Equipment,
    Filing,
    PoolMember,
    PoolRole,
    Relationship,
    ScopeAdjustment,
    ScopeItem,
    Site,
)

EnterpriseRef = Organisation | int


def _pk(ref: EnterpriseRef | Occupation | JobType) -> int:
    return ref if isinstance(ref, int) else ref.pk


# --- the scope in force (R1.5) --------------------------------------------------------------------


def in_force_q(on: date, prefix: str = "") -> Q:
    """Items in force on `on`: started on or before it and not yet ended ([valid_from, valid_to))."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def scope_in_force(*, enterprise: EnterpriseRef, on: date) -> QuerySet[ScopeItem]:
    """The enterprise's scope items in force on `on` — the one definition every later stage uses (R1.5)."""
    return (
        ScopeItem.objects.filter(enterprise_id=_pk(enterprise))
        .filter(in_force_q(on))
        .select_related("occupation", "job_type", "standard")
    )


def _matching(
    *,
    enterprise: EnterpriseRef,
    occupation: Occupation | int,
    job_type: JobType | int | None,
    level: int,
    on: date,
) -> QuerySet[ScopeItem]:
    # An item without a job type covers every job type of its occupation; one with a job type only that one.
    job_q = Q(job_type__isnull=True)
    if job_type is not None:
        job_q |= Q(job_type_id=_pk(job_type))
    return scope_in_force(enterprise=enterprise, on=on).filter(
        job_q, occupation_id=_pk(occupation), level=level
    )


def scope_allows(
    *,
    enterprise: EnterpriseRef,
    occupation: Occupation | int,
    job_type: JobType | int | None,
    level: int,
    on: date,
) -> bool:
    """True when (occupation, job type, level) is inside the scope in force on `on`."""
    return _matching(
        enterprise=enterprise, occupation=occupation, job_type=job_type, level=level, on=on
    ).exists()


def require_in_scope(
    *,
    enterprise: EnterpriseRef,
    occupation: Occupation | int,
    job_type: JobType | int | None = None,
    level: int,
    on: date,
) -> ScopeItem:
    """The scope item that allows this, or RuleViolation R1.5 naming occupation, level and date."""
    item = _matching(
        enterprise=enterprise, occupation=occupation, job_type=job_type, level=level, on=on
    ).first()
    if item is not None:
        return item
    occ = (
        occupation if isinstance(occupation, Occupation) else Occupation.objects.filter(pk=occupation).first()
    )
    jt = (
        job_type
        if isinstance(job_type, JobType) or job_type is None
        else JobType.objects.filter(pk=job_type).first()
    )
    occ_name = occ.name if occ is not None else str(occupation)
    label = f"{occ_name}（{jt.name}）" if jt is not None else occ_name
    level_label = Level(level).label if level in Level.values else str(level)
    raise RuleViolation(
        "R1.5",
        _("“%(o)s”%(l)s不在本企业 %(d)s 有效的认定范围内，不能开展该职业（工种）等级的认定。")
        % {"o": label, "l": level_label, "d": f"{on.year}年{on.month}月{on.day}日"},
        field="level",
    )


def scope_history(*, enterprise: EnterpriseRef) -> QuerySet[ScopeItem]:
    """Every scope item the enterprise ever had, current and ended, with the adjustments behind them."""
    return (
        ScopeItem.objects.filter(enterprise_id=_pk(enterprise))
        .select_related("occupation", "job_type", "standard", "added_by", "removed_by")
        .order_by("occupation__code", "job_type__name", "-level", "valid_from", "pk")
    )


def is_filed(*, enterprise: EnterpriseRef, on: date) -> bool:
    """R1.1: the enterprise has been filed on or before `on`."""
    return Filing.objects.filter(enterprise_id=_pk(enterprise), filed_on__lte=on).exists()


def national_standard(*, occupation: Occupation | int) -> Standard | None:
    """The current national standard for the occupation (newest active edition), if there is one."""
    return (
        Standard.objects.filter(occupation_id=_pk(occupation), kind=StandardKind.NATIONAL, is_active=True)
        .order_by("-edition_year", "-pk")
        .first()
    )


def standards_for(*, enterprise: EnterpriseRef) -> QuerySet[Standard]:
    """Standards an enterprise may put a scope item under: national ones and its own specifications (R1.2)."""
    return (
        Standard.objects.filter(is_active=True)
        .filter(
            Q(kind=StandardKind.NATIONAL) | Q(kind=StandardKind.SPECIFICATION, enterprise_id=_pk(enterprise))
        )
        .select_related("occupation")
        .order_by("occupation__code", "kind", "-edition_year")
    )


def window_months() -> tuple[int, ...]:
    """The months adjustments are collected in (settings.SCOPE_ADJUSTMENT_MONTHS, default June and December)."""
    return window.normalise_months(getattr(settings, "SCOPE_ADJUSTMENT_MONTHS", (6, 12)))


def assessors_for(
    *, enterprise: EnterpriseRef, occupation: Occupation | int, level: int, on: date
) -> QuerySet[PoolMember]:
    """Active assessors of the enterprise for the occupation who may assess `level`, certificate valid on `on`."""
    height = LEVEL_HEIGHT[level]
    levels = [lv for lv, h in LEVEL_HEIGHT.items() if h >= height]
    return (
        PoolMember.objects.filter(
            enterprise_id=_pk(enterprise),
            role=PoolRole.ASSESSOR,
            is_active=True,
            occupation_id=_pk(occupation),
            max_level__in=levels,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("person", "occupation")
    )


def equipment_for(*, enterprise: EnterpriseRef, occupation: Occupation | int) -> QuerySet[Equipment]:
    """Equipment at the enterprise's sites in use that serves the occupation."""
    return Equipment.objects.filter(
        site__enterprise_id=_pk(enterprise), site__is_active=True, occupations__id=_pk(occupation)
    ).select_related("site")


def related_people(*, enterprise: EnterpriseRef, person: Person | int) -> set[int]:
    """Ids of the people with a declared relationship to `person` in this enterprise (either side)."""
    pid = person if isinstance(person, int) else person.pk
    rows = Relationship.objects.filter(enterprise_id=_pk(enterprise)).filter(
        Q(person_a_id=pid) | Q(person_b_id=pid)
    )
    return {b if a == pid else a for a, b in rows.values_list("person_a_id", "person_b_id")}


def are_related(*, enterprise: EnterpriseRef, a: Person | int, b: Person | int) -> bool:
    """True when a relationship between the two is declared, whichever order they are given in."""
    ids = sorted(p if isinstance(p, int) else p.pk for p in (a, b))
    return Relationship.objects.filter(
        enterprise_id=_pk(enterprise), person_a_id=ids[0], person_b_id=ids[1]
    ).exists()


# --- tenancy ------------------------------------------------------------------------------------


def enterprise_list(*, user: AnyUser) -> QuerySet[Organisation]:
    """Enterprises whose filing and scope the user may see: their own, or those in the authority's jurisdiction."""
    filed = Filing.objects.filter(enterprise=OuterRef("pk"))
    return (
        access.enterprises_for(user)
        .select_related("authority", "filing", "filing__authority")
        .annotate(is_filed=Exists(filed))
        .order_by("name", "pk")
    )


def can_manage(*, user: AnyUser, enterprise: Organisation) -> bool:
    """The enterprise's own administrator drafts adjustments and keeps its sites and staff pool."""
    u = access.as_user(user)
    return bool(u and access.is_enterprise_admin(u) and u.organisation_id == enterprise.pk)


def can_review(*, user: AnyUser, enterprise: Organisation) -> bool:
    """Authority staff whose jurisdiction covers the enterprise record filings and review adjustments."""
    u = access.as_user(user)
    if u is None or u.organisation is None or not access.is_authority_staff(u):
        return False
    return (
        Organisation.objects.filter(pk=enterprise.pk, kind=OrgKind.ENTERPRISE)
        .filter(access.jurisdiction_q(u.organisation))
        .exists()
    )


def access_enterprise(*, user: AnyUser, pk: object, for_write: bool = False) -> Organisation:
    """An enterprise the user may see; with for_write, one the user administers."""
    org = access.get_or_404(enterprise_list(user=user), pk)
    if for_write and not can_manage(user=user, enterprise=org):
        raise Http404
    return org


def access_enterprise_for_review(*, user: AnyUser, pk: object) -> Organisation:
    org = access.get_or_404(enterprise_list(user=user), pk)
    if not can_review(user=user, enterprise=org):
        raise Http404
    return org


def filing_of(*, enterprise: Organisation) -> Filing | None:
    return Filing.objects.filter(enterprise=enterprise).select_related("authority").first()


# --- adjustments --------------------------------------------------------------------------------


def adjustment_list(*, user: AnyUser) -> QuerySet[ScopeAdjustment]:
    """The enterprise sees all its adjustments; an authority only what was sent to it (drafts stay private)."""
    qs = ScopeAdjustment.objects.select_related("enterprise", "authority", "created_by")
    qs = access.scope_to_user(qs, user, enterprise_field="enterprise")
    if access.is_authority_staff(user):
        qs = qs.exclude(status=AdjustmentStatus.DRAFT)
    return qs


def adjustment_items(*, adjustment: ScopeAdjustment) -> QuerySet[AdjustmentItem]:
    return adjustment.items.select_related("occupation", "job_type", "standard", "scope_item")


def access_adjustment(*, user: AnyUser, pk: object, for_write: bool = False) -> ScopeAdjustment:
    """An adjustment the user may see; with for_write, one of the enterprise the user administers."""
    adj = access.get_or_404(adjustment_list(user=user), pk)
    if for_write and not can_manage(user=user, enterprise=adj.enterprise):
        raise Http404
    return adj


def access_adjustment_for_review(*, user: AnyUser, pk: object) -> ScopeAdjustment:
    """An adjustment the user reviews as authority staff with jurisdiction over its enterprise."""
    adj = access.get_or_404(adjustment_list(user=user), pk)
    if not can_review(user=user, enterprise=adj.enterprise):
        raise Http404
    return adj


def adjustment_queue(*, user: AnyUser) -> QuerySet[ScopeAdjustment]:
    """Pending adjustments in the authority's jurisdiction, oldest submission first."""
    if not access.is_authority_staff(user):
        return ScopeAdjustment.objects.none()
    return (
        adjustment_list(user=user)
        .filter(status__in=PENDING_STATUSES)
        .annotate(
            additions=Count("items", filter=Q(items__action=AdjustmentAction.ADD)),
            removals=Count("items", filter=Q(items__action=AdjustmentAction.REMOVE)),
        )
        .order_by("submitted_at", "pk")
    )


# --- sites, equipment, staff pool, relationships ------------------------------------------------


def site_list(*, user: AnyUser, enterprise: Organisation | None = None) -> QuerySet[Site]:
    qs = access.scope_to_user(Site.objects.select_related("enterprise"), user, enterprise_field="enterprise")
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs.prefetch_related(
        Prefetch(
            "equipment", queryset=Equipment.objects.prefetch_related("occupations").order_by("name", "pk")
        )
    )


def access_site(*, user: AnyUser, pk: object, for_write: bool = False) -> Site:
    site = access.get_or_404(site_list(user=user), pk)
    if for_write and not can_manage(user=user, enterprise=site.enterprise):
        raise Http404
    return site


def equipment_list(*, user: AnyUser, enterprise: Organisation | None = None) -> QuerySet[Equipment]:
    qs = access.scope_to_user(
        Equipment.objects.select_related("site", "site__enterprise"),
        user,
        enterprise_field="site__enterprise",
    )
    if enterprise is not None:
        qs = qs.filter(site__enterprise=enterprise)
    return qs.prefetch_related("occupations")


def access_equipment(*, user: AnyUser, pk: object, for_write: bool = False) -> Equipment:
    item = access.get_or_404(equipment_list(user=user), pk)
    if for_write and not can_manage(user=user, enterprise=item.site.enterprise):
        raise Http404
    return item


def pool_list(*, user: AnyUser, enterprise: Organisation | None = None) -> QuerySet[PoolMember]:
    qs = access.scope_to_user(
        PoolMember.objects.select_related("person", "occupation", "enterprise", "home_site"),
        user,
        enterprise_field="enterprise",
    )
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs


def access_pool_member(*, user: AnyUser, pk: object, for_write: bool = False) -> PoolMember:
    member = access.get_or_404(pool_list(user=user), pk)
    if for_write and not can_manage(user=user, enterprise=member.enterprise):
        raise Http404
    return member


def relationship_list(*, user: AnyUser, enterprise: Organisation | None = None) -> QuerySet[Relationship]:
    qs = access.scope_to_user(
        Relationship.objects.select_related("person_a", "person_b"), user, enterprise_field="enterprise"
    )
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs


def access_relationship(*, user: AnyUser, pk: object, for_write: bool = False) -> Relationship:
    rel = access.get_or_404(relationship_list(user=user).select_related("enterprise"), pk)
    if for_write and not can_manage(user=user, enterprise=rel.enterprise):
        raise Http404
    return rel


def employees_of(*, enterprise: Organisation) -> QuerySet[Person]:
    """People with an active employment in the enterprise (those the pool and relationships may name)."""
    return Person.objects.filter(employments__enterprise=enterprise, employments__is_active=True).order_by(
        "name", "pk"
    )


# --- public (R1.1: filed enterprises and their scopes are publicly listable) ----------------------


def public_filing_list(*, on: date, q: str = "") -> QuerySet[Filing]:
    """Filings in force on `on`, with the scope in force prefetched; no personal data is reachable from here."""
    qs = Filing.objects.filter(filed_on__lte=on, enterprise__is_active=True).select_related(
        "enterprise", "authority"
    )
    q = q.strip()
    if q:
        in_scope = ScopeItem.objects.filter(in_force_q(on), enterprise=OuterRef("enterprise")).filter(
            Q(occupation__name__icontains=q) | Q(job_type__name__icontains=q) | Q(occupation__code=q)
        )
        qs = qs.filter(
            Q(enterprise__name__icontains=q)
            | Q(enterprise__short_name__icontains=q)
            | Q(code__iexact=q)
            | Q(enterprise__credit_code=q)
            | Exists(in_scope)
        )
    items = ScopeItem.objects.filter(in_force_q(on)).select_related("occupation", "job_type", "standard")
    return qs.prefetch_related(
        Prefetch("enterprise__scope_items", queryset=items, to_attr="scope_now")
    ).order_by("enterprise__name", "pk")


def public_filing(*, pk: object, on: date) -> Filing:
    return access.get_or_404(public_filing_list(on=on), pk)
