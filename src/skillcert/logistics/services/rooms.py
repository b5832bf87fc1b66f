"""Writes of rooms (考场): kind, capacity, the occupations a practical room serves, monitoring (R6.1)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from skillcert.catalog.models import JobType, Occupation
from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.filings.models import Site
from skillcert.logistics.models import Room, RoomKind

__all__ = ["RoomData", "room_create", "room_problems", "room_update"]


@dataclass(frozen=True)
class RoomData:
    """What a person fills in for a room."""

    name: str
    kind: str
    capacity: int
    monitored: bool = True
    alt_record: str = ""
    note: str = ""
    is_active: bool = True
    occupations: tuple[Occupation, ...] = field(default=())
    job_types: tuple[JobType, ...] = field(default=())


def room_problems(*, site: Site, data: RoomData, room: Room | None = None) -> list[RuleViolation]:
    """Every reason the room cannot be saved, each on its field (R6.1)."""
    problems: list[RuleViolation] = []
    name = data.name.strip()
    if not name:
        problems.append(RuleViolation("R6.1", _("请填写考场名称。"), field="name"))
    elif Room.objects.filter(site=site, name=name).exclude(pk=room.pk if room else 0).exists():
        problems.append(
            RuleViolation(
                "R6.1",
                _("考点“%(s)s”已有名为“%(n)s”的考场，请换一个名称。") % {"s": site.name, "n": name},
                field="name",
            )
        )
    if data.kind not in RoomKind.values:
        problems.append(RuleViolation("R6.1", _("请选择考场类型。"), field="kind"))
    if data.capacity < 1:
        problems.append(RuleViolation("R6.1", _("考场容量至少为1个座位（工位）。"), field="capacity"))
    if data.kind == RoomKind.PRACTICAL and not data.occupations:
        problems.append(
            RuleViolation(
                "R6.1",
                _("实操考场须选择其设备可考核的职业，座位编排只把相应职业的考生安排到该考场。"),
                field="occupations",
            )
        )
    occupation_ids = {o.pk for o in data.occupations}
    stray = [j for j in data.job_types if j.occupation_id not in occupation_ids]
    if stray:
        problems.append(
            RuleViolation(
                "R6.1",
                _("工种“%(j)s”不属于所选职业，请先选择其职业或去掉该工种。")
                % {"j": "、".join(j.name for j in stray)},
                field="job_types",
            )
        )
    if not data.monitored and not data.alt_record.strip():
        problems.append(
            RuleViolation(
                "R6.1",
                _("考场未安装电子监控时，须写明全程留痕的其他方式（如全程录像、双人记录）。"),
                field="alt_record",
            )
        )
    return problems


def _check(*, site: Site, data: RoomData, room: Room | None = None) -> None:
    problems = room_problems(site=site, data=data, room=room)
    if problems:
        raise problems[0]


def _summary(room: Room, data: RoomData) -> dict[str, object]:
    return {
        "site": room.site.name,
        "name": room.name,
        "kind": room.kind,
        "capacity": room.capacity,
        "monitored": room.monitored,
        "occupations": sorted(o.name for o in data.occupations),
        "job_types": sorted(j.name for j in data.job_types),
    }


def room_create(*, actor: User, site: Site, data: RoomData) -> Room:
    """Add a room to a site of the actor's enterprise."""
    _check(site=site, data=data)
    with transaction.atomic():
        room = Room.objects.create(
            site=site,
            name=data.name.strip(),
            kind=data.kind,
            capacity=data.capacity,
            monitored=data.monitored,
            alt_record="" if data.monitored else data.alt_record.strip(),
            note=data.note.strip(),
            is_active=data.is_active,
        )
        _set_equipment(room, data)
        audit.record(
            actor=actor,
            action="room.create",
            obj=room,
            organisation_id=site.enterprise_id,
            summary=_summary(room, data),
        )
    return room


def _set_equipment(room: Room, data: RoomData) -> None:
    # Only practical rooms are restricted to occupations; the other kinds serve every occupation.
    practical = data.kind == RoomKind.PRACTICAL
    room.occupations.set(list(data.occupations) if practical else [])
    room.job_types.set(list(data.job_types) if practical else [])


def room_update(*, actor: User, room: Room, data: RoomData) -> Room:
    """Change a room; its seats already given out stay (a smaller capacity shows on the next seating run)."""
    with transaction.atomic():
        room = Room.objects.select_for_update(of=("self",)).select_related("site").get(pk=room.pk)
        _check(site=room.site, data=data, room=room)
        room.name = data.name.strip()
        room.kind = data.kind
        room.capacity = data.capacity
        room.monitored = data.monitored
        room.alt_record = "" if data.monitored else data.alt_record.strip()
        room.note = data.note.strip()
        room.is_active = data.is_active
        room.save(update_fields=["name", "kind", "capacity", "monitored", "alt_record", "note", "is_active"])
        _set_equipment(room, data)
        audit.record(
            actor=actor,
            action="room.update",
            obj=room,
            organisation_id=room.site.enterprise_id,
            summary=_summary(room, data),
        )
    return room
