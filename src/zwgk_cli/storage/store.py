"""Find, read, validate and write the plan file.

Reading always decodes UTF-8 (whatever the locale), refuses what is not a
plan before parsing it, and reports problems as ``path:line: 说明``. Writing
happens under a lock on a sibling file, validates the new text (the tasks it
changed where only their records changed, ``revision.revised``; else all of it,
with the same loader) and replaces the file atomically, so the plan is either
wholly updated or left byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from zwgk_cli.errors import PlanInvalid, PlanNotFound, Problem, WriteRefused, os_reason
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.storage import atomic
from zwgk_cli.storage.document import CONTROL, Document, Location

if TYPE_CHECKING:  # the YAML machinery and the checks are loaded only when a plan is parsed
    from zwgk_cli.plan.findings import Finding
    from zwgk_cli.storage.yamltree import Tree

__all__ = [
    "Document",
    "Location",
    "apply",
    "init_plan",
    "load",
    "locate",
    "problems_in",
    "read_schedule",
    "replace_checked",
]

DEFAULT_RELATIVE = Path("data") / "schedule.yaml"
MAX_BYTES = 40 * 1024 * 1024
_UTF16_32 = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32, from a byte order mark or from the NULs every other byte holds."""
    for mark, name in _UTF16_32.items():
        if raw.startswith(mark):
            return name
    head = raw[:400]  # UTF-8 text never holds a NUL; UTF-16 holds them in ASCII, UTF-32 mostly
    nuls = head.count(0)
    if nuls >= max(4, len(head) // 8):  # not a stray NUL: one in every few bytes
        return "UTF-32" if nuls * 2 >= len(head) else "UTF-16"
    return None


def bundled_plan() -> Path:
    from importlib import resources

    return Path(str(resources.files("zwgk_cli") / "data" / "schedule.yaml"))


def locate(file: Path | None, env: Mapping[str, str], cwd: Path) -> Location:
    """``--file``, else ``$ZWGK_FILE``, else data/schedule.yaml upward from cwd, else the bundled copy."""
    if file is not None:
        return Location(file)
    if env.get("ZWGK_FILE"):
        return Location(Path(env["ZWGK_FILE"]))
    for folder in (cwd, *cwd.parents):
        candidate = folder / DEFAULT_RELATIVE
        if candidate.is_file():  # named as the user would: data/schedule.yaml, ../data/schedule.yaml
            return Location(Path(os.path.relpath(candidate, cwd)))
    return Location(bundled_plan(), readonly=True)


def read_regular(path: Path, what: str = "计划文件") -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES`` (never a device, FIFO or folder).

    A file that is empty, or that changes while it is read (an editor saving in place), is
    read again after a moment, so a half-written file is not taken for the whole.
    """
    for attempt in range(3):
        data, before, after = _read_once(path, what)
        if data and before == after:
            return data
        time.sleep(0.05 * (attempt + 1))
    return data


def _read_once(path: Path, what: str) -> tuple[bytes, tuple[int, int], tuple[int, int]]:
    with _reading(path, what):
        info = regular(path, what)
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            now = os.fstat(handle.fileno())
        if len(data) > MAX_BYTES:  # grew while it was read
            raise PlanNotFound(f"{path}: 文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），不像是{what}")
        return data, (info.st_size, info.st_mtime_ns), (now.st_size, now.st_mtime_ns)


def regular(path: Path, what: str = "计划文件") -> os.stat_result:
    """``path``'s status, where it is a regular file of at most ``MAX_BYTES`` (else the error a
    reader of it would get), without reading it."""
    with _reading(path, what):
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise PlanNotFound(f"{path}: 这是一个文件夹，不是{what}。请指定文件")
        if not stat.S_ISREG(info.st_mode):
            raise PlanNotFound(f"{path}: 不是普通文件（可能是设备或管道），不能作为{what}。请指定文件")
        if info.st_size > MAX_BYTES:
            raise PlanNotFound(
                f"{path}: 文件过大（{info.st_size // 1024 // 1024} MB，上限 "
                f"{MAX_BYTES // 1024 // 1024} MB），不像是{what}。请检查是否选错了文件"
            )
        return info


@contextlib.contextmanager
def _reading(path: Path, what: str) -> Iterator[None]:
    """An OS error while looking at or reading ``path``, told as the user meets it."""
    try:
        yield
    except FileNotFoundError:
        hint = "请检查路径，或运行 zwgk init 创建" if what == "计划文件" else "请检查路径"
        raise PlanNotFound(f"{path}: 找不到{what}。{hint}") from None
    except PermissionError:
        raise PlanNotFound(f"{path}: 没有读取权限。请检查文件权限") from None
    except OSError as exc:
        raise PlanNotFound(f"{path}: 无法读取（{os_reason(exc)}）") from None


def _decode(path: Path, raw: bytes) -> str:
    wide = _wide_encoding(raw)
    if wide is not None:
        raise PlanInvalid(
            str(path),
            [
                Problem(
                    1,
                    f"文件是 {wide} 编码，不是 UTF-8。请转换为 UTF-8 后再用："
                    f"iconv -f {wide} -t UTF-8 原文件 > 新文件，或在记事本中“另存为”时选择 UTF-8",
                )
            ],
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanInvalid(
            str(path),
            [
                Problem(
                    line,
                    (
                        f"文件不是 UTF-8 编码（第 {column} 个字节处无法解码），可能是 GBK 编码。"
                        "请转换为 UTF-8 后再用：iconv -f GBK -t UTF-8 原文件 > 新文件，"
                        "或在记事本中“另存为”时选择 UTF-8"
                    ),
                )
            ],
        ) from None
    text = text.removeprefix("\ufeff")
    bad = CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise PlanInvalid(
            str(path),
            [
                Problem(
                    line,
                    (
                        f"文件中有控制字符（U+{ord(bad.group()):04X}），不像是文本格式的计划文件。"
                        "请确认文件没有损坏，或删除这些字符"
                    ),
                )
            ],
        )
    return text


def _line_problems(tree: Tree, findings: Iterable[Finding]) -> list[Problem]:
    """Findings located by line, in the order of the file."""
    return sorted(
        (Problem(tree.line_of(f.path), f.message, f.warning) for f in findings), key=lambda p: p.line
    )


def _parse(location: Location, raw: bytes) -> Document:
    from zwgk_cli.plan.validate import build_schedule
    from zwgk_cli.storage.yamltree import ProblemList, read_tree

    name = str(location.path)
    text = _decode(location.path, raw)
    # Millions of small objects and no cycles among them: the cyclic GC only slows this down.
    collecting = gc.isenabled()
    gc.disable()
    try:
        tree = read_tree(text)
        schedule, findings = build_schedule(tree.data, tree.surprises, tree.suspect)
    except ProblemList as exc:
        raise PlanInvalid(name, exc.problems) from None
    finally:
        if collecting:  # leave it as the caller had it (the CLI turns it off for the whole run)
            gc.enable()
    if schedule is None:
        problems = _line_problems(tree, findings)
        raise PlanInvalid(name, [p for p in problems if not p.warning])
    spans = tuple(tree.spans[("tasks", pos)] for pos in range(len(schedule.plan.tasks)))
    return Document(location, raw, text, schedule, spans, tree)


def load(location: Location) -> Document:
    """Read and validate the plan; raise ``PlanNotFound`` or ``PlanInvalid``."""
    return _parse(location, _content(location))


def _content(location: Location) -> bytes:
    """The plan's bytes for a read: as finding it read them, else read now."""
    return location.content if location.content is not None else read_regular(location.path)


def _for_writing(location: Location) -> Document:
    """The plan a write starts from: from the cache when zwgk wrote this very content (its
    schedule and where its tasks stand are kept), else read and validated."""
    from zwgk_cli.storage import cache

    raw = read_regular(location.path)
    spans = cache.load_spans(raw)
    schedule = cache.load(raw) if spans is not None else None
    if spans is None or schedule is None or len(spans) != len(schedule.plan.tasks):
        return _parse(location, raw)
    return Document(location, raw, _decode(location.path, raw), schedule, spans, base=raw)


def read_schedule(location: Location) -> Schedule:
    """The validated plan for read commands: from the cache when the file is unchanged."""
    from zwgk_cli.storage import cache

    raw = _content(location)
    schedule = cache.load(raw)
    if schedule is None:
        schedule = _parse(location, raw).schedule
        cache.save(raw, schedule)
    return schedule


def problems_in(location: Location) -> list[Problem]:
    """Every error and warning of the plan at ``location`` (empty when clean)."""
    try:
        document = load(location)
    except PlanInvalid as exc:
        return exc.problems
    return _line_problems(document.tree, document.schedule.warnings)


class Decision(Protocol):
    """What a write decided; ``text`` is the new plan, or None when nothing changes."""

    @property
    def text(self) -> str | None: ...


D = TypeVar("D", bound=Decision)


def _writable(location: Location) -> Path:
    if location.readonly:
        raise WriteRefused(
            f"{location.path}: 这是随程序安装的示例计划，只能查看。"
            "请先运行 zwgk init 把它复制到 ./data/schedule.yaml，再修改副本"
        )
    target = Path(os.path.realpath(location.path))  # a symlinked plan stays a symlink
    regular(target)  # a missing or odd file is reported before any lock file is made
    if not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222:  # root ignores access()
        raise WriteRefused(f"{location.path}: 文件是只读的（没有写权限），未作改动。请检查文件权限")
    return target


def _commit(location: Location, target: Path, original: bytes, data: bytes) -> None:
    """Replace ``target`` with ``data`` unless it changed since it was read as ``original``."""

    def unchanged() -> None:
        now = read_regular(target)
        if now != original:
            raise WriteRefused(
                f"{location.path}: 文件在读取后被其他人或程序改动过，本次修改未写入。请重新运行命令。"
                f"期间的改动：\n{atomic.diff(original, now)}"
            )

    try:
        atomic.replace(target, data, unchanged)
    except OSError as exc:
        raise WriteRefused(
            f"{location.path}: 写入失败（{os_reason(exc)}），原文件未改动。请检查磁盘空间和文件夹的写权限"
        ) from None


def apply(location: Location, decide: Callable[[Document], D]) -> tuple[D, Document]:
    """Under the lock: read the plan, let ``decide`` choose the new text, check it (by the tasks
    it changed, or whole), and replace the file atomically unless it changed meanwhile. Returns
    the decision and the plan as it is afterwards."""
    from zwgk_cli.storage.revision import revised

    target = _writable(location)
    with atomic.locked(target):
        document = _for_writing(Location(target))
        decision = decide(document)
        if decision.text is None:
            return decision, document
        original = document.raw
        data = _encoded(document, decision.text)
        try:
            result = revised(document, decision.text, data)
            if result is None:
                del document  # the old plan is not needed any more: do not hold two plans in memory
                result = _parse(Location(target), data)
        except PlanInvalid as exc:  # a bug of ours, never a half-written plan
            raise WriteRefused(f"{location.path}: 修改后的文件未通过校验，原文件未改动：\n{exc}") from None
        _commit(location, target, original, data)
    from zwgk_cli.storage import cache

    # The next read or write finds it checked.
    if result.base is not None:
        cache.save_revision(data, result.schedule, result.spans, result.base, result.changed)
    else:
        cache.save(data, result.schedule, result.spans)
    return decision, result


def _encoded(document: Document, text: str) -> bytes:
    """``text`` as the file will hold it: UTF-8, with the byte order mark the file had."""
    return (("\ufeff" if document.raw.startswith(b"\xef\xbb\xbf") else "") + text).encode("utf-8")


def then(document: Document, text: str) -> Document:
    """The plan ``document`` becomes with ``text``: the next step of a change made of several
    (validated by the tasks it changed where that settles it, else whole)."""
    from zwgk_cli.storage.revision import revised

    data = _encoded(document, text)
    return revised(document, text, data) or _parse(document.location, data)


def replace_checked(location: Location, original: bytes, data: bytes) -> None:
    """Under the lock, put ``data`` (already validated) in place of a plan read as ``original``."""
    target = _writable(location)
    with atomic.locked(target):
        _commit(location, target, original, data)


VERIFICATION_ON = (
    "# 单位 done 为已报完成，由主管单位 zwgk verify 核实后销号（见 docs/supervision.md）\n"
    "verification: true\n"
)


def init_plan(dest: Path, force: bool = False, contact: Mapping[str, str] | None = None) -> Path:
    """Copy the bundled plan to ``dest``, with verification on (a new plan starts with the whole
    supervision loop) and the head keys given in ``contact`` (contact, phone); refuse to
    overwrite unless ``force``. The copy is a plan of its own: a new plan id."""
    import json
    import uuid

    from zwgk_cli.storage.yamltree import scalar

    text = bundled_plan().read_text(encoding="utf-8")
    # Quoted where YAML would read it as a number (123456789012: about one id in 280).
    made = scalar(uuid.uuid4().hex[:12])
    text = re.sub(r"^plan_id: \S+", lambda _: f"plan_id: {made}", text, count=1, flags=re.MULTILINE)
    # A JSON string is a YAML double-quoted scalar: any text, quoted safely.
    head = "".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in (contact or {}).items() if value
    )
    text = re.sub(
        r"^tasks:", lambda m: head + VERIFICATION_ON + m.group(0), text, count=1, flags=re.MULTILINE
    )
    return atomic.write_new(dest, text, force)
