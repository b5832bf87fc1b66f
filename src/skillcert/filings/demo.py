"""Idempotent demo data for filings: both demo enterprises filed with scopes under the catalogue's standards,
their sites, equipment and staff pool, one approved and one pending scope adjustment.

Run after ``seed-demo`` (the enterprises and their employees) and ``load-catalogue`` (occupations and
national standards); with either missing it writes nothing and says what to run. Every write goes
through the services, so the audit ledger records the demo like any other work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from skillcert.catalog.models import JobType, Occupation, Standard, StandardKind
from skillcert.core import documents as core_documents
from skillcert.core.models import Employee, Organisation, Person, User
from skillcert.filings import selectors
from skillcert.filings.models import (
    AdjustmentStatus,
    Filing,
    PoolMember,
    PoolRole,
    Relationship,
    ScopeAdjustment,
    ScopeItem,
    Site,
)
from skillcert.filings.services import adjustments as adj_services
from skillcert.filings.services import resources
from skillcert.filings.services.filing import ScopeEntry, filing_create

JZ = "济南重型机械装备有限公司"
HC = "青岛海川石化有限公司"
# (occupation name, job type name or "", levels)
Scope = list[tuple[str, str, list[int]]]

JZ_FILING = ("济人社评备〔2024〕12号", date(2024, 3, 15))
JZ_SCOPE: Scope = [
    ("车工", "", [5, 4, 3, 2]),
    ("焊工", "电焊工", [5, 4, 3]),
    ("焊工", "气焊工", [5, 4]),
    ("电工", "", [5, 4, 3]),
    ("装配钳工", "", [5, 4, 3]),
    ("机修钳工", "", [5, 4, 3]),
]
HC_FILING = ("鲁人社评备〔2023〕45号", date(2023, 9, 1))
HC_SCOPE: Scope = [
    ("化工总控工", "", [5, 4, 3, 2]),
    ("化学检验员", "", [5, 4, 3]),
    ("电工", "", [5, 4]),
]

# site name, address, [(equipment, model, count, [occupations])]
SITES: dict[str, list[tuple[str, str, list[tuple[str, str, int, list[str]]]]]] = {
    JZ: [
        (
            "金工实训中心",
            "济南市历城区工业北路 88 号 3 号厂房",
            [
                ("数控车床", "CK6150", 12, ["车工"]),
                ("卧式车床", "CA6140A", 8, ["车工"]),
                ("立式升降台铣床", "X5032", 6, ["铣工"]),
                ("数控铣床", "XK7132", 4, ["铣工"]),
            ],
        ),
        (
            "焊接实训基地",
            "济南市历城区工业北路 88 号 5 号厂房",
            [
                ("交直流氩弧焊机", "WSME-315", 20, ["焊工"]),
                ("气焊气割设备", "G01-100", 6, ["焊工"]),
            ],
        ),
        (
            "电工与钳工实训楼",
            "济南市历城区工业北路 88 号培训楼",
            [
                ("电工技能实训考核装置", "THPDG-1", 16, ["电工"]),
                ("钳工工作台（含台虎钳）", "QG-1500", 24, ["装配钳工", "机修钳工"]),
            ],
        ),
    ],
    HC: [
        (
            "化工仿真实训中心",
            "青岛市黄岛区石化大道 16 号培训中心",
            [("DCS 仿真操作站", "UniSim R460", 30, ["化工总控工"])],
        ),
        (
            "分析检验实验室",
            "青岛市黄岛区石化大道 16 号质检楼",
            [
                ("气相色谱仪", "GC-2014", 4, ["化学检验员"]),
                ("滴定分析工位", "—", 20, ["化学检验员"]),
            ],
        ),
        (
            "仪表电气实训室",
            "青岛市黄岛区石化大道 16 号仪表中心",
            [
                ("压力、温度仪表校验台", "YBJ-6", 8, ["仪器仪表维修工"]),
                ("电工技能实训考核装置", "THPDG-1", 6, ["电工"]),
            ],
        ),
    ],
}

# Assessors are drawn from employees whose post is the occupation; the first may assess 一级, then 二级, then 三级.
ASSESSORS = {
    JZ: ["车工", "焊工", "电工", "装配钳工", "机修钳工", "铣工"],
    HC: ["化工总控工", "化学检验员", "电工", "仪器仪表维修工"],
}
ASSESSORS_PER_OCCUPATION = 4
WRITERS = {JZ: ["车工", "焊工"], HC: ["化工总控工"]}

APPROVED_REASON = (
    "炼化一体化项目投产，仪表维修岗位增加，需开展仪器仪表维修工等级认定；电工四级需求已由集团统一安排。"
)
PENDING_REASON = "新建数控加工和管道焊接产线，需开展铣工和气焊工（三级）等级认定；机修钳工三级岗位已合并。"


@dataclass
class SeedReport:
    lines: list[str]

    @property
    def skipped(self) -> bool:
        return any(line.startswith("跳过") for line in self.lines)


def seed_filings(*, today: date | None = None) -> SeedReport:
    today = today or timezone.localdate()
    if not Standard.objects.filter(kind=StandardKind.NATIONAL).exists():
        return SeedReport(
            ["跳过：职业目录为空。请先运行 skillcert load-catalogue，再运行 skillcert seed-filings。"]
        )
    jz = Organisation.objects.filter(name=JZ).first()
    hc = Organisation.objects.filter(name=HC).first()
    if jz is None or hc is None:
        return SeedReport(["跳过：演示企业不存在。请先运行 skillcert seed-demo。"])
    lines: list[str] = []
    with transaction.atomic():
        for ent, (code, filed_on), scope in ((jz, JZ_FILING, JZ_SCOPE), (hc, HC_FILING, HC_SCOPE)):
            lines.append(_file(ent, code, filed_on, scope))
            _sites(ent)
            _pool(ent, today)
        lines.append(_approved(hc, today))
        lines.append(_pending(jz, today))
    return SeedReport(lines)


def _occupation(name: str) -> Occupation:
    return Occupation.objects.get(tier=4, name=name)


def _entries(scope: Scope) -> list[ScopeEntry]:
    entries = []
    for occ_name, job_name, levels in scope:
        occ = _occupation(occ_name)
        job = JobType.objects.get(occupation=occ, name=job_name) if job_name else None
        entries += [ScopeEntry(occupation=occ, job_type=job, level=level) for level in levels]
    return entries


def _file(ent: Organisation, code: str, filed_on: date, scope: Scope) -> str:
    if Filing.objects.filter(enterprise=ent).exists():
        return f"{ent.name}：已备案，未改动"
    filing_create(actor=None, enterprise=ent, code=code, filed_on=filed_on, items=_entries(scope))
    return f"{ent.name}：已备案（{code}），认定范围 {ScopeItem.objects.filter(enterprise=ent).count()} 项"


SITE_HEADS = ("刘建国 副主任", "孙志强 主任", "王海燕 主任")


def _sites(ent: Organisation) -> None:
    for name, address, equipment in SITES[ent.name]:
        site = Site.objects.filter(enterprise=ent, name=name).first() or resources.site_create(
            actor=None,
            enterprise=ent,
            name=name,
            address=address,
            head_name=SITE_HEADS[Site.objects.filter(enterprise=ent).count() % len(SITE_HEADS)],
            head_phone="0531-8888" + f"{1200 + Site.objects.filter(enterprise=ent).count()}",
        )
        for eq_name, model, count, occupations in equipment:
            if site.equipment.filter(name=eq_name).exists():
                continue
            resources.equipment_create(
                actor=None,
                site=site,
                name=eq_name,
                model=model,
                count=count,
                occupations=[_occupation(o) for o in occupations],
            )


def _by_post(ent: Organisation, post: str) -> list[Person]:
    rows = (
        Employee.objects.filter(enterprise=ent, post=post, is_active=True)
        .select_related("person")
        .order_by("hired_on", "employee_no")
    )
    return [e.person for e in rows]


def _member(
    ent: Organisation, person: Person, role: str, occupation: Occupation | None, **fields: object
) -> None:
    if PoolMember.objects.filter(enterprise=ent, person=person, role=role, occupation=occupation).exists():
        return
    resources.pool_member_create(
        actor=None,
        enterprise=ent,
        person=person,
        role=role,
        occupation=occupation,
        **fields,  # type: ignore[arg-type]
    )


def _pool(ent: Organisation, today: date) -> None:
    prefix = "JZ" if ent.name == JZ else "HC"
    chosen: list[Person] = []
    for occ_name in ASSESSORS[ent.name]:
        occupation = _occupation(occ_name)
        people = [p for p in _by_post(ent, occ_name) if p not in chosen][:ASSESSORS_PER_OCCUPATION]
        for i, person in enumerate(people):
            _member(
                ent,
                person,
                PoolRole.ASSESSOR,
                occupation,
                max_level=(1, 2, 3, 3)[i],
                certificate_no=f"{prefix}KP{occupation.code.replace('-', '')}{i + 1:02d}",
                # One certificate per enterprise has lapsed, to show that it no longer counts.
                valid_until=today - timedelta(days=40)
                if (i == 3 and occ_name == "电工")
                else date(today.year + 2, 12, 31),
            )
            chosen.append(person)
    for occ_name in WRITERS[ent.name]:
        occupation = _occupation(occ_name)
        for person in _by_post(ent, occ_name)[ASSESSORS_PER_OCCUPATION : ASSESSORS_PER_OCCUPATION + 1]:
            _member(ent, person, PoolRole.ITEM_WRITER, occupation, max_level=2)
    quality = _by_post(ent, "质检员") or _by_post(ent, "化学检验员")
    for person in quality[-2:]:
        _member(ent, person, PoolRole.SUPERVISOR, None)
    # Declared relationships among the assessors, for recusal later.
    if len(chosen) >= 4 and not Relationship.objects.filter(enterprise=ent).exists():
        resources.relationship_create(actor=None, enterprise=ent, a=chosen[0], b=chosen[1], kind="same_team")
        resources.relationship_create(
            actor=None, enterprise=ent, a=chosen[2], b=chosen[-1], kind="relative", note="夫妻"
        )
        resources.relationship_create(actor=None, enterprise=ent, a=chosen[0], b=chosen[3], kind="superior")


def _actor(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _parent_filing_pdf(ent: Organisation, number: str) -> bytes:
    return core_documents.render_pdf(
        "filings/documents/demo_parent_filing.html", {"enterprise": ent, "number": number}
    )


def _approved(hc: Organisation, today: date) -> str:
    """海川石化 (a central-enterprise subsidiary): added 仪器仪表维修工, removed 电工四级, approved last June."""
    if ScopeAdjustment.objects.filter(enterprise=hc, reason=APPROVED_REASON).exists():
        return f"{hc.name}：已有已批准的调整申请，未改动"
    owner, reviewer = _actor("hc_admin"), _actor("sd_review")
    submitted = date(today.year if today.month > 6 else today.year - 1, 6, 12)
    effective = submitted.replace(month=7, day=15)
    adj = adj_services.adjustment_create(actor=owner, enterprise=hc, reason=APPROVED_REASON)
    instrument = _occupation("仪器仪表维修工")
    for level in (5, 4, 3):
        adj_services.adjustment_addition_create(
            actor=owner, adjustment=adj, occupation=instrument, job_type=None, level=level
        )
    electrician4 = ScopeItem.objects.get(
        enterprise=hc, occupation__name="电工", level=4, valid_to__isnull=True
    )
    adj_services.adjustment_removal_create(actor=owner, adjustment=adj, scope_item=electrician4)
    number = f"中海川人函〔{submitted.year}〕21号"
    adj_services.adjustment_parent_filing_attach(
        actor=owner,
        adjustment=adj,
        number=number,
        data=_parent_filing_pdf(hc, number),
        filename="集团调整评价范围备案函.pdf",
        content_type="application/pdf",
    )
    adj = adj_services.adjustment_submit(actor=owner, adjustment=adj, today=submitted)
    adj = adj_services.adjustment_forward(actor=reviewer, adjustment=adj)
    adj = adj_services.adjustment_approve(
        actor=reviewer,
        adjustment=adj,
        document_no=f"人社鉴函〔{submitted.year}〕58号",
        effective_on=effective,
        note="同意增加仪器仪表维修工五级至三级，减少电工四级。",
    )
    # The services stamp "now"; the demo places this case in last June's collection window.
    tz = timezone.get_current_timezone()
    ScopeAdjustment.objects.filter(pk=adj.pk).update(
        created_at=datetime.combine(submitted - timedelta(days=3), time(9, 30), tz),
        submitted_at=datetime.combine(submitted, time(15, 12), tz),
        forwarded_at=datetime.combine(submitted + timedelta(days=8), time(10, 5), tz),
        decided_at=datetime.combine(effective - timedelta(days=5), time(16, 40), tz),
    )
    return f"{hc.name}：调整申请 {adj.number} 已批准，自 {effective} 起生效"


def _pending(jz: Organisation, today: date) -> str:
    """济南重机: adds 铣工 四级、三级 and 气焊工 三级, removes 机修钳工 三级; submitted, awaiting review."""
    if ScopeAdjustment.objects.filter(enterprise=jz, reason=PENDING_REASON).exists():
        return f"{jz.name}：已有待审核的调整申请，未改动"
    owner = _actor("jz_admin")
    adj = adj_services.adjustment_create(actor=owner, enterprise=jz, reason=PENDING_REASON)
    milling = _occupation("铣工")
    for level in (4, 3):
        adj_services.adjustment_addition_create(
            actor=owner, adjustment=adj, occupation=milling, job_type=None, level=level
        )
    welder = _occupation("焊工")
    adj_services.adjustment_addition_create(
        actor=owner,
        adjustment=adj,
        occupation=welder,
        job_type=JobType.objects.get(occupation=welder, name="气焊工"),
        level=3,
    )
    fitter3 = ScopeItem.objects.get(
        enterprise=jz, occupation__name="机修钳工", level=3, valid_to__isnull=True
    )
    adj_services.adjustment_removal_create(actor=owner, adjustment=adj, scope_item=fitter3)
    adj = adj_services.adjustment_submit(actor=owner, adjustment=adj, today=today)
    assert adj.status == AdjustmentStatus.SUBMITTED
    warning = "（非集中申报期提交）" if adj.outside_window else ""
    return f"{jz.name}：调整申请 {adj.number} 已提交{jz.authority}，待审核{warning}"


def scope_summary(ent: Organisation, on: date) -> str:
    items = selectors.scope_in_force(enterprise=ent, on=on)
    return "、".join(f"{i.label()}{i.get_level_display()}" for i in items)
