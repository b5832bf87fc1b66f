"""Review of issue 6 (rooms, seating, tickets, exam day): defects found in review, each pinned by a test."""

from __future__ import annotations

from collections import Counter
from datetime import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skillcert.enrollment.models import ApplicationStatus
from skillcert.logistics.examday_models import Check, CheckKind, Violation, ViolationKind
from skillcert.logistics.models import Seat
from skillcert.logistics.services.examday import UPLOAD_MAX_BYTES
from skillcert.logistics.services.seating import seating_assign
from tests.base import AccessCase
from tests.enrollment.factories import ApplicationFactory, OfferingFactory
from tests.factories import EmployeeFactory
from tests.logistics.factories import confirm_plan, exam_world, theory_session


class OverlappingSessionsTests(AccessCase):
    """Two sessions at one site at the same time must not share a room beyond its capacity (R6.1)."""

    def test_overlapping_session_does_not_reuse_rooms_already_seated(self) -> None:
        world = exam_world(self.w.ent_a, candidates=12)
        other = OfferingFactory(round=world.round, level=3)
        for _ in range(6):
            emp = EmployeeFactory(enterprise=self.w.ent_a, department=world.departments[0])
            ApplicationFactory(
                offering=other, person=emp.person, employee=emp, status=ApplicationStatus.APPROVED
            )
        confirm_plan(world.round)
        first = theory_session(world, starts=time(9, 0), ends=time(10, 30))
        second = theory_session(world, offerings=[other], starts=time(10, 0), ends=time(11, 30))
        actor = self.w.users["staff"]
        seating_assign(actor=actor, session=first)
        outcome = seating_assign(actor=actor, session=second)
        # 12 + 6 candidates in two rooms of 8 seats: at most 16 fit at once.
        per_room = Counter(Seat.objects.filter(session__in=[first, second]).values_list("room_id", flat=True))
        capacity = {r.pk: r.capacity for r in world.theory_rooms}
        for room_id, n in per_room.items():
            assert n <= capacity[room_id], (
                f"room {room_id} holds {n} seats at once, capacity {capacity[room_id]}"
            )
        assert outcome.unseated, "the candidates who do not fit are reported, not squeezed in"

    def test_sessions_at_different_times_may_share_rooms(self) -> None:
        world = exam_world(self.w.ent_a, candidates=8)
        first = theory_session(world, starts=time(9, 0), ends=time(10, 30))
        second = theory_session(world, starts=time(13, 0), ends=time(14, 30))
        actor = self.w.users["staff"]
        seating_assign(actor=actor, session=first)
        outcome = seating_assign(actor=actor, session=second)
        assert outcome.placed == 8 and not outcome.unseated


class BadUploadTests(AccessCase):
    """A wrong, empty or oversized upload is a field error on the form, never a crash or a record."""

    def setUp(self) -> None:
        super().setUp()
        self.world = exam_world(self.w.ent_a, candidates=4)
        self.session = theory_session(self.world)
        seating_assign(actor=self.w.users["staff"], session=self.session)
        self.seat = Seat.objects.filter(session=self.session).order_by("room__name", "number").first()
        assert self.seat is not None

    def _violation(self, upload: SimpleUploadedFile) -> str:
        url = reverse("logistics:violations", args=[self.session.pk, self.seat.room_id])
        response = self.client_for("staff").post(
            url,
            {
                "seat": self.seat.pk,
                "kind": ViolationKind.DEVICE,
                "description": "携带手机",
                "evidence": upload,
            },
        )
        assert response.status_code == 200
        assert not Violation.objects.exists()
        return response.content.decode()

    def _briefing(self, upload: SimpleUploadedFile) -> str:
        url = reverse(
            "logistics:checks", args=[self.world.round.pk, self.world.site.pk, self.session.day.isoformat()]
        )
        response = self.client_for("staff").post(
            f"{url}?kind={CheckKind.BRIEFING}", {"ok": "1", "attachment": upload}
        )
        assert response.status_code == 200
        assert not Check.objects.exists()
        return response.content.decode()

    def test_wrong_type(self) -> None:
        assert "PDF、JPG 或 PNG" in self._violation(SimpleUploadedFile("e.png", b"GIF89a" + b"0" * 20))
        assert "PDF、JPG 或 PNG" in self._briefing(SimpleUploadedFile("m.pdf", b"<html>" + b"0" * 20))

    def test_empty(self) -> None:
        assert "invalid-feedback" in self._violation(SimpleUploadedFile("e.png", b""))
        assert "invalid-feedback" in self._briefing(SimpleUploadedFile("m.pdf", b""))

    def test_too_large(self) -> None:
        big = b"%PDF-1.4\n" + b"0" * (UPLOAD_MAX_BYTES + 1)
        assert "10MB" in self._violation(SimpleUploadedFile("e.pdf", big))
        assert "10MB" in self._briefing(SimpleUploadedFile("m.pdf", big))
