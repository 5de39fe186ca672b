"""What names a task among several plans (a workspace): the plan it comes from, and its
NAME:ID key."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Ref", "Source"]


@dataclass(frozen=True, slots=True)
class Source:
    """The plan an item comes from, in a view of several plans (a workspace)."""

    name: str  # the plan's short name: 2022要点
    region: str | None
    index: int  # the plan's place in the workspace


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """A task among several plans, written NAME:ID; sorts by the plans' order, then number."""

    index: int
    plan: str
    number: int
    # Worked out once: a workspace report looks its tasks up by their Ref a few hundred
    # thousand times, and the generated __hash__ builds a tuple each time.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.index, self.plan, self.number)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[type[Ref], tuple[int, str, int]]:
        return Ref, (self.index, self.plan, self.number)  # a string's hash differs by process

    def __str__(self) -> str:
        return f"{self.plan}:{self.number}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
