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


def test_one_cell_per_line_with_bar_lines_ending_rows(run: Run, tmp_path: Path) -> None:
    """Each cell ends with ` |`, a line of bars ends a row; a section row above; the deadline
    only in 备注; the capture is cut inside the second row."""
    plan, notes = imported(run, tmp_path, "04-xuancheng-wenlv-2022.txt")
    first, second = plan["tasks"]
    assert fields(first, "id", "category", "subcategory", "responsible", "deadline") == (
        1,
        "一、年底前专项工作任务",
        "1.行政规范性文件集中公开",
        ["市政府各部门", "各直属机构", "各县市区政府"],
        "11月底前完成",
    )
    assert first["title"].startswith("1.开展本地本部门行政规范性文件清理")
    assert first["extra"] == {"完成情况": "推进中"}
    # The cut row keeps what it has and owes nobody: units are never carried into it.
    assert fields(second, "id", "subcategory", "responsible") == (2, "2.基层政务公开提升", None)
    assert "最后一行不完整（复制的内容在此截断）" in notes
    assert plan["year"] == 2022 and plan["title"] == "2022年11—12月政务公开重点工作任务清单"


def test_one_cell_per_line_between_bar_lines(run: Run, tmp_path: Path) -> None:
    """Cells between lone `|` lines, each row starting with an empty cell; 工作任务 merged."""
    plan, _ = imported(run, tmp_path, "32-qiaocheng-town-gongkai.txt")
    tasks = plan["tasks"]
    assert len(tasks) == 9
    assert [fields(t, "category", "responsible") for t in tasks[:4]] == [
        ("推进政策公开", ["财政所", "便民综合服务中心", "土管所"]),
        ("推进政策公开", ["便民综合服务中心"]),
        ("推进政策公开", ["民政办公室", "卫生院"]),
        ("强化权力配置信息公开", ["党政办公室"]),
    ]
    assert tasks[1]["title"].startswith("积极探索特定群体的线下公开渠道")
    assert all("deadline" not in t for t in tasks)


def test_one_cell_per_line_with_a_two_row_header_and_tick_columns(run: Run, tmp_path: Path) -> None:
    """序号 counts the rows; 公开事项 spans 一级事项 | 二级事项 and the tick columns their options."""
    plan, notes = imported(run, tmp_path, "11-fengtun-town.txt")
    first = plan["tasks"][0]
    assert fields(first, "id", "category", "subcategory", "title", "responsible", "deadline") == (
        1,
        "政府文件",
        "政府文件",
        "政府文件。",
        ["镇人民政府"],
        "信息形成或变更之日起3个工作日内",
    )
    assert first["extra"]["公开对象（全社会）"] == "√" and "公开对象（特定群众）" not in first["extra"]
    assert first["extra"]["公开层级（镇级）"] == "√"
    assert first["extra"]["公开渠道和载体"] == "■政府网站 ■单位/村委会公示栏(电子屏)"
    assert [t["subcategory"] for t in plan["tasks"]] == ["政府文件", "乡镇简介", "政府工作报告"]
    said = "第二行表头（一级事项、二级事项、全社会、特定群众、主动、依申请公开、镇级、村级）"
    assert said + "分在其上的表头之下" in notes


def test_one_cell_per_line_between_blank_lines(run: Run, tmp_path: Path) -> None:
    """Cells between blank lines, an empty cell a line of spaces, a cell over two lines."""
    plan, _ = imported(run, tmp_path, "44-fuxing-town-2023-catalogue.txt")
    first = plan["tasks"][0]
    assert fields(first, "id", "category", "subcategory", "title", "responsible") == (
        1,
        "财务信息",
        "财务信息",
        "财务管理及监督办法、年度经费预决算信息、收费项目及收费标准",
        ["区级教育部门"],
    )
    assert plan["tasks"][1]["subcategory"] == "学校介绍"


def test_pipe_rows_continued_on_lines_without_a_number(run: Run, tmp_path: Path) -> None:
    """`【联系方式】 | ||||||` is one more paragraph of the 内容标准 cell above; a row broken after
    its fourth cell goes on on the next line."""
    plan, notes = imported(run, tmp_path, "07-mentougou-2024.txt")
    tasks = {t["id"]: t for t in plan["tasks"]}
    assert tasks[1]["extra"]["内容标准"] == "【机构名称】【联系方式】【咨询服务】【监督投诉】"
    assert tasks[3]["deadline"] == "信息形成或者变更之日起20个工作日内"
    assert tasks[7]["deadline"] == "按年公开"
    assert tasks[9]["deadline"] == "部门预算经本级财政部门批复后20日内公开"
    assert "行 8：这一行没有序号，接在上一行之后（复制时一行被断开）" in notes


def test_rows_that_cannot_be_rebuilt_are_refused_not_guessed(run: Run, tmp_path: Path) -> None:
    for name in ("13-zhangdian-rongmei-2022.txt", "31-luozhuang-catalogue-2021.txt"):
        result = run("import", str(REAL / name), "-o", str(tmp_path / "p.yaml"))
        assert result.exit_code == 4 and "无法还原各行" in result.stderr, name
        assert not (tmp_path / "p.yaml").exists()
    header_only = run("import", str(REAL / "35-shiquan-2021-header-only.txt"), "-o", str(tmp_path / "p.yaml"))
    assert header_only.exit_code == 4 and "表格只有表头，没有任务行" in header_only.stderr


def test_a_table_whose_cells_did_not_survive_the_copy_says_so(run: Run, tmp_path: Path) -> None:
    result = run("import", str(REAL / "34-jimei-2021-empty-cells.txt"), "-o", str(tmp_path / "p.yaml"))
    assert result.exit_code == 4
    assert "表格有表头（工作任务、工作要求、牵头单位、责任单位），但表中没有任务" in result.stderr
    assert "一、紧扣“十四五”开好局起好步,进一步深化政务公开" in result.stderr
    assert "网页上表格的文字可能没有复制下来" in result.stderr


def test_columns_taken_as_the_user_says(run: Run, tmp_path: Path) -> None:
    """门头沟's 公开标准: each row's item is its 信息类别, under its 业务事项; the import says how it
    read each column, and --columns corrects it."""
    out = tmp_path / "p.yaml"
    options = ("--columns", "信息类别=title,业务事项=category,具体职责=extra")
    result = run("import", str(REAL / "07-mentougou-2024.txt"), "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "各列的读法：序号→序号，具体职责→其他列，业务事项→工作任务，信息类别→具体任务，内容标准→其他列，"
        "公开时限→完成时间，公开形式→其他列（可用 --columns 列名=用途 改正）\n"
    )
    tasks = yaml.safe_load(out.read_text(encoding="utf-8"))["tasks"]
    assert [fields(t, "category", "title") for t in tasks[:3]] == [
        ("政务公开", "基本信息"),
        ("政务公开", "法定职责"),
        ("政务公开", "领导简历"),
    ]
    assert tasks[0]["extra"]["具体职责"].startswith("负责信息、信访、建议")


def test_columns_that_cannot_be_taken_are_named(run: Run, tmp_path: Path) -> None:
    source = str(REAL / "07-mentougou-2024.txt")
    missing = run("import", source, "--columns", "任务=title")
    assert missing.exit_code == 4
    assert "--columns：表头中没有“任务”一列（表头各列：序号、具体职责、业务事项、信息类别" in missing.stderr
    unknown = run("import", source, "--columns", "业务事项=foo")
    assert unknown.exit_code == 4 and "“业务事项=foo”无法理解" in unknown.stderr
    no_task = run("import", source, "--columns", "业务事项=skip")
    assert no_task.exit_code == 4 and "没有具体任务一列" in no_task.stderr
    in_chinese = run("import", source, "--columns", "信息类别=具体任务,业务事项=不导入")
    assert in_chinese.exit_code == 0, in_chinese.output
    plan = yaml.safe_load(in_chinese.stdout)
    assert plan["tasks"][1]["title"] == "法定职责" and "业务事项" not in str(plan["tasks"][1])


def test_an_imported_plan_is_set_up_like_init_and_says_what_it_still_needs(run: Run, tmp_path: Path) -> None:
    """Verification on, the issuing office and date from the notice, and a closing list: the
    events to record, the groups without members."""
    plan, _ = imported(run, tmp_path, "37-lishan-2023-list.txt")
    assert plan["verification"] is True
    assert (plan["office"], str(plan["issued"])) == ("立山区人民政府", "2023-03-28")
    out = tmp_path / "c.yaml"
    catalogue = run("import", str(REAL / "11-fengtun-town.txt"), "-o", str(out))
    assert catalogue.exit_code == 0
    assert catalogue.stderr.splitlines()[-4:-1] == [
        "还需要您处理：",
        "  · 从事件起算的任务 3 项（序号 1、2、3，如“信息形成或变更之日起3个工作日内”）："
        "事件发生后运行 zwgk event 1 --on 事件日期，才开始计算期限",
        "  · 催办通知和通报中的联系人和联系电话：请在计划中填写 contact 和 phone"
        "（或导入时加 --contact、--phone）",
    ]
    assert "office:" not in out.read_text(encoding="utf-8")  # the capture shows no office


def test_the_office_is_the_signature_above_the_date_or_the_page_publisher() -> None:
    from zwgk_cli.intake.identity import notice_office

    signed = ["关于印发《2021年工作要点》的通知", "各单位：", "现印发给你们。"]
    signed += ["石泉县人民政府办公室", "2021年4月23日"]
    assert notice_office(signed) == "石泉县人民政府办公室"
    page = ["发布机构: | 宣城市文化和旅游局(宣城市广播电视新闻出版局) | 主题分类: | 商贸 |"]
    assert notice_office(page) == "宣城市文化和旅游局"
    assert notice_office(["长河区人民政府办公室", "关于…的通知"]) == "长河区人民政府办公室"
    assert notice_office(["各单位：", "请认真落实。", "2021年4月23日"]) is None  # a paragraph is no office


def test_a_box_drawing_table_with_cells_beside_several_cells(run: Run, tmp_path: Path) -> None:
    """运城's 2000s table in box-drawing characters: every cell wraps over lines; 分管领导 and
    完成时限 stand beside every row; the 牵头 column changes halfway down a heading's △ items;
    the heading lines are the △ items' category."""
    out = tmp_path / "p.yaml"
    result = run("import", str(REAL / "43-boxdrawing-task-table.txt"), "-o", str(out), "--year", "2005")
    assert result.exit_code == 0, result.output
    tasks = yaml.safe_load(out.read_text(encoding="utf-8"))["tasks"]
    assert [fields(t, "category", "deadline") for t in tasks] == [
        ("抓好财税金融工作,增强发展保障能力", "年内见成效"),
        ("抓好财税金融工作,增强发展保障能力", "年内见成效"),
        ("坚持优先发展教育,提高全民素质", "年内见成效"),
    ]
    assert tasks[0]["title"].startswith("△进一步调整财政支出结构") and tasks[0]["title"].endswith(
        "方面的投入"
    )
    assert tasks[0]["lead"] == [
        "各县(市、区)政府",
        "市财政局",
        "国家税务局",
        "地方税务局",
        "金融办",
        "人民银行",
        "银监局",
    ]
    assert tasks[1]["lead"] == ["各县(市、区)政府", "市财政局", "教育局"]
    assert all(t["extra"] == {"分管领导": "梁志强"} for t in tasks)


def test_one_unit_list_under_several_items(run: Run, tmp_path: Path) -> None:
    """运城's 责任分解: an item's points (1)…(4), then one (责任单位：…) line for the item."""
    plan, _ = imported(run, tmp_path, "42-yuncheng-2017-inline.txt")
    first = plan["tasks"][0]
    assert fields(first, "id", "subcategory", "title", "responsible") == (
        1,
        "(一)“一案三制”建设",
        "完善应急预案体系",
        ["市直各有关单位", "各县(市、区)人民政府", "各开发区管委会"],
    )
    assert first["note"].startswith("(1)加强应急预案管理") and first["note"].count("\n") == 3
