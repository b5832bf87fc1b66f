"""Seating: candidates of a session into rooms that fit the module and equipment, within capacity,
departments spread across rooms (pure logic, no Django)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeatRoom:
    room_id: int
    name: str
    capacity: int
    # Practical rooms: the occupations (and, when not empty, job types) the equipment serves.
    # Empty `occupation_ids` means "any occupation" (theory, CBT and review rooms).
    occupation_ids: frozenset[int] = frozenset()
    job_type_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class SeatCandidate:
    application_id: int
    offering_id: int
    occupation_id: int
    job_type_id: int | None = None
    department_id: int | None = None


@dataclass(frozen=True)
class Placed:
    application_id: int
    room_id: int
    number: int  # seat number, 1-based within the room


@dataclass(frozen=True)
class Unseated:
    application_id: int
    reason: str  # a Chinese sentence: "焊工（电焊工）三级 没有可用的实操考场（需要12个工位，剩余0个）"


@dataclass(frozen=True)
class SeatingResult:
    placed: tuple[Placed, ...]
    unseated: tuple[Unseated, ...]


def assign_seats(
    *,
    rooms: list[SeatRoom],
    candidates: list[SeatCandidate],
    one_offering_per_room: bool,
    offering_labels: dict[int, str] | None = None,
) -> SeatingResult:
    """Seat every candidate it can; `one_offering_per_room` for practical and review sessions, so a
    panel assesses one occupation and level. Deterministic for the same input."""
    raise NotImplementedError
