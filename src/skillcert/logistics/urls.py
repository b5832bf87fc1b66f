"""URLs of the logistics app (mounted at /logistics/); each page module lists its own routes."""

from django.urls import URLPattern

from skillcert.logistics.views import documents, examday, rooms, seating, sessions, staffing, tickets

app_name = "logistics"

urlpatterns: list[URLPattern] = [
    *rooms.urls,
    *sessions.urls,
    *seating.urls,
    *tickets.urls,
    *staffing.urls,
    *documents.urls,
    *examday.urls,
]
