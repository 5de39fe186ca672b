"""A write checked by what it changed: the tasks whose lines changed are read and validated
alone, where only what they record changed (issue 24: a write on a 10,000-task plan parsed and
validated all of it, a second each)."""

from __future__ import annotations

from zwgk_cli.plan.validate import revise
from zwgk_cli.storage.document import CONTROL, Document

__all__ = ["revised"]


def revised(document: Document, text: str, data: bytes) -> Document | None:
    """The plan ``document`` becomes with ``text`` (``data`` encoded), validated by the tasks
    whose lines changed alone (``validate.revise``); None where that cannot settle it (a change
    outside the task list, of a task's number, units or deadline, or anything in doubt): then
    the whole text is parsed and validated."""
    from zwgk_cli.storage.yamltree import ProblemList, read_items

    old, new = document.lines, tuple(text.splitlines(keepends=True))
    head, tail = _same_ends(old, new)
    spans = document.spans
    if not spans or head == len(old) == len(new):
        return None
    # The tasks whose lines changed, and those a change touches at their edge (an added key
    # goes at a task's end: the next task's first line).
    touched = [pos for pos, (first, end) in enumerate(spans) if first <= len(old) - tail and end >= head]
    if not touched or spans[touched[0]][0] > head or spans[touched[-1]][1] < len(old) - tail:
        return None
    first, end = spans[touched[0]][0], spans[touched[-1]][1]
    shift = len(new) - len(old)
    region = "".join(new[first : end + shift])
    if CONTROL.search(region):
        return None
    try:
        tree = read_items(region, "tasks", first)
    except ProblemList:
        return None
    items = tree.data.get("tasks") if isinstance(tree.data, dict) and len(tree.data) == 1 else None
    if not isinstance(items, list) or len(items) != len(touched):
        return None
    schedule = revise(document.schedule, touched[0], items, tree.surprises, tree.suspect)
    if schedule is None:
        return None
    kept = tuple(tree.spans[("tasks", index)] for index in range(len(items)))
    later = tuple((a + shift, b + shift) for a, b in spans[touched[-1] + 1 :])
    spans = spans[: touched[0]] + kept + later
    changed = document.changed | set(touched)
    return Document(document.location, data, text, schedule, spans, None, document.base, changed)


_CHUNK = 512


def _same_ends(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[int, int]:
    """How many lines ``old`` and ``new`` share at their start, and then at their end (compared
    a chunk at a time: one C call per 512 lines)."""
    limit = min(len(old), len(new))
    head = 0
    while head + _CHUNK <= limit and old[head : head + _CHUNK] == new[head : head + _CHUNK]:
        head += _CHUNK
    while head < limit and old[head] == new[head]:
        head += 1
    room = limit - head  # the shared end never overlaps the shared start
    tail = 0
    while (
        tail + _CHUNK <= room
        and old[len(old) - tail - _CHUNK : len(old) - tail] == new[len(new) - tail - _CHUNK : len(new) - tail]
    ):
        tail += _CHUNK
    while tail < room and old[len(old) - tail - 1] == new[len(new) - tail - 1]:
        tail += 1
    return head, tail
