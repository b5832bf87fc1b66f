"""Sites, equipment, the staff pool and declared relationships (R1.3 item 4; recusal later)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import TestCase as DjangoTestCase

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.filings import selectors
from skillcert.filings.models import PoolRole, Relationship, Site
from skillcert.filings.services import resources
from tests.base import AccessCase
from tests.factories import EmployeeFactory, OrganisationFactory
from tests.filings.helpers import catalogue


class TestSitesAndEquipment(AccessCase):
    def test_site_and_equipment_serving_occupations(self) -> None:
        c = catalogue()
        site = resources.site_create(actor=None, enterprise=self.w.ent_a, name="焊接实训基地", address="济南")
        with pytest.raises(RuleViolation, match="已有名为“焊接实训基地”的场地"):
            resources.site_create(actor=None, enterprise=self.w.ent_a, name="焊接实训基地", address="济南")
        # Another enterprise may use the same name.
        resources.site_create(actor=None, enterprise=self.w.ent_b, name="焊接实训基地", address="青岛")
        with pytest.raises(RuleViolation, match="适用的职业"):
            resources.equipment_create(actor=None, site=site, name="焊机", count=2, occupations=[])
        with pytest.raises(RuleViolation, match="至少为 1"):
            resources.equipment_create(actor=None, site=site, name="焊机", count=0, occupations=[c.welder])
        eq = resources.equipment_create(actor=None, site=site, name="焊机", count=2, occupations=[c.welder])
        assert list(selectors.equipment_for(enterprise=self.w.ent_a, occupation=c.welder)) == [eq]
        assert not selectors.equipment_for(enterprise=self.w.ent_b, occupation=c.welder).exists()
        resources.site_update(actor=None, site=site, name="焊接实训基地", address="济南", is_active=False)
        assert not selectors.equipment_for(enterprise=self.w.ent_a, occupation=c.welder).exists()
        resources.equipment_update(
            actor=None, equipment=eq, name="焊机", count=3, occupations=[c.welder, c.turner]
        )
        resources.equipment_delete(actor=None, equipment=eq)
        actions = set(
            AuditEvent.objects.filter(action__startswith="equipment.").values_list("action", flat=True)
        )
        assert actions == {"equipment.create", "equipment.update", "equipment.delete"}


class TestPool(AccessCase):
    def test_assessor_needs_occupation_level_and_certificate(self) -> None:
        c = catalogue()
        person = self.w.person_a
        for kwargs, message in (
            ({"occupation": None, "max_level": 3, "certificate_no": "K1"}, "须填写职业"),
            ({"occupation": c.welder, "max_level": None, "certificate_no": "K1"}, "最高可考评等级"),
            ({"occupation": c.welder, "max_level": 3, "certificate_no": ""}, "证书编号"),
            ({"occupation": c.welder, "max_level": 12, "certificate_no": "K1"}, "五级至一级"),
        ):
            with pytest.raises(RuleViolation, match=message):
                resources.pool_member_create(
                    actor=None,
                    enterprise=self.w.ent_a,
                    person=person,
                    role="assessor",
                    **kwargs,  # type: ignore[arg-type]
                )
        member = resources.pool_member_create(
            actor=None,
            enterprise=self.w.ent_a,
            person=person,
            role="assessor",
            occupation=c.welder,
            max_level=2,
            certificate_no="K1",
            valid_until=date(2027, 12, 31),
        )
        with pytest.raises(RuleViolation, match="已登记为考评员（焊工）"):
            resources.pool_member_create(
                actor=None,
                enterprise=self.w.ent_a,
                person=person,
                role="assessor",
                occupation=c.welder,
                max_level=3,
                certificate_no="K2",
            )
        # A supervisor needs no occupation; someone from another enterprise cannot join.
        resources.pool_member_create(actor=None, enterprise=self.w.ent_a, person=person, role="supervisor")
        with pytest.raises(RuleViolation, match="不是本企业在册人员"):
            resources.pool_member_create(
                actor=None, enterprise=self.w.ent_a, person=self.w.person_b, role="supervisor"
            )
        # Who may assess what, when.
        on = date(2027, 1, 1)
        assert list(
            selectors.assessors_for(enterprise=self.w.ent_a, occupation=c.welder, level=2, on=on)
        ) == [member]
        assert not selectors.assessors_for(
            enterprise=self.w.ent_a, occupation=c.welder, level=1, on=on
        ).exists()
        assert not selectors.assessors_for(
            enterprise=self.w.ent_a, occupation=c.welder, level=4, on=date(2028, 1, 1)
        ).exists()
        resources.pool_member_update(
            actor=None,
            member=member,
            role="assessor",
            occupation=c.welder,
            max_level=2,
            certificate_no="K1",
            valid_until=None,
            is_active=False,
        )
        assert not selectors.assessors_for(
            enterprise=self.w.ent_a, occupation=c.welder, level=4, on=on
        ).exists()


class TestRelationships(AccessCase):
    def test_symmetric_and_stored_once(self) -> None:
        a, b = self.w.person_a, EmployeeFactory(enterprise=self.w.ent_a).person
        rel = resources.relationship_create(actor=None, enterprise=self.w.ent_a, a=b, b=a, kind="relative")
        assert (rel.person_a_id, rel.person_b_id) == tuple(sorted((a.pk, b.pk)))
        with pytest.raises(RuleViolation, match="关系已登记"):
            resources.relationship_create(actor=None, enterprise=self.w.ent_a, a=a, b=b, kind="relative")
        resources.relationship_create(actor=None, enterprise=self.w.ent_a, a=a, b=b, kind="same_team")
        assert selectors.are_related(enterprise=self.w.ent_a, a=a, b=b)
        assert selectors.are_related(enterprise=self.w.ent_a, a=b.pk, b=a.pk)
        assert selectors.related_people(enterprise=self.w.ent_a, person=a) == {b.pk}
        assert selectors.related_people(enterprise=self.w.ent_a, person=b) == {a.pk}
        assert not selectors.are_related(enterprise=self.w.ent_b, a=a, b=b)
        with pytest.raises(RuleViolation, match="两个不同的人"):
            resources.relationship_create(actor=None, enterprise=self.w.ent_a, a=a, b=a, kind="relative")
        with pytest.raises(RuleViolation, match="不是本企业在册人员"):
            resources.relationship_create(
                actor=None, enterprise=self.w.ent_a, a=a, b=self.w.person_b, kind="relative"
            )
        resources.relationship_delete(actor=None, relationship=rel)
        assert Relationship.objects.count() == 1


class TestPoolHomeSite(DjangoTestCase):
    """The staff pool records a home site (常驻考点) for the staff plan's "near their own site" rule."""

    def test_home_site_must_be_the_enterprises_own(self) -> None:

        authority = OrganisationFactory(kind="province", name="省厅")
        ent = OrganisationFactory(name="甲企业", authority=authority)
        other = OrganisationFactory(name="乙企业", authority=authority)
        mine = Site.objects.create(enterprise=ent, name="一号考点", address="济南")
        theirs = Site.objects.create(enterprise=other, name="外企考点", address="青岛")
        person = EmployeeFactory(enterprise=ent).person
        with pytest.raises(RuleViolation) as caught:
            resources.pool_member_create(
                actor=None, enterprise=ent, person=person, role=PoolRole.EXAM_STAFF, home_site=theirs
            )
        assert caught.value.field == "home_site"
        member = resources.pool_member_create(
            actor=None, enterprise=ent, person=person, role=PoolRole.EXAM_STAFF, home_site=mine
        )
        assert member.home_site == mine
        updated = resources.pool_member_update(
            actor=None,
            member=member,
            role=PoolRole.EXAM_STAFF,
            occupation=None,
            max_level=None,
            certificate_no="",
            valid_until=None,
            is_active=True,
            home_site=None,
        )
        assert updated.home_site is None
