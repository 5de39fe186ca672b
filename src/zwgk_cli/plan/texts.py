"""What a plan's text may hold: no control characters, no invisible format characters (zero-width
spaces and joiners, bidi overrides and isolates, soft hyphen, BOM) that make two names look
identical or reorder what a terminal shows, and no line break outside a note. Pure functions."""

from __future__ import annotations

import re

__all__ = ["MULTILINE_KEYS", "SUSPECT", "bad_character", "without_invisible"]

# C0 and C1 controls, and the invisible format characters
# (zero-width spaces and joiners, bidi overrides and isolates, soft hyphen, BOM) that make two
# names look identical or reorder what a terminal shows. A line break is allowed only in a note.
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
_BAD_TEXT = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
SUSPECT = _BAD_TEXT  # what the YAML reader notes as it reads, so that no second walk is needed
_BAD_NOTE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
MULTILINE_KEYS = {"note"}


def bad_character(text: str, multiline: bool = False) -> str | None:
    """What is wrong with ``text`` (a line break, or an invisible character), or None."""
    bad = (_BAD_NOTE if multiline else _BAD_TEXT).search(text)
    if bad is None:
        return None
    char = bad.group()
    return "换行" if char in "\r\n" else f"不可见字符 U+{ord(char):04X}"


def without_invisible(text: str) -> str:
    """``text`` with control and invisible characters removed (line breaks kept)."""
    return _BAD_NOTE.sub("", text)
