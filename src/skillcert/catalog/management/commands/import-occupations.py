"""manage.py import-occupations FILE.csv: load the occupational classification (code,name,tier,parent_code,gbm)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from skillcert.catalog import occupations_csv
from skillcert.catalog.services import occupation_import


class Command(BaseCommand):
    help = (
        "从 CSV 载入职业分类（列：code,name,tier,parent_code,gbm）。逐行校验；有任一行出错则不写入，"
        "除非指定 --only-good。按编码匹配，可重复执行。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="CSV 文件（UTF-8 或 GB18030 编码）")
        parser.add_argument("--only-good", action="store_true", help="只导入无误的行，报告出错的行")
        parser.add_argument("--edition", default="2022", help="职业分类大典版本，默认 2022")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取 {path}：{exc.strerror or exc}") from exc
        result = occupation_import(
            actor=None,
            text=occupations_csv.decode(data),
            only_good=options["only_good"],
            edition=options["edition"],
            actor_name="manage.py import-occupations",
            source=path.name,
        )
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.written:
            raise CommandError(
                f"{result.rejected_lines} 行有误，未写入任何数据。请修正后重新导入，"
                "或使用 --only-good 只导入无误的行。"
            )
        summary = f"完成：新增 {result.created} 条，更新 {result.updated} 条，无变化 {result.unchanged} 条"
        if result.errors:
            summary += f"，跳过有误的 {result.rejected_lines} 行"
        self.stdout.write(self.style.SUCCESS(summary + "。"))
