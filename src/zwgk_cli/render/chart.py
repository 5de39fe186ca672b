"""The timeline drawn: with colour on a terminal, or with plain characters in a file or pipe."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from zwgk_cli.render.safe import clean
from zwgk_cli.render.tables import _console

if TYPE_CHECKING:
    from zwgk_cli.render.timeline import Chart

__all__ = ["timeline_lines", "write_timeline"]

# Timeline: the same layout drawn with colour on a terminal, or with plain characters.
# Coloured bars are spaces on a coloured background: block and box-drawing characters have an
# ambiguous width and take two columns in many Chinese terminals, which would break the grid.
_BAR_PLAIN = {"done": "=", "overdue": "!", "soon": "~", "open": "-"}
_BAR_STYLE = {"done": "on green", "overdue": "on red", "soon": "on yellow", "open": "on blue"}
_STATE_NAMES = {"done": "已完成", "overdue": "逾期", "soon": "近期到期", "open": "未完成"}


def timeline_lines(chart: Chart, colour: bool) -> list[Any]:
    """Lines of the chart: rich Text objects when ``colour``, else plain strings."""
    from rich.text import Text

    from zwgk_cli.render.timeline import LABEL_WIDTH

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
