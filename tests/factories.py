"""factory_boy factories for core data; ID numbers are valid GB 11643 numbers."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory
from django.utils import timezone

from skillcert.core import idcard
from skillcert.core.models import Department, Employee, Organisation, OrgKind, Person, RoleAssignment, User

_seq = itertools.count(1)


def valid_id_number(n: int | None = None, *, sex: str = "M", born: date = date(1990, 5, 17)) -> str:
    n = next(_seq) if n is None else n
    return idcard.generate(region="370102", birth_date=born, sex=sex, seq=(n * 2) % 1000)  # type: ignore[arg-type]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrgKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"第{n}车间")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"张{n}")
    sex = "M"
    birth_date = factory.Sequence(lambda n: date(1970, 1, 1) + timedelta(days=(n * 37) % 14000))

    @factory.post_generation
    def id_number(obj: Person, create: bool, extracted: str | None, **kwargs: object) -> None:  # noqa: N805
        born = obj.birth_date
        number = extracted or idcard.generate(
            region="370102",
            birth_date=born,
            sex=obj.sex,
            seq=next(_seq) % 1000,  # type: ignore[arg-type]
        )
        obj.set_id_number(number)
        if create:
            obj.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    person = factory.SubFactory(PersonFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    post = "车工"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:  # noqa: N805
        obj.set_password(extracted or "Skill-Pass-2026")
        if create:
            obj.save()


def grant(user: User, *roles: str) -> User:
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, organisation=user.organisation)
    if hasattr(user, "_role_cache"):
        del user._role_cache
    return user
