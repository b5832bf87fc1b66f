"""Test data for the filings app: a small catalogue, a filed enterprise with resources, a full adjustment run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from skillcert.catalog.models import JobType, Occupation, Standard, StandardKind
from skillcert.core.models import Organisation, User
from skillcert.filings.models import Filing, ScopeAdjustment, ScopeItem, Site
from skillcert.filings.services import adjustments as adj_services
from skillcert.filings.services import resources
from skillcert.filings.services.filing import ScopeEntry, filing_create
from tests.factories import EmployeeFactory

FILED_ON = date(2024, 3, 15)
JUNE = date(2026, 6, 10)
MARCH = date(2026, 3, 10)

# A tiny PDF: enough for the magic-bytes check of the parent filing upload.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Catalogue:
    welder: Occupation  # 焊工: national standard, job types 电焊工 (5–1) and 气焊工 (5–3)
    electric_welder: JobType
    gas_welder: JobType
    turner: Occupation  # 车工: national standard, no job types
    electrician: Occupation  # 电工: national standard
    drone: Occupation  # 无人机装调检修工: no national standard
    welder_std: Standard
    turner_std: Standard
    electrician_std: Standard


def catalogue() -> Catalogue:
    def occ(code: str, name: str) -> Occupation:
        return Occupation.objects.get_or_create(code=code, defaults={"name": name, "tier": 4})[0]

    welder = occ("6-18-02-04", "焊工")
    turner = occ("6-18-01-01", "车工")
    electrician = occ("6-31-01-03", "电工")
    drone = occ("6-25-04-09", "无人机装调检修工")
    ew = JobType.objects.get_or_create(
        occupation=welder, name="电焊工", defaults={"levels": [5, 4, 3, 2, 1]}
    )[0]
    gw = JobType.objects.get_or_create(occupation=welder, name="气焊工", defaults={"levels": [5, 4, 3]})[0]

    def std(o: Occupation, title: str, year: int) -> Standard:
        return Standard.objects.get_or_create(
            occupation=o,
            kind=StandardKind.NATIONAL,
            title=title,
            defaults={"edition_year": year, "code": o.code, "levels": [5, 4, 3, 2, 1]},
        )[0]

    return Catalogue(
        welder=welder,
        electric_welder=ew,
        gas_welder=gw,
        turner=turner,
        electrician=electrician,
        drone=drone,
        welder_std=std(welder, "国家职业技能标准 焊工（2018年版）", 2018),
        turner_std=std(turner, "国家职业技能标准 车工（2018年版）", 2018),
        electrician_std=std(electrician, "国家职业技能标准 电工（2018年版）", 2018),
    )


def specification(enterprise: Organisation, occupation: Occupation) -> Standard:
    return Standard.objects.create(
        kind=StandardKind.SPECIFICATION,
        occupation=occupation,
        enterprise=enterprise,
        title=f"{enterprise.short_name or enterprise.name}{occupation.name}评价规范",
        code=f"QB-{occupation.code}",
        edition_year=2025,
        levels=[5, 4, 3],
    )


def file_enterprise(
    enterprise: Organisation, entries: Sequence[ScopeEntry], *, code: str | None = None, on: date = FILED_ON
) -> Filing:
    return filing_create(
        actor=None, enterprise=enterprise, code=code or f"BA-{enterprise.pk:04d}", filed_on=on, items=entries
    )


def equip(enterprise: Organisation, occupations: Sequence[Occupation], *, assessors: int = 3) -> None:
    """A site with equipment serving the occupations and `assessors` level-one assessors for each."""
    site = resources.site_create(
        actor=None,
        enterprise=enterprise,
        name=f"实训基地{Site.objects.filter(enterprise=enterprise).count() + 1}",
        address="济南市历城区工业北路",
    )
    resources.equipment_create(actor=None, site=site, name="综合实训设备", count=6, occupations=occupations)
    for occupation in occupations:
        for n in range(assessors):
            person = EmployeeFactory(enterprise=enterprise).person
            resources.pool_member_create(
                actor=None,
                enterprise=enterprise,
                person=person,
                role="assessor",
                occupation=occupation,
                max_level=1,
                certificate_no=f"KP{occupation.pk:03d}{n:03d}{person.pk:05d}",
            )


def draft(
    owner: User,
    enterprise: Organisation,
    *,
    adds: Sequence[ScopeEntry] = (),
    removes: Sequence[ScopeItem] = (),
    reason: str = "产线扩建，新增岗位需要评价。",
) -> ScopeAdjustment:
    adj = adj_services.adjustment_create(actor=owner, enterprise=enterprise, reason=reason)
    for e in adds:
        adj_services.adjustment_addition_create(
            actor=owner,
            adjustment=adj,
            occupation=e.occupation,
            job_type=e.job_type,
            level=e.level,
            standard=e.standard,
        )
    for item in removes:
        adj_services.adjustment_removal_create(actor=owner, adjustment=adj, scope_item=item)
    return adj


def approve(
    owner: User,
    reviewer: User,
    enterprise: Organisation,
    *,
    adds: Sequence[ScopeEntry] = (),
    removes: Sequence[ScopeItem] = (),
    effective_on: date,
    today: date | None = None,
    doc: str = "人社鉴函〔2026〕1号",
) -> ScopeAdjustment:
    """Draft, submit, forward and approve an adjustment in one go."""
    adj = draft(owner, enterprise, adds=adds, removes=removes)
    adj = adj_services.adjustment_submit(actor=owner, adjustment=adj, today=today or effective_on)
    adj = adj_services.adjustment_forward(actor=reviewer, adjustment=adj)
    return adj_services.adjustment_approve(
        actor=reviewer, adjustment=adj, document_no=doc, effective_on=effective_on
    )
