"""How wide text is on a terminal (CJK characters take two columns), and cutting it to fit."""

from __future__ import annotations

import unicodedata

__all__ = ["cut", "display_width", "truncate"]


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, width: int) -> str:
    """The longest start of ``text`` that takes at most ``width`` columns."""
    out, used = "", 0
    for char in text:
        size = display_width(char)
        if used + size > width:
            break
        out, used = out + char, used + size
    return out


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns (ending in ".." when cut), padded with spaces.

    Not "…": its width is ambiguous, two columns in many Chinese terminals, one elsewhere.
    """
    if display_width(text) <= width:
        return text + " " * (width - display_width(text))
    out = cut(text, width - 2)
    return out + ".." + " " * (width - display_width(out) - 2)
