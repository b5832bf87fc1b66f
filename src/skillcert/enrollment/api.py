"""The enrollment API router (mounted at /api/v1/enrollment/): HR-system integration of applications (R3.4).

An enterprise with its own HR information system submits applications in batches with the same
fields as a row of the Excel import, and reads back each one's status, check flags and
eligibility result. The batch goes through exactly the code of the Excel import
(``services.imports.import_records``): the same cell checks, the same idempotency on person +
round, the same automatic checks and eligibility evaluation, one audit event per batch.

Access: the enterprise administrator or exam-affairs staff (browser session), or one of the
enterprise's own API tokens; anyone else, and any other enterprise's round or application, gets
404. Malformed input answers 422, never 5xx (S20).
"""

import unicodedata
from datetime import date, datetime
from typing import Annotated, Literal

from annotated_types import Len
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import AfterValidator, ConfigDict, StringConstraints

from skillcert.core.api import ERRORS, WRITE_ERRORS, Id, Pagination, Text, principal, request_token
from skillcert.core.errors import RuleViolation
from skillcert.core.models import User
from skillcert.enrollment import importer
from skillcert.enrollment.models import (
    Application,
    ApplicationFlag,
    ApplicationSource,
    ApplicationStatus,
    Eligibility,
)
from skillcert.enrollment.selectors import access_application_for_review, application_list
from skillcert.enrollment.services import imports as services
from skillcert.rounds.models import Round
from skillcert.rounds.selectors import access_round

router = Router(tags=["申报：系统对接"])

MAX_BATCH = 1000


def _clean_long_text(value: str) -> str:
    # Line breaks and tabs are fine in a work history; other control characters and lone
    # surrogates are not (a database cannot store them).
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\r\t" for ch in value):
        raise ValueError("不能包含控制字符。")
    return value.strip()


LongText = Annotated[str, AfterValidator(_clean_long_text)]


# --- schemas -------------------------------------------------------------------------------------


def _describe(key: str, extra: str = "") -> str:
    """The field's description: the Excel column it mirrors, required or not, and its format."""
    from skillcert.enrollment.template_xlsx import column_format

    column = importer.COLUMN_BY_KEY[key]
    required = "必填" if column.required else "选填；省略则不修改该项，传空字符串或 null 则清空"
    note = f"。{column.note}" if column.note else ""
    return f"{column.header}（{required}）：{column_format(column)}{note}{extra}"


class ApplicationIn(Schema):
    """One application: the fields of one row of the Excel import template, by key."""

    model_config = ConfigDict(extra="forbid")

    employee_no: Annotated[Text, StringConstraints(max_length=80)] | int = Field(
        ..., description=_describe("employee_no")
    )
    name: Text = Field(..., max_length=100, description=_describe("name"))
    sex: Text = Field(..., max_length=10, description=_describe("sex", "；也可用 M、F"))
    birth_date: Text = Field(..., max_length=20, description=_describe("birth_date"))
    education: Text = Field(
        ..., max_length=40, description=_describe("education", "；也可用英文代码，如 junior_college")
    )
    id_number: Text = Field(..., max_length=40, description=_describe("id_number"))
    major: Text | None = Field(None, max_length=200, description=_describe("major"))
    school: Text | None = Field(None, max_length=200, description=_describe("school"))
    phone: Annotated[Text, StringConstraints(max_length=40)] | int | None = Field(
        None, description=_describe("phone")
    )
    graduated_on: Text | None = Field(None, max_length=20, description=_describe("graduated_on"))
    is_current_student: bool | None = Field(None, description="是否在校学生（选填）：true 是，false 否")
    work_started_on: Text | None = Field(None, max_length=20, description=_describe("work_started_on"))
    political_status: Text | None = Field(None, max_length=20, description=_describe("political_status"))
    current_post: Text = Field(..., max_length=160, description=_describe("current_post"))
    post_years: float | None = Field(None, description=_describe("post_years"))
    occupation_years: float | None = Field(None, description=_describe("occupation_years"))
    job_direction: Text | None = Field(None, max_length=160, description=_describe("job_direction"))
    employment_type: Text | None = Field(
        None,
        max_length=20,
        description=_describe("employment_type", "；也可用 regular、dispatched、outsourced"),
    )
    cert_kind: Text | None = Field(
        None,
        max_length=40,
        description=_describe("cert_kind", "；也可用 qualification、skill_level、professional、other"),
    )
    cert_level: Annotated[Text, StringConstraints(max_length=20)] | int | None = Field(
        None, description=_describe("cert_level", "；技能等级也可用数字 5—1")
    )
    cert_occupation: Text | None = Field(None, max_length=160, description=_describe("cert_occupation"))
    cert_number: Text | None = Field(None, max_length=80, description=_describe("cert_number"))
    cert_issued_on: Text | None = Field(None, max_length=20, description=_describe("cert_issued_on"))
    offering: Annotated[Text, StringConstraints(max_length=200)] | int = Field(
        ...,
        description="申报职业（工种）等级（必填）：本批次认定职业（工种）等级的编号"
        "（GET /api/v1/rounds/{id} 返回的 offerings[].id），或模板下拉列表中的名称，如“车工 四级/中级工”。"
        "每人每批次限申报 1 个（R3.2）。",
    )
    application_type: Text = Field(
        ..., max_length=20, description=_describe("application_type", "；也可用 normal、exceptional")
    )
    condition_relied_on: Text | None = Field(
        None, max_length=600, description=_describe("condition_relied_on")
    )
    exceptional_grounds: (
        Annotated[list[Annotated[Text, StringConstraints(max_length=300)]], Len(0, 20)]
        | Annotated[Text, StringConstraints(max_length=600)]
        | None
    ) = Field(None, description=_describe("exceptional_grounds", "；也可传字符串数组"))
    work_history: LongText | None = Field(None, max_length=8000, description=_describe("work_history"))
    awards: LongText | None = Field(None, max_length=4000, description=_describe("awards"))
    achievements: LongText | None = Field(None, max_length=8000, description=_describe("achievements"))
    unit_opinion: LongText | None = Field(None, max_length=2000, description=_describe("unit_opinion"))


class ItemError(Schema):
    field: str = Field(..., description="出错的字段（与请求中的字段名相同，如 id_number）")
    column: str = Field(..., description="对应的 Excel 模板列名（如 身份证号）")
    value: str = Field(..., description="填写的值（身份证号、联系电话已脱敏；过长时截断）")
    reason: str = Field(..., description="原因（中文）")


class ItemResult(Schema):
    index: int = Field(..., description="条目在请求数组中的序号，从 1 开始")
    status: Literal["created", "updated", "unchanged", "skipped", "error"] = Field(
        ...,
        description="处理结果：created 新建申报；updated 已更新（只改了不同的字段）；unchanged 内容相同未改动，"
        "或申报已审核、已撤回而未改动（见 message）；skipped 本条无误，但按 all_or_nothing 方式因其他条目有误未写入；"
        "error 本条有误（见 errors）",
    )
    application_id: int | None = Field(None, description="申报编号（新建、更新或未改动时）；用于查询状态")
    message: str = Field("", description="补充说明，如“已审核，未更改”")
    errors: list[ItemError] = Field(default_factory=list, description="本条的全部错误")


class BatchCounts(Schema):
    items: int = Field(..., description="条目数")
    created: int = Field(..., description="新建的申报数")
    updated: int = Field(..., description="更新的申报数")
    unchanged: int = Field(..., description="未改动的申报数（含已审核、已撤回的）")
    reviewed: int = Field(..., description="其中因已审核或已撤回而未改动的申报数")
    skipped: int = Field(..., description="无误但未写入的条目数（all_or_nothing 方式下有其他条目出错时）")
    errors: int = Field(..., description="有误的条目数")


class BatchOut(Schema):
    written: bool = Field(
        ..., description="是否已写入：all_or_nothing 方式下任一条目有误则为 false，什么也不写"
    )
    mode: Literal["all_or_nothing", "good_rows_only"] = Field(..., description="本次的处理方式")
    counts: BatchCounts = Field(..., description="各结果的条目数")
    items: list[ItemResult] = Field(..., description="逐条结果，顺序与请求相同")


class BatchQuery(Schema):
    mode: Literal["all_or_nothing", "good_rows_only"] = Field(
        "all_or_nothing",
        description="有误时的处理方式：all_or_nothing（默认）任一条目有误则整批不写入；good_rows_only 只写入无误的条目",
    )


class FlagOut(Schema):
    code: str = Field(..., description="检查项代码，如 id.sex_mismatch、cert.number_format、phone.format")
    severity: Literal["block", "warn"] = Field(
        ..., description="性质：block 须更正（未更正不能审核通过），warn 请核实（审核人员确认即可）"
    )
    field: str = Field(..., description="所指的申报表栏目，如 sex、certificates[0].number")
    rule: str = Field(..., description="依据的规则编号，如 R3.3")
    message: str = Field(..., description="说明（中文）")
    confirmed: bool = Field(..., description="审核人员是否已核实")
    confirm_note: str = Field("", description="核实说明")

    @staticmethod
    def resolve_confirmed(obj: ApplicationFlag) -> bool:
        return obj.confirmed_by_id is not None


class ApplicationSummaryOut(Schema):
    id: int = Field(..., description="申报编号")
    round_id: int = Field(..., description="认定批次编号")
    offering_id: int = Field(..., description="申报的认定职业（工种）等级编号")
    offering: str = Field(..., description="申报的职业（工种）等级，如“车工 四级/中级工”")
    name: str = Field(..., description="姓名")
    id_number_masked: str = Field(..., description="身份证号（脱敏，如 3701**********1234）")
    employee_no: str = Field("", description="工号（无任职记录时为空）")
    status: ApplicationStatus = Field(
        ...,
        description="申报状态：draft 草稿，submitted 待审核，returned 退回修改，approved 审核通过，"
        "rejected 不予通过，withdrawn 已撤回",
    )
    source: ApplicationSource = Field(..., description="来源：online 网上申报，import 批量导入，api 系统对接")
    eligibility: Eligibility = Field(
        ..., description="资格核算结果：eligible 符合，ineligible 不符合，confirm 待人工确认，空字符串 未核算"
    )
    blocking_flags: int = Field(..., description="须更正的问题数")
    warning_flags: int = Field(..., description="请核实的问题数")
    submitted_at: datetime | None = Field(None, description="提交时间（ISO 8601）")

    @staticmethod
    def resolve_offering(obj: Application) -> str:
        o = obj.offering
        return importer.offering_label(o.occupation.name, o.job_type.name if o.job_type else None, o.level)

    @staticmethod
    def resolve_id_number_masked(obj: Application) -> str:
        return obj.person.id_number_masked

    @staticmethod
    def resolve_employee_no(obj: Application) -> str:
        return obj.employee.employee_no if obj.employee is not None else ""


class ApplicationDetailOut(ApplicationSummaryOut):
    eligibility_condition: str = Field("", description="符合的申报条件（结果为符合时）")
    eligibility_reasons: list[str] = Field(..., description="核算说明：逐条列出依据和算得的年限等（中文）")
    eligibility_on: date | None = Field(None, description="核算基准日（批次的条件核算截止日期）")
    post_mismatch: bool = Field(..., description="现从事岗位与申报职业是否不一致（R3.2，须审核人员确认）")
    review_reason: str = Field("", description="审核意见（退回修改、不予通过时的理由）")
    reviewed_at: datetime | None = Field(None, description="审核时间（ISO 8601）")
    flags: list[FlagOut] = Field(..., description="自动核查发现的问题（R3.3）")

    @staticmethod
    def resolve_flags(obj: Application) -> list[ApplicationFlag]:
        return list(obj.flags.all())


class ApplicationFilters(Schema):
    status: ApplicationStatus | None = Field(
        None, description="按申报状态筛选：draft、submitted、returned、approved、rejected、withdrawn"
    )
    eligibility: Literal["eligible", "ineligible", "confirm", "pending"] | None = Field(
        None, description="按资格核算结果筛选：eligible、ineligible、confirm，pending 表示未核算"
    )


# --- access --------------------------------------------------------------------------------------


def _integration_round(request: HttpRequest, round_id: int) -> tuple[User, Round]:
    """A round the caller may submit to: its enterprise's admin or exam staff, or one of its tokens."""
    user = principal(request)
    rnd = access_round(user=user, pk=round_id, for_write=True)
    token = request_token(request)
    if token is not None and token.organisation_id != rnd.enterprise_id:
        raise Http404
    return user, rnd


def _item_record(item: ApplicationIn) -> dict[str, object]:
    """An API item as the importer's record ``{column key: value}``: a key left out stays left out."""
    record: dict[str, object] = {}
    for key in item.model_fields_set:
        value = getattr(item, key, None)
        if value is None:
            value = ""
        elif key == "is_current_student":
            value = "是" if value else "否"
        elif key == "exceptional_grounds" and isinstance(value, list):
            value = "；".join(value)
        record[key] = value
    return record


# --- endpoints -----------------------------------------------------------------------------------


@router.post(
    "/rounds/{round_id}/applications:batch",
    response={200: BatchOut, **WRITE_ERRORS},
    summary="批量提交申报",
    description=(
        f"一次提交至多 {MAX_BATCH} 份申报，字段与 Excel 导入模板的列一一对应。与 Excel 导入走同一套检查："
        "逐项检查每个字段，逐条返回结果（新建、更新、未改动、跳过、出错及错误明细）。"
        "按人员（身份证号）和批次幂等：同一人重复提交只更新有变化的字段，内容相同则不改动；"
        "已审核（通过、不予通过）和已撤回的申报不会被修改。新工号同时建立员工记录。"
        "每份写入的申报都自动核查并核算申报资格，结果可用“查询申报”接口读取。"
        "须在批次报名期内提交，否则返回 422 并说明报名起止日期（R2.1）。"
        "仅本企业的管理员、考务人员（浏览器会话）或本企业的接口令牌可调用。"
    ),
)
def batch_submit(
    request: HttpRequest, round_id: Id, items: list[ApplicationIn], query: Query[BatchQuery]
) -> BatchOut:
    user, rnd = _integration_round(request, round_id)
    if len(items) > MAX_BATCH:
        raise RuleViolation("", f"一次最多提交 {MAX_BATCH} 份申报，本次 {len(items)} 份，请分批提交。")
    records = [(index, _item_record(item)) for index, item in enumerate(items, start=1)]
    result = services.import_records(
        actor=user,
        round=rnd,
        records=records,
        mode=query.mode,
        source=ApplicationSource.API,
    )
    counts = result.counts
    return BatchOut(
        written=result.written,
        mode=query.mode,
        counts=BatchCounts(
            items=counts["rows"],
            created=counts["created"] if result.written else 0,
            updated=counts["updated"] if result.written else 0,
            unchanged=counts["unchanged"],
            reviewed=counts["reviewed"],
            skipped=counts["skipped"],
            errors=counts["error_rows"],
        ),
        items=[
            ItemResult(
                index=row.row,
                status=row.status,
                application_id=row.application_id if row.status != "skipped" else None,
                message=row.message,
                errors=[
                    ItemError(field=e.field, column=e.column, value=e.value, reason=e.reason)
                    for e in row.errors
                ],
            )
            for row in result.rows
        ],
    )


@router.get(
    "/applications/{id}",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="查询申报",
    description="一份申报的状态、自动核查发现的问题和资格核算结果（含中文说明）。"
    "仅本企业的管理员、考务人员或本企业的接口令牌可查询；不存在或无权查看一律返回 404。",
)
def application_detail(request: HttpRequest, id: Id) -> Application:
    user = principal(request)
    app = access_application_for_review(user=user, pk=id)
    token = request_token(request)
    if token is not None and token.organisation_id != app.round.enterprise_id:
        raise Http404
    return app


@router.get(
    "/rounds/{round_id}/applications",
    response={200: list[ApplicationSummaryOut], **ERRORS},
    summary="批次的申报列表",
    description="一个认定批次的全部申报，按编号倒序，可按状态、资格核算结果筛选；分页，每页最多 200 条。"
    "仅本企业的管理员、考务人员或本企业的接口令牌可查询。",
)
@paginate(Pagination)
def round_applications(
    request: HttpRequest, round_id: Id, filters: Query[ApplicationFilters]
) -> QuerySet[Application]:
    user, rnd = _integration_round(request, round_id)
    qs = application_list(user=user).filter(round=rnd).select_related("employee").order_by("-pk")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.eligibility is not None:
        qs = qs.filter(eligibility="" if filters.eligibility == "pending" else filters.eligibility)
    return qs
