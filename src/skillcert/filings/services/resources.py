"""Writes for an enterprise's sites, equipment, staff pool and declared relationships (R1.3 item 4; recusal)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from skillcert.catalog.models import ORDINARY_LEVELS, Occupation
from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Employee, Organisation, Person, User
from skillcert.filings.models import Equipment, PoolMember, PoolRole, RelationKind, Relationship, Site
from skillcert.filings.services import jsonable


def _record(actor: User | None, action: str, obj: Model, enterprise_id: int, **summary: object) -> None:
    audit.record(
        actor=actor, action=action, obj=obj, organisation_id=enterprise_id, summary=jsonable(summary)
    )


def _require_enterprise(enterprise: Organisation) -> None:
    if not enterprise.is_enterprise:
        raise RuleViolation("", _("只有企业可以登记评价场地和评价人员。"), field="enterprise")


# --- sites and equipment ------------------------------------------------------------------------


def _clean_site(name: str, address: str) -> tuple[str, str]:
    name, address = name.strip(), address.strip()
    if not name:
        raise RuleViolation("R1.3", _("须填写场地名称。"), field="name")
    if not address:
        raise RuleViolation("R1.3", _("须填写场地地址。"), field="address")
    return name, address


def site_create(
    *,
    actor: User | None,
    enterprise: Organisation,
    name: str,
    address: str,
    note: str = "",
    head_name: str = "",
    head_phone: str = "",
) -> Site:
    _require_enterprise(enterprise)
    name, address = _clean_site(name, address)
    with transaction.atomic():
        if Site.objects.filter(enterprise=enterprise, name=name).exists():
            raise RuleViolation("", _("本企业已有名为“%(n)s”的场地。") % {"n": name}, field="name")
        site = Site.objects.create(
            enterprise=enterprise,
            name=name,
            address=address,
            note=note.strip(),
            head_name=head_name.strip(),
            head_phone=head_phone.strip(),
        )
        _record(actor, "site.create", site, enterprise.pk, name=name)
    return site


def site_update(
    *,
    actor: User | None,
    site: Site,
    name: str,
    address: str,
    note: str = "",
    is_active: bool = True,
    head_name: str | None = None,
    head_phone: str | None = None,
) -> Site:
    """Change a site; `head_name`/`head_phone` of None keep what is stored."""
    name, address = _clean_site(name, address)
    with transaction.atomic():
        site = Site.objects.select_for_update(of=("self",)).get(pk=site.pk)
        if Site.objects.filter(enterprise_id=site.enterprise_id, name=name).exclude(pk=site.pk).exists():
            raise RuleViolation("", _("本企业已有名为“%(n)s”的场地。") % {"n": name}, field="name")
        before = {
            "name": site.name,
            "address": site.address,
            "note": site.note,
            "head_name": site.head_name,
            "head_phone": site.head_phone,
            "is_active": site.is_active,
        }
        site.name, site.address, site.note, site.is_active = name, address, note.strip(), is_active
        if head_name is not None:
            site.head_name = head_name.strip()
        if head_phone is not None:
            site.head_phone = head_phone.strip()
        site.save(update_fields=["name", "address", "note", "head_name", "head_phone", "is_active"])
        after = {
            "name": name,
            "address": address,
            "note": site.note,
            "head_name": site.head_name,
            "head_phone": site.head_phone,
            "is_active": is_active,
        }
        _record(actor, "site.update", site, site.enterprise_id, before=before, after=after)
    return site


def _clean_equipment(
    name: str, count: int, occupations: Iterable[Occupation]
) -> tuple[str, list[Occupation]]:
    name = name.strip()
    if not name:
        raise RuleViolation("R1.3", _("须填写设备名称。"), field="name")
    if count < 1:
        raise RuleViolation("R1.3", _("设备数量至少为 1。"), field="count")
    occs = list(occupations)
    if not occs:
        raise RuleViolation("R1.3", _("须选择该设备适用的职业。"), field="occupations")
    if any(o.tier != 4 for o in occs):
        raise RuleViolation("R1.3", _("适用职业须为职业分类第4层的职业。"), field="occupations")
    return name, occs


def equipment_create(
    *,
    actor: User | None,
    site: Site,
    name: str,
    count: int,
    occupations: Iterable[Occupation],
    model: str = "",
) -> Equipment:
    name, occs = _clean_equipment(name, count, occupations)
    with transaction.atomic():
        item = Equipment.objects.create(site=site, name=name, model=model.strip(), count=count)
        item.occupations.set(occs)
        _record(
            actor,
            "equipment.create",
            item,
            site.enterprise_id,
            site=site.name,
            name=name,
            count=count,
            occupations=[o.code for o in occs],
        )
    return item


def equipment_update(
    *,
    actor: User | None,
    equipment: Equipment,
    name: str,
    count: int,
    occupations: Iterable[Occupation],
    model: str = "",
) -> Equipment:
    name, occs = _clean_equipment(name, count, occupations)
    with transaction.atomic():
        item = Equipment.objects.select_for_update(of=("self",)).select_related("site").get(pk=equipment.pk)
        before = {
            "name": item.name,
            "model": item.model,
            "count": item.count,
            "occupations": sorted(item.occupations.values_list("code", flat=True)),
        }
        item.name, item.model, item.count = name, model.strip(), count
        item.save(update_fields=["name", "model", "count"])
        item.occupations.set(occs)
        after = {
            "name": name,
            "model": item.model,
            "count": count,
            "occupations": sorted(o.code for o in occs),
        }
        _record(actor, "equipment.update", item, item.site.enterprise_id, before=before, after=after)
    return item


def equipment_delete(*, actor: User | None, equipment: Equipment) -> None:
    with transaction.atomic():
        item = Equipment.objects.select_for_update(of=("self",)).select_related("site").get(pk=equipment.pk)
        _record(actor, "equipment.delete", item, item.site.enterprise_id, name=item.name, site=item.site.name)
        item.delete()


# --- the staff pool -----------------------------------------------------------------------------


def _require_employee(enterprise: Organisation, person: Person, field: str = "person") -> None:
    if not Employee.objects.filter(enterprise=enterprise, person=person).exists():
        raise RuleViolation("", _("%(n)s 不是本企业在册人员。") % {"n": person.name}, field=field)


def _check_member(
    *, role: str, occupation: Occupation | None, max_level: int | None, certificate_no: str
) -> None:
    if role not in PoolRole.values:
        raise RuleViolation("", _("人员类别无效。"), field="role")
    if role in (PoolRole.ASSESSOR, PoolRole.ITEM_WRITER) and occupation is None:
        raise RuleViolation("R1.3", _("考评员和命题人员须填写职业。"), field="occupation")
    if occupation is not None and occupation.tier != 4:
        raise RuleViolation("R1.3", _("须选择职业分类第4层的职业。"), field="occupation")
    if role == PoolRole.ASSESSOR:
        if max_level is None:
            raise RuleViolation("R1.3", _("考评员须填写最高可考评等级。"), field="max_level")
        if not certificate_no:
            raise RuleViolation("R1.3", _("考评员须填写证书编号。"), field="certificate_no")
    if max_level is not None and max_level not in ORDINARY_LEVELS:
        raise RuleViolation("R1.3", _("可考评等级须为五级至一级。"), field="max_level")


def _duplicate(
    enterprise: Organisation, person: Person, role: str, occupation: Occupation | None, exclude: int | None
) -> None:
    qs = PoolMember.objects.filter(enterprise=enterprise, person=person, role=role, occupation=occupation)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise RuleViolation(
            "",
            _("%(n)s 已登记为%(r)s%(o)s。")
            % {
                "n": person.name,
                "r": PoolRole(role).label,
                "o": f"（{occupation.name}）" if occupation else "",
            },
            field="person",
        )


def pool_member_create(
    *,
    actor: User | None,
    enterprise: Organisation,
    person: Person,
    role: str,
    occupation: Occupation | None = None,
    max_level: int | None = None,
    certificate_no: str = "",
    valid_until: date | None = None,
    home_site: Site | None = None,
) -> PoolMember:
    """Put a person in the staff pool: an assessor (occupation, highest level, certificate), writer,
    supervisor or exam-affairs staff member; `home_site` is where the staff plan prefers to place them."""
    _require_enterprise(enterprise)
    if home_site is not None and home_site.enterprise_id != enterprise.pk:
        raise RuleViolation("", _("常驻考点须为本企业的评价场地。"), field="home_site")
    certificate_no = certificate_no.strip()
    _check_member(role=role, occupation=occupation, max_level=max_level, certificate_no=certificate_no)
    _require_employee(enterprise, person)
    with transaction.atomic():
        _duplicate(enterprise, person, role, occupation, None)
        member = PoolMember.objects.create(
            enterprise=enterprise,
            person=person,
            role=role,
            occupation=occupation,
            max_level=max_level,
            certificate_no=certificate_no,
            valid_until=valid_until,
            home_site=home_site,
        )
        _record(
            actor,
            "pool.create",
            member,
            enterprise.pk,
            person=person.name,
            role=role,
            occupation=occupation.code if occupation else "",
            max_level=max_level,
        )
    return member


def pool_member_update(
    *,
    actor: User | None,
    member: PoolMember,
    role: str,
    occupation: Occupation | None,
    max_level: int | None,
    certificate_no: str,
    valid_until: date | None,
    is_active: bool,
    home_site: Site | None = None,
) -> PoolMember:
    certificate_no = certificate_no.strip()
    if home_site is not None and home_site.enterprise_id != member.enterprise_id:
        raise RuleViolation("", _("常驻考点须为本企业的评价场地。"), field="home_site")
    _check_member(role=role, occupation=occupation, max_level=max_level, certificate_no=certificate_no)
    with transaction.atomic():
        m = (
            PoolMember.objects.select_for_update(of=("self",))
            .select_related("enterprise", "person")
            .get(pk=member.pk)
        )
        _duplicate(m.enterprise, m.person, role, occupation, m.pk)
        before = {
            "role": m.role,
            "occupation": m.occupation_id,
            "max_level": m.max_level,
            "certificate_no": m.certificate_no,
            "valid_until": m.valid_until,
            "home_site": m.home_site_id,
            "is_active": m.is_active,
        }
        m.role, m.occupation, m.max_level = role, occupation, max_level
        m.certificate_no, m.valid_until, m.is_active = certificate_no, valid_until, is_active
        m.home_site = home_site
        m.save(
            update_fields=[
                "role",
                "occupation",
                "max_level",
                "certificate_no",
                "valid_until",
                "home_site",
                "is_active",
            ]
        )
        after = {
            "role": role,
            "occupation": occupation.pk if occupation else None,
            "max_level": max_level,
            "certificate_no": certificate_no,
            "valid_until": valid_until,
            "home_site": home_site.pk if home_site else None,
            "is_active": is_active,
        }
        _record(actor, "pool.update", m, m.enterprise_id, person=m.person.name, before=before, after=after)
    return m


# --- declared relationships (symmetric) -----------------------------------------------------------


def relationship_create(
    *,
    actor: User | None,
    enterprise: Organisation,
    a: Person,
    b: Person,
    kind: str,
    note: str = "",
) -> Relationship:
    """Declare that two people are related (relatives, same team, direct superior/subordinate); stored once per pair."""
    _require_enterprise(enterprise)
    if kind not in RelationKind.values:
        raise RuleViolation("", _("关系类别无效。"), field="kind")
    if a.pk == b.pk:
        raise RuleViolation("", _("须选择两个不同的人。"), field="person_b")
    _require_employee(enterprise, a, "person_a")
    _require_employee(enterprise, b, "person_b")
    first, second = (a, b) if a.pk < b.pk else (b, a)
    with transaction.atomic():
        if Relationship.objects.filter(
            enterprise=enterprise, person_a=first, person_b=second, kind=kind
        ).exists():
            raise RuleViolation(
                "",
                _("%(a)s 与 %(b)s 的“%(k)s”关系已登记。")
                % {"a": first.name, "b": second.name, "k": RelationKind(kind).label},
                field="person_b",
            )
        rel = Relationship.objects.create(
            enterprise=enterprise,
            person_a=first,
            person_b=second,
            kind=kind,
            note=note.strip(),
            created_by=actor,
        )
        _record(actor, "relationship.create", rel, enterprise.pk, a=first.name, b=second.name, kind=kind)
    return rel


def relationship_delete(*, actor: User | None, relationship: Relationship) -> None:
    with transaction.atomic():
        rel = (
            Relationship.objects.select_for_update(of=("self",))
            .select_related("person_a", "person_b")
            .get(pk=relationship.pk)
        )
        _record(
            actor,
            "relationship.delete",
            rel,
            rel.enterprise_id,
            a=rel.person_a.name,
            b=rel.person_b.name,
            kind=rel.kind,
        )
        rel.delete()
