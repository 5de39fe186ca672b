"""The machine formats (JSON, CSV): a contract of stable keys in a fixed order, no colour.

A task's keys are derived from ``model.Task``: its stored fields in order (units with
``同（N）`` resolved), the date range right after the deadline, and the computed keys in the
place of the stored progress; fields added to ``Task`` later come after them, so the keys
of existing consumers never move.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
from collections.abc import Callable, Sequence
from datetime import date
from itertools import chain
from typing import IO, TYPE_CHECKING, Any

from zwgk_cli.plan.entries import ENTRY_TYPES, entry_to, entry_words
from zwgk_cli.plan.model import TASK_FIELDS
from zwgk_cli.plan.verification import task_status, unit_states
from zwgk_cli.render.safe import cell_text, clean, json_safe, json_safe_bytes

if TYPE_CHECKING:
    from zwgk_cli.dates.phrases import Deadline
    from zwgk_cli.plan.occurrences import Explanation
    from zwgk_cli.plan.refs import Ref
    from zwgk_cli.plan.schedule import Schedule
    from zwgk_cli.plan.units import Match
    from zwgk_cli.tracking.query import Row, UnitDuties
    from zwgk_cli.tracking.report import Line
    from zwgk_cli.tracking.score import TaskScore, UnitScore

__all__ = [
    "REPORT_KEYS",
    "TASK_KEYS",
    "UNIT_KEYS",
    "report_records",
    "task_record",
    "write_json",
    "write_records",
]

# Computed keys placed right after a stored field, and those that close every task object.
_AFTER = {"deadline": ("due_start", "due_end"), "extra": ("kind", "rule", "period")}
_INSTEAD = {"progress": ("overdue", "days_overdue", "progress", "matched_as")}
# The plan a task comes from (its short name, and its region), after every other key.
_PLAN_KEYS = ("plan", "region")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _id(key: int | Ref) -> int | str:
    """A task's key as a record shows it: its number, or among several plans ``NAME:ID``.
    Records hold only JSON's own types: whichever writer writes them, the text is the same."""
    return key if type(key) is int else str(key)


def _entries(value: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [entry_to(r) for r in value]


# How JSON shows a stored field of each kind that it does not show as it is (a task's units,
# status and done date are the row's own: see ``task_record``).
_CONVERT: dict[str, Callable[[Any], Any]] = {
    "extra": dict,
    **dict.fromkeys(ENTRY_TYPES, _entries),
}


def _layout() -> tuple[tuple[str, str | None, Callable[[Any], Any] | None], ...]:
    """Each key of a task object, in order, with the kind of the stored field it comes from
    (None: computed) and how it is shown; worked out once, not for every task written."""
    steps = []
    for f in TASK_FIELDS:
        for key in _INSTEAD.get(f.key, (f.key, *_AFTER.get(f.key, ()))):
            kind = None if key != f.key or f.key in _INSTEAD else f.kind
            steps.append((key, kind, _CONVERT.get(kind) if kind else None))
    return tuple(steps)


_LAYOUT = _layout()
TASK_KEYS = (*(key for key, _, _ in _LAYOUT), *_PLAN_KEYS)
# The keys a row gives of its own (``task_record``'s ``computed``): those above, and the stored
# status and date, which a row about one occurrence gives as that occurrence has them.
_COMPUTED = frozenset(
    {*(k for keys in (*_AFTER.values(), *_INSTEAD.values()) for k in keys), "status", "done_on"}
)


def _value(key: str, kind: str | None, convert: Callable[[Any], Any] | None) -> str:
    """The expression for one key of a task object in ``_build``'s generated code."""
    if key in _COMPUTED:  # computed, and the status and date of the row's own occurrence
        return f"c[{key!r}]"
    if kind == "units":  # from the item: 同（N） already resolved to the units it stands for
        return f"list(units.get({key!r}, ()))"
    if convert is None:
        return f"task.{key}"
    # Most tasks have none of a kind (no extra columns, no reports): the empty value is written
    # as a display (``[]``), not made by a call.
    return f"convert[{key!r}](task.{key}) if task.{key} else {convert(())!r}"


@functools.cache
def _build() -> Callable[..., dict[str, Any]]:
    """A function that makes a task object in one dict display, its keys in ``TASK_KEYS``
    order, generated from ``_LAYOUT`` as dataclasses generates ``__init__``: a loop over the
    keys of each task took about 1.7% of a 10,000-task ``overdue --format json`` (instructions)."""
    values = [f"{key!r}: {_value(key, kind, convert)}" for key, kind, convert in _LAYOUT]
    values += [f"{key!r}: {key}" for key in _PLAN_KEYS]
    source = f"def build(task, units, c, plan, region):\n    return {{{', '.join(values)}}}\n"
    space: dict[str, Any] = {"convert": {key: c for key, _, c in _LAYOUT if c is not None}}
    exec(source, space)  # the source is made of the field names of ``Task`` alone
    built: Callable[..., dict[str, Any]] = space["build"]
    return built


def _match_record(match: Match) -> dict[str, Any]:
    through = match.group if match.via == "group" else f"同（{match.ref}）" if match.via == "ref" else None
    return {"role": match.role, "via": match.via, "through": through}


def task_record(row: Row, today: date, schedule: Schedule | None = None) -> dict[str, Any]:
    """One task as the stable JSON object described in docs/format.md; where its plan verifies,
    ``status`` is open | reported | verified and each unit's state is listed. ``plan`` and
    ``region``: the task's plan in a view of several, else ``schedule``'s."""
    item = row.item
    late = item.days_overdue(today)  # None: not overdue
    computed: dict[str, Any] = {
        "due_start": item.due.start.isoformat() if item.due else None,
        "due_end": item.due.end.isoformat() if item.due else None,
        "overdue": late is not None,
        "days_overdue": late,
        "progress": {
            "done": item.done_count,
            "total": len(item.slots),
            "outstanding": list(item.outstanding),
        },
        "matched_as": [_match_record(m) for m in row.matches] if row.matches else None,
        "kind": item.kind,
        "rule": item.deadline.rule_text if item.deadline is not None else None,
        "period": item.period,
    }
    if item.verification and item.period is None:
        computed["progress"]["units"] = [
            {"unit": s.unit, "status": s.status, "date": _iso(s.date)} for s in unit_states(item)
        ]
    # A row about one occurrence is done (and when) as that occurrence is.
    computed["status"] = task_status(item) if item.period is None else "done" if item.is_done else "open"
    computed["done_on"] = _iso(item.finished_on)
    source = item.source
    plan = source.name if source is not None else schedule.name if schedule else None
    region = source.region if source is not None else schedule.plan.region if schedule else None
    return _build()(item.task, item.units, computed, plan, region)


def _part_record(deadline: Deadline) -> dict[str, Any]:
    due = deadline.due
    return {
        "phrase": deadline.phrase,
        "kind": deadline.kind,
        "rule": deadline.rule_text,
        "start": _iso(due.start if due else None),
        "end": _iso(due.end if due else None),
    }


def date_record(answer: Explanation) -> dict[str, Any]:
    """``zwgk date --format json``: the keys of the table in docs/commands.md, in this order."""
    deadline = answer.deadline
    return {
        "phrase": deadline.phrase,
        "start": _iso(answer.start),
        "end": _iso(answer.end),
        "kind": deadline.kind,
        "rule": deadline.rule_text,
        "occurrences": [
            {"period": o.period, "start": _iso(o.start), "end": _iso(o.end)} for o in answer.occurrences
        ],
        "warnings": list(answer.warnings),
        "parts": [_part_record(p) for p in deadline.parts],
    }


UNIT_KEYS = (
    "name",
    "kind",
    "groups",
    "members",
    "responsible",
    "supervising",
    "open",
    "overdue",
    "overdue_ids",
    "lead",
    "cooperating",
)


def unit_record(duties: UnitDuties) -> dict[str, Any]:
    """One unit or group as the stable JSON object of ``zwgk units``."""
    return {
        "name": duties.name,
        "kind": duties.kind,
        "groups": list(duties.groups),
        "members": list(duties.members),
        "responsible": len(duties.responsible),
        "supervising": len(duties.supervising),
        "open": len(duties.open),
        "overdue": len(duties.overdue),
        "overdue_ids": [_id(i.id) for i in duties.overdue],
        "lead": len(duties.lead),
        "cooperating": len(duties.cooperating),
    }


REPORT_KEYS = (
    "name",
    "tasks",
    "done_on_time",
    "done_late",
    "open",
    "overdue",
    "due_soon",
    "rate",
    "light",
    "overdue_ids",
    "reported",
)


def report_records(lines: Sequence[Line]) -> list[dict[str, Any]]:
    """Report lines as the stable JSON objects of ``zwgk report`` (their keys: ``REPORT_KEYS``).
    An overdue task is on the line of each of its units and on the total: its key is shown
    once for all of them (a workspace report shows 42,000 keys of 6,800 tasks)."""
    shown = dict.fromkeys(chain.from_iterable(line.overdue_ids for line in lines))
    for key in shown:
        shown[key] = _id(key)
    found = []
    for line in lines:
        record = {key: getattr(line, key) for key in REPORT_KEYS}
        record["rate"] = round(line.rate, 4)
        record["overdue_ids"] = list(map(shown.__getitem__, line.overdue_ids))
        found.append(record)
    return found


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and "via" in value[0]:  # matched_as
            return "、".join(v["through"] or v["via"] for v in value)
        if value and isinstance(value[0], dict):  # entries: "2023Q1 2023-04-25 区财政局；…"
            return "；".join(entry_words(v) for v in value)
        return "、".join(str(v) for v in value)
    if isinstance(value, dict) and "outstanding" in value:  # progress
        return f"{value['done']}/{value['total']}"
    if isinstance(value, dict):  # the plan's own extra columns
        return "；".join(f"{k}：{v}" for k, v in value.items())
    return str(value)


SCORE_KEYS = ("rank", "unit", "total", "id", "period", "status", "days_late", "returns", "points")
_TASK_SCORE_KEYS = SCORE_KEYS[3:]


def score_record(score: UnitScore) -> dict[str, Any]:
    """One unit's score as JSON: its rank and total, and the points of each task."""
    return {
        "rank": score.rank,
        "unit": score.unit,
        "total": score.total,
        "tasks": [_task_score(t) for t in score.tasks],
    }


def _task_score(t: TaskScore) -> dict[str, Any]:
    return dict(
        zip(
            _TASK_SCORE_KEYS,
            (_id(t.task_id), t.period, t.status, t.days_late, t.returns, t.points),
            strict=True,
        )
    )


def score_rows(scores: Sequence[UnitScore]) -> list[dict[str, Any]]:
    """One CSV row per unit and task (a unit with no task scored: one row with its total)."""
    rows: list[dict[str, Any]] = []
    for s in scores:
        head = {"rank": s.rank, "unit": s.unit, "total": s.total}
        rows += [{**head, **_task_score(t)} for t in s.tasks] or [head]
    return rows


def write_json(value: Any, out: IO[str]) -> None:
    """``value`` as JSON, and a line end. UTF-8 that orjson wrote goes to a UTF-8 stream's
    bytes as it is (after the text written before it), not decoded and encoded again."""
    from zwgk_cli.render.json_text import encode

    written = encode(value)
    if isinstance(written, str):
        out.write(json_safe(written) + "\n")
        return
    safe, binary = json_safe_bytes(written), _utf8_bytes(out)
    if binary is None:
        out.write(safe.decode("utf-8") + "\n")
        return
    out.flush()
    binary.write(safe)
    binary.write(b"\n")


def _utf8_bytes(out: IO[str]) -> IO[bytes] | None:
    """The byte stream under ``out`` where bytes written to it read as text written to ``out``
    would: UTF-8, and a line end written as it is (not ``\\r\\n``, as Windows writes text)."""
    binary = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if binary is None or not encoding or os.linesep != "\n":
        return None
    return binary if codecs.lookup(encoding).name == "utf-8" else None


def _csv_rows(records: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[list[str]]:
    """Each record's cells under ``keys``, made safe for terminals and spreadsheets."""
    return [[cell_text(clean(_csv_cell(record.get(k)))) for k in keys] for record in records]


def csv_text(records: Sequence[dict[str, Any]], keys: Sequence[str]) -> str:
    """CSV with a header row of ``keys``; cells are made safe for terminals and spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    writer.writerows(_csv_rows(records, keys))
    return buffer.getvalue()


def write_records(records: Sequence[dict[str, Any]], keys: Sequence[str], fmt: str, out: IO[str]) -> None:
    """Write ``records`` as JSON (an array), CSV (a header row of ``keys``) or CSV for people
    (``csv-zh``: Chinese names and values, see ``people_csv``)."""
    if fmt == "json":
        write_json(list(records), out)
    elif fmt == "csv-zh":
        from zwgk_cli.render.people_csv import people_csv

        out.write(people_csv(_csv_rows(records, keys), keys))
    else:
        out.write(csv_text(records, keys))
