"""Find the table in a document and read its rows by column, whatever the table's shape.

The rows come from ``rows`` (text in any form) or from a document's table.

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
from zwgk_cli.intake.rows import Row, text_rows
from zwgk_cli.intake.subheader import under
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.model import FIELD_NAMES, ROLES

__all__ = ["COLUMNS", "Header", "Record", "Row", "find_header", "read_records", "text_rows"]

NO_HEADER = (
    "没有找到表格的表头：表头至少要有任务内容一列（如 具体任务、具体要求、工作任务、公开事项）"
    "和另一列已知的列"
)
_SECTION = lazy(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))")


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
    headings: list[str] = []
    body = _continued(_body(rows, header, notes), header, notes)
    keys = _keys(header, body, notes)
    width = len(keys)
    for row in body:
        filled = [c.strip() for c in row.cells if c.strip()]
        if len(set(filled)) == 1 and _SECTION.match(filled[0]) and width > 1:
            level = "subcategory" if filled[0].startswith(("（", "(")) else "category"
            section[level] = filled[0]
            headings.append(filled[0])
            if level == "category":
                section.pop("subcategory", None)
            continue
        values = _values(row, keys, header, records[-1] if records else None, notes)
        _under_section(values, section)
        for key, text in section.items():
            if not values.get(key, ("", 0))[0]:
                values[key] = (text, row.line)
        records.append(Record(row.line, values))
    if not records:
        sections = "；".join(headings)
        raise ImportFailed(
            f"表格有表头（{'、'.join(c for c in header.row.cells if c.strip())}），但表中没有任务："
            + (f"除分类行（{sections}）外，" if sections else "")
            + "各行的单元格都是空的，网页上表格的文字可能没有复制下来；请导入原文件（.docx、.xlsx、.html），"
            "或在浏览器中全选表格后重新复制"
        )
    if width > len(header.keys):
        header.keys = keys
    return records


def _under_section(values: dict[str, tuple[str, int]], section: dict[str, str]) -> None:
    """A row's own category under a section row (一、… above 1.行政规范性文件集中公开) is a level
    below it: the row's category becomes its subcategory, where it has none of its own."""
    own = values.get("category", ("", 0))
    heading = section.get("category", "")
    lower = own[0] and not values.get("subcategory", ("", 0))[0]
    if heading and lower and _SECTION.sub("", heading).strip() != own[0].strip():
        values["subcategory"] = own
        values["category"] = (heading, own[1])


_NUMBER = lazy(r"\d{1,4}[.、．]?")


def _continued(body: list[Row], header: Header, notes: list[str]) -> list[Row]:
    """Rows of a numbered table that start without a number continue the row above: the rest
    of a row the capture broke over lines (the row above is short), or more paragraphs of one
    of its cells (``【联系方式】`` under ``【机构名称】``)."""
    if "id" not in header.keys:
        return body
    at = header.keys.index("id")
    numbered = [r for r in body if len(r.cells) > at and _NUMBER.fullmatch(r.cells[at].strip())]
    if len(numbered) * 2 < len(body):
        return body
    width = len(header.keys)
    joined: list[Row] = []
    for row in body:
        cells = [c for c in row.cells]
        first = cells[at].strip() if len(cells) > at else ""
        if not joined or _NUMBER.fullmatch(first) or _SECTION.match(first):
            joined.append(Row(row.line, cells, list(row.lines)))
            continue
        above = joined[-1]
        filled = [c for c in cells if c.strip()]
        mark = filled[0].strip()[:1] if len(filled) == 1 else ""
        starts = [i for i, cell in enumerate(above.cells) if mark and cell.strip().startswith(mark)]
        target = starts[-1] if starts else None
        if target is not None and not mark.isalnum():
            above.cells[target] += "\n" + filled[0]
            notes.append(f"行 {row.line}：“{filled[0]}”没有序号，并入上一行的同一单元格")
        elif len(above.cells) + len(cells) <= width:
            above.cells += cells
            above.lines += [row.at(i) for i in range(len(cells))]
            notes.append(f"行 {row.line}：这一行没有序号，接在上一行之后（复制时一行被断开）")
        else:
            joined.append(Row(row.line, cells, list(row.lines)))
    return joined


def _body(rows: list[Row], header: Header, notes: list[str]) -> list[Row]:
    """The data rows: not the header again (page breaks), not empty, not a second header row."""
    start = rows.index(header.row) + 1
    filled = [r for r in rows[start:] if any(c.strip() for c in r.cells)]
    above = [_normal(c) for c in header.row.cells]
    # A cell merged down from the header (a document fills it in) is no name of the second row.
    children = (
        [
            "" if i < len(above) and _normal(c) == above[i] else _normal(c)
            for i, c in enumerate(filled[0].cells)
        ]
        if filled
        else []
    )
    body = [r for r in filled if header_of(r) is None]  # not the header again at a page break
    if any(children) and all(SUBHEADER.match(c) for c in children if c):
        body = [r for r in body if r is not filled[0]]
        keys = under(above, header.keys, children)
        said = "、".join(c for c in children if c)
        if keys is None:
            notes.append(f"行 {filled[0].line}：第二行表头（{said}）")
        else:
            notes.append(f"行 {filled[0].line}：第二行表头（{said}）分在其上的表头之下")
            levels = {"category": "一级", "subcategory": "二级"}
            for key in keys:
                if key and key not in header.names:
                    level = next((c for c in children if c.startswith(levels.get(key, "-"))), key)
                    header.names[key] = key.removeprefix("extra:") if key.startswith("extra:") else level
            header.keys = keys
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
