"""The plan as data: plain runtime classes, and each task's derived facts.

No I/O, no printing, and no pydantic. ``Task`` is the one definition of a task's fields:
each field's metadata gives the document's name for it (``label``) and its ``kind``, and
everything else is derived from that: the schema the file is validated against
(``schema.py``), its conversion from plain data (``data.py``), the key order of edits and
history, the document's column names in messages, and the JSON/CSV keys
(``render/records.py``). Adding a field is one line here (plus, for a new kind, one entry in
each of the tables by kind).

The classes the cache stores have no ``__slots__``: an instance with a ``__dict__`` is
unpickled by one C call, a slotted dataclass by its Python ``__setstate__`` (half the time of
a cached read of 10,000 tasks went there). Tasks and items are pickled without the fields that
hold their defaults (``lean.Lean``): a dataclass default is also a class attribute, so a field left
out of an instance's ``__dict__`` still reads as its default, and a task is mostly defaults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NoReturn

from zwgk_cli.dates.deadlines import DueRange, days_late, is_due_soon, is_late
from zwgk_cli.plan.entries import (
    ENTRY_TYPES,
    Event,
    PeriodDone,
    Report,
    UnitDone,
    Verified,
)
from zwgk_cli.plan.lean import Lean, once
from zwgk_cli.plan.refs import Ref, Source

if TYPE_CHECKING:
    from zwgk_cli.dates.phrases import Deadline


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True)
class Unit:
    """A unit the plan registers, and its kind (区直部门, 乡镇, …)."""

    name: str
    kind: str


@dataclass(frozen=True)
class Group:
    """A name that stands for many units (各乡镇（区）人民政府), and its members where the plan lists them."""

    name: str
    kinds: tuple[str, ...] = ()
    members: tuple[str, ...] = ()


GROUP_KIND = "单位组"  # what a group is shown as where units show their kind


class _Nobody(dict[str, date]):
    """No unit has recorded its part: one shared map, empty and read-only, the default of every
    item's ``done_by`` (which a cached item leaves out, as most do: ``Lean``)."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]  # an immutable default, as dataclasses asks
        return 0

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("an item's done_by is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse


NOBODY: Mapping[str, date] = _Nobody()


def _field(label: str, kind: str, *, optional: bool = False, **kwargs: Any) -> Any:
    """A task field: the document's name for it, its kind, and whether the file may leave it
    out (``optional``, for a field the dataclass takes positionally; one with a default is
    optional anyway)."""
    return field(metadata={"label": label, "kind": kind, "optional": optional}, **kwargs)


@dataclass(frozen=True)
class Task(Lean):
    """One row of the plan. Kinds: id, text, label, units, status, date, note, progress, extra.

    New fields go at the end, so that the plan file's and the JSON's key order stay as they are.
    """

    id: int = _field("序号", "id")
    category: str | None = _field("工作任务", "label", optional=True)  # None: the table has none
    title: str = _field("具体任务", "text")
    responsible: tuple[str, ...] = _field("主体责任单位", "units", optional=True)
    supervising: tuple[str, ...] = _field("主管单位", "units", optional=True)
    # "" where the table gives none (no deadline column): a task with no fixed date.
    deadline: str = _field("完成时间", "text", default="")
    status: Status = _field("状态", "status", default=Status.OPEN)
    done_on: date | None = _field("完成日期", "date", default=None)
    note: str | None = _field("备注", "note", default=None)
    progress: tuple[UnitDone, ...] = _field("各单位进度", "progress", default=())
    subcategory: str | None = _field("二级任务", "label", default=None)
    lead: tuple[str, ...] = _field("牵头单位", "units", default=())
    cooperating: tuple[str, ...] = _field("配合单位", "units", default=())
    extra: tuple[tuple[str, str], ...] = _field("其他列", "extra", default=())
    periods: tuple[PeriodDone, ...] = _field("各期完成情况", "periods", default=())
    events: tuple[Event, ...] = _field("事件记录", "events", default=())
    reports: tuple[Report, ...] = _field("进展情况", "reports", default=())
    verified: tuple[Verified, ...] = _field("核实销号", "verified", default=())


@dataclass(frozen=True)
class TaskField:
    """One field of ``Task`` as the rest of the code sees it."""

    key: str  # in the plan file, in JSON and CSV
    label: str  # the document's name for it
    kind: str
    required: bool


TASK_FIELDS = tuple(
    TaskField(
        f.name,
        f.metadata["label"],
        f.metadata["kind"],
        f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
        and not f.metadata["optional"],
    )
    for f in dataclasses.fields(Task)
)
TASK_KEYS = tuple(f.key for f in TASK_FIELDS)
# The kinds of field a task records as the work goes on (its status, dates, notes, each unit's
# progress, occurrences, events, reports, checks): no check across tasks reads them, so a change
# of these alone is validated task by task (``validate.revise``).
RECORD_KINDS = frozenset({"status", "date", "note", *ENTRY_TYPES})
FIELD_NAMES = {f.key: f.label for f in TASK_FIELDS}
# The roles a unit can have in a task, in the order a table shows them; progress is tracked
# unit by unit for those who do the work (lead and responsible).
ROLES = ("lead", "responsible", "cooperating", "supervising")
TRACKED_ROLES = ("lead", "responsible")
ROLE_NAMES = {role: FIELD_NAMES[role] for role in ROLES}


@dataclass(frozen=True)
class Scoring:
    """How units are scored at year end (考评): points per task by how it was done, and
    deductions; the common government schemes are these numbers."""

    on_time: float = 10.0  # a task done by its deadline
    late: float = 6.0  # a task done after it, before the deductions per day
    per_overdue_day: float = -0.2  # per day a task was (or still is) late
    per_return: float = -1.0  # per time the office returned the unit's report
    floor: float | None = 0.0  # no task scores below this (None: no floor)
    verified_only: bool = True  # with verification on, only verified work counts as done


@dataclass(frozen=True)
class Plan:
    """A plan file's content: its head fields, its tasks, and its registered units and groups."""

    title: str
    tasks: tuple[Task, ...]
    # The plan's own id (计划编号): the feedback forms record it, so collect knows their plan
    # even where two plans share a title. Written by init and import; older plans have none.
    plan_id: str | None = None
    region: str | None = None
    source: str | None = None
    year: int | None = None
    # The years a plan runs over (2020—2021年), for its recurring duties' occurrences.
    period: str | None = None
    kinds: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    groups: tuple[Group, ...] = ()
    # The document's own names for its columns (责任科室 for responsible, 具体要求 for title).
    columns: tuple[tuple[str, str], ...] = ()
    # The supervision loop: a unit's done is 已报完成 until the office verifies it (复核).
    verification: bool = False
    office: str | None = None  # the supervising office that signs notices (落款)
    contact: str | None = None  # who answers for the office on notices (联系人)
    phone: str | None = None  # and how to reach them (联系电话)
    issued: date | None = None  # the date the plan's notice was issued (印发日期)
    scoring: Scoring | None = None
    name: str | None = None  # its short name in a workspace of several plans (default: the file's)

    @property
    def rules(self) -> Scoring:
        """The scoring rules: the plan's, or the defaults (docs/supervision.md) where it sets none."""
        return self.scoring or Scoring()

    @property
    def names(self) -> dict[str, str]:
        """Each field's name as this plan's table calls it."""
        return {**FIELD_NAMES, **dict(self.columns)}


def all_units(task: Task) -> tuple[str, ...]:
    """Every name in every role of ``task``, as written (同（N） included)."""
    return tuple(name for role in ROLES for name in getattr(task, role))


PERIODIC = ("recurring", "event")


@dataclass(frozen=True)
class Item(Lean):
    """A task with everything derived from the plan worked out; or, for a recurring or
    event-counted duty, one occurrence of it (``period`` set, ``due`` that occurrence's)."""

    task: Task
    due: DueRange | None
    # Each role's units, 同（N） resolved to the units it stands for; a role with none left out.
    units: dict[str, tuple[str, ...]]
    # Lead and responsible units tracked one by one (groups expanded to their members), each once.
    slots: tuple[str, ...]
    # Which of those slots have recorded completion (of this occurrence), and when.
    done_by: Mapping[str, date] = NOBODY
    deadline: Deadline | None = None  # the 完成时间 cell as read
    span: DueRange | None = None  # the plan's period, over which a recurring duty recurs
    period: str | None = None  # the occurrence this item is about (2023Q1, 2023-04, 2024-09-27)
    closed_on: date | None = None  # the occurrence recorded done as a whole, on
    verification: bool = False  # its plan's: a unit's done is 已报完成 until the office verifies it
    source: Source | None = None  # its plan, in a view of several plans

    @once
    def kind(self) -> str:
        """dated, nodate, recurring or event."""
        if self.deadline is not None:
            return self.deadline.kind
        return "dated" if self.due is not None else "nodate"

    @once
    def periodic(self) -> bool:
        """Whether the task is tracked occurrence by occurrence: a recurring duty, or one counted
        from events. (A dated cell with an event part, 2020年底前或变更后10日内, is tracked by its date.)"""
        # ``kind in PERIODIC``, read from the deadline: without one a task is dated or nodate, and
        # every command asks this of every task, where few ask its kind.
        return self.deadline is not None and self.deadline.kind in PERIODIC

    @once
    def id(self) -> int:
        """The task's number; among several plans, a ``Ref`` (NAME:ID) that acts as one."""
        return self.sibling(self.task.id)  # type: ignore[return-value]

    def tagged(self, source: Source) -> Item:
        """This task as one of the plan ``source`` in a view of several: ``dataclasses.replace``
        made as unpickling makes an object (``__init__`` checks nothing, and a workspace copies
        every task of every plan: in a third of the time). Its key is worked out anew, as a
        NAME:ID; nothing else it has worked out reads its plan, and is kept (worked out again for
        each of 20,000 tasks, whether they recur took a tenth of a workspace report).
        tests/test_workspace.py checks, method by method, that only the key reads ``source``."""
        copy = object.__new__(Item)
        state = copy.__dict__
        state.update(self.__dict__)
        state["source"] = source
        state.pop("id", None)
        return copy

    def sibling(self, number: int) -> int | Ref:
        """The key of task ``number`` of the same plan (among several plans, its NAME:ID)."""
        if self.source is None:
            return number
        return Ref(self.source.index, self.source.name, number)

    @property
    def responsible(self) -> tuple[str, ...]:
        return self.units.get("responsible", ())

    @property
    def supervising(self) -> tuple[str, ...]:
        return self.units.get("supervising", ())

    @once
    def is_done(self) -> bool:
        if self.task.status is Status.DONE or self.closed_on is not None:
            return True
        return self.period is not None and bool(self.slots) and all(s in self.done_by for s in self.slots)

    @property
    def finished_on(self) -> date | None:
        """When the task (or this occurrence) was done: as a whole, or by the last of its units."""
        if self.closed_on is not None:
            return self.closed_on
        if self.period is not None and self.slots and all(s in self.done_by for s in self.slots):
            return max(self.done_by[s] for s in self.slots)
        return self.task.done_on

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and is_late(self.due, today)

    def is_due_soon(self, today: date, days: int) -> bool:
        return not self.is_done and is_due_soon(self.due, today, days)

    def days_overdue(self, today: date) -> int | None:
        """How many days it is overdue on ``today``; None when it is not (done, or no day late)."""
        return None if self.is_done else days_late(self.due, today) or None

    @once  # an item never changes: work these out once
    def by_period(self) -> dict[str, list[PeriodDone]]:
        """The task's completion records of a recurring duty, by period."""
        found: dict[str, list[PeriodDone]] = {}
        for record in self.task.periods:
            found.setdefault(record.period, []).append(record)
        return found

    @once
    def per_unit(self) -> bool:
        """Whether some unit recorded its own part of an occurrence or an event of its own."""
        return any(r.unit is not None for r in self.task.periods) or any(e.unit for e in self.task.events)

    @property
    def done_count(self) -> int:
        """How many of the tracked units have done their part (all, once the whole is done)."""
        return len(self.slots) - len(self.outstanding)

    @once
    def outstanding(self) -> tuple[str, ...]:
        if self.is_done:
            return ()
        return tuple(s for s in self.slots if s not in self.done_by)
