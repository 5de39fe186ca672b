"""Errors a user can meet, each with its exit code (docs/operations.md has the table)."""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class ZwgkError(Exception):
    """Base class: ``str(error)`` is the Chinese message shown to the user."""

    exit_code = 1


class UsageError(ZwgkError):
    """A command-line value that cannot be used (a date, a number, a format)."""

    exit_code = 2


def choose(
    option: str, value: str, choices: Mapping[str, str], aliases: Mapping[str, str] | None = None
) -> str:
    """The key of the choice a user named by its key or its Chinese name (``--status 逾期`` is
    ``overdue``); ``choices`` maps each key to its name. A usage error listing both otherwise."""
    words = {**{k: k for k in choices}, **{name: k for k, name in choices.items()}, **(aliases or {})}
    key = words.get(value.strip())
    if key is None:
        listed = "、".join(f"{k}（{name}）" for k, name in choices.items())
        raise UsageError(f"{option} 只能是 {listed}，不是“{value}”")
    return key


class PlanNotFound(ZwgkError):
    """No plan file, or one that cannot be opened or decoded."""

    exit_code = 3


@dataclass(frozen=True)
class Problem:
    """One problem in a plan file, located by line (1-based; 0 when unknown)."""

    line: int
    message: str
    warning: bool = False

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        kind = "警告：" if self.warning else ""
        return f"{where}: {kind}{self.message}"


class PlanInvalid(ZwgkError):
    """The plan file breaks the format; carries every problem found in one run."""

    exit_code = 4

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(p.format(path) for p in problems))


class NotFound(ZwgkError):
    """A task id, unit or group the plan does not have, or an ambiguous short name."""

    exit_code = 5


class ImportFailed(ZwgkError):
    """A document cannot be read as a plan; every problem names its row."""

    exit_code = 4


class WriteRefused(ZwgkError):
    """The plan could not be changed: read-only copy, lock, concurrent edit, disk."""

    exit_code = 6


_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.ENOENT: "不存在",
    errno.EISDIR: "是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统是只读的",
    errno.ELOOP: "符号链接过多（可能循环）",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "读写出错",
    errno.EBUSY: "文件正被占用",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件过大",
}


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in Chinese (its own words only when unknown)."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def need_extra(module: str, extra: str) -> Any:
    """The optional module ``module``, or a usage error saying which extra installs it."""
    try:
        return __import__(module)
    except ImportError:
        raise UsageError(
            f"这项功能需要可选组件 {module}，请先安装：pip install 'zwgk-cli[{extra}]'"
            f"（在本项目中：.venv/bin/pip install -e '.[{extra}]'）"
        ) from None
