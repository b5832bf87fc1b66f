"""Reads of the catalogue, always through the user (DESIGN rule 2).

Every logged-in staff account reads the national catalogue, national standards and national rule
sets. An enterprise's evaluation specifications and rule sets are seen by that enterprise and by
the authorities over it. The national catalogue is written by the platform's system administrator
and the provincial authority's administrators; an enterprise's own records by its administrator.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from skillcert.catalog.models import (
    EligibilityRuleSet,
    JobType,
    Level,
    Occupation,
    Standard,
    StandardKind,
)
from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, OrgKind
from skillcert.core.models.accounts import Role


def is_catalogue_reader(user: AnyUser) -> bool:
    """Staff of any organisation (not a candidate only)."""
    u = access.as_user(user)
    return bool(u and u.organisation_id is not None and u.is_staff_account)


def can_edit_catalogue(*, user: AnyUser) -> bool:
    """The national catalogue, national standards and national rule sets: system admin, provincial admins."""
    u = access.as_user(user)
    if u is None:
        return False
    if access.is_platform_admin(u, Role.SYSTEM_ADMIN):
        return True
    return bool(
        access.is_authority_staff(u)
        and u.has_role(Role.AUTHORITY_ADMIN)
        and u.organisation is not None
        and u.organisation.kind == OrgKind.PROVINCE
    )


def own_enterprise(*, user: AnyUser) -> Organisation | None:
    """The enterprise whose specifications and rule sets this user writes (its administrator), else None."""
    u = access.as_user(user)
    if u is None or not access.is_enterprise_admin(u):
        return None
    return u.organisation


def _enterprise_visible(user: AnyUser, field: str) -> Q:
    """National rows, plus the enterprise rows of the enterprises this user may see."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": access.enterprises_for(user)})


# --- occupations and job types -------------------------------------------------------------------


def occupation_list(*, user: AnyUser) -> QuerySet[Occupation]:
    if not is_catalogue_reader(user):
        return Occupation.objects.none()
    return Occupation.objects.select_related("parent")


def occupation_browse(*, user: AnyUser) -> QuerySet[Occupation]:
    """The list page's rows, with counts of children, job types and standards."""
    return occupation_list(user=user).annotate(
        child_count=Count("children", distinct=True),
        job_type_count=Count("job_types", distinct=True),
    )


def access_occupation(*, user: AnyUser, pk: object, for_write: bool = False) -> Occupation:
    occ = access.get_or_404(occupation_list(user=user), pk)
    if for_write and not can_edit_catalogue(user=user):
        raise access.Http404
    return occ


def occupation_chain(occupation: Occupation) -> list[Occupation]:
    """大类 → … → this node (at most four rows, one query each)."""
    chain = [occupation]
    node = occupation
    while node.parent_id is not None and len(chain) < 4:
        node = Occupation.objects.get(pk=node.parent_id)
        chain.append(node)
    return list(reversed(chain))


def job_type_list(*, user: AnyUser) -> QuerySet[JobType]:
    if not is_catalogue_reader(user):
        return JobType.objects.none()
    return JobType.objects.select_related("occupation")


def access_job_type(*, user: AnyUser, pk: object, for_write: bool = False) -> JobType:
    jt = access.get_or_404(job_type_list(user=user), pk)
    if for_write and not can_edit_catalogue(user=user):
        raise access.Http404
    return jt


# --- standards -----------------------------------------------------------------------------------


def standard_list(*, user: AnyUser) -> QuerySet[Standard]:
    """National standards for every reader; specifications of the enterprises the user may see."""
    if not is_catalogue_reader(user):
        return Standard.objects.none()
    return Standard.objects.select_related("occupation", "enterprise", "rule_set").filter(
        _enterprise_visible(user, "enterprise")
    )


def can_edit_standard(*, user: AnyUser, standard: Standard) -> bool:
    if standard.kind == StandardKind.NATIONAL:
        return can_edit_catalogue(user=user)
    ent = own_enterprise(user=user)
    return ent is not None and standard.enterprise_id == ent.pk


def can_create_standard(*, user: AnyUser) -> str | None:
    """The kind of standard this user may create (national or specification), or None."""
    if can_edit_catalogue(user=user):
        return StandardKind.NATIONAL
    if own_enterprise(user=user) is not None:
        return StandardKind.SPECIFICATION
    return None


def access_standard(*, user: AnyUser, pk: object, for_write: bool = False) -> Standard:
    std = access.get_or_404(standard_list(user=user), pk)
    if for_write and not can_edit_standard(user=user, standard=std):
        raise access.Http404
    return std


# --- eligibility rule sets -----------------------------------------------------------------------


def rule_set_list(*, user: AnyUser) -> QuerySet[EligibilityRuleSet]:
    """Templates and national rule sets for every reader; enterprise rule sets as standards are."""
    if not is_catalogue_reader(user):
        return EligibilityRuleSet.objects.none()
    return (
        EligibilityRuleSet.objects.select_related("enterprise", "updated_by")
        .filter(_enterprise_visible(user, "enterprise"))
        .annotate(standard_count=Count("standards", distinct=True))
    )


def can_edit_rule_set(*, user: AnyUser, rule_set: EligibilityRuleSet) -> bool:
    """Templates change only with the code; national sets by catalogue editors; enterprise sets by its admin."""
    if rule_set.template:
        return False
    if rule_set.enterprise_id is None:
        return can_edit_catalogue(user=user)
    ent = own_enterprise(user=user)
    return ent is not None and rule_set.enterprise_id == ent.pk


def can_create_rule_set(*, user: AnyUser) -> bool:
    return can_edit_catalogue(user=user) or own_enterprise(user=user) is not None


def access_rule_set(*, user: AnyUser, pk: object, for_write: bool = False) -> EligibilityRuleSet:
    rs = access.get_or_404(rule_set_list(user=user), pk)
    if for_write and not can_edit_rule_set(user=user, rule_set=rs):
        raise access.Http404
    return rs


def rule_set_choices(*, user: AnyUser, enterprise: Organisation | None) -> QuerySet[EligibilityRuleSet]:
    """Rule sets a standard of `enterprise` (None: national) may use: national ones, and its own."""
    qs = rule_set_list(user=user)
    if enterprise is None:
        return qs.filter(enterprise__isnull=True)
    return qs.filter(Q(enterprise__isnull=True) | Q(enterprise=enterprise))


def require_standard_covers(
    *,
    standard: Standard,
    occupation: Occupation,
    job_type: JobType | None,
    level: int,
    field: str | None = None,
) -> None:
    """Refuse (R1.2) a standard that is not for this occupation or does not cover the level or job type.

    Errors point at the field that is wrong, or all at `field` when the caller's form has one picker.
    """
    if standard.occupation_id != occupation.pk:
        raise RuleViolation(
            "R1.2",
            _("“%(s)s”不是职业“%(o)s”的标准。") % {"s": standard.title, "o": occupation.name},
            field=field or "standard",
        )
    if standard.levels and level not in standard.levels:
        raise RuleViolation(
            "R1.2",
            _("“%(s)s”未覆盖%(l)s。") % {"s": standard.title, "l": Level(level).label},
            field=field or "level",
        )
    if (
        job_type is not None
        and standard.job_types.exists()
        and not standard.job_types.filter(pk=job_type.pk).exists()
    ):
        raise RuleViolation(
            "R1.2",
            _("“%(s)s”未覆盖工种“%(j)s”。") % {"s": standard.title, "j": job_type.name},
            field=field or "job_type",
        )
