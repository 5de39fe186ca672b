"""The plan as data: plain runtime classes, and each task's derived facts.

No I/O, no printing, and no pydantic. ``Task`` is the one definition of a task's fields:
each field's metadata gives the document's name for it (``label``) and its ``kind``, and
everything else is derived from that: the schema the file is validated against
(``schema.py``), the cache layout (``cache.py``), the key order of edits and history, the
document's column names in messages, and the JSON/CSV keys (``render/records.py``).
Adding a field is one line here (plus, for a new kind, one entry in each of those tables).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
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


def _field(label: str, kind: str, **kwargs: Any) -> Any:
    return field(metadata={"label": label, "kind": kind}, **kwargs)


@dataclass(frozen=True, slots=True)
class Task:
    """One row of the plan. Kinds: id, text, units, status, date, note, progress."""

    id: int = _field("序号", "id")
    category: str = _field("工作任务", "text")
    title: str = _field("具体任务", "text")
    responsible: tuple[str, ...] = _field("主体责任单位", "units")
    supervising: tuple[str, ...] = _field("主管单位", "units")
    deadline: str = _field("完成时间", "text")
    status: Status = _field("状态", "status", default=Status.OPEN)
    done_on: date | None = _field("完成日期", "date", default=None)
    note: str | None = _field("备注", "note", default=None)
    progress: tuple[UnitDone, ...] = _field("各单位进度", "progress", default=())


@dataclass(frozen=True)
class TaskField:
    key: str  # in the plan file, in JSON and CSV
    label: str  # the document's name for it
    kind: str
    required: bool


TASK_FIELDS = tuple(
    TaskField(
        f.name,
        f.metadata["label"],
        f.metadata["kind"],
        f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
    )
    for f in dataclasses.fields(Task)
)
TASK_KEYS = tuple(f.key for f in TASK_FIELDS)
FIELD_NAMES = {f.key: f.label for f in TASK_FIELDS}


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def unit_name(name: str) -> str:
    """A unit's name in one canonical form (NFC): look-alike spellings of a name are one name."""
    return name if name.isascii() else unicodedata.normalize("NFC", name)


# From plain data (as YAML or the cache gives it) to the runtime value, by kind.
_DECODE: dict[str, Any] = {
    "id": int,
    "text": str,
    "units": lambda v: tuple(unit_name(n) for n in v),
    "status": lambda v: Status(v or "open"),
    "date": _day,
    "note": lambda v: v,
    "progress": lambda v: tuple(
        UnitDone(unit_name(r["unit"]), _day(r["done_on"]) or date.min, r.get("note")) for r in v or ()
    ),
}
# And back: plain data that JSON can hold (the cache), by kind.
_ENCODE: dict[str, Any] = {
    "id": lambda v: v,
    "text": lambda v: v,
    "units": list,
    "status": lambda v: v.value,
    "date": lambda v: v.isoformat() if v else None,
    "note": lambda v: v,
    "progress": lambda v: [{"unit": r.unit, "done_on": r.done_on.isoformat(), "note": r.note} for r in v],
}


def task_from_data(data: dict[str, Any]) -> Task:
    """A ``Task`` from already validated plain data (dates as ``date`` or ISO text)."""
    return Task(**{f.key: _DECODE[f.kind](data[f.key]) for f in TASK_FIELDS if f.key in data})


def task_to_data(task: Task) -> dict[str, Any]:
    """Plain JSON-ready data for ``task``; ``task_from_data`` reads it back to an equal task."""
    return {f.key: _ENCODE[f.kind](getattr(task, f.key)) for f in TASK_FIELDS}


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


def plan_from_data(data: dict[str, Any]) -> Plan:
    """A ``Plan`` from already validated plain data (dates as ``date`` or ISO text)."""
    return Plan(
        title=data["title"],
        region=data.get("region"),
        source=data.get("source"),
        year=data.get("year"),
        kinds=tuple(data.get("kinds") or ()),
        units=tuple(Unit(unit_name(u["name"]), u["kind"]) for u in data.get("units") or ()),
        groups=tuple(
            Group(
                unit_name(g["name"]),
                tuple(g.get("kinds") or ()),
                tuple(unit_name(m) for m in g.get("members") or ()),
            )
            for g in data.get("groups") or ()
        ),
        tasks=tuple(task_from_data(t) for t in data["tasks"]),
    )


def is_late(due: DueRange | None, today: date) -> bool:
    """Whether a deadline has passed: overdue from the day after its last day."""
    return due is not None and due.end < today


def is_due_soon(due: DueRange | None, today: date, days: int) -> bool:
    """Whether a deadline ends between ``today`` and ``days`` days from now, both included."""
    return due is not None and today <= due.end <= today + timedelta(days=days)


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
        return not self.is_done and is_late(self.due, today)

    def is_due_soon(self, today: date, days: int) -> bool:
        return not self.is_done and is_due_soon(self.due, today, days)

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
