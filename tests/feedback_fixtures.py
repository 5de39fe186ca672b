"""The feedback forms three units sent back, as the README's round trip collects them
(``tests/fixtures/收回/``): written from real exports of the bundled plan and filled in as three
clerks did. ``python tests/feedback_fixtures.py`` writes them anew; ``test_collect`` checks that
the stored ones still hold what this makes (so a change to the form or the plan shows up).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "fixtures" / "收回"
EXPORTED = date(2020, 10, 15)
# 区司法局's clerk: dates typed as text, one in full-width digits.
CLERK_1 = {
    "18": {
        "完成情况": "已完成",
        "完成日期": "２０２０年１０月１２日",
        "进展说明": "已落实源头认定",
        "佐证材料": "屯司发〔2020〕7号",
    },
    "19": {"完成情况": "推进中", "进展说明": "正在梳理栏目"},
    "24": {"完成情况": "已完成", "完成日期": "10月9日"},
}


def _form(unit: str) -> bytes:
    from zwgk_cli.feedback.forms import forms
    from zwgk_cli.feedback.workbook import workbook
    from zwgk_cli.storage import store
    from zwgk_cli.storage.edits import plan_start

    schedule = store.load(store.Location(ROOT / "data" / "schedule.yaml")).schedule
    return workbook(forms(schedule, EXPORTED, unit)[0], plan_start(schedule))


def fill_sheet(sheet: Any, rows: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
    """Fill a form's rows (found by 序号) by header, as a clerk would; each filled row's number."""
    headers = {cell.value: cell.column for cell in sheet[3]}
    numbers = {}
    for row in sheet.iter_rows(min_row=4):
        task = str(row[0].value)
        for header, value in rows.get(task, {}).items():
            sheet.cell(row[0].row, headers[header]).value = value
            numbers[task] = row[0].row
    return numbers


def _filled(unit: str, rows: dict[str, dict[str, str]]) -> bytes:
    book = load_workbook(io.BytesIO(_form(unit)))
    fill_sheet(book["反馈表"], rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(unit: str, rows: dict[str, dict[str, str]], extra: dict[str, str]) -> bytes:
    """The form saved as CSV: only the rows filled in, sorted the other way round, and a row
    (``extra``: header -> value) added at the bottom."""
    sheet = load_workbook(io.BytesIO(_filled(unit, rows)))["反馈表"]
    grid = [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]
    header = grid[2]
    filled = [header.index(name) for name in ("完成情况", "完成日期", "进展说明", "佐证材料")]
    body = [row for row in grid[3:] if any(row[i] for i in filled)]
    out = io.StringIO()
    added = [extra.get(name, "") for name in header]
    csv.writer(out, lineterminator="\n").writerows([header, *reversed(body), added])
    return out.getvalue().encode("utf-8")


def returned() -> dict[str, bytes]:
    """File name -> bytes of each returned form."""
    return {
        # Renamed by the sender; dates typed as text, one in full-width digits.
        "司法局.xlsx": _filled("区司法局", CLERK_1),
        # Saved as CSV, re-sorted, with a row typed in under the table.
        "反馈表-区财政局-2020-10-15.csv": _csv(
            "区财政局",
            {
                "20": {
                    "完成情况": "推进中",
                    "进展说明": "解读量已达60%",
                    "佐证材料": "https://www.tunliu.gov.cn/zcjd/",
                },
                "25": {"完成情况": "已完成", "完成日期": "2020/10/11"},
            },
            {
                "序号": "26",
                "具体任务": "新增任务",
                "工作任务": "政务舆情回应",
                "完成情况": "已完成",
                "完成日期": "2020-10-10",
            },
        ),
        # A locked cell edited (in a copy with the protection taken off).
        "反馈表-麟绛街道办事处-2020-10-15.xlsx": _filled(
            "麟绛街道办事处",
            {
                "4": {"具体任务": "先行先试", "完成情况": "已完成", "完成日期": "2020-10-13"},
                "5": {"完成情况": "已完成", "完成日期": "2020.10.14", "进展说明": "权责清单已公布"},
            },
        ),
    }


def cells(name: str, data: bytes) -> list[list[str]]:
    """What a returned form holds, whatever wrote it: every sheet's cells as text."""
    if name.endswith(".csv"):
        return list(csv.reader(io.StringIO(data.decode("utf-8"))))
    book = load_workbook(io.BytesIO(data))
    return [
        [sheet.title, *("" if c.value is None else str(c.value) for c in row)]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    FOLDER.mkdir(parents=True, exist_ok=True)
    for file_name, data in returned().items():
        (FOLDER / file_name).write_bytes(data)
        print(FOLDER / file_name)
