"""Helpers shared by the filings pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skillcert.core.http import file_response

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    return file_response(data, filename=filename, content_type=CONTENT_TYPES[fmt])


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    cancel_url: str,
    intro: str = "",
    submit_label: str | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro, **extra}
    if submit_label:
        context["submit_label"] = submit_label
    return render(request, "core/form.html", context)
