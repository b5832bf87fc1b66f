"""The filings API router (mounted at /api/v1/filings/): the scope in force, and scope adjustments.

Reads follow the selectors' tenancy (an enterprise sees itself, an authority its jurisdiction;
missing and forbidden both answer 404). Enterprise writes accept the enterprise administrator's
browser session or one of the enterprise's own API tokens; the authority's writes accept its
staff's session or its token. Refused business rules answer 422 with the rule number.
"""

from datetime import date
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from skillcert.catalog.models import JobType, Occupation, Standard
from skillcert.core import access
from skillcert.core.api import ERRORS, MAX_ID, WRITE_ERRORS, Id, Pagination, Text, principal, request_token
from skillcert.core.errors import RuleViolation
from skillcert.core.models import Organisation, User
from skillcert.filings import selectors
from skillcert.filings.models import AdjustmentItem, AdjustmentStatus, ScopeAdjustment, ScopeItem
from skillcert.filings.services import adjustments as services

router = Router(tags=["备案与评价范围"])

LevelValue = Literal[5, 4, 3, 2, 1]


# --- schemas -------------------------------------------------------------------------------------


class ScopeQuery(Schema):
    enterprise: int = Field(..., ge=1, le=MAX_ID, description="企业编号")
    on: date | None = Field(None, description="查询日期（YYYY-MM-DD），默认今天")


class ScopeItemOut(Schema):
    id: int = Field(..., description="范围条目编号")
    occupation_id: int = Field(..., description="职业编号")
    occupation_code: str = Field(..., description="职业编码（如 6-18-02-04）")
    occupation_name: str = Field(..., description="职业名称")
    job_type_id: int | None = Field(None, description="工种编号；为空表示整个职业")
    job_type_name: str = Field("", description="工种名称")
    level: int = Field(..., description="等级：5 五级/初级工 … 1 一级/高级技师")
    level_label: str = Field(..., description="等级名称")
    standard_id: int = Field(..., description="评价依据（国家职业技能标准或评价规范）编号")
    standard_title: str = Field(..., description="评价依据名称")
    standard_kind: Literal["national", "specification"] = Field(
        ..., description="national 国家职业技能标准，specification 企业评价规范"
    )
    valid_from: date = Field(..., description="生效日期")
    valid_to: date | None = Field(None, description="失效日期（当日起不再有效），为空表示长期有效")

    @staticmethod
    def resolve_occupation_code(obj: ScopeItem) -> str:
        return obj.occupation.code

    @staticmethod
    def resolve_occupation_name(obj: ScopeItem) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_job_type_name(obj: ScopeItem) -> str:
        return obj.job_type.name if obj.job_type else ""

    @staticmethod
    def resolve_level_label(obj: ScopeItem) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_standard_title(obj: ScopeItem) -> str:
        return obj.standard.title

    @staticmethod
    def resolve_standard_kind(obj: ScopeItem) -> str:
        return obj.standard.kind


class ScopeOut(Schema):
    enterprise_id: int = Field(..., description="企业编号")
    on: date = Field(..., description="查询日期")
    filed: bool = Field(..., description="该日是否已备案（R1.1）")
    items: list[ScopeItemOut] = Field(..., description="该日有效的认定范围条目（R1.5 以此为准）")


class AdjustmentItemIn(Schema):
    action: Literal["add", "remove"] = Field(..., description="add 增加，remove 减少")
    occupation_id: int | None = Field(None, ge=1, le=MAX_ID, description="增加时必填：职业编号")
    job_type_id: int | None = Field(None, ge=1, le=MAX_ID, description="增加时可填：工种编号，空表示整个职业")
    level: LevelValue | None = Field(None, description="增加时必填：等级 5–1")
    standard_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="增加时可填：评价依据编号；空则用该职业现行国家标准；无国家标准的职业须填本企业的评价规范",
    )
    scope_item_id: int | None = Field(None, ge=1, le=MAX_ID, description="减少时必填：拟减少的范围条目编号")


class AdjustmentIn(Schema):
    reason: Text = Field("", max_length=2000, description="调整理由（提交前须填写）")
    items: list[AdjustmentItemIn] = Field(
        default_factory=list, max_length=200, description="调整事项，最多 200 项"
    )


class AdjustmentItemOut(Schema):
    id: int = Field(..., description="事项编号")
    action: Literal["add", "remove"] = Field(..., description="add 增加，remove 减少")
    occupation_id: int = Field(..., description="职业编号")
    occupation_name: str = Field(..., description="职业名称")
    job_type_id: int | None = Field(None, description="工种编号")
    level: int = Field(..., description="等级")
    standard_id: int | None = Field(None, description="评价依据编号")
    scope_item_id: int | None = Field(None, description="减少的范围条目编号")

    @staticmethod
    def resolve_occupation_name(obj: AdjustmentItem) -> str:
        return obj.occupation.name


class AdjustmentOut(Schema):
    id: int = Field(..., description="申请编号（数字）")
    number: str = Field(..., description="申请编号（如 TZ-2026-00012）")
    enterprise_id: int = Field(..., description="企业编号")
    authority_id: int = Field(..., description="受理人社部门编号")
    status: AdjustmentStatus = Field(
        ...,
        description="状态：draft 草稿，submitted 已提交待审核，returned 已退回，forwarded 已报人社部，approved 人社部已同意，refused 人社部不同意",
    )
    reason: str = Field(..., description="调整理由")
    submitted_at: str | None = Field(None, description="提交时间（ISO 8601）")
    outside_window: bool = Field(..., description="是否在集中申报期（默认每年6月、12月）以外提交")
    return_reason: str = Field("", description="退回理由")
    ministry_doc_no: str = Field("", description="人社部文号")
    effective_on: date | None = Field(None, description="生效日期（人社部同意时）")
    items: list[AdjustmentItemOut] = Field(..., description="调整事项")

    @staticmethod
    def resolve_submitted_at(obj: ScopeAdjustment) -> str | None:
        return obj.submitted_at.isoformat() if obj.submitted_at else None

    @staticmethod
    def resolve_items(obj: ScopeAdjustment) -> list[AdjustmentItem]:
        return list(selectors.adjustment_items(adjustment=obj))


class AdjustmentFilters(Schema):
    status: AdjustmentStatus | None = Field(None, description="按状态筛选")
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, description="按企业编号筛选")


class ReturnIn(Schema):
    reason: Text = Field(..., min_length=2, max_length=500, description="退回理由")


class DecisionIn(Schema):
    decision: Literal["approved", "refused"] = Field(
        ..., description="approved 人社部同意，refused 人社部不同意"
    )
    document_no: Text = Field(..., min_length=1, max_length=80, description="人社部文号")
    effective_on: date | None = Field(None, description="生效日期；同意时必填，范围自该日起变化")
    note: Text = Field("", max_length=500, description="说明")


# --- helpers -------------------------------------------------------------------------------------


def _enterprise_writer(request: HttpRequest) -> tuple[User, Organisation]:
    """The enterprise the caller may write for: its admin's session, or one of the enterprise's own tokens."""
    user = access.as_user(principal(request))
    org = user.organisation if user is not None else None
    if user is None or org is None or not org.is_enterprise:
        raise Http404
    token = request_token(request)
    if (token is not None and token.organisation_id == org.pk) or (
        token is None and access.is_enterprise_admin(user)
    ):
        return user, org
    raise Http404


def _own_adjustment(request: HttpRequest, pk: int) -> tuple[User, ScopeAdjustment]:
    user, org = _enterprise_writer(request)
    adj = access.get_or_404(selectors.adjustment_list(user=user), pk)
    if adj.enterprise_id != org.pk:
        raise Http404
    return user, adj


def _reviewed_adjustment(request: HttpRequest, pk: int) -> tuple[User, ScopeAdjustment]:
    """An authority's decision is a person's act (D8): tokens read, and only a logged-in reviewer decides."""
    if request_token(request) is not None:
        raise Http404
    user = principal(request)
    return user, selectors.access_adjustment_for_review(user=user, pk=pk)


def _refresh(adj: ScopeAdjustment) -> ScopeAdjustment:
    return ScopeAdjustment.objects.select_related("enterprise", "authority").get(pk=adj.pk)


def _get(model: type[Occupation] | type[JobType] | type[Standard], pk: int | None, field: str) -> object:
    obj = model.objects.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise RuleViolation("", _("编号 %(id)s 不存在。") % {"id": pk}, field=field)
    return obj


def _add_items(actor: User, adj: ScopeAdjustment, items: list[AdjustmentItemIn]) -> None:
    for index, item in enumerate(items):
        try:
            if item.action == "remove":
                if item.scope_item_id is None:
                    raise RuleViolation("R1.3", _("减少事项须填写 scope_item_id。"), field="scope_item_id")
                scope_item = ScopeItem.objects.filter(
                    pk=item.scope_item_id, enterprise_id=adj.enterprise_id
                ).first()
                if scope_item is None:
                    raise RuleViolation("R1.3", _("本企业没有该范围条目。"), field="scope_item_id")
                services.adjustment_removal_create(actor=actor, adjustment=adj, scope_item=scope_item)
                continue
            if item.occupation_id is None or item.level is None:
                raise RuleViolation(
                    "R1.3", _("增加事项须填写 occupation_id 和 level。"), field="occupation_id"
                )
            occupation = _get(Occupation, item.occupation_id, "occupation_id")
            job_type = _get(JobType, item.job_type_id, "job_type_id") if item.job_type_id else None
            standard = _get(Standard, item.standard_id, "standard_id") if item.standard_id else None
            assert isinstance(occupation, Occupation)
            assert job_type is None or isinstance(job_type, JobType)
            assert standard is None or isinstance(standard, Standard)
            services.adjustment_addition_create(
                actor=actor,
                adjustment=adj,
                occupation=occupation,
                job_type=job_type,
                level=item.level,
                standard=standard,
            )
        except RuleViolation as exc:
            field = {"occupation": "occupation_id", "job_type": "job_type_id", "standard": "standard_id"}.get(
                exc.field or "", exc.field or "action"
            )
            raise RuleViolation(exc.rule, exc.message, field=f"items.{index}.{field}") from None


# --- endpoints -----------------------------------------------------------------------------------


@router.get(
    "/scope",
    response={200: ScopeOut, **ERRORS},
    summary="某日有效的认定范围",
    description="企业在指定日期有效的认定范围（职业、工种、等级、评价依据）。企业用户只能查本企业，人社部门查辖区内企业；"
    "其他企业一律 404。该结果与轮次、报名、证书校验所用的范围完全一致（R1.5）。",
)
def scope(request: HttpRequest, query: Query[ScopeQuery]) -> dict[str, object]:
    user = principal(request)
    enterprise = selectors.access_enterprise(user=user, pk=query.enterprise)
    on = query.on or timezone.localdate()
    items = selectors.scope_in_force(enterprise=enterprise, on=on).order_by(
        "occupation__code", "job_type__name", "-level"
    )
    return {
        "enterprise_id": enterprise.pk,
        "on": on,
        "filed": selectors.is_filed(enterprise=enterprise, on=on),
        "items": list(items),
    }


@router.get(
    "/adjustments",
    response={200: list[AdjustmentOut], **ERRORS},
    summary="评价范围调整申请列表",
    description="企业用户看到本企业的申请，人社部门看到辖区内企业的申请；分页，每页最多 200 条。",
)
@paginate(Pagination)
def adjustment_list(request: HttpRequest, filters: Query[AdjustmentFilters]) -> QuerySet[ScopeAdjustment]:
    qs = selectors.adjustment_list(user=principal(request)).order_by("-created_at", "-pk")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.enterprise is not None:
        qs = qs.filter(enterprise_id=filters.enterprise)
    return qs


@router.get(
    "/adjustments/{id}",
    response={200: AdjustmentOut, **ERRORS},
    summary="评价范围调整申请详情",
    description="不存在或无权查看的申请一律返回 404。",
)
def adjustment_detail(request: HttpRequest, id: Id) -> ScopeAdjustment:
    return selectors.access_adjustment(user=principal(request), pk=id)


@router.post(
    "/adjustments",
    response={201: AdjustmentOut, **WRITE_ERRORS},
    summary="新建评价范围调整申请（草稿）",
    description="为本企业新建一份调整申请草稿，可同时填写调整事项。仅企业管理员（浏览器会话）或本企业的接口令牌可调用；"
    "企业须已备案（R1.1）。任何一项不符合规则时整份申请不保存，返回 422 并指明出错的事项（loc）和规则编号。",
)
def adjustment_create(request: HttpRequest, payload: AdjustmentIn) -> Status[ScopeAdjustment]:
    actor, enterprise = _enterprise_writer(request)
    with transaction.atomic():
        adj = services.adjustment_create(actor=actor, enterprise=enterprise, reason=payload.reason)
        _add_items(actor, adj, payload.items)
    return Status(201, _refresh(adj))


@router.post(
    "/adjustments/{id}/submit",
    response={200: AdjustmentOut, **WRITE_ERRORS},
    summary="提交调整申请",
    description="将草稿提交至备案人社部门（R1.3）：须有调整理由和至少一项事项；拟增加的职业须有评价依据（无国家标准的须有评价规范）、"
    "服务于该职业的场地设备和足够的有效考评员；中央企业在鲁子公司须先上传集团向人社部的备案文件（R1.4）。"
    "集中申报期（默认每年6月、12月）以外也可提交，outside_window 为 true，人社部门会看到提示。",
)
def adjustment_submit(request: HttpRequest, id: Id) -> ScopeAdjustment:
    actor, adj = _own_adjustment(request, id)
    return _refresh(services.adjustment_submit(actor=actor, adjustment=adj, today=timezone.localdate()))


@router.post(
    "/adjustments/{id}/return",
    response={200: AdjustmentOut, **WRITE_ERRORS},
    summary="退回调整申请",
    description="人社部门将已提交的申请退回企业补正（R1.3）。仅辖区内人社部门可调用。",
)
def adjustment_return(request: HttpRequest, id: Id, payload: ReturnIn) -> ScopeAdjustment:
    actor, adj = _reviewed_adjustment(request, id)
    return _refresh(services.adjustment_return(actor=actor, adjustment=adj, reason=payload.reason))


@router.post(
    "/adjustments/{id}/forward",
    response={200: AdjustmentOut, **WRITE_ERRORS},
    summary="报人社部",
    description="人社部门将已提交的申请报人力资源社会保障部（R1.4）。仅辖区内人社部门可调用。",
)
def adjustment_forward(request: HttpRequest, id: Id) -> ScopeAdjustment:
    actor, adj = _reviewed_adjustment(request, id)
    return _refresh(services.adjustment_forward(actor=actor, adjustment=adj))


@router.post(
    "/adjustments/{id}/decide",
    response={200: AdjustmentOut, **WRITE_ERRORS},
    summary="登记人社部意见",
    description="登记人力资源社会保障部对已报部申请的意见及文号（R1.4）。同意时须填生效日期：拟增加的条目自该日起生效，"
    "拟减少的条目自该日起失效；不同意时范围不变。仅辖区内人社部门可调用。",
)
def adjustment_decide(request: HttpRequest, id: Id, payload: DecisionIn) -> ScopeAdjustment:
    actor, adj = _reviewed_adjustment(request, id)
    return _refresh(
        services.adjustment_decide(
            actor=actor,
            adjustment=adj,
            approved=payload.decision == "approved",
            document_no=payload.document_no,
            effective_on=payload.effective_on,
            note=payload.note,
        )
    )
