"""Surgical edits of one task: only that task's lines change, every other byte stays.

Each function takes the document as read and returns the new text. Lines are
replaced from the key's column on, so indentation, the list dash, comments
outside the task, quoting elsewhere and the file's line endings are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zwgk_cli.errors import NotFound, UsageError, WriteRefused
from zwgk_cli.plan.entries import Event, PeriodDone, UnitDone, fields_of
from zwgk_cli.plan.model import TASK_KEYS, Item, Status
from zwgk_cli.plan.occurrences import default_occurrence, find_occurrence
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.plan.texts import written_problem
from zwgk_cli.storage.store import Document
from zwgk_cli.storage.yamltree import scalar

__all__ = [
    "Block",
    "Outcome",
    "apply_done",
    "apply_event",
    "apply_reopen",
    "completion_day",
    "mark_done",
    "reopen",
    "scalar",
]

KEY_ORDER = TASK_KEYS  # a key the edit adds goes after the last one before it here


class Block:
    """The lines of one task, with pending replacements applied bottom-up."""

    def __init__(self, document: Document, task_id: int) -> None:
        where = document.task_lines(task_id)
        if where.flow:
            raise WriteRefused(
                f"任务 {task_id} 写成了单行 {{…}} 形式，无法只改动它的几行。请把它改成每个键一行后再试"
            )
        self.lines = document.lines  # shared, never changed: joined_text copies it once
        self.newline = document.newline
        self.keys = dict(where.keys)
        self.indent = min(col for _, col in self.keys.values())
        self.end = where.span[1]
        self.changes: list[tuple[int, int, list[str]]] = []

    def _extent(self, key: str) -> tuple[int, int]:
        line, _ = self.keys[key]
        first = line - 1
        later = [ln - 1 for ln, _ in self.keys.values() if ln - 1 > first]
        last = min(later) if later else self.end
        # Blank lines and comments after the value belong to what follows, not to this key.
        while last - 1 > first and self.lines[last - 1].strip()[:1] in ("", "#"):
            last -= 1
        return first, last

    def put(self, key: str, value: str, children: tuple[str, ...] = ()) -> None:
        """Set ``key`` to ``value`` (plus child lines, indented one level under it)."""
        nl = self.newline
        pad = " " * (self.indent + 2)
        body = [f"{key}: {value}".rstrip() + nl, *(pad + child + nl for child in children)]
        if key in self.keys:
            first, last = self._extent(key)
            body[0] = self.lines[first][: self.keys[key][1]] + body[0]
            self.changes.append((first, last, body))
            return
        body[0] = " " * self.indent + body[0]
        before = [k for k in KEY_ORDER[: KEY_ORDER.index(key)] if k in self.keys]
        anchor = before[-1] if before else max(self.keys, key=lambda k: self.keys[k][0])
        at = self._extent(anchor)[1]
        self.changes.append((at, at, body))

    def put_entries(self, key: str, entries: Sequence[Any]) -> None:
        """Set ``key`` to a list of entries, one line each (or leave it out when empty)."""
        if entries:
            self.put(key, "", tuple(entry_line(e) for e in entries))
        else:
            self.drop(key)

    def drop(self, key: str) -> None:
        if key in self.keys:
            first, last = self._extent(key)
            self.changes.append((first, last, []))

    def text(self) -> str:
        return joined_text([self])


def joined_text(blocks: Sequence[Block]) -> str:
    """The document with the changes of ``blocks`` (of different tasks of it) applied."""
    lines = list(blocks[0].lines)
    changes = [change for block in blocks for change in block.changes]
    # Bottom-up keeps earlier line numbers valid; at one spot, the first change ends up first.
    # A replacement that starts where an insertion goes is applied first, so the insertion
    # lands before it instead of inside it.
    order = sorted(
        range(len(changes)),
        key=lambda i: (changes[i][0], changes[i][1] > changes[i][0], i),
        reverse=True,
    )
    for first, last, body in (changes[i] for i in order):
        lines[first:last] = body
    return "".join(lines)


def _yaml_value(value: Any) -> str | None:
    """An entry's value as YAML on one line; None for what the line leaves out."""
    if value is None or value is False or value == ():
        return None
    if value is True:
        return "true"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return scalar(value) if value else None


def entry_line(entry: Any) -> str:
    """An entry (``entries.py``) as one flow mapping: ``- {period: 2023Q1, done_on: 2023-04-02}``."""
    pairs = ((name, _yaml_value(getattr(entry, name))) for name, _, _ in fields_of(type(entry)))
    return "- {" + ", ".join(f"{name}: {text}" for name, text in pairs if text is not None) + "}"


def write_entries(document: Document, task_id: int, key: str, entries: Sequence[Any]) -> str:
    """The plan with task ``task_id``'s ``key`` (progress, periods, events, …) set to ``entries``."""
    block = Block(document, task_id)
    block.put_entries(key, entries)
    return block.text()


def mark_done(document: Document, task_id: int, on: date, note: str | None) -> str:
    block = Block(document, task_id)
    block.put("status", Status.DONE.value)
    block.put("done_on", on.isoformat())
    if note:
        block.put("note", scalar(note))
    return block.text()


def reopen(document: Document, task_id: int) -> str:
    block = Block(document, task_id)
    block.put("status", Status.OPEN.value)
    block.drop("done_on")
    block.drop("progress")
    return block.text()


def mark_unit_done(document: Document, task_id: int, unit: str, on: date, note: str | None) -> str:
    """Record one unit's completion; the task becomes done when every unit is."""
    item = document.schedule.item(task_id)
    assert item is not None
    records = [r for r in item.task.progress if r.unit != unit]
    records.append(UnitDone(unit=unit, done_on=on, note=note or None))
    block = Block(document, task_id)
    put_progress(block, item, records)
    return block.text()


def put_progress(block: Block, item: Item, records: Sequence[UnitDone]) -> None:
    """Set the units' completions of ``item``; the task becomes done when every unit is."""
    block.put_entries("progress", records)
    finished = {r.unit: r.done_on for r in records}
    if all(s in finished for s in item.slots):
        block.put("status", Status.DONE.value)
        block.put("done_on", max(finished.values()).isoformat())


def reopen_unit(document: Document, task_id: int, unit: str) -> str:
    item = document.schedule.item(task_id)
    assert item is not None
    block = Block(document, task_id)
    block.put_entries("progress", [r for r in item.task.progress if r.unit != unit])
    if item.is_done:
        block.put("status", Status.OPEN.value)
        block.drop("done_on")
    return block.text()


@dataclass(frozen=True)
class Outcome:
    """What a write decided: its action, and the new text (None when nothing changes)."""

    action: str  # done, already_done, unit_done, unit_already_done, reopened, not_done, ...
    task_id: int
    unit: str | None = None
    day: date | None = None
    text: str | None = None
    period: str | None = None  # the occurrence of a recurring duty it was about
    said: str | None = None  # the words of a report it took back


def completion_problem(day: date, today: date, start: date | None) -> str | None:
    """Why ``day`` cannot be a completion date (in the future, or before the plan starts), as
    the end of a sentence about it; None when it can. The one rule done and collect check by."""
    if day > today:
        return f"晚于今天（{today}），完成日期不能在将来"
    if start is not None and day < start:
        return f"早于计划开始（{start}），请检查日期"
    return None


def completion_day(schedule: Schedule, on: date | None, today: date) -> date:
    """The completion date to record: ``on`` (default today), never in the future or before the plan."""
    day = on or today
    problem = completion_problem(day, today, plan_start(schedule))
    if problem:
        raise UsageError(f"--on {day} {problem}")
    return day


def plan_start(schedule: Schedule) -> date | None:
    """The first day work of the plan can be done: its first deadline's start, or the start of
    the period its recurring duties recur over."""
    starts = [i.due.start for i in schedule.items if i.due is not None]
    recurring = next((i.span.start for i in schedule.items if i.periodic and i.span is not None), None)
    if recurring is not None:
        starts.append(recurring)
    return min(starts) if starts else None


def unit_slot(schedule: Schedule, item: Item, unit: str) -> str:
    """The tracked unit of ``item`` that ``unit`` (a full or short name) stands for."""
    name = schedule.registry.resolve(unit)
    if name not in item.slots:
        raise NotFound(
            f"“{name}”不是任务 {item.id} 的牵头或主体责任单位。该任务的单位：{'、'.join(item.slots)}"
        )
    return name


def _check_note(note: str | None) -> None:
    what = written_problem(note) if note else None
    if what:
        raise UsageError(f"--note {what}，请改正后再试")


def _occurrence(item: Item, period: str | None, unit: str | None, today: date) -> Item:
    if period is not None:
        return find_occurrence(item, period, unit, today)
    return default_occurrence(item, today)


def _not_periodic(item: Item) -> UsageError:
    return UsageError(
        f"任务 {item.id} 的完成时间“{item.task.deadline}”不是周期性的，没有期次，请去掉 --period"
    )


def apply_done(
    document: Document,
    task_id: int,
    unit: str | None,
    on: date | None,
    today: date,
    note: str | None,
    period: str | None = None,
) -> Outcome:
    """Mark a task (or one unit's part of it, or one occurrence of a recurring duty) done,
    checked against the file as it is now."""
    schedule = document.schedule
    item = schedule.require(task_id)
    finished = completion_day(schedule, on, today)
    _check_note(note)
    if item.periodic:
        return _done_period(document, item, _occurrence(item, period, unit, today), unit, finished, note)
    if period is not None:
        raise _not_periodic(item)
    if item.is_done:
        return Outcome("already_done", task_id, day=item.task.done_on)
    if unit is None:
        return Outcome("done", task_id, day=finished, text=mark_done(document, task_id, finished, note))
    name = unit_slot(schedule, item, unit)
    if name in item.done_by:
        return Outcome("unit_already_done", task_id, name, item.done_by[name])
    return Outcome(
        "unit_done", task_id, name, finished, mark_unit_done(document, task_id, name, finished, note)
    )


def _done_period(
    document: Document, item: Item, occ: Item, unit: str | None, finished: date, note: str | None
) -> Outcome:
    period = occ.period
    assert period is not None
    if occ.is_done:
        return Outcome("period_already_done", item.id, day=occ.finished_on, period=period)
    name = unit_slot(document.schedule, occ, unit) if unit is not None else None
    if name is not None and name in occ.done_by:
        return Outcome("period_unit_already_done", item.id, name, occ.done_by[name], period=period)
    records = [*item.task.periods, PeriodDone(period, finished, name, note or None)]
    action = "period_unit_done" if name is not None else "period_done"
    return Outcome(
        action, item.id, name, finished, write_entries(document, item.id, "periods", records), period
    )


def _reopen_period(document: Document, item: Item, unit: str | None, period: str | None) -> Outcome:
    if period is None:  # the occurrence recorded last
        if not item.task.periods:
            return Outcome("period_not_done", item.id)
        period = item.task.periods[-1].period
    name = unit_slot(document.schedule, item, unit) if unit is not None else None
    keep = [r for r in item.task.periods if r.period != period or (name is not None and r.unit != name)]
    if len(keep) == len(item.task.periods):
        return Outcome("period_not_done", item.id, name, period=period)
    return Outcome(
        "period_reopened",
        item.id,
        name,
        text=write_entries(document, item.id, "periods", keep),
        period=period,
    )


def apply_event(
    document: Document, task_id: int, on: date, unit: str | None, note: str | None, today: date
) -> Outcome:
    """Record that the event a task's deadline counts from happened ``on`` (for ``unit``)."""
    item = document.schedule.require(task_id)
    if not item.periodic or item.deadline is None or item.deadline.after is None:
        raise UsageError(
            f"任务 {task_id} 的完成时间“{item.task.deadline}”不是从事件起算的"
            "（如“信息形成之日起20个工作日内”），不能记录事件"
        )
    if on > today:
        raise UsageError(f"--on {on} 晚于今天（{today}），事件日期不能在将来")
    _check_note(note)
    name = unit_slot(document.schedule, item, unit) if unit is not None else None
    if any(e.date == on and e.unit == name for e in item.task.events):
        return Outcome("event_already", task_id, name, on, period=on.isoformat())
    events = [*item.task.events, Event(on, name, note or None)]
    return Outcome(
        "event", task_id, name, on, write_entries(document, task_id, "events", events), on.isoformat()
    )


def apply_reopen(document: Document, task_id: int, unit: str | None, period: str | None = None) -> Outcome:
    """Set a task (or one unit's part of it, or an occurrence of a recurring duty) back to open."""
    item = document.schedule.require(task_id)
    if item.periodic:
        return _reopen_period(document, item, unit, period)
    if period is not None:
        raise _not_periodic(item)
    if unit is None:
        if not item.is_done and not item.done_by:
            return Outcome("not_done", task_id)
        # Each unit whose record goes is named (the records stay in the plan's git history).
        removed = "、".join(p.unit for p in item.task.progress) or None
        return Outcome("reopened", task_id, removed, text=reopen(document, task_id))
    name = unit_slot(document.schedule, item, unit)
    if name not in item.done_by:
        return Outcome("unit_not_done", task_id, name)
    return Outcome("unit_reopened", task_id, name, text=reopen_unit(document, task_id, name))


def item_after(schedule: Schedule, outcome: Outcome, today: date) -> Item | None:
    """The task an outcome was about as the plan now has it: for an occurrence, that occurrence."""
    item = schedule.item(outcome.task_id)
    if item is None or outcome.period is None or not item.periodic:
        return item
    try:
        return find_occurrence(item, outcome.period, outcome.unit, today)
    except UsageError:  # the occurrence was just reopened and no longer stands out
        return item
