"""The real app end to end: output, exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, Run, told_as_user_error, write_plan
from zwgk_cli.cli import app

OVERDUE_ON_AUG_1 = [10, 25, 1, 2, 3, 4, 5, 6, 16, 24]


def tasks_json(run: Run, *args: str, **kwargs: object) -> list[dict[str, object]]:
    result = run(*args, "--format", "json", **kwargs)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"zwgk \d+\.\d+\.\d+\n", result.stdout)


def test_overdue_on_first_of_august(run: Run, plan: Path) -> None:
    data = tasks_json(run, "overdue", "--file", str(plan), "--today", TODAY)
    assert [t["id"] for t in data] == OVERDUE_ON_AUG_1
    assert data[0]["days_overdue"] == 22 and data[1]["days_overdue"] == 12 and data[-1]["days_overdue"] == 1


def test_nothing_overdue_on_last_day_of_july_but_task_10(run: Run, plan: Path) -> None:
    data = tasks_json(run, "overdue", "--file", str(plan), "--today", "2020-07-31")
    assert [t["id"] for t in data] == [10, 25]


def test_overdue_exit_code(run: Run, plan: Path) -> None:
    assert run("overdue", "-f", str(plan), "--today", TODAY, "--exit-code").exit_code == 1
    assert run("overdue", "-f", str(plan), "--today", "2020-07-05", "--exit-code").exit_code == 0


def test_overdue_table(run: Run, plan: Path) -> None:
    result = run("overdue", "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 0, result.output
    for header in ("序号", "工作任务", "具体任务", "主体责任单位", "主管单位", "完成时间"):
        assert header in result.stdout
    assert "逾期 22 天" in result.stdout
    assert "逾期任务 10 项（截至 2020-08-01）" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_json_keys_are_stable(run: Run, plan: Path) -> None:
    data = tasks_json(run, "list", "--file", str(plan), "--today", TODAY)
    assert len(data) == 25
    assert list(data[3]) == [
        "id",
        "category",
        "title",
        "responsible",
        "supervising",
        "deadline",
        "due_start",
        "due_end",
        "status",
        "done_on",
        "note",
        "overdue",
        "days_overdue",
        "progress",
        "matched_as",
        "subcategory",
        "lead",
        "cooperating",
        "extra",
        "kind",
        "rule",
        "period",
        "periods",
        "events",
        "reports",
        "verified",
        "plan",
        "region",
    ]
    assert (data[3]["plan"], data[3]["region"]) == ("schedule", "屯留区")
    task4 = data[3]
    assert task4["supervising"][:2] == ["区政府办公室", "区直各有关部门"]
    assert "区司法局" in task4["supervising"]  # 同（3） resolved
    assert not any("同" in s for s in task4["supervising"])
    assert (task4["due_start"], task4["due_end"]) == ("2020-07-21", "2020-07-31")
    assert task4["matched_as"] is None  # listed without --unit: matched by nothing (not an empty list)


def test_csv(run: Run, plan: Path) -> None:
    result = run(
        "list", "--file", str(plan), "--today", TODAY, "--format", "csv", "--category", "政务舆情回应"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,category,title,responsible,supervising,deadline,due_start,due_end,status")
    assert lines[1].startswith(
        "24,政务舆情回应,明确政务舆情回应责任主体,各级各部门,区政府办公室,2020年7月下旬,"
    )
    assert len(lines) == 3


def test_csv_cells_read_as_a_clerk_reads_them(run: Run, plan: Path, tmp_path: Path) -> None:
    """Lists joined with 、, records with ；, true/false, how a unit matched (its group, 同（N）)."""
    args = ("list", "--file", str(plan), "--today", TODAY, "--unit", "区司法局", "--role", "all")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout))}
    assert (rows["3"]["matched_as"], rows["4"]["matched_as"]) == ("direct", "区直各有关部门、同（3）")
    assert (rows["5"]["overdue"], rows["8"]["overdue"]) == ("true", "false")
    assert rows["5"]["supervising"] == "区行政审批管理局、区司法局"
    duty = {"id": 1, "deadline": "每季度首月20日前", "responsible": ["甲", "乙"]}
    duty["periods"] = [
        {"period": "2023Q1", "done_on": "2023-01-10"},
        {"period": "2023Q2", "unit": "甲", "done_on": "2023-04-10"},
    ]
    duties = write_plan(tmp_path / "d.yaml", [duty], period="2023年")
    listed = run("list", "--file", str(duties), "--today", "2023-05-01", "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(listed.stdout))
    assert row["periods"] == "2023Q1 2023-01-10；2023Q2 2023-04-10 甲"


def test_list_unit_names_the_unit(run: Run, plan: Path) -> None:
    args = ("list", "--file", str(plan), "--today", TODAY, "--unit", "区司法局", "--direct")
    data = tasks_json(run, *args, "--role", "all")
    assert [t["id"] for t in data] == [3, 4, 5, 8]
    via = {t["id"]: [m["via"] for m in t["matched_as"]] for t in data}
    assert via == {3: ["direct"], 4: ["ref"], 5: ["direct"], 8: ["ref"]}


def test_list_filters_combine(run: Run, plan: Path) -> None:
    args = ("list", "--file", str(plan), "--today", TODAY)
    assert [t["id"] for t in tasks_json(run, *args, "--status", "overdue", "--category", "组织实施")] == [
        1,
        2,
        3,
    ]
    ids = [t["id"] for t in tasks_json(run, *args, "--due-after", "2020-12-01", "--due-before", "2020-12-31")]
    assert ids == [15, 20, 22]
    assert [t["id"] for t in tasks_json(run, *args, "--search", "舆情")] == [24, 25]
    assert [
        t["id"]
        for t in tasks_json(run, *args, "--unit", "区政府信息中心", "--role", "responsible", "--direct")
    ] == [12, 23]


def test_unknown_unit_suggests(run: Run, plan: Path) -> None:
    result = run("list", "--file", str(plan), "--unit", "区司法所")
    told_as_user_error(result, 5)
    assert "没有单位“区司法所”" in result.stderr and "区司法局" in result.stderr


def test_show(run: Run, plan: Path) -> None:
    result = run("show", "12", "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "具体任务：政府网站醒目位置设置政府信息公开专栏" in result.stdout
    assert "完成时间：2020年10月中旬" in result.stdout
    data = json.loads(run("show", "12", "--file", str(plan), "--format", "json", "--today", TODAY).stdout)
    assert data["id"] == 12 and data["responsible"] == ["区政府信息中心"]


def test_show_unknown_id(run: Run, plan: Path) -> None:
    result = run("show", "99", "--file", str(plan))
    assert result.exit_code == 5
    assert "没有序号为 99 的任务" in result.stderr


def test_done_changes_only_that_task(run: Run, plan: Path) -> None:
    before = plan.read_text(encoding="utf-8").splitlines()
    result = run("done", "7", "--file", str(plan), "--today", "2020-08-25", "--note", "已印发")
    assert result.exit_code == 0, result.output
    assert "已将任务 7 标记为完成（2020-08-25）" in result.stderr
    assert result.stdout == ""
    after = plan.read_text(encoding="utf-8").splitlines()
    start = before.index("  - id: 7")
    assert after[:start] == before[:start]
    assert after[start : start + 6] == before[start : start + 6]
    assert after[start + 6 : start + 9] == ["    status: done", "    done_on: 2020-08-25", "    note: 已印发"]
    assert after[start + 9 :] == before[start + 7 :]
    data = json.loads(
        run("show", "7", "--file", str(plan), "--format", "json", "--today", "2020-09-01").stdout
    )
    assert (data["status"], data["done_on"], data["note"], data["overdue"]) == (
        "done",
        "2020-08-25",
        "已印发",
        False,
    )


def test_done_twice_changes_nothing(run: Run, plan: Path) -> None:
    assert run("done", "7", "-f", str(plan), "--today", "2020-08-25").exit_code == 0
    content = plan.read_bytes()
    result = run("done", "7", "-f", str(plan), "--today", "2020-09-25")
    assert result.exit_code == 0
    assert "已于 2020-08-25 完成，未作改动" in result.stderr
    assert plan.read_bytes() == content


def test_reopen_restores_the_file(run: Run, plan: Path) -> None:
    original = plan.read_bytes()
    assert run("done", "9", "-f", str(plan), "--on", "2020-10-15", "--today", "2020-10-20").exit_code == 0
    assert plan.read_bytes() != original
    result = run("reopen", "9", "-f", str(plan))
    assert result.exit_code == 0, result.output
    assert plan.read_bytes() == original


@pytest.mark.parametrize(
    ("on", "fragment"),
    [("2020-08-30", "不能在将来"), ("2019-01-01", "早于计划开始"), ("2020/08/32", "不是有效日期")],
)
def test_done_rejects_bad_dates(run: Run, plan: Path, on: str, fragment: str) -> None:
    original = plan.read_bytes()
    result = run("done", "1", "-f", str(plan), "--on", on, "--today", "2020-08-25")
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert plan.read_bytes() == original


def test_bad_today(run: Run, plan: Path) -> None:
    result = run("list", "-f", str(plan), "--today", "八月一日")
    assert result.exit_code == 2
    assert "--today 的值“八月一日”不是有效日期" in result.stderr


def test_today_from_environment(run: Run, plan: Path) -> None:
    data = tasks_json(run, "overdue", "-f", str(plan), env={"ZWGK_TODAY": TODAY})
    assert len(data) == 10


def test_unknown_format(run: Run, plan: Path) -> None:
    result = run("list", "-f", str(plan), "--format", "xml")
    assert result.exit_code == 2
    assert (
        "--format 只能是 table（表格）、json（JSON）、csv（CSV）、csv-zh（中文CSV），不是“xml”"
        in result.stderr
    )


@pytest.mark.parametrize(
    "typed", ["2020-08-03", "2020/8/3", "2020.8.3", "2020年8月3日", "２０２０－０８－０３"]
)
def test_a_date_is_typed_as_clerks_type_it(run: Run, plan: Path, typed: str) -> None:
    """Every date form collect reads from a form is read on the command line too."""
    expected = run("overdue", "-f", str(plan), "--today", "2020-08-03", "--format", "json").stdout
    assert run("overdue", "-f", str(plan), "--today", typed, "--format", "json").stdout == expected


def test_a_date_without_a_year_takes_the_year_of_today(run: Run, plan: Path) -> None:
    result = run("done", "1", "-f", str(plan), "--on", "8月20日", "--today", "2020-08-25")
    assert result.exit_code == 0, result.output
    assert "2020-08-20" in plan.read_text(encoding="utf-8")
    listed = [
        run("list", "-f", str(plan), "--due-before", on, "--today", "2020-08-25", "--format", "json").stdout
        for on in ("7月31日", "2020-07-31", "2021-07-31")
    ]
    assert json.loads(listed[0]) and listed[0] == listed[1] != listed[2]


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        (("list", "--status", "overdue"), ("list", "--status", "逾期")),
        (("list", "--status", "done"), ("list", "--status", "已完成")),
        (("report", "--by", "category"), ("report", "--by", "工作任务")),
        (("units", "--sort", "overdue"), ("units", "--sort", "逾期")),
        (("list", "-u", "区司法局", "--role", "supervising"), ("list", "-u", "区司法局", "--role", "主管")),
        (("list", "--format", "csv"), ("list", "--format", "CSV")),
        (("report", "--format", "table"), ("report", "--format", "表格")),
    ],
)
def test_choices_take_their_chinese_names(
    run: Run, plan: Path, english: tuple[str, ...], chinese: tuple[str, ...]
) -> None:
    both = [run(*args, "-f", str(plan), "--today", "2020-08-25") for args in (english, chinese)]
    assert both[0].exit_code == 0 and both[0].stdout
    assert both[1].stdout == both[0].stdout and both[1].stderr == both[0].stderr


def test_unknown_option_in_chinese(run: Run) -> None:
    result = run("list", "--colour")
    told_as_user_error(result, 2)
    assert "没有选项 --colour" in result.stderr


def test_date_command(run: Run) -> None:
    result = run("date", "2020年7月下旬", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "phrase": "2020年7月下旬",
        "start": "2020-07-21",
        "end": "2020-07-31",
        "kind": "dated",
        "rule": None,
        "occurrences": [],
        "warnings": [],
        "parts": [],
    }
    assert json.loads(run("date", "长期坚持", "--format", "json").stdout)["end"] is None
    # A deadline of two parts: each with its own phrase, kind, rule and days (none for an event).
    either = json.loads(run("date", "2020年底前或变更后10日内", "--format", "json").stdout)
    assert either["parts"] == [
        {"phrase": "2020年底前", "kind": "dated", "rule": None, "start": "2020-12-01", "end": "2020-12-31"},
        {
            "phrase": "变更后10日内",
            "kind": "event",
            "rule": "AFTER=EVENT;COUNT=10;UNIT=DAY",
            "start": None,
            "end": None,
        },
    ]
    assert json.loads(run("date", "8月", "--year", "2021", "--format", "json").stdout)["end"] == "2021-08-31"
    plain = run("date", "2020年7月下旬")
    assert plain.stdout == "2020年7月下旬：2020-07-21 至 2020-07-31\n"
    bad = run("date", "2020年2月30日")
    assert bad.exit_code == 2 and "2020年2月没有30日" in bad.stderr and bad.stdout == ""


def test_check_clean(run: Run, plan: Path) -> None:
    result = run("check", str(plan))
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.stderr


def test_file_found_upward(run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "schedule.yaml").write_bytes(plan.read_bytes())
    (project / "sub" / "deeper").mkdir(parents=True)
    monkeypatch.chdir(project / "sub" / "deeper")
    assert run("done", "1", "--today", TODAY).exit_code == 0
    assert "status: done" in (project / "data" / "schedule.yaml").read_text(encoding="utf-8")


def test_file_from_environment(run: Run, plan: Path) -> None:
    result = run("done", "2", "--today", TODAY, env={"ZWGK_FILE": str(plan)})
    assert result.exit_code == 0, result.output
    assert str(plan) in result.stderr


def test_bundled_plan_is_read_only_and_init_copies_it(run: Run, tmp_path: Path) -> None:
    assert len(tasks_json(run, "list", "--today", TODAY)) == 25  # no data/ here: the bundled plan
    refused = run("done", "1", "--today", TODAY)
    assert refused.exit_code == 6
    assert "zwgk init" in refused.stderr
    created = run("init")
    assert created.exit_code == 0, created.output
    copy = tmp_path / "data" / "schedule.yaml"
    bundled = (ROOT / "data" / "schedule.yaml").read_text(encoding="utf-8")
    from zwgk_cli.storage.store import VERIFICATION_ON
    from zwgk_cli.storage.yamltree import implicit_tag

    # The bundled plan, with the supervision loop on for the new plan (issue 15), and a plan id
    # of its own: forms of the copy are not forms of the bundled plan (issue 23.11).
    made = copy.read_text(encoding="utf-8")
    # An all-digit id (about one in 280) is written quoted, so that YAML reads it as text.
    new_id = re.search(r'^plan_id: ("?)([0-9a-f]{12})\1  #', made, re.MULTILINE)
    assert new_id and new_id[2] != "ced15158fa79"
    assert new_id[1] == ("" if implicit_tag(new_id[2]) == "tag:yaml.org,2002:str" else '"')
    assert made == bundled.replace("\ntasks:\n", f"\n{VERIFICATION_ON}tasks:\n", 1).replace(
        "plan_id: ced15158fa79", f"plan_id: {new_id[1]}{new_id[2]}{new_id[1]}"
    )
    again = run("init", str(tmp_path / "again.yaml"))
    assert again.exit_code == 0 and new_id[2] not in (tmp_path / "again.yaml").read_text(encoding="utf-8")
    assert run("init").exit_code == 6  # never overwrites without --force
    d = run("done", "1", "--today", TODAY)
    assert d.exit_code == 0, d.output
    shown = json.loads(run("show", "1", "--today", TODAY, "--format", "json").stdout)
    assert shown["status"] == "reported"  # done by the units' word, until the office verifies


def test_init_quotes_a_new_plan_id_of_digits_alone(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A random id of twelve digits (about one in 280) was written plain and read back as a
    number: the new plan failed its first ``done`` (plan_id 应为文本, exit 4)."""
    import uuid

    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=0x123456789012 << 80))
    assert run("init").exit_code == 0
    made = (tmp_path / "data" / "schedule.yaml").read_text(encoding="utf-8")
    assert re.search(r'^plan_id: "123456789012"  #', made, re.MULTILINE)
    assert run("check").exit_code == 0
    done = run("done", "1", "--today", TODAY)
    assert done.exit_code == 0, done.output


def test_init_and_import_keep_the_lock_out_of_git(run: Run, tmp_path: Path) -> None:
    """Issue 26: the lock file beside the plan showed in ``git status`` and went in with
    ``git add -A``."""
    assert run("init").exit_code == 0
    ignore = tmp_path / "data" / ".gitignore"
    assert ignore.read_text(encoding="utf-8").splitlines()[1:] == [".*.lock", ".*.tmp"]
    assert run("done", "1", "--today", TODAY).exit_code == 0
    assert (tmp_path / "data" / ".schedule.yaml.lock").exists()
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
        shown = subprocess.run(
            ["git", "status", "--porcelain", "-uall"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        )
        tracked = [name for name in shown.stdout.split()[1::2] if name.startswith("data/")]
        assert sorted(tracked) == ["data/.gitignore", "data/schedule.yaml"]
    # A .gitignore of the user's own keeps its lines; ours are added once.
    ignore.write_text("*.bak", encoding="utf-8")
    imported = run("import", str(ROOT / "tests" / "fixtures" / "seed.txt"), "-o", "data/b.yaml")
    assert imported.exit_code == 0, imported.output
    assert "data/.gitignore" in imported.stderr
    assert ignore.read_text(encoding="utf-8").splitlines()[0::2] == ["*.bak", ".*.lock"]
    again = run("import", str(ROOT / "tests" / "fixtures" / "seed.txt"), "-o", "data/c.yaml")
    assert ".gitignore" not in again.stderr
    assert ignore.read_text(encoding="utf-8").count(".*.lock") == 1


def test_init_takes_the_contact_for_notices(run: Run, tmp_path: Path) -> None:
    assert run("init", "--contact", "李四", "--phone", "13800000000").exit_code == 0
    plan = json.loads(run("show", "1", "--today", TODAY, "--format", "json").stdout)
    assert plan["id"] == 1
    from zwgk_cli.storage.store import Location, load

    head = load(Location(tmp_path / "data" / "schedule.yaml")).schedule.plan
    assert (head.contact, head.phone) == ("李四", "13800000000")


def test_missing_file(run: Run, tmp_path: Path) -> None:
    result = run("list", "--file", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 3
    assert "找不到计划文件" in result.stderr


def test_every_command_has_help_and_is_in_readme(run: Run) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from typer.main import get_command

    commands = get_command(app).commands  # type: ignore[attr-defined]
    assert len(commands) >= 8
    for name, command in commands.items():
        assert command.help, name
        result = run(name, "--help")
        assert result.exit_code == 0, result.output
        assert f"zwgk {name}" in readme, name


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


def test_an_unknown_category_lists_the_plan_categories(run: Run, plan: Path) -> None:
    result = run("list", "-c", "不存在", "-f", str(plan), "--today", TODAY)
    assert result.exit_code == 5
    assert result.stderr.startswith("错误：计划中没有工作任务“不存在”。现有：优化升级、加强")


def test_due_window_includes_its_first_day_and_skips_done_tasks(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "deadline": "2020年7月5日"},
            {"id": 2, "deadline": "2020年7月3日"},
            {"id": 3, "deadline": "2020年7月3日", "status": "done", "done_on": "2020-07-02"},
            {"id": 4, "deadline": "2020年7月1日"},
            {"id": 5, "deadline": "2020年7月3日"},
            {"id": 6, "deadline": "长期坚持"},
        ],
    )
    args = ("due", "-f", str(plan), "--today", "2020-07-01", "--within", "4", "--format", "json")
    data = json.loads(run(*args).stdout)
    assert [t["id"] for t in data] == [4, 2, 5, 1]  # soonest first, then by id; done and undated left out
    xun = json.loads(run("due", "-f", str(plan), "--today", "2020-07-02", "--xun", "--format", "json").stdout)
    assert [t["id"] for t in xun] == [4, 2, 5, 1]  # 上旬 starts on the 1st, whatever today is


def test_units_sort_orders(run: Run, plan: Path) -> None:
    def names(sort: str) -> list[str]:
        args = ("units", "-f", str(plan), "--today", TODAY, "--sort", sort, "--format", "json")
        return [u["name"] for u in json.loads(run(*args).stdout)]

    plan_order = names("plan")
    assert plan_order[:3] == ["麟绛街道办事处", "区政府办公室", "区发改局"]
    assert names("name") == sorted(plan_order)
    assert names("supervising")[0] == "区政府办公室"


def test_no_such_task_names_the_plans_ids(run: Run, plan: Path, tmp_path: Path) -> None:
    result = run("show", "99", "-f", str(plan), "--today", TODAY)
    assert result.stderr == "错误：计划中没有序号为 99 的任务（共 25 项，序号 1–25）\n"
    empty = tmp_path / "empty.yaml"
    empty.write_text("title: t\ntasks: []\n", encoding="utf-8")
    assert run("show", "1", "-f", str(empty), "--today", TODAY).stderr == "错误：计划中没有序号为 1 的任务\n"


def test_due_after_and_due_before_include_their_own_day(run: Run, tmp_path: Path) -> None:
    days = {1: "2020年11月30日", 2: "2020年12月1日", 3: "2020年12月2日"}
    plan = write_plan(tmp_path / "p.yaml", [{"id": n, "deadline": d} for n, d in days.items()])
    args = ("list", "--file", str(plan), "--today", TODAY)
    assert [t["id"] for t in tasks_json(run, *args, "--due-after", "2020-12-01")] == [2, 3]
    assert [t["id"] for t in tasks_json(run, *args, "--due-before", "2020-12-01")] == [1, 2]


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("公开", [1, 2, 3, 4, 5, 6]),
        ("一级", [1]),
        ("二级", [2]),
        ("已印发", [3]),
        ("甲局", [4]),
        ("网站", [5]),
    ],
)
def test_search_looks_in_every_text_of_a_task(run: Run, tmp_path: Path, words: str, found: list[int]) -> None:
    """--search finds words in the title, either category, the note, the units (同（N）
    resolved) and the table's other columns; nowhere else."""
    tasks = [
        {"id": 1, "title": "公开", "category": "一级"},
        {"id": 2, "title": "公开", "subcategory": "二级"},
        {"id": 3, "title": "公开", "note": "已印发"},
        {"id": 4, "title": "公开", "responsible": ["甲局"]},
        {"id": 5, "title": "公开", "extra": {"公开渠道": "政府网站"}},
        {"id": 6, "title": "公开"},
    ]
    plan = write_plan(tmp_path / "p.yaml", tasks)
    args = ("list", "--file", str(plan), "--today", TODAY, "--search", words)
    assert [t["id"] for t in tasks_json(run, *args)] == found


def _process(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    import os
    import sys

    env = {**os.environ, "ZWGK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTHONUNBUFFERED", None)  # stdout buffered, as a user's is: what is not flushed is lost
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, check=False
    )


def test_a_run_ends_without_teardown_yet_as_sys_exit_would(tmp_path: Path) -> None:
    """``main`` ends the process with ``os._exit`` (freeing millions of objects one by one took
    longer than many a command): the exit status is the command's, everything printed is
    flushed, and what was registered with ``atexit`` still runs."""
    plan = ROOT / "data" / "schedule.yaml"
    marker = tmp_path / "atexit-ran"
    kept = tmp_path / "kept"  # what the run read, never freed: the process ends without it
    code = (
        "import atexit, pathlib, sys\n"
        "from zwgk_cli.cli import main\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        f"atexit.register(lambda: pathlib.Path({str(kept)!r}).write_text("
        "repr([type(k).__name__ for k in sys.modules['zwgk_cli.cli.app']._until_exit])))\n"
        f"sys.argv = ['zwgk', 'list', '--file', {str(plan)!r}, '--today', {TODAY!r}, '--format', 'json']\n"
        "main()\n"
        "print('never reached')\n"
    )
    done = _process(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 25 and "never reached" not in done.stdout  # all of it
    assert marker.read_text(encoding="utf-8") == "yes"
    assert kept.read_text(encoding="utf-8") == "['Given']"
    missing = _process(code.replace(str(plan), str(tmp_path / "没有.yaml")), tmp_path)
    assert missing.returncode == 3 and missing.stdout == ""
    assert missing.stderr.startswith("错误：") and "找不到计划文件" in missing.stderr


def test_what_a_run_read_is_kept_only_where_the_process_ends_without_teardown(
    run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Freeing a large plan object by object as a command returns is work for nothing where the
    process then ends with ``os._exit`` (``main``); anywhere else (a test, a caller of ``app``)
    nothing is kept."""
    import importlib

    from zwgk_cli.storage.document import Document

    module = importlib.import_module("zwgk_cli.cli.app")
    monkeypatch.setattr(module, "_until_exit", None)
    assert run("list", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert module._until_exit is None
    kept = module.ending_without_teardown()
    assert run("list", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert [type(k).__name__ for k in kept] == ["Given"] and "view" in vars(kept[0])  # its plan read
    assert run("done", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert [type(k).__name__ for k in kept] == ["Given", "Given", "Document"]
    assert isinstance(kept[2], Document) and kept[2].schedule.require(1).is_done


@pytest.mark.parametrize(("code", "status", "said"), [(None, 0, ""), (5, 5, ""), ("停止", 1, "停止\n")])
def test_leave_exits_with_the_status_sys_exit_gives(
    code: object, status: int, said: str, tmp_path: Path
) -> None:
    done = _process(f"from zwgk_cli.cli import leave\nprint('写出', end='')\nleave({code!r})\n", tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (status, "写出", said)
