"""The REST API under /api/v1/: every app's router, one authentication, Chinese error bodies.

An app whose AppConfig sets `api_prefix` has its `api.router` mounted there (grassroots/core/registry.py)."""

from importlib import import_module

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from grassroots.accounts.api_auth import SessionAuth, TokenAuth
from grassroots.core.api_support import ChineseJSONRenderer, chinese_validation_errors
from grassroots.core.errors import field_errors
from grassroots.core.registry import grassroots_apps

api = NinjaAPI(
    title="基层党建工作平台 API",
    version="1",
    description="所有接口按账号角色的组织范围返回数据；使用个人 API 令牌：`Authorization: Bearer gr_...`。",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
)
for _config in grassroots_apps():
    if getattr(_config, "api_prefix", None) is not None:
        api.add_router(_config.api_prefix, import_module(f"{_config.name}.api").router)


@api.exception_handler(NinjaValidationError)
def on_bad_input(request, exc):
    return api.create_response(request, {"detail": "输入有误", "errors": chinese_validation_errors(exc.errors)}, status=422)


@api.exception_handler(ValidationError)
def on_rule_broken(request, exc):
    return api.create_response(request, {"detail": "；".join(exc.messages), "errors": field_errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "没有权限"}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "未找到"}, status=404)


HTTP_ERROR_MESSAGES = {400: "请求内容无法解析，请发送有效的 JSON", 403: "没有权限", 404: "未找到", 405: "不支持该请求方法", 429: "请求过于频繁，请稍后再试"}


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return api.create_response(request, {"detail": HTTP_ERROR_MESSAGES.get(exc.status_code, "请求无效")}, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)
