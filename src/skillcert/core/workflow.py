"""One table of allowed status moves per model; any other move is refused, citing the rule (DESIGN rule 3)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from skillcert.core.errors import RuleViolation


def require_transition(
    *,
    current: str,
    target: str,
    transitions: Mapping[str, frozenset[str]],
    labels: Mapping[str, str],
    rule: str,
) -> None:
    """Raise RuleViolation unless `current` → `target` is in the table."""
    if target not in transitions.get(current, frozenset()):
        raise RuleViolation(
            rule,
            _("当前状态为“%(c)s”，不能变为“%(t)s”。")
            % {"c": labels.get(current, current), "t": labels.get(target, target)},
        )
