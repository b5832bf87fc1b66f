"""Template filters shared by every app's templates."""

from __future__ import annotations

from django import template

from skillcert.core import audit_labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return audit_labels.action_label(code)


@register.filter
def outcome_label(code: str) -> str:
    return audit_labels.outcome_label(code)
