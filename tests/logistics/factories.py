"""Factories for the logistics tests: sites, rooms, sessions and a round whose plan is confirmed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import factory
from django.utils import timezone

from skillcert.catalog.models import ModuleKind
from skillcert.core.models import Department, Organisation
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.filings.models import PoolMember, PoolRole, Site
from skillcert.logistics.models import Delivery, ExamSession, Room, RoomKind
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus
from tests.enrollment.factories import ApplicationFactory, OfferingFactory, RoundFactory
from tests.factories import DepartmentFactory, EmployeeFactory


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    enterprise = factory.SubFactory("tests.enrollment.factories.EnterpriseFactory")
    name = factory.Sequence(lambda n: f"考点{n}")
    address = "济南市历城区工业北路100号"
    head_name = "赵主任"
    head_phone = "0531-88881234"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"第{n}考场")
    kind = RoomKind.THEORY
    capacity = 30
    monitored = True

    @factory.post_generation
    def occupations(obj: Room, create: bool, extracted: list[object] | None, **kwargs: object) -> None:  # noqa: N805
        if create and extracted:
            obj.occupations.set(extracted)  # type: ignore[arg-type]


class ExamSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamSession
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    site = factory.SubFactory(SiteFactory, enterprise=factory.SelfAttribute("..round.enterprise"))
    module = ModuleKind.THEORY
    delivery = Delivery.PAPER
    day = factory.LazyAttribute(lambda o: o.round.evaluation_starts)
    starts = time(9, 0)
    ends = time(10, 30)

    @factory.post_generation
    def offerings(self, create: bool, extracted: list[RoundOffering] | None, **kwargs: object) -> None:
        if create and extracted:
            self.offerings.set(extracted)  # type: ignore[attr-defined]


def confirm_plan(rnd: Round) -> CertificationPlan:
    """Mark the round's certification plan confirmed (R5.2), as the authority would."""
    ids = sorted(
        Application.objects.filter(round=rnd, status=ApplicationStatus.APPROVED).values_list("pk", flat=True)
    )
    cert, _ = CertificationPlan.objects.update_or_create(
        round=rnd,
        defaults={
            "status": CertificationPlanStatus.CONFIRMED,
            "candidate_ids": ids,
            "candidate_count": len(ids),
            "first_day": rnd.evaluation_starts,
            "submitted_at": timezone.now(),
            "decided_at": timezone.now(),
        },
    )
    return cert


@dataclass
class ExamWorld:
    """A round with one offering, approved candidates in two departments, a site with rooms."""

    round: Round
    offering: RoundOffering
    site: Site
    theory_rooms: list[Room]
    practical_room: Room
    departments: list[Department]
    applications: list[Application]


def exam_world(
    enterprise: Organisation, *, candidates: int = 12, confirmed: bool = True, level: int = 3
) -> ExamWorld:
    """Build a round ready for logistics; `confirmed=False` leaves the plan unconfirmed (R5.2 tests)."""
    rnd = RoundFactory(
        enterprise=enterprise,
        registration_opens=timezone.localdate() - timedelta(days=40),
        registration_closes=timezone.localdate() - timedelta(days=20),
        evaluation_starts=timezone.localdate() + timedelta(days=5),
        evaluation_ends=timezone.localdate() + timedelta(days=9),
    )
    offering = OfferingFactory(round=rnd, level=level)
    site = SiteFactory(enterprise=enterprise)
    theory = [RoomFactory(site=site, name=f"第{i}考场", capacity=8) for i in (1, 2)]
    practical = RoomFactory(
        site=site, name="实训车间A区", kind=RoomKind.PRACTICAL, capacity=10, occupations=[offering.occupation]
    )
    depts = [DepartmentFactory(enterprise=enterprise, name=n) for n in ("一车间", "二车间")]
    apps = []
    for i in range(candidates):
        emp = EmployeeFactory(enterprise=enterprise, department=depts[i % 2])
        apps.append(
            ApplicationFactory(
                offering=offering, person=emp.person, employee=emp, status=ApplicationStatus.APPROVED
            )
        )
    if confirmed:
        confirm_plan(rnd)
    return ExamWorld(rnd, offering, site, theory, practical, depts, apps)


def pool_member(
    enterprise: Organisation,
    role: str = PoolRole.ASSESSOR,
    *,
    occupation: object = None,
    max_level: int | None = None,
    valid_until: date | None = None,
    department: Department | None = None,
) -> PoolMember:
    """A staff-pool member with an employee record (so recusal by department applies)."""
    emp = EmployeeFactory(enterprise=enterprise, department=department)
    return PoolMember.objects.create(
        enterprise=enterprise,
        person=emp.person,
        role=role,
        occupation=occupation,  # type: ignore[misc]
        max_level=max_level if role == PoolRole.ASSESSOR else None,
        valid_until=valid_until,
    )


# Practical sessions for the world's offering.
def practical_session(world: ExamWorld, **kw: object) -> ExamSession:
    defaults: dict[str, object] = {
        "round": world.round,
        "site": world.site,
        "module": ModuleKind.PRACTICAL,
        "delivery": Delivery.ONSITE,
        "starts": time(13, 30),
        "ends": time(16, 30),
        "offerings": [world.offering],
    }
    defaults.update(kw)
    return ExamSessionFactory(**defaults)


def theory_session(world: ExamWorld, **kw: object) -> ExamSession:
    defaults: dict[str, object] = {"round": world.round, "site": world.site, "offerings": [world.offering]}
    defaults.update(kw)
    return ExamSessionFactory(**defaults)
