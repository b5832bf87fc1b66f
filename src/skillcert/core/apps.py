"""Core app configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "skillcert.core"
    label = "core"
    verbose_name = _("基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from skillcert.core import signals  # noqa: F401  (connects audit receivers)
