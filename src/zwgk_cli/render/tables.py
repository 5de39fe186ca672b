"""Tables for people: rich on a terminal (ASCII when piped), and Markdown for a 通报. Text
from the plan is never read as markup. By default long unit lists are shortened (``区发改局等
17 个单位``) so that a task takes at most three lines at 100 columns; ``--wide`` and ``show``
give them in full."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from zwgk_cli.patterns import lazy
from zwgk_cli.plan.model import FIELD_NAMES, ROLES
from zwgk_cli.plan.verification import task_status
from zwgk_cli.render.safe import clean, markdown_text
from zwgk_cli.render.width import cut, display_width

if TYPE_CHECKING:
    from zwgk_cli.plan.model import Item
    from zwgk_cli.tracking.query import Row

__all__ = ["Cell", "Column", "console_width", "task_columns", "write_grid", "write_markdown", "write_table"]

Cell = str | tuple[str, str]  # text, or (text, rich style)
Column = tuple[str, str, Callable[["Row"], str]]  # key, header, cell

# Short columns that should never wrap; long text columns take the remaining width. Task tables
# go by field key (a plan may name its columns), the report and unit tables by their headers.
_NO_WRAP = {
    "id",
    "deadline",
    "status",
    "progress",
    "序号",
    "完成时间",
    "状态",
    "进度",
    "类别",
    "主体责任",
    "主管",
    "未完成",
    "逾期",
    "任务",
    "按时完成",
    "逾期完成",
    "完成率",
}
_MIN_WIDTH = {"title": 12, "match": 8}
_RATIO = {
    "category": 2,
    "subcategory": 2,
    "title": 6,
    "lead": 3,
    "responsible": 3,
    "cooperating": 3,
    "supervising": 3,
    "outstanding": 3,
    "match": 2,
    "单位": 3,
    "所属单位组": 4,
    "工作任务": 2,
    "具体任务": 6,
    "主体责任单位": 3,
    "主管单位": 3,
    "未完成单位": 3,
    "匹配方式": 2,
}
DEFAULT_WIDTH = 100  # when not a terminal and $COLUMNS is unset (issue 26: 160 ran past a pager)


def console_width(env: Mapping[str, str] = os.environ) -> int:
    """``$COLUMNS`` when it is a sensible number, else the default for files and pipes."""
    value = env.get("COLUMNS", "")
    return (
        min(int(value), 1000) if value.isascii() and value.isdigit() and int(value) >= 20 else DEFAULT_WIDTH
    )


def shorten_units(names: Sequence[str], most: int = 2) -> str:
    """``区发改局等 17 个单位`` for a long list; the list itself when short."""
    if len(names) <= most:
        return "、".join(names)
    return f"{names[0]}等 {len(names)} 个单位"


def status_text(item: Item, today: date) -> str:
    if item.is_done and item.verification and item.period is None:
        if task_status(item) == "verified":
            last = max((v.date for v in item.task.verified), default=None)
            return f"已核实 {last}" if last else "已核实"
        return "已报完成待核实"
    if item.is_done:
        return f"已完成 {item.finished_on}" if item.finished_on else "已完成"
    days = item.days_overdue(today)
    return f"逾期 {days} 天" if days is not None else "未完成"


def deadline_text(item: Item) -> str:
    """The deadline as written; for one occurrence of a recurring duty, with its period
    (its dates are in ``show`` and the JSON)."""
    if item.period is None:
        return item.task.deadline
    return f"{item.task.deadline}（{item.period}期）"


def progress_text(item: Item) -> str:
    if len(item.slots) <= 1 and not item.done_by:
        return ""
    return f"{item.done_count}/{len(item.slots)}"


def outstanding_text(item: Item, most: int = 2) -> str:
    """The units still owing a task, shortened for a table (JSON has the full list)."""
    left = item.outstanding
    if len(left) > 1 and len(left) == len(item.slots):
        return f"全部 {len(left)} 个单位"
    return shorten_units(left, most)


def _role_cell(role: str, units: Callable[[Sequence[str]], str]) -> Callable[[Row], str]:
    return lambda r: units(getattr(r.item.task, role))


def task_columns(
    today: date,
    rows: Sequence[Row] = (),
    *,
    names: Mapping[str, str] | None = None,
    with_match: bool = False,
    with_outstanding: bool = False,
    wide: bool = False,
) -> list[Column]:
    """The columns of a task table: the plan's own names for them (``names``), and only the
    roles and the second category level that ``rows`` have."""

    def label(key: str) -> str:
        return (names or {}).get(key) or FIELD_NAMES[key]

    def units(names: Sequence[str]) -> str:
        return "、".join(names) if wide else shorten_units(names)

    roles = (
        [r for r in ROLES if any(getattr(row.item.task, r) for row in rows)] if rows else list(ROLES[1::2])
    )
    columns: list[Column] = [
        ("id", label("id"), lambda r: str(r.item.id)),
        ("category", label("category"), lambda r: r.item.task.category or ""),
    ]
    if any(row.item.task.subcategory for row in rows):
        columns.append(("subcategory", label("subcategory"), lambda r: r.item.task.subcategory or ""))
    columns.append(("title", label("title"), lambda r: r.item.task.title))
    # Units as written: 同（3） stays (show and JSON give what it stands for).
    for role in roles:
        columns.append((role, label(role), _role_cell(role, units)))
    columns += [
        ("deadline", label("deadline"), lambda r: deadline_text(r.item)),
        ("status", label("status"), lambda r: status_text(r.item, today)),
        ("progress", "进度", lambda r: progress_text(r.item)),
    ]
    if with_outstanding:
        columns.append(
            (
                "outstanding",
                "未完成单位",
                lambda r: "、".join(r.item.outstanding) if wide else outstanding_text(r.item),
            )
        )
    if with_match:
        columns.append(
            ("match", "匹配方式", lambda r: "\n".join(m.describe(short=not wide) for m in r.matches))
        )
    return columns


def _console(out: IO[str]) -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit with 1; let the CLI treat a reader that left as success.
            raise BrokenPipeError

    return _Console(
        file=out,
        width=None if out.isatty() else console_width(),
        no_color="NO_COLOR" in os.environ or None,
        highlight=False,
        emoji=False,
        markup=False,
    )


def write_grid(
    headers: Sequence[str],
    cells: Sequence[Sequence[Cell]],
    summary: str,
    out: IO[str],
    red: Sequence[bool] = (),
    widths: Sequence[int] | None = None,
) -> None:
    """A rich table with the given headers, red rows where asked, and a summary line under it.

    With ``widths`` the cells are already broken into lines that fit them (``write_table``);
    without, rich shares the width out and wraps.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    table = Table(box=box.SQUARE if console.is_terminal else box.ASCII, expand=widths is None, padding=(0, 0))
    for index, header in enumerate(headers):
        if widths is not None:
            table.add_column(header, width=widths[index], no_wrap=True, overflow="crop")
            continue
        wraps = header not in _NO_WRAP
        table.add_column(
            header,
            overflow="fold",
            no_wrap=not wraps,
            ratio=_RATIO.get(header, 1) if wraps else None,
            min_width=_MIN_WIDTH.get(header, 6) if wraps else None,
        )
    for index, row in enumerate(cells):
        style = "red" if index < len(red) and red[index] else None
        table.add_row(*(_text(cell) for cell in row), style=style)
    if cells:
        console.print(table)
    console.print(Text(clean(summary)))


def _text(cell: Cell) -> Any:
    from rich.text import Text

    if isinstance(cell, tuple):
        return Text(clean(cell[0]), style=cell[1])
    return Text(clean(cell))


def write_markdown(headers: Sequence[str], cells: Sequence[Sequence[Cell]], out: IO[str]) -> None:
    """A GitHub-style Markdown table, to paste into a 通报."""

    def md(cell: Cell) -> str:
        text = cell[0] if isinstance(cell, tuple) else cell
        return markdown_text(text).replace("\n", "<br>")

    out.write("| " + " | ".join(headers) + " |\n")
    out.write("|" + "|".join("---" for _ in headers) + "|\n")
    for row in cells:
        out.write("| " + " | ".join(md(c) for c in row) + " |\n")


MAX_LINES = 3  # lines a task may take in a table
_COUNT_TAIL = lazy(r"等 \d+ 个单位$")


def wrap(text: str, width: int, most: int = MAX_LINES) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns, at most ``most`` of them; a cut
    ends in ``..`` (not ``…``, whose width is ambiguous in Chinese terminals)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for char in paragraph:
            size = display_width(char)
            if used + size > width and line:
                lines.append(line)
                line, used = "", 0
            line, used = line + char, used + size
        lines.append(line)
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], cut(lines[most - 1], width - 2) + ".."]


def fit(text: str, width: int, most: int = MAX_LINES) -> str:
    """A cell of at most ``MAX_LINES`` lines; a unit list keeps its count (``…等 17 个单位``).
    ``most`` above ``MAX_LINES``: the whole text, on as many lines as it takes (``--wide``)."""
    if most > MAX_LINES:
        return "\n".join(wrap(text, width, most))
    tail = _COUNT_TAIL.search(text)
    if tail and len(wrap(text, width, MAX_LINES + 1)) > MAX_LINES:
        room = wrap(text[: tail.start()], width, MAX_LINES)
        head = "\n".join(room)
        while (
            head and len(wrap(head.replace("\n", "") + ".." + tail.group(), width, MAX_LINES + 1)) > MAX_LINES
        ):
            head = head[:-1]
        return "\n".join(wrap(head.replace("\n", "") + ".." + tail.group(), width))
    return "\n".join(wrap(text, width))


def column_widths(
    headers: Sequence[str], cells: Sequence[Sequence[str]], total: int, keys: Sequence[str] | None = None
) -> list[int]:
    """Short columns at their natural width; text columns get their minimum, then share what is
    left by ratio, none wider than its widest content. The whole fits ``total`` columns when the
    minimums do. ``keys`` name the columns for the layout rules (default: the headers)."""
    kinds = list(keys) if keys is not None else list(headers)
    natural = [
        max([display_width(header), *(display_width(ln) for row in cells for ln in row[i].split("\n"))])
        for i, header in enumerate(headers)
    ]
    flexible = [i for i, k in enumerate(kinds) if k not in _NO_WRAP]
    widths = list(natural)
    for i in flexible:  # a header on one line where the width allows it, else the narrow minimum
        widths[i] = min(natural[i], max(display_width(headers[i]), _MIN_WIDTH.get(kinds[i], 6)))
    if sum(widths) + len(headers) + 1 > total:
        for i in flexible:
            widths[i] = min(natural[i], _MIN_WIDTH.get(kinds[i], 6))
    over = sum(widths) + len(headers) + 1 - total
    if over > 0 and "deadline" in kinds:  # a long deadline wraps rather than the table being cropped
        at = kinds.index("deadline")
        widths[at] = max(min(natural[at], 10), widths[at] - over)
    room = total - (len(headers) + 1) - sum(widths)
    growing = [i for i in flexible if widths[i] < natural[i]]
    while room > 0 and growing:
        weight = sum(_RATIO.get(kinds[i], 1) for i in growing)
        given = 0
        for i in growing:
            extra = min(room * _RATIO.get(kinds[i], 1) // weight, natural[i] - widths[i])
            widths[i] += extra
            given += extra
        if given == 0:  # less room than columns: one column at a time, widest ratio first
            widest = max(growing, key=lambda i: _RATIO.get(kinds[i], 1))
            widths[widest] += 1
            given = 1
        room -= given
        growing = [i for i in growing if widths[i] < natural[i]]
    return widths


def write_table(
    rows: Sequence[Row],
    columns: Sequence[Column],
    summary: str,
    out: IO[str],
    red: Callable[[Row], bool] = lambda r: False,
    wide: bool = False,
) -> None:
    """Tasks as a table with the document's column names; each task at most three lines, or
    (``wide``) every word of every cell."""
    width = _console(out).width
    keys = [key for key, _, _ in columns]
    headers = [header for _, header, _ in columns]
    cells = [[get(row) for _, _, get in columns] for row in rows]
    kept = _fitting(keys, headers, cells, width)
    dropped = [h for i, h in enumerate(headers) if i not in kept]
    keys, headers = [keys[i] for i in kept], [headers[i] for i in kept]
    cells = [[row[i] for i in kept] for row in cells]
    widths = column_widths(headers, cells, width, keys)
    if dropped:
        summary += f"\n（终端较窄，未显示：{'、'.join(dropped)}）"
    most = sys.maxsize if wide else MAX_LINES
    fitted = [[fit(cell, w, most) for cell, w in zip(row, widths, strict=True)] for row in cells]
    titles = ["\n".join(wrap(h, w, 2)) for h, w in zip(headers, widths, strict=True)]
    write_grid(titles, fitted, summary, out, [red(r) for r in rows], widths)


# Columns left out, in this order, when a terminal is too narrow for every column at its
# narrowest: a number is never cut (issue 26: 2/29 showed as 2/2, headers as 序 and 进).
_DROP_FIRST = ("supervising", "category", "subcategory", "cooperating", "outstanding", "match", "lead")


def _fitting(keys: list[str], headers: list[str], cells: list[list[str]], width: int) -> list[int]:
    """The columns (by position) that fit ``width`` at their narrowest: each column's narrowest
    width depends on it alone, so columns are left out in ``_DROP_FIRST`` order until the rest fit."""
    narrowest = column_widths(headers, cells, 1, keys)
    kept = list(range(len(keys)))
    for key in _DROP_FIRST:
        if sum(narrowest[i] for i in kept) + len(kept) + 1 <= width:
            break
        kept = [i for i in kept if keys[i] != key]
    return kept


def write_lines(lines: Sequence[str], out: IO[str]) -> None:
    """Plain text lines (for ``show``, ``check``): cleaned, never styled."""
    out.write("".join(clean(line) + "\n" for line in lines))
