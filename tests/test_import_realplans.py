"""Import real plans as people copy them from government pages (issue 22): captures from
../shared/realplans, kept in tests/fixtures/realplans, each with the fields a clerk reads from
the capture written here by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from conftest import FIXTURES, Run

REAL = FIXTURES / "realplans"


def imported(run: Run, tmp_path: Path, name: str) -> tuple[dict[str, Any], str]:
    """The plan file a capture imports to, and what import said; check passes on it."""
    out = tmp_path / "plan.yaml"
    result = run("import", str(REAL / name), "-o", str(out), "--today", "2026-12-02")
    assert result.exit_code == 0, result.output
    check = run("check", str(out))
    assert check.exit_code == 0, check.output
    return yaml.safe_load(out.read_text(encoding="utf-8")), result.stderr


def fields(task: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(task.get(k) for k in keys)


def test_pipe_rows_with_a_spanning_header_and_rows_short_of_merged_cells(run: Run, tmp_path: Path) -> None:
    """工作任务 spans 一级 | 二级 | 序号; later rows lack the merged 一级/二级 cells; the 责任单位
    cell says who leads; 市政府各有关部门 is one group."""
    plan, notes = imported(run, tmp_path, "05-jingzhou-2022.txt")
    first, second = plan["tasks"][:2]
    assert fields(first, "id", "category", "subcategory", "responsible", "deadline") == (
        1,
        "一、以公开助力经济平稳健康发展。",
        "(一)加强涉及市场主体的信息公开。",
        ["市政府各有关部门", "各县市区人民政府", "功能区管委会"],
        "持续推进",
    )
    assert first["title"].startswith("进一步增强政策文件制定实施的透明度与可预期性")
    assert fields(second, "id", "category", "subcategory") == (2, first["category"], first["subcategory"])
    assert plan["tasks"][2]["lead"] == ["市发展改革委"]
    assert plan["year"] == 2022 and plan["title"].endswith("2022年政务公开任务分解责任清单")
    assert "表头 4 列，数据 6 列，按内容对齐；另取出 二级任务、序号" in notes
    assert "这一行有 4 个单元格，表格有 6 列，按内容对齐；工作任务、二级任务沿用上一行" in notes


def test_a_traditional_catalogue_with_a_second_header_row(run: Run, tmp_path: Path) -> None:
    plan, notes = imported(run, tmp_path, "45-sanjiao-town-catalogue.txt")
    assert [fields(t, "id", "category", "subcategory", "responsible") for t in plan["tasks"][:3]] == [
        (1, "机构介绍", "机构设置", ["党政综合办公室"]),
        (2, "机构介绍", "领导分工", ["党建工作办公室", "党政综合办公室"]),
        (3, "政府信息公开", "公开指南", ["党政综合办公室"]),
    ]
    assert plan["tasks"][1]["title"] == "领导简介、个人分工等。"
    assert "deadline" not in plan["tasks"][0]  # the table has no deadline column
    assert "原文为繁体字，已转换为简体字" in notes and "第二行表头（一级、二级）" in notes


def test_a_list_plan_with_role_lines(run: Run, tmp_path: Path) -> None:
    plan, notes = imported(run, tmp_path, "37-lishan-2023-list.txt")
    assert [fields(t, "id", "lead", "responsible") for t in plan["tasks"][:3]] == [
        (1, ["区发改局"], ["立山经济开发区", "全区经济运行各专班"]),
        (2, ["区工信局"], ["立山经济开发区"]),
        (3, ["区发改局"], ["立山经济开发区", "各街道", "区直各部门"]),
    ]
    assert plan["tasks"][0]["title"] == "努力实现地区生产总值增长6.2%左右。"
    assert plan["tasks"][0]["category"] == "一、经济社会发展的主要预期目标"
    assert plan["year"] == 2023 and "没有表格：按条目读出" in notes


def test_a_list_plan_with_leaders_and_a_group_written_with_commas(run: Run, tmp_path: Path) -> None:
    """各县、市、区政府 is one group (never 市 as a unit that then splits 市发展改革委)."""
    plan, _ = imported(run, tmp_path, "38-chuzhou-2020-list.txt")
    task = plan["tasks"][0]
    assert task["lead"] == ["市发展改革委"]
    assert task["cooperating"][-3:] == ["滁州经开区管委会", "中新苏滁高新区管委会", "各县、市、区政府"]
    assert task["extra"] == {"牵头负责领导": "金力"}


def test_roles_and_deadline_in_a_parenthesis(run: Run, tmp_path: Path) -> None:
    plan, _ = imported(run, tmp_path, "40-xiangxi-2020-inline.txt")
    task = plan["tasks"][0]
    assert fields(task, "lead", "deadline") == (["州行政审批服务局"], "6月底完成")
    assert task["responsible"] == ["州司法局", "州委编办及州直相关单位", "各县市人民政府", "湘西经开区管委会"]
    assert task["title"].startswith("加大简政放权力度。") and task["title"].endswith("“一枚印章管审批”。")
    assert plan["title"] == "湘西自治州2020年深化“放管服”改革优化营商环境工作计划"


def test_xia_tong_carries_units_to_the_items_after_it(run: Run, tmp_path: Path) -> None:
    plan, _ = imported(run, tmp_path, "46-sichuan-2022-liutong-inline.txt")
    units = ["省发展改革委", "省市场监管局", "商务厅", "省大数据中心"]
    assert [t["responsible"] for t in plan["tasks"]] == [units, ["省市场监管局"], units]


def test_a_cover_notice_without_its_table_says_where_the_table_is(run: Run, tmp_path: Path) -> None:
    result = run("import", str(REAL / "15-ewenke-2022.txt"), "-o", str(tmp_path / "p.yaml"))
    assert result.exit_code == 4
    assert "若这是通知正文，任务表多在附件中，请导入附件" in result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_an_unreadable_deadline_is_kept_and_listed_by_check(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    source.write_text(
        "2021年工作任务分工\n序号 | 工作任务 | 具体任务 | 责任单位 | 完成时间 |\n"
        "1 | 一、公开 | 公开预算 | 区财政局 | 9月投入使用待定 |\n"
        "2 | 一、公开 | 公开决算 | 区财政局 | 年底前 |\n",
        encoding="utf-8",
    )
    out = tmp_path / "t.yaml"
    result = run("import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "警告：行 3：完成时间“9月投入使用待定”无法识别" in result.stderr
    assert "年份推定为 2021（标题“2021年工作任务分工”）" in result.stderr
    check = run("check", str(out))
    assert check.exit_code == 0 and "任务 1 的完成时间“9月投入使用待定”无法识别" in check.stderr
    listed = run("overdue", "-f", str(out), "--today", "2022-03-01", "--format", "csv")
    assert [line.split(",")[0] for line in listed.stdout.splitlines()[1:]] == ["2"]  # 1 has no fixed date
