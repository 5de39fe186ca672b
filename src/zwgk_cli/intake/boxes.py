"""Tables drawn with box-drawing characters (┌─┬─┐ │ ├ └), as old documents and some pages
print them: every cell wraps over several lines, and a rule (────) ends a cell only in the
columns it crosses, so a cell may stand beside several cells of another column.

Rows are cut at every rule of any column. The task column (the one with the most text) gives
each row the lines of its own between the cuts, as its text runs on line by line; every other
column gives each row the whole cell it stands in, as a merged cell repeats in a document.
Sub-items marked ``△`` under a heading line make that heading their category.
"""

from __future__ import annotations

import itertools

from zwgk_cli.patterns import lazy

__all__ = ["box_rows"]

_EDGE = lazy(r"[│├┤┼┬┴┌┐└┘┃┣┫╋┳┻┏┓┗┛]")
_RULE = lazy(r"[─━═\s]*[─━═][─━═\s]*")
_CORNERS = ("┌", "┏")
_MARK = "△"

Cells = tuple[list[str], list[int]]


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = []
    inside = False
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith(_CORNERS):
            blocks.append([])
            inside = True
        if inside and line and _EDGE.match(line):
            blocks[-1].append((number, line))
        elif inside:
            inside = False
    return blocks


def _grid(block: list[tuple[int, str]]) -> tuple[list[list[str | None]], list[int]] | None:
    """Each line's pieces by column (None where a rule crosses the column), and the lines."""
    width = len(_EDGE.split(block[0][1])) - 2
    pieces: list[list[str | None]] = []
    numbers: list[int] = []
    for number, line in block:
        parts = _EDGE.split(line)[1:-1]
        if len(parts) != width:
            return None  # a horizontal merge inside the table: not read by columns
        pieces.append([None if _RULE.fullmatch(p) else p.strip() for p in parts])
        numbers.append(number)
    return pieces, numbers


def _rows(pieces: list[list[str | None]], numbers: list[int]) -> list[Cells]:
    width = len(pieces[0])
    cuts = [i for i, line in enumerate(pieces) if any(p is None for p in line)]
    spans = [(a + 1, b) for a, b in itertools.pairwise(cuts) if b > a + 1]
    total = [sum(len(line[c] or "") for line in pieces) for c in range(width)]
    task = max(range(width), key=lambda c: total[c])
    rows: list[Cells] = []
    for start, end in spans:
        cells: list[str] = []
        for column in range(width):
            if column == task:  # its own lines, and the text on a rule of another column below
                first, last = start, end + (end < len(pieces) and pieces[end][column] is not None)
            else:  # the whole cell this row stands in: back and on to the column's own rules
                first = max((i + 1 for i in cuts if i < start and pieces[i][column] is None), default=0)
                last = min((i for i in cuts if i >= end and pieces[i][column] is None), default=len(pieces))
            cells.append("".join(line[column] or "" for line in pieces[first:last]))
        rows.append((cells, [numbers[start]] * width))
    return rows


def _headings(rows: list[Cells]) -> list[Cells]:
    """Where △ sub-items follow a heading line, the heading becomes their category (a column of
    its own, 类别, before the others); the header gains it too."""
    header, body = rows[0], rows[1:]
    task = next(i for i, c in enumerate(body[0][0]) if c) if body else 0
    if not any(r[0][task].startswith(_MARK) for r in body):
        return rows
    result: list[Cells] = [(["类别", *header[0]], [header[1][0], *header[1]])]
    heading = ""
    for cells, at in body:
        if not cells[task].startswith(_MARK):
            heading = cells[task]
            continue
        result.append(([heading, *cells], [at[0], *at]))
    return result


def box_rows(lines: list[str]) -> tuple[list[str], list[Cells]] | None:
    """The lines before the first box table, and its rows (header first; the later boxes of the
    same width, as a table continued on the next page, after it), or None where there is none."""
    blocks = _blocks(lines)
    if not blocks:
        return None
    rows: list[Cells] = []
    for block in blocks:
        grid = _grid(block)
        if grid is None:
            continue
        found = _rows(*grid)
        if rows and found and len(found[0][0]) == len(rows[0][0]):
            found = found[1:]  # the header again on the next page
        rows += found
    if not rows:
        return None
    first = blocks[0][0][0]
    before = [line.strip() for line in lines[: first - 1] if line.strip()]
    return before, _headings(rows)
