"""Plans of other shapes (issue 13): lead and cooperating roles, the document's own column
names, two category levels, extra columns, a task with no unit. The fixtures were written for
these tests in the shapes real tables have."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

Copy = Callable[[str], Path]


def _json(run: Run, *args: str) -> list[dict[str, object]]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_every_role_matches_a_unit(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("lead_cooperating.yaml")
    # What 区司法局 owes: nothing here, it only cooperates; --role all (or 配合) shows its part.
    assert _json(run, "list", "-f", str(plan), "--today", "2022-07-01", "--unit", "区司法局") == []
    data = _json(run, "list", "-f", str(plan), "--today", "2022-07-01", "--unit", "区司法局", "--role", "all")
    assert [t["id"] for t in data] == [1, 2, 3]
    helped = _json(run, "list", "-f", str(plan), "--today", "2022-07-01", "-u", "区司法局", "--role", "配合")
    assert helped == data
    assert data[0]["matched_as"] == [{"role": "cooperating", "via": "direct", "through": None}]
    assert data[2]["matched_as"] == [{"role": "cooperating", "via": "ref", "through": "同（1）"}]
    led = _json(run, "list", "-f", str(plan), "--today", "2022-07-01", "--unit", "区发改局", "--role", "lead")
    assert [t["id"] for t in led] == [2]
    assert (
        _json(
            run, "list", "-f", str(plan), "--today", "2022-07-01", "-u", "区发改局", "--role", "cooperating"
        )
        == []
    )


def test_task_json_has_the_new_keys(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("lead_cooperating.yaml")
    task = json.loads(run("show", "3", "-f", str(plan), "--format", "json", "--today", "2022-07-01").stdout)
    assert task["lead"] == ["区政府办公室"]
    assert task["cooperating"] == ["区司法局", "区财政局"]  # 同（1） resolved in its own role
    assert task["responsible"] == [] and task["supervising"] == []
    assert task["subcategory"] is None and task["extra"] == {}
    first = json.loads(run("show", "1", "-f", str(plan), "--format", "json", "--today", "2022-07-01").stdout)
    assert first["subcategory"] == "（一）稳定市场预期"


def test_progress_is_tracked_for_lead_and_responsible(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("lead_cooperating.yaml")
    overdue = _json(run, "overdue", "-f", str(plan), "--today", "2022-10-08")
    assert [t["id"] for t in overdue] == [1, 2]  # most overdue first
    assert overdue[1]["progress"] == {
        "done": 0,
        "total": 3,
        "outstanding": ["区发改局", "甲镇人民政府", "乙镇人民政府"],
    }
    result = run("done", "2", "-u", "区司法局", "-f", str(plan), "--today", "2022-10-08")
    assert result.exit_code == 5 and "不是任务 2 的牵头或主体责任单位" in result.stderr  # cooperating only
    for unit in ("区发改局", "甲镇人民政府", "乙镇人民政府"):
        assert (
            run(
                "done", "2", "-u", unit, "--on", "2022-09-20", "-f", str(plan), "--today", "2022-10-08"
            ).exit_code
            == 0
        )
    done = json.loads(run("show", "2", "-f", str(plan), "--format", "json", "--today", "2022-10-08").stdout)
    assert (done["status"], done["done_on"]) == ("done", "2022-09-20")


def test_report_and_units_count_every_role(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("lead_cooperating.yaml")
    lines = {ln["name"]: ln for ln in _json(run, "report", "-f", str(plan), "--today", "2022-10-08")}
    assert lines["区发改局"]["overdue"] == 1 and lines["区政务服务局"]["overdue"] == 1
    assert "区司法局" not in lines  # it only cooperates: nothing of its own to report
    units = {u["name"]: u for u in _json(run, "units", "-f", str(plan), "--today", "2022-10-08")}
    assert (units["区司法局"]["cooperating"], units["区司法局"]["open"]) == (3, 0)
    assert (units["区发改局"]["lead"], units["区发改局"]["open"], units["区发改局"]["overdue"]) == (1, 1, 1)


def test_tables_use_the_plans_own_column_names(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("lead_cooperating.yaml")
    table = run("list", "-f", str(plan), "--today", "2022-07-01", env={"COLUMNS": "300"}).stdout
    header = table.splitlines()[1]
    assert [h.strip() for h in header.split("|")[1:-1]] == [
        "序号",
        "重点任务",
        "二级任务",
        "具体任务",
        "牵头单位",
        "主体责任单位",
        "配合单位",
        "完成时限",
        "状态",
        "进度",
    ]
    department = fixture_plan("department.yaml")
    header = run(
        "list", "-f", str(department), "--today", "2021-07-01", env={"COLUMNS": "300"}
    ).stdout.splitlines()[1]
    assert [h.strip() for h in header.split("|")[1:-1]] == [
        "序号",
        "工作任务",
        "具体要求",
        "责任科室",
        "时限要求",
        "状态",
        "进度",
    ]
    shown = run("show", "3", "-f", str(department), "--today", "2021-07-01").stdout
    assert "具体要求：规范答复程序\n责任科室：法规科、办公室\n时限要求：2021年6月底前\n" in shown


def test_extra_columns_are_kept_shown_exported_and_searched(
    run: Run, fixture_plan: Copy, tmp_path: Path
) -> None:
    plan = fixture_plan("catalogue.yaml")
    shown = run("show", "1", "-f", str(plan), "--today", "2023-01-01").stdout
    assert "公开依据：《中华人民共和国预算法》\n公开渠道：政府网站、公开栏\n" in shown
    task = json.loads(run("show", "1", "-f", str(plan), "--format", "json", "--today", "2023-01-01").stdout)
    assert task["extra"] == {"公开依据": "《中华人民共和国预算法》", "公开渠道": "政府网站、公开栏"}
    rows = list(
        csv.DictReader(
            io.StringIO(run("list", "-f", str(plan), "--today", "2023-01-01", "--format", "csv").stdout)
        )
    )
    assert rows[0]["extra"] == "公开依据：《中华人民共和国预算法》；公开渠道：政府网站、公开栏"
    openpyxl = pytest.importorskip("openpyxl")
    assert run("export", str(tmp_path / "x.xlsx"), "-f", str(plan), "--today", "2023-01-01").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["任务"]
    headers = [c.value for c in sheet[1]]
    assert headers == [
        "序号",
        "工作任务",
        "公开事项",
        "公开主体",
        "公开时限",
        "状态",
        "完成日期",
        "备注",
        "公开依据",
        "公开渠道",
    ]
    assert [c.value for c in sheet[3]][-2:] == [None, "村务公开栏"]


def test_search_finds_extra_columns(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("catalogue.yaml")
    found = _json(run, "list", "-f", str(plan), "--today", "2023-01-01", "--search", "预算法")
    assert [t["id"] for t in found] == [1]


def test_a_task_without_units_is_a_warning_and_works(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("catalogue.yaml")
    result = run("check", str(plan))
    assert result.exit_code == 0
    assert f"{plan}:21: 警告：任务 3 没有写任何单位" in result.stderr
    overdue = _json(run, "overdue", "-f", str(plan), "--today", "2024-01-02")
    assert [t["id"] for t in overdue] == [1, 3]
    assert overdue[1]["progress"] == {"done": 0, "total": 0, "outstanding": []}
    assert run("done", "3", "-f", str(plan), "--today", "2024-01-02").exit_code == 0


def test_a_column_name_for_an_unknown_key_is_an_error(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "title: t\ncolumns: {owner: 责任人}\ntasks:\n"
        "  - {id: 1, category: 甲, title: 乙, responsible: [丙], deadline: 2020年7月}\n",
        encoding="utf-8",
    )
    result = run("check", str(plan))
    assert result.exit_code == 4 and f"{plan}:2: columns 中的“owner”不是任务的键" in result.stderr


def test_every_shape_works_with_every_command(run: Run, fixture_plan: Copy, tmp_path: Path) -> None:
    for name, today in (
        ("lead_cooperating.yaml", "2022-10-08"),
        ("department.yaml", "2021-12-01"),
        ("catalogue.yaml", "2023-06-01"),
        ("recurring.yaml", "2023-04-25"),
    ):
        plan = fixture_plan(name)
        for args in (
            ("list",),
            ("overdue",),
            ("due", "--within", "60"),
            ("report",),
            ("units",),
            ("timeline",),
            ("summary",),
            ("show", "1"),
            ("list", "--format", "csv"),
            ("overdue", "--format", "csv"),
        ):
            result = run(*args, "-f", str(plan), "--today", today)
            assert result.exit_code == 0, (name, args, result.output)
        for suffix in (".xlsx", ".html", ".csv", ".json", ".md", ".ics"):
            target = tmp_path / f"{name}{suffix}"
            assert run("export", str(target), "-f", str(plan), "--today", today).exit_code == 0, (
                name,
                suffix,
            )


def test_report_by_category_uses_the_plans_name(run: Run, fixture_plan: Copy) -> None:
    plan = fixture_plan("lead_cooperating.yaml")
    args = ("report", "-f", str(plan), "--by", "category", "--format", "markdown", "--today", "2022-10-01")
    assert run(*args).stdout.startswith("| 重点任务 | 任务 |")


@pytest.mark.parametrize("command", ["list", "overdue"])
def test_the_tasks_a_unit_only_supervises_or_cooperates_in_are_counted_apart(
    run: Run, plan: Path, command: str
) -> None:
    """What a unit owes is one answer; the tasks it only supervises or cooperates in are said
    apart, on stderr, as many as --role all adds (nothing is said when a role is asked for)."""
    from zwgk_cli.render.text import other_roles

    def shown(*args: str) -> tuple[int, str]:
        result = run(command, "-f", str(plan), "--today", "2020-08-01", "--format", "json", *args)
        assert result.exit_code == 0
        return len(json.loads(result.stdout)), result.stderr

    owed, said = shown("--unit", "区司法局")
    every, said_all = shown("--unit", "区司法局", "--role", "all")
    assert every > owed and said == other_roles("区司法局", every - owed) + "\n"
    assert said_all == "" and shown("--unit", "区司法局", "--role", "supervising")[1] == ""
    assert shown()[1] == ""


@pytest.mark.parametrize("name", ["lead_cooperating.yaml", "schedule.yaml"])
def test_the_tasks_of_the_tracked_roles_alone_are_those_of_every_role(name: str, fixture_plan: Copy) -> None:
    """``unit_tasks(…, TRACKED_ROLES)`` (what report, remind and score ask for) gives each unit
    the same tasks it leads or does as the whole reading, and leaves the other roles empty."""
    from conftest import ROOT
    from zwgk_cli.plan.model import ROLES, TRACKED_ROLES
    from zwgk_cli.storage import store
    from zwgk_cli.storage.document import Location
    from zwgk_cli.tracking.query import unit_tasks

    path = fixture_plan(name) if name != "schedule.yaml" else ROOT / "data" / "schedule.yaml"
    schedule = store.read_schedule(Location(path))
    every = {u.name: u for u in unit_tasks(schedule)}
    tracked = {u.name: u for u in unit_tasks(schedule, TRACKED_ROLES)}
    assert {n for n, u in every.items() if u.tracks} == {n for n, u in tracked.items() if u.tracks}
    assert any(u.cooperating or u.supervising for u in every.values())  # roles left out
    for name, unit in tracked.items():
        assert unit.tracked == every[name].tracked
        assert [unit.by_role[r] for r in ROLES if r not in TRACKED_ROLES] == [(), ()]
    doing = {u.name: u.by_role for u in unit_tasks(schedule, ("responsible",)) if u.tracks}
    assert doing and all(roles["lead"] == () for roles in doing.values())
