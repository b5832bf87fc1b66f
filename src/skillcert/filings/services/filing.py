"""Writes for filings (R1.1) and the checks every scope item passes (R1.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from skillcert.catalog.models import ORDINARY_LEVELS, JobType, Level, Occupation, Standard, StandardKind
from skillcert.catalog.selectors import require_standard_covers
from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User
from skillcert.filings import selectors
from skillcert.filings.models import Filing, ScopeItem


@dataclass(frozen=True)
class ScopeEntry:
    """One (occupation, job type, level) asked for, under a standard (None: the current national standard)."""

    occupation: Occupation
    job_type: JobType | None
    level: int
    standard: Standard | None = None

    def key(self) -> tuple[int, int | None, int]:
        return (self.occupation.pk, self.job_type.pk if self.job_type else None, self.level)


def entry_label(occupation: Occupation, job_type: JobType | None, level: int) -> str:
    name = f"{occupation.name}（{job_type.name}）" if job_type else occupation.name
    return f"“{name}”{Level(level).label if level in Level.values else level}"


def resolve_standard(*, enterprise: Organisation, entry: ScopeEntry) -> Standard:
    """The standard the entry falls under; without one, the occupation's national standard.

    Where the occupation has no national standard an evaluation specification must be given (R1.3 item 3).
    """
    if entry.standard is not None:
        return entry.standard
    national = selectors.national_standard(occupation=entry.occupation)
    if national is None:
        raise RuleViolation(
            "R1.3",
            _("职业“%(o)s”没有国家职业技能标准，须提供本企业经备案的评价规范。")
            % {"o": entry.occupation.name},
            field="standard",
        )
    return national


def check_entry(*, enterprise: Organisation, entry: ScopeEntry, standard: Standard) -> None:
    """R1.2: an occupation (not a higher tier), its own job type, an ordinary level, under a fitting standard."""
    occ, job_type, level = entry.occupation, entry.job_type, entry.level
    if occ.tier != 4:
        raise RuleViolation(
            "R1.2", _("“%(o)s”不是职业（须选择职业分类第4层）。") % {"o": occ.name}, field="occupation"
        )
    if job_type is not None and job_type.occupation_id != occ.pk:
        raise RuleViolation(
            "R1.2",
            _("工种“%(j)s”不属于职业“%(o)s”。") % {"j": job_type.name, "o": occ.name},
            field="job_type",
        )
    if level not in ORDINARY_LEVELS:
        raise RuleViolation(
            "R1.2",
            _("认定范围只含五级至一级；学徒工、特级技师和首席技师另按规定办理（鲁人社字〔2023〕57号）。"),
            field="level",
        )
    if job_type is not None and job_type.levels and level not in job_type.levels:
        raise RuleViolation(
            "R1.2",
            _("工种“%(j)s”未设%(l)s。") % {"j": job_type.name, "l": Level(level).label},
            field="level",
        )
    if not standard.is_active:
        raise RuleViolation("R1.2", _("“%(s)s”已停止使用。") % {"s": standard}, field="standard")
    if standard.kind == StandardKind.SPECIFICATION and standard.enterprise_id != enterprise.pk:
        raise RuleViolation(
            "R1.2", _("评价规范“%(s)s”不是本企业备案的评价规范。") % {"s": standard.title}, field="standard"
        )
    require_standard_covers(standard=standard, occupation=occ, job_type=job_type, level=level)


def filing_create(
    *,
    actor: User | None,
    enterprise: Organisation,
    code: str,
    filed_on: date,
    items: Sequence[ScopeEntry],
    note: str = "",
) -> Filing:
    """Record the enterprise as an evaluating organisation with its initial scope, in force from `filed_on` (R1.1)."""
    code = code.strip()
    if not enterprise.is_enterprise or enterprise.authority_id is None:
        raise RuleViolation("R1.1", _("只有企业可以备案为评价机构。"), field="enterprise")
    if not code:
        raise RuleViolation("R1.1", _("须填写备案编号。"), field="code")
    if not items:
        raise RuleViolation("R1.2", _("备案须至少包含一个认定职业（工种）等级。"), field="items")
    seen: set[tuple[int, int | None, int]] = set()
    resolved: list[tuple[ScopeEntry, Standard]] = []
    for entry in items:
        standard = resolve_standard(enterprise=enterprise, entry=entry)
        check_entry(enterprise=enterprise, entry=entry, standard=standard)
        if entry.key() in seen:
            raise RuleViolation(
                "R1.2",
                _("%(e)s重复填写。") % {"e": entry_label(entry.occupation, entry.job_type, entry.level)},
                field="items",
            )
        seen.add(entry.key())
        resolved.append((entry, standard))
    with transaction.atomic():
        Organisation.objects.select_for_update(of=("self",)).get(pk=enterprise.pk)
        if Filing.objects.filter(enterprise=enterprise).exists():
            raise RuleViolation(
                "R1.1", _("该企业已备案；范围变化须通过评价范围调整办理。"), field="enterprise"
            )
        if Filing.objects.filter(code=code).exists():
            raise RuleViolation("R1.1", _("备案编号 %(c)s 已被使用。") % {"c": code}, field="code")
        filing = Filing.objects.create(
            enterprise=enterprise,
            authority_id=enterprise.authority_id,
            code=code,
            filed_on=filed_on,
            note=note.strip(),
            recorded_by=actor,
        )
        ScopeItem.objects.bulk_create(
            ScopeItem(
                enterprise=enterprise,
                occupation=entry.occupation,
                job_type=entry.job_type,
                level=entry.level,
                standard=standard,
                valid_from=filed_on,
            )
            for entry, standard in resolved
        )
        audit.record(
            actor=actor,
            action="filing.create",
            obj=filing,
            organisation_id=enterprise.pk,
            summary={
                "code": code,
                "filed_on": filed_on.isoformat(),
                "items": len(resolved),
                "enterprise": enterprise.name,
            },
        )
    return filing
