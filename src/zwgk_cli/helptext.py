"""Help screens in Chinese: Typer's own words (Usage, Options, …) translated.

Typer builds help from a few fixed English strings; these classes and the
translation hook replace them. If a Typer release renames the hooks, help falls
back to English rather than failing.
"""

from __future__ import annotations

from typing import Any

import typer.core
from typer.core import TyperCommand, TyperGroup

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
