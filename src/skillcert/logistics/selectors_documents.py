"""Reads for the logistics documents and the editable handbook texts (R6.2, R6.5, R6.7)."""

from __future__ import annotations

from django.http import Http404

from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.models import Organisation
from skillcert.core.models.accounts import Role
from skillcert.logistics.house_rules_default import DEFAULTS
from skillcert.logistics.models import HouseRules


def house_rules_of(*, enterprise: Organisation) -> HouseRules:
    """The enterprise's handbook texts; an unsaved copy of the defaults when it never edited them."""
    rules = HouseRules.objects.filter(enterprise=enterprise).first()
    return rules if rules is not None else HouseRules(enterprise=enterprise, **DEFAULTS)


def can_edit_house_rules(*, user: AnyUser, enterprise: Organisation) -> bool:
    """The enterprise admin and exam-affairs staff edit their own enterprise's texts."""
    u = access.as_user(user)
    return bool(
        u
        and access.is_enterprise_staff(u)
        and u.organisation_id == enterprise.pk
        and u.has_role(Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF)
    )


def access_house_rules_enterprise(
    *, user: AnyUser, pk: object = None, for_write: bool = False
) -> Organisation:
    """Enterprise staff reach their own enterprise (``pk`` omitted or equal to it); authorities name an
    enterprise of their jurisdiction. Anyone else, or an enterprise out of reach, gets 404."""
    u = access.as_user(user)
    if u is None:
        raise Http404
    if pk is None or pk == "":
        if not access.is_enterprise_staff(u) or u.organisation is None:
            raise Http404
        enterprise: Organisation = u.organisation
    else:
        enterprise = access.get_or_404(access.enterprises_for(u), pk)
    if for_write and not can_edit_house_rules(user=u, enterprise=enterprise):
        raise Http404
    return enterprise
