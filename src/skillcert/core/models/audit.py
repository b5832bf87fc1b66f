"""The append-only, hash-chained audit ledger (S9–S12)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One audited action. Rows are never updated or deleted (a trigger enforces it on PostgreSQL)."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor_id = models.BigIntegerField(_("操作人ID"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("组织ID"), null=True, blank=True, db_index=True)
    ip = models.CharField(_("来源IP"), max_length=45, blank=True)
    request_id = models.CharField(_("请求ID"), max_length=36, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=60, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, default="ok")
    summary = models.JSONField(_("摘要"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The chain's head: one row, locked by every writer so events form a single chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.last_seq}"
