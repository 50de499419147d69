"""Turn pydantic validation errors into Chinese messages naming the file and the path inside it."""
from __future__ import annotations

from pydantic import ValidationError

_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "string_too_short": "不能为空",
    "too_short": "至少需要 {min_length} 项",
    "string_pattern_mismatch": "格式不符合要求（{pattern}）",
    "date_from_datetime_parsing": "日期须写作 YYYY-MM-DD",
    "date_parsing": "日期须写作 YYYY-MM-DD",
    "date_type": "日期须写作 YYYY-MM-DD",
    "string_type": "应为文字",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "model_type": "应为键值映射",
    "dict_type": "应为键值映射",
}


def field_path(loc: tuple) -> str:
    """('deadlines', 3, 'offset') -> 'deadlines[3].offset'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "（顶层）"


def describe_error(error: dict) -> str:
    """The problem in Chinese, with the offending value unless the field is missing."""
    text = _problem(error)
    if error["type"] not in ("missing", "value_error") and not isinstance(error.get("input"), (dict, list)):
        text += f"（现为 {error['input']!r}）"
    return text


def _problem(error: dict) -> str:
    kind = error["type"]
    if kind == "literal_error":
        return f"取值应为 {error['ctx']['expected']} 之一"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    template = _MESSAGES.get(kind)
    if template is None:
        return error["msg"]
    return template.format(**error.get("ctx", {}))


def format_validation_error(exc: ValidationError, source: str) -> str:
    """One line per problem: '<file>：<path>：<problem>'."""
    lines = [f"{source}：{field_path(e['loc'])}：{describe_error(e)}" for e in exc.errors()]
    return "\n".join(lines)
