"""Shared pieces of the REST API: authentication, Chinese error bodies, pagination."""

from ninja import Schema
from ninja.renderers import JSONRenderer

# Chinese messages for pydantic's error types (the API's bad-input answers are in Chinese, like the forms').
PYDANTIC_MESSAGES = {
    "missing": "此字段为必填项",
    "string_type": "请输入文本",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "int_parsing": "请输入整数",
    "int_type": "请输入整数",
    "bool_parsing": "请输入 true 或 false",
    "date_parsing": "请输入有效日期，格式为 YYYY-MM-DD",
    "date_from_datetime_parsing": "请输入有效日期，格式为 YYYY-MM-DD",
    "date_type": "请输入有效日期，格式为 YYYY-MM-DD",
    "enum": "不是有效的选项",
    "literal_error": "不是有效的选项",
    "json_invalid": "请求内容不是有效的 JSON",
    "model_attributes_type": "请求内容格式不正确",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}


def chinese_validation_errors(errors):
    """ninja/pydantic errors as {field: [Chinese message]}."""
    result = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        field = loc[-1] if loc else "__all__"
        message = PYDANTIC_MESSAGES.get(err.get("type"), "输入无效")
        result.setdefault(field, []).append(message)
    return result


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese characters as they are, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


def page_params(page, page_size):
    page = max(page, 1)
    page_size = min(max(page_size, 1), 200)
    return page, page_size


def paginated(queryset, page, page_size, convert=None, *, count=None):
    """{count, page, page_size, items} for one page; `convert` turns the page's rows into output items. `count`, when
    the caller knows it exactly (kept summary figures), saves counting the rows."""
    page, page_size = page_params(page, page_size)
    count = queryset.count() if count is None else count
    rows = list(queryset[(page - 1) * page_size : page * page_size])
    return {"count": count, "page": page, "page_size": page_size, "items": convert(rows) if convert else rows}
