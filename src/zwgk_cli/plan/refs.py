"""What names a task among several plans (a workspace): the plan it comes from, and its
NAME:ID key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Ref", "Source"]


@dataclass(frozen=True, slots=True)
class Source:
    """The plan an item comes from, in a view of several plans (a workspace)."""

    name: str  # the plan's short name: 2022要点
    region: str | None
    index: int  # the plan's place in the workspace


class Ref(NamedTuple):
    """A task among several plans, written NAME:ID; sorts by the plans' order, then number.
    A named tuple: a workspace report looks its tasks up by their Ref a few hundred thousand
    times, and a tuple's hash and equality are the interpreter's own (a dataclass's are
    Python calls, and building one took three times as long)."""

    place: int  # its plan's place in the workspace (``index`` is a tuple's method)
    plan: str
    number: int

    def __str__(self) -> str:
        return f"{self.plan}:{self.number}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
