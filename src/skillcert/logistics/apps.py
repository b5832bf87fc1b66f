"""Logistics app configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "skillcert.logistics"
    label = "logistics"
    verbose_name = _("考务组织")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from skillcert.logistics import signals  # noqa: F401  (withdrawn candidates free their seats)
