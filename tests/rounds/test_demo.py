"""The demo: an open published round with offerings inside the scope and a draft, for each filed enterprise."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from skillcert.core.models import User
from skillcert.filings import selectors as filing_selectors
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from tests.base import login


@pytest.mark.django_db
def test_seed_rounds_skips_without_scopes(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed-rounds")
    assert "seed-filings" in capsys.readouterr().out
    assert not Round.objects.exists()


@pytest.mark.django_db
def test_seed_rounds_is_idempotent_and_inside_the_scope(tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    from skillcert.catalog.demo import load_catalogue
    from skillcert.core.demo.seed import seed
    from skillcert.filings.demo import seed_filings
    from skillcert.rounds.demo import seed_rounds

    settings.VAR_DIR = tmp_path
    load_catalogue()
    seed()
    seed_filings()
    today = timezone.localdate()
    seed_rounds(today)
    counts = (Round.objects.count(), RoundOffering.objects.count())
    second = seed_rounds(today)
    assert all("未改动" in line for line in second.lines), second.lines
    assert counts == (Round.objects.count(), RoundOffering.objects.count())

    published = Round.objects.filter(status=RoundStatus.PUBLISHED)
    assert published.count() == 2 and Round.objects.filter(status=RoundStatus.DRAFT).count() == 2
    for rnd in published:
        assert rnd.registration_open_on(today)
        assert rnd.reference_on == rnd.registration_closes
        assert rnd.evaluation_starts.day >= 16 and rnd.evaluation_starts > rnd.registration_closes
        offerings = list(rnd.offerings.all())
        assert 4 <= len(offerings) <= 6
        for o in offerings:
            assert filing_selectors.scope_allows(
                enterprise=rnd.enterprise_id,
                occupation=o.occupation_id,
                job_type=o.job_type_id,
                level=o.level,
                on=rnd.evaluation_starts,
            )

    worker = User.objects.get(username="jz_worker")
    html = login(Client(), worker).get("/").content.decode()
    assert "职业技能等级认定工作的公告" in html and "报名中" in html
