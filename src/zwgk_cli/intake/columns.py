"""Columns read by what they hold, not only by what the header calls them.

A cell is a number, a section heading (一、…), a deadline phrase, a list of units, or text
(short or long). A column's kind is what most of its cells are. That finds the task column of
a table whose header zwgk does not know (the one holding the longest sentences), the columns a
header cell spans (工作任务 over 一级 | 二级 | 序号), and where the cells of a ragged row belong
when a capture left out the merged cells it covers. Pure functions of cells; no I/O.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence

from zwgk_cli.dates.deadlines import DeadlineError
from zwgk_cli.dates.phrases import read_deadline
from zwgk_cli.patterns import lazy

__all__ = ["align", "cell_kind", "column_kinds", "spread", "text_column"]

SECTION = lazy(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")  # 一、… （一）…
_UNIT_END = lazy(
    r"(?:局|委|办|室|厅|院|所|站|队|会|部|处|科|股|中心|政府|公司|集团|银行|街道|办事处|分局|支队|大队|"
    r"委员会|管委会|单位|部门|机构|各部门|乡镇|镇|社区|村)(?:等)?$"
)
_DEADLINE_HINT = lazy(
    r"\d+月|年底|年内|前$|日内|持续|长期|常态|每[年季月周]|按[年季月周]|之日起|底前|实时|及时"
)


@functools.lru_cache(maxsize=8192)
def cell_kind(cell: str) -> str:
    """``empty``, ``number``, ``tick``, ``section``, ``task``, ``deadline``, ``units``, ``long`` or
    ``short``."""
    text = cell.strip()
    if not text:
        return "empty"
    if re.fullmatch(r"\d{1,4}[.、．]?", text):
        return "number"
    if re.fullmatch(r"[√✓✔●○×■□]", text):
        return "tick"
    if SECTION.match(text):
        return "section"
    if re.match(r"^[（(]\d+[）)]", text):  # （12）: a numbered task
        return "task"
    if len(text) <= 40 and _DEADLINE_HINT.search(text):
        try:
            read_deadline(text, 2000)
            return "deadline"
        except DeadlineError:
            pass
    names = [n for n in re.split(r"[、，,；;\s]+", text) if n]
    if names and len(text) <= 200 and all(_UNIT_END.search(n) for n in names):
        return "units"
    return "long" if len(text) > 24 else "short"


# What a column of each key holds, and how well another kind of cell fits it (0 best, 1 worst).
_EXPECTS: dict[str, tuple[str, ...]] = {
    "id": ("number",),
    "category": ("section", "short"),
    "subcategory": ("section", "short"),
    "title": ("task", "long", "short"),
    "lead": ("units",),
    "responsible": ("units",),
    "cooperating": ("units",),
    "supervising": ("units",),
    "deadline": ("deadline",),
}


def _fit(kind: str, key: str | None) -> float:
    if kind == "empty":
        return 0.1
    expected = _EXPECTS.get(key or "")
    if key and key.startswith("extra:") and key.endswith("）"):  # a tick column under a spanning name
        expected = ("tick",)
    if expected is None:  # extra, note, or a column not kept: anything fits a little
        return 0.4
    if kind in expected:
        return 0.0
    return 0.6 if key in ("title", "category", "subcategory") and kind in ("long", "short") else 1.0


def column_kinds(rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Each column's kind: what most of its filled cells are (``empty`` for a column of blanks)."""
    kinds = []
    for index in range(width):
        counts = Counter(cell_kind(r[index]) for r in rows if index < len(r) and r[index].strip())
        kinds.append(counts.most_common(1)[0][0] if counts else "empty")
    return kinds


def text_column(rows: Sequence[Sequence[str]], candidates: Sequence[int]) -> int | None:
    """Of ``candidates``, the column holding the longest text on average: the tasks."""

    def mean(index: int) -> float:
        cells = [r[index].strip() for r in rows if index < len(r) and r[index].strip()]
        return sum(len(c) for c in cells) / len(cells) if cells else 0.0

    best = max(candidates, key=mean, default=None)
    return best if best is not None and mean(best) >= 8 else None


def spread(keys: list[str | None], kinds: list[str]) -> list[str | None]:
    """Header keys over more data columns than the header has cells (a header cell spanning
    several): each key goes to the column whose kind fits it, in order; a column no key claims
    takes the key its kind suggests (a number: id; a section or a short name: category, then
    subcategory)."""
    suggested = [_SUGGESTS.get(kind) for kind in kinds]
    cost = [[_fits(key, column) for column in suggested] for key in keys]
    result: list[str | None] = [None] * len(kinds)
    # Leaving a column costs more the further left it is: a spanning cell starts where it stands.
    leave = [0.5 + 0.01 * (len(kinds) - j) for j in range(len(kinds))]
    for index, column in enumerate(_place(cost, leave)):
        result[column] = keys[index]
    taken = {k for k in result if k}
    for column, kind in enumerate(kinds):
        for key in {"number": ("id",), "section": _LEVELS, "short": _LEVELS}.get(kind, ()):
            if result[column] is None and key not in taken:
                result[column] = key
                taken.add(key)
    return result


# The key a column of each kind would best hold.
_SUGGESTS = {"number": "id", "section": "category", "deadline": "deadline", "units": "responsible",
             "long": "title", "task": "title"}  # fmt: skip
_ROLES = ("lead", "responsible", "cooperating", "supervising")
_LEVELS = ("category", "subcategory")


def _fits(key: str | None, suggested: str | None) -> float:
    """How badly a header key fits a column whose kind suggests another: 0 exactly, 1 not."""
    if key == suggested or (key in _ROLES and suggested == "responsible"):
        return 0.0
    if suggested is None:  # a column of short text or blanks
        return 1.0 if key in ("id", "deadline") else 0.3
    return 0.3 if key == "subcategory" and suggested == "category" else 1.0


# Columns a row is least likely to lack: its task, and the units that do it.
_KEEP = {"title": 0.5, "responsible": 0.05, "lead": 0.05}


def align(cells: Sequence[str], keys: Sequence[str | None]) -> list[int]:
    """Where each of ``cells`` goes among the columns of ``keys`` (no more cells than columns):
    in order, every cell placed, the columns left out being those a capture drops (the merged
    ones, leftmost first; the task and the units doing it last of all)."""
    cost = [[_fit(cell_kind(cell), key) for key in keys] for cell in cells]
    leave = [0.15 + 0.01 * j + _KEEP.get(key or "", 0.0) for j, key in enumerate(keys)]
    return _place(cost, leave)


def _place(cost: list[list[float]], leave: list[float]) -> list[int]:
    """The columns for n items among m >= n, in order, at the least cost: ``cost[i][j]`` to put
    item i in column j, ``leave[j]`` to leave column j without one."""
    n, m = len(cost), len(leave)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]  # best[i][j]: i items among j columns
    best[0][0] = 0.0
    for j in range(1, m + 1):
        best[0][j] = best[0][j - 1] + leave[j - 1]
        for i in range(1, min(j, n) + 1):
            best[i][j] = min(best[i][j - 1] + leave[j - 1], best[i - 1][j - 1] + cost[i - 1][j - 1])
    placed = [0] * n
    i, j = n, m
    while i > 0:
        if j == i or best[i][j] == best[i - 1][j - 1] + cost[i - 1][j - 1]:
            placed[i - 1] = j - 1
            i -= 1
        j -= 1
    return placed
