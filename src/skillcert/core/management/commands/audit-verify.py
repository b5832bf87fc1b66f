"""`skillcert audit-verify`: walk the audit hash chain and name the first broken event (S11)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from skillcert.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，指出第一个断裂的事件。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"审计哈希链在第 {report.broken_seq} 号事件处断裂：{report.reason}（已校验 {report.checked} 个事件）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计哈希链完整：已校验 {report.checked} 个事件。"))
