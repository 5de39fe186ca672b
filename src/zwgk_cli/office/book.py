"""A workbook written as .xlsx bytes, holding text and never formulas, and printing well.

openpyxl stores a string that begins with ``=`` as a formula. The text of a plan or of a unit's
report may begin so (``=HYPERLINK(…)``, a DDE payload): in a form sent to a unit, or an export
opened by the office, it must stay the words it is, so every such cell is marked text first.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["book_bytes"]


def _printable(sheet: Any) -> None:
    """A4 landscape, one page wide, the rows above the frozen pane repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    frozen = sheet.freeze_panes
    rows = int("".join(c for c in frozen if c.isdigit()) or 1) - 1 if frozen else 0
    if rows:
        sheet.print_title_rows = f"1:{rows}"


def book_bytes(book: Any) -> bytes:
    """``book`` as .xlsx bytes, every cell that would be a formula written as its text, every
    visible sheet set up to print."""
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            _printable(sheet)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
