"""Writes for organisations and departments."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Department, Organisation, OrgKind, User

ORG_FIELDS = (
    "name",
    "short_name",
    "credit_code",
    "region_code",
    "address",
    "contact_name",
    "contact_phone",
    "is_central_subsidiary",
    "parent_company",
    "is_active",
)


def _check_org(*, kind: str, parent: Organisation | None, authority: Organisation | None) -> None:
    if kind == OrgKind.CITY and (parent is None or parent.kind != OrgKind.PROVINCE):
        raise RuleViolation("R1.1", _("市级人社部门须隶属于一个省级人社部门。"), field="parent")
    if kind == OrgKind.ENTERPRISE and (authority is None or not authority.is_authority):
        raise RuleViolation("R1.1", _("企业须指定其备案的省级或市级人社部门。"), field="authority")


def organisation_create(
    *,
    actor: User | None,
    kind: str,
    name: str,
    parent: Organisation | None = None,
    authority: Organisation | None = None,
    **fields: Any,
) -> Organisation:
    _check_org(kind=kind, parent=parent, authority=authority)
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    with transaction.atomic():
        if Organisation.objects.filter(name=name).exists():
            raise RuleViolation("", _("名称为“%(name)s”的组织已存在。") % {"name": name}, field="name")
        org = Organisation.objects.create(kind=kind, name=name, parent=parent, authority=authority, **fields)
        audit.record(
            actor=actor,
            action="organisation.create",
            obj=org,
            organisation_id=org.pk,
            summary={"kind": kind, "name": name},
        )
    return org


def organisation_update(*, actor: User | None, org: Organisation, **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    with transaction.atomic():
        org = Organisation.objects.select_for_update(of=("self",)).get(pk=org.pk)
        changed = {k: v for k, v in fields.items() if getattr(org, k) != v}
        if not changed:
            return org
        before = {k: getattr(org, k) for k in changed}
        for key, value in changed.items():
            setattr(org, key, value)
        org.save(update_fields=list(changed))
        audit.record(
            actor=actor,
            action="organisation.update",
            obj=org,
            organisation_id=org.pk,
            summary={"before": before, "after": changed},
        )
    return org


def department_create(
    *,
    actor: User | None,
    enterprise: Organisation,
    name: str,
    code: str = "",
    parent: Department | None = None,
) -> Department:
    if not enterprise.is_enterprise:
        raise RuleViolation("", _("只有企业可以设置部门。"), field="enterprise")
    if parent is not None and parent.enterprise_id != enterprise.pk:
        raise RuleViolation("", _("上级部门须属于同一企业。"), field="parent")
    with transaction.atomic():
        if Department.objects.filter(enterprise=enterprise, name=name).exists():
            raise RuleViolation("", _("本企业已有名为“%(name)s”的部门。") % {"name": name}, field="name")
        dept = Department.objects.create(enterprise=enterprise, name=name, code=code, parent=parent)
        audit.record(
            actor=actor,
            action="department.create",
            obj=dept,
            organisation_id=enterprise.pk,
            summary={"name": name},
        )
    return dept


def department_update(
    *, actor: User | None, department: Department, name: str, code: str = "", parent: Department | None = None
) -> Department:
    with transaction.atomic():
        dept = Department.objects.select_for_update(of=("self",)).get(pk=department.pk)
        if parent is not None and (parent.pk == dept.pk or parent.enterprise_id != dept.enterprise_id):
            raise RuleViolation("", _("上级部门须是同一企业的其他部门。"), field="parent")
        if (
            Department.objects.filter(enterprise_id=dept.enterprise_id, name=name)
            .exclude(pk=dept.pk)
            .exists()
        ):
            raise RuleViolation("", _("本企业已有名为“%(name)s”的部门。") % {"name": name}, field="name")
        before = {"name": dept.name, "code": dept.code, "parent": dept.parent_id}
        dept.name, dept.code, dept.parent = name, code, parent
        dept.save(update_fields=["name", "code", "parent"])
        audit.record(
            actor=actor,
            action="department.update",
            obj=dept,
            organisation_id=dept.enterprise_id,
            summary={"before": before, "after": {"name": name, "code": code, "parent": dept.parent_id}},
        )
    return dept
