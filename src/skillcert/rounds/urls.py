"""URLs of the rounds app."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "rounds"

urlpatterns: list[URLPattern] = []
