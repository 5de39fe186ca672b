"""Lay out the plan against time: one row per task, months across. Pure layout, no printing.

The result is a grid of cells, each with a character class (``bar``, ``today``, blank) and a
state, so that the terminal renderer and the HTML page draw the same chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from zwgk_cli.plan.model import Item
from zwgk_cli.plan.occurrences import current, missed
from zwgk_cli.render.width import truncate

__all__ = ["Chart", "TimelineRow", "layout", "state_of"]

LABEL_WIDTH = 22


def state_of(item: Item, today: date, soon: int = 7) -> str:
    """done, overdue, soon (due within ``soon`` days) or open."""
    if item.is_done:
        return "done"
    if item.is_overdue(today):
        return "overdue"
    if item.is_due_soon(today, soon):
        return "soon"
    return "open"


@dataclass(frozen=True)
class TimelineRow:
    """One task of the timeline: its label, state, and the columns its bar covers."""

    item: Item
    label: str
    state: str
    first: int | None  # first and last column of the bar; None for no fixed date
    last: int | None


@dataclass(frozen=True)
class Chart:
    """The timeline: the months it shows, where today is, and a row for each task."""

    start: date  # first day of the first month shown
    months: int
    per_month: int  # columns per month
    today_column: int | None  # None when today is outside the chart
    rows: tuple[TimelineRow, ...]

    @property
    def width(self) -> int:
        return self.months * self.per_month

    def month_labels(self) -> list[tuple[int, str]]:
        """(column, "2020-07") for months whose label fits without overlapping the last."""
        labels: list[tuple[int, str]] = []
        next_free = 0
        for index in range(self.months):
            column = index * self.per_month
            month = self.start + relativedelta(months=index)
            text = (
                f"{month.year}-{month.month:02d}" if not labels or month.month == 1 else f"{month.month:02d}"
            )
            if column >= next_free and column + len(text) <= self.width:
                labels.append((column, text))
                next_free = column + len(text) + 1
        return labels


def _column(chart_start: date, per_month: int, day: date) -> int:
    months = (day.year - chart_start.year) * 12 + day.month - chart_start.month
    days_in_month = ((day.replace(day=1) + relativedelta(months=1)) - day.replace(day=1)).days
    return months * per_month + min(per_month - 1, (day.day - 1) * per_month // days_in_month)


def layout(tasks: tuple[Item, ...], today: date, width: int = 80, soon: int = 7) -> Chart:
    """Fit the chart into ``width`` terminal columns (label, a space, the months); a recurring
    duty is shown by its occurrence due now or next, and is overdue while any earlier one is."""
    items = [current(t, today) for t in tasks]
    late = {t.id for t in tasks if t.periodic and missed(t, today)}
    dated = [i.due for i in items if i.due is not None]
    first = min((d.start for d in dated), default=today).replace(day=1)
    last = max((d.end for d in dated), default=today)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    per_month = max(1, (width - LABEL_WIDTH - 1) // months)
    rows = []
    for item in items:
        label = truncate(f"{item.id:>3} {item.task.title}", LABEL_WIDTH)
        state = "overdue" if item.id in late else state_of(item, today, soon)
        if item.due is None:
            rows.append(TimelineRow(item, label, state, None, None))
            continue
        rows.append(
            TimelineRow(
                item,
                label,
                state,
                _column(first, per_month, item.due.start),
                _column(first, per_month, item.due.end),
            )
        )
    inside = first <= today <= last
    return Chart(first, months, per_month, _column(first, per_month, today) if inside else None, tuple(rows))
