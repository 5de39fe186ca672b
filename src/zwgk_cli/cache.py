"""A cache of validated plans, keyed by the file's exact content.

Read commands on an unchanged plan skip YAML parsing, schema validation and deadline
parsing. The key is a SHA-256 of the file's bytes (and of zwgk's version), never its
size or modification time, so an edit of any kind is always seen. Only valid plans are
cached; a broken one is parsed every time, so its errors always carry line numbers.
The cache is JSON (never pickle), written atomically; any problem with it is ignored
and the plan is simply read again. ``ZWGK_NO_CACHE=1`` turns it off, ``ZWGK_CACHE_DIR``
moves it (default: ``$XDG_CACHE_HOME/zwgk`` or ``~/.cache/zwgk``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from zwgk_cli import __version__
from zwgk_cli.deadlines import DueRange
from zwgk_cli.model import Plan, Status, Task, UnitDone, plan_from_data
from zwgk_cli.validate import Schedule, assemble

__all__ = ["cache_dir", "load", "save"]

FORMAT = 1
_KEEP = 20  # cached plans kept; older ones are removed when a new one is written


def cache_dir(env: Mapping[str, str] = os.environ) -> Path | None:
    if env.get("ZWGK_NO_CACHE"):
        return None
    if env.get("ZWGK_CACHE_DIR"):
        return Path(env["ZWGK_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "zwgk"


def _path(raw: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"zwgk {__version__} {FORMAT}\n".encode() + raw).hexdigest()
    return folder / f"{digest}.json"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _task_row(task: Task, due: DueRange | None) -> list[Any]:
    progress = [[r.unit, r.done_on.isoformat(), r.note] for r in task.progress]
    return [
        task.id,
        task.category,
        task.title,
        list(task.responsible),
        list(task.supervising),
        task.deadline,
        task.status.value,
        _iso(task.done_on),
        task.note,
        progress,
        _iso(due.start if due else None),
        _iso(due.end if due else None),
    ]


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
            "kinds": list(plan.kinds),
            "units": [[u.name, u.kind] for u in plan.units],
            "groups": [[g.name, list(g.kinds), list(g.members)] for g in plan.groups],
        },
        "tasks": [_task_row(i.task, i.due) for i in schedule.items],
    }
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(body, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(target.parent)


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def load(raw: bytes) -> Schedule | None:
    """The cached schedule of a file with content ``raw``, or None."""
    target = _path(raw)
    if target is None:
        return None
    try:
        body = json.loads(target.read_text(encoding="utf-8"))
        return _schedule(body)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _schedule(body: dict[str, Any]) -> Schedule:
    head = body["plan"]
    data = {
        **{k: head[k] for k in ("title", "region", "source", "year", "kinds")},
        "units": [{"name": n, "kind": k} for n, k in head["units"]],
        "groups": [{"name": n, "kinds": k, "members": m} for n, k, m in head["groups"]],
        "tasks": [],
    }
    plan: Plan = plan_from_data(data)
    tasks = []
    dues: dict[int, DueRange | None] = {}
    for row in body["tasks"]:
        (
            task_id,
            category,
            title,
            responsible,
            supervising,
            deadline,
            status,
            done_on,
            note,
            progress,
            start,
            end,
        ) = row
        tasks.append(
            Task(
                task_id,
                category,
                title,
                tuple(responsible),
                tuple(supervising),
                deadline,
                Status(status),
                date.fromisoformat(done_on) if done_on else None,
                note,
                tuple(UnitDone(u, date.fromisoformat(d), n) for u, d, n in progress),
            )
        )
        dues[task_id] = DueRange(date.fromisoformat(start), date.fromisoformat(end)) if start else None
    return assemble(replace(plan, tasks=tuple(tasks)), dues)
