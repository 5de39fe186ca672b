"""A plan as read, and where each of its tasks stands in its file."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zwgk_cli.patterns import lazy
from zwgk_cli.plan.schedule import Schedule

if TYPE_CHECKING:  # the YAML machinery is loaded only when a plan is parsed
    from zwgk_cli.storage.yamltree import ItemLines, Tree

__all__ = ["CONTROL", "Document", "Location", "Spans"]

# Characters no plan file holds (a binary file, or a copy gone wrong).
CONTROL = lazy(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Location:
    """Where a plan file is, and whether zwgk may write it."""

    path: Path
    readonly: bool = False
    # The file's bytes where finding it meant reading it (a workspace's plans are told apart
    # from other YAML files by their content): a read command reads them, not the file again.
    # A write reads the file anew under its lock before it replaces it.
    content: bytes | None = field(default=None, compare=False, repr=False)


Spans = tuple[tuple[int, int], ...]  # each task's lines (0-based, end exclusive), in file order


@dataclass(frozen=True)
class Document:
    """A plan as read: its text (BOM removed), schedule, and where each task stands; its whole
    parse tree where the text was parsed whole (a plan zwgk wrote comes from the cache without)."""

    location: Location
    raw: bytes
    text: str
    schedule: Schedule
    spans: Spans
    parsed: Tree | None = None
    # The cached plan this one is, with the tasks at ``changed`` revised (``revision.revised``):
    # the cache keeps those tasks alone beside that plan's entry.
    base: bytes | None = None
    changed: frozenset[int] = frozenset()

    @functools.cached_property
    def tree(self) -> Tree:
        """The whole parse tree (parsed now, where the document came without it)."""
        if self.parsed is not None:
            return self.parsed
        from zwgk_cli.storage.yamltree import read_tree

        return read_tree(self.text)

    @functools.cached_property
    def newline(self) -> str:
        """The file's own line end: CRLF, LF, or a lone CR (old Mac files)."""
        if "\r\n" in self.text:
            return "\r\n"
        return "\r" if "\r" in self.text and "\n" not in self.text else "\n"

    @functools.cached_property
    def lines(self) -> tuple[str, ...]:
        """The text's lines, line ends kept: split once, shared by every edit of this plan (a
        collect that changes 700 tasks of a 10,000-task plan copied it 700 times; issue 23.9)."""
        return tuple(self.text.splitlines(keepends=True))

    @functools.cached_property
    def positions(self) -> dict[int, int]:
        """Where each task id sits in the file's task list."""
        return {t.id: pos for pos, t in enumerate(self.schedule.plan.tasks)}

    def task_lines(self, task_id: int) -> ItemLines:
        """Where task ``task_id`` and each of its keys stand: read from its own lines alone when
        the document came without its tree (checked to be that task), else from the tree."""
        pos = self.positions[task_id]
        if self.parsed is None and "tree" not in self.__dict__:
            first, end = self.spans[pos]
            alone = _task_alone("".join(self.lines[first:end]), first, task_id)
            if alone is not None:
                return alone
        return self.tree.item_lines(("tasks", pos))


def _task_alone(text: str, first: int, task_id: int) -> ItemLines | None:
    """Where task ``task_id`` stands, from its lines ``text`` (from line ``first`` on) alone;
    None unless they are that one task."""
    from zwgk_cli.storage.yamltree import ProblemList, read_items

    try:
        alone = read_items(text, "tasks", first)
    except ProblemList:
        return None
    found = alone.data["tasks"]
    if not (isinstance(found, list) and len(found) == 1 and isinstance(found[0], dict)):
        return None
    return alone.item_lines(("tasks", 0)) if found[0].get("id") == task_id else None
