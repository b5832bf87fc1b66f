"""Deadlines counted in working days and in-app notifications (issue 5; R5.1, R8.2, R10.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineState(models.TextChoices):
    OPEN = "open", _("未到期")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    MET = "met", _("按期完成")
    MISSED = "missed", _("逾期完成")


class Deadline(models.Model):
    """One deadline of one rule for one subject (a plan, a publicity, a returned report...)."""

    rule = models.CharField(_("规则"), max_length=10)
    # The subject, named like the audit ledger names objects: "app_label.model" and the primary key.
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象ID"), max_length=60)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("责任单位"),
        on_delete=models.CASCADE,
        related_name="deadlines",
    )
    title = models.CharField(_("事项"), max_length=200, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    start = models.DateField(_("起算日"))
    due = models.DateField(_("截止日"))
    done_on = models.DateField(_("完成日"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    # Each notice is raised once: the daily scan sets these and never raises that notice again.
    soon_notified_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    passed_notified_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id"], name="deadline_unique_subject"
            ),
        ]
        indexes = [models.Index(fields=["done_on", "due"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.title or self.object_type + '#' + self.object_id} → {self.due}"


class NotificationKind(models.TextChoices):
    PLAN_RETURNED = "plan_returned", _("认定计划被退回")
    PLAN_CONFIRMED = "plan_confirmed", _("认定计划已确认")
    DEADLINE_SOON = "deadline_soon", _("期限即将到期")
    DEADLINE_PASSED = "deadline_passed", _("期限已过")
    GENERIC = "generic", _("通知")


class Notification(models.Model):
    """A message to one account, shown under the bell until read; e-mailed too when enabled."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("相关组织"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
