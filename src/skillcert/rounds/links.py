"""Links into later stages that may not be installed yet (the apply page belongs to enrollment)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _


def apply_url(round_pk: int) -> str | None:
    """The online application page of a round, or None while the enrollment app does not provide one."""
    try:
        return reverse("enrollment:apply", kwargs={"round_pk": round_pk})
    except NoReverseMatch:
        return None


def _maybe(name: str, round_pk: int) -> str | None:
    try:
        return reverse(name, kwargs={"round_pk": round_pk})
    except NoReverseMatch:
        return None


def staff_links(round_pk: int) -> list[tuple[str, str]]:
    """Later-stage pages of a published round for its exam-affairs staff: (label, url) pairs."""
    candidates = [
        (_("资格审核"), "enrollment:review_queue"),
        (_("批量导入申报"), "enrollment:import_upload"),
    ]
    return [(label, url) for label, name in candidates if (url := _maybe(name, round_pk)) is not None]
