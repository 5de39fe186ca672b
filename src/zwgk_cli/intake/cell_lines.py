"""Tables a browser copied one cell per line, rebuilt into rows where the capture allows.

Pages copy a table's cells one per line in three ways: each cell ending with ``|`` (``序号 |``,
an empty cell a lone ``|``), cells between lone ``|`` lines (a row starting with an empty
cell), or cells between blank lines (an empty cell a line of spaces). The header is the run of
known column names; a second run of level or tick names under it is its second row. Rows are
rebuilt by what marks them, in this order: a line of bars (``||``) ending each row, the empty
cell starting each row, the 序号 column counting 1, 2, 3, or else rows as wide as the header
with section lines (``一、…``) standing alone. Where none of these fits the cells (merged cells
leave rows short and nothing marks where they end) the table is refused rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zwgk_cli.errors import ImportFailed
from zwgk_cli.intake.columns import SECTION
from zwgk_cli.intake.names import COLUMNS, EXTRA_COLUMNS, SUBHEADER
from zwgk_cli.intake.normal import header_name
from zwgk_cli.patterns import lazy

__all__ = ["Cells", "cell_line_rows"]

Cells = tuple[list[str], list[int]]  # one row's cell texts, and the line each starts on
_NAMES = {s for synonyms in COLUMNS.values() for s in synonyms} | set(EXTRA_COLUMNS)
_LEVEL = lazy(r"^[一二三四五六七八九]级(?:目录|指标|事项|任务|分类)?$")
UNRECOVERABLE = (
    "这张表每个单元格各占一行（从网页复制），表中合并的单元格使各行长短不一，又没有序号或分隔"
    "标出每行从哪里开始，无法还原各行；请导入原文件（.docx、.xlsx、.html），"
    "或在 Word、WPS 中打开后整表复制"
)


@dataclass
class _Token:
    """A line of a table drawn with bars: its text, or None for a line that ends a row."""

    text: str | None  # None: a line of bars that ends a row
    line: int


def _is_name(text: str) -> bool:
    name = header_name(text)
    return name in _NAMES or bool(_LEVEL.match(name)) or bool(SUBHEADER.match(name))


def _form(lines: list[str]) -> str | None:
    """``trailing``, ``between`` or ``blank``: how the capture marks its cells, or None."""
    stripped = [line.strip() for line in lines]
    trailing = sum(s.endswith("|") and s.count("|") == 1 and s != "|" for s in stripped)
    bare = sum(bool(re.fullmatch(r"\|+", s)) for s in stripped)
    inner = sum(s.strip("|").count("|") >= 1 for s in stripped)
    if trailing >= 3 and trailing > 2 * inner:
        return "trailing"
    if bare >= 3 and not trailing and bare > 2 * inner:
        return "between"
    if not any("|" in s or "\t" in line for s, line in zip(stripped, lines, strict=True)):
        return "blank"
    return None


def _tokens(lines: list[str], form: str) -> tuple[list[str], list[_Token]]:
    """The lines before the table, and its cells (None where a line of bars ends a row)."""
    before: list[str] = []
    tokens: list[_Token] = []
    buffer: list[str] = []
    start = 0

    def close(number: int) -> None:
        tokens.append(_Token("\n".join(buffer), start or number))
        buffer.clear()

    blank_cells = form == "blank" and sum(not line for line in lines) * 2 >= len(lines) // 2
    barred = False  # a bar line seen yet: lines before the first are the notice's
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        barred = barred or "|" in text
        if form == "blank":
            if not line:
                if buffer:
                    close(number)
            elif not text:  # a line of spaces: an empty cell
                if buffer:
                    close(number)
                tokens.append(_Token("", number))
            else:
                if not buffer:
                    start = number
                buffer.append(text)
                if not blank_cells:  # no blank lines: every line is a cell
                    close(number)
            continue
        if re.fullmatch(r"\|{2,}", text) and (tokens or buffer):
            if buffer:
                close(number)
            tokens.append(_Token(None, number))
        elif text == "|" or (text.endswith("|") and text.count("|") == 1):
            if text != "|":
                buffer.append(text[:-1].strip())
            if not buffer:
                start = number
            close(number)
            start = 0
        elif "|" in text:  # a row of cells on one line: page furniture above the table
            if not tokens:
                before.append(text)
        elif text:
            if not tokens and (form == "trailing" or not barred):
                before.append(text)
            else:
                if not buffer:
                    start = number
                buffer.append(text)
    if buffer:
        close(len(lines))
    if form == "blank":
        before = []
    return before, _join_ticks(tokens)


def _join_ticks(tokens: list[_Token]) -> list[_Token]:
    """Channel lists (``■政府网站`` ``■便民服务中心``) a capture put on lines of their own: one cell."""
    joined: list[_Token] = []
    for token in tokens:
        if (
            joined
            and token.text
            and joined[-1].text
            and token.text.startswith(("■", "□"))
            and joined[-1].text.startswith(("■", "□"))
        ):
            joined[-1].text += " " + token.text
        else:
            joined.append(token)
    return joined


def _header(tokens: list[_Token]) -> tuple[int, int] | None:
    """Where the header's run of column names starts and ends (the first run of two or more)."""
    index = 0
    while index < len(tokens):
        end = index
        while end < len(tokens) and tokens[end].text and _is_name(tokens[end].text or ""):
            end += 1
        names = [header_name(t.text or "") for t in tokens[index:end]]
        title = set(COLUMNS["title"]) | set(COLUMNS["category"])
        if end - index >= 2 and any(n in title for n in names):
            return index, end
        index = end + 1 if end > index else index + 1
    return None


def _row(tokens: list[_Token]) -> Cells:
    return [t.text or "" for t in tokens], [t.line for t in tokens]


def _split_header(tokens: list[_Token]) -> list[Cells]:
    """The header's names, and the second row of level or tick names under spanning cells."""
    for j in range(1, len(tokens)):
        rest = [header_name(t.text or "") for t in tokens[j:]]
        above = header_name(tokens[j - 1].text or "")
        if all(SUBHEADER.match(n) for n in rest) and not SUBHEADER.match(above):
            return [_row(tokens[:j]), _row(tokens[j:])]
    return [_row(tokens)]


def _by_marks(body: list[_Token], mark: str | None) -> list[list[_Token]]:
    rows: list[list[_Token]] = [[]]
    for token in body:
        if token.text == mark:
            rows.append([])
        else:
            rows[-1].append(token)
    return [r for r in rows if any(t.text for t in r)]


def _by_numbers(body: list[_Token]) -> list[list[_Token]] | None:
    """Rows starting at the 序号 cells 1, 2, 3 …, a section line before one standing alone;
    None where the numbers are not there."""
    rows: list[list[_Token]] = []
    expected = 1
    for index, token in enumerate(body):
        following = body[index + 1].text if index + 1 < len(body) else None
        if _is_section(token.text) and following == str(expected):
            rows.append([token])
            continue
        if token.text == str(expected):
            rows.append([])
            expected += 1
        if not rows:
            return None
        rows[-1].append(token)
    return rows if expected > 1 else None


def _is_section(text: str | None) -> bool:
    return bool(text and SECTION.match(text) and len(text) <= 40)


def _by_width(body: list[_Token], width: int) -> list[list[_Token]] | None:
    """Rows as wide as the header, a section line standing alone; None where that does not fit."""
    rows: list[list[_Token]] = []
    index = 0
    while index < len(body):
        if _is_section(body[index].text):
            rows.append([body[index]])
            index += 1
            continue
        rows.append(body[index : index + width])
        index += width
    if any(len(r) != width for r in rows if not (len(r) == 1 and _is_section(r[0].text))):
        return None
    return rows


def cell_line_rows(lines: list[str]) -> tuple[list[str], list[Cells], list[str]] | None:
    """The lines before the table, its rows (header first) and notes on what was guessed, or
    None where ``lines`` are
    not a table copied one cell per line. Raises ImportFailed where the header is there but the
    rows cannot be told apart."""
    form = _form(lines)
    if form is None:
        return None
    before, tokens = _tokens(lines, form)
    found = _header(tokens)
    if found is None:
        return None
    start, end = found
    header = [t for t in tokens[start:end]]
    body = tokens[end:]
    if form == "blank":
        before = [t.text or "" for t in tokens[:start] if t.text]
    head = _split_header(header)
    width = len(head[0][0]) + (len(head[1][0]) // 2 if len(head) > 1 else 0)
    rows: list[list[_Token]] | None
    notes: list[str] = []
    if any(t.text is None for t in body):
        rows = _by_marks(body, None)
        if body[-1].text is not None and rows and len(rows[-1]) < width:  # the capture was cut
            notes.append(
                f"行 {rows[-1][0].line}：最后一行不完整（复制的内容在此截断），缺的单元格留空，请对照原表补全"
            )
            rows[-1] += [_Token("", rows[-1][-1].line)] * (width - len(rows[-1]))
    elif form == "between" and body and body[0].text == "":
        rows = _by_marks(body, "")
    elif header_name(header[0].text or "") in COLUMNS["id"]:
        rows = _by_numbers([t for t in body if t.text is not None])
    else:
        rows = _by_width(body, width)
    if not body:
        raise ImportFailed("表格只有表头，没有任务行：复制时可能只复制了表头，请复制整张表格后再导入")
    if rows is None or not rows:
        raise ImportFailed(UNRECOVERABLE)
    return before, [*head, *(_row(r) for r in rows)], notes
