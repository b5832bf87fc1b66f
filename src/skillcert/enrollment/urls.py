"""URLs of the enrollment app: each page module lists its own patterns."""

from django.urls import URLPattern

from skillcert.enrollment.views import apply, imports, review

app_name = "enrollment"

urlpatterns: list[URLPattern] = [*apply.urlpatterns, *review.urlpatterns, *imports.urlpatterns]
