"""Shared factories for rounds, offerings and applications (enrollment and later stages import these).

An offering is always inside its enterprise's scope in force (R1.5): OfferingFactory adds the
ScopeItem. The standard's rule set is the 2018 national template, so eligibility evaluates for real.

    offering = OfferingFactory(round__enterprise=w.ent_a)             # a published round, open today
    app = ApplicationFactory(offering=offering, person=w.person_a)    # a draft for person_a
    app = ApplicationFactory(offering=offering, status="submitted")   # a new person, submitted
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from skillcert.catalog import eligibility
from skillcert.catalog.models import EligibilityRuleSet, Occupation, Standard, StandardKind
from skillcert.catalog.ruletemplates import TEMPLATES
from skillcert.core.models import OrgKind
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationStatus,
    CertificateKind,
    Education,
    PostOccupation,
)
from skillcert.filings.models import ScopeItem
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from tests.factories import OrganisationFactory, PersonFactory


def template_rule_set(edition: str = "2018") -> EligibilityRuleSet:
    """The national template rule set as a row (one per edition, shared)."""
    rules = TEMPLATES[edition]
    obj, _ = EligibilityRuleSet.objects.get_or_create(
        template=edition,
        enterprise=None,
        defaults={"name": rules.name, "source": rules.source, "rules": eligibility.to_json(rules)},
    )
    return obj


class AuthorityFactory(OrganisationFactory):
    kind = OrgKind.CITY
    name = factory.Sequence(lambda n: f"测试市{n}人力资源和社会保障局")
    region_code = "370100"


class EnterpriseFactory(OrganisationFactory):
    """An enterprise filed with a (new) city authority; pass `authority=` to choose it."""

    kind = OrgKind.ENTERPRISE
    authority = factory.SubFactory(AuthorityFactory)


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"6-99-{n // 100 % 100:02d}-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"测试职业{n}")
    tier = 4


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    kind = StandardKind.NATIONAL
    occupation = factory.SubFactory(OccupationFactory)
    title = factory.LazyAttribute(lambda o: f"国家职业技能标准 {o.occupation.name}")
    edition_year = 2018
    levels = factory.LazyFunction(lambda: [5, 4, 3, 2, 1])
    rule_set = factory.LazyFunction(template_rule_set)


class RoundFactory(factory.django.DjangoModelFactory):
    """A published round whose registration window contains today."""

    class Meta:
        model = Round

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"{timezone.localdate().year}年第{n}批")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    status = RoundStatus.PUBLISHED
    registration_opens = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    registration_closes = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    evaluation_starts = factory.LazyAttribute(lambda o: o.registration_closes + timedelta(days=20))
    evaluation_ends = factory.LazyAttribute(lambda o: o.evaluation_starts + timedelta(days=10))
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == RoundStatus.PUBLISHED else None
    )
    contact_name = "王老师"
    contact_phone = "0531-88880000"


class OfferingFactory(factory.django.DjangoModelFactory):
    """An offering of a round, with the ScopeItem that puts it in the enterprise's scope."""

    class Meta:
        model = RoundOffering
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    occupation = factory.SubFactory(OccupationFactory)
    job_type = None
    level = 4
    standard = factory.SubFactory(StandardFactory, occupation=factory.SelfAttribute("..occupation"))

    @factory.post_generation
    def in_scope(obj: RoundOffering, create: bool, extracted: bool | None, **kwargs: object) -> None:  # noqa: N805
        if not create or extracted is False:
            return
        ScopeItem.objects.get_or_create(
            enterprise=obj.round.enterprise,
            occupation=obj.occupation,
            job_type=obj.job_type,
            level=obj.level,
            standard=obj.standard,
            defaults={"valid_from": date(2020, 1, 1)},
        )


class PostOccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostOccupation
        django_get_or_create = ("enterprise", "post", "occupation")

    enterprise = factory.SubFactory(EnterpriseFactory)
    post = "车工"
    occupation = factory.SubFactory(OccupationFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application (draft unless `status` is given); the snapshot fields follow the person."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    offering = factory.SubFactory(OfferingFactory)
    round = factory.SelfAttribute("offering.round")
    person = factory.SubFactory(PersonFactory)
    employee = None
    status = ApplicationStatus.DRAFT
    name = factory.SelfAttribute("person.name")
    sex = factory.SelfAttribute("person.sex")
    birth_date = factory.SelfAttribute("person.birth_date")
    education = Education.HIGH_SCHOOL
    school = "济南市第一中学"
    major = ""
    graduated_on = factory.LazyAttribute(lambda o: date(o.birth_date.year + 18, 7, 1))
    work_started_on = factory.LazyAttribute(lambda o: date(o.birth_date.year + 19, 7, 1))
    current_post = "车工"
    occupation_years = Decimal("8.0")
    post_years = Decimal("8.0")
    submitted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status != ApplicationStatus.DRAFT else None
    )
    pledge_accepted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status != ApplicationStatus.DRAFT else None
    )
    pledge_ip = factory.LazyAttribute(lambda o: "127.0.0.1" if o.status != ApplicationStatus.DRAFT else "")

    @factory.post_generation
    def phone(obj: Application, create: bool, extracted: str | None, **kwargs: object) -> None:  # noqa: N805
        obj.set_phone(extracted if extracted is not None else "13800138000")
        if create:
            obj.save(update_fields=["phone_enc", "phone_masked"])


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationCertificate

    application = factory.SubFactory(ApplicationFactory)
    kind = CertificateKind.SKILL_LEVEL
    level = 5
    occupation_name = "车工"
    number = factory.Sequence(lambda n: f"S{n:021d}")
    issued_on = date(2018, 6, 30)
