"""The NinjaAPI under /api/v1/ that mounts each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="skillcert API",
    version="1",
    description="企业技能人才自主评价平台接口。浏览器会话或组织接口令牌（Authorization: Bearer …）认证。",
    urls_namespace="api",
)
