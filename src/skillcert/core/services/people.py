"""Writes for people and employee records, including audited disclosure of personal data (S14)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from skillcert.core import audit, crypto, idcard
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Department, Employee, Organisation, Person, User


def _id_info(id_number: str) -> idcard.IdInfo:
    try:
        return idcard.parse(id_number)
    except idcard.IdNumberError as exc:
        raise RuleViolation("R3.3", str(exc), field="id_number") from None


def person_create(
    *,
    actor: User | None,
    name: str,
    id_number: str,
    phone: str = "",
    sex: str | None = None,
    birth_date: date | None = None,
) -> Person:
    """Create a person; sex and birth date come from the ID number and must agree if given (R3.3)."""
    info = _id_info(id_number)
    if sex and sex != info.sex:
        raise RuleViolation("R3.3", _("性别与身份证号不一致。"), field="sex")
    if birth_date and birth_date != info.birth_date:
        raise RuleViolation(
            "R3.3",
            _("出生日期与身份证号不一致（证件为 %(d)s）。") % {"d": info.birth_date},
            field="birth_date",
        )
    name = name.strip()
    if not name:
        raise RuleViolation("", _("姓名不能为空。"), field="name")
    with transaction.atomic():
        index = crypto.blind_index(info.number, purpose="id_number")
        if Person.objects.filter(id_number_index=index).exists():
            raise RuleViolation(
                "",
                _("身份证号 %(m)s 已登记为其他人员。") % {"m": idcard.mask(info.number)},
                field="id_number",
            )
        person = Person(name=name, sex=info.sex, birth_date=info.birth_date)
        person.set_id_number(info.number)
        person.set_phone(phone)
        person.save()
        audit.record(
            actor=actor,
            action="person.create",
            obj=person,
            summary={"name": name, "id_number_masked": person.id_number_masked},
        )
    return person


def person_find_or_create(
    *, actor: User | None, name: str, id_number: str, phone: str = ""
) -> tuple[Person, bool]:
    """The person with this ID number, registered now if new; an existing one must carry the same name (R3.3).

    A worker who moves between enterprises stays one person, so their certificates follow them.
    """
    info = _id_info(id_number)
    with transaction.atomic():
        existing = Person.objects.filter(
            id_number_index=crypto.blind_index(info.number, purpose="id_number")
        ).first()
        if existing is None:
            return person_create(actor=actor, name=name, id_number=info.number, phone=phone), True
        if existing.name != name.strip():
            raise RuleViolation(
                "R3.3", _("该身份证号已登记，登记的姓名与填写的姓名不一致，请核对。"), field="name"
            )
        return existing, False


def person_update(*, actor: User | None, person: Person, name: str, phone: str | None = None) -> Person:
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
        before = {"name": person.name, "phone_masked": person.phone_masked}
        person.name = name.strip()
        if phone is not None:  # None keeps the current number
            person.set_phone(phone)
        person.save(update_fields=["name", "phone_enc", "phone_masked", "updated_at"])
        audit.record(
            actor=actor,
            action="person.update",
            obj=person,
            summary={"before": before, "after": {"name": person.name, "phone_masked": person.phone_masked}},
        )
    return person


def person_set_photo(*, actor: User | None, person: Person, data: bytes, content_type: str) -> Person:
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
        person.set_photo(data, content_type)
        person.save(update_fields=["photo_enc", "photo_type", "updated_at"])
        audit.record(actor=actor, action="person.photo", obj=person, summary={"bytes": len(data)})
    return person


def person_reveal_id_number(*, actor: User | None, person: Person, reason: str) -> str:
    """Show a full ID number: needs a stated reason and writes an audit event (S14)."""
    reason = reason.strip()
    if len(reason) < 4:
        raise RuleViolation("S14", _("查看完整身份证号须填写理由（至少4个字）。"), field="reason")
    number = person.reveal_id_number()
    audit.record(
        actor=actor,
        action="person.reveal_id_number",
        obj=person,
        summary={"reason": reason, "id_number_masked": person.id_number_masked},
    )
    return number


def employee_create(
    *,
    actor: User | None,
    person: Person,
    enterprise: Organisation,
    employee_no: str,
    department: Department | None = None,
    post: str = "",
    employment_type: str = "regular",
    hired_on: date | None = None,
) -> Employee:
    if not enterprise.is_enterprise:
        raise RuleViolation("", _("员工只能属于企业。"), field="enterprise")
    if department is not None and department.enterprise_id != enterprise.pk:
        raise RuleViolation("", _("部门须属于该企业。"), field="department")
    with transaction.atomic():
        if Employee.objects.filter(enterprise=enterprise, employee_no=employee_no).exists():
            raise RuleViolation("", _("工号 %(no)s 已被使用。") % {"no": employee_no}, field="employee_no")
        if Employee.objects.filter(enterprise=enterprise, person=person).exists():
            raise RuleViolation("", _("该人员已是本企业员工。"), field="person")
        emp = Employee.objects.create(
            person=person,
            enterprise=enterprise,
            employee_no=employee_no,
            department=department,
            post=post,
            employment_type=employment_type,
            hired_on=hired_on,
        )
        audit.record(
            actor=actor,
            action="employee.create",
            obj=emp,
            organisation_id=enterprise.pk,
            summary={"employee_no": employee_no, "post": post},
        )
    return emp


def employee_update(
    *,
    actor: User | None,
    employee: Employee,
    department: Department | None,
    post: str,
    employment_type: str,
    is_active: bool,
) -> Employee:
    with transaction.atomic():
        emp = Employee.objects.select_for_update(of=("self",)).get(pk=employee.pk)
        if department is not None and department.enterprise_id != emp.enterprise_id:
            raise RuleViolation("", _("部门须属于该企业。"), field="department")
        before = {
            "department": emp.department_id,
            "post": emp.post,
            "type": emp.employment_type,
            "active": emp.is_active,
        }
        emp.department, emp.post, emp.employment_type, emp.is_active = (
            department,
            post,
            employment_type,
            is_active,
        )
        emp.save(update_fields=["department", "post", "employment_type", "is_active"])
        audit.record(
            actor=actor,
            action="employee.update",
            obj=emp,
            organisation_id=emp.enterprise_id,
            summary={
                "before": before,
                "after": {
                    "department": emp.department_id,
                    "post": post,
                    "type": employment_type,
                    "active": is_active,
                },
            },
        )
    return emp
