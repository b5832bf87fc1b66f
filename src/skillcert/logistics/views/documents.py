"""Pages of the logistics app: documents (to be built)."""

from __future__ import annotations

from django.urls import URLPattern

urls: list[URLPattern] = []
