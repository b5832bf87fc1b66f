"""The exam-side demo: a confirmed round with rooms, sessions, seats, a saved staff plan, tickets and
one finished session with its exam-day records, all made through the services; a second run adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings
from django.utils import timezone

from skillcert.core.services.calendar import calendar_year_load
from skillcert.core.workdays import UnknownYearError
from skillcert.enrollment.models import Application, ApplicationStatus
from skillcert.logistics.demo import Dates, seed_logistics
from skillcert.logistics.examday_models import Ruling, SupervisionReport, Violation
from skillcert.logistics.models import Attendance, ExamSession, Seat, StaffPlanStatus, Ticket
from skillcert.rounds.plans import CertificationPlanStatus


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_logistics_builds_a_finished_session_and_is_idempotent(
    tmp_path: Path, settings: LazySettings
) -> None:
    from skillcert.catalog.demo import load_catalogue
    from skillcert.core.demo.seed import seed
    from skillcert.filings.demo import seed_filings

    settings.VAR_DIR = tmp_path
    today = timezone.localdate()
    dates = Dates.around(today)
    for year in sorted({dates.opens.year, dates.submitted.year, dates.ends.year}):
        try:
            calendar_year_load(actor=None, year=year)
        except UnknownYearError:
            pytest.skip(
                f"chinesecalendar has no {year} data: the demo plan's 10 working days cannot be counted"
            )
    load_catalogue()
    seed()
    seed_filings()
    report = seed_logistics(today)
    assert not any(line.startswith(("跳过", "人员编排未完成")) for line in report.lines), report.lines

    app = Application.objects.filter(status=ApplicationStatus.APPROVED).select_related("round").first()
    assert app is not None
    rnd = app.round
    assert rnd.certification_plan.status == CertificationPlanStatus.CONFIRMED
    approved = Application.objects.filter(round=rnd, status=ApplicationStatus.APPROVED).count()
    assert approved >= 60
    sessions = list(ExamSession.objects.filter(round=rnd))
    assert len(sessions) == 4
    # Every approved candidate has a seat in the theory session and in their practical session.
    assert Seat.objects.filter(session__round=rnd).count() == 2 * approved
    assert rnd.staff_plan.status == StaffPlanStatus.SAVED and rnd.staff_plan.findings == []
    assert Ticket.objects.filter(round=rnd).count() == approved
    theory = next(s for s in sessions if s.module == "theory")
    assert theory.finished_at is not None
    assert not Seat.objects.filter(session=theory, attendance=Attendance.PENDING).exists()
    assert Violation.objects.get(session=theory).ruling == Ruling.VOID_MODULE
    assert SupervisionReport.objects.filter(round=rnd, day=theory.day).exists()

    counts = (Seat.objects.count(), Ticket.objects.count(), rnd.staff_plan.assignments.count())
    seed_logistics(today)
    assert (Seat.objects.count(), Ticket.objects.count(), rnd.staff_plan.assignments.count()) == counts
