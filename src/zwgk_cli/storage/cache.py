"""A cache of validated plans, keyed by the file's exact content and the code that reads it.

Read commands on an unchanged plan skip YAML parsing, schema validation and deadline
parsing. The key is a SHA-256 of the file's bytes, of zwgk's version and of the source of
every module that interprets a plan (so a fix to ``deadlines.py`` is never hidden behind a
stale entry), never a size or modification time. Only valid plans are cached; a broken one
is parsed every time, so its errors always carry line numbers.

The cache is JSON (never pickle), written atomically into a subfolder zwgk creates for
itself, and trusted only as far as it is checked: an entry of the wrong shape, a folder or
file that is not the user's own or that others may write, is ignored and the plan is read
again. Clean-up removes only files with zwgk's own prefix in that subfolder.
``ZWGK_NO_CACHE=1`` turns it off; ``ZWGK_CACHE_DIR`` moves it (default: the platform's
user cache folder, e.g. ``~/.cache/zwgk``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import stat
import tempfile
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from zwgk_cli import __version__
from zwgk_cli.dates.deadlines import DueRange
from zwgk_cli.dates.phrases import Deadline, read_deadline
from zwgk_cli.plan.entries import ENTRY_TYPES, fields_of
from zwgk_cli.plan.model import TASK_FIELDS, TASK_KEYS, Plan, task_from_data, task_to_data
from zwgk_cli.plan.validate import Schedule, assemble

__all__ = ["cache_dir", "load", "save"]

FORMAT = 2
SUBFOLDER = "plans"
PREFIX = "zwgk-"
# Cached plans kept: the most recently used, up to this many bytes in all (a workspace of a few
# hundred plans fits; a few versions of a 100,000-task plan do too); the rest are removed.
_BUDGET = 256 * 1024 * 1024
_STALE_TMP = 3600  # seconds after which a temp file of an interrupted write is removed
# The code that decides what a plan means: every module of these packages (so that a new module
# cannot be left out of the key) and the storage modules that read and cache a plan.
_INTERPRETERS = ("dates", "plan")
_READERS = ("storage/yamltree.py", "storage/cache.py")


def cache_dir(env: Mapping[str, str] = os.environ) -> Path | None:
    if env.get("ZWGK_NO_CACHE"):
        return None
    if env.get("ZWGK_CACHE_DIR"):
        return Path(env["ZWGK_CACHE_DIR"]) / SUBFOLDER
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("zwgk", appauthor=False)) / SUBFOLDER


@functools.cache  # the code does not change while a run lasts: hash it once
def _code_digest() -> bytes:
    root = Path(__file__).parent.parent
    digest = hashlib.sha256(f"zwgk {__version__} {FORMAT}\n".encode())
    files = [m for package in _INTERPRETERS for m in sorted((root / package).glob("*.py"))]
    for path in files + [root / name for name in _READERS]:
        with contextlib.suppress(OSError):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _path(raw: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(_code_digest() + raw).hexdigest()
    return folder / f"{PREFIX}{digest}.json"


def _trusted(path: Path) -> bool:
    """Ours alone: owned by this user and writable by nobody else (always true where no uids)."""
    if not hasattr(os, "getuid"):  # pragma: no cover - Windows: per-user profile folders
        return True
    info = path.lstat()
    return (
        info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        and not stat.S_ISLNK(info.st_mode)
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def save(raw: bytes, schedule: Schedule) -> None:
    """Remember ``schedule`` as the validated form of a file with content ``raw``."""
    target = _path(raw)
    if target is None:
        return
    plan = schedule.plan
    body = {
        "plan": {
            "title": plan.title,
            "region": plan.region,
            "source": plan.source,
            "year": plan.year,
            "period": plan.period,
            "kinds": list(plan.kinds),
            "units": [[u.name, u.kind] for u in plan.units],
            "groups": [[g.name, list(g.kinds), list(g.members)] for g in plan.groups],
            "columns": dict(plan.columns),
            "verification": plan.verification,
            "office": plan.office,
            "issued": _iso(plan.issued),
            "scoring": dataclasses.asdict(plan.scoring) if plan.scoring is not None else None,
            "name": plan.name,
        },
        "keys": list(TASK_KEYS),
        "tasks": [
            [
                *task_to_data(i.task).values(),
                _iso(i.due.start if i.due else None),
                _iso(i.due.end if i.due else None),
                i.kind if _plain(i.deadline) else None,
            ]
            for i in schedule.items
        ],
    }
    with contextlib.suppress(OSError):
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(target.parent):
            return
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=PREFIX, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(body, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(target.parent)


def _plain(deadline: Deadline | None) -> bool:
    """Whether a deadline is all in its kind and dates (else the cache reads the phrase again:
    a rule, a count from events, the parts of a compound cell)."""
    return deadline is None or (deadline.rule is None and deadline.after is None and not deadline.parts)


def _prune(folder: Path) -> None:
    sized = []
    for entry in folder.glob(f"{PREFIX}*.json"):
        with contextlib.suppress(OSError):
            stat = entry.stat()
            sized.append((stat.st_mtime, stat.st_size, entry))
    sized.sort(key=lambda e: e[0], reverse=True)
    total = 0
    for index, (_, size, entry) in enumerate(sized):
        total += size
        if index > 0 and total > _BUDGET:  # the newest entry always stays
            with contextlib.suppress(OSError):
                entry.unlink()
    now = time.time()
    for tmp in folder.glob(f"{PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > _STALE_TMP:
                tmp.unlink()


def load(raw: bytes) -> Schedule | None:
    """The cached schedule of a file with content ``raw``, or None (also for any doubtful entry)."""
    target = _path(raw)
    if target is None:
        return None
    try:
        if not (_trusted(target.parent) and _trusted(target)):
            return None
        body = json.loads(target.read_text(encoding="utf-8"))
        with contextlib.suppress(OSError):
            os.utime(target)  # used now: the last to be pruned
        return _schedule(body)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        return None


def _text(value: Any, optional: bool = False) -> Any:
    if isinstance(value, str) or (optional and value is None):
        return value
    raise TypeError("cache entry: text expected")


def _texts(values: Any) -> list[str]:
    if not isinstance(values, list):
        raise TypeError("cache entry: list expected")
    return [_text(v) for v in values]


_ENTRY_CHECKS: dict[str, Any] = {
    "date": lambda v: type(v) is str,
    "str": lambda v: type(v) is str,
    "str | None": lambda v: v is None or type(v) is str,
    "tuple[str, ...]": lambda v: type(v) is list and all(type(x) is str for x in v),
    "bool": lambda v: type(v) is bool,
}


def _entries(cls: type) -> Any:
    checks = [(name, _ENTRY_CHECKS[kind]) for name, kind, _ in fields_of(cls)]

    def check(values: Any) -> None:
        if not isinstance(values, list):
            raise TypeError("cache entry: list expected")
        for record in values:  # a catalogue has hundreds of thousands: one check per value
            if not all(ok(record[name]) for name, ok in checks):
                raise TypeError("cache entry: entry of the wrong shape")

    return check


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("cache entry: true or false expected")
    return value


def _scoring(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        v is None or type(v) in (int, float, bool) for v in value.values()
    ):
        raise TypeError("cache entry: scoring")
    return value


def _int(value: Any) -> None:
    if type(value) is not int:
        raise TypeError("cache entry: whole number expected")


def _extra(values: Any) -> None:
    if not isinstance(values, dict):
        raise TypeError("cache entry: mapping expected")
    for key, value in values.items():
        _text(key)
        _text(value)


# What a task field's cached value must be, by kind (see model.Task).
_CHECK: dict[str, Any] = {
    "label": lambda v: _text(v, True),
    "extra": _extra,
    "id": _int,
    "text": _text,
    "units": _texts,
    "status": _text,
    "date": lambda v: _text(v, True),
    "note": lambda v: _text(v, True),
    **{kind: _entries(cls) for kind, cls in ENTRY_TYPES.items()},
}


def _schedule(body: dict[str, Any]) -> Schedule:
    """The schedule a cache entry describes; TypeError/ValueError/KeyError for a malformed one."""
    if body["keys"] != list(TASK_KEYS):
        raise ValueError("cache entry of another layout")
    head = body["plan"]
    year = head["year"]
    if year is not None and type(year) is not int:
        raise TypeError("cache entry: year")
    data = {
        "title": _text(head["title"]),
        "region": _text(head["region"], True),
        "source": _text(head["source"], True),
        "year": year,
        "period": _text(head["period"], True),
        "kinds": _texts(head["kinds"]),
        "units": [{"name": _text(n), "kind": _text(k)} for n, k in head["units"]],
        "groups": [
            {"name": _text(n), "kinds": _texts(k), "members": _texts(m)} for n, k, m in head["groups"]
        ],
        "columns": {_text(k): _text(v) for k, v in head["columns"].items()},
        "verification": _flag(head["verification"]),
        "office": _text(head["office"], True),
        "scoring": _scoring(head["scoring"]),
        "name": _text(head["name"], True),
        "tasks": [],
    }
    from zwgk_cli.plan.model import plan_from_data

    plan: Plan = plan_from_data(data)
    tasks = []
    deadlines: dict[int, Deadline] = {}
    for row in body["tasks"]:
        *values, start, end, kind = row
        fields = dict(zip(TASK_KEYS, values, strict=True))
        for spec in TASK_FIELDS:
            _CHECK[spec.kind](fields[spec.key])
        task = task_from_data(fields)
        tasks.append(task)
        if kind in ("dated", "nodate"):  # read before: only rules and events are read again
            due = DueRange(date.fromisoformat(start), date.fromisoformat(end)) if start else None
            deadlines[task.id] = Deadline(task.deadline, kind, due)
        else:
            deadlines[task.id] = read_deadline(task.deadline, plan.year)
    return assemble(replace(plan, tasks=tuple(tasks)), deadlines)
