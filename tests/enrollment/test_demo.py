"""The demo: 300 applications to the demo enterprise's open round, in every state, some with flags."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from skillcert.core.models import Employee, Person, User
from skillcert.core.models.audit import AuditEvent
from skillcert.enrollment.demo import ENTERPRISE, TOTAL, placeholder_photo
from skillcert.enrollment.models import (
    Application,
    ApplicationCertificate,
    ApplicationDocument,
    ApplicationFlag,
    ApplicationStatus,
    Eligibility,
    FlagSeverity,
)
from skillcert.enrollment.photos import prepare_photo
from skillcert.rounds.models import Round, RoundStatus
from tests.base import login


@pytest.mark.django_db
def test_seed_applications_skips_without_an_open_round(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed-applications")
    assert "seed-rounds" in capsys.readouterr().out
    assert not Application.objects.exists()


def test_placeholder_photo_is_an_acceptable_two_inch_photo() -> None:
    for sex in ("M", "F"):
        data = placeholder_photo(sex)
        assert data.startswith(b"\xff\xd8\xff")
        assert prepare_photo(data)  # passes the form's own size and aspect checks


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_applications_gives_every_state_and_is_idempotent(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    from skillcert.catalog.demo import load_catalogue
    from skillcert.core.demo.seed import seed
    from skillcert.enrollment.demo import seed_applications
    from skillcert.filings.demo import seed_filings
    from skillcert.rounds.demo import seed_rounds

    settings.VAR_DIR = tmp_path
    today = timezone.localdate()
    load_catalogue()
    seed()
    seed_filings()
    seed_rounds(today)
    first = seed_applications(today)
    assert not any(line.startswith("注意") for line in first.lines), first.lines

    rnd = Round.objects.get(enterprise__name=ENTERPRISE, status=RoundStatus.PUBLISHED)
    apps = Application.objects.filter(round=rnd)
    assert apps.count() == TOTAL
    by_status = Counter(apps.values_list("status", flat=True))
    assert set(by_status) == set(ApplicationStatus.values), by_status
    assert 0.35 <= by_status[ApplicationStatus.SUBMITTED] / TOTAL <= 0.47
    assert 0.30 <= by_status[ApplicationStatus.APPROVED] / TOTAL <= 0.40
    assert all(n >= 5 for n in by_status.values())

    # Flags of both kinds, post mismatches and "confirm" results, each where the plan put them.
    assert apps.filter(blocking_flags__gt=0, status=ApplicationStatus.SUBMITTED).exists()
    assert apps.filter(blocking_flags__gt=0, status=ApplicationStatus.RETURNED).exists()
    assert apps.filter(warning_flags__gt=0, status=ApplicationStatus.SUBMITTED).exists()
    assert apps.filter(post_mismatch=True, status=ApplicationStatus.SUBMITTED).exists()
    assert apps.filter(eligibility=Eligibility.CONFIRM, status=ApplicationStatus.SUBMITTED).exists()
    codes = set(ApplicationFlag.objects.filter(application__round=rnd).values_list("code", flat=True))
    assert {"id.birth_mismatch", "years.exceed_work", "cert.number_unusual", "cert.number_format"} <= codes
    # Approved ones are clean: no blocking flag, every warning confirmed, mismatches accepted with a reason.
    approved = apps.filter(status=ApplicationStatus.APPROVED)
    assert not approved.filter(blocking_flags__gt=0).exists()
    assert not ApplicationFlag.objects.filter(
        application__in=approved, severity=FlagSeverity.WARN, confirmed_at__isnull=True
    ).exists()
    assert not approved.filter(post_mismatch=True, post_override_reason="").exists()
    assert set(approved.values_list("eligibility", flat=True)) == {Eligibility.ELIGIBLE, Eligibility.CONFIRM}
    assert (
        approved.filter(eligibility=Eligibility.CONFIRM).exclude(review_reason__startswith="人工确认").count()
        == 0
    )
    for status in (ApplicationStatus.RETURNED, ApplicationStatus.REJECTED):
        assert not apps.filter(status=status, review_reason="").exists()
    assert not apps.filter(
        status=ApplicationStatus.REJECTED, eligibility=Eligibility.ELIGIBLE, post_mismatch=False
    ).exists()

    # Realistic attachment-1 data: certificates in the known formats, uploads, photos.
    numbers = ApplicationCertificate.objects.filter(application__round=rnd).values_list("kind", "number")
    kinds = Counter(kind for kind, _n in numbers)
    assert kinds["skill_level"] and kinds["qualification"]
    assert len({n for _k, n in numbers}) == len(numbers)  # no number held by two people
    submitted_once = apps.exclude(status=ApplicationStatus.DRAFT).exclude(submitted_at=None)
    assert not submitted_once.filter(photo_enc=None).exists()
    for app in submitted_once[:20]:
        assert {"id_card", "education"} <= set(app.documents.values_list("kind", flat=True))
        assert app.pledge_accepted_at is not None and app.work_history and app.condition_relied_on
    assert not apps.filter(employee=None).exists()
    assert Employee.objects.filter(pk__in=apps.values("employee"), enterprise=rnd.enterprise).count() == TOTAL

    # The demo candidate has not applied: the demo user applies themselves.
    worker = User.objects.get(username="jz_worker")
    assert not apps.filter(person=Person.objects.get(user=worker)).exists()
    html = login(Client(), worker).get("/enrollment/mine/").content.decode()
    assert rnd.name in html

    # A second run changes nothing.
    counts = (
        Application.objects.count(),
        ApplicationFlag.objects.count(),
        ApplicationDocument.objects.count(),
        Employee.objects.count(),
        AuditEvent.objects.count(),
    )
    second = seed_applications(today)
    assert any("未改动" in line for line in second.lines), second.lines
    assert counts == (
        Application.objects.count(),
        ApplicationFlag.objects.count(),
        ApplicationDocument.objects.count(),
        Employee.objects.count(),
        AuditEvent.objects.count(),
    )
