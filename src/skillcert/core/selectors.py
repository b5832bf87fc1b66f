"""Reads of core data, always through the user (DESIGN rule 2)."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from skillcert.core import access
from skillcert.core.access import AnyUser
from skillcert.core.models import (
    ApiToken,
    AuditEvent,
    Department,
    Employee,
    JobProgress,
    Notification,
    Organisation,
    OrgKind,
    Person,
    RoleAssignment,
    User,
)
from skillcert.core.models.accounts import Role


def organisation_list(*, user: AnyUser) -> QuerySet[Organisation]:
    """Authorities see themselves, their sub-authorities and the enterprises they supervise; staff their own."""
    u = access.as_user(user)
    qs = Organisation.objects.select_related("authority", "parent")
    if u is None or u.organisation is None:
        return qs.none()
    if access.is_authority_staff(u):
        org = u.organisation
        authorities = Q(pk=org.pk) | Q(parent=org) if org.kind == OrgKind.PROVINCE else Q(pk=org.pk)
        return qs.filter(authorities | (Q(kind=OrgKind.ENTERPRISE) & access.jurisdiction_q(org)))
    if access.is_enterprise_staff(u) or access.is_platform_admin(u):
        if access.is_platform_admin(u, Role.SYSTEM_ADMIN) or access.is_platform_admin(u, Role.SECURITY_ADMIN):
            return qs
        return qs.filter(pk=u.organisation.pk)
    return qs.none()


def access_organisation(*, user: AnyUser, pk: int, for_write: bool = False) -> Organisation:
    org = access.get_or_404(organisation_list(user=user), pk)
    if for_write and not can_manage_organisation(user=user, org=org):
        raise access.Http404
    return org


def access_roster_enterprise(*, user: AnyUser, pk: int) -> Organisation:
    """The enterprise whose employees this user may list: its own staff, or an authority over it.

    organisation_list also shows enterprises to platform admins, who may not read personal data (S7).
    """
    org = access_organisation(user=user, pk=pk)
    if not org.is_enterprise or not access.enterprises_for(user).filter(pk=org.pk).exists():
        raise access.Http404
    return org


def roster_employees(*, user: AnyUser, enterprise: Organisation) -> QuerySet[Employee]:
    """Active employees of an enterprise in roster order."""
    return (
        employee_list(user=user)
        .filter(enterprise=enterprise, is_active=True)
        .order_by("department__name", "employee_no", "pk")
    )


def can_manage_organisation(*, user: AnyUser, org: Organisation) -> bool:
    """Enterprise admins manage their enterprise; authority admins the enterprises they supervise."""
    u = access.as_user(user)
    if u is None:
        return False
    if org.is_enterprise and access.is_enterprise_admin(u) and u.organisation_id == org.pk:
        return True
    if access.is_authority_staff(u) and u.has_role(Role.AUTHORITY_ADMIN):
        return organisation_list(user=u).filter(pk=org.pk).exists()
    return access.is_platform_admin(u, Role.SYSTEM_ADMIN)


def department_list(*, user: AnyUser, enterprise: Organisation | None = None) -> QuerySet[Department]:
    qs = Department.objects.select_related("enterprise")
    if not access.is_platform_admin(user, Role.SYSTEM_ADMIN):
        qs = access.scope_to_user(qs, user, enterprise_field="enterprise")
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    return qs.annotate(employee_count=Count("employees"))


def access_department(*, user: AnyUser, pk: int, for_write: bool = False) -> Department:
    dept = access.get_or_404(department_list(user=user), pk)
    if for_write and not can_manage_organisation(user=user, org=dept.enterprise):
        raise access.Http404
    return dept


def employee_list(*, user: AnyUser) -> QuerySet[Employee]:
    qs = Employee.objects.select_related("person", "enterprise", "department")
    return access.scope_to_user(qs, user, enterprise_field="enterprise", person_field="person")


def access_employee(*, user: AnyUser, pk: int, for_write: bool = False) -> Employee:
    employee = access.get_or_404(employee_list(user=user), pk)
    if for_write:
        u = access.as_user(user)
        if u is None or not access.is_enterprise_admin(u) or employee.enterprise_id != u.organisation_id:
            raise access.Http404
    return employee


def person_list(*, user: AnyUser) -> QuerySet[Person]:
    """People employed by an enterprise the user may see (or the candidate themself)."""
    visible = employee_list(user=user).values("person_id")
    return Person.objects.filter(pk__in=visible)


def access_person(*, user: AnyUser, pk: int, for_write: bool = False) -> Person:
    person = access.get_or_404(person_list(user=user), pk)
    if for_write and not can_edit_person(user=user, person=person):
        raise access.Http404
    return person


def can_edit_person(*, user: AnyUser, person: Person) -> bool:
    u = access.as_user(user)
    if u is None or not access.is_enterprise_admin(u):
        return False
    return person.employments.filter(enterprise_id=u.organisation_id).exists()


def can_reveal_id_number(*, user: AnyUser) -> bool:
    """Full ID numbers: enterprise admins and authority reviewers, with a stated reason (S14)."""
    u = access.as_user(user)
    return bool(
        u and (access.is_enterprise_admin(u) or u.has_role(Role.AUTHORITY_REVIEWER, Role.AUTHORITY_ADMIN))
    )


def account_list(*, user: AnyUser) -> QuerySet[User]:
    """Enterprise admins see their enterprise's accounts; the system and security admins see all."""
    u = access.as_user(user)
    # Token principals (api:<prefix>) are managed through their tokens, never as accounts.
    qs = (
        User.objects.select_related("organisation")
        .prefetch_related("role_assignments")
        .exclude(username__startswith="api:")
    )
    if u is None:
        return qs.none()
    if access.is_platform_admin(u, Role.SYSTEM_ADMIN) or access.is_platform_admin(u, Role.SECURITY_ADMIN):
        return qs
    if access.is_enterprise_admin(u):
        return qs.filter(organisation=u.organisation)
    if access.is_authority_staff(u) and u.has_role(Role.AUTHORITY_ADMIN):
        return qs.filter(organisation=u.organisation)
    return qs.none()


def access_account(*, user: AnyUser, pk: int) -> User:
    return access.get_or_404(account_list(user=user), pk)


def role_assignment_list(*, user: AnyUser, account: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=access_account(user=user, pk=account.pk)).select_related(
        "organisation"
    )


def audit_event_list(*, user: AnyUser) -> QuerySet[AuditEvent]:
    """Only the audit administrator reads the ledger; the system administrator cannot (S7)."""
    if not access.is_platform_admin(user, Role.AUDIT_ADMIN):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def job_list(*, user: AnyUser) -> QuerySet[JobProgress]:
    u = access.as_user(user)
    if u is None:
        return JobProgress.objects.none()
    return JobProgress.objects.filter(created_by=u)


def access_job(*, user: AnyUser, pk: object) -> JobProgress:
    return access.get_or_404(job_list(user=user), pk)


def api_token_list(*, user: AnyUser) -> QuerySet[ApiToken]:
    u = access.as_user(user)
    if u is None or u.organisation is None:
        return ApiToken.objects.none()
    if access.is_enterprise_admin(u) or (access.is_authority_staff(u) and u.has_role(Role.AUTHORITY_ADMIN)):
        return ApiToken.objects.filter(organisation=u.organisation).select_related("created_by")
    return ApiToken.objects.none()


def notification_list(*, user: AnyUser) -> QuerySet[Notification]:
    """A user's own notifications, unread first, newest first; nobody reads another account's."""
    u = access.as_user(user)
    if u is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=u).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def access_notification(*, user: AnyUser, pk: object) -> Notification:
    return access.get_or_404(notification_list(user=user), pk)


def unread_notification_count(*, user: AnyUser) -> int:
    """One COUNT over the (recipient, read_at) index."""
    u = access.as_user(user)
    if u is None:
        return 0
    return Notification.objects.filter(recipient=u, read_at__isnull=True).count()
