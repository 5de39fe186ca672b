"""Import tables of the shapes offices receive (issue 13): tables under tests/fixtures/tables,
written for these tests in the shapes real tables have, each with the plan it must become."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, Run

TABLES = FIXTURES / "tables"


def imported(run: Run, tmp_path: Path, source: Path, *options: str) -> tuple[list[dict[str, Any]], str]:
    """The tasks of the plan ``source`` imports to (as JSON), and what import reported."""
    out = tmp_path / f"{source.stem}.yaml"
    result = run("import", str(source), "-o", str(out), "--today", "2020-01-01", *options)
    assert result.exit_code == 0, result.output
    check = run("check", str(out))
    assert check.exit_code == 0, check.output
    listed = run("list", "-f", str(out), "--today", "2020-01-01", "--format", "json")
    return json.loads(listed.stdout), result.stderr


def roles(task: dict[str, Any]) -> dict[str, list[str]]:
    return {r: task[r] for r in ("lead", "responsible", "cooperating", "supervising") if task[r]}


def test_pipe_table_after_the_notice_with_sections(run: Run, tmp_path: Path) -> None:
    tasks, notes = imported(run, tmp_path, TABLES / "pipe_lead.txt")
    assert [(t["id"], t["category"], t["title"], t["deadline"]) for t in tasks] == [
        (1, "一、以公开助力经济平稳健康发展", "及时发布稳增长政策措施", "2022年6月底前"),
        (2, "一、以公开助力经济平稳健康发展", "公开涉企收费清单", "9月底前"),
        (3, "二、加强政策解读", "解读重大政策文件", "年底前"),
    ]
    assert [roles(t) for t in tasks] == [
        {"lead": ["区政务服务局"], "cooperating": ["区司法局", "区财政局"]},
        {"lead": ["区发改局"], "cooperating": ["区市场监管局"]},
        {"lead": ["区政府办公室"], "cooperating": ["区直各有关单位"]},
    ]
    assert "年份推定为 2022（文中的日期“2022年7月25日”）" in notes
    assert (tasks[1]["due_start"], tasks[1]["due_end"]) == ("2022-09-21", "2022-09-30")
    # The notice is dated 2022-07-25: a deadline before it is probably a slip of the year.
    assert "警告：行 10：完成时间“2022年6月底前”早于通知的日期 2022-07-25，请核对年份" in notes
    assert notes.count("早于通知的日期") == 1


def test_one_unit_column_with_role_words_groups_and_brackets(run: Run, tmp_path: Path) -> None:
    tasks, notes = imported(run, tmp_path, TABLES / "tab_roles.txt", "--year", "2020")
    assert [roles(t) for t in tasks] == [
        {"lead": ["市政府办公室"], "responsible": ["市直各部门"]},
        {"responsible": ["市发改委", "市财政局", "市税务局", "市有关单位", "各县（市、区）政府"]},
        {"responsible": ["市数据资源局"]},
    ]
    assert [t["category"] for t in tasks] == ["推进决策公开"] * 3  # an empty cell continues the one above
    for note in (
        "行 4：“市政府办公室”读作牵头单位",
        "行 4：“市直各部门”读作主体责任单位",
        "行 5：“市税务局等市有关单位”读作 市税务局 和单位组 市有关单位",
        "单位组 3 个没有列出成员（市直各部门、市有关单位、各县（市、区）政府）",
    ):
        assert note in notes


def test_catalogue_with_extra_columns_and_a_default_unit(run: Run, tmp_path: Path) -> None:
    tasks, _ = imported(
        run, tmp_path, TABLES / "catalogue.txt", "--year", "2023", "--responsible", "甲镇人民政府"
    )
    assert [(t["title"], t["deadline"], t["responsible"], t["extra"]) for t in tasks] == [
        (
            "财政预算",
            "2023年3月底前",
            ["甲镇人民政府"],
            {"公开依据": "《中华人民共和国预算法》", "公开渠道": "政府网站"},
        ),
        (
            "村级财务收支",
            "长期公开",
            ["甲镇人民政府"],
            {"公开依据": "《村务公开条例》", "公开渠道": "村务公开栏"},
        ),
    ]
    # The table has no category column: none is invented (JSON null), and a report by
    # category counts the tasks under （未分类）.
    assert [t["category"] for t in tasks] == [None, None]
    plan = (tmp_path / "catalogue.yaml").read_text(encoding="utf-8")
    assert "columns: {title: 公开事项, deadline: 公开时限}" in plan and "category:" not in plan
    report = run(
        "report", "--by", "category", "-f", str(tmp_path / "catalogue.yaml"), "--today", "2023-01-01"
    )
    assert report.exit_code == 0 and "（未分类）" in report.stdout
    shown = run("show", "1", "-f", str(tmp_path / "catalogue.yaml"), "--today", "2023-01-01")
    assert shown.exit_code == 0 and "财政预算" in shown.stdout


def test_a_header_spanning_a_number_and_a_text_column(run: Run, tmp_path: Path) -> None:
    tasks, _ = imported(run, tmp_path, TABLES / "spanned.txt", "--year", "2021")
    assert [(t["id"], t["category"], t["title"], t["responsible"]) for t in tasks] == [
        (1, "主动公开", "及时更新机构职能信息", ["办公室"]),
        (2, "主动公开", "规范发布政策文件", ["各科室"]),
    ]
    plan = (tmp_path / "spanned.yaml").read_text(encoding="utf-8")
    assert "columns: {title: 具体要求, responsible: 责任科室, deadline: 时限要求}" in plan


def test_docx_with_lead_and_cooperating_columns(run: Run, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("2021年政务公开重点工作任务分工")
    table = document.add_table(rows=0, cols=5)
    for cells in (
        ("序号", "工作 任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "推进财政信息公开", "区财政局", "区直各有关单位", "2021年6月底前"),
        ("2", "做好政策解读", "区政府办公室（牵头）", "区司法局", "2021年12月底前"),
    ):
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    source = tmp_path / "plan.docx"
    document.save(source)
    tasks, notes = imported(run, tmp_path, source)
    assert [(t["id"], t["title"], roles(t)) for t in tasks] == [
        (1, "推进财政信息公开", {"lead": ["区财政局"], "cooperating": ["区直各有关单位"]}),
        (2, "做好政策解读", {"lead": ["区政府办公室"], "cooperating": ["区司法局"]}),
    ]
    assert "行 3：“区政府办公室”读作牵头单位" in notes


def test_no_header_names_the_closest_lines(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text("通知\n编号\t事项名称\t责任单位\t截止\n1\t甲\t区司法局\t2020年7月\n", encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 4
    assert "没有找到表格的表头" in result.stderr
    assert "行 2：认出了 编号、责任单位；认不出 事项名称、截止" in result.stderr


def test_the_bundled_table_still_imports_exactly(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "seed.yaml"
    result = run(
        "import", str(FIXTURES / "seed.txt"), "-o", str(out), "--region", "屯留区", "--today", "2020-01-01"
    )
    assert result.exit_code == 0, result.output
    # 29 guesses, the count, the .gitignore, and what is still to do (the groups the table lists
    # no members of)
    said = result.stderr.splitlines()
    assert said[30] == f"已在 {tmp_path / '.gitignore'} 中写明：zwgk 的锁文件和临时文件不进入 git"
    del said[30]
    assert said[32] == (
        "  · 催办通知和通报中的联系人和联系电话：请在计划中填写 contact 和 phone"
        "（或导入时加 --contact、--phone）"
    )
    del said[32]
    assert len(said) == 33 and said[30:32] == [
        "还需要您处理：",
        "  · 单位组 4 个没有列出成员（各乡镇（区）人民政府（管理中心）、区直各有关单位、区直各有关部门等）："
        "原表未列出，不作补充；要按单位跟踪，请在计划的 groups 中填写 members"
        "（zwgk units 列出全部单位和单位组）",
    ]
    # written outside data/: later commands need -f, and import says so
    assert said[32] == (
        f"注意：{out} 不在 data/ 中（也没有列在 zwgk.toml 里），之后的命令不会自动使用它："
        f"请加 -f {out}，或把它放到 data/ 下"
    )
    assert "columns:" not in out.read_text(encoding="utf-8")
    assert (
        io.StringIO(result.stderr).readline()
        == "行 28：“区教育局市公安局屯留分局”拆分为 区教育局、市公安局屯留分局\n"
    )


def test_xlsx_with_a_title_row_and_merged_categories(run: Run, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2021年政务公开工作任务分工"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "工作任务", "具体任务", "责任单位", "完成时限"])
    sheet.append([1, "财政信息", "公开预算", "区财政局", "2021年3月底前"])
    sheet.append([2, None, "公开决算", "区财政局", "2021年8月底前"])
    sheet.append([3, None, "公开三公经费\n执行情况", "区财政局\n区审计局", "2021年9月底前"])
    sheet.merge_cells("B3:B5")
    source = tmp_path / "plan.xlsx"
    book.save(source)
    tasks, _ = imported(run, tmp_path, source)
    assert [(t["id"], t["category"], t["title"], t["responsible"]) for t in tasks] == [
        (1, "财政信息", "公开预算", ["区财政局"]),
        (2, "财政信息", "公开决算", ["区财政局"]),
        (3, "财政信息", "公开三公经费执行情况", ["区财政局", "区审计局"]),
    ]
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8").startswith("# 2021年政务公开工作任务分工\n")


def test_html_page_with_row_and_column_spans(run: Run, tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务公开重点任务分工</title></head>
<body><p>通知正文</p><table>
<tr><th>序号</th><th>重点任务</th><th colspan="2">具体要求</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td colspan="6">一、推进决策公开</td></tr>
<tr><td>1</td><td rowspan="2">推进决策公开</td><td>1</td><td>加强政策<br>文件解读</td>
<td>区政府办公室<br>区司法局配合</td><td>2022年6月底前</td></tr>
<tr><td>2</td><td>2</td><td>公开重大决策&amp;预公开</td><td>区发改局</td><td>2022年12月底前</td></tr>
</table></body></html>"""
    source = tmp_path / "plan.html"
    source.write_text(page, encoding="utf-8")
    tasks, _ = imported(run, tmp_path, source)
    assert tasks[0]["cooperating"] == ["区司法局"]  # a unit on a line of its own, with its role word
    assert [(t["id"], t["category"], t["title"], t["lead"]) for t in tasks] == [
        (1, "推进决策公开", "加强政策文件解读", ["区政府办公室"]),
        (2, "推进决策公开", "公开重大决策&预公开", ["区发改局"]),
    ]
    assert (tmp_path / "plan.yaml").read_text(encoding="utf-8").startswith("# 政务公开重点任务分工\n")


def test_a_deadline_years_away_is_a_warning_in_check_and_import(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text(
        "序号\t具体任务\t责任单位\t完成时限\n1\t甲\t区司法局\t2020年6月底前\n2\t乙\t区财政局\t2011年底前\n",
        encoding="utf-8",
    )
    out = tmp_path / "p.yaml"
    result = run("import", str(source), "-o", str(out), "--year", "2020")
    assert result.exit_code == 0, result.output
    warning = "任务 2 的完成时间“2011年底前”在 2011 年，与计划的 2020 年相差 9 年，请核对是否写错了年份"
    assert f"警告：{warning}" in result.stderr
    check = run("check", str(out))
    assert check.exit_code == 0 and f"{out}:" in check.stderr and warning in check.stderr
    near = out.read_text(encoding="utf-8").replace("2011年底前", "2022年底前")
    out.write_text(near, encoding="utf-8")
    assert "相差" not in run("check", str(out)).stderr  # two years away is still a real plan's span


def test_one_cell_per_line_as_some_pages_copy(run: Run, tmp_path: Path) -> None:
    tasks, notes = imported(run, tmp_path, TABLES / "single_lines.txt")
    assert [(t["id"], t["category"], t["title"], t["lead"], t["deadline"]) for t in tasks] == [
        (1, "推进决策公开", "健全决策公开制度", ["区政府办公室"], "2023年6月底前"),
        (2, "推进决策公开", "做好政策解读", ["区司法局"], "年底前"),
    ]
    assert "年份推定为 2023（文中的日期“2023年3月1日”）" in notes


def test_event_and_recurring_deadlines_are_imported_verbatim(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text(
        "序号\t公开事项\t公开主体\t公开时限\n1\t机构职能\t区司法局\t信息形成或者变更之日起20个工作日内\n"
        "2\t财政收支\t区财政局\t每季度首月20日前\n",
        encoding="utf-8",
    )
    tasks, _ = imported(run, tmp_path, source, "--year", "2023")
    # Read as they are meant (issue 14): the plan year 2023 is its period, and on 2020-01-01
    # the quarterly duty's next occurrence is its first, 2023Q1.
    assert [(t["deadline"], t["kind"], t["period"], t["due_end"]) for t in tasks] == [
        ("信息形成或者变更之日起20个工作日内", "event", None, None),
        ("每季度首月20日前", "recurring", "2023Q1", "2023-01-20"),
    ]


def test_deadline_hidden_in_the_note_and_a_progress_column(run: Run, tmp_path: Path) -> None:
    tasks, notes = imported(run, tmp_path, TABLES / "note_deadline.txt", "--year", "2022")
    assert [(t["title"], t["deadline"], t["note"], t["extra"]) for t in tasks] == [
        ("健全决策公开制度", "11月底前完成", "11月底前完成", {"完成情况": "推进中"}),
        ("做好政策解读", "2022年12月底前", "按要求推进，2022年12月底前", {"完成情况": "已完成"}),
    ]
    assert "行 2：表中没有完成时间一列，取备注中的“11月底前完成”" in notes


@pytest.mark.parametrize(
    ("table", "options"),
    [
        ("pipe_lead.txt", ()),
        ("tab_roles.txt", ("--year", "2020")),
        ("catalogue.txt", ("--year", "2023", "--responsible", "甲镇人民政府")),
        ("spanned.txt", ("--year", "2021")),
        ("single_lines.txt", ()),
        ("note_deadline.txt", ("--year", "2022")),
    ],
)
def test_every_command_works_on_every_imported_table(
    run: Run, tmp_path: Path, table: str, options: tuple[str, ...]
) -> None:
    tasks, _ = imported(run, tmp_path, TABLES / table, *options)
    plan = tmp_path / f"{Path(table).stem}.yaml"
    unit = next(name for t in tasks for role in ("lead", "responsible") for name in t[role])
    for args in (("list", "--unit", unit), ("overdue",), ("due", "--within", "90"), ("report",), ("units",)):
        result = run(*args, "-f", str(plan), "--today", "2023-12-31")
        assert result.exit_code == 0, (table, args, result.output)
    for suffix in (".xlsx", ".html", ".ics", ".csv"):
        assert (
            run("export", str(tmp_path / f"x{suffix}"), "-f", str(plan), "--today", "2023-12-31").exit_code
            == 0
        )
    listed = json.loads(
        run("list", "-f", str(plan), "--unit", unit, "--format", "json", "--today", "2023-12-31").stdout
    )
    assert listed and all(t["matched_as"] for t in listed)


def test_kinds_are_guessed_from_names() -> None:
    from zwgk_cli.intake.importer import guess_kind

    assert [
        guess_kind(n)
        for n in (
            "区司法局",
            "县财政局",
            "市发改委",
            "市公安局屯留分局",
            "甲镇人民政府",
            "麟绛街道办事处",
            "行政村",
            "东村村民委员会",
            "办公室",
            "区税务局",
        )
    ] == [
        "区直部门",
        "县直部门",
        "市直部门",
        "市直派驻机构",
        "乡镇",
        "街道",
        "村（社区）",
        "村（社区）",
        "科室",
        "垂直管理部门",
    ]


FENGTUN_HEAD = [  # 凤屯镇's catalogue (realplans/11): a two-row header over spanning cells
    ["序号", "公开事项", "", "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开对象", ""],
    ["", "一级事项", "二级事项", "", "", "", "", "全社会", "特定群众"],
]
FENGTUN_ROW = ["1", "政府文件", "政府文件", "政府文件。", "《中华人民共和国政府信息公开条例》",
               "信息形成或变更之日起3个工作日内", "镇人民政府", "√", ""]  # fmt: skip
FENGTUN_TASK = {
    "id": 1,
    "category": "政府文件",
    "subcategory": "政府文件",
    "title": "政府文件。",
    "responsible": ["镇人民政府"],
    "deadline": "信息形成或变更之日起3个工作日内",
    "extra": {"公开依据": "《中华人民共和国政府信息公开条例》", "公开对象（全社会）": "√"},
}


def _catalogue_fields(task: dict[str, object]) -> dict[str, object]:
    return {k: task[k] for k in FENGTUN_TASK}


def test_a_two_row_header_in_a_page(run: Run, tmp_path: Path) -> None:
    head = (
        "<tr><th rowspan=2>序号</th><th colspan=2>公开事项</th><th rowspan=2>公开内容(要素)</th>"
        "<th rowspan=2>公开依据</th><th rowspan=2>公开时限</th><th rowspan=2>公开主体</th>"
        "<th colspan=2>公开对象</th></tr>"
        "<tr><th>一级事项</th><th>二级事项</th><th>全社会</th><th>特定群众</th></tr>"
    )
    row = "<tr>" + "".join(f"<td>{c}</td>" for c in FENGTUN_ROW) + "</tr>"
    source = tmp_path / "catalogue.html"
    title = "<p>凤屯镇政府文件信息领域基层政务公开标准目录</p>"
    source.write_text(f"<html><body>{title}<table>{head}{row}</table>", "utf-8")
    tasks, notes = imported(run, tmp_path, source, "--year", "2023")
    assert _catalogue_fields(tasks[0]) == FENGTUN_TASK
    assert "第二行表头（一级事项、二级事项、全社会、特定群众）分在其上的表头之下" in notes


def test_a_two_row_header_in_a_workbook(run: Run, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (*FENGTUN_HEAD, FENGTUN_ROW):
        sheet.append([c or None for c in row])
    for span in ("A1:A2", "B1:C1", "D1:D2", "E1:E2", "F1:F2", "G1:G2", "H1:I1"):
        sheet.merge_cells(span)
    source = tmp_path / "catalogue.xlsx"
    book.save(source)
    tasks, _ = imported(run, tmp_path, source, "--year", "2023")
    assert _catalogue_fields(tasks[0]) == FENGTUN_TASK


def test_a_two_row_header_in_a_word_table(run: Run, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table = document.add_table(rows=3, cols=9)
    for r, row in enumerate((*FENGTUN_HEAD, FENGTUN_ROW)):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for column in (0, 3, 4, 5, 6):
        table.cell(0, column).merge(table.cell(1, column))
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 7).merge(table.cell(0, 8))
    source = tmp_path / "catalogue.docx"
    document.save(str(source))
    tasks, _ = imported(run, tmp_path, source, "--year", "2023")
    assert _catalogue_fields(tasks[0]) == FENGTUN_TASK
