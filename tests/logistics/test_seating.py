"""Seating: the pure `assign_seats` (properties), the service, the round-wide task and the seats page."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent, JobProgress, JobStatus
from skillcert.enrollment.models import ApplicationStatus
from skillcert.enrollment.services.applications import application_withdraw
from skillcert.logistics.models import Attendance, Seat
from skillcert.logistics.seating import SeatCandidate, SeatRoom, assign_seats
from skillcert.logistics.services.seating import seating_assign
from tests.base import AccessCase
from tests.enrollment.factories import OccupationFactory
from tests.logistics.factories import exam_world, practical_session, theory_session

ROUND_READERS = ["owner", "staff", "city", "city_admin", "province"]
WRITERS = ["owner", "staff"]

# --- the pure function -----------------------------------------------------------------------------


@st.composite
def seating_input(draw: st.DrawFn, *, restricted: bool = True) -> tuple[list[SeatRoom], list[SeatCandidate]]:
    n_rooms = draw(st.integers(0, 6))
    rooms = []
    for i in range(n_rooms):
        occs = draw(st.frozensets(st.integers(1, 3), max_size=2)) if restricted else frozenset()
        jobs = draw(st.frozensets(st.integers(10, 12), max_size=1)) if occs else frozenset()
        rooms.append(SeatRoom(i + 1, f"第{i + 1}考场", draw(st.integers(1, 12)), occs, jobs))
    n = draw(st.integers(0, 40))
    cands = []
    for a in range(n):
        occ = draw(st.integers(1, 3))
        cands.append(
            SeatCandidate(
                application_id=100 + a,
                offering_id=occ * 10 + draw(st.integers(0, 1)),
                occupation_id=occ,
                job_type_id=draw(st.sampled_from([None, 10, 11, 12])),
                department_id=draw(st.sampled_from([None, 1, 2, 3])),
            )
        )
    return rooms, cands


def _fits(room: SeatRoom, cand: SeatCandidate) -> bool:
    if not room.occupation_ids:
        return True
    return cand.occupation_id in room.occupation_ids and (
        not room.job_type_ids or cand.job_type_id in room.job_type_ids
    )


@settings(max_examples=300, deadline=None)
@given(data=seating_input(), one=st.booleans())
def test_seating_is_always_valid(data: tuple[list[SeatRoom], list[SeatCandidate]], one: bool) -> None:
    rooms, cands = data
    result = assign_seats(rooms=rooms, candidates=cands, one_offering_per_room=one)
    by_room = {r.room_id: r for r in rooms}
    by_app = {c.application_id: c for c in cands}
    load = Counter(p.room_id for p in result.placed)
    for room_id, n in load.items():
        assert n <= by_room[room_id].capacity  # never over capacity
    for p in result.placed:
        assert _fits(by_room[p.room_id], by_app[p.application_id])  # every seat in a fitting room
    numbers = [(p.room_id, p.number) for p in result.placed]
    assert len(numbers) == len(set(numbers))  # seat numbers unique per room
    for room_id, n in load.items():
        assert sorted(p.number for p in result.placed if p.room_id == room_id) == list(range(1, n + 1))
    seated = {p.application_id for p in result.placed}
    unseated = {u.application_id for u in result.unseated}
    assert seated.isdisjoint(unseated)
    assert seated | unseated == set(by_app)  # every candidate either seated or told why not
    assert all(u.reason.strip() for u in result.unseated)
    if one:
        offerings_in_room: dict[int, set[int]] = {}
        for p in result.placed:
            offerings_in_room.setdefault(p.room_id, set()).add(by_app[p.application_id].offering_id)
        assert all(len(o) == 1 for o in offerings_in_room.values())
    # Deterministic: the same input gives the same answer.
    assert assign_seats(rooms=rooms, candidates=cands, one_offering_per_room=one) == result


@settings(max_examples=300, deadline=None)
@given(
    n_rooms=st.integers(1, 6),
    capacity=st.integers(1, 15),
    depts=st.lists(st.sampled_from([1, 2, 3, 4]), max_size=60),
)
def test_departments_are_spread(n_rooms: int, capacity: int, depts: list[int]) -> None:
    """Equal rooms that can take everyone: no room holds more than its share of a department, plus one."""
    rooms = [SeatRoom(i + 1, f"第{i + 1}考场", capacity) for i in range(n_rooms)]
    cands = [SeatCandidate(100 + i, 1, 1, None, d) for i, d in enumerate(depts)]
    result = assign_seats(rooms=rooms, candidates=cands, one_offering_per_room=False)
    if len(cands) > n_rooms * capacity:
        assert len(result.unseated) == len(cands) - n_rooms * capacity
        return
    assert not result.unseated
    used = {p.room_id for p in result.placed}
    dept_of = {c.application_id: c.department_id for c in cands}
    per_room = Counter((p.room_id, dept_of[p.application_id]) for p in result.placed)
    totals = Counter(depts)
    for (_room, dept), n in per_room.items():
        assert n <= math.ceil(totals[dept] / len(used)) + 1, (per_room, totals, len(used))


def test_twelve_in_two_rooms_of_eight_are_split_by_department() -> None:
    rooms = [SeatRoom(1, "第1考场", 8), SeatRoom(2, "第2考场", 8), SeatRoom(3, "第3考场", 8)]
    cands = [SeatCandidate(i, 1, 1, None, i % 2) for i in range(12)]
    result = assign_seats(rooms=rooms, candidates=cands, one_offering_per_room=False)
    per_room = Counter((p.room_id, p.application_id % 2) for p in result.placed)
    assert per_room == {(1, 0): 3, (1, 1): 3, (2, 0): 3, (2, 1): 3}  # two rooms opened, not three


def test_practical_rooms_serve_their_occupation_one_offering_each() -> None:
    rooms = [
        SeatRoom(1, "焊接车间", 5, frozenset({7}), frozenset({70})),
        SeatRoom(2, "车工车间", 5, frozenset({8})),
        SeatRoom(3, "焊接二区", 5, frozenset({7})),
    ]
    cands = [
        *(SeatCandidate(10 + i, 1, 7, 70, None) for i in range(4)),  # 电焊工 三级
        *(SeatCandidate(20 + i, 2, 7, 71, None) for i in range(3)),  # 气焊工 四级
        *(SeatCandidate(30 + i, 3, 8, None, None) for i in range(2)),  # 车工
        SeatCandidate(40, 4, 9, None, None),  # 电工: no room serves it
    ]
    result = assign_seats(
        rooms=rooms, candidates=cands, one_offering_per_room=True, offering_labels={4: "电工 四级"}
    )
    room_of = {p.application_id: p.room_id for p in result.placed}
    assert {room_of[10 + i] for i in range(4)} == {1}
    assert {room_of[20 + i] for i in range(3)} == {3}
    assert {room_of[30 + i] for i in range(2)} == {2}
    assert [u.application_id for u in result.unseated] == [40]
    assert result.unseated[0].reason.startswith("电工 四级 没有适用的考场")


def test_over_capacity_says_how_many_seats_are_missing() -> None:
    rooms = [SeatRoom(1, "第1考场", 2)]
    cands = [SeatCandidate(i, 1, 1) for i in range(3)]
    result = assign_seats(
        rooms=rooms, candidates=cands, one_offering_per_room=False, offering_labels={1: "焊工 三级"}
    )
    assert len(result.placed) == 2
    assert "需要3个座位" in result.unseated[0].reason and "共2个" in result.unseated[0].reason


# --- the service, the task and the pages -----------------------------------------------------------


class TestSeatingService(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.world = exam_world(cls.w.ent_a)

    def test_theory_session_seats_everyone_spread_by_department(self) -> None:
        session = theory_session(self.world)
        outcome = seating_assign(actor=self.w.users["staff"], session=session)
        assert outcome.placed == 12 and outcome.rooms == 2 and not outcome.unseated
        seats = list(session.seats.select_related("application__employee"))
        per_room = Counter((s.room_id, s.application.employee.department_id) for s in seats)
        assert sorted(per_room.values()) == [3, 3, 3, 3]  # two departments, two rooms: 3 of each per room
        assert {s.room_id for s in seats} == {r.pk for r in self.world.theory_rooms}
        ev = AuditEvent.objects.get(action="seating.assign", object_id=str(session.pk))
        assert ev.summary["placed"] == 12  # type: ignore[index]

    def test_practical_session_uses_only_the_practical_room_within_capacity(self) -> None:
        session = practical_session(self.world)
        outcome = seating_assign(actor=self.w.users["staff"], session=session)
        assert outcome.placed == 10  # the practical room has 10 stations
        assert set(session.seats.values_list("room_id", flat=True)) == {self.world.practical_room.pk}
        assert len(outcome.unseated) == 2
        assert all("考场容量不足" in reason for _name, reason in outcome.unseated)

    def test_practical_room_for_another_occupation_is_not_used(self) -> None:
        session = practical_session(self.world)
        self.world.practical_room.occupations.set([OccupationFactory()])
        outcome = seating_assign(actor=self.w.users["staff"], session=session)
        assert outcome.placed == 0
        assert "没有适用的考场" in outcome.unseated[0][1]

    def test_rerun_replaces_seats(self) -> None:
        session = theory_session(self.world)
        seating_assign(actor=self.w.users["staff"], session=session)
        seating_assign(actor=self.w.users["staff"], session=session)
        assert session.seats.count() == 12

    def test_refuses_to_reseat_after_check_in(self) -> None:
        session = theory_session(self.world)
        seating_assign(actor=self.w.users["staff"], session=session)
        Seat.objects.filter(session=session).filter(pk=session.seats.first().pk).update(  # type: ignore[union-attr]
            attendance=Attendance.PRESENT
        )
        with pytest.raises(RuleViolation, match="签到") as exc:
            seating_assign(actor=self.w.users["staff"], session=session)
        assert exc.value.rule == "R7.2"
        assert session.seats.count() == 12

    def test_withdrawn_candidate_frees_the_seat_for_the_next_run(self) -> None:
        session = practical_session(self.world)
        seating_assign(actor=self.w.users["staff"], session=session)
        seated = Seat.objects.get(session=session, room=self.world.practical_room, number=1).application
        waiting = next(a for a in self.world.applications if not a.seats.exists())
        application_withdraw(actor=self.w.users["owner"], application=seated, reason="调岗")
        assert not Seat.objects.filter(application=seated).exists()  # the signal freed the seat
        outcome = seating_assign(actor=self.w.users["staff"], session=session)
        assert outcome.placed == 10
        assert Seat.objects.filter(session=session, application=waiting).exists()

    def test_rejected_by_status_change_also_frees_the_seat(self) -> None:
        session = theory_session(self.world)
        seating_assign(actor=self.w.users["staff"], session=session)
        app = self.world.applications[3]
        app.status = ApplicationStatus.WITHDRAWN
        app.save(update_fields=["status"])
        assert session.seats.count() == 11

    def test_round_task_seats_every_session_and_reports(self) -> None:
        theory = theory_session(self.world)
        practical = practical_session(self.world)
        response = self.request_as(
            "owner", "post", reverse("logistics:seating_run", args=[self.world.round.pk])
        )
        assert response.status_code == 302
        job = JobProgress.objects.get(kind=f"logistics.seating:{self.world.round.pk}")
        assert job.status == JobStatus.DONE and job.done == job.total == 2
        assert job.result["placed"] == 22 and job.result["unseated"] == 2
        assert theory.seats.count() == 12 and practical.seats.count() == 10
        body = self.request_as(
            "owner", "get", reverse("logistics:seating", args=[self.world.round.pk])
        ).content.decode()
        assert f"job-progress-{job.pk}" in body


class TestSeatingPages(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.world = exam_world(cls.w.ent_a)
        cls.session = theory_session(cls.world)

    def test_seating_page_access(self) -> None:
        self.check_access(reverse("logistics:seating", args=[self.world.round.pk]), ROUND_READERS)

    def test_run_access(self) -> None:
        url = reverse("logistics:seating_run", args=[self.world.round.pk])
        self.check_access(url, WRITERS, method="post", data={"session": self.session.pk}, ok=(302,))
        assert self.session.seats.count() == 12

    def test_session_of_another_round_is_404(self) -> None:
        other = exam_world(self.w.ent_b, candidates=1)
        foreign = theory_session(other)
        url = reverse("logistics:seating_run", args=[self.world.round.pk])
        assert self.request_as("owner", "post", url, {"session": foreign.pk}).status_code == 404

    def test_session_seats_page_door_list_with_masked_ids(self) -> None:
        seating_assign(actor=self.w.users["staff"], session=self.session)
        url = reverse("logistics:session_seats", args=[self.session.pk])
        self.check_access(url, ROUND_READERS)
        body = self.request_as("staff", "get", url).content.decode()
        person = self.world.applications[0].person
        assert person.id_number_masked in body and "*" in person.id_number_masked
        assert person.reveal_id_number() not in body
        assert "第1考场" in body and "第2考场" in body

    def test_unseated_listed_on_the_seats_page(self) -> None:
        body = self.request_as(
            "owner", "get", reverse("logistics:session_seats", args=[self.session.pk])
        ).content.decode()
        assert 'data-testid="unseated"' in body
