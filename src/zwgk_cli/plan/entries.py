"""The entries a task accumulates as work is done: completions, events, progress reports,
verifications. Each kind is a small frozen dataclass; reading it from plain data (YAML or
the cache), writing it back, validating it (``schema.py``), checking a cache entry and
writing a plan line are all derived from its fields, so an entry is defined once, here.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "ENTRY_TYPES",
    "Event",
    "PeriodDone",
    "Report",
    "UnitDone",
    "Verified",
    "entry_from",
    "entry_to",
    "entry_words",
    "unit_name",
]


def unit_name(name: str) -> str:
    """A unit's name in one canonical form (NFC): look-alike spellings of a name are one name."""
    return name if name.isascii() else unicodedata.normalize("NFC", name)


def day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class UnitDone:
    """One responsible unit's completion of a task shared by several units."""

    unit: str
    done_on: date
    note: str | None = None


@dataclass(frozen=True)
class PeriodDone:
    """Completion of one occurrence (2023Q1) of a recurring duty: by the task, or by one unit."""

    period: str
    done_on: date
    unit: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Event:
    """An event a deadline counts from (信息形成之日起20个工作日内): when, for which unit."""

    date: date
    unit: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Report:
    """A progress report (反馈) of a unit, with its evidence (佐证材料): document numbers, web
    addresses, or files of the repository; or the reason the office returned it (退回)."""

    date: date
    unit: str | None = None
    text: str = field(kw_only=True)
    evidence: tuple[str, ...] = ()
    returned: bool = False


@dataclass(frozen=True)
class Verified:
    """The supervising office's check (复核) of a unit's (or the whole task's) completion."""

    date: date
    unit: str | None = None
    note: str | None = None


# The task fields that hold entries, and the kind of entry each holds.
ENTRY_TYPES: dict[str, type] = {
    "progress": UnitDone,
    "periods": PeriodDone,
    "events": Event,
    "reports": Report,
    "verified": Verified,
}


_FIELDS: dict[type, list[tuple[str, str, bool]]] = {}


def fields_of(cls: type) -> list[tuple[str, str, bool]]:
    """(name, type as written, required) of an entry kind's fields (worked out once a kind:
    a catalogue has hundreds of thousands of entries)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = _fields(cls)
    return _FIELDS[cls]


def _fields(cls: type) -> list[tuple[str, str, bool]]:
    return [
        (f.name, str(f.type), f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(cls)
    ]


def _value(name: str, kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "date":
        return day(value)
    if kind.startswith("tuple"):
        return tuple(str(v) for v in value)
    if name == "unit":
        return unit_name(value)
    if kind.startswith("str"):
        return str(value)  # a period label written plain (2023) reads as a number
    return value


def entry_from(cls: type, data: dict[str, Any]) -> Any:
    """An entry from already validated plain data (dates as ``date`` or ISO text)."""
    return cls(**{name: _value(name, kind, data[name]) for name, kind, _ in fields_of(cls) if name in data})


def entry_to(entry: Any) -> dict[str, Any]:
    """Plain JSON-ready data for ``entry``, its fields in order."""
    out: dict[str, Any] = {}
    for name, _, _ in fields_of(type(entry)):
        value = getattr(entry, name)
        if isinstance(value, date):
            value = value.isoformat()
        out[name] = list(value) if isinstance(value, tuple) else value
    return out


_FLAGS = {"returned": "退回"}  # how a true flag reads in a line of text


def entry_words(record: dict[str, Any]) -> str:
    """An entry (as plain data) on one line for a person: ``2020-08-03 区司法局 缺少印发文件 退回``."""
    words = []
    for key, value in record.items():
        if value is None or value is False or value == [] or value == ():
            continue
        if value is True:
            words.append(_FLAGS.get(key, key))
        elif isinstance(value, list | tuple):
            words.append("、".join(str(v) for v in value))
        else:
            words.append(str(value))
    return " ".join(words)
