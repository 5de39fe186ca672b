"""The tables of an Excel workbook (.xlsx) and of a saved web page (.html), as plain cells.

Both give what ``docx_table.read_docx`` gives: a title and every table as rows of cell
texts, so the importer reads them all alike. A merged cell's text fills every cell it covers
(a category merged over five rows continues; a title row merged above the header is read as
the title). The workbook is checked as a zip before it is opened (``docx_table.check_zip``);
the page is read with the standard library's HTML parser, never with regular expressions.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

from zwgk_cli.errors import ImportFailed
from zwgk_cli.office.docx_table import check_zip

__all__ = ["read_html", "read_xlsx", "sheet_grid"]

Tables = list[list[list[str]]]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Line breaks are kept: table_reader joins them in text columns, splits units at them.
    return "\n".join(line.strip() for line in str(value).splitlines()).strip()


def sheet_grid(sheet: Any) -> list[list[str]]:
    """A worksheet's cells as text, a merged cell's text filling every cell it covers."""
    grid = [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = value
    return grid


def read_xlsx(data: bytes) -> tuple[str, Tables]:
    """Every sheet as a table (merged cells filled), and the first sheet's title row, if any."""
    check_zip(data, "Excel 表格", ".xlsx")
    from openpyxl import load_workbook

    try:
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
