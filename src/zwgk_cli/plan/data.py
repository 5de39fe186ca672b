"""A plan from plain data (what YAML gives, once it has passed the schema) and a task back to
plain data: the conversions of each kind of field, derived from ``model.Task``'s fields.

Only a plan that is parsed needs them: a cached read never imports this module.
"""

from __future__ import annotations

from typing import Any

from zwgk_cli.plan.entries import ENTRY_TYPES, day, entry_from, entry_to, unit_name
from zwgk_cli.plan.model import TASK_FIELDS, Group, Plan, Scoring, Status, Task, Unit

__all__ = ["plan_from_data", "task_from_data", "task_to_data"]


def _entries(cls: type) -> Any:
    return lambda v: tuple(entry_from(cls, r) for r in v or ())


# From plain data (as YAML or the cache gives it) to the runtime value, by kind.
_DECODE: dict[str, Any] = {
    "id": int,
    "text": str,
    "units": lambda v: tuple(unit_name(n) for n in v),
    "label": lambda v: v,
    "extra": lambda v: tuple((str(k), str(x)) for k, x in (v or {}).items()),
    "status": lambda v: Status(v or "open"),
    "date": day,
    "note": lambda v: v,
    **{kind: _entries(cls) for kind, cls in ENTRY_TYPES.items()},
}
# And back: plain data that JSON can hold (the cache), by kind.
_ENCODE: dict[str, Any] = {
    "id": lambda v: v,
    "text": lambda v: v,
    "units": list,
    "status": lambda v: v.value,
    "date": lambda v: v.isoformat() if v else None,
    "note": lambda v: v,
    "label": lambda v: v,
    "extra": dict,
    **{kind: (lambda v: [entry_to(r) for r in v]) for kind in ENTRY_TYPES},
}
# What an optional field the file leaves out holds, by kind.
_EMPTY: dict[str, Any] = {"units": (), "label": None}


def task_from_data(data: dict[str, Any]) -> Task:
    """A ``Task`` from already validated plain data (dates as ``date`` or ISO text)."""
    values = {f.key: _DECODE[f.kind](data[f.key]) for f in TASK_FIELDS if f.key in data}
    for f in TASK_FIELDS:
        if f.key not in values and not f.required and f.kind in _EMPTY:
            values.setdefault(f.key, _EMPTY[f.kind])
    return Task(**values)


def task_to_data(task: Task) -> dict[str, Any]:
    """Plain JSON-ready data for ``task``; ``task_from_data`` reads it back to an equal task."""
    return {f.key: _ENCODE[f.kind](getattr(task, f.key)) for f in TASK_FIELDS}


def _scoring(data: dict[str, Any] | None) -> Scoring | None:
    """The scoring rules, points as numbers with a decimal point whatever the file wrote."""
    if data is None:
        return None
    values: dict[str, Any] = {k: float(v) if type(v) is int else v for k, v in data.items()}
    return Scoring(**values)


def plan_from_data(data: dict[str, Any]) -> Plan:
    """A ``Plan`` from already validated plain data (dates as ``date`` or ISO text)."""
    return Plan(
        title=data["title"],
        plan_id=data.get("plan_id"),
        region=data.get("region"),
        source=data.get("source"),
        year=data.get("year"),
        period=str(data["period"]) if data.get("period") is not None else None,
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
        columns=tuple((str(k), str(v)) for k, v in (data.get("columns") or {}).items()),
        verification=bool(data.get("verification")),
        office=data.get("office"),
        contact=data.get("contact"),
        phone=data.get("phone"),
        issued=day(data["issued"]) if data.get("issued") else None,
        scoring=_scoring(data.get("scoring")),
        name=data.get("name"),
    )
