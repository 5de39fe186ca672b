"""Task tables fit narrow terminals: every line within the width, each task at most three
lines, long unit lists shortened with their count; --wide and show give everything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import TODAY, Run
from zwgk_cli.render.tables import column_widths, fit, shorten_units, wrap
from zwgk_cli.render.width import display_width

COMMANDS = [
    ("list", "--unit", "区司法局"),
    ("list",),
    ("overdue",),
    ("due", "--within", "60"),
]


def task_heights(table: str) -> list[int]:
    """Lines taken by each task row of an ASCII table (rows start with '|<digits>')."""
    heights: list[int] = []
    for line in table.splitlines():
        if re.match(r"\|\d+\s*\|", line):
            heights.append(1)
        elif heights and line.startswith("|    |"):
            heights[-1] += 1
    return heights


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("args", COMMANDS, ids=["_".join(p.lstrip("-") for p in a) for a in COMMANDS])
def test_tables_fit_narrow_terminals(run: Run, plan: Path, width: int, args: tuple[str, ...]) -> None:
    result = run(*args, "--file", str(plan), "--today", TODAY, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(display_width(line) for line in lines) <= width
    heights = task_heights(result.stdout)
    assert heights and max(heights) <= 3, heights


def row_cells(table: str, task_id: int) -> list[str]:
    """The cells of one task row of an ASCII table, each joined over its lines (spaces dropped)."""
    lines = table.splitlines()
    first = next(i for i, line in enumerate(lines) if re.match(rf"\|{task_id}\s*\|", line))
    rows = [lines[first]]
    rows += [line for line in lines[first + 1 : first + 3] if line.startswith("|    |")]
    columns = zip(*(line.split("|")[1:-1] for line in rows), strict=True)
    return ["".join(part.strip() for part in column).replace(" ", "") for column in columns]


def test_long_unit_lists_are_shortened_with_their_count(run: Run, plan: Path) -> None:
    narrow = run("list", "--file", str(plan), "--today", TODAY, env={"COLUMNS": "100"}).stdout
    cells = row_cells(narrow, 3)
    assert cells[0] == "3" and cells[4] == "区发改局等18个单位"
    wide = run("list", "--file", str(plan), "--today", TODAY, "--wide", env={"COLUMNS": "400"}).stdout
    assert "区发改局、区教育局、市公安局屯留分局" in wide
    shown = run("show", "3", "--file", str(plan), "--today", TODAY).stdout
    assert "区发改局、区教育局、市公安局屯留分局" in shown


def test_shorten_units() -> None:
    assert shorten_units(["甲局"]) == "甲局"
    assert shorten_units(["甲局", "乙局"]) == "甲局、乙局"
    assert shorten_units(["甲局", "乙局", "丙局"]) == "甲局等 3 个单位"
    assert shorten_units([]) == ""


def test_wrap_and_fit() -> None:
    assert wrap("甲乙丙丁", 4) == ["甲乙", "丙丁"]
    assert wrap("甲乙丙丁", 5) == ["甲乙", "丙丁"]  # a wide character never straddles lines
    assert wrap("甲乙丙丁戊己庚辛", 4, 3) == ["甲乙", "丙丁", "戊.."]
    assert wrap("ab\ncd", 10) == ["ab", "cd"]
    assert wrap("甲乙丙丁戊己", 4, 3) == ["甲乙", "丙丁", "戊己"]  # exactly three lines: no cut
    cell = fit("各乡镇（区）人民政府（管理中心）等 3 个单位", 8)
    assert cell.count("\n") <= 2 and cell.replace("\n", "").endswith("..等 3 个单位")
    assert all(display_width(line) <= 8 for line in cell.split("\n"))


def test_column_widths_share_the_room() -> None:
    headers = ["序号", "具体任务", "主管单位"]
    cells = [["1", "甲" * 40, "乙" * 40]]
    widths = column_widths(headers, cells, 60)
    assert widths[0] == 4  # natural width of its header
    assert sum(widths) + len(widths) + 1 == 60  # the whole width, no more
    assert widths[1] > widths[2]  # the task text has the larger share
    short = column_widths(headers, [["1", "甲", "乙"]], 60)
    assert short == [4, 8, 8]  # never wider than its content (or header)


@pytest.mark.parametrize("width", ["60", "64", "72"])
def test_a_narrow_terminal_drops_columns_before_it_cuts_a_number(run: Run, plan: Path, width: str) -> None:
    """Issue 26: at 80 columns numbers were cut (2/29 shown as 2/2) and headers shrank to 序
    and 进; now whole columns are left out first, and the table says which."""
    import json

    shown = run("list", "-f", str(plan), "--today", TODAY, env={"COLUMNS": width}).stdout
    lines = shown.splitlines()
    assert max(display_width(line) for line in lines) <= int(width)
    header = " ".join(lines[1:3])
    assert "序号" in header and "进度" in header
    progress = [
        t["progress"]
        for t in json.loads(run("list", "-f", str(plan), "--today", TODAY, "--format", "json").stdout)
    ]
    shown_progress = re.findall(r"\|(\d+/\d+)\s*\|", shown)
    assert (
        shown_progress
        == [f"{p['done']}/{p['total']}" for p in progress if p["total"] > 1][: len(shown_progress)]
    )
    assert len(shown_progress) == sum(1 for p in progress if p["total"] > 1)
    # A column left out is named under the table: at 60 columns 主管单位 is; at 72 all fit.
    dropped = "（终端较窄，未显示：主管单位）" in shown
    assert dropped is (width == "60") or width == "64"
