"""Open the plan in the user's editor at a given line (``$VISUAL``, then ``$EDITOR``)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from pathlib import Path

from zwgk_cli.errors import UsageError

__all__ = ["editor_argv"]

# Editors that take "+LINE FILE" (vi, vim, nvim, nano, emacs, micro, kak, joe, mg, …) are the
# default; these take the line another way.
_COLON = {"subl", "sublime_text", "atom", "gedit", "mate"}  # FILE:LINE
_GOTO = {"code", "code-insiders", "codium", "cursor"}  # --goto FILE:LINE


def editor_argv(path: Path, line: int, env: Mapping[str, str] = os.environ) -> list[str]:
    """The command that opens ``path`` at ``line`` in the user's editor."""
    command = env.get("VISUAL") or env.get("EDITOR")
    if not command:
        raise UsageError("没有设置编辑器：请设置环境变量 EDITOR（或 VISUAL），如 export EDITOR=nano")
    try:
        argv = shlex.split(command)
    except ValueError:
        raise UsageError(f"无法解析编辑器设置“{command}”，请检查 EDITOR 的引号") from None
    name = Path(argv[0]).name.lower().removesuffix(".exe")
    if name in _GOTO:
        wait = [] if "--wait" in argv or "-w" in argv else ["--wait"]
        return [*argv, *wait, "--goto", f"{path}:{line}"]
    if name in _COLON:
        return [*argv, f"{path}:{line}"]
    if name in {"notepad", "notepad++"}:
        return [*argv, str(path)] if name == "notepad" else [*argv, f"-n{line}", str(path)]
    return [*argv, f"+{line}", str(path)]
