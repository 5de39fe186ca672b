"""Findings about single values, in Chinese: what the schema (pydantic), the YAML reader and
the text rules say of a value, located by its path (the store turns paths into lines)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from zwgk_cli.plan.findings import Finding, Path
from zwgk_cli.plan.model import FIELD_NAMES, Scoring
from zwgk_cli.plan.texts import MULTILINE_KEYS, bad_character

__all__ = ["pydantic_findings", "surprise_findings", "suspect_findings", "where"]

# Keys whose values are not text (numbers, dates, booleans): a YAML type there is meant, and
# "请加引号" would be wrong advice. Everything else must be text, so a plain scalar that YAML 1.1
# reads otherwise (no, 2020-02-30, 010) needs quotes.
_NON_TEXT_KEYS = {"id", "year", "done_on", "date", "period", "issued", "verification"} | {
    f.name for f in dataclasses.fields(Scoring)
}


def where(path: Path) -> str:
    """``tasks.3.title`` as a Chinese phrase naming the field."""
    if len(path) >= 2 and path[0] == "tasks" and isinstance(path[1], int):
        rest = [FIELD_NAMES.get(str(p), str(p)) for p in path[2:] if not isinstance(p, int)]
        return f"第 {path[1] + 1} 个任务" + (f"的{rest[0]}（{path[2]}）" if rest else "")
    return "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


_OWN_RULES = {"scoring_order", "date_year"}
_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "是未知的键（可能拼写有误）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "list_type": "应为列表（如 [区司法局, 区财政局]）",
    "model_type": "应为键值对",
    "dict_type": "应为键值对",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "只能由字母、数字、- 和 _ 组成（不超过 64 个字符）",
    "greater_than_equal": "应为正整数",
    "enum": "只能是 open（未完成）或 done（已完成）",
    "date_type": "应为日期（如 2020-08-25）",
    "date_parsing": "不是有效日期（应写成 2020-08-25）",
    "date_from_datetime_parsing": "不是有效日期（应写成 2020-08-25）",
    "date_from_datetime_inexact": "应为日期，不含时间",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "less_than_equal": "太大",
}


def pydantic_findings(error: Any) -> Iterator[Finding]:
    for detail in error.errors(include_url=False, include_input=False):
        path: Path = tuple(detail["loc"])
        bound = detail.get("ctx") or {}
        if detail["type"] == "greater_than_equal" and bound.get("ge", 1) != 1:
            text = f"不能小于 {bound['ge']}"
        elif detail["type"] == "less_than_equal":
            text = f"不能大于 {bound['le']}"
        else:
            # Our own rules (PydanticCustomError) carry their Chinese message.
            own = detail["msg"] if detail["type"] in _OWN_RULES else f"的值不符合要求（{detail['type']}）"
            text = _MESSAGES.get(detail["type"], own)
        yield Finding(path, f"{where(path)} {text}")


def suspect_findings(suspect: dict[Path, str]) -> Iterator[Finding]:
    for path, value in suspect.items():
        what = bad_character(value, multiline=bool(path) and path[-1] in MULTILINE_KEYS)
        if what:
            yield Finding(path, f"{where(path)} 含有{what}，可能是复制时带入的，请删除")


def surprise_findings(surprises: dict[Path, tuple[str, str]]) -> Iterator[Finding]:
    for path, (value, kind) in surprises.items():
        keys = [p for p in path if isinstance(p, str)]
        if keys and keys[-1] in _NON_TEXT_KEYS:
            continue
        yield Finding(path, f"{where(path)} 的值 {value} 会被 YAML 当作{kind}而不是文本，请加引号：'{value}'")
