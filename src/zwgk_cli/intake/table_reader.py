"""Find the table in a document and read its rows by column, whatever the table's shape.

Text comes in three forms: one cell per line, each starting with a tab, rows separated by a
blank line (text extracted from Word); one row per line with cells separated by tabs (copied
from a web page or WPS); one row per line with cells separated by ``|`` (pasted into chat).
Lines before the table (the notice's own paragraphs) are kept for the title and the year.

The header is recognised by the names of its columns (synonyms, any subset, any order, spaces
ignored); the task text is the one column a table must have. Rows that repeat the header (page
breaks) are skipped; a section row (``一、…``, ``（一）…``) sets the category of the rows after
it; an empty category cell continues the one above (a merged cell).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from zwgk_cli.errors import ImportFailed
from zwgk_cli.intake.columns import align, column_kinds, spread, text_column
from zwgk_cli.intake.names import COLUMNS, EXTRA_COLUMNS, SOLE_TEXT, SUBHEADER
from zwgk_cli.intake.normal import header_name
from zwgk_cli.plan.model import FIELD_NAMES, ROLES

__all__ = ["COLUMNS", "Header", "Record", "Row", "find_header", "read_records", "text_rows"]

NO_HEADER = (
    "没有找到表格的表头：表头至少要有任务内容一列（如 具体任务、具体要求、工作任务、公开事项）"
    "和另一列已知的列"
)
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))"
)


@dataclass
class Row:
    line: int  # where the row starts: a line of the text, or a row of the Word table
    cells: list[str]
    lines: list[int] = field(default_factory=list)  # where each cell starts

    def at(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


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


def text_rows(text: str) -> tuple[list[str], list[Row]]:
    """The lines before the table, and the table's rows, from text in any of the three forms."""
    lines = text.splitlines()
    starting = sum(1 for line in lines if line.startswith("\t"))
    inner = sum(1 for line in lines if "\t" in line.strip())
    if starting and starting >= 2 * inner:  # cells each on a line of their own
        return _cell_rows(text)
    if sum(line.count("|") >= 2 for line in lines) >= 2:
        return _line_rows(text, "|")
    if not any("\t" in line for line in lines):
        return _single_rows(lines)
    return _line_rows(text, "\t")


def _single_rows(lines: list[str]) -> tuple[list[str], list[Row]]:
    """One cell per line, as some pages copy: the header is a run of known column names, and the
    lines after it are read in rows of as many cells (a section line stands alone)."""
    names = {s for synonyms in COLUMNS.values() for s in synonyms} | set(EXTRA_COLUMNS)
    for start in range(len(lines)):
        width = 0
        while start + width < len(lines) and _normal(lines[start + width]) in names:
            width += 1
        if width >= 2 and header_of(Row(start + 1, lines[start : start + width])) is not None:
            break
    else:
        return [line.strip() for line in lines if line.strip()], []
    before = [line.strip() for line in lines[:start] if line.strip()]
    rows = [Row(start + 1, lines[start : start + width], list(range(start + 1, start + width + 1)))]
    index = start + width
    while index < len(lines):
        if not lines[index].strip():
            index += 1
        elif _SECTION.match(lines[index].strip()):
            rows.append(Row(index + 1, [lines[index].strip()] + [""] * (width - 1), [index + 1] * width))
            index += 1
        else:
            cells = [c.strip() for c in lines[index : index + width]]
            rows.append(Row(index + 1, cells, list(range(index + 1, index + 1 + len(cells)))))
            index += width
    return before, rows


@dataclass
class Header:
    """What each column of a table holds: a task key, ``extra:名称``, or None (not kept)."""

    row: Row
    keys: list[str | None]
    names: dict[str, str]  # each key's name in this table
    notes: list[str] = field(default_factory=list)  # how columns were taken where it was a guess

    @property
    def found(self) -> list[str]:
        return [k for k in self.keys if k]


def _normal(cell: str) -> str:
    return header_name(cell)


def header_of(row: Row, after: Sequence[Row] = ()) -> Header | None:
    """The header ``row`` is, or None: a task text column and at least one other known column.
    Where no header name says which column holds the tasks, the rows ``after`` it tell."""
    keys: list[str | None] = []
    names: dict[str, str] = {}
    previous = ""
    for cell in row.cells:
        name = _normal(cell)
        # An empty cell, or the same name again, continues the header before it (a merged cell).
        if (not name or name == previous) and keys and keys[-1] is not None:
            keys.append(keys[-1])
            continue
        previous = name
        key = next((k for k, synonyms in COLUMNS.items() if name in synonyms), None)
        if key is None and name in EXTRA_COLUMNS:
            key = f"extra:{name}"
        if key in names:
            key = None  # a second column of the same kind is not kept
        keys.append(key)
        if key is not None:
            names[key] = name
    if "title" not in names:
        guessed = _title_by_content(row, keys, after) if len(names) >= 1 else None
        if guessed is not None:
            keys[guessed] = "title"
            names["title"] = _normal(row.cells[guessed]) or "（无表头）"
            notes = [f"行 {row.line}：“{names['title']}”一列的文字最长，取作任务内容（具体任务）"]
            return Header(row, keys, names, notes) if len(names) >= 2 else None
        sole = next((i for i, k in enumerate(keys) if k == "category" and names[k] in SOLE_TEXT), None)
        if sole is None:
            return None
        keys = ["title" if k == "category" else k for k in keys]
        names["title"] = names.pop("category")
    if len(names) < 2:
        return None
    return Header(row, keys, names)


def _title_by_content(row: Row, keys: list[str | None], after: Sequence[Row]) -> int | None:
    """The column of an unknown (or empty) header name that holds the longest text below it."""
    unknown = [i for i, k in enumerate(keys) if k is None]
    return text_column([r.cells for r in after[:30]], unknown) if unknown and after else None


def find_header(rows: list[Row]) -> Header:
    """The table's header row; when there is none, say which lines came closest and why."""
    for index, row in enumerate(rows):
        header = header_of(row, rows[index + 1 :])
        if header is not None:
            return header
    raise ImportFailed(_no_header(rows))


def _no_header(rows: list[Row]) -> str:
    def known(row: Row) -> list[str]:
        return [
            c
            for c in row.cells
            if any(_normal(c) in s for s in COLUMNS.values()) or _normal(c) in EXTRA_COLUMNS
        ]

    close = sorted((r for r in rows if known(r)), key=lambda r: -len(known(r)))[:3]
    lines = [NO_HEADER]
    for row in close:
        unknown = [c for c in row.cells if c.strip() and c not in known(row)]
        lines.append(
            f"行 {row.line}：认出了 {'、'.join(known(row))}"
            + (f"；认不出 {'、'.join(unknown)}" if unknown else "")
        )
    if not close:
        lines.append("文件中没有一行像表头；请确认复制了整张表格（含表头）")
    return "\n".join(lines)


@dataclass
class Record:
    """One data row: each kept column's text and the line it starts on."""

    line: int
    values: dict[str, tuple[str, int]]

    def text(self, key: str) -> str:
        return self.values.get(key, ("", self.line))[0]

    def at(self, key: str) -> int:
        return self.values.get(key, ("", self.line))[1]


# Columns a capture leaves out of the later rows a merged cell covers: their value continues.
_SPANNED = ("id", "category", "subcategory", "lead", "responsible", "cooperating", "supervising", "deadline")


def read_records(rows: list[Row], header: Header, notes: list[str] | None = None) -> list[Record]:
    """The data rows after ``header``, by column; section rows become categories. A row with
    fewer cells than the table (a capture drops the cells a merged cell covers) is aligned by
    what its cells hold, and each such guess is added to ``notes``."""
    notes = notes if notes is not None else []
    records: list[Record] = []
    section: dict[str, str] = {}
    body = _body(rows, header, notes)
    keys = _keys(header, body, notes)
    width = len(keys)
    for row in body:
        filled = [c.strip() for c in row.cells if c.strip()]
        if len(set(filled)) == 1 and _SECTION.match(filled[0]) and width > 1:
            level = "subcategory" if filled[0].startswith(("（", "(")) else "category"
            section[level] = filled[0]
            if level == "category":
                section.pop("subcategory", None)
            continue
        values = _values(row, keys, header, records[-1] if records else None, notes)
        for key, text in section.items():
            if not values.get(key, ("", 0))[0]:
                values[key] = (text, row.line)
        records.append(Record(row.line, values))
    if not records:
        raise ImportFailed("表格中没有任务")
    if width > len(header.keys):
        header.keys = keys
    return records


def _body(rows: list[Row], header: Header, notes: list[str]) -> list[Row]:
    """The data rows: not the header again (page breaks), not empty, not a second header row."""
    start = rows.index(header.row) + 1
    body = [r for r in rows[start:] if any(c.strip() for c in r.cells) and header_of(r) is None]
    if body and all(SUBHEADER.match(_normal(c)) for c in body[0].cells if c.strip()):
        notes.append(f"行 {body[0].line}：第二行表头（{'、'.join(c for c in body[0].cells if c.strip())}）")
        body = body[1:]
    return body


def _keys(header: Header, body: list[Row], notes: list[str]) -> list[str | None]:
    """The header's keys over the data's columns: where rows have more cells than the header
    (a header cell spans several), the columns are matched by what they hold."""
    width = max([len(header.keys), *(len(r.cells) for r in body)])
    if width == len(header.keys):
        return header.keys
    full = [r.cells for r in body if len(r.cells) == width]
    keys = spread(header.keys, column_kinds(full, width))
    added = [FIELD_NAMES.get(k or "", "") for k in keys if k not in header.keys and k]
    notes.append(
        f"行 {header.row.line}：表头 {len(header.keys)} 列，数据 {width} 列，按内容对齐"
        + (f"；另取出 {'、'.join(added)}" if added else "")
    )
    for key in keys:
        if key and key not in header.names:
            header.names[key] = FIELD_NAMES.get(key, key)
    return keys


def _values(
    row: Row, keys: list[str | None], header: Header, above: Record | None, notes: list[str]
) -> dict[str, tuple[str, int]]:
    """A row's text by key; a short row's cells placed by content, the columns it lacks
    continuing the row above (a merged cell the capture left out)."""
    cells, lines = row.cells, [row.at(i) for i in range(len(row.cells))]
    if len(cells) < len(keys) and len(keys) > 2 and row.cells:
        placed = align(cells, keys)
        spread_cells = [""] * len(keys)
        spread_lines = [row.line] * len(keys)
        for index, column in enumerate(placed):
            spread_cells[column], spread_lines[column] = cells[index], lines[index]
        missing = [keys[j] for j in range(len(keys)) if j not in placed and keys[j]]
        kept = [k for k in missing if k in _SPANNED and above is not None and above.text(k)]
        notes.append(
            f"行 {row.line}：这一行有 {len(cells)} 个单元格，表格有 {len(keys)} 列，按内容对齐"
            + (
                f"；{'、'.join(header.names.get(k, k) for k in kept)}沿用上一行（合并的单元格）"
                if kept
                else ""
            )
        )
        cells, lines = spread_cells, spread_lines
        carried = {k: (above.text(k), row.line) for k in kept} if above is not None else {}
    else:
        carried = {}
    values: dict[str, tuple[str, int]] = dict(carried)
    for index, key in enumerate(keys):
        if key is None or index >= len(cells) or key in carried:
            continue
        # A cell broken over lines is one value (加强政策 + 文件解读), except that units on
        # lines of their own are separate names.
        text = cells[index].strip()
        if key not in ROLES:
            text = "".join(line.strip() for line in text.splitlines())
        if key in values and text:  # a column spanned by one header: a number, then the text
            first, line = values[key]
            if key == "title" and re.fullmatch(r"\d+[.、．]?", first):
                if "id" not in header.names:  # the number is the task's, where no 序号 column has one
                    values["id"] = (first.rstrip(".、．"), line)
                values[key] = (text, lines[index])
            else:
                values[key] = ((first + text) if first else text, line)
            continue
        values.setdefault(key, (text, lines[index]))
    return values
