"""Writes of the enterprise's exam-affairs handbook texts (R6.7)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import models, transaction
from django.utils.translation import gettext as _

from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User
from skillcert.logistics.house_rules_default import DEFAULTS
from skillcert.logistics.models import HouseRules

HOUSE_RULE_FIELDS: tuple[str, ...] = (
    "site_requirements",
    "duties",
    "procedures",
    "room_rules",
    "violation_rules",
    "emergency",
)


@dataclass(frozen=True)
class HouseRulesData:
    site_requirements: str
    duties: str
    procedures: str
    room_rules: str
    violation_rules: str
    emergency: str

    @classmethod
    def of(cls, rules: HouseRules) -> HouseRulesData:
        return cls(**{f.name: getattr(rules, f.name) for f in fields(cls)})


def text_field(name: str) -> models.TextField[str, str]:
    """The model field of one handbook text (its label and length limit)."""
    model_field = HouseRules._meta.get_field(name)
    assert isinstance(model_field, models.TextField)
    return model_field


def _label(field: str) -> str:
    return str(text_field(field).verbose_name)


def _normalise(text: str) -> str:
    """Line endings from a browser textarea are \\r\\n; keep one form so "unchanged" means unchanged."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip() + "\n"


def _locked(enterprise: Organisation) -> tuple[HouseRules, bool]:
    rules, created = HouseRules.objects.get_or_create(enterprise=enterprise, defaults=dict(DEFAULTS))
    return HouseRules.objects.select_for_update(of=("self",)).get(pk=rules.pk), created


def house_rules_save(*, actor: User, enterprise: Organisation, data: HouseRulesData) -> HouseRules:
    """Save the six texts of the handbook; an empty text is refused (the handbook needs all seven sections)."""
    values = {name: _normalise(getattr(data, name)) for name in HOUSE_RULE_FIELDS}
    for name, text in values.items():
        if not text.strip():
            raise RuleViolation(
                "R6.7",
                _("“%(f)s”不能为空：考务手册须包含这一部分。请填写内容，或点“恢复默认”使用默认文本。")
                % {"f": _label(name)},
                field=name,
            )
        limit = text_field(name).max_length
        if limit and len(text) > limit:
            raise RuleViolation(
                "R6.7",
                _("“%(f)s”最多%(n)s字，现有%(m)s字，请精简后再保存。")
                % {"f": _label(name), "n": limit, "m": len(text)},
                field=name,
            )
    with transaction.atomic():
        rules, created = _locked(enterprise)
        changed = [name for name in HOUSE_RULE_FIELDS if _normalise(getattr(rules, name)) != values[name]]
        if not changed and not created:
            return rules
        for name in changed:
            setattr(rules, name, values[name])
        rules.updated_by = actor
        rules.save(update_fields=[*changed, "updated_at", "updated_by"])
        audit.record(
            actor=actor,
            action="house_rules.update",
            obj=rules,
            summary={"fields": changed, "created": created},
        )
    return rules


def house_rules_restore_default(*, actor: User, enterprise: Organisation, field: str) -> HouseRules:
    """Put one text back to the platform's default."""
    if field not in HOUSE_RULE_FIELDS:
        raise RuleViolation("R6.7", _("考务手册没有这一部分，无法恢复默认文本。"), field=field)
    with transaction.atomic():
        rules, created = _locked(enterprise)
        if getattr(rules, field) == DEFAULTS[field] and not created:
            return rules
        setattr(rules, field, DEFAULTS[field])
        rules.updated_by = actor
        rules.save(update_fields=[field, "updated_at", "updated_by"])
        audit.record(
            actor=actor,
            action="house_rules.update",
            obj=rules,
            summary={"fields": [field], "restored_default": True, "created": created},
        )
    return rules
