"""Helpers shared by the filings pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download(data: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    # RFC 6266: an ASCII fallback plus the UTF-8 Chinese name.
    response["Content-Disposition"] = (
        f"attachment; filename=\"document.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
