"""A task's history from git: every commit that changed its lines, as before/after fields.

``git log -L`` finds the commits that touched the task's block (following it as lines move);
each version of the file is then read with the same safe reader as the plan itself, and the
task's fields compared with the parent commit's. Nothing here prints.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zwgk_cli.errors import NotFound
from zwgk_cli.plan.entries import entry_words
from zwgk_cli.plan.model import FIELD_NAMES, TASK_KEYS
from zwgk_cli.storage.yamltree import ProblemList, read_tree

__all__ = ["Change", "Revision", "task_history"]

_FIELDS = TASK_KEYS[1:]  # every key but the id (derived from model.Task)


@dataclass(frozen=True)
class Change:
    """One field of a task as one commit changed it."""

    field: str
    before: str | None
    after: str | None

    @property
    def label(self) -> str:
        return FIELD_NAMES.get(self.field, self.field)


@dataclass(frozen=True)
class Revision:
    """One commit that changed a task, and what it changed."""

    commit: str
    author: str
    date: str
    subject: str
    changes: tuple[Change, ...]


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise NotFound("没有找到 git 命令：查看历史需要安装 git") from None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "、".join(_text(v) or "" for v in value)
    if isinstance(value, dict):  # an entry: a unit's completion, a report, …
        return entry_words(value)
    return str(value)


def _task(text: str | None, task_id: int) -> tuple[dict[str, Any] | None, tuple[int, int] | None]:
    """Task ``task_id`` in one version of the file, and its lines (1-based, inclusive)."""
    if text is None:
        return None, None
    try:
        tree = read_tree(text)
    except ProblemList:  # a version that was broken when committed: no fields to compare
        return None, None
    tasks = tree.data.get("tasks") if isinstance(tree.data, dict) else None
    for pos, task in enumerate(tasks if isinstance(tasks, list) else []):
        if isinstance(task, dict) and task.get("id") == task_id:
            first, end = tree.spans[("tasks", pos)]
            return task, (first + 1, max(first + 1, end))
    return None, None


def _show(folder: Path, revision: str, relative: str) -> str | None:
    shown = _git(folder, "show", f"{revision}:{relative}")
    return shown.stdout.decode("utf-8", "replace").removeprefix("\ufeff") if shown.returncode == 0 else None


def task_history(path: Path, task_id: int) -> list[Revision]:
    """Newest first: each commit that changed task ``task_id`` in the plan at ``path``."""
    found = _git(path.resolve().parent, "rev-parse", "--show-toplevel")
    if found.returncode != 0 and b"dubious ownership" in found.stderr:
        raise NotFound(
            f"{path}: git 拒绝读取这个仓库，因为它属于另一个用户。如确认可信，请运行："
            f"git config --global --add safe.directory {path.resolve().parent}"
        )
    if found.returncode != 0:
        raise NotFound(f"{path}: 不在 git 仓库中，没有历史可查。把计划放进 git 仓库并提交后再用 zwgk history")
    folder = Path(found.stdout.decode().strip()).resolve()  # paths below are relative to the top
    relative = path.resolve().relative_to(folder).as_posix()
    head = _show(folder, "HEAD", relative)
    if head is None:
        raise NotFound(f"{path}: 文件还没有提交到 git，没有历史可查")
    task, lines = _task(head, task_id)
    if task is None or lines is None:
        raise NotFound(f"任务 {task_id} 还没有提交到 git（最近一次提交的计划中没有它）")
    first, last = lines
    log = _git(folder, "log", f"-L{first},{last}:{relative}", "--format=%x1e%H%x00%an%x00%aI%x00%s", "-s")
    if log.returncode != 0:
        raise NotFound(f"git log 失败：{log.stderr.decode('utf-8', 'replace').strip()}")
    revisions = []
    for record in log.stdout.decode("utf-8", "replace").split("\x1e")[1:]:
        commit, author, date, subject = record.strip("\n").split("\x00", 3)
        after, _ = _task(_show(folder, commit, relative), task_id)
        before, _ = _task(_show(folder, f"{commit}^", relative), task_id)
        changes = tuple(
            Change(key, _text((before or {}).get(key)), _text((after or {}).get(key)))
            for key in _FIELDS
            if (before or {}).get(key) != (after or {}).get(key)
        )
        revisions.append(Revision(commit, author, date, subject.strip(), changes))
    return revisions
