"""The one sanitiser for every output path: terminal text, CSV cells, JSON, completion.

Text from a plan is data, never instructions: control characters are shown (``\\x1b``)
instead of being sent to a terminal; JSON escapes every C0 and C1 character; a CSV or
spreadsheet cell that would start a formula (``= + - @``, tab, CR) gets a leading ``'``.
"""

from __future__ import annotations

from zwgk_cli.patterns import lazy

__all__ = ["cell_text", "clean", "json_safe", "markdown_text"]

# All control characters but the line feed, and the bidirectional controls, which reorder what a
# terminal shows (a file name ending in U+202E "xslx.xlsx" reads as something else).
_CONTROL = lazy(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_C1 = lazy(r"[\x7f-\x9f\u2028\u2029]")
# What those characters start with in UTF-8 (DEL; U+0080-U+00BF; U+2028, U+2029): looking for a
# few bytes is several times faster than the expression on a long text that has none.
_C1_UTF8 = (b"\x7f", b"\xc2", b"\xe2\x80\xa8", b"\xe2\x80\xa9")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    """Make control characters visible (``\\x1b``) instead of sending them to the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def cell_text(text: str) -> str:
    """A spreadsheet-safe cell: never read as a formula by Excel, WPS or LibreOffice."""
    return "'" + text if text.startswith(FORMULA_START) else text


def json_safe(dumped: str) -> str:
    """JSON text with DEL and C1 characters escaped too (``json`` escapes only C0)."""
    raw = dumped.encode("utf-8", "surrogatepass")
    if not any(marker in raw for marker in _C1_UTF8):
        return dumped
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


_MARKDOWN = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "|": "\\|", "`": "\\`"}


def markdown_text(text: str) -> str:
    """Plan text as Markdown shows it, word for word: HTML (``<script>``), links and code marks
    from the plan are shown as written, never rendered; ``|`` stays inside its table cell."""
    return "".join(_MARKDOWN.get(char, char) for char in clean(text))
