"""manage.py raise-deadline-notices: the daily deadline scan (run it once a day from cron or a scheduler)."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from skillcert.core.services.deadlines import deadline_scan


class Command(BaseCommand):
    help = (
        "检查所有未完成的期限（按工作日计算），向责任单位管理员发出“即将到期”（剩 2 个工作日内）"
        "和“已逾期”站内通知，每种提醒只发一次，可重复执行。正式环境须每天运行一次"
        "（如 cron：5 0 * * * manage.py raise-deadline-notices，或用任务调度器运行 deadline_scan_task）。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--date", help="按该日期（YYYY-MM-DD）检查；默认今天（Asia/Shanghai）")

    def handle(self, *args: Any, **options: Any) -> None:
        raw: str | None = options["date"]
        try:
            today = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{raw}") from exc
        counts = deadline_scan(today=today)
        self.stdout.write(
            f"{today.isoformat()}：检查 {counts.checked} 项期限，发出即将到期提醒 {counts.soon} 项、"
            f"逾期提醒 {counts.passed} 项"
            + (f"；{counts.unknown_year} 项因工作日历缺少年度数据未能计算" if counts.unknown_year else "")
            + "。"
        )
