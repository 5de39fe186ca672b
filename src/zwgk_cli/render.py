"""Output: one function per format. The only module that imports rich (lazily).

Machine formats (json, csv) are a contract: stable keys in a fixed order, no
colour, nothing else on stdout. Text from the plan is never read as markup,
and control characters never reach the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from zwgk_cli.model import Item
from zwgk_cli.query import Row

if TYPE_CHECKING:
    from zwgk_cli.query import UnitDuties
    from zwgk_cli.report import Line
    from zwgk_cli.timeline import Chart
from zwgk_cli.units import Match

__all__ = ["FORMATS", "Column", "task_record", "write_records", "write_table"]

FORMATS = ("table", "json", "csv")
TASK_KEYS = (
    "id",
    "category",
    "title",
    "responsible",
    "supervising",
    "deadline",
    "due_start",
    "due_end",
    "status",
    "done_on",
    "note",
    "overdue",
    "days_overdue",
    "progress",
    "matched_as",
)
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # all but the line feed


def clean(text: str) -> str:
    """Make control characters visible (``\\x1b``) instead of sending them to the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _match_record(match: Match) -> dict[str, Any]:
    through = match.group if match.via == "group" else f"同（{match.ref}）" if match.via == "ref" else None
    return {"role": match.role, "via": match.via, "through": through}


def task_record(row: Row, today: date) -> dict[str, Any]:
    """One task as the stable JSON object described in the README."""
    item = row.item
    return {
        "id": item.id,
        "category": item.task.category,
        "title": item.task.title,
        "responsible": list(item.responsible),
        "supervising": list(item.supervising),
        "deadline": item.task.deadline,
        "due_start": item.due.start.isoformat() if item.due else None,
        "due_end": item.due.end.isoformat() if item.due else None,
        "status": item.task.status.value,
        "done_on": item.task.done_on.isoformat() if item.task.done_on else None,
        "note": item.task.note,
        "overdue": item.is_overdue(today),
        "days_overdue": item.days_overdue(today),
        "progress": {
            "done": item.done_count,
            "total": len(item.slots),
            "outstanding": list(item.outstanding),
        },
        "matched_as": [_match_record(m) for m in row.matches] if row.matches else None,
    }


UNIT_KEYS = (
    "name",
    "kind",
    "groups",
    "members",
    "responsible",
    "supervising",
    "open",
    "overdue",
    "overdue_ids",
)


def unit_record(duties: UnitDuties) -> dict[str, Any]:
    """One unit or group as the stable JSON object of ``zwgk units``."""
    return {
        "name": duties.name,
        "kind": duties.kind,
        "groups": list(duties.groups),
        "members": list(duties.members),
        "responsible": len(duties.responsible),
        "supervising": len(duties.supervising),
        "open": len(duties.open),
        "overdue": len(duties.overdue),
        "overdue_ids": [i.id for i in duties.overdue],
    }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # matched_as
            return "、".join(v["through"] or v["via"] for v in value)
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):  # progress
        return f"{value['done']}/{value['total']}"
    return str(value)


def write_json(value: Any, out: IO[str]) -> None:
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_records(records: Sequence[dict[str, Any]], keys: Sequence[str], fmt: str, out: IO[str]) -> None:
    """Write ``records`` as JSON (an array) or CSV (a header row of ``keys``)."""
    if fmt == "json":
        write_json(list(records), out)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for record in records:
        writer.writerow([_csv_cell(record.get(k)) for k in keys])
    out.write(buffer.getvalue())


def status_text(item: Item, today: date) -> str:
    if item.is_done:
        return f"已完成 {item.task.done_on}" if item.task.done_on else "已完成"
    days = item.days_overdue(today)
    return f"逾期 {days} 天" if days is not None else "未完成"


def progress_text(item: Item) -> str:
    if len(item.slots) <= 1 and not item.done_by:
        return ""
    return f"{item.done_count}/{len(item.slots)}"


def outstanding_text(item: Item, most: int = 4) -> str:
    """The units still owing a task, shortened for a table (JSON has the full list)."""
    left = item.outstanding
    if len(left) > 1 and len(left) == len(item.slots):
        return f"全部 {len(left)} 个单位"
    if len(left) > most:
        return "、".join(left[:most]) + f" 等 {len(left)} 个单位"
    return "、".join(left)


# A column: its header and how to get the cell text from a row.
Column = tuple[str, Callable[[Row], str]]
# Short columns that should never wrap; long text columns take the remaining width.
_NO_WRAP = {
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
_MIN_WIDTH = {"具体任务": 16}
_RATIO = {
    "单位": 3,
    "所属单位组": 4,
    "工作任务": 2,
    "具体任务": 5,
    "主体责任单位": 3,
    "主管单位": 3,
    "未完成单位": 3,
    "匹配方式": 2,
}


def task_columns(today: date, *, with_match: bool = False, with_outstanding: bool = False) -> list[Column]:
    columns: list[Column] = [
        ("序号", lambda r: str(r.item.id)),
        ("工作任务", lambda r: r.item.task.category),
        ("具体任务", lambda r: r.item.task.title),
        ("主体责任单位", lambda r: "、".join(r.item.responsible)),
        ("主管单位", lambda r: "、".join(r.item.task.supervising)),  # as written: 同（3） stays
        ("完成时间", lambda r: r.item.task.deadline),
        ("状态", lambda r: status_text(r.item, today)),
        ("进度", lambda r: progress_text(r.item)),
    ]
    if with_outstanding:
        columns.append(("未完成单位", lambda r: outstanding_text(r.item)))
    if with_match:
        columns.append(("匹配方式", lambda r: "\n".join(m.describe() for m in r.matches)))
    return columns


def _console(out: IO[str]) -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit with 1; let the CLI treat a reader that left as success.
            raise BrokenPipeError

    width = None if out.isatty() else int(os.environ.get("COLUMNS", "160"))
    return _Console(
        file=out,
        width=width,
        no_color="NO_COLOR" in os.environ or None,
        highlight=False,
        emoji=False,
        markup=False,
    )


Cell = str | tuple[str, str]  # text, or (text, rich style)


def write_grid(
    headers: Sequence[str],
    cells: Sequence[Sequence[Cell]],
    summary: str,
    out: IO[str],
    red: Sequence[bool] = (),
) -> None:
    """A rich table with the given headers, red rows where asked, and a summary line under it."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    table = Table(box=box.SQUARE if console.is_terminal else box.ASCII, expand=True)
    for header in headers:
        wraps = header not in _NO_WRAP
        table.add_column(
            header,
            overflow="fold",
            no_wrap=not wraps,
            ratio=_RATIO.get(header, 1) if wraps else None,
            min_width=_MIN_WIDTH.get(header, 8) if wraps else None,
        )
    for index, row in enumerate(cells):
        style = "red" if index < len(red) and red[index] else None
        table.add_row(*(_text(cell) for cell in row), style=style)
    if cells:
        console.print(table)
    console.print(Text(summary))


def _text(cell: Cell) -> Any:
    from rich.text import Text

    if isinstance(cell, tuple):
        return Text(clean(cell[0]), style=cell[1])
    return Text(clean(cell))


def write_markdown(headers: Sequence[str], cells: Sequence[Sequence[Cell]], out: IO[str]) -> None:
    """A GitHub-style Markdown table, to paste into a 通报."""

    def md(cell: Cell) -> str:
        text = cell[0] if isinstance(cell, tuple) else cell
        return clean(text).replace("|", "\\|").replace("\n", "<br>")

    out.write("| " + " | ".join(headers) + " |\n")
    out.write("|" + "|".join("---" for _ in headers) + "|\n")
    for row in cells:
        out.write("| " + " | ".join(md(c) for c in row) + " |\n")


REPORT_KEYS = (
    "name",
    "tasks",
    "done_on_time",
    "done_late",
    "open",
    "overdue",
    "due_soon",
    "rate",
    "light",
    "overdue_ids",
)
LIGHT_STYLES = {
    "红": "bold white on red",
    "黄": "bold black on yellow",
    "绿": "bold white on green",
    "完成": "bold green",
}


def report_record(line: Line) -> dict[str, Any]:
    return {
        "name": line.name,
        "tasks": line.tasks,
        "done_on_time": line.done_on_time,
        "done_late": line.done_late,
        "open": line.open,
        "overdue": line.overdue,
        "due_soon": line.due_soon,
        "rate": round(line.rate, 4),
        "light": line.light,
        "overdue_ids": list(line.overdue_ids),
    }


def report_table(lines: Sequence[Line], by: str, soon: int) -> tuple[list[str], list[list[Cell]]]:
    """Headers and cells of a report, the total last."""
    first = "单位" if by == "unit" else "工作任务"
    headers = [first, "任务", "按时完成", "逾期完成", "未完成", "逾期", f"{soon}天内到期", "完成率", "状态"]
    cells: list[list[Cell]] = [
        [
            ln.name,
            *(str(n) for n in (ln.tasks, ln.done_on_time, ln.done_late, ln.open, ln.overdue, ln.due_soon)),
            f"{ln.rate:.0%}",
            (ln.light, LIGHT_STYLES[ln.light]),
        ]
        for ln in lines
    ]
    return headers, cells


def write_table(
    rows: Sequence[Row],
    columns: Sequence[Column],
    summary: str,
    out: IO[str],
    red: Callable[[Row], bool] = lambda r: False,
) -> None:
    """Tasks as a table with the document's column names."""
    cells = [[get(row) for _, get in columns] for row in rows]
    write_grid([header for header, _ in columns], cells, summary, out, [red(r) for r in rows])


def write_lines(lines: Sequence[str], out: IO[str]) -> None:
    """Plain text lines (for ``show``, ``check``): cleaned, never styled."""
    out.write("".join(clean(line) + "\n" for line in lines))


# Timeline: the same layout drawn with colour on a terminal, or with plain characters.
# Coloured bars are spaces on a coloured background: block and box-drawing characters have an
# ambiguous width and take two columns in many Chinese terminals, which would break the grid.
_BAR_PLAIN = {"done": "=", "overdue": "!", "soon": "~", "open": "-"}
_BAR_STYLE = {"done": "on green", "overdue": "on red", "soon": "on yellow", "open": "on blue"}
_STATE_NAMES = {"done": "已完成", "overdue": "逾期", "soon": "近期到期", "open": "未完成"}


def timeline_lines(chart: Chart, colour: bool) -> list[Any]:
    """Lines of the chart: rich Text objects when ``colour``, else plain strings."""
    from rich.text import Text

    from zwgk_cli.timeline import LABEL_WIDTH

    pad = " " * (LABEL_WIDTH + 1)
    header = [" "] * chart.width
    for column, label in chart.month_labels():
        header[column : column + len(label)] = list(label)
    axis = ["+" if i % chart.per_month == 0 else "-" for i in range(chart.width)]
    if chart.today_column is not None:
        axis[chart.today_column] = "v"
    lines = [Text(pad + "".join(header)), Text(pad + "".join(axis))]
    for row in chart.rows:
        line = Text(clean(row.label) + " ")
        if row.first is None or row.last is None:
            line.append("（无固定期限）")
            lines.append(line)
            continue
        for column in range(chart.width):
            if row.first <= column <= row.last:
                line.append(" " if colour else _BAR_PLAIN[row.state], style=_BAR_STYLE[row.state])
            elif column == chart.today_column:
                line.append("|", style="bold magenta")
            else:
                line.append(" ")
        lines.append(line)
    legend = Text("图例：")
    for state, name in _STATE_NAMES.items():
        legend.append("  " if colour else _BAR_PLAIN[state], style=_BAR_STYLE[state])
        legend.append(f" {name}  ")
    legend.append("|", style="bold magenta")
    legend.append(" 今天")
    lines.append(legend)
    return lines if colour else [line.plain for line in lines]


def write_timeline(chart: Chart, summary: str, out: IO[str]) -> None:
    console = _console(out)
    colour = console.is_terminal and console.no_color is not True
    if colour:
        for line in timeline_lines(chart, True):
            console.print(line, overflow="ignore", crop=False)
        console.print(summary)
    else:
        out.write("".join(line.rstrip() + "\n" for line in timeline_lines(chart, False)) + summary + "\n")
