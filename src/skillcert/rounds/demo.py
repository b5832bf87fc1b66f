"""Idempotent demo rounds: for each demo enterprise with a scope, an open published round and a draft.

Run after ``load-catalogue``, ``seed-demo`` and ``seed-filings``. Every write goes through the
services, so the rules (scope R1.5, completeness R2.1) and the audit ledger apply to the demo too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import transaction

from skillcert.core.models import Organisation, OrgKind, User
from skillcert.core.models.accounts import Role
from skillcert.filings import selectors as filing_selectors
from skillcert.filings.models import ScopeItem
from skillcert.rounds import services
from skillcert.rounds.models import Round
from skillcert.rounds.services import RoundData

MAX_OFFERINGS = 6

SCHEDULE = (
    "{reg}：职工在线报名，所在部门签署意见；\n"
    "报名截止后5个工作日内：人力资源部完成资格审核，审核结果在平台公布；\n"
    "{theory}：理论知识考试（机考）；\n"
    "{skill}：操作技能考核；技师、高级技师另行安排综合评审；\n"
    "评价结束后10个工作日内：公示评价结果，公示期5个工作日。"
)
CONTENT_METHODS = (
    "评价依据国家职业技能标准（或经备案的企业评价规范），采取理论知识考试、操作技能考核和综合评审相结合的方式进行。\n"
    "理论知识考试采用闭卷机考方式，主要考核从业人员应掌握的基本要求和相关知识要求；"
    "操作技能考核采用现场实际操作方式，主要考核从业人员应具备的技能水平；"
    "技师、高级技师还须进行综合评审，主要审核工作业绩、技术革新成果，并进行论文答辩。\n"
    "理论知识考试、操作技能考核和综合评审均实行百分制，成绩皆达60分（含）以上者为合格。"
)
REGISTRATION_METHOD = (
    "本人登录“企业技能人才自主评价平台”，在工作台打开本公告，在线填写《职业技能等级认定申报表》，"
    "上传身份证、学历证书和已取得的职业资格（技能等级）证书扫描件，签署个人承诺后提交；\n"
    "所在部门核实工作年限和岗位，签署单位意见；人数较多的部门可由人力资源部按模板批量导入。"
)


@dataclass
class SeedReport:
    lines: list[str]


def _actor(enterprise: Organisation) -> User | None:
    return (
        User.objects.filter(
            organisation=enterprise, role_assignments__role=Role.ENTERPRISE_ADMIN, is_active=True
        )
        .order_by("pk")
        .first()
    )


def _evaluation_start(closes: date) -> date:
    """The 16th of the month after registration closes: the second half of that month."""
    year, month = (closes.year + 1, 1) if closes.month == 12 else (closes.year, closes.month + 1)
    return date(year, month, 16)


def _pick(items: list[ScopeItem]) -> list[ScopeItem]:
    """Up to six items: 四级 and 三级 of each occupation (job type) in scope, in catalogue order."""
    groups: dict[tuple[int, int | None], dict[int, ScopeItem]] = {}
    for item in sorted(items, key=lambda i: (i.occupation.code, i.job_type_id or 0)):
        groups.setdefault((item.occupation_id, item.job_type_id), {})[item.level] = item
    chosen: list[ScopeItem] = []
    for levels in groups.values():
        picked = [levels[lv] for lv in (4, 3) if lv in levels] or [levels[max(levels)]]
        chosen.extend(picked[: MAX_OFFERINGS - len(chosen)])
        if len(chosen) >= MAX_OFFERINGS:
            break
    return chosen


def _data(
    enterprise: Organisation, name: str, opens: date, closes: date, starts: date, ends: date
) -> RoundData:
    def d(x: date) -> str:
        return f"{x.month}月{x.day}日"

    theory = starts + timedelta(days=(5 - starts.weekday()) % 7)  # the first Saturday
    schedule = SCHEDULE.format(
        reg=f"{d(opens)}至{d(closes)}",
        theory=d(theory),
        skill=f"{d(theory + timedelta(days=1))}至{d(ends)}",
    )
    return RoundData(
        name=name,
        year=opens.year,
        registration_opens=opens,
        registration_closes=closes,
        evaluation_starts=starts,
        evaluation_ends=ends,
        reference_date=closes,
        schedule_note=schedule,
        content_methods=CONTENT_METHODS,
        registration_method=REGISTRATION_METHOD,
        contact_name=enterprise.contact_name or "人力资源部 王老师",
        contact_phone=enterprise.contact_phone or "0531-88880000",
    )


def _offer(actor: User | None, rnd: Round, items: list[ScopeItem], limit: int = MAX_OFFERINGS) -> None:
    for item in _pick(items)[:limit]:
        services.offering_add(
            actor=actor,
            round=rnd,
            occupation=item.occupation,
            job_type=item.job_type,
            level=item.level,
            standard=item.standard,
            quota=20 if item.level >= 4 else 10,
        )


def seed_rounds(today: date) -> SeedReport:
    """For each enterprise with a scope: "<year>年第2批" open today (published), and next year's first round (draft)."""
    lines: list[str] = []
    enterprises = Organisation.objects.filter(kind=OrgKind.ENTERPRISE, scope_items__isnull=False).distinct()
    if not enterprises.exists():
        return SeedReport(
            ["跳过：没有已备案并有认定范围的企业。请先运行 load-catalogue、seed-demo 和 seed-filings。"]
        )
    opens = today - timedelta(days=4)
    closes = today + timedelta(days=21)
    starts = _evaluation_start(closes)
    ends = starts + timedelta(days=12)
    for ent in enterprises.order_by("name"):
        actor = _actor(ent)
        items = list(filing_selectors.scope_in_force(enterprise=ent, on=starts))
        if not items:
            lines.append(f"{ent.name}：{starts} 无有效认定范围，未建批次")
            continue
        name = f"{opens.year}年第2批"
        with transaction.atomic():
            rnd = Round.objects.filter(enterprise=ent, name=name).first()
            if rnd is None:
                rnd = services.round_create(
                    actor=actor, enterprise=ent, data=_data(ent, name, opens, closes, starts, ends)
                )
                _offer(actor, rnd, items)
                rnd = services.round_publish(actor=actor, round=rnd, today=today)
                lines.append(
                    f"{ent.name}：已发布“{rnd.name}”，报名 {opens} 至 {closes}，评价 {starts} 至 {ends}，"
                    f"{rnd.offerings.count()} 个职业（工种）等级"
                )
            else:
                lines.append(f"{ent.name}：已有“{rnd.name}”（{rnd.get_status_display()}），未改动")

            draft_name = f"{opens.year + 1}年第1批"
            if not Round.objects.filter(enterprise=ent, name=draft_name).exists():
                d_opens = date(opens.year + 1, 4, 1)
                d_closes = date(opens.year + 1, 4, 30)
                d_starts = date(opens.year + 1, 5, 18)
                draft_items = list(filing_selectors.scope_in_force(enterprise=ent, on=d_starts))
                data = _data(ent, draft_name, d_opens, d_closes, d_starts, d_starts + timedelta(days=10))
                # Left incomplete on purpose: the publish check names what is missing.
                data = replace(data, content_methods="", schedule_note="")
                draft = services.round_create(actor=actor, enterprise=ent, data=data)
                if draft_items:
                    _offer(actor, draft, draft_items, limit=2)
                lines.append(f"{ent.name}：已建草稿“{draft.name}”")
            else:
                lines.append(f"{ent.name}：已有“{draft_name}”，未改动")
    return SeedReport(lines)
