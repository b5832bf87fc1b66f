"""`skillcert seed-rounds`: an open published round and a draft for each demo enterprise with a scope."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from skillcert.rounds.demo import seed_rounds


class Command(BaseCommand):
    help = "载入认定批次演示数据（可重复执行）；须先运行 load-catalogue、seed-demo 和 seed-filings。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_rounds(timezone.localdate())
        for line in report.lines:
            self.stdout.write(line)
