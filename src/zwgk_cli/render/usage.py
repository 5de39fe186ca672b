"""Help and usage errors in Chinese, through the extension points Click and Typer offer: the
group and command classes (``cls=``), their ``context_class`` and its ``formatter_class``
(``help_format``, which also puts the English words of help into Chinese), and the usage
error's type and attributes (the option, its suggestions, the parameter, the pydantic error
behind a bad value), not English sentences. Nothing in Typer or Click is patched;
``tests/test_usage.py`` checks every message a user can meet and the help of every command
against the installed Typer.
"""

from __future__ import annotations

import difflib
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from zwgk_cli.patterns import lazy
from zwgk_cli.render.clicks import core as click_core
from zwgk_cli.render.clicks import exceptions as click_errors
from zwgk_cli.render.help_format import WidthFormatter, join_lines

__all__ = ["ChineseCommand", "ChineseGroup", "usage_error_text", "usage_message"]

_OPTION_HELP = {
    "install_completion": "为当前的 shell（bash、zsh、fish）安装命令补全",
    "show_completion": "显示当前 shell 的命令补全脚本，以便复制或自行安装",
}


class _Context(typer.Context):
    """Help is laid out by display width (``help_format``): Click's ``formatter_class`` hook."""

    formatter_class = WidthFormatter


class TranslatedUsageError(click_errors.UsageError):
    """A usage error whose message is already Chinese."""


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


_EXTRA = lazy(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)")


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
    return str(exc.message)


def usage_error_text(exc: Any) -> str:
    """The whole line shown for a usage error: what is wrong, then where to look."""
    message = usage_message(exc).rstrip("。")
    stop = "" if message.endswith("？") else "。"
    return f"用法错误：{message}{stop}运行 zwgk --help 或 zwgk 命令 --help 查看用法"
