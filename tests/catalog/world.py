"""The shared catalogue world for catalogue tests: the demo catalogue plus each enterprise's own records."""

from __future__ import annotations

from typing import ClassVar

from skillcert.catalog import demo, services
from skillcert.catalog.models import EligibilityRuleSet, JobType, Occupation, Standard, StandardKind
from skillcert.core.models import Organisation, OrgKind, User
from skillcert.core.models.accounts import Role
from tests.base import AccessCase
from tests.factories import UserFactory, grant

STAFF = {
    "owner",
    "staff",
    "outsider",
    "city",
    "city_admin",
    "province",
    "other_city",
    "sysadmin",
    "secadmin",
    "auditadmin",
}
# Enterprise A's own records: itself, the Jinan authority it is filed with, the province over both.
A_READERS = {"owner", "staff", "city", "city_admin", "province"}
NATIONAL_WRITERS = {"sysadmin"}
RULES = {
    "version": 1,
    "levels": {"4": {"conditions": [{"label": "", "requires": [{"type": "occupation_years", "years": 3}]}]}},
}


def modules(levels: list[int]) -> list[services.ModuleSpec]:
    return [services.ModuleSpec(level=v, kind=k) for v in levels for k in ("theory", "practical")]


class CatalogueCase(AccessCase):
    """AccessCase plus the demo catalogue, one specification and one rule set per enterprise."""

    welder: ClassVar[Occupation]
    electric_welder: ClassVar[JobType]
    national: ClassVar[Standard]
    template: ClassVar[EligibilityRuleSet]
    spec_a: ClassVar[Standard]
    spec_b: ClassVar[Standard]
    rules_a: ClassVar[EligibilityRuleSet]
    rules_b: ClassVar[EligibilityRuleSet]
    provincial_admin: ClassVar[User]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        demo.load_catalogue()
        w = cls.w
        cls.welder = Occupation.objects.get(code="6-18-02-04")
        cls.electric_welder = JobType.objects.get(occupation=cls.welder, name="电焊工")
        cls.national = Standard.objects.get(occupation=cls.welder, kind=StandardKind.NATIONAL)
        cls.template = EligibilityRuleSet.objects.get(template="2018")
        cls.rules_a = services.rule_set_create(
            actor=w.users["owner"], name="A 企业申报条件", rules=RULES, enterprise=w.ent_a
        )
        cls.rules_b = services.rule_set_create(
            actor=w.users["outsider"], name="B 企业申报条件", rules=RULES, enterprise=w.ent_b
        )
        cls.spec_a = cls.specification(w.ent_a, cls.rules_a, "济南重工焊工评价规范")
        cls.spec_b = cls.specification(w.ent_b, cls.rules_b, "鲁中化工焊工评价规范")
        cls.provincial_admin = grant(
            UserFactory(username="t_province_admin", organisation=w.province), Role.AUTHORITY_ADMIN
        )
        assert w.province.kind == OrgKind.PROVINCE

    @classmethod
    def specification(cls, enterprise: Organisation, rules: EligibilityRuleSet, title: str) -> Standard:
        return services.standard_create(
            actor=None,
            kind=StandardKind.SPECIFICATION,
            enterprise=enterprise,
            occupation=cls.welder,
            title=title,
            edition_year=2024,
            levels=[5, 4, 3],
            modules=modules([5, 4, 3]),
            job_types=[cls.electric_welder],
            rule_set=rules,
        )
