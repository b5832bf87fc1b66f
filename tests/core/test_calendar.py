"""The working-day calendar: loading chinesecalendar, entering a new year by hand, and the admin pages (R5.3)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from skillcert.core import calendar as work_calendar
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent, CalendarDay, CalendarYear
from skillcert.core.services.calendar import calendar_year_enter, calendar_year_load
from skillcert.core.views.calendar import parse_schedule
from skillcert.core.workdays import UnknownYearError
from tests.base import AccessCase
from tests.factories import UserFactory

SCHEDULE_2027 = """# 2027 年安排（测试数据）
2027-01-01 休 元旦
2027-02-05至2027-02-12 休 春节
2027-02-14 班 春节调休
2027-10-01至2027-10-07 休 国庆节
2027-10-09 班 国庆节调休
"""


# --------------------------------------------------------------------------- parsing (pure)


def test_parse_schedule_accepts_days_and_holiday_ranges():
    rows, errors = parse_schedule(SCHEDULE_2027, 2027)
    assert errors == []
    assert (date(2027, 1, 1), False, "元旦") in rows
    assert (date(2027, 2, 14), True, "春节调休") in rows
    # The range keeps only weekdays: 2027-02-06 and 07 are a weekend.
    assert date(2027, 2, 6) not in {d for d, _w, _n in rows}
    assert sum(1 for d, w, _n in rows if not w and d.month == 2) == 6


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("2027-13-01 休 元旦", "无法识别日期"),
        ("2027-01-01", "缺少“休”或“班”"),
        ("2027-01-01 假 元旦", "第二项应为“休”或“班”"),
        ("2027-01-02 休 元旦", "星期六，本来就休息"),
        ("2027-01-04 班 调休", "星期一，本来就是工作日"),
        ("2026-12-31 休 元旦", "不属于 2027 年"),
        ("2027-10-01至2027-10-07 班 国庆", "连续日期只能用于“休”"),
    ],
)
def test_bad_line_names_the_line(line, fragment):
    _rows, errors = parse_schedule(f"2027-05-03 休 劳动节\n\n{line}", 2027)
    assert len(errors) == 1
    assert errors[0].startswith("第 3 行：")
    assert fragment in errors[0]


def test_duplicate_date_names_both_lines():
    _rows, errors = parse_schedule("2027-01-01 休 元旦\n2027-01-01 休 元旦", 2027)
    assert errors == ["第 2 行：2027-01-01 已在第 1 行录入。"]


def test_empty_schedule_is_refused():
    assert parse_schedule("# 只有注释\n", 2027)[1] == ["请至少录入一行。"]


# --------------------------------------------------------------------------- service and selector


@pytest.fixture
def cal_2026(db):
    return calendar_year_load(actor=None, year=2026, actor_name="test")


def test_load_2026_from_chinesecalendar(cal_2026):
    assert cal_2026.created and cal_2026.changed
    assert work_calendar.is_workday(date(2026, 2, 14))  # Saturday, 春节调休
    assert work_calendar.is_workday(date(2026, 2, 28))  # Saturday, 春节调休
    assert not work_calendar.is_workday(date(2026, 2, 16))  # Monday, 春节
    assert not work_calendar.is_workday(date(2026, 2, 21))  # plain Saturday
    assert work_calendar.is_workday(date(2026, 3, 2))  # plain Monday
    # National Day week: Thursday 1st to Wednesday 7th off; Saturday 10th worked.
    assert [work_calendar.is_workday(date(2026, 10, d)) for d in range(1, 11)] == [
        False, False, False, False, False, False, False, True, True, True,
    ]  # fmt: skip
    assert work_calendar.before(date(2026, 10, 12), 10) == date(2026, 9, 21)
    assert work_calendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert work_calendar.workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1
    event = AuditEvent.objects.get(action="calendar.load")
    assert event.summary["year"] == 2026
    assert event.actor_name == "test"


def test_reload_is_idempotent(cal_2026):
    again = calendar_year_load(actor=None, year=2026)
    assert not again.created and not again.changed
    assert AuditEvent.objects.filter(action="calendar.load").count() == 1
    assert CalendarDay.objects.filter(year_id=2026).count() == cal_2026.holidays + cal_2026.workdays


def test_unknown_year_is_refused_not_guessed(cal_2026):
    with pytest.raises(UnknownYearError, match="2027"):
        work_calendar.is_workday(date(2027, 3, 1))
    with pytest.raises(UnknownYearError, match="2027"):
        work_calendar.load_calendar([2026, 2027])
    with pytest.raises(UnknownYearError, match="2027"):
        work_calendar.add_workdays(date(2026, 12, 30), 5)
    with pytest.raises(UnknownYearError, match="2025"):
        work_calendar.before(date(2026, 1, 5), 3)


def test_entered_year_is_accepted(cal_2026):
    rows, errors = parse_schedule(SCHEDULE_2027, 2027)
    assert not errors
    calendar_year_enter(actor=UserFactory(), year=2027, days=rows, note="国务院办公厅通知（测试）")
    assert not work_calendar.is_workday(date(2027, 2, 8))
    assert work_calendar.is_workday(date(2027, 2, 14))
    assert work_calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert CalendarYear.objects.get(year=2027).source == "manual"


def test_service_refuses_inconsistent_days(db):
    admin = UserFactory()
    with pytest.raises(RuleViolation, match="本来就休息"):
        calendar_year_enter(actor=admin, year=2027, days=[(date(2027, 1, 2), False, "元旦")], note="通知")
    with pytest.raises(RuleViolation, match="依据"):
        calendar_year_enter(actor=admin, year=2027, days=[(date(2027, 1, 1), False, "元旦")], note=" ")
    with pytest.raises(RuleViolation, match="2031-01-01 不属于 2027 年"):
        calendar_year_enter(actor=admin, year=2027, days=[(date(2031, 1, 1), False, "元旦")], note="通知")
    assert not CalendarYear.objects.exists()


def test_load_calendar_command_is_idempotent(db):
    out = io.StringIO()
    call_command("load-calendar", "--year", "2025", "--year", "2026", stdout=out)
    assert "2026 年：新增" in out.getvalue()
    out = io.StringIO()
    call_command("load-calendar", "--year", "2026", stdout=out)
    assert "2026 年：无变化" in out.getvalue()
    assert "完成：新增 0 个年度，更新 0 个，无变化 1 个" in out.getvalue()
    assert sorted(CalendarYear.objects.values_list("year", flat=True)) == [2025, 2026]


# --------------------------------------------------------------------------- pages


class TestCalendarPages(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        calendar_year_load(actor=None, year=2026)

    def test_calendar_page_access(self):
        self.check_access(reverse("core:calendar") + "?year=2026", ["sysadmin"])

    def test_year_form_access(self):
        self.check_access(reverse("core:calendar_year_create"), ["sysadmin"])

    def test_page_shows_years_and_month_grid(self):
        response = self.request_as("sysadmin", "get", reverse("core:calendar") + "?year=2026")
        html = response.content.decode()
        assert "2026 年" in html
        assert "bg-warning-subtle" in html  # 调休 days are coloured
        assert "2月14日 调休上班" in html
        assert "10月1日 放假：国庆节" in html
        response = self.request_as("sysadmin", "get", reverse("core:calendar") + "?year=2031")
        assert "2031 年的放假与调休安排尚未录入" in response.content.decode()

    def test_2027_refused_until_entered_through_the_form(self):
        with pytest.raises(UnknownYearError, match="2027"):
            work_calendar.before(date(2027, 3, 1), 10)
        url = reverse("core:calendar_year_create")
        bad = {
            "year": 2027,
            "note": "国务院办公厅通知",
            "schedule": "2027-01-01 休 元旦\n2027-01-03 休 元旦\nabc",
        }
        response = self.request_as("sysadmin", "post", url, bad)
        assert response.status_code == 200
        html = response.content.decode()
        assert "第 2 行：2027-01-03 是星期日，本来就休息" in html
        assert "第 3 行：" in html
        assert not CalendarYear.objects.filter(year=2027).exists()

        good = {"year": 2027, "note": "国务院办公厅通知", "schedule": SCHEDULE_2027}
        response = self.request_as("sysadmin", "post", url, good)
        assert response.status_code == 302
        assert response["Location"].endswith("?year=2027")
        assert work_calendar.before(date(2027, 3, 1), 10) == date(2027, 2, 15)
        event = AuditEvent.objects.get(action="calendar.enter")
        assert event.actor_id == self.w.users["sysadmin"].pk
        assert event.summary["year"] == 2027

    def test_existing_year_needs_explicit_replace(self):
        url = reverse("core:calendar_year_create")
        data = {"year": 2026, "note": "更正", "schedule": "2026-01-01 休 元旦"}
        response = self.request_as("sysadmin", "post", url, data)
        assert "2026 年已录入" in response.content.decode()
        assert CalendarDay.objects.filter(year_id=2026).count() > 1
        response = self.request_as("sysadmin", "post", url, {**data, "replace": "on"})
        assert response.status_code == 302
        assert list(CalendarDay.objects.filter(year_id=2026).values_list("date", flat=True)) == [
            date(2026, 1, 1)
        ]

    def test_form_prefills_a_stored_year(self):
        response = self.request_as("sysadmin", "get", reverse("core:calendar_year_create") + "?from=2026")
        assert "2026-02-14 班 春节" in response.content.decode()
