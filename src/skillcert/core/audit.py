"""Writing and verifying the hash-chained audit ledger (DESIGN rule 5; S9–S12)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from skillcert.core import context
from skillcert.core.models import AuditEvent, AuditHead, User

GENESIS = "0" * 64
# Keys whose values never enter the ledger whole (S10): ID numbers, secrets, passwords.
_FORBIDDEN_KEYS = {"id_number", "password", "secret", "token", "otp"}


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The canonical JSON form hashed for an event: sorted keys, no spaces, UTF-8."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def event_fields(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    organisation_id: int | None,
    ip: str,
    request_id: str,
    action: str,
    object_type: str,
    object_id: str,
    outcome: str,
    summary: Mapping[str, Any],
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "organisation_id": organisation_id,
        "ip": ip,
        "request_id": request_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "outcome": outcome,
        "summary": dict(summary),
        "prev_hash": prev_hash,
    }


def compute_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def _scrub(summary: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in summary.items():
        if any(word in key.lower() for word in _FORBIDDEN_KEYS) and not key.endswith("_masked"):
            clean[key] = "***"
        elif isinstance(value, Mapping):
            clean[key] = _scrub(value)
        else:
            clean[key] = value
    return clean


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation_id: int | None = None,
    outcome: str = "ok",
    summary: Mapping[str, Any] | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction (S12: if this fails, so does the caller)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if organisation_id is None and actor is not None and actor.is_authenticated:
        organisation_id = actor.organisation_id
    ctx = context.current()
    now = timezone.now()
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update(of=("self",)).get_or_create(pk=1)
        fields = event_fields(
            seq=head.last_seq + 1,
            at=now,
            actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
            actor_name=actor_name or (actor.username if actor is not None and actor.is_authenticated else ""),
            organisation_id=organisation_id,
            ip=ctx.ip,
            request_id=ctx.request_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=outcome,
            summary=_scrub(summary or {}),
            prev_hash=head.last_hash,
        )
        digest = compute_hash(fields)
        event = AuditEvent.objects.create(
            seq=fields["seq"],
            at=now,
            actor_id=fields["actor_id"],
            actor_name=fields["actor_name"],
            organisation_id=organisation_id,
            ip=ctx.ip,
            request_id=ctx.request_id,
            action=action,
            object_type=object_type,
            object_id=fields["object_id"],
            outcome=outcome,
            summary=fields["summary"],
            prev_hash=head.last_hash,
            hash=digest,
        )
        head.last_seq, head.last_hash = fields["seq"], digest
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def _stored_fields(event: AuditEvent) -> dict[str, Any]:
    return event_fields(
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        organisation_id=event.organisation_id,
        ip=event.ip,
        request_id=event.request_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        outcome=event.outcome,
        summary=event.summary,
        prev_hash=event.prev_hash,
    )


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        chunk = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def verify_chain() -> ChainReport:
    """Walk the chain in order and name the first event whose content or link does not match."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for event in _iter_events():
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"缺少序号为 {expected_seq} 的事件（链条断裂）")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "前一事件哈希不符：其前的事件被删除或改动")
        if compute_hash(_stored_fields(event)) != event.hash:
            return ChainReport(checked, event.seq, "事件内容与其哈希不符：该事件被改动")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return ChainReport(
            checked, checked + 1, f"链头记录 {head.last_seq} 个事件，实际只找到 {checked} 个：末尾事件被删除"
        )
    return ChainReport(checked, None, "")
