"""Deadline service and in-app notifications: opening, closing, the daily scan, e-mail, the bell and the list."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillcert.core import tasks
from skillcert.core.deadlines import R5_1, R10_2
from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent, Deadline, DeadlineState, Notification, NotificationKind, User
from skillcert.core.services.calendar import calendar_year_load
from skillcert.core.services.deadlines import deadline_close, deadline_for, deadline_open, deadline_scan
from skillcert.core.services.notify import admins_of, notification_mark_read, notify
from tests.base import PERSONAS, AccessCase

FIRST_SESSION = date(2026, 3, 2)  # R5.1 due date: 2026-02-10 (counted over the Spring Festival)
DUE = date(2026, 2, 10)


class DeadlineCase(AccessCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for year in (2025, 2026):
            calendar_year_load(actor=None, year=year, actor_name="test")

    def open_plan_deadline(self, *, start: date = FIRST_SESSION, today: date = date(2026, 1, 20)) -> Deadline:
        return deadline_open(
            rule=R5_1,
            subject=self.w.dept_a,
            organisation=self.w.ent_a,
            start=start,
            today=today,
            title="2026年第1批认定计划",
            url="/rounds/1/",
        )

    def notices(self, persona: str) -> list[Notification]:
        return list(Notification.objects.filter(recipient=self.w.users[persona]).order_by("pk"))


class TestDeadlineOpenClose(DeadlineCase):
    def test_opening_computes_the_due_date_with_the_stored_calendar(self):
        d = self.open_plan_deadline()
        assert (d.rule, d.start, d.due, d.state) == ("R5.1", FIRST_SESSION, DUE, DeadlineState.OPEN)
        assert (d.object_type, d.object_id) == ("core.department", str(self.w.dept_a.pk))
        assert d.organisation == self.w.ent_a
        assert deadline_for(rule=R5_1, subject=self.w.dept_a) == d
        assert deadline_for(rule=R10_2, subject=self.w.dept_a) is None
        event = AuditEvent.objects.get(action="deadline.open")
        assert event.summary["due"] == "2026-02-10" and event.organisation_id == self.w.ent_a.pk

    def test_opening_again_is_idempotent_and_a_moved_date_recomputes(self):
        first = self.open_plan_deadline()
        again = self.open_plan_deadline()
        assert again.pk == first.pk and AuditEvent.objects.filter(action__startswith="deadline.").count() == 1
        deadline_close(deadline=first, done_on=date(2026, 2, 1))
        moved = self.open_plan_deadline(start=date(2026, 10, 12))
        assert moved.pk == first.pk
        assert (moved.due, moved.done_on, moved.state) == (date(2026, 9, 21), None, DeadlineState.OPEN)
        reopen = AuditEvent.objects.get(action="deadline.reopen")
        assert reopen.summary["previous_due"] == "2026-02-10" and reopen.summary["due"] == "2026-09-21"
        assert Deadline.objects.count() == 1

    def test_a_year_without_calendar_is_a_rule_violation(self):
        with pytest.raises(RuleViolation) as err:
            self.open_plan_deadline(start=date(2027, 1, 18), today=date(2026, 12, 1))
        assert err.value.rule == "R5.3"
        assert "2027年" in err.value.message and "工作日历" in err.value.message
        assert not Deadline.objects.exists()

    def test_closing_records_met_or_missed(self):
        d = self.open_plan_deadline()
        assert deadline_close(deadline=d, done_on=DUE).state == DeadlineState.MET
        assert deadline_close(deadline=d, done_on=date(2026, 2, 11)).state == DeadlineState.MISSED
        deadline_close(deadline=d, done_on=date(2026, 2, 11))  # same day again: no new event
        assert AuditEvent.objects.filter(action="deadline.close").count() == 2


class TestDeadlineScan(DeadlineCase):
    def test_each_notice_is_raised_once_to_the_enterprise_admins_only(self):
        self.open_plan_deadline()
        assert deadline_scan(today=date(2026, 1, 26)).as_dict() == {
            "checked": 1,
            "soon": 0,
            "passed": 0,
            "unknown_year": 0,
        }
        # 2026-02-06 (Fri): 02-09 and 02-10 left → due soon.
        assert deadline_scan(today=date(2026, 2, 6)).soon == 1
        assert deadline_scan(today=date(2026, 2, 6)).soon == 0
        assert deadline_scan(today=date(2026, 2, 10)).soon == 0
        [soon] = self.notices("owner")
        assert soon.kind == NotificationKind.DEADLINE_SOON and soon.url == "/rounds/1/"
        assert "2026-02-10" in soon.title and "2 个工作日" in soon.body and "R5.1" in soon.body
        assert soon.organisation == self.w.ent_a
        assert Deadline.objects.get().state == DeadlineState.DUE_SOON

        assert deadline_scan(today=date(2026, 2, 11)).passed == 1
        assert deadline_scan(today=date(2026, 2, 12)).passed == 0
        kinds = [n.kind for n in self.notices("owner")]
        assert kinds == [NotificationKind.DEADLINE_SOON, NotificationKind.DEADLINE_PASSED]
        assert Deadline.objects.get().state == DeadlineState.OVERDUE
        # Nobody else: not the exam staff of the same enterprise, not another tenant, not the authority.
        others = Notification.objects.exclude(recipient=self.w.users["owner"])
        assert not others.exists()
        assert AuditEvent.objects.filter(action="deadline.scan").count() == 2

    def test_a_deadline_already_past_raises_only_the_passed_notice(self):
        self.open_plan_deadline()
        counts = deadline_scan(today=date(2026, 2, 20))
        assert (counts.soon, counts.passed) == (0, 1)
        assert [n.kind for n in self.notices("owner")] == [NotificationKind.DEADLINE_PASSED]

    def test_closing_stops_the_notices(self):
        d = self.open_plan_deadline()
        deadline_close(deadline=d, done_on=date(2026, 2, 5))
        assert deadline_scan(today=date(2026, 2, 9)).checked == 0
        assert deadline_scan(today=date(2026, 3, 9)).checked == 0
        assert not Notification.objects.exists()
        assert Deadline.objects.get().state == DeadlineState.MET

    def test_moving_the_date_lets_the_notices_come_again(self):
        self.open_plan_deadline()
        deadline_scan(today=date(2026, 2, 11))
        self.open_plan_deadline(start=date(2026, 10, 12), today=date(2026, 2, 11))
        assert deadline_scan(today=date(2026, 9, 18)).soon == 1
        assert len(self.notices("owner")) == 2

    def test_an_authority_duty_goes_to_the_authority_admins(self):
        deadline_open(
            rule=R10_2,
            subject=self.w.dept_b,
            organisation=self.w.city,
            start=date(2026, 9, 30),
            today=date(2026, 9, 30),
        )
        deadline_scan(today=date(2026, 10, 28))
        assert [n.kind for n in self.notices("city_admin")] == [NotificationKind.DEADLINE_PASSED]
        assert Notification.objects.count() == 1  # not the city reviewer, not the province, not ent B
        assert list(admins_of(self.w.city)) == [self.w.users["city_admin"]]
        assert list(admins_of(self.w.ent_b)) == [self.w.users["outsider"]]

    def test_deadlines_without_calendar_data_are_counted_and_left_alone(self):
        d = self.open_plan_deadline(start=date(2026, 12, 28), today=date(2026, 12, 1))
        Deadline.objects.filter(pk=d.pk).update(
            due=date(2027, 1, 8)
        )  # as if 2027 had been entered, then removed
        counts = deadline_scan(today=date(2026, 12, 30))
        assert (counts.checked, counts.unknown_year, counts.soon) == (1, 1, 0)

    def test_the_command_and_the_task_run_the_scan(self):
        self.open_plan_deadline()
        out = io.StringIO()
        call_command("raise-deadline-notices", "--date", "2026-02-09", stdout=out)
        assert "2026-02-09" in out.getvalue() and "即将到期提醒 1 项" in out.getvalue()
        result = tasks.deadline_scan_task.enqueue(on="2026-02-11")
        assert result.return_value == {"checked": 1, "soon": 0, "passed": 1, "unknown_year": 0}
        with pytest.raises(CommandError, match="YYYY-MM-DD"):
            call_command("raise-deadline-notices", "--date", "11/02/2026")


class TestNotify(DeadlineCase):
    def test_notify_creates_one_row_per_active_recipient(self):
        owner, staff = self.w.users["owner"], self.w.users["staff"]
        User.objects.filter(pk=staff.pk).update(is_active=False)
        staff.refresh_from_db()
        rows = notify(
            recipients=[owner, owner, staff], kind="plan_returned", title="认定计划被退回", url="/x/"
        )
        assert (
            len(rows) == 1 and rows[0].recipient == owner and rows[0].kind == NotificationKind.PLAN_RETURNED
        )
        assert notify(recipients=[], kind=NotificationKind.GENERIC, title="t") == []
        with pytest.raises(ValueError, match="no_such_kind"):
            notify(recipients=[owner], kind="no_such_kind", title="t")

    def test_no_email_by_default(self):
        User.objects.filter(pk=self.w.users["owner"].pk).update(email="owner@example.cn")
        with self.captureOnCommitCallbacks(execute=True):
            notify(recipients=[User.objects.get(pk=self.w.users["owner"].pk)], kind="generic", title="t")
        assert mail.outbox == []

    @override_settings(NOTIFY_EMAIL=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def test_email_goes_to_recipients_with_an_address_after_commit(self):
        User.objects.filter(pk=self.w.users["owner"].pk).update(email="owner@example.cn")
        owner = User.objects.get(pk=self.w.users["owner"].pk)
        with self.captureOnCommitCallbacks(execute=True):
            rows = notify(
                recipients=[owner, self.w.users["staff"]],
                kind=NotificationKind.PLAN_CONFIRMED,
                title="认定计划已确认",
                body="可以开始考务工作。",
                url="/rounds/1/",
            )
            assert mail.outbox == []  # nothing leaves before the transaction commits
        assert [m.to for m in mail.outbox] == [["owner@example.cn"]]
        assert mail.outbox[0].subject == "认定计划已确认" and "/rounds/1/" in mail.outbox[0].body
        emailed = {
            n.recipient_id: n.emailed_at for n in Notification.objects.filter(pk__in=[r.pk for r in rows])
        }
        assert emailed[owner.pk] is not None and emailed[self.w.users["staff"].pk] is None

    def test_mark_read_touches_only_the_user_s_own(self):
        owner, outsider = self.w.users["owner"], self.w.users["outsider"]
        [mine] = notify(recipients=[owner], kind="generic", title="a")
        notify(recipients=[owner], kind="generic", title="b")
        [theirs] = notify(recipients=[outsider], kind="generic", title="c")
        assert notification_mark_read(user=owner, notification=theirs) == 0
        assert notification_mark_read(user=owner, notification=mine) == 1
        assert notification_mark_read(user=owner, notification=mine) == 0
        assert notification_mark_read(user=owner) == 1
        assert Notification.objects.get(pk=theirs.pk).read_at is None


class TestNotificationPages(DeadlineCase):
    def make(self, persona: str, title: str, url: str = "/rounds/1/") -> Notification:
        [row] = notify(recipients=[self.w.users[persona]], kind="generic", title=title, url=url)
        return row

    def test_everyone_signed_in_has_a_list(self):
        self.check_access(reverse("core:notifications"), allowed=[p for p in PERSONAS if p != "anonymous"])

    def test_each_user_sees_only_their_own_unread_first(self):
        old = self.make("owner", "旧通知")
        notification_mark_read(user=self.w.users["owner"], notification=old)
        self.make("owner", "新通知")
        self.make("outsider", "别人的通知")
        body = self.request_as("owner", "get", reverse("core:notifications")).content.decode()
        assert "新通知" in body and "旧通知" in body and "别人的通知" not in body
        assert body.index("新通知") < body.index("旧通知")

    def test_another_user_s_notification_is_404(self):
        theirs = self.make("outsider", "别人的通知")
        for name in ("core:notification_read", "core:notification_open"):
            response = self.request_as("owner", "post", reverse(name, args=[theirs.pk]))
            assert response.status_code == 404
        assert (
            self.request_as("owner", "post", reverse("core:notification_read", args=[999999])).status_code
            == 404
        )
        assert Notification.objects.get(pk=theirs.pk).read_at is None
        assert (
            self.request_as("owner", "get", reverse("core:notification_read", args=[theirs.pk])).status_code
            == 405
        )

    def test_open_marks_read_and_follows_only_local_links(self):
        local = self.make("owner", "本站", url="/rounds/1/")
        remote = self.make("owner", "外站", url="https://evil.example/")
        response = self.request_as("owner", "post", reverse("core:notification_open", args=[local.pk]))
        assert response.status_code == 302 and response["Location"] == "/rounds/1/"
        response = self.request_as("owner", "post", reverse("core:notification_open", args=[remote.pk]))
        assert response["Location"] == reverse("core:notifications")
        assert not Notification.objects.filter(read_at__isnull=True).exists()

    def test_mark_read_with_htmx_returns_the_item_and_the_bell(self):
        n = self.make("owner", "第一条")
        self.make("owner", "第二条")
        response = self.request_as(
            "owner", "post", reverse("core:notification_read", args=[n.pk]), HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert f'id="notification-{n.pk}"' in body and "标为已读" not in body
        assert 'hx-swap-oob="true"' in body and 'data-unread="1"' in body

    def test_mark_all_read(self):
        self.make("owner", "a")
        self.make("owner", "b")
        mine = self.make("outsider", "c")
        response = self.request_as("owner", "post", reverse("core:notification_read_all"))
        assert response.status_code == 302
        assert not Notification.objects.filter(recipient=self.w.users["owner"], read_at__isnull=True).exists()
        assert Notification.objects.get(pk=mine.pk).read_at is None
        response = self.request_as(
            "owner", "post", reverse("core:notification_read_all"), HTTP_HX_REQUEST="true"
        )
        assert 'id="sc-notifications"' in response.content.decode()

    def test_the_bell_shows_the_unread_count_with_one_query(self):
        client = self.client_for("owner")
        body = client.get(reverse("core:home")).content.decode()
        assert 'id="sc-bell"' in body and "data-unread" not in body
        self.make("owner", "a")
        self.make("owner", "b")
        self.make("outsider", "c")
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("core:home")).content.decode()
        assert 'data-unread="2"' in body
        counted = [q["sql"] for q in queries.captured_queries if "core_notification" in q["sql"]]
        assert len(counted) == 1 and "COUNT" in counted[0].upper()
