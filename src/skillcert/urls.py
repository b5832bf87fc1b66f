"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from skillcert.api import api

urlpatterns = [
    path("", include("skillcert.core.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
