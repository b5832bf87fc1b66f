"""The working-day calendar: official holidays and 调休 working days per year (R5.3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule has been entered; dates of other years are refused."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    source = models.CharField(_("来源"), max_length=40, default="chinesecalendar")
    note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a weekday off, or a weekend working day."""

    date = models.DateField(_("日期"), primary_key=True)
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'} {self.name}"
