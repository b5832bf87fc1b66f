"""`skillcert seed-demo`: load realistic demo data (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from skillcert.core.demo.seed import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "载入演示数据（可重复执行），并列出演示账号。"

    def handle(self, *args: Any, **options: Any) -> None:
        logins = seed()
        lines = [f"演示账号（密码均为 {DEMO_PASSWORD}）：", ""]
        width = max(len(x.username) for x in logins)
        for login in logins:
            lines.append(f"  {login.username.ljust(width)}  {login.role}  · {login.organisation}")
        text = "\n".join(lines)
        path = settings.VAR_DIR / "demo-logins.txt"
        path.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(text)
