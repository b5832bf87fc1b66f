"""The core API router (organisations, people, employees) and the pieces every app's router shares.

Shared with other apps' routers: ``Text`` (a cleaned string type), ``ERRORS`` (the documented
error responses), ``Pagination``, ``principal`` and ``request_token``. Authentication is set
once on the NinjaAPI (``skillcert.api``): a bearer token or the browser session.
"""

import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, PathEx, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import AfterValidator, ConfigDict

from skillcert.core import access, selectors
from skillcert.core.errors import RuleViolation
from skillcert.core.middleware import pending_step
from skillcert.core.models import (
    ApiToken,
    Department,
    Employee,
    EmploymentType,
    Organisation,
    OrgKind,
    Person,
    User,
)
from skillcert.core.services import people as people_services
from skillcert.core.services import tokens as token_services

# Largest id a database integer holds: a larger one in a URL is a 422, never an overflow (S20).
MAX_ID = 2**63 - 1


# --- authentication ------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """`Authorization: Bearer skc_<prefix>_<secret>`: the request acts as the token's service account."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = token_services.api_token_authenticate(raw=token)
        if found is None:
            # A bearer value was given and is wrong: answer 401 now rather than fall back to the
            # session, so an unknown and a revoked token get the same answer.
            raise AuthenticationError
        api_token, user = found
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


class SessionAuth(APIKeyCookie):
    """The browser session, CSRF-checked on writes.

    The session-policy middleware does not redirect /api/, so a session that still owes a step
    (a password change, the second factor: S1, S4) is refused here instead.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = access.as_user(request.user)
        if user is None or pending_step(request) is not None:
            return None
        return user


def principal(request: HttpRequest) -> User:
    """The user an authenticated API request acts as (a person, or a token's service account)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user


def request_token(request: HttpRequest) -> ApiToken | None:
    """The API token the request authenticated with, or None for a browser session."""
    token = getattr(request, "api_token", None)
    return token if isinstance(token, ApiToken) else None


# --- shared schema pieces ------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValueError(_("不能包含控制字符。"))
    return value.strip()


Text = Annotated[str, AfterValidator(_clean_text)]


class ErrorOut(Schema):
    detail: str = Field(..., description="错误说明（中文）")


class ErrorItem(Schema):
    loc: list[str | int] = Field(..., description='出错位置，如 ["body", "payload", "id_number"]')
    msg: str = Field(..., description="错误说明（中文）")
    type: str = Field("", description="错误类型，如 missing、string_too_long、rule")
    rule: str = Field("", description="违反的规则编号（如 R3.3），无则为空")


class ValidationErrorOut(Schema):
    detail: list[ErrorItem] = Field(..., description="逐项列出的错误")


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


def _describe_items(schema: dict[str, Any]) -> None:
    # ninja re-declares `items` on each Paged<X> schema; keep its description.
    items = schema.get("properties", {}).get("items")
    if isinstance(items, dict):
        items.setdefault("description", "本页条目")


class PageInput(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数，1–200，默认 50")


class PageOutput(Schema):
    model_config = ConfigDict(json_schema_extra=_describe_items)

    items: list[Any] = Field(..., description="本页条目")
    count: int = Field(..., description="符合条件的总条数")


class Pagination(PageNumberPagination):
    """Page-number pagination, at most 200 rows a page; bounded so no page number overflows a query."""

    Input = PageInput  # type: ignore[assignment]
    Output = PageOutput  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=50, max_page_size=200, **kwargs)


Id = PathEx[int, P(ge=1, le=MAX_ID, description="编号")]


# --- schemas -------------------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int = Field(..., description="组织编号")
    kind: OrgKind = Field(
        ...,
        description="类型：province 省级人社部门，city 市级人社部门，enterprise 企业，platform 平台运营方",
    )
    name: str = Field(..., description="名称")
    short_name: str = Field(..., description="简称")
    credit_code: str = Field(..., description="统一社会信用代码（18位）")
    region_code: str = Field(..., description="行政区划代码（6位）")
    parent_id: int | None = Field(None, description="上级部门编号（市级人社部门所属的省级部门）")
    authority_id: int | None = Field(None, description="企业备案的人社部门编号")
    is_central_subsidiary: bool = Field(..., description="是否中央企业在鲁子公司或分支机构")
    is_active: bool = Field(..., description="是否启用")


class OrganisationFilters(Schema):
    kind: OrgKind | None = Field(None, description="按类型筛选：province、city、enterprise、platform")


class PersonOut(Schema):
    id: int = Field(..., description="人员编号")
    name: str = Field(..., description="姓名")
    sex: Literal["M", "F"] = Field(..., description="性别：M 男，F 女")
    birth_date: date = Field(..., description="出生日期")
    id_number_masked: str = Field(
        ..., description="身份证号（脱敏，如 3701**********1234；接口不提供完整号码）"
    )


class PersonFilters(Schema):
    name: Text | None = Field(None, max_length=50, description="按姓名筛选（包含）")


class EmployeeOut(Schema):
    id: int = Field(..., description="员工记录编号")
    person: PersonOut = Field(..., description="人员")
    enterprise_id: int = Field(..., description="企业编号")
    department_id: int | None = Field(None, description="部门编号")
    department_name: str = Field("", description="部门名称")
    employee_no: str = Field(..., description="工号")
    post: str = Field(..., description="岗位")
    employment_type: EmploymentType = Field(
        ..., description="用工形式：regular 正式在岗，dispatched 劳务派遣，outsourced 外包"
    )
    hired_on: date | None = Field(None, description="入职日期")
    is_active: bool = Field(..., description="是否在职")

    @staticmethod
    def resolve_department_name(obj: Employee) -> str:
        return obj.department.name if obj.department is not None else ""


class EmployeeFilters(Schema):
    department: int | None = Field(None, ge=1, le=MAX_ID, description="按部门编号筛选")
    employee_no: Text | None = Field(None, max_length=40, description="按工号筛选（精确）")
    active: bool | None = Field(None, description="按在职状态筛选：true 在职，false 离职")


class EmployeeIn(Schema):
    name: Text = Field(..., min_length=1, max_length=50, description="姓名")
    id_number: Text = Field(
        ..., min_length=1, max_length=32, description="身份证号（18位，GB 11643）；已登记的人员按身份证号匹配"
    )
    phone: Text = Field("", max_length=20, description="手机号，可空")
    employee_no: Text = Field(..., min_length=1, max_length=40, description="工号，本企业内唯一")
    department_id: int | None = Field(None, ge=1, le=MAX_ID, description="部门编号（本企业的部门），可空")
    post: Text = Field("", max_length=80, description="岗位")
    employment_type: EmploymentType = Field(
        EmploymentType.REGULAR,
        description="用工形式：regular 正式在岗（默认），dispatched 劳务派遣，outsourced 外包",
    )
    hired_on: date | None = Field(None, description="入职日期，可空")


# --- endpoints -----------------------------------------------------------------------------------

router = Router(tags=["核心：组织与人员"])


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **ERRORS},
    summary="组织列表",
    description="当前用户可见的组织：人社部门看到本部门、下级部门和所监管的企业；企业用户只看到本企业。",
)
@paginate(Pagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> QuerySet[Organisation]:
    qs = selectors.organisation_list(user=principal(request)).order_by("kind", "name", "pk")
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    return qs


@router.get(
    "/organisations/{id}",
    response={200: OrganisationOut, **ERRORS},
    summary="组织详情",
    description="不存在或无权查看的组织一律返回 404。",
)
def organisation_detail(request: HttpRequest, id: Id) -> Organisation:
    return selectors.access_organisation(user=principal(request), pk=id)


@router.get(
    "/people",
    response={200: list[PersonOut], **ERRORS},
    summary="人员列表",
    description="当前用户可见企业的在册人员。身份证号只以脱敏形式提供。",
)
@paginate(Pagination)
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> QuerySet[Person]:
    qs = selectors.person_list(user=principal(request)).order_by("name", "pk")
    if filters.name:
        qs = qs.filter(name__contains=filters.name)
    return qs


@router.get(
    "/people/{id}",
    response={200: PersonOut, **ERRORS},
    summary="人员详情",
    description="不存在或无权查看的人员一律返回 404。身份证号只以脱敏形式提供。",
)
def person_detail(request: HttpRequest, id: Id) -> Person:
    return selectors.access_person(user=principal(request), pk=id)


@router.get(
    "/employees",
    response={200: list[EmployeeOut], **ERRORS},
    summary="员工列表",
    description="当前用户可见企业的员工记录，可按部门、工号、在职状态筛选；分页，每页最多 200 条。",
)
@paginate(Pagination)
def employee_list(request: HttpRequest, filters: Query[EmployeeFilters]) -> QuerySet[Employee]:
    qs = selectors.employee_list(user=principal(request)).order_by("enterprise_id", "employee_no", "pk")
    if filters.department is not None:
        qs = qs.filter(department_id=filters.department)
    if filters.employee_no:
        qs = qs.filter(employee_no=filters.employee_no)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs


@router.get(
    "/employees/{id}",
    response={200: EmployeeOut, **ERRORS},
    summary="员工详情",
    description="不存在或无权查看的员工记录一律返回 404。",
)
def employee_detail(request: HttpRequest, id: Id) -> Employee:
    return access.get_or_404(selectors.employee_list(user=principal(request)), id)


def _enterprise_for_write(request: HttpRequest) -> Organisation:
    """The enterprise the caller may add employees to: its admin's session, or one of its own tokens."""
    user = access.as_user(principal(request))
    org = user.organisation if user is not None else None
    if user is None or org is None or not org.is_enterprise:
        raise Http404
    token = request_token(request)
    if token is not None and token.organisation_id == org.pk:
        return org
    if token is None and access.is_enterprise_admin(user):
        return org
    raise Http404


# Service field names that the request calls otherwise.
_FIELD_NAMES = {
    "person": "id_number",
    "department": "department_id",
    "birth_date": "id_number",
    "sex": "id_number",
}


@router.post(
    "/employees",
    response={201: EmployeeOut, **WRITE_ERRORS},
    summary="新增员工",
    description=(
        "在本企业新增员工记录。身份证号未登记时同时登记人员；已登记时沿用该人员（姓名须一致）。"
        "仅企业管理员（浏览器会话）或本企业的接口令牌可调用。"
        "违反业务规则时返回 422，detail 中列出出错字段（loc）、中文说明（msg）和规则编号（rule）。"
    ),
)
def employee_create(request: HttpRequest, payload: EmployeeIn) -> Status[Employee]:
    actor = principal(request)
    enterprise = _enterprise_for_write(request)
    department: Department | None = None
    if payload.department_id is not None:
        department = (
            selectors.department_list(user=actor, enterprise=enterprise)
            .filter(pk=payload.department_id)
            .first()
        )
        if department is None:
            raise RuleViolation(
                "",
                _("本企业没有编号为 %(id)s 的部门。") % {"id": payload.department_id},
                field="department_id",
            )
    try:
        with transaction.atomic():
            person, _created = people_services.person_find_or_create(
                actor=actor, name=payload.name, id_number=payload.id_number, phone=payload.phone
            )
            employee = people_services.employee_create(
                actor=actor,
                person=person,
                enterprise=enterprise,
                employee_no=payload.employee_no,
                department=department,
                post=payload.post,
                employment_type=payload.employment_type,
                hired_on=payload.hired_on,
            )
    except RuleViolation as exc:
        field = _FIELD_NAMES.get(exc.field or "", exc.field)
        raise RuleViolation(exc.rule, exc.message, field=field) from None
    return Status(201, selectors.employee_list(user=actor).get(pk=employee.pk))
