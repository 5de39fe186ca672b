"""The one sanitiser for every output path: terminal text, CSV cells, JSON, completion.

Text from a plan is data, never instructions: control characters are shown (``\\x1b``)
instead of being sent to a terminal; JSON escapes every C0 and C1 character; a CSV or
spreadsheet cell that would start a formula (``= + - @``, tab, CR) gets a leading ``'``.
"""

from __future__ import annotations

from zwgk_cli.patterns import lazy

__all__ = ["cell_text", "clean", "json_safe", "json_safe_bytes", "markdown_text"]

# All control characters but the line feed, and the bidirectional controls, which reorder what a
# terminal shows (a file name ending in U+202E "xslx.xlsx" reads as something else).
_CONTROL = lazy(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The characters JSON leaves raw that a terminal or a JavaScript reader acts on, as UTF-8: DEL,
# C1 (U+0080-U+009F: C2 80-C2 9F) and the line separators U+2028, U+2029.
_C1 = lazy(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]")
_SEPARATORS = lazy(rb"\xe2\x80[\xa8\xa9]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """Make control characters visible (``\\x1b``) instead of sending them to the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cell_text(text: str) -> str:
    """A spreadsheet-safe cell: never read as a formula by Excel, WPS or LibreOffice."""
    return "'" + text if text.startswith(FORMULA_START) else text


def json_safe(dumped: str) -> str:
    """JSON text with DEL, C1 and the line separators escaped too (``json`` escapes only C0)."""
    return json_safe_bytes(dumped.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogatepass")


def json_safe_bytes(dumped: bytes) -> bytes:
    """``json_safe`` of UTF-8 JSON. Looking for the bytes those characters start with (two
    single bytes, then one expression with a fixed start) is several times faster than looking
    for the characters themselves in a long text that has none."""
    if b"\x7f" not in dumped and b"\xc2" not in dumped and not _SEPARATORS.search(dumped):
        return dumped
    return _C1.sub(lambda m: b"\\u%04x" % ord(m.group().decode("utf-8")), dumped)


_MARKDOWN = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "|": "\\|", "`": "\\`"}


def markdown_text(text: str) -> str:
    """Plan text as Markdown shows it, word for word: HTML (``<script>``), links and code marks
    from the plan are shown as written, never rendered; ``|`` stays inside its table cell."""
    return "".join(_MARKDOWN.get(char, char) for char in clean(text))
