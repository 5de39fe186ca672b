"""A workbook written as .xlsx bytes, holding text and never formulas.

openpyxl stores a string that begins with ``=`` as a formula. The text of a plan or of a unit's
report may begin so (``=HYPERLINK(…)``, a DDE payload): in a form sent to a unit, or an export
opened by the office, it must stay the words it is, so every such cell is marked text first.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["book_bytes"]


def book_bytes(book: Any) -> bytes:
    """``book`` as .xlsx bytes, every cell that would be a formula written as its text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
