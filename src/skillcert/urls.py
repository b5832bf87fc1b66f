"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from skillcert.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("skillcert.core.urls")),
    path("catalog/", include("skillcert.catalog.urls")),
    path("filings/", include("skillcert.filings.urls")),
    path("rounds/", include("skillcert.rounds.urls")),
    path("enrollment/", include("skillcert.enrollment.urls")),
    path("logistics/", include("skillcert.logistics.urls")),
    path("public/", include("skillcert.filings.urls_public")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
