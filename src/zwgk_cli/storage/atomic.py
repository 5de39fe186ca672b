"""Atomic, locked writing: the lock beside the plan, the temp file, the rename.

A new file is written beside the old one, synced, and moved into place with ``os.replace``,
so a reader sees the old file or the new one, never half of either; the last comparison
with what was read happens after the slow part, right before the rename. Nothing here knows
what a plan is (``store`` does).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from glob import escape as glob_escape
from pathlib import Path

from zwgk_cli.errors import WriteRefused, os_reason

__all__ = ["IGNORED", "diff", "ignore_locks", "locked", "replace", "write_new", "write_set"]

# What zwgk leaves beside a plan and git must not track: the lock, and a killed writer's temp file.
IGNORED = (".*.lock", ".*.tmp")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``.NAME.lock`` beside the plan (filelock: fcntl on POSIX, msvcrt on
    Windows); the kernel drops it when its process dies, so a killed run never blocks the next."""
    from filelock import FileLock, Timeout

    lock_path = path.with_name(f".{path.name}.lock")
    if lock_path.is_symlink():
        raise WriteRefused(f"{path}: 锁文件 {lock_path.name} 是一个符号链接，拒绝使用。请删除它后再试")
    timeout = _lock_timeout()
    lock = FileLock(lock_path, timeout=timeout)
    try:
        lock.acquire(poll_interval=0.05)
    except Timeout:
        raise WriteRefused(
            f"{path}: 另一个 zwgk 命令正在修改此文件，等待 {timeout:g} 秒后仍未结束。请稍后再试"
        ) from None
    except OSError as exc:
        raise WriteRefused(
            f"{path}: 无法创建锁文件 {lock_path.name}（{os_reason(exc)}）。请检查文件夹的写权限"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _lock_timeout() -> float:
    """Seconds to wait for another zwgk's write to finish ($ZWGK_LOCK_TIMEOUT, default 5)."""
    try:
        value = float(os.environ.get("ZWGK_LOCK_TIMEOUT", "5"))
    except ValueError:
        return 5.0
    return min(max(0.0, value), 3600.0) if value == value else 5.0


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


STALE_TEMP_SECONDS = 600  # a temp file this old was left by a writer that was killed


def _remove_stale_temps(target: Path) -> None:
    """Remove temp files of ours (``.NAME.*.tmp``) that a killed writer left beside ``target``."""
    now = time.time()
    for tmp in target.parent.glob(f".{glob_escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if not tmp.is_symlink() and now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()


def replace(target: Path, data: bytes, unchanged: Callable[[], None] | None = None) -> None:
    """Write ``data`` beside ``target`` and move it into place; keep the file's mode.

    ``unchanged`` (which raises when ``target`` changed since it was read) is called after the
    slow part (writing and syncing the temp file), right before the rename, so that the time in
    which another program's change could be lost is as short as it can be.
    """
    import tempfile

    mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
    _remove_stale_temps(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, mode)
        if unchanged is not None:
            unchanged()
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def diff(before: bytes, after: bytes, most: int = 20) -> str:
    import difflib

    lines = list(
        difflib.unified_diff(
            before.decode("utf-8", "replace").splitlines(),
            after.decode("utf-8", "replace").splitlines(),
            "读取时",
            "现在",
            lineterm="",
            n=0,
        )
    )
    return "\n".join(lines[:most] + (["…"] if len(lines) > most else []))


def ignore_locks(folder: Path) -> Path | None:
    """Have git ignore the lock and temp files zwgk leaves in ``folder``: the lines of
    ``IGNORED`` added to its ``.gitignore`` (created if need be). The path when it
    changed; None when it already had them or cannot be written (the plan is written anyway)."""
    ignore = folder / ".gitignore"
    try:
        text = ignore.read_text(encoding="utf-8") if ignore.is_file() else ""
        missing = [p for p in IGNORED if p not in text.splitlines()]
        if not missing or (ignore.exists() and not ignore.is_file()):
            return None
        head = text + ("\n" if text and not text.endswith("\n") else "")
        replace(
            ignore,
            (head + "# zwgk 的锁文件和临时文件，不进入 git\n" + "".join(f"{p}\n" for p in missing)).encode(),
        )
    except (OSError, UnicodeDecodeError, WriteRefused):
        return None
    return ignore


def write_new(dest: Path, data: bytes | str, force: bool = False) -> Path:
    """Write a new file atomically; refuse to overwrite one that exists unless ``force``."""
    if dest.exists() and not force:
        raise WriteRefused(f"{dest}: 文件已存在，未覆盖。如确需覆盖，请加 --force")
    if dest.is_dir():
        raise WriteRefused(f"{dest}: 这是一个文件夹")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        replace(dest, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise WriteRefused(f"{dest}: 无法写入（{os_reason(exc)}）") from None
    return dest


def write_set(folder: Path, files: Mapping[str, bytes], force: bool = False) -> list[tuple[Path, str]]:
    """Write ``files`` into ``folder``, each atomically: a file already there with the same
    bytes is left alone ("same"); one with other bytes is refused, before anything is written,
    unless ``force``. Returns each path and what happened to it (new, same, replaced)."""
    if folder.exists() and not folder.is_dir():
        raise WriteRefused(f"{folder}: 不是文件夹")
    plan: list[tuple[Path, bytes, str]] = []
    for name, data in files.items():
        path = folder / name
        if path.parent != folder or name in ("", ".", ".."):  # names are made safe: never out of it
            raise WriteRefused(f"{path}: 文件名不能含有文件夹（{name}），未写入任何文件")
        if not path.exists():
            plan.append((path, data, "new"))
        elif path.is_file() and path.read_bytes() == data:
            plan.append((path, data, "same"))
        elif force:
            plan.append((path, data, "replaced"))
        else:
            raise WriteRefused(f"{path}: 文件已存在且内容不同，未写入任何文件。如确需覆盖，请加 --force")
    for path, data, action in plan:
        if action != "same":
            write_new(path, data, force=True)
    return [(path, action) for path, _, action in plan]
