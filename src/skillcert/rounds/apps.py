"""Rounds app configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "skillcert.rounds"
    label = "rounds"
    verbose_name = _("认定批次")
    default_auto_field = "django.db.models.BigAutoField"
