"""Template context: the navigation a user's roles allow, and the unread count under the bell."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from skillcert.core import access, selectors
from skillcert.core.models.accounts import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated:
        return []
    items = [NavItem(_("工作台"), reverse("core:home"))]
    if access.is_authority_staff(user):
        items.append(NavItem(_("监管工作台"), reverse("rounds:authority_dashboard")))
    if (
        access.is_authority_staff(user)
        or access.is_enterprise_staff(user)
        or access.is_platform_admin(user, Role.SYSTEM_ADMIN)
    ):
        items.append(NavItem(_("组织"), reverse("core:org_list")))
    if user.has_role(Role.CANDIDATE):
        items.append(NavItem(_("我的申报"), reverse("enrollment:my_applications")))
    if access.is_enterprise_staff(user) or access.is_authority_staff(user):
        items.append(NavItem(_("人员"), reverse("core:person_list")))
        items.append(NavItem(_("备案与评价范围"), reverse("filings:index")))
        items.append(NavItem(_("认定批次"), reverse("rounds:round_list")))
    if (access.is_enterprise_staff(user) and user.has_role(Role.ENTERPRISE_ADMIN, Role.EXAM_STAFF)) or (
        access.is_authority_staff(user)
    ):
        items.append(NavItem(_("资格审核"), reverse("enrollment:review_rounds")))
    if access.is_enterprise_staff(user) or access.is_authority_staff(user):
        items.append(NavItem(_("考务组织"), reverse("logistics:index")))
    if user.is_staff_account and user.organisation_id is not None:
        items.append(NavItem(_("职业目录"), reverse("catalog:occupation_list")))
    if (
        access.is_enterprise_admin(user)
        or access.is_platform_admin(user, Role.SECURITY_ADMIN)
        or access.is_platform_admin(user, Role.SYSTEM_ADMIN)
        or (access.is_authority_staff(user) and user.has_role(Role.AUTHORITY_ADMIN))
    ):
        items.append(NavItem(_("账号与角色"), reverse("core:account_list")))
    if access.is_enterprise_admin(user) or (
        access.is_authority_staff(user) and user.has_role(Role.AUTHORITY_ADMIN)
    ):
        items.append(NavItem(_("接口令牌"), reverse("core:token_list")))
    if access.is_platform_admin(user, Role.AUDIT_ADMIN):
        items.append(NavItem(_("审计日志"), reverse("core:audit_list")))
    if access.is_platform_admin(user, Role.SYSTEM_ADMIN):
        items.append(NavItem(_("工作日历"), reverse("core:calendar")))
    return items


def navigation(request: HttpRequest) -> dict[str, object]:
    # The count is a callable: the template calls it (one COUNT) only where the bell is drawn.
    return {
        "nav_items": nav_items(request),
        "unread_notifications": partial(selectors.unread_notification_count, user=request.user),
    }
