"""Progress of long work run as a task, polled by pages to draw a progress bar (house rule 10)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# After these, a job that has not moved on is shown as stalled: no worker picked it up, or the
# worker died while running it (nothing else would ever tell the person watching the bar).
STALL_PENDING = timedelta(minutes=5)
STALL_RUNNING = timedelta(minutes=30)


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class JobProgress(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("类型"), max_length=60)
    title = models.CharField(_("名称"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.CASCADE)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def stalled_message(self) -> str:
        """A warning for a job that waits or runs far longer than it should; empty otherwise."""
        now = timezone.now()
        if self.status == JobStatus.PENDING and self.created_at and now - self.created_at > STALL_PENDING:
            return str(
                _("任务已排队超过5分钟仍未开始：后台任务进程（db_worker）可能没有运行，请联系系统管理员。")
            )
        if self.status == JobStatus.RUNNING and self.started_at and now - self.started_at > STALL_RUNNING:
            return str(
                _("任务已运行超过30分钟仍未结束：后台任务进程可能已中断，请联系系统管理员后重新开始。")
            )
        return ""
