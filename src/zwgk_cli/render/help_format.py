"""Help laid out by display width: a Chinese character takes two columns, and a line breaks
between Chinese characters or at a space, never inside an option, a key or a Latin word.

``HelpFormatter`` is Click's own extension point for help layout (``Context.formatter_class``);
the commands in ``usage`` use a context that names this one. The few English words Typer and
Click put into help (section headings, ``[default: …]``, ``[required]``, value types such as
``<int>``, ranges such as ``0<=x<=3660``) are told in Chinese here, where the help is written,
rather than by patching Typer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zwgk_cli.patterns import lazy
from zwgk_cli.render.clicks import formatting
from zwgk_cli.render.width import display_width

__all__ = ["WidthFormatter", "join_lines", "wrap"]

# A piece that is never split: a short bracketed note ([默认：table]), a run of Latin letters,
# digits and ASCII signs, a space run, or one other character. Closing punctuation stays with
# what it closes; opening punctuation with what follows.
_PIECE = lazy(r"\s+|\[[^\]\n]{1,30}\]|[\x21-\x7e]+|.")
_CLOSING = set("，。、；：）》」』】”’！？…")
_OPENING = set("（《「『【“‘")


_HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}
# The value a parameter takes, as Typer names its type (``--soon <int>``).
_TYPES = {
    "<str>": "<文字>",
    "<int>": "<整数>",
    "<path>": "<路径>",
    "<float>": "<数字>",
    "<list[Path]>": "<路径…>",
    "<list[str]>": "<文字…>",
    "<int range>": "<整数>",
    "<TaskRef>": "<文字>",
}
_TYPE = lazy("|".join(re.escape(t) for t in _TYPES))
# The notes after a parameter's help (``[default: 7; 0<=x<=3660]``), one piece at a time.
_NOTES = [
    (lazy(r"^default: (.*)$"), r"默认：\1"),
    (lazy(r"^env var: (.*)$"), r"环境变量：\1"),
    (lazy(r"^required$"), "必填"),
    (lazy(r"\(dynamic\)"), "（动态）"),
    (lazy(r"^(-?\d+)<=x<=(-?\d+)$"), r"\1 至 \2"),
    (lazy(r"^x>=(-?\d+)$"), r"不小于 \1"),
    (lazy(r"^x<=(-?\d+)$"), r"不大于 \1"),
]
_NOTE = lazy(r"\[([^\[\]]*)\]$")


def chinese_row(first: str, second: str) -> tuple[str, str]:
    """A parameter's help row with Typer's and Click's English words in Chinese."""

    def note(piece: str) -> str:
        for pattern, words in _NOTES:
            piece = pattern.sub(words, piece)
        return piece

    def notes(match: re.Match[str]) -> str:
        return "[" + "；".join(note(p.strip()) for p in match[1].split(";")) + "]"

    return _TYPE.sub(lambda m: _TYPES[m[0]], first), _NOTE.sub(notes, second)


def _pieces(text: str) -> list[str]:
    pieces: list[str] = []
    carry = ""
    for piece in _PIECE.findall(text):
        if piece in _CLOSING and pieces and not pieces[-1].isspace():
            pieces[-1] += piece
        elif piece in _OPENING:
            carry += piece
        else:
            pieces.append(carry + piece)
            carry = ""
    if carry:
        pieces.append(carry)
    return pieces


def join_lines(text: str) -> str:
    """A paragraph's source lines as one line: joined by a space, except between two Chinese
    characters or after Chinese punctuation, where a space would show."""

    def joint(match: re.Match[str]) -> str:
        before, after = match[1], match[2]
        tight = before in _CLOSING or display_width(before) == display_width(after) == 2
        return before + ("" if tight else " ") + after

    return re.sub(r"(\S)[ \t]*\n\s*(\S)", joint, text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` display columns (a piece longer than a whole line
    is cut by characters, the only way it fits)."""
    lines: list[str] = []
    line, used = "", 0
    for piece in _pieces(join_lines(text)):
        size = display_width(piece)
        if piece.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
        while size > width:  # one unbreakable piece wider than the line
            cut, taken = "", 0
            for char in piece:
                if taken + display_width(char) > width:
                    break
                cut, taken = cut + char, taken + display_width(char)
            lines.append(cut)
            piece = piece[len(cut) :]
            size = display_width(piece)
        line, used = line + piece, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


class WidthFormatter(formatting.HelpFormatter):
    """Click's help formatter, measuring and wrapping by display width, in Chinese."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for number, paragraph in enumerate(p for p in re.split(r"\n\s*\n", text) if p.strip()):
            if number:
                self.write("\n")
            for line in wrap(paragraph.strip(), max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{' ' * self.current_indent}{prefix or ''}{prog} "
        lines = wrap(args, max(self.width - display_width(head), 20))
        pad = " " * display_width(head)
        self.write(head + (f"\n{pad}".join(lines) if lines else "") + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [chinese_row(first, second) for first, second in rows]
        first_width = min(max((display_width(first) for first, _ in rows), default=0), col_max)
        column = first_width + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_width:
                self.write(" " * (column - display_width(first)))
            else:
                self.write("\n" + " " * (column + self.current_indent))
            lines = wrap(second, max(self.width - column - self.current_indent, 10))
            self.write(f"{lines[0]}\n" if lines else "\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * column}{line}\n")
