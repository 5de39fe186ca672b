"""data/schedule.yaml holds exactly the plan in the seed text, task by task."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from conftest import BUNDLED, FIXTURES, ROOT

HEADER = ["序号", "工作任务", "具体任务", "主体责任单位", "主管单位", "完成时间"]


def seed_rows() -> list[list[str]]:
    """The seed's table rows: a cell starts with a tab, a line without one continues the cell
    before it (even across a blank line), empty cells repeat the cell above, headers are skipped."""
    rows: list[list[str]] = []
    fresh = True
    for line in (FIXTURES / "seed.txt").read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("\t"):
            if fresh:
                rows.append([])
                fresh = False
            rows[-1].append(line[1:])
        elif not line.strip():
            fresh = True
        else:
            rows[-1][-1] += line
            fresh = False
    rows = [[cell.strip() for cell in row] for row in rows if row[0] != "序号"]
    for above, row in itertools.pairwise(rows):
        row[:] = [cell or up for cell, up in zip(row, above, strict=True)]
    return rows


def plan_tasks() -> list[dict[str, object]]:
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["tasks"]  # type: ignore[no-any-return]


def test_seed_has_25_tasks_in_10_categories() -> None:
    rows = seed_rows()
    assert len(rows) == 25
    assert all(len(row) == 6 for row in rows)
    assert len({row[1] for row in rows}) == 10


@pytest.mark.parametrize("index", range(25))
def test_task_matches_seed(index: int) -> None:
    row = seed_rows()[index]
    task = plan_tasks()[index]
    number = re.match(r"（(\d+)）", row[2])
    assert number is not None
    assert task["id"] == int(number.group(1)) == index + 1
    assert task["category"] == row[1]
    assert task["title"] == row[2][number.end() :]
    assert task["deadline"] == row[5]
    # Units: nothing invented, changed, reordered or lost; only the separators differ.
    for key, cell in (("responsible", row[3]), ("supervising", row[4])):
        units = task[key]
        assert isinstance(units, list) and units
        assert "".join(units) == re.sub(r"[、\s]", "", cell)


def test_units_split_where_names_run_together() -> None:
    supervising = plan_tasks()[2]["supervising"]
    assert isinstance(supervising, list)
    for first, second in [
        ("区教育局", "市公安局屯留分局"),
        ("区司法局", "区财政局"),
        ("区人社局", "区自然资源局"),
    ]:
        assert supervising.index(second) == supervising.index(first) + 1


def test_references_kept_as_written() -> None:
    tasks = plan_tasks()
    assert tasks[3]["supervising"] == ["区政府办公室", "区直各有关部门", "同（3）"]
    assert tasks[7]["supervising"] == ["区直各有关部门", "同（3）"]


def test_categories_joined_without_spaces() -> None:
    categories = {t["category"] for t in plan_tasks()}
    assert {"规范流动公开流程", "加强政策文件解读"} <= categories


def test_every_named_unit_is_registered_once() -> None:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    registered = [u["name"] for u in data["units"]] + [g["name"] for g in data["groups"]]
    assert len(registered) == len(set(registered))
    named = {n for t in data["tasks"] for n in t["responsible"] + t["supervising"] if not n.startswith("同")}
    assert named == set(registered)
    # Groups the plan does not enumerate have no invented members.
    assert all(g["members"] == [] for g in data["groups"])


def test_file_starts_with_source_comment() -> None:
    assert BUNDLED.read_text(encoding="utf-8").startswith("# 屯留区")


def test_bundled_copy_is_the_plan() -> None:
    packaged = ROOT / "src" / "zwgk_cli" / "data" / "schedule.yaml"
    assert packaged.read_bytes() == BUNDLED.read_bytes()


def test_no_anchors_or_aliases() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert not re.search(r"(^|\s)[&*][^\s]", text)


def test_seed_copy_is_present() -> None:
    assert (FIXTURES / "seed.txt").read_text(encoding="utf-8").startswith("基层政务公开")
    assert Path(FIXTURES / "seed.txt").stat().st_size > 4000
