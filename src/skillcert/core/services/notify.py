"""Writes of in-app notifications: raise them (and e-mail them when enabled), mark them read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from skillcert.core.models import Notification, NotificationKind, Organisation, User
from skillcert.core.models.accounts import Role

__all__ = ["admins_of", "notification_mark_read", "notify"]


def admins_of(organisation: Organisation) -> QuerySet[User]:
    """The active accounts that answer for ``organisation``'s duties: its enterprise or authority admins."""
    role = Role.AUTHORITY_ADMIN if organisation.is_authority else Role.ENTERPRISE_ADMIN
    return User.objects.filter(
        organisation=organisation, is_active=True, role_assignments__role=role
    ).distinct()


def notify(
    *,
    recipients: Iterable[User],
    kind: NotificationKind | str,
    title: str,
    body: str = "",
    url: str = "",
    organisation: Organisation | None = None,
) -> list[Notification]:
    """Give each recipient (once, even if listed twice) a notification; e-mail it too when SKILLCERT_NOTIFY_EMAIL is on.

    E-mail leaves only after the caller's transaction commits, so a rolled-back action sends nothing.
    """
    kind = NotificationKind(kind)
    unique: dict[int, User] = {}
    for user in recipients:
        if user.pk is not None and user.is_active:
            unique.setdefault(user.pk, user)
    if not unique:
        return []
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    organisation=organisation,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url[:300],
                )
                for user in unique.values()
            ]
        )
    if settings.NOTIFY_EMAIL:
        mailed = [(n.pk, n.recipient.email) for n in rows if n.recipient.email and n.pk is not None]
        if mailed:
            transaction.on_commit(lambda: _send_mail(mailed, title=title, body=body, url=url))
    return rows


def _send_mail(mailed: Sequence[tuple[int, str]], *, title: str, body: str, url: str) -> None:
    text = body if not url else f"{body}\n\n{url}"
    messages = [(title, text, settings.DEFAULT_FROM_EMAIL, [address]) for _pk, address in mailed]
    send_mass_mail(messages, fail_silently=False)
    Notification.objects.filter(pk__in=[pk for pk, _address in mailed]).update(emailed_at=timezone.now())


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of ``user``'s notifications read, or all of them when ``notification`` is None.

    Returns how many changed. Another account's notification is never touched (the query names the
    recipient), so a forged id changes nothing. Reading is not audited: it changes only the reader's inbox.
    """
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())
