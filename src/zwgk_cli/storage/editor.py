"""Edit the plan by hand in the user's editor (``$VISUAL``, then ``$EDITOR``), safely.

The editor works on a copy beside the plan. When it closes, the copy is checked with the
same loader as every plan, and it replaces the plan (under the lock, atomically) only if
the plan is still byte for byte what it was when the copy was made: a ``zwgk done`` made
meanwhile is never reverted by the editor's save. A copy that is broken, or that would
overwrite someone else's change, is kept and named, and the plan is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from zwgk_cli.errors import PlanInvalid, Problem, UsageError, WriteRefused, os_reason
from zwgk_cli.storage import store

__all__ = ["edit_task", "editor_argv"]

# Editors that take "+LINE FILE" (vi, vim, nvim, nano, emacs, micro, kak, joe, mg, …) are the
# default; these take the line another way.
_COLON = {"subl", "sublime_text", "atom", "gedit", "mate"}  # FILE:LINE
_GOTO = {"code", "code-insiders", "codium", "cursor"}  # --goto FILE:LINE
_DASHES = {"vi", "vim", "nvim", "view", "nano", "emacs", "ex"}  # know "--" as the end of options


def editor_argv(path: Path, line: int, env: Mapping[str, str] = os.environ) -> list[str]:
    """The command that opens ``path`` at ``line``; the path is absolute, so never an option."""
    command = env.get("VISUAL") or env.get("EDITOR")
    if not command:
        raise UsageError("没有设置编辑器：请设置环境变量 EDITOR（或 VISUAL），如 export EDITOR=nano")
    try:
        argv = shlex.split(command)
    except ValueError:
        raise UsageError(f"无法解析编辑器设置“{command}”，请检查 EDITOR 的引号") from None
    if not argv:
        raise UsageError("编辑器设置 EDITOR 是空的，请设置为编辑器的命令，如 export EDITOR=nano")
    path = Path(os.path.abspath(path))
    name = Path(argv[0]).name.lower().removesuffix(".exe")
    if name in _GOTO:
        wait = [] if "--wait" in argv or "-w" in argv else ["--wait"]
        return [*argv, *wait, "--goto", f"{path}:{line}"]
    if name in _COLON:
        return [*argv, f"{path}:{line}"]
    if name in {"notepad", "notepad++"}:
        return [*argv, str(path)] if name == "notepad" else [*argv, f"-n{line}", str(path)]
    dashes = ["--"] if name in _DASHES else []
    return [*argv, f"+{line}", *dashes, str(path)]


def _no_copy(location: store.Location, exc: OSError) -> str:
    return (
        f"{location.path}: 无法在计划所在的文件夹中建立编辑用的副本（{os_reason(exc)}），计划文件未改动。"
        "请检查文件夹的写权限和磁盘空间"
    )


def edit_task(location: store.Location, task_id: int) -> tuple[int, list[Problem]]:
    """Open the plan at task ``task_id``; return the editor's exit code and the warnings left.

    Raises ``PlanInvalid`` (naming the kept copy) when the edit broke the plan, and
    ``WriteRefused`` when the plan changed while the editor was open.
    """
    if location.readonly:
        raise WriteRefused(f"{location.path}: 这是随程序安装的示例计划，只能查看。请先运行 zwgk init")
    document = store.load(location)
    document.schedule.require(task_id)
    line = document.tree.spans[("tasks", document.positions[task_id])][0] + 1
    target = Path(os.path.realpath(location.path))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.edit-", suffix=".yaml", dir=target.parent)
    except OSError as exc:  # a read-only folder: said, not a traceback (issue 23.14)
        raise WriteRefused(_no_copy(location, exc)) from None
    copy = Path(name)
    keep = False
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(document.raw)
        except OSError as exc:  # a full disk
            raise WriteRefused(_no_copy(location, exc)) from None
        argv = editor_argv(copy, line)
        try:
            code = subprocess.call(argv)
        except OSError as exc:
            raise UsageError(f"无法启动编辑器“{argv[0]}”（{os_reason(exc)}）。请检查 EDITOR 的设置") from None
        edited = copy.read_bytes()
        if edited == document.raw:
            return code, []
        problems = store.problems_in(store.Location(copy))
        if any(not p.warning for p in problems):
            keep = True
            raise PlanInvalid(
                str(location.path),
                [
                    *problems,
                    Problem(
                        0,
                        f"修改有错误，计划文件未改动；改过的副本保存在 {copy}，改正后可再用 zwgk check 检查",
                    ),
                ],
            )
        try:
            store.replace_checked(location, document.raw, edited)
        except WriteRefused as exc:
            keep = True
            raise WriteRefused(f"{exc}\n您的修改保存在 {copy}") from None
        return code, problems
    finally:
        if not keep:
            with contextlib.suppress(OSError):
                copy.unlink()
