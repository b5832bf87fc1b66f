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


def _fits(room: SeatRoom, cand: SeatCandidate) -> bool:
    """A room fits a candidate when its equipment serves the occupation (and job type, when it lists any)."""
    if not room.occupation_ids:
        return True
    if cand.occupation_id not in room.occupation_ids:
        return False
    return not room.job_type_ids or cand.job_type_id in room.job_type_ids


def _department_order(candidates: list[SeatCandidate]) -> list[SeatCandidate]:
    """Most constrained first is the caller's job; here: departments interleaved (A1 B1 C1 A2 B2 …)."""
    by_dept: dict[int | None, list[SeatCandidate]] = {}
    for c in sorted(candidates, key=lambda c: c.application_id):
        by_dept.setdefault(c.department_id, []).append(c)
    queues = [by_dept[d] for d in sorted(by_dept, key=lambda d: (d is None, d or 0))]
    out: list[SeatCandidate] = []
    depth = 0
    while len(out) < len(candidates):
        for q in queues:
            if depth < len(q):
                out.append(q[depth])
        depth += 1
    return out


def _choose_rooms(rooms: list[SeatRoom], candidates: list[SeatCandidate]) -> list[SeatRoom]:
    """The rooms to open, in the given order: a room opens only when a candidate fits no room opened so far
    that still has space (fewer rooms, fewer proctors and panels)."""
    left: dict[int, int] = {}
    opened: list[SeatRoom] = []
    for cand in sorted(candidates, key=lambda c: c.application_id):
        if any(left[r.room_id] > 0 and _fits(r, cand) for r in opened):
            room = next(r for r in opened if left[r.room_id] > 0 and _fits(r, cand))
        else:
            fresh = [r for r in rooms if r.room_id not in left and r.capacity > 0 and _fits(r, cand)]
            if not fresh:
                continue
            room = fresh[0]
            opened.append(room)
            left[room.room_id] = room.capacity
        left[room.room_id] -= 1
    return opened


def _spread(rooms: list[SeatRoom], candidates: list[SeatCandidate]) -> dict[int, int]:
    """application_id → room_id: each candidate to the fitting room with space that holds the fewest of
    their department, then the least full; the most constrained candidates go first."""
    index = {r.room_id: i for i, r in enumerate(rooms)}
    fitting = {c.application_id: [r for r in rooms if _fits(r, c)] for c in candidates}
    ordered = sorted(
        _department_order(candidates), key=lambda c: len(fitting[c.application_id])
    )  # stable: departments stay interleaved among equally constrained candidates
    load: dict[int, int] = {r.room_id: 0 for r in rooms}
    dept_load: dict[tuple[int, int | None], int] = {}
    placed: dict[int, int] = {}
    for cand in ordered:
        options = [r for r in fitting[cand.application_id] if load[r.room_id] < r.capacity]
        if not options:
            continue
        room = min(
            options,
            key=lambda r: (
                dept_load.get((r.room_id, cand.department_id), 0) if cand.department_id is not None else 0,
                load[r.room_id] / r.capacity,
                index[r.room_id],
            ),
        )
        placed[cand.application_id] = room.room_id
        load[room.room_id] += 1
        key = (room.room_id, cand.department_id)
        dept_load[key] = dept_load.get(key, 0) + 1
    return placed


def _first_fit(rooms: list[SeatRoom], candidates: list[SeatCandidate]) -> dict[int, int]:
    """The fallback when spreading seats fewer people: most constrained first, first room with space."""
    load: dict[int, int] = {r.room_id: 0 for r in rooms}
    placed: dict[int, int] = {}
    ordered = sorted(candidates, key=lambda c: (sum(_fits(r, c) for r in rooms), c.application_id))
    for cand in ordered:
        for r in rooms:
            if load[r.room_id] < r.capacity and _fits(r, cand):
                placed[cand.application_id] = r.room_id
                load[r.room_id] += 1
                break
    return placed


def _seat_group(rooms: list[SeatRoom], candidates: list[SeatCandidate]) -> dict[int, int]:
    opened = _choose_rooms(rooms, candidates)
    spread = _spread(opened, candidates)
    greedy = _first_fit(opened, candidates)
    return spread if len(spread) >= len(greedy) else greedy


def _reason(
    cand: SeatCandidate, group: list[SeatCandidate], rooms: list[SeatRoom], label: str, one_per_room: bool
) -> str:
    fitting = [r for r in rooms if _fits(r, cand)]
    if not fitting:
        return f"{label} 没有适用的考场：本场次可用考场的设备均不适用于该职业（工种），请在考场中登记适用职业（工种）。"
    need = sum(1 for c in group if c.offering_id == cand.offering_id)
    free = sum(r.capacity for r in fitting)
    if one_per_room:
        return (
            f"{label} 考场容量不足：需要{need}个座位（工位），适用且未被其他职业（工种）等级占用的考场"
            f"共{free}个；实操、综合评审每个考场只安排一个职业（工种）等级，请增加考场或另设场次。"
        )
    return f"{label} 考场容量不足：本场次需要{len(group)}个座位，适用考场共{free}个，请增加考场或另设场次。"


def assign_seats(
    *,
    rooms: list[SeatRoom],
    candidates: list[SeatCandidate],
    one_offering_per_room: bool,
    offering_labels: dict[int, str] | None = None,
) -> SeatingResult:
    """Seat every candidate it can; `one_offering_per_room` for practical and review sessions, so a
    panel assesses one occupation and level. Deterministic for the same input.

    Rooms are opened in the given order, only as many as needed; within the opened rooms candidates of
    one department are dealt round-robin, so no room collects a whole workshop. Seat numbers run 1..n per
    room in order of application id.
    """
    labels = offering_labels or {}
    rooms = [r for r in rooms if r.capacity > 0]
    seated: dict[int, int] = {}
    reasons: dict[int, str] = {}
    if one_offering_per_room:
        groups: dict[int, list[SeatCandidate]] = {}
        for c in candidates:
            groups.setdefault(c.offering_id, []).append(c)
        claimed: set[int] = set()

        def demand(oid: int) -> tuple[int, int, int]:
            group = groups[oid]
            supply = sum(r.capacity for r in rooms if any(_fits(r, c) for c in group))
            return (supply - len(group), -len(group), oid)

        # The offering with the least slack picks its rooms first.
        for oid in sorted(groups, key=demand):
            group = groups[oid]
            free = [r for r in rooms if r.room_id not in claimed]
            placed = _seat_group(free, group)
            claimed.update(placed.values())
            seated.update(placed)
            for c in group:
                if c.application_id not in placed:
                    reasons[c.application_id] = _reason(
                        c, group, free, labels.get(c.offering_id, f"第{c.offering_id}项"), True
                    )
    else:
        seated = _seat_group(rooms, candidates)
        for c in candidates:
            if c.application_id not in seated:
                reasons[c.application_id] = _reason(
                    c, candidates, rooms, labels.get(c.offering_id, f"第{c.offering_id}项"), False
                )
    numbers: dict[int, int] = {}
    placed_out: list[Placed] = []
    order = {r.room_id: i for i, r in enumerate(rooms)}
    for app_id, room_id in sorted(seated.items(), key=lambda kv: (order[kv[1]], kv[0])):
        numbers[room_id] = numbers.get(room_id, 0) + 1
        placed_out.append(Placed(application_id=app_id, room_id=room_id, number=numbers[room_id]))
    unseated = tuple(
        Unseated(application_id=a, reason=reasons[a]) for a in sorted(reasons) if a not in seated
    )
    return SeatingResult(placed=tuple(placed_out), unseated=unseated)
