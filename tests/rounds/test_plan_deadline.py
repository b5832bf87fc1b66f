"""The round's R5.1 deadline opens at publication, reminds before it is due, and closes at submission."""

from __future__ import annotations

from datetime import date

from skillcert.core.deadlines import R5_1
from skillcert.core.models import Notification
from skillcert.core.services.deadlines import deadline_for, deadline_scan
from skillcert.rounds import services as round_services
from skillcert.rounds import services_plans as sp
from skillcert.rounds.models import Round
from tests.rounds.test_plans import PlanCase


class TestPlanDeadline(PlanCase):
    def setUp(self) -> None:
        super().setUp()
        self.load_2026()
        self.ready()

    def test_reminder_before_submission_and_closed_by_it(self) -> None:
        # What publication does: the plan for a first day of 2026-03-02 is due 2026-02-10 (Spring Festival).
        round_services.plan_deadline_track(actor=self.owner, round=self.round, today=date(2026, 2, 2))
        deadline = deadline_for(rule=R5_1, subject=self.round)
        assert deadline is not None and deadline.due == date(2026, 2, 10)
        deadline_scan(today=date(2026, 2, 6))  # two working days left (Mon 9th, Tue 10th)
        soon = Notification.objects.filter(kind="deadline_soon", recipient=self.owner)
        assert soon.count() == 1
        sp.certification_plan_submit(actor=self.owner, round=self.round, today=date(2026, 2, 9))
        deadline.refresh_from_db()
        assert deadline.done_on == date(2026, 2, 9) and deadline.state == "met"
        deadline_scan(today=date(2026, 2, 11))
        assert not Notification.objects.filter(kind="deadline_passed").exists()

    def test_a_year_without_calendar_data_does_not_block_publication(self) -> None:
        Round.objects.filter(pk=self.round.pk).update(
            evaluation_starts=date(2027, 3, 1), evaluation_ends=date(2027, 3, 5)
        )
        self.round.refresh_from_db()
        round_services.plan_deadline_track(actor=self.owner, round=self.round, today=date(2026, 12, 1))
        assert deadline_for(rule=R5_1, subject=self.round) is None  # opened once 2027 is entered
