"""Exports chosen by file extension: Excel, calendar, a self-contained HTML page, and the
machine formats. The optional libraries (openpyxl, icalendar) are imported only here, only
when their format is asked for, and their absence is a clear message, not a traceback.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from zwgk_cli.errors import UsageError, need_extra
from zwgk_cli.office.book import book_bytes
from zwgk_cli.plan.occurrences import current, missed
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.render import records, reports, tables
from zwgk_cli.render.ics import to_ics
from zwgk_cli.render.safe import clean
from zwgk_cli.render.scores import SCORE_STATUS
from zwgk_cli.render.scores import score_table as scores_table
from zwgk_cli.render.timeline import layout
from zwgk_cli.storage.atomic import write_new
from zwgk_cli.tracking.query import Row
from zwgk_cli.tracking.report import build_report
from zwgk_cli.tracking.score import UnitScore

__all__ = ["EXPORTERS", "export"]


def task_sheet(schedule: Schedule, today: date) -> tuple[list[str], list[list[str]]]:
    """The tasks in the document's own columns (its names, its roles, its extra columns), with
    the state of each: for the Excel sheet, the web page and the Markdown table."""
    rows = [Row(current(i, today)) for i in schedule.items]
    names = schedule.plan.names
    columns = [c for c in tables.task_columns(today, rows, names=names, wide=True) if c[0] != "progress"]
    extra = list(dict.fromkeys(k for i in schedule.items for k, _ in i.task.extra))
    headers = [header for _, header, _ in columns] + [names["done_on"], names["note"], *extra]
    cells = [
        [
            *(get(row) for _, _, get in columns),
            row.item.finished_on.isoformat() if row.item.finished_on else "",
            row.item.task.note or "",
            *(dict(row.item.task.extra).get(k, "") for k in extra),
        ]
        for row in rows
    ]
    return headers, cells


# Column widths of the task sheet, in Chinese characters, by the default names.
_WIDTHS = {"序号": 6, "工作任务": 14, "具体任务": 40, "完成时间": 16, "状态": 12, "完成日期": 12, "备注": 20}


def score_workbook(scores: Sequence[UnitScore]) -> bytes:
    """The ranking, and every unit's points task by task, as two sheets."""
    from openpyxl import Workbook

    book = Workbook()
    ranking = book.active
    ranking.title = "排名"
    headers, cells = scores_table(scores)
    # Scores and counts as numbers, so that Excel can sum and sort them ('5.4' was text).
    numbers = [[_number(c if isinstance(c, str) else c[0]) for c in row] for row in cells]
    _fill_sheet(ranking, headers, numbers, [6, 30, 8, 8, 8, 10, 8])
    detail = book.create_sheet("明细")
    rows = records.score_rows(scores)
    keys = records.SCORE_KEYS
    names = ["排名", "单位", "得分", "序号", "期次", "完成情况", "逾期天数", "退回次数", "本项得分"]
    status = SCORE_STATUS
    body = [["" if r.get(k) is None else status.get(str(r[k]), _number(r[k])) for k in keys] for r in rows]
    _fill_sheet(detail, names, body, [6, 30, 8, 6, 10, 10, 8, 8, 8])
    return book_bytes(book)


def _number(value: object) -> str | float:
    """A score's figure as a number (5.4, 10); anything else (a unit, a period, —) as text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if not re.fullmatch(r"-?\d{1,15}(\.\d{1,15})?", text):
        return text
    return float(text) if "." in text else int(text)


def to_xlsx(schedule: Schedule, today: date, soon: int) -> bytes:
    """Two sheets: the tasks in the document's columns, and the per-unit report."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "任务"
    red, green = PatternFill("solid", fgColor="F8CBAD"), PatternFill("solid", fgColor="C6EFCE")
    task_headers, task_cells = task_sheet(schedule, today)
    _fill_sheet(sheet, task_headers, task_cells, [_WIDTHS.get(h, 20) for h in task_headers])
    for row_index, task in enumerate(schedule.items, start=2):
        item = current(task, today)  # the row: a recurring duty's occurrence due now or next
        late = bool(missed(task, today))  # …red while any occurrence is overdue
        fill = red if late else green if item.is_done else None
        if fill is not None:
            for cell in sheet[row_index]:
                cell.fill = fill
    lines, total = build_report(schedule, today, "unit", soon)
    headers, cells = reports.report_table([*lines, total], "unit", soon)
    units = book.create_sheet("单位进度")
    _fill_sheet(
        units,
        headers,
        [[c[0] if isinstance(c, tuple) else c for c in row] for row in cells],
        [34, 8, 10, 10, 10, 8, 12, 10, 8],
    )
    sheets = [sheet, units]
    logged = [(i.id, r) for i in schedule.items for r in i.task.reports]
    if logged:  # the units' progress reports and the office's returns, oldest first
        log = book.create_sheet("进展情况")
        body = [
            [
                str(task_id),
                r.date.isoformat(),
                r.unit or "",
                r.text,
                "、".join(r.evidence),
                "退回" if r.returned else "",
            ]
            for task_id, r in sorted(logged, key=lambda pair: (pair[1].date, pair[0]))
        ]
        _fill_sheet(log, ["序号", "日期", "单位", "说明", "佐证材料", "类型"], body, [6, 12, 20, 40, 30, 6])
        sheets.append(log)
    for sheet_ in sheets:
        for cell in sheet_[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return book_bytes(book)


def _xlsx_value(text: str | float) -> float | str:
    """A number as a number (a score, or plain ASCII digits: 序号, counts); all else text (typed
    as text by ``office.book``, so the document's words stay exactly as written, ``=`` included)."""
    if not isinstance(text, str):
        return text
    if text.isascii() and text.isdigit():
        return int(text)
    # Characters Excel cannot hold (C0 controls) are shown escaped, as on a terminal.
    return clean(text)


def _fill_sheet(
    sheet: Any, headers: list[str], rows: Sequence[Sequence[str | float]], widths: list[int]
) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for index, width in enumerate(widths, start=1):
        # Column width is in Latin characters; a Chinese character takes about two.
        sheet.column_dimensions[get_column_letter(index)].width = width * 2 if index > 1 else width
    sheet.freeze_panes = "A2"


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;padding:12px;
color:#222;background:#fafafa;line-height:1.5}
h1{font-size:1.3em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .4em;border-left:4px solid #c00;
padding-left:8px}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:14px;background:#fff}
th,td{border:1px solid #ccc;padding:4px 5px;vertical-align:top}th{background:#eee}
td:first-child{min-width:7em}
td.n{text-align:right;white-space:nowrap}
.light{display:inline-block;min-width:2.5em;text-align:center;border-radius:3px;padding:0 4px;
font-weight:bold}
.红{background:#d9302c;color:#fff}.黄{background:#f5c400}.绿{background:#2e8b3a;color:#fff}.完成{color:#2e8b3a}
tr.overdue td{background:#fde2e1}tr.done td{background:#e6f4e6}
.tl{font-size:12px}.tl .row{display:flex;align-items:center;height:18px}
.tl .label{flex:0 0 11em;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.tl .track{position:relative;flex:1;height:12px;background:#f0f0f0}
.tl .bar{position:absolute;top:0;height:12px;min-width:3px}
.bar.done{background:#2e8b3a}.bar.overdue{background:#d9302c}.bar.soon{background:#f5c400}.bar.open{background:#4a78c2}
.tl .today{position:absolute;top:-2px;bottom:-2px;width:2px;background:#a0a}
.tl .tick{position:absolute;overflow:hidden;white-space:nowrap}
@media (max-width:480px){.tl .label{flex-basis:7em}.tl .tick.odd{display:none}}
.meta{color:#666;font-size:.9em}
"""


def to_html(schedule: Schedule, today: date, soon: int) -> bytes:
    """One self-contained page (no network, no external files), readable on a phone."""
    esc = html.escape
    plan = schedule.plan
    lines, total = build_report(schedule, today, "unit", soon)
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(plan.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc((plan.region or '') + ' ' + plan.title)}</h1>",
        f'<p class="meta" id="summary">截至 {today}：任务 {total.tasks} 项，已完成 {total.done}，'
        f"未完成 {total.open}，其中逾期 {total.overdue}，{soon} 天内到期 {total.due_soon}。</p>",
        "<h2>各单位进度</h2>",
        _html_table(*_light_first(*reports.report_table([*lines, total], "unit", soon))),
        "<h2>时间进度</h2>",
        _html_timeline(schedule, today, soon),
        "<h2>任务清单</h2>",
        _html_table(
            *task_sheet(schedule, today),
            row_class=[
                "overdue" if i.is_overdue(today) else "done" if i.is_done else "" for i in schedule.items
            ],
        ),
        f'<p class="meta">由 zwgk 生成，日期 {today}。</p></body></html>',
    ]
    return "\n".join(parts).encode("utf-8")


def _light_first(
    headers: list[str], cells: list[list[tables.Cell]]
) -> tuple[list[str], list[list[tables.Cell]]]:
    """On a phone the light must be seen without scrolling: put it next to the unit's name."""
    return [headers[0], headers[-1], *headers[1:-1]], [[row[0], row[-1], *row[1:-1]] for row in cells]


def _html_table(
    headers: Sequence[str], cells: Sequence[Sequence[tables.Cell]], row_class: list[str] | None = None
) -> str:
    esc = html.escape
    out = ['<div class="wrap"><table><thead><tr>']
    out += [f"<th>{esc(h)}</th>" for h in headers]
    out.append("</tr></thead><tbody>")
    for index, row in enumerate(cells):
        css = row_class[index] if row_class else ""
        out.append(f'<tr class="{css}">' if css else "<tr>")
        for cell in row:
            if isinstance(cell, tuple):
                out.append(f'<td><span class="light {esc(cell[0])}">{esc(cell[0])}</span></td>')
            elif cell.rstrip("%").isdigit():
                out.append(f'<td class="n">{esc(cell)}</td>')
            else:
                out.append(f"<td>{esc(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _html_timeline(schedule: Schedule, today: date, soon: int) -> str:
    chart = layout(schedule.items, today, width=10_000, soon=soon)
    span = chart.width or 1
    out = ['<div class="tl">']
    for row in chart.rows:
        label = html.escape(row.label.strip())
        out.append(f'<div class="row"><span class="label">{label}</span><span class="track">')
        if row.first is not None and row.last is not None:
            left, width = 100 * row.first / span, 100 * (row.last - row.first + 1) / span
            out.append(f'<span class="bar {row.state}" style="left:{left:.2f}%;width:{width:.2f}%"></span>')
        if chart.today_column is not None:
            out.append(f'<span class="today" style="left:{100 * chart.today_column / span:.2f}%"></span>')
        out.append("</span></div>")
    labels = chart.month_labels()
    ticks = labels[:: max(1, len(labels) // 6)]
    out.append('<div class="row"><span class="label"></span><span class="track" style="background:none">')
    # Each month label has the room up to the next one and no more, so that labels never run
    # into each other; on a phone every other one is left out (issue 25: 2020-0710 at 390 px).
    for index, (column, label) in enumerate(ticks):
        room = (ticks[index + 1][0] if index + 1 < len(ticks) else span) - column
        odd = " odd" if index % 2 else ""
        out.append(
            f'<span class="tick{odd}" style="left:{100 * column / span:.2f}%;width:{100 * room / span:.2f}%">'
            f"{html.escape(label)}</span>"
        )
    out.append("</span></div></div>")
    return "".join(out)


def _records(fmt: str) -> Callable[[Schedule, date, int], bytes]:
    def write(schedule: Schedule, today: date, soon: int) -> bytes:
        rows = [Row(current(i, today)) for i in schedule.items]
        buffer = io.StringIO()
        if fmt == "md":
            headers, cells = task_sheet(schedule, today)
            tables.write_markdown(headers, list(cells), buffer)
        else:
            records.write_records(
                [records.task_record(r, today, schedule) for r in rows],
                records.TASK_KEYS,
                fmt,
                buffer,
            )
        # Excel opens a CSV as UTF-8 only when it starts with a BOM.
        prefix = "\ufeff" if fmt == "csv" else ""
        return (prefix + buffer.getvalue()).encode("utf-8")

    return write


EXPORTERS: dict[str, Callable[[Schedule, date, int], bytes]] = {
    ".xlsx": to_xlsx,
    ".ics": lambda schedule, today, soon: to_ics(schedule, today, need_extra("icalendar", "calendar")),
    ".html": to_html,
    ".csv": _records("csv"),
    ".json": _records("json"),
    ".md": _records("md"),
}


def export(schedule: Schedule, target: Path, today: date, soon: int = 7, force: bool = False) -> Path:
    """Write ``target`` in the format its extension names; never a half-written file."""
    suffix = target.suffix.lower()
    if suffix not in EXPORTERS:
        raise UsageError(f"不支持导出为“{suffix or target.name}”，可选：{'、'.join(EXPORTERS)}")
    return write_new(target, EXPORTERS[suffix](schedule, today, soon), force)
