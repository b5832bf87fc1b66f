"""The shared test world: every view and endpoint is checked from every side (S6).

Personas (all in `AccessCase.personas`):
- ``owner``: enterprise admin of enterprise A (the tenant that owns the data under test)
- ``staff``: exam-affairs staff of enterprise A (same tenant, another role)
- ``candidate``: a candidate (employee) of enterprise A, linked to a Person
- ``outsider``: enterprise admin of enterprise B (another tenant)
- ``city``: authority reviewer of the Jinan municipal authority (A is filed there)
- ``city_admin``: authority admin of the Jinan municipal authority
- ``province``: authority reviewer of the provincial authority (supervises both)
- ``other_city``: authority reviewer of Qingdao (supervises neither A nor B)
- ``sysadmin``, ``secadmin``, ``auditadmin``: the three separated administrators
- ``anonymous``: no login
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.http import HttpResponse
from django.test import Client, TestCase
from django_otp.plugins.otp_totp.models import TOTPDevice

from skillcert.core.models import Organisation, OrgKind, Person, User
from skillcert.core.models.accounts import Role
from tests.factories import DepartmentFactory, EmployeeFactory, OrganisationFactory, UserFactory, grant

PERSONAS = (
    "anonymous",
    "owner",
    "staff",
    "candidate",
    "outsider",
    "city",
    "city_admin",
    "province",
    "other_city",
    "sysadmin",
    "secadmin",
    "auditadmin",
)


def login(client: Client, user: User) -> Client:
    """Log in, passing the second factor for accounts that need it (S4)."""
    client.force_login(user)
    if user.needs_otp:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


class World:
    """Organisations, people and accounts shared by a test class."""

    def __init__(self) -> None:
        self.platform = OrganisationFactory(kind=OrgKind.PLATFORM, name="平台运营方")
        self.province = OrganisationFactory(
            kind=OrgKind.PROVINCE, name="山东省人力资源和社会保障厅", region_code="370000"
        )
        self.city = OrganisationFactory(
            kind=OrgKind.CITY, name="济南市人力资源和社会保障局", parent=self.province, region_code="370100"
        )
        self.other_city = OrganisationFactory(
            kind=OrgKind.CITY, name="青岛市人力资源和社会保障局", parent=self.province, region_code="370200"
        )
        self.ent_a = OrganisationFactory(name="济南重工测试有限公司", authority=self.city)
        self.ent_b = OrganisationFactory(name="鲁中化工测试有限公司", authority=self.province)
        self.dept_a = DepartmentFactory(enterprise=self.ent_a, name="金工车间")
        self.dept_b = DepartmentFactory(enterprise=self.ent_b, name="合成车间")
        self.emp_a = EmployeeFactory(enterprise=self.ent_a, department=self.dept_a)
        self.emp_b = EmployeeFactory(enterprise=self.ent_b, department=self.dept_b)
        self.person_a: Person = self.emp_a.person
        self.person_b: Person = self.emp_b.person

        self.users: dict[str, User] = {}
        self._user("owner", self.ent_a, Role.ENTERPRISE_ADMIN)
        self._user("staff", self.ent_a, Role.EXAM_STAFF)
        cand = self._user("candidate", self.ent_a, Role.CANDIDATE)
        Person.objects.filter(pk=self.person_a.pk).update(user=cand)
        self._user("outsider", self.ent_b, Role.ENTERPRISE_ADMIN)
        self._user("city", self.city, Role.AUTHORITY_REVIEWER)
        self._user("city_admin", self.city, Role.AUTHORITY_ADMIN)
        self._user("province", self.province, Role.AUTHORITY_REVIEWER)
        self._user("other_city", self.other_city, Role.AUTHORITY_REVIEWER)
        self._user("sysadmin", self.platform, Role.SYSTEM_ADMIN)
        self._user("secadmin", self.platform, Role.SECURITY_ADMIN)
        self._user("auditadmin", self.platform, Role.AUDIT_ADMIN)

    def _user(self, key: str, org: Organisation, role: str) -> User:
        user = grant(UserFactory(username=f"t_{key}", organisation=org), role)
        self.users[key] = user
        return user


class AccessCase(TestCase):
    """Base class: `self.w` is the world; `check_access` asserts who may reach a URL."""

    w: ClassVar[World]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.w = World()

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            user = User.objects.get(pk=self.w.users[persona].pk)
            login(client, user)
        return client

    def request_as(self, persona: str, method: str, url: str, data: Any = None, **extra: Any) -> HttpResponse:
        client = self.client_for(persona)
        call = getattr(client, method.lower())
        response: HttpResponse = call(url, data, **extra) if data is not None else call(url, **extra)
        return response

    def check_access(
        self,
        url: str,
        allowed: Iterable[str],
        *,
        method: str = "get",
        data: Any = None,
        ok: Iterable[int] = (200,),
        anonymous: Iterable[int] = (302,),
        denied: Iterable[int] = (404,),
        **extra: Any,
    ) -> None:
        """Every persona in `allowed` gets an `ok` status; anonymous is sent to login; all others get 404.

        Writes are made with `data` by each persona in turn, so use idempotent data or GET-only URLs
        when more than one persona is allowed to write.
        """
        allowed = set(allowed)
        unknown = allowed - set(PERSONAS)
        assert not unknown, f"unknown personas: {unknown}"
        for persona in PERSONAS:
            response = self.request_as(persona, method, url, data, **extra)
            if persona in allowed:
                expected = set(ok)
            elif persona == "anonymous":
                expected = set(anonymous)
            else:
                expected = set(denied)
            assert response.status_code in expected, (
                f"{method.upper()} {url} as {persona}: status {response.status_code}, expected {sorted(expected)}"
            )
