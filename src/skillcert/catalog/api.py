"""The catalog API router (mounted at /api/v1/catalog/): read-only occupations, standards and rule sets.

Scoped like the pages: every staff account reads the national catalogue; an enterprise's
evaluation specifications and rule sets are seen by that enterprise and the authorities over it.
"""

from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from skillcert.catalog import ruletext, selectors
from skillcert.catalog.models import (
    EligibilityRuleSet,
    JobType,
    ModuleKind,
    Occupation,
    Standard,
    StandardKind,
    StandardModule,
)
from skillcert.core.api import ERRORS, MAX_ID, Id, Pagination, Text, principal

router = Router(tags=["职业目录与标准"])

LEVELS_TEXT = "等级：5 五级/初级工，4 四级/中级工，3 三级/高级工，2 二级/技师，1 一级/高级技师"


# --- schemas -------------------------------------------------------------------------------------


class OccupationOut(Schema):
    id: int = Field(..., description="职业编号（本系统内）")
    code: str = Field(..., description="职业分类编码，如 6-18-02-04")
    name: str = Field(..., description="名称")
    tier: Literal[1, 2, 3, 4] = Field(..., description="层级：1 大类，2 中类，3 小类，4 职业")
    parent_id: int | None = Field(None, description="上级编号；大类为空")
    parent_code: str = Field("", description="上级编码；大类为空")
    gbm: str = Field("", description="GB/T 6565 代码（大类至小类）")
    edition: str = Field(..., description="职业分类大典版本，如 2022")

    @staticmethod
    def resolve_parent_code(obj: Occupation) -> str:
        return obj.parent.code if obj.parent is not None else ""


class JobTypeOut(Schema):
    id: int = Field(..., description="工种编号")
    name: str = Field(..., description="工种名称")
    code: str = Field("", description="工种编码，可空")
    levels: list[int] = Field(..., description=f"设有的等级。{LEVELS_TEXT}")


class StandardBrief(Schema):
    id: int = Field(..., description="标准编号（本系统内）")
    title: str = Field(..., description="名称")
    kind: StandardKind = Field(..., description="类型：national 国家职业技能标准，specification 企业评价规范")
    edition_year: int = Field(..., description="版本年份")


class OccupationDetailOut(OccupationOut):
    path: list[OccupationOut] = Field(..., description="从大类到本节点的分类路径")
    job_types: list[JobTypeOut] = Field(..., description="工种及其等级（仅职业层有）")
    standards: list[StandardBrief] = Field(..., description="当前用户可见的标准与评价规范")

    @staticmethod
    def resolve_path(obj: Occupation) -> list[Occupation]:
        return selectors.occupation_chain(obj)

    @staticmethod
    def resolve_job_types(obj: Occupation) -> list[JobType]:
        return list(obj.job_types.order_by("pk"))

    @staticmethod
    def resolve_standards(obj: Occupation, context: dict[str, Any]) -> list[Standard]:
        user = principal(context["request"])
        return list(selectors.standard_list(user=user).filter(occupation=obj))


class OccupationFilters(Schema):
    q: Text | None = Field(None, max_length=60, description="按编码前缀或名称（包含）查找")
    tier: int | None = Field(None, ge=1, le=4, description="按层级筛选：1 大类，2 中类，3 小类，4 职业")
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="按上级编号筛选（直接下级）")


class ModuleOut(Schema):
    level: int = Field(..., description=LEVELS_TEXT)
    kind: ModuleKind = Field(
        ..., description="模块：theory 理论知识考试，practical 操作技能考核，review 综合评审"
    )
    full_marks: int = Field(..., description="满分")
    pass_mark: int = Field(..., description="合格分")
    duration_minutes: int = Field(..., description="时长（分钟）")


class StaffingOut(Schema):
    proctor_ratio: int = Field(..., description="考生与监考人员比例 1:N 中的 N")
    proctor_min: int = Field(..., description="每考场最少监考人数（R6.3，至少 2）")
    assessor_ratio: int = Field(..., description="考生与考评人员比例 1:N 中的 N")
    assessor_min: int = Field(..., description="每考评组最少考评员（R6.4，不少于 3 的奇数）")
    review_panel_min: int = Field(..., description="综合评审组最少人数（R6.4，不少于 3 的奇数）")


class StandardOut(Schema):
    id: int = Field(..., description="标准编号（本系统内）")
    kind: StandardKind = Field(..., description="类型：national 国家职业技能标准，specification 企业评价规范")
    title: str = Field(..., description="名称")
    code: str = Field("", description="标准编号，可空")
    edition_year: int = Field(..., description="版本年份")
    issued_by: str = Field("", description="发布单位")
    occupation_id: int = Field(..., description="职业编号")
    occupation_code: str = Field(..., description="职业编码")
    occupation_name: str = Field(..., description="职业名称")
    enterprise_id: int | None = Field(None, description="制定企业编号；国家标准为空")
    levels: list[int] = Field(..., description=f"覆盖等级。{LEVELS_TEXT}")
    rule_set_id: int | None = Field(None, description="申报条件规则集编号，可空")
    is_active: bool = Field(..., description="是否现行有效")

    @staticmethod
    def resolve_occupation_code(obj: Standard) -> str:
        return obj.occupation.code

    @staticmethod
    def resolve_occupation_name(obj: Standard) -> str:
        return obj.occupation.name


class StandardDetailOut(StandardOut):
    job_types: list[JobTypeOut] = Field(..., description="覆盖的工种；为空表示该职业全部工种")
    modules: list[ModuleOut] = Field(..., description="各等级的考核模块")
    staffing: StaffingOut = Field(..., description="考务与考评人员配备")

    @staticmethod
    def resolve_job_types(obj: Standard) -> list[JobType]:
        return list(obj.job_types.order_by("pk"))

    @staticmethod
    def resolve_modules(obj: Standard) -> list[StandardModule]:
        return list(obj.modules.all())

    @staticmethod
    def resolve_staffing(obj: Standard) -> Standard:
        return obj


class StandardFilters(Schema):
    q: Text | None = Field(None, max_length=60, description="按名称、标准编号或职业查找")
    kind: StandardKind | None = Field(None, description="按类型筛选：national 或 specification")
    occupation: int | None = Field(None, ge=1, le=MAX_ID, description="按职业编号筛选")
    active: bool | None = Field(None, description="按是否现行有效筛选")


class RuleSetOut(Schema):
    id: int = Field(..., description="规则集编号")
    name: str = Field(..., description="名称")
    source: str = Field("", description="依据")
    template: str = Field("", description="国家模板年版（2018 或 2023）；自定义规则集为空")
    enterprise_id: int | None = Field(None, description="所属企业编号；国家规则集为空")
    updated_at: str = Field(..., description="更新时间（ISO 8601）")

    @staticmethod
    def resolve_updated_at(obj: EligibilityRuleSet) -> str:
        return obj.updated_at.isoformat()


class LevelConditionsOut(Schema):
    level: int = Field(..., description=LEVELS_TEXT)
    conditions: list[str] = Field(..., description="该等级的申报条件（中文，满足其一即可）")


class RuleSetDetailOut(RuleSetOut):
    rules: dict[str, Any] = Field(
        ..., description="规则 JSON：version、name、source、levels（等级 → conditions → requires）"
    )
    described: list[LevelConditionsOut] = Field(..., description="各等级申报条件的中文表述")

    @staticmethod
    def resolve_rules(obj: EligibilityRuleSet) -> dict[str, Any]:
        return obj.rules if isinstance(obj.rules, dict) else {}

    @staticmethod
    def resolve_described(obj: EligibilityRuleSet) -> list[dict[str, Any]]:
        return [{"level": level, "conditions": items} for level, items in ruletext.describe(obj).items()]


class RuleSetFilters(Schema):
    q: Text | None = Field(None, max_length=60, description="按名称查找（包含）")
    scope: Literal["template", "national", "enterprise"] | None = Field(
        None, description="template 国家模板，national 国家自定义，enterprise 企业规则集"
    )


# --- endpoints -----------------------------------------------------------------------------------


@router.get(
    "/occupations",
    response={200: list[OccupationOut], **ERRORS},
    summary="职业目录",
    description="职业分类大典（大类、中类、小类、职业），可按编码或名称、层级、上级筛选；分页，每页最多 200 条。",
)
@paginate(Pagination)
def occupation_list(request: HttpRequest, filters: Query[OccupationFilters]) -> QuerySet[Occupation]:
    qs = selectors.occupation_list(user=principal(request)).order_by("code")
    if filters.q:
        qs = qs.filter(Q(code__startswith=filters.q) | Q(name__contains=filters.q))
    if filters.tier is not None:
        qs = qs.filter(tier=filters.tier)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    return qs


@router.get(
    "/occupations/{id}",
    response={200: OccupationDetailOut, **ERRORS},
    summary="职业详情",
    description="分类路径、工种与等级、当前用户可见的标准。不存在或无权查看时返回 404。",
)
def occupation_detail(request: HttpRequest, id: Id) -> Occupation:
    return selectors.access_occupation(user=principal(request), pk=id)


@router.get(
    "/standards",
    response={200: list[StandardOut], **ERRORS},
    summary="职业技能标准与评价规范",
    description="国家职业技能标准，及当前用户可见企业的评价规范；分页，每页最多 200 条。",
)
@paginate(Pagination)
def standard_list(request: HttpRequest, filters: Query[StandardFilters]) -> QuerySet[Standard]:
    qs = selectors.standard_list(user=principal(request)).order_by("occupation__code", "-edition_year", "pk")
    if filters.q:
        qs = qs.filter(
            Q(title__contains=filters.q)
            | Q(code__startswith=filters.q)
            | Q(occupation__name__contains=filters.q)
            | Q(occupation__code__startswith=filters.q)
        )
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.occupation is not None:
        qs = qs.filter(occupation_id=filters.occupation)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs


@router.get(
    "/standards/{id}",
    response={200: StandardDetailOut, **ERRORS},
    summary="标准详情",
    description="含覆盖工种、各等级考核模块（满分、合格分、时长）和人员配备比例。不存在或无权查看时返回 404。",
)
def standard_detail(request: HttpRequest, id: Id) -> Standard:
    return selectors.access_standard(user=principal(request), pk=id)


@router.get(
    "/rule-sets",
    response={200: list[RuleSetOut], **ERRORS},
    summary="申报条件规则集",
    description="国家模板与国家规则集，及当前用户可见企业的规则集；分页，每页最多 200 条。",
)
@paginate(Pagination)
def rule_set_list(request: HttpRequest, filters: Query[RuleSetFilters]) -> QuerySet[EligibilityRuleSet]:
    qs = selectors.rule_set_list(user=principal(request)).order_by("-template", "name", "pk")
    if filters.q:
        qs = qs.filter(name__contains=filters.q)
    if filters.scope == "template":
        qs = qs.exclude(template="")
    elif filters.scope == "national":
        qs = qs.filter(template="", enterprise__isnull=True)
    elif filters.scope == "enterprise":
        qs = qs.filter(enterprise__isnull=False)
    return qs


@router.get(
    "/rule-sets/{id}",
    response={200: RuleSetDetailOut, **ERRORS},
    summary="规则集详情",
    description="规则 JSON 及各等级申报条件的中文表述。不存在或无权查看时返回 404。",
)
def rule_set_detail(request: HttpRequest, id: Id) -> EligibilityRuleSet:
    return selectors.access_rule_set(user=principal(request), pk=id)
