"""Helpers shared by list and form views of every app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    style: str = "primary"


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    """Bootstrap classes on a form we did not write (filter forms, auth forms)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple | forms.NullBooleanSelect):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs.setdefault("class", css)
        if getattr(field, "label", None):
            widget.attrs.setdefault("placeholder", str(field.label))
    return form


def list_page(
    request: HttpRequest,
    *,
    title: str,
    queryset: QuerySet[Any],
    filterset_class: type[django_filters.FilterSet],
    table_class: type[tables.Table],
    actions: list[Action] | None = None,
    intro: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A searchable, filterable, paged list. htmx requests get only the table partial."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    style_form(filterset.form)
    table = table_class(filterset.qs)
    tables.RequestConfig(request, paginate={"per_page": table._meta.per_page or 25}).configure(table)
    context = {
        "title": title,
        "filter": filterset,
        "table": table,
        "actions": actions or [],
        "intro": intro,
        **(extra or {}),
    }
    template = "core/_list_table.html" if getattr(request, "htmx", False) else "core/list.html"
    return render(request, template, context)
