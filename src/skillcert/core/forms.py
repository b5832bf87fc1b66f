"""Form helpers shared by every app: Bootstrap classes on widgets, service errors onto fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from skillcert.core.errors import RuleViolation


class BootstrapMixin:
    """Gives every widget the Bootstrap 5 class it needs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class Form(BootstrapMixin, forms.Form):
    def add_error(self, field: str | None, error: Any) -> None:
        """Every error, from validation or from a service, outlines its field in red."""
        super().add_error(field, error)
        if field and field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


def add_rule_error(form: forms.Form, exc: RuleViolation) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The named field as a ModelChoiceField, to set its queryset."""
    return cast(forms.ModelChoiceField, form.fields[name])


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The named field as a ChoiceField, to set its choices."""
    return cast(forms.ChoiceField, form.fields[name])
