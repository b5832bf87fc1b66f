"""`skillcert seed-logistics`: a round with a confirmed plan, its rooms, sessions, seating, staff plan,
tickets and the exam-day records of one finished session."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from skillcert.logistics.demo import seed_logistics


class Command(BaseCommand):
    help = "载入考务组织演示数据（可重复执行）；须先运行 seed-applications。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_logistics(timezone.localdate())
        for line in report.lines:
            self.stdout.write(line)
