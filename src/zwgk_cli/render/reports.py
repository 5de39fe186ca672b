"""The progress report as a table: a line per unit (category, plan, region), the total last,
with its traffic light."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from zwgk_cli.plan.model import FIELD_NAMES
from zwgk_cli.render.tables import Cell

if TYPE_CHECKING:
    from zwgk_cli.tracking.report import Line

__all__ = ["LIGHT_STYLES", "report_table"]


LIGHT_STYLES = {
    "红": "bold white on red",
    "黄": "bold black on yellow",
    "绿": "bold white on green",
    "完成": "bold green",
}


def report_table(
    lines: Sequence[Line],
    by: str,
    soon: int,
    names: Mapping[str, str] | None = None,
    verification: bool = False,
) -> tuple[list[str], list[list[Cell]]]:
    """Headers and cells of a report, the total last; categories under the plan's name for
    them; with verification, 按时完成 and 逾期完成 are verified work, and 待核实 the rest."""
    from zwgk_cli.tracking.report import REPORT_BY

    first = (names or FIELD_NAMES)["category"] if by == "category" else REPORT_BY[by]
    waiting = ["待核实"] if verification else []
    headers = [
        first,
        "任务",
        "按时完成",
        "逾期完成",
        *waiting,
        "未完成",
        "逾期",
        f"{soon}天内到期",
        "完成率",
        "状态",
    ]
    cells: list[list[Cell]] = [
        [
            ln.name,
            *(str(n) for n in (ln.tasks, ln.done_on_time, ln.done_late)),
            *([str(ln.reported)] if verification else []),
            *(str(n) for n in (ln.open, ln.overdue, ln.due_soon)),
            f"{ln.rate:.0%}",
            (ln.light, LIGHT_STYLES[ln.light]),
        ]
        for ln in lines
    ]
    return headers, cells
