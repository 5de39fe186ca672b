"""A cache of validated plans, keyed by the file's exact content and the code that reads it.

Read commands on an unchanged plan skip YAML parsing, schema validation and deadline
parsing. The key is a SHA-256 of the file's bytes, of zwgk's version and of the source of
every module that interprets a plan (so a fix to ``deadlines.py`` is never hidden behind a
stale entry), never a size or modification time. Only valid plans are cached; a broken one
is parsed every time, so its errors always carry line numbers.

An entry is the validated schedule itself, pickled: restoring it is one C call, where
rebuilding 10,000 tasks from JSON field by field took four times as long (issue 24). It is
trusted as far as the user's own files are: written atomically into a subfolder zwgk creates
for itself (mode 0700), read only when that folder and the file are the user's own and
nobody else may write them, and unpickled by an unpickler that builds zwgk's own plan
classes, dates and plain containers and nothing else, so a planted entry cannot run code;
anything else (a wrong class, a cut or garbled file) is ignored and the plan is read again.

A write also keeps where each task of the plan it wrote stands (its lines): a second, small
entry beside the schedule's, so that the next write on a plan zwgk wrote last reads neither
the old text nor, where only tasks' records change, the new text whole: it parses and checks
the lines it changed (``revision.revised``), and keeps the tasks it changed alone beside the
entry of the plan it started from (``save_revision``). Reads never load the lines.
Clean-up removes only files with zwgk's own prefix in that subfolder. ``ZWGK_NO_CACHE=1``
turns it off; ``ZWGK_CACHE_DIR`` moves it (default: the platform's user cache folder, e.g.
``~/.cache/zwgk``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from zwgk_cli import __version__
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.model import Item
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.storage.document import Spans

__all__ = ["cache_dir", "load", "load_spans", "save", "save_revision"]

FORMAT = 3
SUFFIX = ".cache"
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


def _path(raw: bytes, kind: str = "") -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{PREFIX}{_digest(raw)}{kind}{SUFFIX}"


@functools.lru_cache(maxsize=2)  # a write looks up the plan it read and the one it wrote
def _digest(raw: bytes) -> str:
    digest = hashlib.sha256(_code_digest())
    digest.update(raw)
    return digest.hexdigest()


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


def save(raw: bytes, schedule: Schedule, spans: Spans | None = None) -> None:
    """Remember ``schedule`` as the validated form of a file with content ``raw``, and where
    its tasks stand (``spans``, each task's lines) where a write gives them. Its warnings are
    left out: only ``check`` shows them, and it reads the text whole for their line numbers."""
    _save(_path(raw), dataclasses.replace(schedule, warnings=()) if schedule.warnings else schedule)
    if spans is not None:
        _save(_path(raw, _SPANS), spans)


def save_revision(raw: bytes, schedule: Schedule, spans: Spans, base: bytes, changed: Iterable[int]) -> None:
    """Remember ``schedule``, which is the cached schedule of content ``base`` with the tasks at
    positions ``changed`` replaced (a write checked by what it changed), as those tasks alone
    beside the entry of ``base`` (or of the plan ``base`` itself revised): writing a 10,000-task
    schedule whole took longer than the rest of the write. When many tasks have changed since
    the last whole entry, or that entry is gone, the schedule is saved whole."""
    root, earlier = _revision_base(base)
    positions = set(changed) | set(earlier)
    if root is None or len(positions) * _REVISED_SHARE > len(schedule.items):
        save(raw, schedule, spans)
        return
    _save(_path(raw, _REVISED), (_REVISION, root, {pos: schedule.items[pos] for pos in sorted(positions)}))
    _save(_path(raw, _SPANS), spans)


_SPANS = "-spans"
_REVISED = "-revised"
_REVISION = "zwgk revision"
_REVISED_SHARE = 16  # a revision holds at most one task in this many; past that, save whole


def _revision_base(base: bytes) -> tuple[str | None, dict[int, Item]]:
    """The whole entry a revision of content ``base`` builds on, and the tasks revised since."""
    target = _path(base)
    if target is None:
        return None, {}
    if target.exists():
        return target.name, {}
    return _revision(_load(_path(base, _REVISED))) or (None, {})


def _revision(found: object) -> tuple[str, dict[int, Item]] | None:
    """A revision entry's whole entry and revised tasks, where ``found`` is one."""
    if type(found) is not tuple or len(found) != 3 or found[0] != _REVISION or type(found[1]) is not str:
        return None
    changes = found[2]
    if type(changes) is not dict or not all(type(p) is int and type(i) is Item for p, i in changes.items()):
        return None
    return found[1], changes


def _save(target: Path | None, entry: object) -> None:
    if target is None:
        return
    with contextlib.suppress(OSError):
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(target.parent):
            return
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=PREFIX, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(entry, handle)  # protocol 4 or later: sets have their own opcodes
                size = handle.tell()
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        _prune(target.parent, size)


# Each cache folder's size when this process last listed it, plus what it has written since:
# the folder is listed again only when that passes the budget (a workspace of 200 plans read
# for the first time would otherwise list it 200 times, each time longer).
_SIZES: dict[Path, int] = {}


def _prune(folder: Path, added: int) -> None:
    known = _SIZES.get(folder)
    if known is not None and known + added <= _BUDGET:
        _SIZES[folder] = known + added
        return
    sized: list[tuple[float, int, str]] = []
    remove: list[str] = []  # stale temp files of interrupted writes, entries past the budget
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as listing:  # one pass, no glob
        for entry in listing:
            if not entry.name.startswith(PREFIX):
                continue
            with contextlib.suppress(OSError):
                if entry.name.endswith(SUFFIX):
                    stat = entry.stat(follow_symlinks=False)
                    sized.append((stat.st_mtime, stat.st_size, entry.path))
                elif entry.name.endswith(".tmp") and now - entry.stat().st_mtime > _STALE_TMP:
                    remove.append(entry.path)
    sized.sort(reverse=True)  # the most recently used first
    total = kept = 0
    for index, (_, size, path) in enumerate(sized):
        total += size
        if index > 0 and total > _BUDGET:  # the newest entry always stays
            remove.append(path)
        else:
            kept += size
    _SIZES[folder] = kept
    for path in remove:
        with contextlib.suppress(OSError):
            os.unlink(path)


def load(raw: bytes) -> Schedule | None:
    """The cached schedule of a file with content ``raw``, or None (also for any doubtful entry)."""
    found = _load(_path(raw))
    if type(found) is Schedule:
        return found
    revision = _revision(_load(_path(raw, _REVISED)))
    if revision is None:
        return None
    root, changes = revision
    folder = cache_dir()
    whole = _load(folder / root) if folder is not None and _ENTRY.fullmatch(root) else None
    if type(whole) is not Schedule or not all(0 <= pos < len(whole.items) for pos in changes):
        return None
    items = list(whole.items)
    for pos, item in changes.items():
        items[pos] = item
    return whole.with_items(items)


_ENTRY = lazy(rf"{PREFIX}[0-9a-f]{{64}}{re.escape(SUFFIX)}")


def load_spans(raw: bytes) -> Spans | None:
    """Where each task stands in a file with content ``raw``, as a write kept it, or None."""
    found = _load(_path(raw, _SPANS))
    if type(found) is not tuple or not all(
        type(s) is tuple and len(s) == 2 and type(s[0]) is int and type(s[1]) is int for s in found
    ):
        return None
    return found


def _load(target: Path | None) -> object:
    if target is None:
        return None
    try:
        if not (_trusted(target.parent) and _trusted(target)):
            return None
        found = _Unpickler(io.BytesIO(target.read_bytes())).load()
        with contextlib.suppress(OSError):
            os.utime(target)  # used now: the last to be pruned
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, EOFError, RecursionError):
        return None
    except pickle.UnpicklingError:
        return None
    return found


class _Unpickler(pickle.Unpickler):
    """Builds only what a schedule is made of; any other global (``os.system``, ``eval``) is
    refused, so an entry, whoever wrote it, is data and never code."""

    def find_class(self, module: str, name: str) -> Any:
        ours = module.startswith("zwgk_cli.") and module.split(".")[1] in _INTERPRETERS
        allowed = (ours and not name.startswith("_")) or (module, name) == ("datetime", "date")
        if not allowed:
            raise pickle.UnpicklingError(f"cache entry: {module}.{name} is not part of a plan")
        return super().find_class(module, name)
