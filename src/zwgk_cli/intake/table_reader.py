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
from dataclasses import dataclass, field

from zwgk_cli.errors import ImportFailed
from zwgk_cli.plan.model import ROLES

__all__ = ["COLUMNS", "Header", "Record", "Row", "find_header", "read_records", "text_rows"]

# Each task key, and the names tables give its column, the usual one first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号"),
    "category": ("工作任务", "重点任务", "类别", "一级任务", "任务类别", "工作类别", "主要任务"),
    "subcategory": ("二级任务",),
    "title": ("具体任务", "具体要求", "工作内容", "主要内容", "任务内容", "公开事项", "公开内容", "工作措施"),
    "lead": ("牵头单位", "牵头部门"),
    "responsible": (
        "主体责任单位",
        "责任单位",
        "责任科室",
        "责任部门",
        "承办单位",
        "公开主体",
        "负责单位",
        "落实单位",
    ),
    "cooperating": ("配合单位", "协办单位", "参与单位", "配合部门"),
    "supervising": ("主管单位", "督办单位", "指导单位"),
    "deadline": ("完成时间", "完成时限", "时限要求", "时限", "时间节点", "公开时限", "完成期限"),
    "note": ("备注",),
}
# Columns kept under their own names (task.extra).
EXTRA_COLUMNS = (
    "公开依据",
    "公开渠道",
    "公开形式",
    "公开方式",
    "公开层级",
    "公开范围",
    "公开对象",
    "完成情况",
)
# A table's only text column, when it has no other: the task itself, not a category.
_SOLE_TEXT = ("工作任务", "任务", "重点任务", "主要任务")
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

    @property
    def found(self) -> list[str]:
        return [k for k in self.keys if k]


def _normal(cell: str) -> str:
    return re.sub(r"[\s\u3000]+", "", cell)


def header_of(row: Row) -> Header | None:
    """The header ``row`` is, or None: a task text column and at least one other known column."""
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
        sole = next((i for i, k in enumerate(keys) if k == "category" and names[k] in _SOLE_TEXT), None)
        if sole is None:
            return None
        keys = ["title" if k == "category" else k for k in keys]
        names["title"] = names.pop("category")
    if len(names) < 2:
        return None
    return Header(row, keys, names)


def find_header(rows: list[Row]) -> Header:
    """The table's header row; when there is none, say which lines came closest and why."""
    for row in rows:
        header = header_of(row)
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


def read_records(rows: list[Row], header: Header) -> list[Record]:
    """The data rows after ``header``, by column; section rows become categories."""
    records: list[Record] = []
    problems: list[str] = []
    section: dict[str, str] = {}
    width = len(header.keys)
    start = rows.index(header.row) + 1
    for row in rows[start:]:
        if header_of(row) is not None:
            continue  # the header again, after a page break
        filled = [c.strip() for c in row.cells if c.strip()]
        if not filled:
            continue
        if len(set(filled)) == 1 and _SECTION.match(filled[0]) and len(row.cells) > 1:
            level = "subcategory" if filled[0].startswith(("（", "(")) else "category"
            section[level] = filled[0]
            if level == "category":
                section.pop("subcategory", None)
            continue
        if len(row.cells) < width:
            problems.append(f"行 {row.line}：应有 {width} 个单元格，这一行有 {len(row.cells)} 个")
            continue
        values: dict[str, tuple[str, int]] = {}
        for index, key in enumerate(header.keys):
            if key is None or index >= len(row.cells):
                continue
            # A cell broken over lines is one value (加强政策 + 文件解读), except that units on
            # lines of their own are separate names.
            text = row.cells[index].strip()
            if key not in ROLES:
                text = "".join(line.strip() for line in text.splitlines())
            if key in values and text:  # a column spanned by one header: a number, then the text
                first, line = values[key]
                if key == "title" and re.fullmatch(r"\d+[.、．]?", first):
                    if "id" not in header.names:  # the number is the task's, where no 序号 column has one
                        values["id"] = (first.rstrip(".、．"), line)
                    values[key] = (text, row.at(index))
                else:
                    values[key] = ((first + text) if first else text, line)
                continue
            values.setdefault(key, (text, row.at(index)))
        for key, text in section.items():
            if not values.get(key, ("", 0))[0]:
                values[key] = (text, row.line)
        records.append(Record(row.line, values))
    if problems:
        raise ImportFailed("\n".join(problems))
    if not records:
        raise ImportFailed("表格中没有任务")
    return records
