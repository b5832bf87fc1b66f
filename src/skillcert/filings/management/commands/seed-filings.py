"""`skillcert seed-filings`: file the demo enterprises, give them scopes, sites and staff, and two adjustments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from skillcert.core.models import Organisation
from skillcert.filings.demo import HC, JZ, scope_summary, seed_filings


class Command(BaseCommand):
    help = "载入备案与评价范围演示数据（可重复执行）；须先运行 seed-demo 和 load-catalogue。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = seed_filings()
        for line in report.lines:
            self.stdout.write(line)
        if report.skipped:
            return
        today = timezone.localdate()
        for name in (JZ, HC):
            ent = Organisation.objects.get(name=name)
            self.stdout.write(f"{name} {today} 有效的认定范围：{scope_summary(ent, today)}")
        self.stdout.write("公开查询（无需登录）：/public/filed/")
