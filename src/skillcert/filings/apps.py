"""Filings app configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "skillcert.filings"
    label = "filings"
    verbose_name = _("备案与评价范围")
    default_auto_field = "django.db.models.BigAutoField"
