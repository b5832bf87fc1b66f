"""Writes of the catalogue: occupation import, job types, standards with their modules, rule sets (R1.2).

Who may call which write is decided by the selectors (``can_edit_*``); the services check the data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcert.catalog import eligibility, occupations_csv
from skillcert.catalog.models import (
    LEVEL_HEIGHT,
    ORDINARY_LEVELS,
    EligibilityRuleSet,
    JobType,
    Level,
    ModuleKind,
    Occupation,
    Standard,
    StandardKind,
    StandardModule,
)
from skillcert.core import audit
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User

__all__ = [
    "TEMPLATE_NAMES",
    "ImportResult",
    "ModuleSpec",
    "RuleSetInvalid",
    "Staffing",
    "job_type_create",
    "job_type_update",
    "level_names",
    "occupation_import",
    "rule_set_create",
    "rule_set_sync_template",
    "rule_set_update",
    "standard_create",
    "standard_update",
]

TEMPLATE_NAMES = {
    "2018": "国家职业标准申报条件（2018年版模板）",
    "2023": "国家职业标准申报条件（2023年版模板）",
}
TEMPLATE_SOURCES = {
    "2018": "《国家职业技能标准编制技术规程（2018年版）》申报条件",
    "2023": "《国家职业标准编制技术规程（2023年版）》申报条件",
}


def level_names(levels: Iterable[int]) -> str:
    """'五级/初级工、四级/中级工' in ladder order, low to high."""
    return "、".join(str(Level(v).label) for v in sorted(levels, key=lambda v: LEVEL_HEIGHT[v]))


# --- occupations ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did. ``written`` is False when bad rows stopped it (nothing was written)."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[occupations_csv.RowError] = field(default_factory=list)
    written: bool = False

    @property
    def rejected_lines(self) -> int:
        return len({e.line for e in self.errors})


def occupation_import(
    *,
    actor: User | None,
    text: str,
    only_good: bool = False,
    edition: str = "2022",
    actor_name: str = "",
    source: str = "",
) -> ImportResult:
    """Load a CSV of the classification (code,name,tier,parent_code,gbm), matching rows by code.

    Any bad row stops the import before anything is written, unless ``only_good`` (then the good
    rows are written and the bad ones reported). A repeated import changes nothing.
    """
    with transaction.atomic():
        stored = {
            o.code: o for o in Occupation.objects.select_for_update(of=("self",)).select_related("parent")
        }
        parsed = occupations_csv.parse(text, known={c: o.tier for c, o in stored.items()})
        result = ImportResult(total=len(parsed.rows) + len({e.line for e in parsed.errors if e.line}))
        result.errors = parsed.errors
        if parsed.errors and not only_good:
            return result
        ids = {code: o.pk for code, o in stored.items()}
        by_tier: dict[int, list[occupations_csv.OccupationRow]] = {}
        for row in parsed.rows:
            by_tier.setdefault(row.tier, []).append(row)
        fields = ["name", "tier", "parent", "gbm", "edition"]
        for tier in sorted(by_tier):
            new: list[Occupation] = []
            changed: list[Occupation] = []
            for row in by_tier[tier]:
                parent_id = ids[row.parent_code] if row.parent_code else None
                values = {
                    "name": row.name,
                    "tier": row.tier,
                    "parent_id": parent_id,
                    "gbm": row.gbm,
                    "edition": edition,
                }
                occ = stored.get(row.code)
                if occ is None:
                    new.append(Occupation(code=row.code, **values))
                elif any(getattr(occ, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(occ, key, value)
                    changed.append(occ)
                else:
                    result.unchanged += 1
            if new:
                Occupation.objects.bulk_create(new, batch_size=500)
                ids.update(Occupation.objects.filter(tier=tier).values_list("code", "pk"))
            if changed:
                Occupation.objects.bulk_update(changed, fields, batch_size=500)
            result.created += len(new)
            result.updated += len(changed)
        result.written = True
        if result.created or result.updated:
            audit.record(
                actor=actor,
                actor_name=actor_name,
                action="occupation.import",
                object_type="catalog.occupation",
                summary={
                    "source": source,
                    "edition": edition,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "rejected_lines": result.rejected_lines,
                },
            )
    return result


# --- job types -----------------------------------------------------------------------------------


def _check_levels(levels: Sequence[int], *, field: str = "levels") -> list[int]:
    clean = sorted({int(v) for v in levels}, key=lambda v: LEVEL_HEIGHT.get(v, 99))
    if not clean:
        raise RuleViolation("R1.2", _("请至少选择一个等级。"), field=field)
    wrong = [v for v in clean if v not in ORDINARY_LEVELS]
    if wrong:
        raise RuleViolation(
            "R1.2",
            _("等级只能是五级至一级（学徒工、特级技师、首席技师不经认定评价）。"),
            field=field,
        )
    return clean


def _job_type_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise RuleViolation("R1.2", _("工种名称不能为空。"), field="name")
    if len(name) > 80:
        raise RuleViolation("R1.2", _("工种名称不能超过 80 个字。"), field="name")
    return name


def job_type_create(
    *, actor: User | None, occupation: Occupation, name: str, levels: Sequence[int], code: str = ""
) -> JobType:
    """Add a job type (工种) with the levels it has to an occupation (tier 4)."""
    if occupation.tier != 4:
        raise RuleViolation("R1.2", _("工种只能设在职业（第四层）之下。"), field="occupation")
    name, clean = _job_type_name(name), _check_levels(levels)
    with transaction.atomic():
        Occupation.objects.select_for_update(of=("self",)).get(pk=occupation.pk)
        if JobType.objects.filter(occupation=occupation, name=name).exists():
            raise RuleViolation(
                "R1.2",
                _("职业“%(o)s”已有名为“%(n)s”的工种。") % {"o": occupation.name, "n": name},
                field="name",
            )
        job_type = JobType.objects.create(occupation=occupation, name=name, code=code.strip(), levels=clean)
        audit.record(
            actor=actor,
            action="job_type.create",
            obj=job_type,
            summary={"occupation": occupation.code, "name": name, "levels": clean},
        )
    return job_type


def job_type_update(
    *, actor: User | None, job_type: JobType, name: str, levels: Sequence[int], code: str = ""
) -> JobType:
    """Rename a job type or change its levels; a level a standard still covers cannot be dropped."""
    name, clean = _job_type_name(name), _check_levels(levels)
    with transaction.atomic():
        jt = JobType.objects.select_for_update(of=("self",)).select_related("occupation").get(pk=job_type.pk)
        if JobType.objects.filter(occupation_id=jt.occupation_id, name=name).exclude(pk=jt.pk).exists():
            raise RuleViolation("R1.2", _("该职业已有名为“%(n)s”的工种。") % {"n": name}, field="name")
        after = {"name": name, "code": code.strip(), "levels": clean}
        before = {k: getattr(jt, k) for k in after}
        if before == after:
            return jt
        for attr, value in after.items():
            setattr(jt, attr, value)
        siblings = list(JobType.objects.filter(occupation_id=jt.occupation_id))
        for std in Standard.objects.filter(occupation_id=jt.occupation_id).prefetch_related("job_types"):
            pool = list(std.job_types.all()) or siblings
            if jt.pk not in {j.pk for j in pool}:
                continue
            covered = set().union(*(set(clean if j.pk == jt.pk else j.levels) for j in pool))
            lost = set(std.levels) - covered
            if lost:
                raise RuleViolation(
                    "R1.2",
                    _("“%(s)s”覆盖%(l)s，取消后该标准没有对应工种，请先修改标准。")
                    % {"s": std, "l": level_names(lost)},
                    field="levels",
                )
        jt.save(update_fields=list(after))
        audit.record(
            actor=actor, action="job_type.update", obj=jt, summary={"before": before, "after": after}
        )
    return jt


# --- standards -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleSpec:
    """One assessed module of a level: theory, practical or portfolio review."""

    level: int
    kind: str
    full_marks: int = 100
    pass_mark: int = 60
    duration_minutes: int = 90


@dataclass(frozen=True)
class Staffing:
    """Staffing ratios of a standard (R6.3, R6.4); the defaults are the guideline's minimums."""

    proctor_ratio: int = 15
    proctor_min: int = 2
    assessor_ratio: int = 5
    assessor_min: int = 3
    review_panel_min: int = 3


STAFFING_FIELDS = ("proctor_ratio", "proctor_min", "assessor_ratio", "assessor_min", "review_panel_min")
MIN_EDITION, MAX_EDITION = 1990, 2100


def _check_staffing(staffing: Staffing) -> None:
    for name in ("proctor_ratio", "assessor_ratio"):
        value = getattr(staffing, name)
        if not 1 <= value <= 100:
            rule = "R6.3" if name.startswith("proctor") else "R6.4"
            raise RuleViolation(rule, _("比例须在 1:1 至 1:100 之间。"), field=name)
    if staffing.proctor_min < 2:
        raise RuleViolation("R6.3", _("每个考场至少安排 2 名监考人员。"), field="proctor_min")
    if staffing.assessor_min < 3 or staffing.assessor_min % 2 == 0:
        raise RuleViolation(
            "R6.4",
            _("每个考评组的考评人员须为不少于 3 人的奇数（如 3、5、7），现为 %(n)s。")
            % {"n": staffing.assessor_min},
            field="assessor_min",
        )
    if staffing.review_panel_min < 3 or staffing.review_panel_min % 2 == 0:
        raise RuleViolation(
            "R6.4",
            _("综合评审组须为不少于 3 人的奇数（如 3、5、7），现为 %(n)s。")
            % {"n": staffing.review_panel_min},
            field="review_panel_min",
        )


def _check_modules(levels: Sequence[int], modules: Sequence[ModuleSpec]) -> None:
    seen: set[tuple[int, str]] = set()
    for m in modules:
        label = f"{Level(m.level).label if m.level in Level.values else m.level}"
        if m.kind not in ModuleKind.values:
            raise RuleViolation("R1.2", _("未知的考核模块“%(k)s”。") % {"k": m.kind}, field="modules")
        kind = ModuleKind(m.kind).label
        if m.level not in levels:
            raise RuleViolation(
                "R1.2",
                _("%(l)s不在本标准覆盖的等级内，不能设置“%(k)s”。") % {"l": label, "k": kind},
                field="modules",
            )
        if (m.level, m.kind) in seen:
            raise RuleViolation("R1.2", _("%(l)s的“%(k)s”重复。") % {"l": label, "k": kind}, field="modules")
        seen.add((m.level, m.kind))
        if not 1 <= m.full_marks <= 1000:
            raise RuleViolation(
                "R1.2",
                _("%(l)s“%(k)s”的满分须在 1 至 1000 之间。") % {"l": label, "k": kind},
                field="modules",
            )
        if not 0 <= m.pass_mark <= m.full_marks:
            raise RuleViolation(
                "R1.2",
                _("%(l)s“%(k)s”的合格分 %(p)s 超过满分 %(f)s。")
                % {"l": label, "k": kind, "p": m.pass_mark, "f": m.full_marks},
                field="modules",
            )
        if not 1 <= m.duration_minutes <= 1440:
            raise RuleViolation(
                "R1.2",
                _("%(l)s“%(k)s”的时长须在 1 至 1440 分钟之间。") % {"l": label, "k": kind},
                field="modules",
            )
    missing = [v for v in levels if not any(m.level == v for m in modules)]
    if missing:
        raise RuleViolation(
            "R1.2", _("%(l)s尚未设置任何考核模块。") % {"l": level_names(missing)}, field="modules"
        )


def _check_standard(
    *,
    kind: str,
    occupation: Occupation,
    enterprise: Organisation | None,
    title: str,
    edition_year: int,
    job_types: Sequence[JobType],
    levels: Sequence[int],
    rule_set: EligibilityRuleSet | None,
    modules: Sequence[ModuleSpec],
    staffing: Staffing,
) -> list[int]:
    if kind == StandardKind.NATIONAL and enterprise is not None:
        raise RuleViolation("R1.2", _("国家职业技能标准不属于任何企业。"), field="enterprise")
    if kind == StandardKind.SPECIFICATION and (enterprise is None or not enterprise.is_enterprise):
        raise RuleViolation("R1.2", _("评价规范须由一家企业制定。"), field="enterprise")
    if kind not in StandardKind.values:
        raise RuleViolation("R1.2", _("未知的标准类型。"), field="kind")
    if occupation.tier != 4:
        raise RuleViolation("R1.2", _("标准须对应一个职业（第四层）。"), field="occupation")
    if not title.strip():
        raise RuleViolation("R1.2", _("名称不能为空。"), field="title")
    if not MIN_EDITION <= edition_year <= MAX_EDITION:
        raise RuleViolation(
            "R1.2",
            _("版本年份须在 %(a)s 至 %(b)s 之间。") % {"a": MIN_EDITION, "b": MAX_EDITION},
            field="edition_year",
        )
    clean = _check_levels(levels)
    foreign = [jt for jt in job_types if jt.occupation_id != occupation.pk]
    if foreign:
        raise RuleViolation(
            "R1.2",
            _("工种“%(n)s”不属于职业“%(o)s”。") % {"n": foreign[0].name, "o": occupation.name},
            field="job_types",
        )
    pool = list(job_types) or list(occupation.job_types.all())
    if pool:
        offered = set().union(*(set(jt.levels) for jt in pool))
        beyond = [v for v in clean if v not in offered]
        if beyond:
            names = "、".join(jt.name for jt in pool)
            raise RuleViolation(
                "R1.2",
                _("覆盖等级须在所选工种设有的等级之内：%(j)s 没有%(l)s。")
                % {"j": names, "l": level_names(beyond)},
                field="levels",
            )
    own = enterprise.pk if enterprise is not None else None
    if rule_set is not None and rule_set.enterprise_id is not None and rule_set.enterprise_id != own:
        raise RuleViolation("R1.2", _("只能选用国家模板或本企业的申报条件规则集。"), field="rule_set")
    _check_modules(clean, modules)
    _check_staffing(staffing)
    return clean


def _module_rows(standard: Standard) -> dict[tuple[int, str], StandardModule]:
    return {(m.level, m.kind): m for m in standard.modules.all()}


def _write_modules(standard: Standard, modules: Sequence[ModuleSpec]) -> bool:
    """Make the standard's modules exactly `modules`; True if anything changed."""
    existing = _module_rows(standard)
    wanted = {(m.level, m.kind): m for m in modules}
    changed = False
    stale = [row.pk for key, row in existing.items() if key not in wanted]
    if stale:
        StandardModule.objects.filter(pk__in=stale).delete()
        changed = True
    for key, spec in wanted.items():
        values = {
            "full_marks": spec.full_marks,
            "pass_mark": spec.pass_mark,
            "duration_minutes": spec.duration_minutes,
        }
        row = existing.get(key)
        if row is None:
            StandardModule.objects.create(standard=standard, level=spec.level, kind=spec.kind, **values)
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save(update_fields=list(values))
            changed = True
    return changed


def _module_summary(modules: Iterable[ModuleSpec | StandardModule]) -> list[str]:
    return sorted(f"{m.level}/{m.kind}/{m.pass_mark}/{m.full_marks}/{m.duration_minutes}" for m in modules)


def standard_create(
    *,
    actor: User | None,
    occupation: Occupation,
    title: str,
    edition_year: int,
    levels: Sequence[int],
    modules: Sequence[ModuleSpec],
    kind: str = StandardKind.NATIONAL,
    enterprise: Organisation | None = None,
    code: str = "",
    issued_by: str = "",
    job_types: Sequence[JobType] = (),
    rule_set: EligibilityRuleSet | None = None,
    staffing: Staffing = Staffing(),
    is_active: bool = True,
) -> Standard:
    """A national standard, or an enterprise's evaluation specification, with its modules per level."""
    clean = _check_standard(
        kind=kind,
        occupation=occupation,
        enterprise=enterprise,
        title=title,
        edition_year=edition_year,
        job_types=job_types,
        levels=levels,
        rule_set=rule_set,
        modules=modules,
        staffing=staffing,
    )
    with transaction.atomic():
        standard = Standard.objects.create(
            kind=kind,
            occupation=occupation,
            enterprise=enterprise,
            title=title.strip(),
            code=code.strip(),
            edition_year=edition_year,
            issued_by=issued_by.strip(),
            levels=clean,
            rule_set=rule_set,
            is_active=is_active,
            **{name: getattr(staffing, name) for name in STAFFING_FIELDS},
        )
        standard.job_types.set(job_types)
        _write_modules(standard, modules)
        audit.record(
            actor=actor,
            action="standard.create",
            obj=standard,
            organisation_id=enterprise.pk if enterprise is not None else None,
            summary={
                "kind": kind,
                "occupation": occupation.code,
                "title": standard.title,
                "levels": clean,
                "job_types": sorted(jt.name for jt in job_types),
                "modules": _module_summary(modules),
            },
        )
    return standard


def standard_update(
    *,
    actor: User | None,
    standard: Standard,
    title: str,
    edition_year: int,
    levels: Sequence[int],
    modules: Sequence[ModuleSpec],
    code: str = "",
    issued_by: str = "",
    job_types: Sequence[JobType] = (),
    rule_set: EligibilityRuleSet | None = None,
    staffing: Staffing = Staffing(),
    is_active: bool = True,
) -> Standard:
    """Change a standard and make its modules exactly `modules`; kind, occupation and enterprise stay."""
    with transaction.atomic():
        std = (
            Standard.objects.select_for_update(of=("self",))
            .select_related("occupation", "enterprise")
            .get(pk=standard.pk)
        )
        clean = _check_standard(
            kind=std.kind,
            occupation=std.occupation,
            enterprise=std.enterprise,
            title=title,
            edition_year=edition_year,
            job_types=job_types,
            levels=levels,
            rule_set=rule_set,
            modules=modules,
            staffing=staffing,
        )
        after: dict[str, Any] = {
            "title": title.strip(),
            "code": code.strip(),
            "edition_year": edition_year,
            "issued_by": issued_by.strip(),
            "levels": clean,
            "rule_set_id": rule_set.pk if rule_set is not None else None,
            "is_active": is_active,
            **{name: getattr(staffing, name) for name in STAFFING_FIELDS},
        }
        before = {k: getattr(std, k) for k in after}
        changed = {k: v for k, v in after.items() if before[k] != v}
        old_job_types = sorted(std.job_types.values_list("pk", flat=True))
        new_job_types = sorted(jt.pk for jt in job_types)
        old_modules = _module_summary(std.modules.all())
        for key, value in changed.items():
            setattr(std, key, value)
        if changed:
            std.save(update_fields=[k.removesuffix("_id") for k in changed])
        if old_job_types != new_job_types:
            std.job_types.set(job_types)
        modules_changed = _write_modules(std, modules)
        if changed or old_job_types != new_job_types or modules_changed:
            summary: dict[str, Any] = {
                "before": {k: before[k] for k in changed},
                "after": changed,
            }
            if old_job_types != new_job_types:
                summary["job_types"] = {"before": old_job_types, "after": new_job_types}
            if modules_changed:
                summary["modules"] = {"before": old_modules, "after": _module_summary(modules)}
            audit.record(
                actor=actor,
                action="standard.update",
                obj=std,
                organisation_id=std.enterprise_id,
                summary=summary,
            )
    return std


# --- eligibility rule sets -----------------------------------------------------------------------


class RuleSetInvalid(RuleViolation):
    """The rules JSON failed validation; ``errors`` lists every problem with its path."""

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__(
            "R3.3",
            _("申报条件有 %(n)s 处错误：") % {"n": len(self.errors)} + "；".join(self.errors),
            field="rules",
        )


def _check_rule_set(
    *, name: str, source: str, rules: Any, enterprise: Organisation | None, exclude: int | None = None
) -> tuple[str, dict[str, Any]]:
    """The cleaned name and the rules with their name and source set to the rule set's own."""
    name, source = name.strip(), source.strip()
    if not name:
        raise RuleViolation("R3.3", _("名称不能为空。"), field="name")
    if len(name) > 120:
        raise RuleViolation("R3.3", _("名称不能超过 120 个字。"), field="name")
    if enterprise is not None and not enterprise.is_enterprise:
        raise RuleViolation("R3.3", _("规则集只能属于企业。"), field="enterprise")
    same = EligibilityRuleSet.objects.filter(name=name, enterprise=enterprise)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise RuleViolation("R3.3", _("已有名为“%(n)s”的规则集。") % {"n": name}, field="name")
    if len(source) > 200:
        raise RuleViolation("R3.3", _("依据不能超过 200 个字。"), field="source")
    if not isinstance(rules, dict):
        raise RuleSetInvalid([_("$: 须为对象（{…}）")])
    rules = {**rules, "name": name, "source": source}
    errors = eligibility.validate_json(rules)
    if errors:
        raise RuleSetInvalid(errors)
    return name, rules


def rule_set_create(
    *,
    actor: User | None,
    name: str,
    rules: dict[str, Any],
    source: str = "",
    enterprise: Organisation | None = None,
) -> EligibilityRuleSet:
    """A national (enterprise None) or enterprise rule set of eligibility conditions per level."""
    with transaction.atomic():
        name, rules = _check_rule_set(name=name, source=source, rules=rules, enterprise=enterprise)
        rule_set = EligibilityRuleSet.objects.create(
            name=name, source=source.strip(), rules=rules, enterprise=enterprise, updated_by=actor
        )
        audit.record(
            actor=actor,
            action="rule_set.create",
            obj=rule_set,
            organisation_id=enterprise.pk if enterprise is not None else None,
            summary={"name": name, "rules_sha": _digest(rules)},
        )
    return rule_set


def rule_set_update(
    *, actor: User | None, rule_set: EligibilityRuleSet, name: str, rules: dict[str, Any], source: str = ""
) -> EligibilityRuleSet:
    """Change a rule set's name, basis or rules. The built-in templates change only with the code."""
    with transaction.atomic():
        rs = EligibilityRuleSet.objects.select_for_update(of=("self",)).get(pk=rule_set.pk)
        if rs.template:
            raise RuleViolation(
                "R3.3", _("模板规则集随程序发布，不能修改；请“从模板复制”后编辑副本。"), field="rules"
            )
        name, rules = _check_rule_set(
            name=name, source=source, rules=rules, enterprise=rs.enterprise, exclude=rs.pk
        )
        after: dict[str, Any] = {"name": name, "source": source.strip(), "rules": rules}
        changed = [k for k, v in after.items() if getattr(rs, k) != v]
        if not changed:
            return rs
        before = {"name": rs.name, "source": rs.source, "rules_sha": _digest(rs.rules)}
        for key in changed:
            setattr(rs, key, after[key])
        rs.updated_by = actor
        rs.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit.record(
            actor=actor,
            action="rule_set.update",
            obj=rs,
            organisation_id=rs.enterprise_id,
            summary={
                "before": before,
                "after": {"name": rs.name, "source": rs.source, "rules_sha": _digest(rs.rules)},
            },
        )
    return rs


def rule_set_sync_template(
    *, actor: User | None, template: str, actor_name: str = ""
) -> tuple[EligibilityRuleSet, bool]:
    """Make the built-in template rule set (2018 or 2023) equal to the code's; True if it changed."""
    from skillcert.catalog import ruletemplates

    rules = eligibility.to_json(ruletemplates.TEMPLATES[template])
    name, source = TEMPLATE_NAMES[template], TEMPLATE_SOURCES[template]
    with transaction.atomic():
        rs = (
            EligibilityRuleSet.objects.select_for_update(of=("self",))
            .filter(template=template, enterprise=None)
            .first()
        )
        if rs is None:
            rs = EligibilityRuleSet.objects.create(name=name, source=source, template=template, rules=rules)
            audit.record(
                actor=actor,
                actor_name=actor_name,
                action="rule_set.template_load",
                obj=rs,
                summary={"template": template, "rules_sha": _digest(rules)},
            )
            return rs, True
        after = {"name": name, "source": source, "rules": rules}
        changed = [k for k, v in after.items() if getattr(rs, k) != v]
        if not changed:
            return rs, False
        before_sha = _digest(rs.rules)
        for key in changed:
            setattr(rs, key, after[key])
        rs.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=actor,
            actor_name=actor_name,
            action="rule_set.template_load",
            obj=rs,
            summary={"template": template, "before_sha": before_sha, "rules_sha": _digest(rules)},
        )
    return rs, True


def _digest(rules: Any) -> str:
    return hashlib.sha256(json.dumps(rules, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
