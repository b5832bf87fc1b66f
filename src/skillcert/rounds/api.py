"""The rounds API router (mounted at /api/v1/rounds/): rounds and their announcements, read-only.

Reads follow the selectors' tenancy: enterprise staff see their enterprise's rounds, an authority its
jurisdiction's, a worker the published rounds of their own enterprise; missing and forbidden both
answer 404.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from skillcert.catalog import ruletext
from skillcert.core.api import ERRORS, Id, Pagination, principal
from skillcert.rounds import announcement, selectors
from skillcert.rounds.models import Round, RoundOffering, RoundStatus

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
