"""Help and usage errors in Chinese.

Typer (0.29, which vendors click) builds help from a few fixed English words, looked up
through ``typer.core._``; ``_translate`` answers them in Chinese. Usage errors are told in
Chinese from the exception's type and attributes (the option, its suggestions, the
parameter, the pydantic error behind a bad value), not by matching English sentences, so
every message a user can meet is Chinese; ``tests/test_usage.py`` checks each one and the
help of every command. Typer is pinned to the release these hooks were tested with.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import typer
import typer.core
from typer._click import core as click_core
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup

from zwgk_cli.render.help_format import WidthFormatter, join_lines

__all__ = ["ChineseCommand", "ChineseGroup", "usage_error_text", "usage_message"]

_WORDS = {
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已取消",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name}。",
}

_OPTION_HELP = {
    "install_completion": "为当前的 shell（bash、zsh、fish）安装命令补全",
    "show_completion": "显示当前 shell 的命令补全脚本，以便复制或自行安装",
}


def _translate(text: str) -> str:
    return _WORDS.get(text, text)


setattr(typer.core, "_", _translate)  # noqa: B010 - the module-level gettext name Typer looks up


class _Context(typer.Context):
    """Help is laid out by display width (``help_format``): Click's ``formatter_class`` hook."""

    formatter_class = WidthFormatter


class TranslatedUsageError(click_errors.UsageError):
    """A usage error whose message is already Chinese."""


_TYPE_WORDS = {
    "<str>": "<文字>",
    "<int>": "<整数>",
    "<path>": "<路径>",
    "<float>": "<数字>",
    "<list[Path]>": "<路径…>",
    "<list[str]>": "<文字…>",
    "<int range>": "<整数>",
    "<TaskRef>": "<文字>",
}
_DATE_PARAMS = {"today", "on", "due_before", "due_after"}


def _chinese_type(param: Any, shown: Any) -> Any:
    """The value placeholder of an option in help (``--today <日期>``), in Chinese."""

    def label(ctx: Any) -> Any:
        if param.name in _DATE_PARAMS:
            return "<日期>"
        text = shown(ctx)
        return _TYPE_WORDS.get(text, text)

    return label


_RANGES = [
    (re.compile(r"(-?\d+)<=x<=(-?\d+)"), r"\1 至 \2"),
    (re.compile(r"x>=(-?\d+)"), r"不小于 \1"),
    (re.compile(r"x<=(-?\d+)"), r"不大于 \1"),
    (re.compile(r"; "), "；"),
]


def _chinese_record(record: Any) -> Any:
    """A parameter's help line with its range told in Chinese (``[默认：7；0 至 3660]``)."""

    def chinese(ctx: Any) -> Any:
        found = record(ctx)
        if found is None:
            return None
        name, help_text = found
        for pattern, words in _RANGES:
            help_text = pattern.sub(words, help_text)
        return name, help_text

    return chinese


class _Chinese:
    """Mixin: the usage line, the help option and Typer's own options in Chinese."""

    context_class: type[click_core.Context] = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = "[选项]"
        super().__init__(*args, **kwargs)
        if hasattr(self, "subcommand_metavar"):
            self.subcommand_metavar = "命令 [参数]…"

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "显示帮助并退出"
        return option

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if param.name in _OPTION_HELP:
                param.help = _OPTION_HELP[param.name]
            if hasattr(param, "display_type_rich") and not getattr(param, "_zwgk_label", False):
                param.display_type_rich = _chinese_type(param, param.display_type_rich)
                param.get_help_record = _chinese_record(param.get_help_record)
                param._zwgk_label = True
        return params

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first paragraph of the help, whole, its lines joined as Chinese is joined (Click
        joins with spaces and cuts at ``limit``; the formatter wraps by display width)."""
        text = self.short_help or (self.help or "").split("\n\n")[0]  # type: ignore[attr-defined]
        return join_lines(text.strip())

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")


class ChineseCommand(_Chinese, TyperCommand):
    def parse_args(self, ctx: Any, args: list[str]) -> Any:
        _once(self, ctx, args)
        return super().parse_args(ctx, args)


def _once(command: Any, ctx: Any, args: list[str]) -> None:
    """An option that takes one value, given twice, is an error: Click would keep the last value
    silently (``verify -u A -u B`` verifying only B). Options that take several say so in their help."""
    words = args[: args.index("--")] if "--" in args else args
    for param in command.params:
        if getattr(param, "param_type_name", "") != "option" or param.multiple or param.is_flag:
            continue
        given = sum(
            1 for w in words for o in param.opts if w == o or (o.startswith("--") and w.startswith(o + "="))
        )
        if given > 1 and not ctx.resilient_parsing:
            raise TranslatedUsageError(f"选项 {_param_name(param)} 只能给一次（这里给了 {given} 次）", ctx)


class ChineseGroup(_Chinese, TyperGroup):
    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        unknown = name and not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:  # completion asks with partial words: no error there
            close = difflib.get_close_matches(name, list(self.commands))
            hint = f"。您是否指：{'、'.join(close)}？" if close else ""
            raise TranslatedUsageError(f"没有命令 {name}{hint}", ctx)
        return super().resolve_command(ctx, args)


def _param_name(param: Any) -> str:
    if param is None:
        return "参数"
    if getattr(param, "param_type_name", "") == "option" and param.opts:
        return str(max(param.opts, key=len))
    return str(param.metavar or param.human_readable_name)


def _reason(exc: Any) -> str:
    """Why a value was refused, from the pydantic error Typer raised it from."""
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    if not errors:  # raised by one of our parsers, already in Chinese
        return str(exc.message) if exc.message else "无效"
    error = errors[0]
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    shown = f"“{value}”" if value is not None else ""
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{shown}不是整数"
    if kind in ("float_parsing", "float_type"):
        return f"{shown}不是数字"
    if kind == "greater_than_equal":
        return f"{shown}太小，应不小于 {ctx['ge']}"
    if kind == "greater_than":
        return f"{shown}太小，应大于 {ctx['gt']}"
    if kind == "less_than_equal":
        return f"{shown}太大，应不大于 {ctx['le']}"
    if kind == "less_than":
        return f"{shown}太大，应小于 {ctx['lt']}"
    if kind in ("enum", "literal_error"):
        return f"{shown}不是可选的值，可选：{ctx.get('expected', '')}"
    return f"{shown}无效"


_EXTRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)")


def usage_message(exc: Any) -> str:
    """A click/Typer usage error told in Chinese."""
    if isinstance(exc, TranslatedUsageError):
        return str(exc.message)
    if isinstance(exc, click_errors.NoSuchOption):
        close = sorted(exc.possibilities or ())
        hint = f"。您是否指：{'、'.join(close)}？" if close else ""
        return f"没有选项 {exc.option_name}{hint}"
    if isinstance(exc, click_errors.BadOptionUsage):
        if "does not take a value" in exc.message:
            return f"选项 {exc.option_name} 不带值"
        return f"选项 {exc.option_name} 需要一个值"
    if isinstance(exc, click_errors.MissingParameter):
        kind = "选项" if getattr(exc.param, "param_type_name", "") == "option" else "参数"
        return f"缺少{kind} {_param_name(exc.param)}"
    if isinstance(exc, click_errors.BadParameter):
        return f"{_param_name(exc.param)} 的值{_reason(exc)}"
    extra = _EXTRA.fullmatch(str(exc.message))
    if extra:
        return f"多余的参数：{extra.group(1)}"
    return str(_translate(exc.message))


def usage_error_text(exc: Any) -> str:
    """The whole line shown for a usage error: what is wrong, then where to look."""
    message = usage_message(exc).rstrip("。")
    stop = "" if message.endswith("？") else "。"
    return f"用法错误：{message}{stop}运行 zwgk --help 或 zwgk 命令 --help 查看用法"
