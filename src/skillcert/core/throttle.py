"""Per-IP login throttle (S2), counted from the audit ledger so every web process sees the same figure."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from skillcert.core.models import AuditEvent

WINDOW = timedelta(hours=1)
# The event the signal receivers write for every failed password check (skillcert.core.signals).
FAILURE_ACTION = "auth.login_failed"


def recent_failures(*, ip: str, now: datetime | None = None, cap: int | None = None) -> int:
    """Failed logins from `ip` in the last hour, counted up to `cap` (enough to decide, cheaper on a flood)."""
    since = (now or timezone.now()) - WINDOW
    qs = AuditEvent.objects.filter(action=FAILURE_ACTION, ip=ip, at__gte=since)
    if cap is not None:
        qs = qs.order_by()[:cap]
    return qs.count()


def ip_throttled(*, ip: str, now: datetime | None = None) -> bool:
    """True once `ip` reached LOGIN_IP_THROTTLE_PER_HOUR failures in the last hour (0 turns it off)."""
    limit: int = settings.LOGIN_IP_THROTTLE_PER_HOUR
    if limit <= 0:
        return False
    return recent_failures(ip=ip, now=now, cap=limit) >= limit
