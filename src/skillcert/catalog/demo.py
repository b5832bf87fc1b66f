"""Load the small catalogue shipped for the demo (data/demo-catalogue.json) and the template rule sets.

Idempotent: occupations match by code, job types by (occupation, name), national standards by
(occupation, code, edition year); a second load changes nothing and writes no audit event. A standard
that exists already is kept as the catalogue editors left it; the template rule sets always follow
the code (catalog/ruletemplates.py).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from skillcert.catalog import services
from skillcert.catalog.models import (
    LEVEL_HEIGHT,
    EligibilityRuleSet,
    JobType,
    Occupation,
    Standard,
    StandardKind,
)
from skillcert.catalog.occupations_csv import COLUMNS

DEMO_CATALOGUE = Path(__file__).resolve().parent / "data" / "demo-catalogue.json"
ACTOR_NAME = "manage.py load-catalogue"


@dataclass
class CatalogueResult:
    occupations: services.ImportResult
    templates_changed: list[str] = field(default_factory=list)
    job_types_created: int = 0
    job_types_updated: int = 0
    standards_created: int = 0
    standards_unchanged: int = 0


def _csv_text(occupations: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in occupations:
        code = str(item["code"])
        tier = code.count("-") + 1
        parent = code.rsplit("-", 1)[0] if tier > 1 else ""
        writer.writerow([code, item["name"], tier, parent, item.get("gbm", "")])
    return out.getvalue()


def _modules(defaults: dict[str, Any], levels: list[int]) -> list[services.ModuleSpec]:
    specs = []
    for level in levels:
        for kind in defaults["module_kinds"][str(level)]:
            specs.append(services.ModuleSpec(level=level, kind=kind, **defaults["modules"][kind]))
    return specs


def load_catalogue(*, path: Path = DEMO_CATALOGUE) -> CatalogueResult:
    """Load occupations, job types, national standards and the two template rule sets."""
    data = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        imported = services.occupation_import(
            actor=None,
            text=_csv_text(data["occupations"]),
            edition=data.get("edition", "2022"),
            actor_name=ACTOR_NAME,
            source=path.name,
        )
        if not imported.written:
            raise ValueError("演示目录有误：" + "；".join(str(e) for e in imported.errors))
        result = CatalogueResult(occupations=imported)
        templates: dict[str, EligibilityRuleSet] = {}
        for key in services.TEMPLATE_NAMES:
            rule_set, changed = services.rule_set_sync_template(
                actor=None, template=key, actor_name=ACTOR_NAME
            )
            templates[key] = rule_set
            if changed:
                result.templates_changed.append(key)
        for item in data["standards"]:
            _load_standard(item, data["defaults"], templates, result)
    return result


def _load_standard(
    item: dict[str, Any],
    defaults: dict[str, Any],
    templates: dict[str, EligibilityRuleSet],
    result: CatalogueResult,
) -> None:
    occupation = Occupation.objects.get(code=item["occupation"])
    job_types: list[JobType] = []
    for jt in item["job_types"]:
        existing = JobType.objects.filter(occupation=occupation, name=jt["name"]).first()
        if existing is None:
            existing = services.job_type_create(
                actor=None, occupation=occupation, name=jt["name"], levels=jt["levels"]
            )
            result.job_types_created += 1
        elif not set(jt["levels"]) <= set(existing.levels):
            # Widen only: a level a standard still covers may not be dropped by a reload.
            levels = sorted(set(existing.levels) | set(jt["levels"]), key=lambda v: LEVEL_HEIGHT[v])
            existing = services.job_type_update(
                actor=None, job_type=existing, name=existing.name, code=existing.code, levels=levels
            )
            result.job_types_updated += 1
        job_types.append(existing)
    levels = sorted({v for jt in item["job_types"] for v in jt["levels"]}, key=lambda v: LEVEL_HEIGHT[v])
    fields: dict[str, Any] = {
        "title": item["title"],
        "code": item.get("code", ""),
        "edition_year": item["edition_year"],
        "issued_by": item.get("issued_by", ""),
        "levels": levels,
        "modules": _modules(defaults, levels),
        "job_types": job_types,
        "rule_set": templates[item["template"]],
    }
    standard = Standard.objects.filter(
        occupation=occupation,
        kind=StandardKind.NATIONAL,
        code=fields["code"],
        edition_year=fields["edition_year"],
    ).first()
    if standard is None:
        services.standard_create(actor=None, occupation=occupation, kind=StandardKind.NATIONAL, **fields)
        result.standards_created += 1
        return
    # An existing standard is left as the catalogue editors keep it.
    result.standards_unchanged += 1
