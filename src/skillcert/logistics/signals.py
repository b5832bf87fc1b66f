"""Withdrawn candidates free their seats (issue 6: seating)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from skillcert.enrollment.models import Application, ApplicationStatus


@receiver(post_save, sender=Application, dispatch_uid="logistics_free_seats")
def free_seats_of_withdrawn(sender: type[Application], instance: Application, **kwargs: Any) -> None:
    # Enrollment does not know about seats (dependencies point down the lifecycle), so the seat
    # follows the application here: once it is no longer approved, its seats are released.
    if instance.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED):
        from skillcert.logistics.models import Seat

        Seat.objects.filter(application_id=instance.pk).delete()
