"""`skillcert seed-applications`: 300 demo applications to the demo enterprise's open round, in every state."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from skillcert.enrollment.demo import seed_applications


class Command(BaseCommand):
    help = "载入申报演示数据（可重复执行）；须先运行 load-catalogue、seed-demo、seed-filings 和 seed-rounds。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = seed_applications(timezone.localdate())
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(f"用时 {time.monotonic() - started:.1f} 秒")
