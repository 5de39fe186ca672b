"""The plan as data: plain runtime classes, and each task's derived facts.

No I/O, no printing, and no pydantic (the schema the file is validated against is in
``schema.py``, loaded only when a plan is validated). ``Plan`` mirrors the file key by key;
``Schedule`` is a validated plan with everything the queries need worked out
once: each task's date range, its units with ``同（N）`` resolved, its progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from zwgk_cli.deadlines import DueRange


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    kinds: tuple[str, ...] = ()
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitDone:
    """One responsible unit's completion of a task shared by several units."""

    unit: str
    done_on: date
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    category: str
    title: str
    responsible: tuple[str, ...]
    supervising: tuple[str, ...]
    deadline: str
    status: Status = Status.OPEN
    done_on: date | None = None
    note: str | None = None
    progress: tuple[UnitDone, ...] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    title: str
    tasks: tuple[Task, ...]
    region: str | None = None
    source: str | None = None
    year: int | None = None
    kinds: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    groups: tuple[Group, ...] = ()


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def plan_from_data(data: dict[str, Any]) -> Plan:
    """A ``Plan`` from already validated plain data (dates as ``date`` or ISO text)."""
    return Plan(
        title=data["title"],
        region=data.get("region"),
        source=data.get("source"),
        year=data.get("year"),
        kinds=tuple(data.get("kinds") or ()),
        units=tuple(Unit(u["name"], u["kind"]) for u in data.get("units") or ()),
        groups=tuple(
            Group(g["name"], tuple(g.get("kinds") or ()), tuple(g.get("members") or ()))
            for g in data.get("groups") or ()
        ),
        tasks=tuple(
            Task(
                id=t["id"],
                category=t["category"],
                title=t["title"],
                responsible=tuple(t["responsible"]),
                supervising=tuple(t["supervising"]),
                deadline=t["deadline"],
                status=Status(t.get("status") or "open"),
                done_on=_day(t.get("done_on")),
                note=t.get("note"),
                progress=tuple(
                    UnitDone(r["unit"], _day(r["done_on"]) or date.min, r.get("note"))
                    for r in t.get("progress") or ()
                ),
            )
            for t in data["tasks"]
        ),
    )


# Keys of a task, in the order the plan file writes them, with the document's names for them.
FIELD_NAMES = {
    "id": "序号",
    "category": "工作任务",
    "title": "具体任务",
    "responsible": "主体责任单位",
    "supervising": "主管单位",
    "deadline": "完成时间",
    "status": "状态",
    "done_on": "完成日期",
    "note": "备注",
    "progress": "各单位进度",
}


TASK_KEYS = tuple(FIELD_NAMES)


@dataclass(frozen=True)
class Item:
    """A task with everything derived from the plan worked out."""

    task: Task
    due: DueRange | None
    responsible: tuple[str, ...]
    supervising: tuple[str, ...]
    # Responsible units tracked one by one (groups expanded to their members).
    slots: tuple[str, ...]
    # Which of those slots have recorded completion, and when.
    done_by: dict[str, date] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.task.id

    @property
    def is_done(self) -> bool:
        return self.task.status is Status.DONE

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.due is not None and self.due.end < today

    def days_overdue(self, today: date) -> int | None:
        if not self.is_overdue(today):
            return None
        assert self.due is not None
        return (today - self.due.end).days

    @property
    def done_count(self) -> int:
        if self.is_done:
            return len(self.slots)
        return sum(1 for s in self.slots if s in self.done_by)

    @property
    def outstanding(self) -> tuple[str, ...]:
        if self.is_done:
            return ()
        return tuple(s for s in self.slots if s not in self.done_by)
