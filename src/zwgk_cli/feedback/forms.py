"""Feedback forms (反馈表): what one unit owes, as rows it fills in and sends back.

A form lists a unit's open tasks (every role it has, shown), with the task's own cells locked
and four cells to fill: 完成情况, 完成日期, 进展说明, 佐证材料. It carries the plan's identity:
its title, a fingerprint of each task's definition and of them all (``version``), the unit and
the day it was exported, so that ``collect`` can match a returned form safely. Fingerprints
cover what defines a task (its number, texts, units, deadline), not its progress: recording
one unit's progress does not make the other units' forms out of date. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from zwgk_cli.errors import UsageError
from zwgk_cli.plan.model import TASK_FIELDS, Item, Task
from zwgk_cli.plan.occurrences import current, missed
from zwgk_cli.plan.texts import file_part
from zwgk_cli.tracking.query import match_unit

if TYPE_CHECKING:
    from zwgk_cli.plan.schedule import Schedule

__all__ = ["DONE", "STATES", "Column", "Form", "Line", "columns", "fingerprint", "forms", "line_cells"]

FORMAT = "zwgk-feedback-1"  # the identity sheet's layout, for readers of later versions
DONE, STATES = "已完成", ("已完成", "推进中", "未启动")
# The kinds of task field that define a task; the others record what was done about it.
_DEFINING = ("id", "text", "units", "label", "extra")


@dataclass(frozen=True)
class Column:
    """One column of a unit's feedback form: its key, its header, and whether the unit fills it in."""

    key: str
    header: str
    editable: bool
    width: int  # in Chinese characters


@dataclass(frozen=True)
class Line:
    """One row of a form: a task (or one occurrence of a recurring duty) the unit answers for."""

    task_id: int
    period: str | None
    cells: dict[str, str]  # the locked cells, by column key
    finishable: bool  # the unit leads or does it (its completion is tracked), not only helps
    fingerprint: str


@dataclass(frozen=True)
class Form:
    """A feedback form made for one unit: the plan's tasks it owes, in the columns it fills in."""

    unit: str
    title: str
    version: str
    exported: date
    columns: tuple[Column, ...]
    lines: tuple[Line, ...]
    plan_id: str | None = None  # the plan's id, where it has one

    @property
    def file_name(self) -> str:
        return f"反馈表-{file_part(self.unit)}-{self.exported.isoformat()}.xlsx"


def columns(schedule: Schedule, periodic: bool = True) -> tuple[Column, ...]:
    """A form's columns: the task and its deadline, the four to fill in right beside them, then
    the rest of the task for reference (its category, the unit's role), in the plan's own names."""
    names = schedule.plan.names
    head = [("id", names["id"], 6)]
    if periodic:
        head.append(("period", "期次", 11))
    head += [("title", names["title"], 30), ("deadline", names["deadline"], 14), ("due", "截止日期", 10)]
    editable = [("state", "完成情况", 10), ("finished", "完成日期", 12), ("text", "进展说明", 36)]
    editable.append(("evidence", "佐证材料", 20))
    tail = [("category", names["category"], 14)]
    if any(t.subcategory for t in schedule.plan.tasks):
        tail.append(("subcategory", names["subcategory"], 14))
    tail.append(("role", "本单位职责", 18))
    return (
        tuple(Column(k, h, False, w) for k, h, w in head)
        + tuple(Column(k, h, True, w) for k, h, w in editable)
        + tuple(Column(k, h, False, w) for k, h, w in tail)
    )


# Shown for the clerk, not checked on return: the date a deadline phrase comes to.
INFORMATIVE = ("due",)


def fingerprint(task: Task) -> str:
    """A short hash of what defines ``task`` (not of its progress)."""
    data = {f.key: getattr(task, f.key) for f in TASK_FIELDS if f.kind in _DEFINING}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def version(schedule: Schedule) -> str:
    """A hash of the plan's title and every task's definition."""
    parts = [schedule.plan.title, *(fingerprint(i.task) for i in schedule.items)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def line_cells(schedule: Schedule, item: Item, unit: str) -> dict[str, str]:
    """The locked cells of ``item``'s row in ``unit``'s form (``item`` may be an occurrence)."""
    task = item.task
    return {
        "id": str(task.id),
        "period": item.period or "",
        "category": task.category or "",
        "subcategory": task.subcategory or "",
        "title": task.title,
        "role": "、".join(m.describe() for m in match_unit(schedule, item, unit)),
        "deadline": task.deadline,
        "due": item.due.end.isoformat() if item.due else "无固定期限",
    }


def finished_by(item: Item, unit: str) -> date | None:
    """When ``unit`` finished its part of ``item`` (or of the occurrence), if it has."""
    if unit in item.done_by:
        return item.done_by[unit]
    return item.finished_on if item.is_done else None


def _rows_of(item: Item, today: date) -> list[Item]:
    if not item.periodic:
        return [item]
    rows = {v.period: v for v in [*missed(item, today), current(item, today)] if v.period is not None}
    return list(rows.values())


def unit_lines(schedule: Schedule, unit: str, today: date) -> list[Line]:
    """The rows of ``unit``'s form: every task it answers for that it has not finished."""
    lines = []
    for task in schedule.items:
        if not match_unit(schedule, task, unit):
            continue
        for item in _rows_of(task, today):
            finishable = unit in item.slots
            if (finishable and finished_by(item, unit) is not None) or item.is_done:
                continue
            cells = line_cells(schedule, item, unit)
            lines.append(Line(task.id, item.period, cells, finishable, fingerprint(task.task)))
    return lines


def form_units(schedule: Schedule) -> list[str]:
    """The units a form can go to: every unit, not the groups (which stand for many)."""
    registry = schedule.registry
    return [n for n in registry.names() if n not in registry.groups]


def forms(schedule: Schedule, today: date, unit: str | None = None) -> list[Form]:
    """The forms to send: ``unit``'s (even with nothing open), or every unit's with open rows."""
    names = [schedule.registry.resolve(unit)] if unit is not None else form_units(schedule)
    if unit is not None and names[0] in schedule.registry.groups:
        raise UsageError(f"“{names[0]}”是单位组，代表多个单位；反馈表发给单位，请指定其中的一个单位")
    built = []
    plan_version = version(schedule)
    for name in names:
        lines = unit_lines(schedule, name, today)
        if lines or unit is not None:
            periodic = any(line.period for line in lines)
            cols = columns(schedule, periodic)
            plan = schedule.plan
            built.append(Form(name, plan.title, plan_version, today, cols, tuple(lines), plan.plan_id))
    return built
