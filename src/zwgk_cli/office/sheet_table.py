"""The tables of an Excel workbook (.xlsx) and of a saved web page (.html), as plain cells.

Both give what ``docx_table.read_docx`` gives: a title and every table as rows of cell
texts, so the importer reads them all alike. A merged cell's text fills every cell it covers
(a category merged over five rows continues; a title row merged above the header is read as
the title). The workbook is checked as a zip before it is opened (``docx_table.check_zip``);
the page is read with the standard library's HTML parser, never with regular expressions.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from html.parser import HTMLParser
from typing import Any

from zwgk_cli.errors import ImportFailed
from zwgk_cli.office.docx_table import check_zip
from zwgk_cli.patterns import lazy

__all__ = ["MAX_CELL", "MAX_COLUMNS", "MAX_ROWS", "read_html", "read_xlsx", "sheet_grid"]

Tables = list[list[list[str]]]
# Bounds on a sheet, checked before any grid is built: a 7 KB file may claim a cell at
# XFD1048576 or merge a range to it. Real plans and forms are far inside these.
MAX_ROWS, MAX_COLUMNS, MAX_CELL = 20_000, 200, 32_767  # a cell: Excel's own limit


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Line breaks are kept: table_reader joins them in text columns, splits units at them.
    return "\n".join(line.strip() for line in str(value).splitlines()).strip()


_MERGE = lazy(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


_ROW = lazy(rb"<(?:\w+:)?row[\s>/]")
MAX_CELLS = MAX_ROWS * 50  # cells a sheet may hold: a plan or form of 20,000 rows of 50 columns


def check_merges(data: bytes, what: str) -> None:
    """Refuse a workbook (already checked as a zip) before openpyxl opens it when a sheet merges
    cells past the bounds (openpyxl makes an object for every cell a merge covers) or holds
    more rows or cells than a plan or form ever has (a million rows took 86 s and 3 GB)."""
    from openpyxl.utils import column_index_from_string

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            _count_rows(archive, name, what)
            for found in _MERGE.finditer(archive.read(name)):
                first, top, last, bottom = found.groups()
                if int(bottom) > MAX_ROWS or column_index_from_string(last.decode("ascii")) > MAX_COLUMNS:
                    ref = found.group(1).decode("ascii")
                    raise ImportFailed(
                        f"{what}中合并的单元格 {(first + top + b':' + last + bottom).decode('ascii')} "
                        f"超出可读的范围（{MAX_ROWS} 行、{MAX_COLUMNS} 列），未读取；"
                        f"请取消合并（从 {ref} 列起）后再试"
                    )


def _count_rows(archive: zipfile.ZipFile, name: str, what: str) -> None:
    """Stream one sheet's XML, counting its rows and cells; stop as soon as either is past the
    bounds (memory stays at one chunk, time at the bounds, whatever the sheet holds)."""
    rows = cells = 0
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            rows += len(_ROW.findall(text))
            cells += text.count(b"<c ") + text.count(b"<c>")
            tail = text[-16:]
            rows -= len(_ROW.findall(tail))  # counted again with the next chunk
            cells -= tail.count(b"<c ") + tail.count(b"<c>")
            if rows > MAX_ROWS or cells > MAX_CELLS:
                raise ImportFailed(
                    f"{what}的工作表有超过 {MAX_ROWS} 行或 {MAX_CELLS} 个单元格，超出可读的范围，未读取："
                    "请删去表格以外的内容，或把表格复制到新的工作簿后再试"
                )


def sheet_grid(sheet: Any) -> list[list[str]]:
    """A worksheet's cells as text, a merged cell's text filling every cell it covers (within
    the cells that hold text). Only the cells the file holds are read, never the whole range it
    claims; ImportFailed where the text reaches past ``MAX_ROWS`` or ``MAX_COLUMNS``, or a cell
    holds more than ``MAX_CELL`` characters."""
    cells = {at: _text(cell.value) for at, cell in sheet._cells.items() if cell.value is not None}
    cells = {at: text for at, text in cells.items() if text}
    if not cells:
        return []
    rows, columns = max(r for r, _ in cells), max(c for _, c in cells)
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise ImportFailed(
            f"工作表“{sheet.title}”有内容的单元格到了第 {rows} 行、第 {columns} 列，超出可读的范围"
            f"（{MAX_ROWS} 行、{MAX_COLUMNS} 列）：请删去表格以外的内容后再试"
        )
    long = next(((r, c) for (r, c), text in cells.items() if len(text) > MAX_CELL), None)
    if long is not None:
        raise ImportFailed(
            f"工作表“{sheet.title}”第 {long[0]} 行第 {long[1]} 列的单元格超过 {MAX_CELL} 个字，"
            "不像是计划或反馈表的内容"
        )
    grid = [[""] * columns for _ in range(rows)]
    for (r, c), text in cells.items():
        grid[r - 1][c - 1] = text
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > rows or merged.min_col > columns:
            continue
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, rows)):
            for c in range(merged.min_col - 1, min(merged.max_col, columns)):
                grid[r][c] = value
    return grid


def read_xlsx(data: bytes) -> tuple[str, Tables]:
    """Every sheet as a table (merged cells filled), and the first sheet's title row, if any."""
    check_zip(data, "Excel 表格", ".xlsx")
    check_merges(data, "Excel 表格")
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl's notes on features it drops are English
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise ImportFailed(
            f"无法打开 Excel 表格（{type(exc).__name__}），请确认是 .xlsx 格式且没有损坏"
        ) from None
    tables: Tables = []
    title = ""
    for sheet in book.worksheets:
        rows = [row for row in sheet_grid(sheet) if any(row)]
        if rows and not title and len(set(filter(None, rows[0]))) == 1:
            title = next(filter(None, rows[0]))
        tables.append(rows)
    return title, tables


class _Tables(HTMLParser):
    """Collects every <table> as rows of cell texts, spans expanded, <br> as a line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: Tables = []
        self.title = ""
        self._stack: list[
            list[list[tuple[str, int, int]]]
        ] = []  # open tables: rows of (text, rowspan, colspan)
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        spans = dict(attrs)
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell = []
            self._span = (_number(spans.get("rowspan")), _number(spans.get("colspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag in ("title", "h1") and not self.title:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._stack and self._stack[-1]:
            text = "".join(self._cell)
            lines = [" ".join(line.split()) for line in text.split("\n")]
            self._stack[-1][-1].append(("\n".join(line for line in lines if line), *self._span))
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(_expand(self._stack.pop()))
        elif tag in ("title", "h1"):
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in_title:
            self.title += data.strip()


def _number(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() and 0 < int(value) <= 1000 else 1


def _expand(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """A grid with every rowspan and colspan filled by the spanning cell's text."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, c + dc), text)
            c += colspan
    height = max((r for r, _ in grid), default=-1) + 1
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def read_html(text: str) -> tuple[str, Tables]:
    parser = _Tables()
    parser.feed(text)
    parser.close()
    return parser.title, parser.tables
