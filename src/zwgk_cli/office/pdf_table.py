"""The tables and text of a born-digital PDF (one made from Word or WPS, not a scan), read by
pdfplumber. A table continued over pages is one table, and a row the page break cut in two is
one row; a cell merged down (pdfplumber gives None for the cells under it) repeats the cell
above, as a merged cell does in Word; a row whose only text is its first cell (一、…) spans the
table and stays one cell. A PDF breaks a cell's text into lines where the column is full, not
where the writer did: the lines of a cell are joined (units run together are told apart later,
as in text extracted from Word)."""

from __future__ import annotations

import io
from typing import Any

from zwgk_cli.errors import ImportFailed

__all__ = ["read_pdf"]

Table = list[list[str]]


def _joined(cell: object) -> str:
    """A cell's lines as one text: the PDF broke them where the column was full."""
    return "".join(str(cell).split("\n"))


def _plain(table: list[list[Any]], above: list[str] | None = None) -> Table:
    """Cells as text; None (merged) from the cell above, the first row's from ``above`` (the
    last row of the page before, where the table goes on from it)."""
    rows: Table = [above] if above is not None else []
    for index, row in enumerate(table, start=len(rows)):
        cells = [None if c is None else _joined(c) for c in row]
        if index and cells and cells[0] is not None and all(c is None for c in cells[1:]):
            rows.append([str(cells[0]), *[""] * (len(cells) - 1)])  # a section row across the table
            continue
        plain: list[str] = []
        for column, cell in enumerate(cells):
            if cell is not None:
                plain.append(str(cell))
            elif index and rows and column < len(rows[-1]):
                plain.append(rows[-1][column])  # under a cell merged down
            else:
                plain.append("")  # a header cell spanning from the left
        rows.append(plain)
    return rows


def _go_on(table: Table, found: list[list[Any]]) -> None:
    """Add to ``table`` the rows of its part on the next page. A first row with text in fewer
    than half its cells is the rest of the row the page break cut; an empty cell in it (and in
    a new first row) is a merged cell going on from the page before."""
    first = [c or None for c in found[0]]
    if sum(1 for c in first if c) * 2 < len(first):
        last = table[-1]
        table[-1] = [old + (_joined(new) if new else "") for old, new in zip(last, first, strict=True)]
        found = found[1:]
    else:
        found = [first, *found[1:]]
    table.extend(_plain(found, table[-1])[1:])


def read_pdf(data: bytes) -> tuple[list[Table], str]:
    """The PDF's tables (those continued over pages joined) and its text."""
    try:
        import pdfplumber
    except ImportError:
        raise ImportFailed(
            "读取 PDF 需要可选组件 pdfplumber：pip install 'zwgk-cli[pdf]'；"
            "或在 WPS、Word 中把 PDF 另存为 .docx 后再导入"
        ) from None
    tables: list[Table] = []
    pages: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                for number, found in enumerate(page.extract_tables()):
                    if not found:
                        continue
                    if number == 0 and tables and len(tables[-1][0]) == len(found[0]):
                        _go_on(tables[-1], found)  # the table goes on from the page before
                    else:
                        tables.append(_plain(found))
    except ImportFailed:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a damaged or encrypted file
        raise ImportFailed(f"无法读取这个 PDF 文件（{type(exc).__name__}）：文件可能已损坏或有密码") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ImportFailed(
            "这个 PDF 中没有文字（多是扫描件，只有图片）：请找到原文件（.docx、.xlsx），"
            "或用 WPS 的“图片转文字”转换后再导入"
        )
    return tables, text
