"""A table given as text, as rows of cells, whichever of the forms people paste it in.

Text comes in these forms: one cell per line, each starting with a tab, rows separated by a
blank line (text extracted from Word); one row per line with cells separated by tabs (copied
from a web page or WPS); one row per line with cells separated by ``|`` (pasted into chat);
and one cell per line as browsers copy a page's table (``cell_lines``). Lines before the
table (the notice's own paragraphs) are kept for the title and the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zwgk_cli.intake.boxes import box_rows
from zwgk_cli.intake.cell_lines import cell_line_rows

__all__ = ["Row", "TextTable", "text_rows"]


@dataclass
class Row:
    """One row of a table as read, before its cells are given their meaning."""

    line: int  # where the row starts: a line of the text, or a row of the Word table
    cells: list[str]
    lines: list[int] = field(default_factory=list)  # where each cell starts

    def at(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


@dataclass
class TextTable:
    """A table read from text: the lines before it, its rows, and the form it came in: ``word``
    (cells starting with a tab), ``page`` (copied from a browser: `|` rows or a cell per line,
    leaving out the cells a merged cell covers) or ``lines`` (tab-separated rows)."""

    before: list[str]
    rows: list[Row]
    form: str


def _cell_rows(text: str) -> tuple[list[str], list[Row]]:
    """Cells start with a tab; a line without one continues the cell before it (even after a
    blank line); a blank line followed by a tab line ends the row."""
    rows: list[Row] = []
    before: list[str] = []
    fresh = True
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("\t"):
            if fresh:
                rows.append(Row(number, []))
                fresh = False
            rows[-1].cells.append(line[1:])
            rows[-1].lines.append(number)
        elif not line.strip():
            fresh = True
        elif rows:
            rows[-1].cells[-1] += line.strip()
            fresh = False
        else:
            before.append(line.strip())
    return before, rows


def _line_rows(text: str, separator: str) -> tuple[list[str], list[Row]]:
    """One row per line, cells split at ``separator`` (``|`` rows may have outer bars)."""
    rows: list[Row] = []
    before: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if separator not in line:
            if not rows and line.strip():
                before.append(line.strip())
            continue
        body = line.strip(" \u3000\r\n")  # a trailing tab is an empty cell, not space
        if separator == "|":
            body = body.removeprefix("|").removesuffix("|")
            if re.fullmatch(r"[\s|:\-]*", body):  # a Markdown rule under the header
                continue
        cells = [c.strip() for c in body.split(separator)]
        if separator == "|":  # a capture pads rows with empty cells (`| ||`): not columns
            while len(cells) > 1 and not cells[-1]:
                cells.pop()
        rows.append(Row(number, cells, [number] * len(cells)))
    return before, rows


def is_piped(lines: list[str]) -> bool:
    """Whether rows are written ``a | b | c`` on lines of their own."""
    return sum(line.count("|") >= 2 for line in lines) >= 2


def text_rows(text: str, notes: list[str]) -> TextTable:
    """The table in text of any of the forms; what had to be guessed is added to ``notes``."""
    lines = text.splitlines()
    starting = sum(1 for line in lines if line.startswith("\t"))
    inner = sum(1 for line in lines if "\t" in line.strip())
    if starting and starting >= 2 * inner:  # cells each on a line of their own
        return TextTable(*_cell_rows(text), "word")
    boxed = box_rows(lines)
    if boxed is not None:
        return TextTable(boxed[0], [Row(at[0], cells, at) for cells, at in boxed[1]], "word")
    by_cell = cell_line_rows(lines)
    if by_cell is not None:
        before, found, guessed = by_cell
        notes.extend(guessed)
        return TextTable(before, [Row(at[0], cells, at) for cells, at in found if at], "page")
    if is_piped(lines):
        return TextTable(*_line_rows(text, "|"), "page")
    if not any("\t" in line for line in lines):
        return TextTable([line.strip() for line in lines if line.strip()], [], "lines")
    return TextTable(*_line_rows(text, "\t"), "lines")
