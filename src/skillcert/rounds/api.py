"""The rounds API router (mounted at /api/v1/rounds/): rounds and their announcements, read-only.

Reads follow the selectors' tenancy: enterprise staff see their enterprise's rounds, an authority its
jurisdiction's, a worker the published rounds of their own enterprise; missing and forbidden both
answer 404.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from skillcert.catalog import ruletext
from skillcert.core import access
from skillcert.core.api import ERRORS, Id, Pagination, principal
from skillcert.core.errors import RuleViolation
from skillcert.filings import selectors as filing_selectors
from skillcert.rounds import announcement, dashboard, selectors
from skillcert.rounds import services_plans as sp
from skillcert.rounds.models import Round, RoundOffering, RoundStatus
from skillcert.rounds.plans import (
    AssessmentPlan,
    CertificationPlan,
    CertificationPlanStatus,
    EvaluationMethod,
    PlanMethod,
)

router = Router(tags=["认定批次"])


# --- schemas -------------------------------------------------------------------------------------


class ConditionOut(Schema):
    number: int = Field(..., description="条件序号（该等级的第几条，具备其一即可）")
    text: str = Field(..., description="条件的中文表述")
    exceptional: bool = Field(..., description="是否破格申报条件")


class OfferingOut(Schema):
    id: int = Field(..., description="认定职业（工种）等级编号；报名时引用")
    occupation_id: int = Field(..., description="职业编号")
    occupation_code: str = Field(..., description="职业编码（如 6-18-01-01）")
    occupation_name: str = Field(..., description="职业名称")
    job_type_id: int | None = Field(None, description="工种编号；为空表示整个职业")
    job_type_name: str = Field("", description="工种名称")
    level: int = Field(..., description="等级：5 五级/初级工 … 1 一级/高级技师")
    level_label: str = Field(..., description="等级名称")
    standard_id: int = Field(..., description="评价依据（国家职业技能标准或企业评价规范）编号")
    standard_title: str = Field(..., description="评价依据名称")
    standard_kind: Literal["national", "specification"] = Field(
        ..., description="national 国家职业技能标准，specification 企业评价规范"
    )
    quota: int | None = Field(None, description="计划人数；为空表示不限")
    conditions: list[ConditionOut] = Field(
        ..., description="该等级的申报条件（依评价依据的规则集），具备其一即可申报"
    )

    @staticmethod
    def resolve_occupation_code(obj: RoundOffering) -> str:
        return obj.occupation.code

    @staticmethod
    def resolve_occupation_name(obj: RoundOffering) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_job_type_name(obj: RoundOffering) -> str:
        return obj.job_type.name if obj.job_type else ""

    @staticmethod
    def resolve_level_label(obj: RoundOffering) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_standard_title(obj: RoundOffering) -> str:
        return str(obj.standard)

    @staticmethod
    def resolve_standard_kind(obj: RoundOffering) -> str:
        return obj.standard.kind

    @staticmethod
    def resolve_conditions(obj: RoundOffering) -> list[dict[str, object]]:
        rule_set = obj.standard.rule_set
        if rule_set is None:
            return []
        return [
            {"number": c.number, "text": c.sentence, "exceptional": c.exceptional}
            for c in ruletext.conditions(rule_set).get(obj.level, [])
        ]


class RoundOut(Schema):
    id: int = Field(..., description="批次编号")
    enterprise_id: int = Field(..., description="企业编号")
    enterprise_name: str = Field(..., description="企业名称")
    name: str = Field(..., description="批次名称，如“2027年第1批”")
    title: str = Field(..., description="公告标题")
    year: int = Field(..., description="年度")
    status: RoundStatus = Field(..., description="状态：draft 草稿，published 已发布，cancelled 已取消")
    registration_opens: date = Field(..., description="报名开始日期")
    registration_closes: date = Field(..., description="报名截止日期（含当日）")
    registration_open: bool = Field(..., description="今天是否在报名期内（已发布且在报名起止日期之间）")
    reference_on: date = Field(
        ..., description="条件核算截止日期：计算工作年限等申报条件的基准日；未另行规定时为报名截止日期"
    )
    evaluation_starts: date = Field(..., description="评价开始日期")
    evaluation_ends: date = Field(..., description="评价结束日期")
    published_at: datetime | None = Field(None, description="发布时间（ISO 8601）；草稿为空")

    @staticmethod
    def resolve_enterprise_name(obj: Round) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_title(obj: Round) -> str:
        return announcement.title_of(obj)

    @staticmethod
    def resolve_registration_open(obj: Round) -> bool:
        return obj.registration_open_on(timezone.localdate())

    @staticmethod
    def resolve_reference_on(obj: Round) -> date:
        return obj.reference_on


class RoundDetailOut(RoundOut):
    schedule_note: str = Field(..., description="时间安排（各环节时间，每行一项）")
    content_methods: str = Field(..., description="评价内容和方式")
    registration_method: str = Field(..., description="报名方式")
    contact_name: str = Field(..., description="联系人")
    contact_phone: str = Field(..., description="联系电话")
    reference_note: str = Field(..., description="条件核算截止日期的说明（公告原文）")
    offerings: list[OfferingOut] = Field(..., description="认定职业（工种）及等级，每项附申报条件")

    @staticmethod
    def resolve_reference_note(obj: Round) -> str:
        return announcement.reference_note(obj)

    @staticmethod
    def resolve_offerings(obj: Round) -> list[RoundOffering]:
        return list(getattr(obj, "api_offerings", []))


class RoundFilters(Schema):
    status: RoundStatus | None = Field(None, description="按状态筛选：draft、published、cancelled")
    year: int | None = Field(None, ge=2000, le=2100, description="按年度筛选")
    open_on: date | None = Field(None, description="只列出该日在报名期内的已发布批次（YYYY-MM-DD）")


# --- endpoints -----------------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[RoundOut], **ERRORS},
    summary="认定批次列表",
    description="企业用户看到本企业的批次（含草稿），人社部门看到辖区内企业的批次，职工只看到本企业已发布的批次；"
    "按年度、报名开始日期倒序，分页，每页最多 200 条。",
)
@paginate(Pagination)
def round_list(request: HttpRequest, filters: Query[RoundFilters]) -> QuerySet[Round]:
    qs = selectors.round_list(user=principal(request))
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.open_on is not None:
        qs = qs.filter(
            status=RoundStatus.PUBLISHED,
            registration_opens__lte=filters.open_on,
            registration_closes__gte=filters.open_on,
        )
    return qs.order_by("-year", "-registration_opens", "-pk")


@router.get(
    "/{id}",
    response={200: RoundDetailOut, **ERRORS},
    summary="认定批次及公告",
    description="批次的公告内容（R2.1）：时间安排，认定职业（工种）及等级，评价内容和方式，各等级申报条件（中文表述），"
    "报名时间和方式，联系方式。不存在或无权查看的批次一律返回 404。",
)
def round_detail(request: HttpRequest, id: Id) -> Round:
    user = principal(request)
    rnd = selectors.access_round(user=user, pk=id)
    # The offerings as the user may read them, kept on the instance for the schema's resolvers.
    rnd.api_offerings = list(selectors.offering_list(user=user, round=rnd))  # type: ignore[attr-defined]
    return rnd


# --- the assessment plan and the certification plan (R4, R5) -------------------------------------


class PlanMethodOut(Schema):
    offering_id: int = Field(..., description="认定职业（工种）等级编号")
    offering: str = Field(..., description="认定职业（工种）及等级的名称")
    method: EvaluationMethod | None = Field(
        None,
        description="评价方式：examination 考核鉴定，combined 考评结合，continuous 过程化考核，direct 直接认定；"
        "为空表示尚未填写",
    )
    method_label: str = Field("", description="评价方式的中文名称")


class CertificationOut(Schema):
    id: int = Field(..., description="认定计划编号")
    status: CertificationPlanStatus = Field(
        ..., description="状态：draft 草稿，submitted 待确认，returned 退回修改，confirmed 已确认"
    )
    status_label: str = Field(..., description="状态的中文名称")
    first_day: date | None = Field(None, description="首场评价日期（提交时记录）")
    candidate_count: int = Field(..., description="符合条件人数（提交时的审核通过申报数）")
    pledge_uploaded: bool = Field(..., description="是否已上传盖章的审核承诺书扫描件")
    submitted_at: datetime | None = Field(None, description="提交时间（ISO 8601）")
    decided_at: datetime | None = Field(None, description="确认或退回时间（ISO 8601）")
    return_reasons: str = Field("", description="退回原因（退回修改时）")
    amendment_count: int = Field(..., description="确认后的变更记录数")


class PlanSummaryOut(Schema):
    round_id: int = Field(..., description="批次编号")
    round_name: str = Field(..., description="批次名称")
    enterprise_id: int = Field(..., description="企业编号")
    enterprise_name: str = Field(..., description="企业名称")
    assessment_plan: bool = Field(..., description="是否已填写考核方案（附件2）")
    contact_name: str = Field("", description="考核方案的联系人")
    contact_phone: str = Field("", description="考核方案的联系电话")
    sites: list[str] = Field(..., description="评价地点，每项一个")
    staff_exam: int = Field(0, description="考务人员人数")
    staff_assessors: int = Field(0, description="考评人员人数")
    staff_supervisors: int = Field(0, description="质量督导员人数")
    methods: list[PlanMethodOut] = Field(..., description="各认定职业（工种）等级的评价方式（第四部分）")
    problems: list[str] = Field(..., description="尚不能提交的原因（中文）；为空表示考核方案已完整")
    submission_deadline: date | None = Field(
        None, description="按首场评价日期倒推10个工作日的最晚提交日期（R5.1）；工作日历缺失时为空"
    )
    certification_plan: CertificationOut | None = Field(
        None, description="认定计划及其确认状态；尚未创建时为空"
    )


class PendingPlanOut(Schema):
    id: int = Field(..., description="认定计划编号")
    round_id: int = Field(..., description="批次编号")
    round_name: str = Field(..., description="批次名称")
    enterprise_id: int = Field(..., description="企业编号")
    enterprise_name: str = Field(..., description="企业名称")
    first_day: date | None = Field(None, description="首场评价日期")
    candidate_count: int = Field(..., description="符合条件人数")
    submitted_at: datetime | None = Field(None, description="提交时间（ISO 8601）")


def _certification_out(cert: CertificationPlan) -> CertificationOut:
    return CertificationOut(
        id=cert.pk,
        status=CertificationPlanStatus(cert.status),
        status_label=str(cert.get_status_display()),
        first_day=cert.first_day,
        candidate_count=cert.candidate_count,
        pledge_uploaded=bool(cert.pledge_scan),
        submitted_at=cert.submitted_at,
        decided_at=cert.decided_at,
        return_reasons=cert.return_reasons,
        amendment_count=cert.amendments.count(),
    )


def _pending_out(cert: CertificationPlan) -> PendingPlanOut:
    return PendingPlanOut(
        id=cert.pk,
        round_id=cert.round_id,
        round_name=cert.round.name,
        enterprise_id=cert.round.enterprise_id,
        enterprise_name=cert.round.enterprise.name,
        first_day=cert.first_day,
        candidate_count=cert.candidate_count,
        submitted_at=cert.submitted_at,
    )


@router.get(
    "/plans/pending",
    response={200: list[PendingPlanOut], **ERRORS},
    summary="待确认的认定计划",
    description="人社部门辖区内已提交、等待确认的认定计划（R5.2），按提交时间先后排列，分页，每页最多 200 条；"
    "非人社部门用户返回 404。",
)
@paginate(Pagination)
def plans_pending(request: HttpRequest) -> list[PendingPlanOut]:
    user = principal(request)
    if not access.is_authority_staff(user):
        raise Http404
    return [_pending_out(c) for c in dashboard.pending_plans(user=user)]


@router.get(
    "/{id}/plan",
    response={200: PlanSummaryOut, **ERRORS},
    summary="考核方案与认定计划状态",
    description="批次的考核方案摘要（R4）和认定计划的确认状态（R5）。本企业管理员和考务人员、辖区人社部门可查看；"
    "不存在或无权查看的批次一律返回 404。",
)
def plan_summary(request: HttpRequest, id: Id) -> PlanSummaryOut:
    user = principal(request)
    rnd = selectors.access_round(user=user, pk=id)
    if not (
        selectors.can_manage_round(user=user, round=rnd)
        or filing_selectors.can_review(user=user, enterprise=rnd.enterprise)
    ):
        raise Http404
    plan = AssessmentPlan.objects.filter(round=rnd).first()
    rows = {m.offering_id: m for m in PlanMethod.objects.filter(offering__round=rnd)}
    methods = []
    for o in selectors.offering_list(user=user, round=rnd):
        row = rows.get(o.pk)
        methods.append(
            PlanMethodOut(
                offering_id=o.pk,
                offering=str(o),
                method=EvaluationMethod(row.method) if row else None,
                method_label=str(row.get_method_display()) if row else "",
            )
        )
    try:
        deadline: date | None = sp.submission_deadline(sp.first_session_day(rnd))
    except RuleViolation:
        deadline = None
    cert = CertificationPlan.objects.filter(round=rnd).first()
    return PlanSummaryOut(
        round_id=rnd.pk,
        round_name=rnd.name,
        enterprise_id=rnd.enterprise_id,
        enterprise_name=rnd.enterprise.name,
        assessment_plan=plan is not None,
        contact_name=plan.contact_name if plan else "",
        contact_phone=plan.contact_phone if plan else "",
        sites=[line.strip() for line in plan.sites.splitlines() if line.strip()] if plan else [],
        staff_exam=plan.staff_exam if plan else 0,
        staff_assessors=plan.staff_assessors if plan else 0,
        staff_supervisors=plan.staff_supervisors if plan else 0,
        methods=methods,
        problems=[str(p) for p in sp.plan_problems(round=rnd)],
        submission_deadline=deadline,
        certification_plan=_certification_out(cert) if cert else None,
    )
