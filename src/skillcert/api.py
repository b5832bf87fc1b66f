"""The NinjaAPI under /api/v1/ that mounts each app's router, with one error format for every app.

Every endpoint accepts a bearer API token or the browser session (see ``core.api``). Errors:
401 and 404 answer ``{"detail": "…"}`` with one fixed sentence each (an unknown token and a
revoked one, a missing record and another tenant's, look alike: S6); 422 answers
``{"detail": [{"loc", "msg", "type", "rule"}]}`` for both malformed input and a refused
business rule. No input may produce a 5xx (S20).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from skillcert.catalog.api import router as catalog_router
from skillcert.core import apidocs
from skillcert.core.api import SessionAuth, TokenAuth
from skillcert.core.api import router as core_router
from skillcert.core.errors import RuleViolation
from skillcert.enrollment.api import router as enrollment_router
from skillcert.filings.api import router as filings_router
from skillcert.logistics.api import router as logistics_router
from skillcert.rounds.api import router as rounds_router


class EndpointList(DocsBase):
    """/api/v1/docs: our own page listing every operation from the schema.

    Swagger UI would need third-party JavaScript; this page needs none, so it works under the CSP.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        context = {
            "api": api,
            "openapi_url": self.get_openapi_url(api, kwargs),
            "operations": apidocs.operations(schema),
            "schemas": apidocs.schemas(schema),
        }
        return render(request, "core/api/docs.html", context)


# Response descriptions in Chinese (ninja writes the English HTTP reason phrase).
_RESPONSE_TEXT = {
    "200": "成功",
    "201": "已创建",
    "401": "未认证：未登录，或接口令牌无效、已吊销",
    "400": "请求体无法解析（不是有效的 JSON）",
    "403": "拒绝访问：浏览器会话的写操作缺少 CSRF 令牌",
    "404": "不存在，或无权访问（两者答复相同）",
    "409": "与同时进行的另一请求冲突，未保存",
    "422": "输入有误或违反业务规则",
}
_SECURITY_TEXT = {
    "TokenAuth": "组织接口令牌：Authorization: Bearer skc_<前缀>_<密钥>。",
    "SessionAuth": "浏览器登录会话（Cookie）；写操作须带 X-CSRFToken 请求头。",
}


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese left readable (UTF-8), not escaped to \\uXXXX."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


class SkillcertAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                for status, response in operation.get("responses", {}).items():
                    response["description"] = _RESPONSE_TEXT.get(str(status), response.get("description", ""))
        for name, scheme in schema.get("components", {}).get("securitySchemes", {}).items():
            scheme.setdefault("description", _SECURITY_TEXT.get(name, ""))
        return schema


api = SkillcertAPI(
    title="skillcert API",
    version="1",
    description=(
        "企业技能人才自主评价平台接口。认证方式二选一：浏览器登录会话（写操作须带 CSRF 令牌），"
        "或组织接口令牌（请求头 Authorization: Bearer skc_<前缀>_<密钥>，由企业或人社部门管理员在“接口令牌”页面创建）。"
        "令牌以该组织的专用服务账号身份访问，只能看到该组织可见的数据。"
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs=EndpointList(),
    renderer=ChineseJSONRenderer(),
)
api.add_router("/", core_router)
api.add_router("/catalog", catalog_router)
api.add_router("/filings", filings_router)
api.add_router("/rounds", rounds_router)
api.add_router("/enrollment", enrollment_router)
api.add_router("/logistics", logistics_router)


# --- one error format ----------------------------------------------------------------------------

# Chinese messages for the pydantic error types a client is likely to meet; others keep pydantic's text.
_MESSAGES = {
    "missing": "必填。",
    "string_type": "须为字符串。",
    "string_too_short": "不能为空或过短（至少 {min_length} 个字符）。",
    "string_too_long": "过长（最多 {max_length} 个字符）。",
    "int_type": "须为整数。",
    "int_parsing": "须为整数。",
    "int_from_float": "须为整数。",
    "greater_than_equal": "须大于或等于 {ge}。",
    "less_than_equal": "须小于或等于 {le}。",
    "bool_type": "须为 true 或 false。",
    "bool_parsing": "须为 true 或 false。",
    "date_type": "须为日期（YYYY-MM-DD）。",
    "date_parsing": "须为日期（YYYY-MM-DD）。",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）。",
    "date_from_datetime_inexact": "须为日期（YYYY-MM-DD），不能带时间。",
    "enum": "须为以下值之一：{expected}。",
    "literal_error": "须为以下值之一：{expected}。",
    "model_attributes_type": "须为 JSON 对象。",
    "dict_type": "须为 JSON 对象。",
    "model_type": "须为 JSON 对象。",
    "json_invalid": "不是有效的 JSON。",
    "string_unicode": "须为有效的 Unicode 文本。",
}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", ""))
    try:
        return _(template).format(**{k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return _(template)


def _clean_loc(loc: Any) -> list[str | int]:
    if not isinstance(loc, list | tuple):
        return [str(loc)]
    return [part if isinstance(part, int) else str(part) for part in loc]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Only loc, msg and type: pydantic's "input" would echo what was sent (a full ID number) and its
    # "ctx" may hold objects that are not JSON.
    items = [
        {"loc": _clean_loc(e.get("loc", [])), "msg": _message(e), "type": str(e.get("type", "")), "rule": ""}
        for e in exc.errors
        if isinstance(e, dict)
    ]
    return api.create_response(request, {"detail": items}, status=422)


@api.exception_handler(RuleViolation)
def on_rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
    loc: list[str | int] = ["body", "payload", exc.field] if exc.field else ["body", "payload"]
    item = {"loc": loc, "msg": exc.message, "type": "rule", "rule": exc.rule}
    return api.create_response(request, {"detail": [item]}, status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("未找到，或无权访问。")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": _("未认证：请登录，或在 Authorization 请求头中提供有效的接口令牌。")}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="skillcert"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {
        400: _("请求无法解析。"),
        403: _("拒绝访问：浏览器会话的写操作须带 CSRF 令牌。"),
        429: _("请求过于频繁，请稍后再试。"),
    }
    return api.create_response(
        request, {"detail": messages.get(exc.status_code, str(exc))}, status=exc.status_code
    )


@api.exception_handler(IntegrityError)
def on_conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Two requests raced past a service's check and the database kept the first: nothing was written.
    return api.create_response(
        request, {"detail": _("与同时进行的另一请求冲突，未保存；请重试。")}, status=409
    )
