"""Several plans at once (issue 17): the plans of an office's repository, tasks named NAME:ID,
--plan, a unit's duties across all of them, writes to the one file that holds the task, and a
city that lists its counties' plans in zwgk.toml."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED, FIXTURES, Run, told_as_user_error
from zwgk_cli.plan.refs import Ref
from zwgk_cli.storage import store
from zwgk_cli.storage.workspace import TaskRef, discover, merge, open_view, parse_task
from zwgk_cli.storage.yamltree import scalar

TODAY = "2022-05-01"


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "b@example.cn"}
    env |= {"GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "b@example.cn"}
    return subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A county office's repository: the bundled plan, a yearly 要点 with 牵头/配合 units and a
    catalogue of recurring duties, each its own file under data/, committed."""
    root = tmp_path / "office"
    (root / "data").mkdir(parents=True)
    shutil.copyfile(BUNDLED, root / "data" / "schedule.yaml")
    shutil.copyfile(FIXTURES / "lead_cooperating.yaml", root / "data" / "2022要点.yaml")
    shutil.copyfile(FIXTURES / "recurring.yaml", root / "data" / "目录.yaml")
    (root / "data" / "说明.yaml").write_text("note: 不是计划，没有 tasks\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "计划")
    monkeypatch.chdir(root)
    return root


def rows(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run(*args, "--format", "json", "--today", TODAY)
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


# Reading -------------------------------------------------------------------------------------


def test_a_units_duties_across_every_plan(run: Run, office: Path) -> None:
    found = rows(run, "list", "--unit", "区司法局", "--role", "all")
    by_plan: dict[str, list[int]] = {}
    for row in found:
        by_plan.setdefault(row["plan"], []).append(row["id"])
    assert by_plan == {
        "2022要点": [1, 2, 3],  # 配合 in 1 and 2, and in 3 through 同（1）
        "schedule": [1, 2, 3, 4, 5, 8, 18, 19, 20, 21, 22, 24, 25],
        "目录": [2, 3, 7],
    }
    assert {row["region"] for row in found if row["plan"] != "目录"} == {"测试区", "屯留区"}
    assert [row["region"] for row in found if row["plan"] == "目录"] == [None] * 3
    table = run("list", "--unit", "区司法局", "--role", "all", "--today", TODAY)
    assert "2022要点:3" in table.stdout and "目录:7" in table.stdout


def test_plan_narrows_any_command(run: Run, office: Path) -> None:
    assert {r["plan"] for r in rows(run, "list", "--plan", "目录")} == {"目录"}
    two = rows(run, "list", "--plan", "目录", "--plan", "2022要点")
    assert [r["plan"] for r in two] == ["2022要点"] * 3 + ["目录"] * 8  # in the workspace's order
    alone = rows(run, "overdue", "--plan", "schedule")
    assert {r["plan"] for r in alone} == {"schedule"} and len(alone) == 25
    missing = run("list", "--plan", "2023要点", "--today", TODAY)
    assert missing.exit_code == 5
    assert "没有名为“2023要点”的计划。现有的计划：2022要点、schedule、目录" in missing.stderr


def test_report_by_plan_and_region(run: Run, office: Path) -> None:
    by_plan = {r["name"]: r["tasks"] for r in rows(run, "report", "--by", "plan")}
    whole = {r["name"]: r["tasks"] for r in rows(run, "report", "--by", "category")}
    assert list(by_plan) == ["2022要点", "schedule", "目录", "合计"]
    assert by_plan["合计"] == whole["合计"] == sum(v for k, v in by_plan.items() if k != "合计")
    assert by_plan["schedule"] == 25
    regions = {r["name"]: r for r in rows(run, "report", "--by", "region")}
    assert [(k, r["tasks"]) for k, r in regions.items()] == [
        ("测试区", 3),
        ("屯留区", 25),
        ("（未写地区）", 8),  # the catalogue names no region
        ("合计", 36),
    ]
    assert regions["屯留区"]["overdue_ids"][:2] == ["schedule:1", "schedule:2"]
    assert regions["测试区"]["overdue_ids"] == []  # its deadlines are later in 2022


_JSON_COMMANDS = [
    ("overdue",),
    ("list", "--role", "all"),
    ("report",),
    ("report", "--by", "plan"),
    ("report", "--by", "region"),
    ("units",),
    ("score",),
    ("show", "schedule:1"),
]


@pytest.mark.parametrize("plans", [(), ("--plan", "schedule")], ids=["workspace", "one plan"])
def test_json_is_the_same_whichever_writer_writes_it(
    run: Run, office: Path, monkeypatch: pytest.MonkeyPatch, plans: tuple[str, ...]
) -> None:
    """A long list is written by orjson, a short one by the standard library: every command's
    JSON comes out the same both ways, in a workspace (task keys NAME:ID, which would not come
    out as their text were they left as ``Ref``) and in one plan."""
    from zwgk_cli.render import json_text

    for command in _JSON_COMMANDS:
        args = (*command, *plans, "--format", "json", "--today", TODAY)
        monkeypatch.setattr(json_text, "LONG", 10**9)
        by_json = run(*args)
        monkeypatch.setattr(json_text, "LONG", 0)
        by_orjson = run(*args)
        assert by_json.exit_code == by_orjson.exit_code == 0, by_json.output
        assert by_orjson.stdout == by_json.stdout, command
    report = json.loads(run("report", *plans, "--format", "json", "--today", TODAY).stdout)
    keys = [key for line in report for key in line["overdue_ids"]]
    assert keys and {type(key) for key in keys} == ({int} if plans else {str})  # schedule:1, or 1


def test_one_plan_behaves_as_before(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "one" / "data").mkdir(parents=True)
    shutil.copyfile(BUNDLED, tmp_path / "one" / "data" / "schedule.yaml")
    monkeypatch.chdir(tmp_path / "one")
    found = rows(run, "overdue")
    assert [r["id"] for r in found][:3] == [10, 25, 1]  # numbers, not NAME:ID
    assert {(r["plan"], r["region"]) for r in found} == {("schedule", "屯留区")}
    assert run("show", "schedule:25", "--today", TODAY).stdout.startswith("序号：25\n")
    report = rows(run, "report")
    assert report[-1]["overdue_ids"][:3] == [1, 2, 3]


# Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("5", TaskRef(None, 5)),
        (" 12 ", TaskRef(None, 12)),
        ("2022要点:5", TaskRef("2022要点", 5)),
        ("屯留区/schedule:7", TaskRef("屯留区/schedule", 7)),
        ("a:b:3", TaskRef("a:b", 3)),
    ],
)
def test_task_names(text: str, ref: TaskRef) -> None:
    assert parse_task(text) == ref
    assert str(parse_task(text)) == text.strip()


@pytest.mark.parametrize("text", ["", ":5", "要点:", "要点:5.0", "要点:+5", "1_0", "٥", "要点:五"])
def test_what_is_not_a_task_name(text: str) -> None:
    with pytest.raises(ValueError):
        parse_task(text)


def test_name_id_works_wherever_an_id_does(run: Run, office: Path) -> None:
    assert run("show", "目录:7", "--today", TODAY).stdout.splitlines()[:3] == [
        "序号：目录:7",
        "工作任务：政策文件",
        "公开事项：政策解读",
    ]
    shown = json.loads(run("show", "2022要点:2", "--format", "json", "--today", TODAY).stdout)
    assert (shown["id"], shown["plan"], shown["title"]) == (2, "2022要点", "公开涉企收费清单")
    steps = [
        ("done", "2022要点:2", "-u", "甲镇人民政府", "--on", "2022-09-20"),
        ("progress", "2022要点:1", "-u", "区政务服务局", "-t", "已发布"),
        ("done", "目录:2", "-u", "区司法局", "--period", "2023-09", "--on", "2023-09-08"),
        ("event", "目录:3", "--on", "2023-09-25"),
        ("reopen", "2022要点:2", "-u", "乙镇人民政府"),
        ("done", "25", "--on", "2020-07-20"),  # only the bundled plan has a task 25
    ]
    for step in steps:
        result = run(*step, "--today", "2023-10-01")
        assert result.exit_code == 0, (step, result.output)
    changed = git(office, "diff", "--name-only").split()
    assert sorted(changed) == sorted(["data/2022要点.yaml", "data/schedule.yaml", "data/目录.yaml"])
    git(office, "commit", "-qam", "报送")
    history = run("history", "目录:3")
    assert history.exit_code == 0 and "事件记录" in history.stdout


def test_done_name_id_changes_only_its_own_file(run: Run, office: Path) -> None:
    before = {p.name: p.read_bytes() for p in (office / "data").glob("*.yaml")}
    result = run("done", "目录:7", "--today", "2023-06-20")
    assert result.exit_code == 0, result.output
    assert "data/目录.yaml" in result.stderr
    assert git(office, "diff", "--stat").splitlines()[-1].strip() == "1 file changed, 2 insertions(+)"
    assert git(office, "diff", "--name-only").strip() == "data/目录.yaml"
    after = {p.name: p.read_bytes() for p in (office / "data").glob("*.yaml")}
    assert [n for n in before if before[n] != after[n]] == ["目录.yaml"]


def test_a_bare_id_several_plans_have_lists_the_candidates(run: Run, office: Path) -> None:
    before = {p.name: p.read_bytes() for p in (office / "data").glob("*.yaml")}
    for command in (("done", "3"), ("show", "3")):
        result = run(*command, "--today", TODAY)
        assert result.exit_code == 5
        assert "有几个计划都有任务 3，请写成 计划名:序号，如 2022要点:3、schedule:3、目录:3" in result.stderr
    assert run("show", "99", "--today", TODAY).exit_code == 5
    assert "没有名为“要点”的计划" in run("done", "要点:1", "--today", TODAY).stderr
    assert "计划中没有序号为 9 的任务" in run("done", "目录:9", "--today", TODAY).stderr
    assert {p.name: p.read_bytes() for p in (office / "data").glob("*.yaml")} == before


def test_single_plan_commands_ask_for_one(run: Run, office: Path) -> None:
    result = run("export", "--feedback", "-o", "反馈表", "--today", TODAY)
    assert result.exit_code == 2 and "--plan" in result.stderr
    # score asks only where the plans' rules differ: these three write none, all the defaults.
    assert run("score", "--today", TODAY).exit_code == 0
    one = run("export", "--feedback", "-u", "司法局", "-o", "反馈表", "--plan", "目录", "--today", TODAY)
    assert one.exit_code == 0, one.output
    assert (office / "反馈表" / f"反馈表-区司法局-{TODAY}.xlsx").is_file()


def test_collect_in_a_workspace_finds_the_plan_the_forms_record(run: Run, office: Path) -> None:
    """Issue 23.4: collect asked for --plan although every form records its plan."""
    made = run("export", "--feedback", "-u", "司法局", "-o", "收回", "--plan", "目录", "--today", TODAY)
    assert made.exit_code == 0, made.output
    before = {p.name: p.read_bytes() for p in (office / "data").glob("*.yaml")}
    found = run("collect", "收回", "--today", TODAY)
    assert found.exit_code == 0, found.output
    assert f"反馈表-区司法局-{TODAY}.xlsx（区司法局）" in found.stdout
    # Forms of two plans in one folder: collected plan by plan, and the message says so.
    other = run("export", "--feedback", "-u", "司法局", "-o", "别的", "--plan", "schedule", "--today", TODAY)
    assert other.exit_code == 0, other.output
    shutil.copyfile(office / "别的" / f"反馈表-区司法局-{TODAY}.xlsx", office / "收回" / "另一份.xlsx")
    mixed = run("collect", "收回", "--today", TODAY)
    assert mixed.exit_code == 2 and mixed.stderr == (
        "错误：这些反馈表分属几个计划（schedule、目录），请按计划分开收集，"
        "请用 --plan 选一个：2022要点、schedule、目录\n"
    )
    assert run("collect", "收回", "--plan", "目录", "--today", TODAY).exit_code == 1  # the other form refused
    assert {p.name: p.read_bytes() for p in (office / "data").glob("*.yaml")} == before


def test_collect_tells_two_plans_of_one_title_apart_by_their_ids(run: Run, office: Path) -> None:
    """Issue 23.11: two plans of the same title (a copy made by zwgk init) asked for --plan;
    each form records its plan's id."""
    made = run("init", "data/副本.yaml")
    assert made.exit_code == 0, made.output
    form = run("export", "--feedback", "-u", "司法局", "-o", "收回", "--plan", "副本", "--today", TODAY)
    assert form.exit_code == 0, form.output
    found = run("collect", "收回", "--today", TODAY)
    assert found.exit_code == 0, found.output
    assert f"反馈表-区司法局-{TODAY}.xlsx（区司法局）" in found.stdout
    copy_id = re.search(
        r'^plan_id: "?(\w+)', (office / "data" / "副本.yaml").read_text(encoding="utf-8"), re.M
    )
    assert copy_id and copy_id[1] != "ced15158fa79"
    bundled = office / "data" / "schedule.yaml"  # given the copy's id: two plans answer to it
    bundled.write_text(
        bundled.read_text(encoding="utf-8").replace("ced15158fa79", scalar(copy_id[1])), encoding="utf-8"
    )
    both = run("collect", "收回", "--today", TODAY)
    assert both.exit_code == 2
    assert f"工作区中有几个计划都是反馈表所属的计划（计划编号 {copy_id[1]}）：schedule、副本；" in both.stderr
    (office / "data" / "副本.yaml").unlink()
    bundled.write_text(
        bundled.read_text(encoding="utf-8").replace(copy_id[1], "0a1b2c3d4e5f"), encoding="utf-8"
    )
    gone = run("collect", "收回", "--today", TODAY)
    assert gone.exit_code == 2 and f"反馈表所属的计划（计划编号 {copy_id[1]}）不在工作区中" in gone.stderr


def test_completion_offers_name_id_and_plan_names(office: Path) -> None:
    from zwgk_cli.cli import complete

    class Ctx:
        def __init__(self) -> None:
            self.params: dict[str, Any] = {}

    assert ("目录:7", "政策解读") in complete.task_ids(Ctx(), "目录:")
    assert [name for name, _ in complete.plans(Ctx(), "")] == ["2022要点", "schedule", "目录"]
    assert complete.plans(Ctx(), "目")[0] == ("目录", "2023年区政务公开事项目录（节选）")


# Units across plans --------------------------------------------------------------------------


def _register(path: Path, units: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tasks:\n", units + "tasks:\n", 1), encoding="utf-8")


def test_check_reports_a_unit_registered_as_two_kinds_with_both_lines(run: Run, office: Path) -> None:
    _register(
        office / "data" / "2022要点.yaml",
        "kinds: [区直部门, 乡镇]\nunits:\n"
        + "".join(
            f"  - name: {n}\n    kind: {k}\n"
            for n, k in [
                ("区政务服务局", "区直部门"),
                ("区司法局", "乡镇"),
                ("区财政局", "区直部门"),
                ("区发改局", "区直部门"),
                ("甲镇人民政府", "乡镇"),
                ("乙镇人民政府", "乡镇"),
                ("区政府办公室", "区直部门"),
            ]
        ),
    )
    result = run("check")
    assert result.exit_code == 4
    assert (
        "data/schedule.yaml:21: 单位“区司法局”在这里登记为“区直部门”，在 data/2022要点.yaml:13 登记为“乡镇”。"
        "同一个单位在各计划中的类别应当相同，请改成一致\n" in result.stderr
    )
    assert "data/目录.yaml: 检查通过" in result.stderr


_AS_UNIT = """title: 办公室的计划
kinds: [区直部门]
units:
  - {name: 办公室, kind: 区直部门}
tasks:
  - {id: 1, title: 公开年报, responsible: [办公室], deadline: 2022年1月底前}
"""
_AS_GROUP = """title: 乡镇的计划
kinds: [乡镇]
units:
  - {name: 甲镇, kind: 乡镇}
groups:
  - name: 办公室
    members: [甲镇]
tasks:
  - {id: 1, title: 公开预算, responsible: [办公室], deadline: 2022年2月底前}
"""


@pytest.mark.parametrize(
    ("first", "second", "told"),
    [
        (
            _AS_UNIT,
            _AS_GROUP,
            "data/b.yaml:6: “办公室”在这里登记为单位组，在 data/a.yaml:4 登记为单位（区直部门）",
        ),
        (
            _AS_GROUP,
            _AS_UNIT,
            "data/b.yaml:4: “办公室”在这里登记为单位（区直部门），在 data/a.yaml:6 登记为单位组",
        ),
    ],
)
def test_check_refuses_a_name_that_is_a_unit_in_one_plan_and_a_group_in_another(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str, second: str, told: str
) -> None:
    """A report would count such a name through the group's members and lose the unit's own
    task: the office is told where each is registered."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text(first, encoding="utf-8")
    (tmp_path / "data" / "b.yaml").write_text(second, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):  # each plan alone is sound
        assert run("check", f"data/{name}.yaml").exit_code == 0
    result = run("check")
    assert result.exit_code == 4
    assert told + "。同一个名称在各计划中应当都是单位或都是单位组，请改成一致" in result.stderr


def test_a_unit_named_in_several_plans_is_one_unit(run: Run, office: Path) -> None:
    units = {r["name"]: r for r in rows(run, "units")}
    assert units["区司法局"]["kind"] == "区直部门"  # registered by the bundled plan
    # It does 9 tasks of the bundled plan and 3 of the catalogue; it only helps with the 要点's.
    assert (units["区司法局"]["responsible"], units["区司法局"]["open"]) == (12, 12)
    assert units["区司法局"]["cooperating"] == 3
    assert units["区政务服务局"]["kind"] == "未登记"


# The merged view, below the commands ---------------------------------------------------------


def test_merge_pools_units_and_groups_and_keeps_each_plans_settings(office: Path) -> None:
    view = open_view(None, None, {}, office)
    schedule = view.schedule
    assert view.names == ("2022要点", "schedule", "目录")
    assert schedule.plan.title.count("、") == 2 and schedule.plan.region is None
    assert schedule.plan.columns == ()  # the plans name their columns differently
    first = schedule.items[0]
    assert first.id == Ref(0, "2022要点", 1) and str(first.id) == "2022要点:1"
    assert sorted([Ref(2, "目录", 1), Ref(0, "2022要点", 9), Ref(0, "2022要点", 10)])[0] == Ref(
        0, "2022要点", 9
    )
    assert schedule.require(Ref(2, "目录", 7)).task.title == "政策解读"
    members = schedule.registry.members("各级各部门")
    assert "区司法局" in members and "甲镇人民政府" not in members
    plan = office / "data" / "目录.yaml"
    plan.write_text(plan.read_text("utf-8").replace("tasks:\n", "verification: true\ntasks:\n", 1), "utf-8")
    mixed = open_view(None, None, {}, office).schedule
    assert mixed.plan.verification
    assert {i.source.name for i in mixed.items if i.verification} == {"目录"}  # type: ignore[union-attr]
    again = merge([("a", store.read_schedule(store.Location(BUNDLED)))] * 2)
    assert len(again.by_id) == 50


def test_discovery(tmp_path: Path) -> None:
    (tmp_path / "a" / "data").mkdir(parents=True)
    (tmp_path / "a" / "data" / "schedule.yaml").write_text("tasks: []\ntitle: x\n", encoding="utf-8")
    (tmp_path / "a" / "data" / "notes.yaml").write_text("tasks_done: 3\n", encoding="utf-8")
    (tmp_path / "a" / "data" / "later.yaml").write_text("title: y\r\ntasks: []\r\n", encoding="utf-8")
    (tmp_path / "a" / "data" / "nested.yaml").write_text("title: z\nhead:\n  tasks: []\n", encoding="utf-8")
    (tmp_path / "a" / "data" / "word.yaml").write_text("subtasks: []\nmytasks: 1\n", encoding="utf-8")
    (tmp_path / "a" / "sub").mkdir()
    found = discover(None, {}, tmp_path / "a" / "sub")
    # notes.yaml, nested.yaml, word.yaml: no top-level tasks key, not plans
    assert [loc.path for loc in found] == [Path("..") / "data" / n for n in ("later.yaml", "schedule.yaml")]
    # what finding them read is what a read command reads
    assert [loc.content for loc in found] == [
        (tmp_path / "a" / "data" / n).read_bytes() for n in ("later.yaml", "schedule.yaml")
    ]
    assert discover(Path("x.yaml"), {}, tmp_path)[0].path == Path("x.yaml")
    assert discover(None, {"ZWGK_FILE": "y.yaml"}, tmp_path)[0].path == Path("y.yaml")
    assert discover(None, {}, tmp_path)[0].readonly  # nothing here: the bundled plan


def test_a_workspace_read_reads_each_plan_once(
    run: Run, office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding the plans reads them (a plan is a YAML file with a tasks: key); the read command
    uses those bytes and does not read the files again."""
    reads: list[str] = []
    real = store.read_regular

    def counted(path: Path, what: str = "计划文件") -> bytes:
        reads.append(Path(path).name)
        return real(path, what)

    monkeypatch.setattr(store, "read_regular", counted)
    assert len(rows(run, "report")) > 1
    assert sorted(reads) == sorted(["2022要点.yaml", "schedule.yaml", "目录.yaml", "说明.yaml"])


# A city and its counties ---------------------------------------------------------------------


@pytest.fixture
def city(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A city office's folder listing three counties' clones in zwgk.toml: each county keeps
    its plan as data/schedule.yaml, with its own region."""
    for county in ("甲县", "乙县", "丙县"):
        (tmp_path / county / "data").mkdir(parents=True)
        text = BUNDLED.read_text(encoding="utf-8").replace("region: 屯留区", f"region: {county}", 1)
        (tmp_path / county / "data" / "schedule.yaml").write_text(text, encoding="utf-8")
    root = tmp_path / "市政务公开办"
    root.mkdir()
    (root / "zwgk.toml").write_text(
        'plans = ["../甲县/data/*.yaml", "../乙县", "../丙县/data/schedule.yaml"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(root)
    return root


def test_a_city_reports_by_region(run: Run, city: Path) -> None:
    assert run("done", "乙县/schedule:1", "--today", TODAY).exit_code == 0
    regions = rows(run, "report", "--by", "region")
    assert [r["name"] for r in regions] == ["甲县", "乙县", "丙县", "合计"]
    assert [(r["tasks"], r["done_late"], r["overdue"]) for r in regions] == [
        (25, 0, 25),
        (25, 1, 24),  # 乙县 did task 1, after its deadline
        (25, 0, 25),
        (75, 1, 74),
    ]
    plans = {r["plan"] for r in rows(run, "list", "--status", "done")}
    assert plans == {"乙县/schedule"}
    changed = (city.parent / "乙县" / "data" / "schedule.yaml").read_text("utf-8")
    assert "status: done" in changed.split("  - id: 2\n")[0]
    untouched = (city.parent / "甲县" / "data" / "schedule.yaml").read_text("utf-8")
    assert untouched == BUNDLED.read_text(encoding="utf-8").replace("region: 屯留区", "region: 甲县", 1)


@pytest.mark.parametrize(
    ("config", "words"),
    [
        # Broken at its end: the last line (TOML names no line there).
        ("plans = [", ":1: 不是有效的 TOML 配置：请检查引号、方括号和等号"),
        ('plans = "data/*.yaml"', ": 应写成 plans = ["),  # no line number: the whole file
        ("title = 1", ": 应写成 plans = ["),
        ('plans = ["../丁县/data/*.yaml"]', ": plans 中的“../丁县/data/*.yaml”没有找到任何计划文件"),
    ],
)
def test_a_bad_zwgk_toml_says_what_to_fix(run: Run, city: Path, config: str, words: str) -> None:
    (city / "zwgk.toml").write_text(config + "\n", encoding="utf-8")
    result = run("list", "--today", TODAY)
    assert result.exit_code == 4 and f"zwgk.toml{words}" in result.stderr


def test_a_pattern_takes_only_plans_and_a_named_file_is_taken_as_it_is(run: Run, city: Path) -> None:
    (city.parent / "甲县" / "data" / "说明.yaml").write_text("note: 不是计划\n", encoding="utf-8")
    (city / "zwgk.toml").write_text('plans = ["../甲县/data/*.yaml"]\n', encoding="utf-8")
    assert {r["plan"] for r in rows(run, "list")} == {"schedule"}
    (city / "zwgk.toml").write_text('plans = ["../甲县/data/说明.yaml"]\n', encoding="utf-8")
    named = run("list", "--today", TODAY)
    assert named.exit_code == 4 and "说明.yaml:1: tasks 缺少必填项" in named.stderr  # read, not skipped


def test_a_pattern_may_take_several_folders_and_each_plan_is_read_once(
    run: Run, city: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``../*县`` takes each county's folder (its data/ plans); a pattern of files reads each
    file once, to tell a plan from other YAML, and the read command uses those bytes."""
    (city / "zwgk.toml").write_text('plans = ["../*县"]\n', encoding="utf-8")
    assert {r["region"] for r in rows(run, "list")} == {"甲县", "乙县", "丙县"}
    reads: list[str] = []
    real = store.read_regular

    def counted(path: Path, what: str = "计划文件") -> bytes:
        reads.append(f"{Path(path).parent.parent.name}/{Path(path).name}")
        return real(path, what)

    monkeypatch.setattr(store, "read_regular", counted)
    (city / "zwgk.toml").write_text(
        'plans = ["../甲县/data/*.yaml", "../乙县/data/*.y*ml"]\n', encoding="utf-8"
    )
    assert {r["region"] for r in rows(run, "list")} == {"甲县", "乙县"}
    assert sorted(r for r in reads if r.endswith(".yaml")) == ["乙县/schedule.yaml", "甲县/schedule.yaml"]


# The rules of a workspace, one at a time ---------------------------------------------------


def _plan(path: Path, title: str, **head: str) -> Path:
    lines = [f"title: {title}", *(f"{k}: {v}" for k, v in head.items())]
    lines += ["tasks:", "  - id: 1", "    category: 类别", "    title: 任务", "    responsible: [区司法局]"]
    lines += ["    deadline: 2020年7月下旬", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _view(root: Path, *plans: str) -> Any:
    return open_view(None, list(plans) or None, {}, root)


def test_merged_settings_are_kept_where_the_plans_agree(tmp_path: Path) -> None:
    same = {"region": "甲县", "office": "甲县人民政府办公室", "columns": "{title: 公开事项}"}
    same |= {"kinds": "[区直部门]", "scoring": "{on_time: 5, late: 3}"}
    same |= {"contact": "张三", "phone": "0355-1234567", "issued": "2020-06-30"}
    _plan(tmp_path / "data" / "a.yaml", "计划甲", **same)
    assert _view(tmp_path).schedule.plan.contact == "张三"  # one plan: as it is
    _plan(tmp_path / "data" / "b.yaml", "计划乙", **same)
    plan = _view(tmp_path).schedule.plan
    assert (plan.title, plan.region, plan.office, plan.columns) == (
        "计划甲、计划乙",
        "甲县",
        "甲县人民政府办公室",
        (("title", "公开事项"),),
    )
    assert (plan.contact, plan.phone, str(plan.issued)) == ("张三", "0355-1234567", "2020-06-30")
    assert plan.kinds == ("区直部门",) and plan.scoring is not None and plan.scoring.on_time == 5
    assert _view(tmp_path).schedule.name == "" and _view(tmp_path).schedule.warnings == ()
    _plan(tmp_path / "data" / "b.yaml", "计划乙", region="乙县", office="乙县办", kinds="[乡镇]")
    plan = _view(tmp_path).schedule.plan
    assert (plan.region, plan.office, plan.scoring, plan.columns) == (None, None, None, ())
    assert (plan.contact, plan.phone, plan.issued) == (None, None, None)
    assert plan.kinds == ("区直部门", "乡镇")
    for name in "cd":
        _plan(tmp_path / "data" / f"{name}.yaml", f"计划{name}")
    assert _view(tmp_path).schedule.plan.title == "计划甲等 4 个计划"
    assert _view(tmp_path, "c", "d", "a").schedule.plan.title == "计划甲、计划c、计划d"


def test_groups_of_the_same_name_pool_their_members(tmp_path: Path) -> None:
    for name, member in (("a", "区司法局"), ("b", "区财政局")):
        path = _plan(tmp_path / "data" / f"{name}.yaml", f"计划{name}")
        registry = "kinds: [区直部门]\nunits:\n  - {name: 区司法局, kind: 区直部门}\n"
        registry += "  - {name: 区财政局, kind: 区直部门}\n"
        text = path.read_text("utf-8").replace(
            "tasks:", f"{registry}groups:\n  - name: 区直各部门\n    members: [{member}]\ntasks:", 1
        )
        path.write_text(text, encoding="utf-8")
    registry = _view(tmp_path).schedule.registry
    assert registry.members("区直各部门") == ("区司法局", "区财政局")


def test_two_plans_of_one_name_are_told_apart_by_region_or_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(tmp_path / "甲" / "schedule.yaml", "甲", region="甲县")
    _plan(tmp_path / "乙" / "schedule.yaml", "乙")
    (tmp_path / "市").mkdir()
    (tmp_path / "市" / "zwgk.toml").write_text('plans = ["../甲", "../乙/schedule.yaml"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "市")
    assert _view(tmp_path / "市").names == ("甲县/schedule", "../乙/schedule")
    _plan(tmp_path / "乙" / "schedule.yaml", "乙", region="甲县")  # the same region: the folders tell
    assert _view(tmp_path / "市").names == ("../甲/schedule", "../乙/schedule")
    _plan(tmp_path / "乙" / "schedule.yaml", "乙", name="乙县计划")
    assert _view(tmp_path / "市").names == ("schedule", "乙县计划")


def test_the_rules_hold_with_two_plans(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _plan(tmp_path / "data" / "a.yaml", "计划甲")
    _plan(tmp_path / "data" / "b.yaml", "计划乙", scoring="{on_time: 10.0}")  # the default, written
    monkeypatch.chdir(tmp_path)
    together = run("score", "--today", TODAY, "--format", "json")  # the same rules: scored together
    assert together.exit_code == 0, together.output
    assert [(s["unit"], [t["id"] for t in s["tasks"]]) for s in json.loads(together.stdout)] == [
        ("区司法局", ["a:1", "b:1"])
    ]
    assert "（计划未写考评规则" not in run("score", "--today", TODAY).stdout  # plan b writes them
    _plan(tmp_path / "data" / "b.yaml", "计划乙")
    assert "（计划未写考评规则 scoring，按默认规则）" in run("score", "--today", TODAY).stdout
    _plan(tmp_path / "data" / "b.yaml", "计划乙", scoring="{on_time: 8}")
    score = run("score", "--today", TODAY)
    assert score.stderr == "错误：所选的几个计划没有相同的考评规则（scoring），请用 --plan 选一个计划：a、b\n"
    (tmp_path / "x.csv").write_text("序号,完成情况\n1,已完成\n", encoding="utf-8")
    collect = run("collect", "x.csv", "--today", TODAY)
    assert collect.stderr == (
        "错误：收集反馈表时一次只能处理一个计划，这些表格没有记录是哪个计划的（如另存的 CSV），"
        "请用 --plan 选一个：a、b\n"
    )
    forms = run("export", "--feedback", "-o", "表", "--today", TODAY)
    assert forms.stderr == "错误：生成反馈表时一次只能处理一个计划，请用 --plan 选一个：a、b\n"
    none = run("show", "9", "--today", TODAY)
    assert none.stderr == "错误：所选的计划中都没有序号为 9 的任务（计划：a、b）\n"
    unknown = run("show", "c:1", "--today", TODAY)
    assert unknown.stderr == "错误：没有名为“c”的计划。现有的计划：a、b\n"
    assert run("done", "1", "--plan", "b", "--today", TODAY).exit_code == 0  # 1 is in both; --plan picks
    assert "status: done" in (tmp_path / "data" / "b.yaml").read_text("utf-8")
    assert "status: done" not in (tmp_path / "data" / "a.yaml").read_text("utf-8")


def test_a_file_named_outright_is_used_whatever_the_workspace(run: Run, office: Path, tmp_path: Path) -> None:
    elsewhere = _plan(tmp_path / "别处" / "p.yaml", "另一个计划", name="另一个")
    result = run("done", "另一个:1", "--file", str(elsewhere), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "status: done" in elsewhere.read_text("utf-8")
    assert git(office, "status", "--porcelain", "data") == ""


def test_discovery_is_relative_to_the_folder_asked_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(tmp_path / "ws" / "data" / "a.yaml", "计划甲")
    with open(tmp_path / "ws" / "data" / "big.yaml", "wb") as big:  # too big to be a plan: skipped
        big.truncate(store.MAX_BYTES + 1)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert [loc.path for loc in discover(None, {}, tmp_path / "ws")] == [Path("data") / "a.yaml"]
    (tmp_path / "ws" / "zwgk.toml").write_text('plans = ["data/*.yaml"]\n', encoding="utf-8")
    assert [loc.path for loc in discover(None, {}, tmp_path / "ws")] == [Path("data") / "a.yaml"]


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ("plans = []", "应写成 plans = ["),
        ('plans = ["../甲县", 3]', "应写成 plans = ["),
    ],
)
def test_a_zwgk_toml_must_list_texts(run: Run, city: Path, config: str, words: str) -> None:
    (city / "zwgk.toml").write_text(config + "\n", encoding="utf-8")
    result = run("list", "--today", TODAY)
    assert result.exit_code == 4 and f"zwgk.toml: {words}" in result.stderr


def test_timeline_summary_and_exports_read_every_plan(run: Run, office: Path) -> None:
    timeline = run("timeline", "--today", TODAY).stdout
    assert "2022要点:1 " in timeline and "schedule:25 " in timeline
    summary = run("summary", "--today", TODAY).stdout
    assert summary.startswith(
        "2022年政务公开工作要点任务分工、基层政务公开标准化规范化及政务公开工作任务进度安排、"
    )
    assert run("export", "全部.json", "--today", TODAY).exit_code == 0
    exported = json.loads((office / "全部.json").read_text("utf-8"))
    assert [r["plan"] for r in exported].count("目录") == 8 and len(exported) == 36
    assert run("export", "全部.csv", "--plan", "目录", "--today", TODAY).exit_code == 0
    assert (office / "全部.csv").read_text("utf-8-sig").splitlines()[1].endswith(",目录,")


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_workspace_file_that_is_no_file_is_said_not_skipped(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """Issue 23.14: a zwgk.toml that is a folder or FIFO silently fell back to the bundled plan."""
    config = tmp_path / "zwgk.toml"
    if kind == "folder":
        config.mkdir()
    else:
        os.mkfifo(config)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZWGK_FILE", raising=False)
    result = run("list", "--today", "2020-08-01")
    assert result.exit_code == 3 and "zwgk.toml: 不是普通文件" in result.stderr


def test_import_says_whether_later_commands_will_find_the_plan(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note after ``import -o``: none where the plan is the one commands will use; where
    the folder's zwgk.toml cannot be read, nothing is found, and the note says so."""
    monkeypatch.chdir(tmp_path)
    seed = str(FIXTURES / "seed.txt")
    inside = run("import", seed, "-o", "data/schedule.yaml", "--today", TODAY)
    assert inside.exit_code == 0, inside.output
    assert "不会自动使用它" not in inside.stderr
    (tmp_path / "zwgk.toml").write_text("plans = [\n", encoding="utf-8")
    outside = run("import", seed, "-o", "data/另一个.yaml", "--today", TODAY)
    assert outside.exit_code == 0, outside.output
    assert outside.stderr.splitlines()[-1] == (
        "注意：data/另一个.yaml 不在 data/ 中（也没有列在 zwgk.toml 里），之后的命令不会自动使用它："
        "请加 -f data/另一个.yaml，或把它放到 data/ 下"
    )
    broken = run("list", "--today", TODAY)
    told_as_user_error(broken, 4)
    assert broken.stderr.endswith("zwgk.toml:1: 不是有效的 TOML 配置：请检查引号、方括号和等号\n")


def test_a_workspace_copy_of_a_task_is_the_task_tagged_with_its_plan() -> None:
    """merge copies every task with ``Item.tagged``: equal to what ``dataclasses.replace``
    gives, with the task's key worked out anew (NAME:ID, not the number the plan alone used)
    and what else it has worked out kept, for it does not read the plan."""
    from dataclasses import replace

    from zwgk_cli.plan.lean import once
    from zwgk_cli.plan.model import Item
    from zwgk_cli.plan.refs import Source

    schedule = store.read_schedule(store.Location(BUNDLED))
    source = Source("屯留", "屯留区", 3)
    worked_out = [name for name, value in vars(Item).items() if isinstance(value, once)]
    for item in schedule.items:
        for name in worked_out:
            getattr(item, name)  # all worked out before the copy
        copy = item.tagged(source)
        assert copy == replace(item, source=source) and copy.id == Ref(3, "屯留", item.task.id)
        assert item.source is None and item.id == item.task.id  # the original is untouched
        assert {n: vars(copy)[n] for n in worked_out if n != "id"} == {
            n: vars(item)[n] for n in worked_out if n != "id"
        }
        fresh = replace(item, source=source)  # everything worked out anew: the same
        assert all(getattr(fresh, n) == getattr(copy, n) for n in worked_out)


def test_of_what_a_task_works_out_only_its_key_reads_its_plan() -> None:
    """``Item.tagged`` keeps all a task has worked out but its key: right while no other value
    of Item worked out ``once`` reads ``source``, itself or through what it asks of the item."""
    import ast
    import inspect
    import textwrap

    from zwgk_cli.plan.lean import once
    from zwgk_cli.plan.model import Item

    (body,) = ast.parse(textwrap.dedent(inspect.getsource(Item))).body
    assert isinstance(body, ast.ClassDef)
    asks = {
        f.name: {
            n.attr
            for n in ast.walk(f)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
        }
        for f in body.body
        if isinstance(f, ast.FunctionDef)
    }

    def reads_source(name: str, seen: frozenset[str] = frozenset()) -> bool:
        return name == "source" or any(reads_source(a, seen | {name}) for a in asks.get(name, set()) - seen)

    worked_out = [name for name, value in vars(Item).items() if isinstance(value, once)]
    assert len(worked_out) > 4 and [name for name in worked_out if reads_source(name)] == ["id"]
    assert reads_source("sibling") and not reads_source("is_done")


def test_a_task_key_hashes_alike_after_pickling_in_another_process() -> None:
    """A Ref keeps its hash, and a string's hash differs between processes: one pickled
    elsewhere must still find its entry here."""
    import pickle
    import sys

    code = (
        "import pickle, sys; from zwgk_cli.plan.refs import Ref; "
        "sys.stdout.buffer.write(pickle.dumps(Ref(1, '屯留', 5)))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "1"}
    pickled = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env=env).stdout
    again = pickle.loads(pickled)
    assert {Ref(1, "屯留", 5): "found"}[again] == "found" and again == Ref(1, "屯留", 5)
    assert f"{again:>8}|{again:<8}|" == "    屯留:5|屯留:5    |"  # a table pads it like text


def test_a_unit_of_one_plan_that_another_makes_a_group_lists_its_overdue_in_plan_order(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """综合组 is a unit of plan a and a group (of 区司法局) in plan b: its line counts plan b's
    tasks through its member. It is responsible for b:1 and leads b:2, both overdue: listed as
    the plan has them, not led tasks first."""
    head = "kinds: [区直部门]\nunits:\n  - {name: 区司法局, kind: 区直部门}\n"
    plan_a = head + "  - {name: 综合组, kind: 区直部门}\ntasks:\n"
    plan_a += "  - {id: 1, category: 类别, title: 任务1, responsible: [综合组], deadline: 2020年7月1日}\n"
    plan_b = head + "groups:\n  - {name: 综合组, members: [区司法局]}\ntasks:\n"
    plan_b += "  - {id: 1, category: 类别, title: 任务1, responsible: [综合组], deadline: 2020年7月1日}\n"
    plan_b += "  - {id: 2, category: 类别, title: 任务2, lead: [综合组], responsible: [区司法局],"
    plan_b += " deadline: 2020年7月1日}\n"
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text(f"title: 计划甲\n{plan_a}", encoding="utf-8")
    (tmp_path / "data" / "b.yaml").write_text(f"title: 计划乙\n{plan_b}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("report", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    lines = {line["name"]: line for line in json.loads(result.stdout)}
    assert lines["综合组"]["overdue_ids"] == ["b:1", "b:2"]
    assert lines["区司法局"]["overdue_ids"] == ["b:1", "b:2"]


def test_a_reference_stands_for_a_task_of_its_own_plan(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both plans write task 2's units as 同（1）, the same cell: in each it is that plan's task 1
    (甲 in plan a, 乙 in plan b), however often the same words come up."""
    (tmp_path / "data").mkdir()
    for name, unit in (("a", "甲"), ("b", "乙")):
        tasks = (
            f"  - {{id: 1, category: 类别, title: 任务1, responsible: [{unit}], deadline: 2020年7月1日}}\n"
        )
        tasks += "  - {id: 2, category: 类别, title: 任务2, responsible: [同（1）], deadline: 2020年7月1日}\n"
        (tmp_path / "data" / f"{name}.yaml").write_text(
            f"title: 计划{name}\ntasks:\n{tasks}", encoding="utf-8"
        )
    monkeypatch.chdir(tmp_path)
    result = run("units", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    owing = {u["name"]: u["overdue_ids"] for u in json.loads(result.stdout)}
    assert (owing["甲"], owing["乙"]) == (["a:1", "a:2"], ["b:1", "b:2"])
