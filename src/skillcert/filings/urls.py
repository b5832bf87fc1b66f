"""URLs of the filings app."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "filings"

urlpatterns: list[URLPattern] = []
