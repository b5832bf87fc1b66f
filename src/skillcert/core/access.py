"""Tenancy and role checks used by every selector (DESIGN rule 2; S6)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from skillcert.core.models import Organisation, OrgKind, User
from skillcert.core.models.accounts import ADMIN_ROLES, AUTHORITY_ROLES, ENTERPRISE_STAFF_ROLES, Role

M = TypeVar("M", bound=Model)
AnyUser = User | AnonymousUser


def as_user(user: AnyUser) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def is_authority_staff(user: AnyUser) -> bool:
    u = as_user(user)
    return bool(u and u.organisation and u.organisation.is_authority and u.has_role(*AUTHORITY_ROLES))


def is_enterprise_staff(user: AnyUser) -> bool:
    u = as_user(user)
    return bool(u and u.organisation and u.organisation.is_enterprise and u.has_role(*ENTERPRISE_STAFF_ROLES))


def is_enterprise_admin(user: AnyUser) -> bool:
    u = as_user(user)
    return bool(u and u.organisation and u.organisation.is_enterprise and u.has_role(Role.ENTERPRISE_ADMIN))


def is_platform_admin(user: AnyUser, role: str | None = None) -> bool:
    u = as_user(user)
    if u is None:
        return False
    return u.has_role(role) if role else u.has_role(*ADMIN_ROLES)


def jurisdiction_q(authority: Organisation, prefix: str = "") -> Q:
    """Enterprises an authority supervises: those filed with it, and for a province those filed with its cities."""
    if authority.kind == OrgKind.PROVINCE:
        return Q(**{f"{prefix}authority": authority}) | Q(**{f"{prefix}authority__parent": authority})
    return Q(**{f"{prefix}authority": authority})


def enterprises_for(user: AnyUser) -> QuerySet[Organisation]:
    """The enterprises whose records this user may see."""
    u = as_user(user)
    enterprises = Organisation.objects.filter(kind=OrgKind.ENTERPRISE)
    if u is None or u.organisation is None:
        return enterprises.none()
    if is_authority_staff(u):
        return enterprises.filter(jurisdiction_q(u.organisation))
    if is_enterprise_staff(u):
        return enterprises.filter(pk=u.organisation.pk)
    return enterprises.none()


def scope_to_user(
    qs: QuerySet[M],
    user: AnyUser,
    *,
    enterprise_field: str,
    person_field: str | None = None,
) -> QuerySet[M]:
    """Deny by default: staff see their enterprise, authorities their jurisdiction, candidates their own rows."""
    u = as_user(user)
    if u is None or u.organisation is None:
        return qs.none()
    if is_authority_staff(u):
        return qs.filter(jurisdiction_q(u.organisation, prefix=f"{enterprise_field}__"))
    if is_enterprise_staff(u):
        return qs.filter(**{enterprise_field: u.organisation.pk})
    if person_field and u.has_role(Role.CANDIDATE):
        return qs.filter(**{f"{person_field}__user": u, enterprise_field: u.organisation.pk})
    return qs.none()


def get_or_404(qs: QuerySet[M], pk: object) -> M:
    """Missing and forbidden look alike (S6)."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
