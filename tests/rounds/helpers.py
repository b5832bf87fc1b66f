"""Test data for rounds: enterprise A filed with a small scope, standards carrying the national rule sets."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date, timedelta

import pytest

from skillcert.catalog import eligibility
from skillcert.catalog.models import EligibilityRuleSet, Standard
from skillcert.catalog.ruletemplates import TEMPLATES
from skillcert.core.models import Organisation, User
from skillcert.filings.models import ScopeItem
from skillcert.filings.services.filing import ScopeEntry
from skillcert.rounds import services
from skillcert.rounds.models import Round, RoundOffering
from skillcert.rounds.services import RoundData
from tests.filings.helpers import Catalogue, catalogue, file_enterprise


def rule_set(edition: str = "2018") -> EligibilityRuleSet:
    rules = TEMPLATES[edition]
    obj, _ = EligibilityRuleSet.objects.get_or_create(
        template=edition,
        enterprise=None,
        defaults={"name": rules.name, "source": rules.source, "rules": eligibility.to_json(rules)},
    )
    return obj


def scoped_catalogue(enterprise: Organisation) -> Catalogue:
    """焊工 (电焊工 5–3, 气焊工 4), 车工 (whole occupation, 4–2) in the enterprise's scope; 电工 is not."""
    cat = catalogue()
    Standard.objects.filter(pk__in=[cat.welder_std.pk, cat.turner_std.pk, cat.electrician_std.pk]).update(
        rule_set=rule_set()
    )
    entries = [
        *(ScopeEntry(cat.welder, cat.electric_welder, lv) for lv in (5, 4, 3)),
        ScopeEntry(cat.welder, cat.gas_welder, 4),
        *(ScopeEntry(cat.turner, None, lv) for lv in (4, 3, 2)),
    ]
    file_enterprise(enterprise, entries)
    for name in ("welder_std", "turner_std", "electrician_std"):
        getattr(cat, name).refresh_from_db()
    return cat


def round_data(today: date, **changes: object) -> RoundData:
    """A complete announcement, registration open today."""
    opens = today - timedelta(days=3)
    closes = today + timedelta(days=20)
    data = RoundData(
        name=f"{opens.year}年第1批",
        year=opens.year,
        registration_opens=opens,
        registration_closes=closes,
        evaluation_starts=closes + timedelta(days=20),
        evaluation_ends=closes + timedelta(days=30),
        schedule_note="报名截止后5个工作日内完成资格审核。\n理论考试安排在评价首日。",
        content_methods="理论知识考试采用闭卷机考；操作技能考核采用现场实际操作。",
        registration_method="登录平台在线填写申报表，上传身份证和学历证明。",
        contact_name="人力资源部 王老师",
        contact_phone="0531-88880000",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def make_round(owner: User | None, enterprise: Organisation, today: date, **changes: object) -> Round:
    return services.round_create(actor=owner, enterprise=enterprise, data=round_data(today, **changes))


def offer(owner: User | None, rnd: Round, cat: Catalogue, *, level: int = 4) -> RoundOffering:
    return services.offering_add(
        actor=owner, round=rnd, occupation=cat.welder, job_type=cat.electric_welder, level=level
    )


def published_round(
    owner: User | None, enterprise: Organisation, cat: Catalogue, today: date, **changes: object
) -> Round:
    rnd = make_round(owner, enterprise, today, **changes)
    offer(owner, rnd, cat)
    services.offering_add(actor=owner, round=rnd, occupation=cat.turner, job_type=None, level=3)
    return services.round_publish(actor=owner, round=rnd, today=today)


def end_scope(enterprise: Organisation, *, on: date) -> None:
    """Every scope item of the enterprise stops being in force on `on`."""
    ScopeItem.objects.filter(enterprise=enterprise).update(valid_to=on)


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
