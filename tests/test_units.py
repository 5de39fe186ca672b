"""Units as first-class data: registry, groups, matching, duty lists and per-unit progress."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TODAY, Run, write_plan
from zwgk_cli.errors import NotFound
from zwgk_cli.plan.units import parse_ref, split_units
from zwgk_cli.storage.store import Location, load


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("区教育局市公安局屯留分局", ["区教育局", "市公安局屯留分局"]),
        ("区司法局区财政局", ["区司法局", "区财政局"]),
        ("区人社局区自然资源局", ["区人社局", "区自然资源局"]),
        ("区政府办公室、区直各有关部门 同（3）", ["区政府办公室", "区直各有关部门", "同（3）"]),
        ("区直各有关部门同（3）", ["区直各有关部门", "同（3）"]),
        (
            "各乡镇（区）人民政府（管理中心）、麟绛街道办事处",
            ["各乡镇（区）人民政府（管理中心）", "麟绛街道办事处"],
        ),
        ("区扶贫办区税务局", ["区扶贫办", "区税务局"]),
    ],
)
def test_split_units(cell: str, names: list[str]) -> None:
    assert split_units(cell) == names


def test_split_uses_known_names() -> None:
    assert split_units("甲单位乙单位", known=["甲单位"]) == ["甲单位", "乙单位"]


def test_parse_ref() -> None:
    assert parse_ref("同（3）") == 3
    assert parse_ref("同(12)") == 12
    assert parse_ref("区司法局") is None


def duty_ids(run: Run, plan: Path, *args: str) -> dict[int, list[str]]:
    result = run("list", "--file", str(plan), "--today", TODAY, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {t["id"]: [m["through"] or m["via"] for m in t["matched_as"]] for t in json.loads(result.stdout)}


def test_sifa_ju_sees_direct_reference_and_group_tasks(run: Run, plan: Path) -> None:
    duties = duty_ids(run, plan, "--unit", "区司法局", "--role", "all")
    assert sorted(duties) == [1, 2, 3, 4, 5, 8, 18, 19, 20, 21, 22, 24, 25]
    # By default, what it owes (主体责任): the tasks it supervises (3, 4, 5, 8) are left out.
    assert sorted(duty_ids(run, plan, "--unit", "区司法局")) == [1, 2, 18, 19, 20, 21, 22, 24, 25]
    assert duties[3] == ["direct"] and duties[5] == ["direct"]
    assert duties[4] == ["区直各有关部门", "同（3）"]
    assert duties[1] == ["区直各有关单位"]
    assert duties[18] == ["各级各部门"]


def test_direct_excludes_groups(run: Run, plan: Path) -> None:
    assert sorted(duty_ids(run, plan, "--unit", "区司法局", "--direct", "--role", "all")) == [3, 4, 5, 8]


def test_short_form_and_ambiguity(run: Run, plan: Path) -> None:
    assert duty_ids(run, plan, "--unit", "司法局") == duty_ids(run, plan, "--unit", "区司法局")
    result = run("list", "--file", str(plan), "--unit", "屯留分局")
    assert result.exit_code == 5
    assert "不唯一，可能是：市公安局屯留分局、市生态环境局屯留分局" in result.stderr


def test_group_lists_tasks_assigned_to_it(run: Run, plan: Path) -> None:
    assert sorted(duty_ids(run, plan, "--unit", "各级各部门")) == [18, 19, 20, 21, 22, 24, 25]


def test_table_says_how_each_task_matched(run: Run, plan: Path) -> None:
    args = ("list", "--file", str(plan), "--today", TODAY, "--unit", "区司法局", "--role", "all")
    result = run(*args, "--wide", env={"COLUMNS": "400"})
    assert "匹配方式" in result.stdout
    assert "主体责任（经 各级各部门）" in result.stdout
    assert "主管（经 同（3））" in result.stdout
    short = run(*args, env={"COLUMNS": "400"}).stdout  # the short form, for narrow tables
    assert "主体/各级各部门" in short and "主管/同（3）" in short and "主管/直接" in short


def test_units_account_for_every_unit_in_the_seed(run: Run, plan: Path) -> None:
    result = run("units", "--file", str(plan), "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert len(rows) == 25  # 21 units + 4 groups
    sifa = rows["区司法局"]
    assert (sifa["kind"], sifa["responsible"], sifa["supervising"], sifa["open"], sifa["overdue"]) == (
        "区直部门",
        9,
        4,
        9,
        4,
    )
    assert sifa["groups"] == ["各级各部门", "区直各有关单位", "区直各有关部门"]
    assert rows["区政府办公室"]["supervising"] == 22
    township = rows["各乡镇（区）人民政府（管理中心）"]
    assert (township["kind"], township["members"], township["responsible"]) == ("单位组", [], 15)


def test_units_sort_and_csv(run: Run, plan: Path) -> None:
    result = run("units", "--file", str(plan), "--today", TODAY, "--format", "csv", "--sort", "overdue")
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "name,kind,groups,members,responsible,supervising,open,overdue,overdue_ids,lead,cooperating"
    )
    assert lines[1].startswith("麟绛街道办事处,街道,各级各部门,,23,0,23,10,")
    assert run("units", "--file", str(plan), "--sort", "size").exit_code == 2


# Registry validation ---------------------------------------------------------------------------


def broken(fixture_plan: Callable[[str], Path], old: str, new: str) -> Path:
    path = fixture_plan("members.yaml")
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        (
            "supervising: [区政府办公室]",
            "supervising: [区政府办公]",
            "主管单位“区政府办公”未在 units 或 groups 中登记。您是否指：区政府办公室？",
        ),
        (
            "  - {name: 乙镇人民政府, kind: 乡镇}",
            "  - {name: 甲镇人民政府, kind: 乡镇}",
            "单位“甲镇人民政府”重复登记",
        ),
        (
            "members: [区司法局]",
            "members: [区司法所]",
            "成员“区司法所”不是已登记的单位。您是否指：区司法局？",
        ),
        ("kind: 街道}", "kind: 社区}", "类别“社区”不在 kinds 中"),
    ],
)
def test_registry_problems(
    run: Run, fixture_plan: Callable[[str], Path], old: str, new: str, fragment: str | None
) -> None:
    path = broken(fixture_plan, old, new)
    result = run("check", str(path))
    if fragment is None:  # 同（N） is for supervising units; in a responsible list it names no unit
        assert result.exit_code == 4
        return
    assert result.exit_code == 4, result.output
    assert fragment in result.stderr


def test_a_kind_may_not_be_called_what_groups_are_shown_as(run: Run, tmp_path: Path) -> None:
    """Where units show their kind, a group shows 单位组: a unit of a kind of that name would be
    shown, and reminded, as a group."""
    units = [{"name": n, "kind": "单位组"} for n in ("区司法局", "区政府办公室")]
    path = write_plan(tmp_path / "p.yaml", [{"id": 1}], kinds=["区直部门", "单位组"], units=units)
    result = run("check", str(path))
    assert result.exit_code == 4
    told = "类别不能叫“单位组”：zwgk 用这个名称表示单位组。请给这类单位换一个名称"
    assert result.stderr == f"{path}:4: {told}\n"


def test_unused_unit_is_a_warning(run: Run, fixture_plan: Callable[[str], Path]) -> None:
    path = broken(
        fixture_plan,
        "  - {name: 乙镇人民政府, kind: 乡镇}",
        "  - {name: 乙镇人民政府, kind: 乡镇}\n  - {name: 区档案馆, kind: 区直部门}",
    )
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "警告：单位“区档案馆”已登记，但没有任务用到它" in result.stderr
    assert f"{path}:13: " in result.stderr
    assert "（1 条警告）" in result.stderr


# Per-unit progress -----------------------------------------------------------------------------


def show(run: Run, path: Path, task_id: int) -> dict[str, object]:
    result = run("show", str(task_id), "--file", str(path), "--format", "json", "--today", TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_per_unit_progress_end_to_end(run: Run, fixture_plan: Callable[[str], Path]) -> None:
    path = fixture_plan("members.yaml")
    before = path.read_text(encoding="utf-8")
    assert show(run, path, 1)["progress"] == {
        "done": 0,
        "total": 3,
        "outstanding": ["甲镇人民政府", "乙镇人民政府", "麟绛街道办事处"],
    }

    result = run(
        "done",
        "1",
        "--unit",
        "麟绛街道",
        "--on",
        "2020-07-25",
        "--note",
        "已成立",
        "--file",
        str(path),
        "--today",
        TODAY,
    )
    assert result.exit_code == 0, result.output
    assert "进度 1/3" in result.stderr
    after = path.read_text(encoding="utf-8")
    assert (
        after.replace(
            "    progress:\n      - {unit: 麟绛街道办事处, done_on: 2020-07-25, note: 已成立}\n", ""
        )
        == before
    )
    assert show(run, path, 1)["progress"] == {
        "done": 1,
        "total": 3,
        "outstanding": ["甲镇人民政府", "乙镇人民政府"],
    }

    overdue = run("overdue", "--file", str(path), "--today", TODAY, "--format", "json")
    assert json.loads(overdue.stdout)[0]["progress"]["outstanding"] == ["甲镇人民政府", "乙镇人民政府"]
    table = run("overdue", "--file", str(path), "--today", TODAY, env={"COLUMNS": "300"})
    assert "甲镇人民政府、乙镇人民政府" in table.stdout and "1/3" in table.stdout

    assert (
        run(
            "done", "1", "--unit", "甲镇人民政府", "--on", "2020-07-28", "--file", str(path), "--today", TODAY
        ).exit_code
        == 0
    )
    last = run(
        "done", "1", "--unit", "乙镇人民政府", "--on", "2020-07-30", "--file", str(path), "--today", TODAY
    )
    assert "进度 3/3" in last.stderr
    task = show(run, path, 1)
    assert (task["status"], task["done_on"]) == ("done", "2020-07-30")  # the last unit's date

    assert run("reopen", "1", "--unit", "甲镇人民政府", "--file", str(path)).exit_code == 0
    task = show(run, path, 1)
    assert (task["status"], task["done_on"], task["progress"]["outstanding"]) == (
        "open",
        None,
        ["甲镇人民政府"],
    )
    assert run("reopen", "1", "--file", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == before


def test_done_for_one_unit_twice_changes_nothing(run: Run, fixture_plan: Callable[[str], Path]) -> None:
    path = fixture_plan("members.yaml")
    assert run("done", "2", "--unit", "区司法局", "--file", str(path), "--today", TODAY).exit_code == 0
    content = path.read_bytes()
    result = run("done", "2", "--unit", "区司法局", "--file", str(path), "--today", TODAY)
    assert result.exit_code == 0 and "已于" in result.stderr
    assert path.read_bytes() == content


def test_done_without_unit_marks_all(run: Run, fixture_plan: Callable[[str], Path]) -> None:
    path = fixture_plan("members.yaml")
    assert run("done", "1", "--file", str(path), "--today", TODAY).exit_code == 0
    assert show(run, path, 1)["progress"] == {"done": 3, "total": 3, "outstanding": []}


def test_group_without_members_counts_as_one(plan: Path) -> None:
    item = load(Location(plan)).schedule.item(1)
    assert item is not None
    assert item.slots[:2] == ("各乡镇（区）人民政府（管理中心）", "麟绛街道办事处")
    assert "区司法局" in item.slots  # 区直各有关单位 expands to the registered 区直 units


def test_resolve_errors() -> None:
    from conftest import BUNDLED

    registry = load(Location(BUNDLED, readonly=True)).schedule.registry
    assert registry.resolve("信息中心") == "区政府信息中心"
    with pytest.raises(NotFound, match="您是否指"):
        registry.resolve("区司法所")


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


def test_suggestions_are_at_most_three_and_never_the_name_itself(run: Run, plan: Path) -> None:
    from zwgk_cli.storage import store

    registry = store.load(store.Location(plan)).schedule.registry
    assert registry.suggest("区某局") == ["区财政局", "区税务局", "区民政局"]  # five match: three shown
    assert registry.suggest("政府") == ["区政府办公室", "区政府信息中心"]  # ratio 0.4–0.6 still counts
    assert "区司法局" not in registry.suggest("区司法局")


def test_a_plan_without_registry_suggests_the_names_it_uses(run: Run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "responsible": ["区司法局"]}])
    result = run("list", "-f", str(plan), "--unit", "区司法所", "--today", TODAY)
    assert result.stderr == "错误：计划中没有单位“区司法所”。您是否指：区司法局？\n"


def _registered(tmp_path: Path, units: list[str], roles: str) -> Path:
    """A plan whose registry lists ``units`` (区直部门) and whose one task has ``roles``."""
    plan = tmp_path / "p.yaml"
    registry = "".join(f"  - {{name: {u}, kind: 区直部门}}\n" for u in units)
    plan.write_text(
        f"title: t\nkinds: [区直部门]\nunits:\n{registry}tasks:\n"
        f"  - {{id: 1, category: 甲, title: 乙, {roles}, deadline: 2020年7月}}\n",
        encoding="utf-8",
    )
    return plan


def test_unregistered_unit_messages(run: Run, tmp_path: Path) -> None:
    plan = _registered(tmp_path, ["区司法局"], "responsible: [区司法厅], supervising: [无关名称甲乙丙丁]")
    lines = run("check", str(plan)).stderr.splitlines()
    assert (
        f"{plan}:6: 任务 1 的主体责任单位“区司法厅”未在 units 或 groups 中登记。您是否指：区司法局？" in lines
    )
    assert f"{plan}:6: 任务 1 的主管单位“无关名称甲乙丙丁”未在 units 或 groups 中登记" in lines


def test_a_group_with_members_owes_what_its_members_owe(run: Run, fixture_plan: object) -> None:
    plan = fixture_plan("members.yaml")  # type: ignore[operator]
    args = ("units", "-f", str(plan), "--today", "2020-08-05", "--format", "json")
    groups = {u["name"]: u for u in json.loads(run(*args).stdout)}
    assert (groups["各乡镇"]["members"], groups["各乡镇"]["open"]) == (["甲镇人民政府", "乙镇人民政府"], 1)
    for unit in ("甲镇人民政府", "乙镇人民政府"):
        assert (
            run(
                "done", "1", "-u", unit, "--on", "2020-07-30", "-f", str(plan), "--today", "2020-08-05"
            ).exit_code
            == 0
        )
    groups = {u["name"]: u for u in json.loads(run(*args).stdout)}
    assert groups["各乡镇"]["open"] == 0 and groups["麟绛街道办事处"]["open"] == 1


@pytest.mark.parametrize(
    ("known", "cell", "names"),
    [
        (["区司法局"], "甲同（3）", ["甲", "同（3）"]),
        ([], "同（3）区司法局", ["同（3）", "区司法局"]),
        (["区司法局"], "区司法局甲", ["区司法局", "甲"]),
        (["甲"], "甲乙", ["甲", "乙"]),
        (["县政府", "区教育局"], "县政府甲乙", ["县政府", "甲乙"]),
        ([], "局区司法局", ["局", "区司法局"]),
        ([], "区司法局X", ["区司法局X"]),
        ([], "区司法局区财政局", ["区司法局", "区财政局"]),
        ([], "区教育局市公安局屯留分局", ["区教育局", "市公安局屯留分局"]),
    ],
)
def test_splitting_run_together_names(known: list[str], cell: str, names: list[str]) -> None:
    from zwgk_cli.plan.units import Splitter

    assert Splitter(known).split(cell) == names


def test_a_hint_may_offer_several_names(run: Run, tmp_path: Path) -> None:
    plan = _registered(tmp_path, ["区司法局", "区财政局"], "responsible: [区某局]")
    assert "未在 units 或 groups 中登记。您是否指：区财政局、区司法局？" in run("check", str(plan)).stderr


def test_the_members_of_a_group_that_same_as_stands_for_owe_the_task(
    run: Run, fixture_plan: Callable[[str], Path]
) -> None:
    """Task 4 says 同（1）, and task 1 names the group 各乡镇: its towns owe task 4 as they owe
    task 1, in their list, their report line and their duty list (the task's progress already
    counted them); --direct leaves out what reaches them through the group."""
    plan = fixture_plan("members.yaml")
    with plan.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n  - id: 4\n    category: 梳理事项\n    title: 同上\n    responsible: [同（1）]\n"
            "    supervising: [区政府办公室]\n    deadline: 2020年7月下旬\n"
        )
    args = ("-f", str(plan), "--today", "2020-08-05", "--format", "json")
    listed = json.loads(run("list", "--unit", "甲镇人民政府", *args).stdout)
    assert [(t["id"], t["matched_as"][0]["through"]) for t in listed] == [(1, "各乡镇"), (4, "各乡镇")]
    assert json.loads(run("list", "--unit", "甲镇人民政府", "--direct", *args).stdout) == []
    lines = {ln["name"]: ln for ln in json.loads(run("report", *args).stdout)}
    assert (lines["甲镇人民政府"]["tasks"], lines["甲镇人民政府"]["overdue_ids"]) == (2, [1, 4])
    units = {u["name"]: u for u in json.loads(run("units", *args).stdout)}
    assert units["乙镇人民政府"]["overdue_ids"] == [1, 4]
    progress = json.loads(run("show", "4", *args).stdout)["progress"]
    assert "甲镇人民政府" in progress["outstanding"]
