"""Help, usage errors and error messages in Chinese: Typer's own words translated, and the
one handler that turns every error into a Chinese message and its exit code.

Typer builds help from a few fixed English strings; these classes and the
translation hook replace them. If a Typer release renames the hooks, help falls
back to English rather than failing.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, NoReturn

import typer
import typer.core
from typer.core import TyperCommand, TyperGroup

from zwgk_cli.errors import ZwgkError
from zwgk_cli.render import clean

_WORDS = {
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "Aborted!": "已取消",
}


_OPTION_HELP = {
    "install_completion": "为当前的 shell（bash、zsh、fish）安装命令补全",
    "show_completion": "显示当前 shell 的命令补全脚本，以便复制或自行安装",
}


def _translate(text: str) -> str:
    return _WORDS.get(text, text)


if hasattr(typer.core, "_"):
    typer.core._ = _translate


class _Chinese:
    """Mixin: the usage line and the help option in Chinese."""

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

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")


class ChineseCommand(_Chinese, TyperCommand):
    pass


class ChineseGroup(_Chinese, TyperGroup):
    pass


def say(message: str) -> None:
    """Talk to the user on stderr (stdout carries only data)."""
    sys.stderr.write("".join(clean(line) + "\n" for line in message.split("\n")))


_CLICK_MESSAGES = [
    (r"No such option: (\S+?)\.?(?: Did you mean (\S+?)\?)?$", "没有选项 {0}"),
    (r"Option '(.+)' requires an argument\.?", "选项 {0} 需要一个值"),
    (r"Missing argument '(.+)'\.?", "缺少参数 {0}"),
    (r"Missing option '(.+)'\.?", "缺少选项 {0}"),
    (r"No such command '(.+)'\.?", "没有命令 {0}"),
    (r"Got unexpected extra argument\S* \((.+)\)", "多余的参数：{0}"),
    (r"Invalid value for '(.+)': .*valid integer.*", "{0} 应为整数"),
    (r"Invalid value for '(.+)': (.*)", "{0} 的值无效：{1}"),
]


def _click_message(exc: Any) -> str:
    """Click's English usage errors, told in Chinese."""
    text = str(exc.format_message()).strip()
    for pattern, template in _CLICK_MESSAGES:
        m = re.match(pattern, text)
        if m:
            return template.format(*m.groups())
    return text


class ZwgkGroup(ChineseGroup):
    """Turns every error into a Chinese message on stderr and its documented exit code."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except ZwgkError as exc:
            say(f"错误：{exc}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            say("已取消")
            sys.exit(1)
        except Exception as exc:
            if hasattr(exc, "exit_code") and hasattr(exc, "message"):  # a click usage error
                say(f"用法错误：{_click_message(exc)}。运行 zwgk --help 或 zwgk 命令 --help 查看用法")
                sys.exit(2)
            raise
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `zwgk list | head`: the reader left; not an error
            # Point stdout at /dev/null so that the flush at exit does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
