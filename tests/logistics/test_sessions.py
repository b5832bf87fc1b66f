"""Exam sessions and the timetable: access, validation (module/delivery, offerings, day, time), audit."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse

from skillcert.catalog.models import ModuleKind, StandardModule
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.logistics.models import Attendance, Delivery, ExamSession, Seat
from skillcert.logistics.services.sessions import SessionData, exam_session_delete, exam_session_update
from skillcert.rounds.models import RoundOffering
from tests.base import AccessCase
from tests.logistics.factories import exam_world, practical_session, theory_session

ROUND_READERS = ["owner", "staff", "city", "city_admin", "province"]
WRITERS = ["owner", "staff"]


def with_modules(offering: RoundOffering, *kinds: str) -> None:
    for kind in kinds:
        StandardModule.objects.get_or_create(standard=offering.standard, level=offering.level, kind=kind)


class SessionCase(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.world = exam_world(cls.w.ent_a)
        with_modules(cls.world.offering, ModuleKind.THEORY, ModuleKind.PRACTICAL)
        cls.round = cls.world.round

    def form(self, **changes: object) -> dict[str, object]:
        data: dict[str, object] = {
            "module": ModuleKind.THEORY,
            "delivery": Delivery.PAPER,
            "offerings": [self.world.offering.pk],
            "site": self.world.site.pk,
            "day": self.round.evaluation_starts.isoformat(),
            "starts": "09:00",
            "ends": "10:30",
            "note": "",
        }
        data.update(changes)
        return data


class TestSessionPages(SessionCase):
    def test_list_access(self) -> None:
        theory_session(self.world)
        self.check_access(reverse("logistics:sessions", args=[self.round.pk]), ROUND_READERS)

    def test_create_page_access(self) -> None:
        self.check_access(reverse("logistics:session_create", args=[self.round.pk]), WRITERS)

    def test_edit_page_access(self) -> None:
        session = theory_session(self.world)
        self.check_access(reverse("logistics:session_edit", args=[session.pk]), WRITERS)

    def test_delete_access(self) -> None:
        session = theory_session(self.world)
        url = reverse("logistics:session_delete", args=[session.pk])
        for persona in ["anonymous", "candidate", "outsider", "city", "province", "sysadmin"]:
            expected = 302 if persona == "anonymous" else 404
            assert self.request_as(persona, "post", url).status_code == expected
        assert ExamSession.objects.filter(pk=session.pk).exists()
        assert self.request_as("staff", "post", url).status_code == 302
        assert not ExamSession.objects.filter(pk=session.pk).exists()
        assert AuditEvent.objects.filter(action="exam_session.delete", object_id=str(session.pk)).exists()

    def test_timetable_access_and_grids(self) -> None:
        theory = theory_session(self.world)
        practical_session(self.world)
        Seat.objects.create(
            session=theory, application=self.world.applications[0], room=self.world.theory_rooms[0], number=1
        )
        url = reverse("logistics:timetable", args=[self.round.pk])
        self.check_access(url, ROUND_READERS)
        body = self.request_as("city", "get", url).content.decode()
        assert f'data-testid="site-grid-{self.world.site.pk}"' in body
        assert "09:00—10:30" in body and "13:30—16:30" in body
        assert f'data-testid="room-grid-{self.world.site.pk}"' in body and "第1考场" in body
        assert "logistics/print.css" in body


class TestSessionWrites(SessionCase):
    def post_create(self, **changes: object):  # type: ignore[no-untyped-def]
        return self.request_as(
            "owner", "post", reverse("logistics:session_create", args=[self.round.pk]), self.form(**changes)
        )

    def errors(self, response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
        assert response.status_code == 200
        return dict(response.context["form"].errors)

    def test_create_and_audit(self) -> None:
        response = self.post_create()
        assert response.status_code == 302
        session = ExamSession.objects.get(round=self.round)
        assert list(session.offerings.all()) == [self.world.offering]
        assert (session.starts, session.ends) == (time(9), time(10, 30))
        assert AuditEvent.objects.filter(action="exam_session.create", object_id=str(session.pk)).exists()

    def test_delivery_must_fit_the_module(self) -> None:
        errors = self.errors(self.post_create(module=ModuleKind.PRACTICAL, delivery=Delivery.PAPER))
        assert "现场" in errors["delivery"][0]
        errors = self.errors(self.post_create(module=ModuleKind.THEORY, delivery=Delivery.ONSITE))
        assert "纸笔或机考" in errors["delivery"][0]
        assert self.post_create(module=ModuleKind.PRACTICAL, delivery=Delivery.ONSITE).status_code == 302

    def test_offering_needs_the_module_at_its_level(self) -> None:
        errors = self.errors(self.post_create(module=ModuleKind.REVIEW, delivery=Delivery.ONSITE))
        assert "没有“综合评审”模块" in errors["offerings"][0]

    def test_day_outside_the_evaluation_period(self) -> None:
        late = self.round.evaluation_ends + timedelta(days=1)
        errors = self.errors(self.post_create(day=late.isoformat()))
        assert f"{self.round.evaluation_starts.year}年" in errors["day"][0] and "评价期" in errors["day"][0]

    def test_end_after_start(self) -> None:
        errors = self.errors(self.post_create(starts="10:00", ends="09:00"))
        assert "结束时间须晚于开始时间" in errors["ends"][0]

    def test_offering_of_another_round_is_not_offered(self) -> None:
        other = exam_world(self.w.ent_b, candidates=1)
        errors = self.errors(self.post_create(offerings=[other.offering.pk]))
        assert "offerings" in errors

    def test_edit_keeps_seats_when_only_the_time_moves(self) -> None:
        session = theory_session(self.world)
        Seat.objects.create(
            session=session, application=self.world.applications[0], room=self.world.theory_rooms[0], number=1
        )
        url = reverse("logistics:session_edit", args=[session.pk])
        assert (
            self.request_as("staff", "post", url, self.form(starts="08:30", ends="10:00")).status_code == 302
        )
        assert session.seats.count() == 1
        assert self.request_as("staff", "post", url, self.form(delivery=Delivery.CBT)).status_code == 302
        assert session.seats.count() == 0  # another delivery: rooms may no longer fit, seats released
        assert AuditEvent.objects.filter(action="exam_session.update", object_id=str(session.pk)).count() == 2

    def test_no_change_or_delete_after_check_in(self) -> None:
        session = theory_session(self.world)
        Seat.objects.create(
            session=session,
            application=self.world.applications[0],
            room=self.world.theory_rooms[0],
            number=1,
            attendance=Attendance.PRESENT,
        )
        owner = self.w.users["owner"]
        data = SessionData(
            module=ModuleKind.THEORY,
            delivery=Delivery.PAPER,
            offerings=(self.world.offering,),
            site=self.world.site,
            day=self.round.evaluation_starts,
            starts=time(8),
            ends=time(9),
        )
        with pytest.raises(RuleViolation, match="签到"):
            exam_session_update(actor=owner, session=session, data=data)
        with pytest.raises(RuleViolation, match="签到"):
            exam_session_delete(actor=owner, session=session)
        response = self.request_as("owner", "post", reverse("logistics:session_delete", args=[session.pk]))
        assert response.status_code == 302
        assert ExamSession.objects.filter(pk=session.pk).exists()


class TestSessionClash(SessionCase):
    """A candidate cannot sit two sessions at once: overlapping sessions may not share an offering."""

    def test_overlapping_session_with_the_same_offering_is_refused_touching_is_not(self) -> None:
        response = self.request_as(
            "owner", "post", reverse("logistics:session_create", args=[self.round.pk]), self.form()
        )
        assert response.status_code == 302
        first = ExamSession.objects.get(round=self.round)
        response = self.request_as(
            "owner",
            "post",
            reverse("logistics:session_create", args=[self.round.pk]),
            self.form(module=ModuleKind.PRACTICAL, delivery=Delivery.ONSITE, starts="10:00", ends="12:00"),
        )
        assert response.status_code == 200
        assert "时间重叠" in response.content.decode()
        assert ExamSession.objects.filter(round=self.round).count() == 1
        response = self.request_as(
            "owner",
            "post",
            reverse("logistics:session_create", args=[self.round.pk]),
            self.form(module=ModuleKind.PRACTICAL, delivery=Delivery.ONSITE, starts="10:30", ends="12:00"),
        )
        assert response.status_code == 302
        # Editing a session does not clash with itself.
        response = self.request_as(
            "owner", "post", reverse("logistics:session_edit", args=[first.pk]), self.form(ends="10:20")
        )
        assert response.status_code == 302
