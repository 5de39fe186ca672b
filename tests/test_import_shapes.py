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
        "单位组“各县（市、区）政府”：按类别 （无） 包含单位，成员未列出",
    ):
        assert note in notes


def test_catalogue_with_extra_columns_and_a_default_unit(run: Run, tmp_path: Path) -> None:
    tasks, notes = imported(
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
    assert "行 3：没有工作任务（类别），记为“（未分类）”" in notes
    plan = (tmp_path / "catalogue.yaml").read_text(encoding="utf-8")
    assert "columns: {title: 公开事项, deadline: 公开时限}" in plan


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
    assert result.stderr.count("\n") == 30 and "columns:" not in out.read_text(encoding="utf-8")
    assert (
        io.StringIO(result.stderr).readline()
        == "行 28：“区教育局市公安局屯留分局”拆分为 区教育局、市公安局屯留分局\n"
    )
