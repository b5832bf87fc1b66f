"""manage.py load-calendar: load the holiday/调休 schedule of every year chinesecalendar knows (idempotent)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from skillcert.core import calendar_source
from skillcert.core.models import CalendarYear
from skillcert.core.services.calendar import SOURCE_MANUAL, calendar_year_load
from skillcert.core.workdays import UnknownYearError


class Command(BaseCommand):
    help = "从 chinesecalendar 载入法定节假日与调休安排到工作日历（可重复执行）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="只载入该年度（可重复）；默认载入软件包支持的全部年度",
        )
        parser.add_argument(
            "--keep-manual", action="store_true", help="不覆盖管理员手工录入的年度（默认以软件包数据为准）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        supported = calendar_source.supported_years()
        years: list[int] = options["years"] or list(supported)
        unsupported = [y for y in years if y not in supported]
        if unsupported:
            raise CommandError(
                f"chinesecalendar 不包含 {'、'.join(map(str, unsupported))} 年的数据"
                f"（支持 {supported.start}–{supported.stop - 1} 年）。新年度请在“工作日历”页面按国务院通知录入。"
            )
        manual = set(CalendarYear.objects.filter(source=SOURCE_MANUAL).values_list("year", flat=True))
        created = updated = unchanged = skipped = 0
        for year in years:
            if options["keep_manual"] and year in manual:
                skipped += 1
                self.stdout.write(f"{year} 年：手工录入，保留不动")
                continue
            try:
                result = calendar_year_load(actor=None, year=year, actor_name="manage.py load-calendar")
            except UnknownYearError as exc:
                raise CommandError(str(exc)) from exc
            if result.created:
                created += 1
                verb = "新增"
            elif result.changed:
                updated += 1
                verb = "更新（原为手工录入）" if year in manual else "更新"
            else:
                unchanged += 1
                verb = "无变化"
            self.stdout.write(
                f"{year} 年：{verb}，放假日 {result.holidays} 天，调休上班 {result.workdays} 天"
            )
        summary = f"完成：新增 {created} 个年度，更新 {updated} 个，无变化 {unchanged} 个"
        if skipped:
            summary += f"，保留手工录入 {skipped} 个"
        self.stdout.write(self.style.SUCCESS(summary + "。"))
