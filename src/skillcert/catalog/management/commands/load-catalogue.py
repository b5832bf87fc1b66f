"""manage.py load-catalogue: the demo catalogue (catalog/data/demo-catalogue.json) and the template rule sets."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from skillcert.catalog.demo import DEMO_CATALOGUE, load_catalogue


class Command(BaseCommand):
    help = "载入演示用职业目录（职业、工种、国家职业技能标准）与 2018、2023 年版申报条件模板（可重复执行）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--file", type=Path, default=DEMO_CATALOGUE, help="目录 JSON 文件，默认为随程序发布的演示目录"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_catalogue(path=options["file"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"载入失败，未写入任何数据：{exc}") from exc
        occ = result.occupations
        self.stdout.write(
            f"职业分类：新增 {occ.created} 条，更新 {occ.updated} 条，无变化 {occ.unchanged} 条"
        )
        self.stdout.write(
            "申报条件模板："
            + (
                "载入或更新 " + "、".join(f"{t}年版" for t in result.templates_changed)
                if result.templates_changed
                else "无变化"
            )
        )
        self.stdout.write(f"工种：新增 {result.job_types_created} 个，扩充等级 {result.job_types_updated} 个")
        self.stdout.write(
            self.style.SUCCESS(
                f"国家职业技能标准：新增 {result.standards_created} 项，已有 {result.standards_unchanged} 项（保留不动）。"
            )
        )
