"""Rooms (R6.1), the logistics index and the round hub: access from every side, validation, audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.filings.services.filing import ScopeEntry
from skillcert.logistics.models import Room, RoomKind
from skillcert.logistics.services.rooms import RoomData, room_create, room_problems
from skillcert.rounds.plans import CertificationPlan, CertificationPlanStatus
from tests.base import AccessCase
from tests.enrollment.factories import OccupationFactory
from tests.filings.helpers import catalogue, file_enterprise
from tests.logistics.factories import RoomFactory, SiteFactory, exam_world

READERS = ["owner", "staff", "outsider", "city", "city_admin", "province", "other_city"]
ROUND_READERS = ["owner", "staff", "city", "city_admin", "province"]
WRITERS = ["owner", "staff"]


class TestLogisticsPages(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.world = exam_world(cls.w.ent_a)

    def test_index_access(self) -> None:
        self.check_access(reverse("logistics:index"), READERS)

    def test_index_lists_only_rounds_in_scope(self) -> None:
        body = self.request_as("owner", "get", reverse("logistics:index")).content.decode()
        assert self.world.round.name in body
        body = self.request_as("outsider", "get", reverse("logistics:index")).content.decode()
        assert self.world.round.name not in body

    def test_index_counts_match_the_hub_and_cost_the_same_for_more_rounds(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from skillcert.logistics import selectors_schedule as sched
        from skillcert.logistics.services.seating import seating_assign
        from tests.logistics.factories import theory_session

        session = theory_session(self.world)
        seating_assign(actor=self.w.users["owner"], session=session)
        counts = sched.round_list_counts(rounds=[self.world.round])[self.world.round.pk]
        hub = sched.round_counts(round=self.world.round)
        assert counts == {k: hub[k] for k in ("candidates", "sessions", "seated", "tickets")}
        assert counts["candidates"] == 12 and counts["seated"] == 12 and counts["sessions"] == 1
        url = reverse("logistics:index")
        client = self.client_for("city")
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        from tests.enrollment.factories import ApplicationFactory, OfferingFactory

        for _ in range(2):
            ApplicationFactory(offering=OfferingFactory(round__enterprise=self.w.ent_a), status="approved")
        with CaptureQueriesContext(connection) as three:
            body = client.get(url).content.decode()
        assert body.count('href="/logistics/rounds/') >= 3
        assert len(three.captured_queries) == len(one.captured_queries)

    def test_round_hub_access(self) -> None:
        self.check_access(reverse("logistics:round", args=[self.world.round.pk]), ROUND_READERS)

    def test_round_hub_shows_status_counts_and_links(self) -> None:
        body = self.request_as(
            "staff", "get", reverse("logistics:round", args=[self.world.round.pk])
        ).content.decode()
        assert 'data-testid="plan-confirmed"' in body
        assert reverse("logistics:sessions", args=[self.world.round.pk]) in body
        assert reverse("logistics:tickets", args=[self.world.round.pk]) in body
        assert "3/12" not in body and "0/12" in body  # seated / candidates

    def test_round_hub_says_tickets_wait_for_confirmation(self) -> None:
        CertificationPlan.objects.filter(round=self.world.round).update(
            status=CertificationPlanStatus.SUBMITTED
        )
        body = self.request_as(
            "owner", "get", reverse("logistics:round", args=[self.world.round.pk])
        ).content.decode()
        assert 'data-testid="plan-unconfirmed"' in body
        assert "R5.2" in body

    def test_rooms_list_access_and_scope(self) -> None:
        self.check_access(reverse("logistics:rooms"), READERS)
        body = self.request_as("city", "get", reverse("logistics:rooms")).content.decode()
        assert "实训车间A区" in body and self.world.site.address in body and "赵主任" in body
        body = self.request_as("outsider", "get", reverse("logistics:rooms")).content.decode()
        assert "实训车间A区" not in body

    def test_room_create_access(self) -> None:
        # An enterprise admin of another enterprise may add rooms to its own sites.
        self.check_access(reverse("logistics:room_create"), [*WRITERS, "outsider"])

    def test_room_edit_access(self) -> None:
        room = self.world.theory_rooms[0]
        self.check_access(reverse("logistics:room_edit", args=[room.pk]), WRITERS)


class TestRoomWrites(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.cat = catalogue()
        file_enterprise(cls.w.ent_a, [ScopeEntry(cls.cat.welder, cls.cat.electric_welder, 4)])
        cls.site = SiteFactory(enterprise=cls.w.ent_a, name="一号考点")
        cls.other_site = SiteFactory(enterprise=cls.w.ent_b, name="乙方考点")

    def post(self, persona: str, url: str, **data: object) -> object:
        base = {
            "name": "第9考场",
            "kind": RoomKind.THEORY,
            "capacity": 30,
            "monitored": "on",
            "is_active": "on",
        }
        base.update(data)
        return self.request_as(persona, "post", url, base)

    def test_create_theory_room_and_audit(self) -> None:
        response = self.post("staff", reverse("logistics:room_create"), site=self.site.pk)
        assert response.status_code == 302  # type: ignore[attr-defined]
        room = Room.objects.get(site=self.site, name="第9考场")
        assert room.capacity == 30 and room.monitored
        assert AuditEvent.objects.filter(action="room.create", object_id=str(room.pk)).exists()

    def test_practical_room_needs_occupations(self) -> None:
        response = self.post(
            "owner", reverse("logistics:room_create"), site=self.site.pk, kind=RoomKind.PRACTICAL
        )
        assert response.status_code == 200  # type: ignore[attr-defined]
        form = response.context["form"]  # type: ignore[attr-defined]
        assert "实操考场须选择其设备可考核的职业" in form.errors["occupations"][0]
        assert not Room.objects.filter(name="第9考场").exists()

    def test_practical_room_with_occupation_and_job_type(self) -> None:
        response = self.post(
            "owner",
            reverse("logistics:room_create"),
            site=self.site.pk,
            kind=RoomKind.PRACTICAL,
            occupations=[self.cat.welder.pk],
            job_types=[self.cat.electric_welder.pk],
        )
        assert response.status_code == 302  # type: ignore[attr-defined]
        room = Room.objects.get(name="第9考场")
        assert list(room.occupations.all()) == [self.cat.welder]
        assert list(room.job_types.all()) == [self.cat.electric_welder]

    def test_unmonitored_room_needs_alternative_record(self) -> None:
        response = self.post("owner", reverse("logistics:room_create"), site=self.site.pk, monitored="")
        form = response.context["form"]  # type: ignore[attr-defined]
        assert "R6.1" in form.errors["alt_record"][0] and "留痕" in form.errors["alt_record"][0]
        response = self.post(
            "owner",
            reverse("logistics:room_create"),
            site=self.site.pk,
            monitored="",
            alt_record="全程录像，双人记录",
        )
        assert response.status_code == 302  # type: ignore[attr-defined]
        assert Room.objects.get(name="第9考场").alt_record == "全程录像，双人记录"

    def test_duplicate_name_is_a_field_error(self) -> None:
        RoomFactory(site=self.site, name="第9考场")
        response = self.post("owner", reverse("logistics:room_create"), site=self.site.pk)
        assert "已有名为" in response.context["form"].errors["name"][0]  # type: ignore[attr-defined]

    def test_cannot_add_a_room_to_another_enterprises_site(self) -> None:
        response = self.post("owner", reverse("logistics:room_create"), site=self.other_site.pk)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert "site" in response.context["form"].errors  # type: ignore[attr-defined]
        assert not Room.objects.filter(site=self.other_site).exists()

    def test_edit_room_and_audit(self) -> None:
        room = RoomFactory(site=self.site, name="第1考场", capacity=20)
        response = self.post(
            "owner", reverse("logistics:room_edit", args=[room.pk]), name="第1考场", capacity=25
        )
        assert response.status_code == 302  # type: ignore[attr-defined]
        room.refresh_from_db()
        assert room.capacity == 25
        assert AuditEvent.objects.filter(action="room.update", object_id=str(room.pk)).exists()

    def test_service_problems_and_refusal(self) -> None:
        data = RoomData(name="实训区", kind=RoomKind.PRACTICAL, capacity=0, monitored=False)
        fields = {p.field for p in room_problems(site=self.site, data=data)}
        assert fields == {"capacity", "occupations", "alt_record"}
        stray = RoomData(
            name="实训区",
            kind=RoomKind.PRACTICAL,
            capacity=5,
            occupations=(OccupationFactory(),),
            job_types=(self.cat.electric_welder,),
        )
        assert [p.field for p in room_problems(site=self.site, data=stray)] == ["job_types"]
        with pytest.raises(RuleViolation) as exc:
            room_create(actor=self.w.users["owner"], site=self.site, data=data)
        assert exc.value.rule == "R6.1" and exc.value.field == "capacity"
