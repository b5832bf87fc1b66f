"""The form for the enterprise's exam-affairs handbook texts (R6.7)."""

from __future__ import annotations

from django import forms

from skillcert.core.forms import Form
from skillcert.logistics.services.house_rules import HOUSE_RULE_FIELDS, HouseRulesData, text_field


def _text_field(name: str) -> forms.CharField:
    model_field = text_field(name)
    return forms.CharField(
        label=model_field.verbose_name,
        max_length=model_field.max_length,
        # Emptiness is refused by the service, with a sentence naming the section and the fix.
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
    )


class HouseRulesForm(Form):
    site_requirements = _text_field("site_requirements")
    duties = _text_field("duties")
    procedures = _text_field("procedures")
    room_rules = _text_field("room_rules")
    violation_rules = _text_field("violation_rules")
    emergency = _text_field("emergency")

    def data_object(self) -> HouseRulesData:
        return HouseRulesData(**{name: self.cleaned_data[name] or "" for name in HOUSE_RULE_FIELDS})
