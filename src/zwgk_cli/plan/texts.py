"""What a plan's text may hold: no control characters, no invisible format characters (zero-width
spaces and joiners, bidi overrides and isolates, soft hyphen, BOM) that make two names look
identical or reorder what a terminal shows, and no line break outside a note or a report. Pure functions."""

from __future__ import annotations

from zwgk_cli.patterns import lazy

__all__ = [
    "MAX_WRITTEN",
    "MULTILINE_KEYS",
    "SUSPECT",
    "bad_character",
    "file_part",
    "without_invisible",
    "written_problem",
]

# C0 and C1 controls, and the invisible format characters
# (zero-width spaces and joiners, bidi overrides and isolates, soft hyphen, BOM) that make two
# names look identical or reorder what a terminal shows. A line break is allowed only in a note.
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
_BAD_TEXT = lazy(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
SUSPECT = _BAD_TEXT  # what the YAML reader notes as it reads, so that no second walk is needed
_BAD_NOTE = lazy(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
# Keys whose text may run over lines: notes, and the text of a progress report (进展说明,
# as a unit types it in a form with Alt+Enter, or a reason for a return).
MULTILINE_KEYS = {"note", "text"}


def bad_character(text: str, multiline: bool = False) -> str | None:
    """What is wrong with ``text`` (a line break, or an invisible character), or None."""
    bad = (_BAD_NOTE if multiline else _BAD_TEXT).search(text)
    if bad is None:
        return None
    char = bad.group()
    return "换行" if char in "\r\n" else f"不可见字符 U+{ord(char):04X}"


# The most a note, progress report or reason written by a command may hold: a report is a few
# hundred characters; a pasted document would make every later read of the plan slow (issue 23.9).
MAX_WRITTEN = 5000


def written_problem(text: str) -> str | None:
    """What keeps ``text`` (a note, report or reason a command writes into the plan) out of it,
    as a phrase after its name (``含有换行``), or None."""
    if len(text) > MAX_WRITTEN:
        return f"有 {len(text)} 字，超过 {MAX_WRITTEN} 字的上限"
    what = bad_character(text, multiline=True)
    return f"含有{what}" if what else None


def without_invisible(text: str) -> str:
    """``text`` with control and invisible characters removed (line breaks kept)."""
    return _BAD_NOTE.sub("", text)


# What a file name cannot hold on Windows or POSIX, and how long a part of one may be (a
# Chinese character is three bytes, and names are limited to 255).
_NOT_IN_NAMES = set('/\\:*?"<>|')
FILE_PART_MAX = 60


def file_part(text: str) -> str:
    """``text`` (a unit's name) as part of a file name: no folder separators or characters a
    file system refuses, no leading dot (``..``), not over ``FILE_PART_MAX`` characters."""
    safe = "".join("_" if c in _NOT_IN_NAMES or not c.isprintable() else c for c in text).lstrip(".")
    return (safe[:FILE_PART_MAX] or "_").rstrip(" .") or "_"
