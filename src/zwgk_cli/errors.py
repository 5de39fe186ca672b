"""Errors a user can meet, each with its exit code (the README has the table)."""

from __future__ import annotations

from dataclasses import dataclass


class ZwgkError(Exception):
    """Base class: ``str(error)`` is the Chinese message shown to the user."""

    exit_code = 1


class UsageError(ZwgkError):
    """A command-line value that cannot be used (a date, a number, a format)."""

    exit_code = 2


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


class WriteRefused(ZwgkError):
    """The plan could not be changed: read-only copy, lock, concurrent edit, disk."""

    exit_code = 6
