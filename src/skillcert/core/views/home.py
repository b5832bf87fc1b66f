"""The home page: one work list per role the user holds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from skillcert.core import access, selectors
from skillcert.core.http import AuthedRequest
from skillcert.core.models import CalendarYear, OrgKind
from skillcert.core.models.accounts import Role


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"roles": sorted(Role(r).label for r in user.role_set())}
    if access.is_enterprise_staff(user):
        context["enterprise"] = user.organisation
        context["employee_count"] = selectors.employee_list(user=user).filter(is_active=True).count()
        context["department_count"] = selectors.department_list(user=user).count()
        context["is_enterprise_admin"] = access.is_enterprise_admin(user)
        if access.is_enterprise_admin(user):
            context["account_count"] = selectors.account_list(user=user).count()
    if access.is_authority_staff(user):
        orgs = selectors.organisation_list(user=user)
        context["authority"] = user.organisation
        context["supervised"] = orgs.filter(kind=OrgKind.ENTERPRISE).order_by("name")[:20]
        context["supervised_count"] = orgs.filter(kind=OrgKind.ENTERPRISE).count()
    if user.has_role(Role.CANDIDATE) and not access.is_enterprise_staff(user):
        context["my_employments"] = selectors.employee_list(user=user)
    if access.is_platform_admin(user, Role.SYSTEM_ADMIN):
        context["sysadmin"] = True
        context["calendar_years"] = list(CalendarYear.objects.values_list("year", flat=True)[:5])
    if access.is_platform_admin(user, Role.SECURITY_ADMIN):
        context["secadmin"] = True
        context["account_total"] = selectors.account_list(user=user).count()
    if access.is_platform_admin(user, Role.AUDIT_ADMIN):
        context["auditadmin"] = True
        context["recent_events"] = selectors.audit_event_list(user=user)[:10]
    return render(request, "core/home.html", context)
