"""The demo: two filed enterprises with scopes under real standards, one pending and one approved adjustment."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from skillcert.filings.models import AdjustmentStatus, Filing, ScopeAdjustment, ScopeItem


@pytest.mark.django_db
def test_seed_filings_skips_without_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed-filings")
    assert "load-catalogue" in capsys.readouterr().out
    assert not Filing.objects.exists()


@pytest.mark.django_db
def test_seed_filings_is_idempotent_and_complete(tmp_path, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    from skillcert.catalog.demo import load_catalogue
    from skillcert.core.demo.seed import seed
    from skillcert.filings.demo import seed_filings

    settings.VAR_DIR = tmp_path
    load_catalogue()
    seed()
    first = seed_filings()
    assert not first.skipped, first.lines
    counts = (Filing.objects.count(), ScopeItem.objects.count(), ScopeAdjustment.objects.count())
    second = seed_filings()
    assert all("未改动" in line for line in second.lines)
    assert counts == (Filing.objects.count(), ScopeItem.objects.count(), ScopeAdjustment.objects.count())

    assert Filing.objects.count() == 2
    assert {s.standard.kind for s in ScopeItem.objects.select_related("standard")} == {"national"}
    statuses = sorted(ScopeAdjustment.objects.values_list("status", flat=True))
    assert statuses == sorted([AdjustmentStatus.APPROVED, AdjustmentStatus.SUBMITTED])
    approved = ScopeAdjustment.objects.get(status=AdjustmentStatus.APPROVED)
    assert approved.enterprise.is_central_subsidiary and approved.parent_filing_no
    assert ScopeItem.objects.filter(added_by=approved).count() == 3
    assert ScopeItem.objects.filter(removed_by=approved).count() == 1

    html = Client().get(reverse("filings_public:filed_list")).content.decode()
    assert "济南重型机械装备有限公司" in html and "青岛海川石化有限公司" in html and "仪器仪表维修工" in html
    call_command("seed-filings")
    assert "公开查询" in capsys.readouterr().out
