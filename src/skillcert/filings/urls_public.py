"""Public URLs of the filings app (mounted at /public/ without login)."""

from django.urls import path

from skillcert.filings.views import public

app_name = "filings_public"

urlpatterns = [
    path("filed/", public.filed_list, name="filed_list"),
    path("filed/<int:pk>/", public.filed_detail, name="filed_detail"),
]
