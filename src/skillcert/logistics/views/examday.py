"""Pages of the logistics app: examday (to be built)."""

from __future__ import annotations

from django.urls import URLPattern

urls: list[URLPattern] = []
