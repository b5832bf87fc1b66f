"""Writes for accounts and roles, including the separation of the three administrators (S7)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcert.core import access, audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, OrgKind, Person, RoleAssignment, User
from skillcert.core.models.accounts import ADMIN_ROLES, AUTHORITY_ROLES, ENTERPRISE_STAFF_ROLES, Role

ROLE_ORG_KINDS: dict[str, set[str]] = {
    **{r: {OrgKind.PROVINCE, OrgKind.CITY} for r in AUTHORITY_ROLES},
    **{r: {OrgKind.ENTERPRISE} for r in ENTERPRISE_STAFF_ROLES | {Role.CANDIDATE}},
    **{r: {OrgKind.PLATFORM} for r in ADMIN_ROLES},
}


def account_create(
    *,
    actor: User | None,
    username: str,
    organisation: Organisation,
    password: str,
    display_name: str = "",
    email: str = "",
    person: Person | None = None,
    must_change_password: bool = True,
    validate: bool = True,
) -> User:
    """Create an account. An initial password must be changed at first login (S1)."""
    username = username.strip()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise RuleViolation("S1", _("登录名“%(u)s”已被使用。") % {"u": username}, field="username")
        user = User(username=username, display_name=display_name, email=email, organisation=organisation)
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise RuleViolation("S1", " ".join(exc.messages), field="password") from None
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.must_change_password = must_change_password
        user.save()
        if person is not None:
            Person.objects.filter(pk=person.pk).update(user=user)
        audit.record(
            actor=actor,
            action="account.create",
            obj=user,
            organisation_id=organisation.pk,
            summary={"username": username},
        )
    return user


def may_grant(actor: User | None, role: str, organisation: Organisation) -> bool:
    if actor is None:  # system bootstrap (seed, createsuperuser-like commands)
        return True
    if access.is_platform_admin(actor, Role.SECURITY_ADMIN):
        return True  # the security administrator manages roles and policies
    if role in ADMIN_ROLES:
        return False
    if role in AUTHORITY_ROLES:
        return actor.has_role(Role.AUTHORITY_ADMIN) and actor.organisation_id == organisation.pk
    return access.is_enterprise_admin(actor) and actor.organisation_id == organisation.pk


def role_grant(*, actor: User | None, user: User, role: str) -> RoleAssignment:
    """Give a role. Refuses a second administrator role (S7) and roles foreign to the account's organisation."""
    if role not in Role.values:
        raise RuleViolation("S6", _("未知角色：%(r)s") % {"r": role}, field="role")
    org = user.organisation
    if user.username.startswith("api:") and actor is not None:
        raise RuleViolation("S6", _("接口令牌的账号不能另行授予角色。"), field="role")
    if org is None or org.kind not in ROLE_ORG_KINDS[role]:
        raise RuleViolation(
            "S6", _("“%(r)s”角色不适用于该账号所属组织。") % {"r": Role(role).label}, field="role"
        )
    if not may_grant(actor, role, org):
        raise RuleViolation("S6", _("您无权授予“%(r)s”角色。") % {"r": Role(role).label}, field="role")
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        held = set(RoleAssignment.objects.filter(user=locked).values_list("role", flat=True))
        if role in held:
            raise RuleViolation("", _("该账号已有“%(r)s”角色。") % {"r": Role(role).label}, field="role")
        if role in ADMIN_ROLES and held & ADMIN_ROLES:
            other = Role(next(iter(held & ADMIN_ROLES))).label
            raise RuleViolation(
                "S7",
                _("系统管理员、安全管理员、审计管理员须由不同账号担任；该账号已是%(o)s。") % {"o": other},
                field="role",
            )
        assignment = RoleAssignment.objects.create(user=locked, role=role, organisation=org, granted_by=actor)
        audit.record(
            actor=actor, action="role.grant", obj=locked, organisation_id=org.pk, summary={"role": role}
        )
    return assignment


def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    org = assignment.organisation or assignment.user.organisation
    if org is None or not may_grant(actor, assignment.role, org):
        raise RuleViolation("S6", _("您无权撤销该角色。"))
    if assignment.user_id == actor.pk and assignment.role in ADMIN_ROLES | {Role.ENTERPRISE_ADMIN}:
        raise RuleViolation("S8", _("不能撤销自己的管理角色。"))
    with transaction.atomic():
        RoleAssignment.objects.filter(pk=assignment.pk).delete()
        audit.record(
            actor=actor,
            action="role.revoke",
            obj=assignment.user,
            organisation_id=org.pk,
            summary={"role": assignment.role},
        )


def account_set_active(*, actor: User, user: User, active: bool) -> User:
    from skillcert.core.services.auth import may_manage_account

    if not may_manage_account(actor, user):
        raise RuleViolation("S6", _("您无权启用或停用该账号。"))
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        audit.record(actor=actor, action="account.activate" if active else "account.deactivate", obj=locked)
    return locked
