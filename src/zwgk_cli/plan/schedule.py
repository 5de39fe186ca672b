"""A validated plan as the commands see it: the plan, each task's derived facts (``Item``) and
the unit registry. Apart from the validator that builds it (``validate.py``), so that a read
of a plan the cache holds loads no checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zwgk_cli.errors import NotFound
from zwgk_cli.plan.lean import once

if TYPE_CHECKING:
    from zwgk_cli.plan.findings import Finding
    from zwgk_cli.plan.model import Item, Plan
    from zwgk_cli.plan.refs import Ref
    from zwgk_cli.plan.units import Registry

__all__ = ["Schedule"]


@dataclass(frozen=True)
class Schedule:
    """A validated plan, with each task's derived facts and the unit registry."""

    plan: Plan
    items: tuple[Item, ...]
    registry: Registry
    warnings: tuple[Finding, ...] = ()
    name: str = ""  # the plan's short name in its workspace ("" for a view of several plans)

    @once
    def by_id(self) -> dict[int | Ref, Item]:
        """Each task by its key: worked out when a command first looks a task up (a cached plan
        does not keep it, and a workspace never asks each plan's own)."""
        return {i.id: i for i in self.items}

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "by_id"}

    def item(self, task_id: int | Ref) -> Item | None:
        return self.by_id.get(task_id)

    def require(self, task_id: int | Ref) -> Item:
        """The task ``task_id``, or ``NotFound`` naming the ids the plan has."""
        item = self.by_id.get(task_id)
        if item is None:
            ids = [i.id for i in self.items]
            span = f"（共 {len(ids)} 项，序号 {min(ids)}–{max(ids)}）" if ids else ""
            raise NotFound(f"计划中没有序号为 {task_id} 的任务{span}")
        return item

    def with_items(self, items: Sequence[Item]) -> Schedule:
        """The same plan with these items (some tasks revised): its tasks and index follow."""
        plan = dataclasses.replace(self.plan, tasks=tuple(i.task for i in items))
        return dataclasses.replace(self, plan=plan, items=tuple(items))

    def categories(self) -> list[str]:
        return list(dict.fromkeys(i.task.category for i in self.items if i.task.category))

    def require_category(self, category: str) -> str:
        if category not in self.categories():
            raise NotFound(f"计划中没有工作任务“{category}”。现有：{'、'.join(sorted(self.categories()))}")
        return category
