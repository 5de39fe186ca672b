"""Rules the mutation run showed untested (docs/mutation.md): each test pins one rule's exact
behaviour, so that changing a comparison, a default or a message breaks it."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from conftest import TODAY, Run, write_plan


def test_reopen_of_an_open_task_changes_nothing(run: Run, plan: Path) -> None:
    before = plan.read_bytes()
    result = run("reopen", "7", "--file", str(plan))
    assert result.exit_code == 0 and result.stderr == "任务 7 本来就未完成，未作改动\n"
    result = run("reopen", "1", "--unit", "麟绛街道办事处", "--file", str(plan))
    assert result.exit_code == 0 and result.stderr == "任务 1 中 麟绛街道办事处 没有完成记录，未作改动\n"
    assert plan.read_bytes() == before


def test_reopening_the_last_unit_removes_the_progress_key(run: Run, plan: Path) -> None:
    assert run("done", "10", "-u", "麟绛街道办事处", "-f", str(plan), "--today", TODAY).exit_code == 0
    assert "progress:" in plan.read_text(encoding="utf-8")
    result = run("reopen", "10", "-u", "麟绛街道办事处", "-f", str(plan))
    assert result.stderr == f"已撤销 麟绛街道办事处 在任务 10 中的完成记录：{plan}\n"
    assert "progress" not in plan.read_text(encoding="utf-8")


def test_done_for_a_unit_outside_the_task_names_the_task_units(run: Run, plan: Path) -> None:
    result = run("done", "12", "-u", "区司法局", "-f", str(plan), "--today", TODAY)
    assert result.exit_code == 5
    assert result.stderr == "错误：“区司法局”不是任务 12 的牵头或主体责任单位。该任务的单位：区政府信息中心\n"
    result = run("done", "10", "-u", "区司法局", "-f", str(plan), "--today", TODAY)
    assert "该任务的单位：各乡镇（区）人民政府（管理中心）、麟绛街道办事处\n" in result.stderr


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


def test_unregistered_unit_messages(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "title: t\nkinds: [区直部门]\nunits:\n  - {name: 区司法局, kind: 区直部门}\ntasks:\n"
        "  - {id: 1, category: 甲, title: 乙, responsible: [区司法厅], supervising: [无关名称甲乙丙丁], "
        "deadline: 2020年7月}\n",
        encoding="utf-8",
    )
    lines = run("check", str(plan)).stderr.splitlines()
    assert (
        f"{plan}:6: 任务 1 的主体责任单位“区司法厅”未在 units 或 groups 中登记。您是否指：区司法局？" in lines
    )
    assert f"{plan}:6: 任务 1 的主管单位“无关名称甲乙丙丁”未在 units 或 groups 中登记" in lines


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("id: 0", "第 1 个任务的序号（id） 应为正整数"),
        ("id: 1.5", "第 1 个任务的序号（id） 应为整数"),
        ("id: x", "第 1 个任务的序号（id） 应为整数"),
        ("title: [a]", "第 1 个任务的具体任务（title） 应为文本"),
        ("status: later", "第 1 个任务的状态（status） 只能是 open（未完成）或 done（已完成）"),
        ("done_on: 20200801", "第 1 个任务的完成日期（done_on） 应为日期（如 2020-08-25）"),
        ("colour: red", "第 1 个任务的colour（colour） 是未知的键（可能拼写有误）"),
        ("note: {a: 1}", "第 1 个任务的备注（note） 应为文本"),
    ],
)
def test_schema_messages(run: Run, tmp_path: Path, line: str, message: str) -> None:
    base = {"id": "id: 1", "title": "title: 乙"}
    key = line.split(":")[0]
    fields = [base.get("id"), base.get("title"), "category: 甲", "responsible: [甲]", "supervising: [乙]"]
    fields = [f for f in fields if not f.startswith(key + ":")]
    body = "\n    ".join([line, *fields, "deadline: 2020年7月"])
    plan = tmp_path / "p.yaml"
    plan.write_text(f"title: t\ntasks:\n  - {body}\n", encoding="utf-8")
    result = run("check", str(plan))
    assert result.exit_code == 4
    assert f"{plan}:3: {message}\n" in result.stderr or f"{plan}:4: {message}\n" in result.stderr, (
        result.stderr
    )


def test_init_force_overwrites(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "data" / "schedule.yaml"
    target.parent.mkdir()
    target.write_text("旧内容", encoding="utf-8")
    assert run("init", str(target)).exit_code == 6
    assert run("init", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# 屯留区")


def test_refused_write_shows_what_changed_meanwhile() -> None:
    from zwgk_cli.storage.atomic import diff

    assert diff(b"a\nb\nc\n", b"a\nB\nc\n").splitlines() == [
        "--- 读取时",
        "+++ 现在",
        "@@ -2 +2 @@",
        "-b",
        "+B",
    ]
    long = diff(b"".join(b"%d\n" % i for i in range(40)), b"")
    assert long.splitlines()[-1] == "…" and len(long.splitlines()) == 21
    assert diff(b"x\n", b"x\n") == ""


def test_the_first_xun_ends_on_the_tenth() -> None:
    from zwgk_cli.dates.deadlines import xun_of

    assert (xun_of(date(2020, 7, 5)).start, xun_of(date(2020, 7, 5)).end) == (
        date(2020, 7, 1),
        date(2020, 7, 10),
    )


def test_an_unforeseen_schema_error_is_still_chinese() -> None:
    from zwgk_cli.plan.validate import _pydantic_findings

    class Error:
        def errors(self, **_: object) -> list[dict[str, object]]:
            return [{"loc": ("title",), "type": "new_kind", "msg": "English", "ctx": {}}]

    (finding,) = _pydantic_findings(Error())
    assert finding.message == "title 的值不符合要求（new_kind）"


def test_report_counts_each_units_own_completion_date(run: Run, fixture_plan: object) -> None:
    """A unit that finished its part by the deadline is on time even if another is late."""
    plan = fixture_plan("members.yaml")  # type: ignore[operator]
    for unit, day in (("甲镇人民政府", "2020-07-30"), ("乙镇人民政府", "2020-08-03")):
        assert (
            run("done", "1", "-u", unit, "--on", day, "-f", str(plan), "--today", "2020-08-05").exit_code == 0
        )
    args = ("report", "-f", str(plan), "--today", "2020-08-05", "--format", "json")
    lines = {line["name"]: line for line in json.loads(run(*args).stdout)}
    assert (lines["甲镇人民政府"]["done_on_time"], lines["甲镇人民政府"]["done_late"]) == (1, 0)
    assert (lines["乙镇人民政府"]["done_on_time"], lines["乙镇人民政府"]["done_late"]) == (0, 1)
    assert (lines["麟绛街道办事处"]["open"], lines["麟绛街道办事处"]["overdue"]) == (1, 1)
    assert (
        run(
            "done",
            "1",
            "-u",
            "麟绛街道办事处",
            "--on",
            "2020-07-31",
            "-f",
            str(plan),
            "--today",
            "2020-08-05",
        ).exit_code
        == 0
    )
    lines = {line["name"]: line for line in json.loads(run(*args).stdout)}
    assert (lines["麟绛街道办事处"]["done_on_time"], lines["麟绛街道办事处"]["done_late"]) == (1, 0)
    # The whole task is done now (the last unit's date, 2020-08-03): late in the total.
    assert (lines["合计"]["done_late"], lines["合计"]["open"]) == (1, 1)
    assert (lines["区司法局"]["done_on_time"], lines["区司法局"]["open"]) == (1, 1)  # task 3 done, 2 open


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


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("units:\n  - {name: 甲}\ntasks: []", "units[1].kind 缺少必填项"),
        ("tasks:\n  - 5", "第 1 个任务 应为键值对"),
        ("tasks: {}", "tasks 应为列表（如 [区司法局, 区财政局]）"),
    ],
)
def test_where_a_schema_problem_is(run: Run, tmp_path: Path, body: str, message: str) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(f"title: t\n{body}\n", encoding="utf-8")
    result = run("check", str(plan))
    assert result.exit_code == 4 and f": {message}\n" in result.stderr, result.stderr


def test_report_counts_more_than_one(run: Run, tmp_path: Path) -> None:
    done = {"status": "done", "deadline": "2020年7月10日"}
    tasks = [
        {"id": 1, **done, "done_on": "2020-07-09"},
        {"id": 2, **done, "done_on": "2020-07-10"},
        {"id": 3, **done, "done_on": "2020-07-11"},
        {"id": 4, **done, "done_on": "2020-07-20"},
    ]
    total = {
        ln["name"]: ln
        for ln in json.loads(
            run(
                "report",
                "-f",
                str(write_plan(tmp_path / "p.yaml", tasks)),
                "--today",
                TODAY,
                "--format",
                "json",
            ).stdout
        )
    }["合计"]
    assert (total["done_on_time"], total["done_late"], total["rate"]) == (2, 2, 1.0)


def test_report_ranks_units_by_overdue_then_due_soon_then_open(run: Run, tmp_path: Path) -> None:
    tasks = [
        {"id": 1, "responsible": ["甲"], "deadline": "2020年7月1日"},  # 甲: 1 overdue
        {"id": 2, "responsible": ["乙"], "deadline": "2020年8月3日"},  # 乙: due soon
        {"id": 3, "responsible": ["丙"], "deadline": "2020年12月1日"},  # 丙: two open, not soon
        {"id": 4, "responsible": ["丙"], "deadline": "2020年12月2日"},
        {"id": 5, "responsible": ["丁"], "deadline": "2020年12月1日"},  # 丁: one open
    ]
    args = ("report", "-f", str(write_plan(tmp_path / "p.yaml", tasks)), "--today", TODAY, "--format", "json")
    names = [ln["name"] for ln in json.loads(run(*args).stdout)]
    assert names[:4] == ["甲", "乙", "丙", "丁"]


def test_new_files_get_the_usual_mode_and_their_folders(run: Run, plan: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "新" / "文件夹" / "x.csv"
        assert run("export", str(target), "-f", str(plan), "--today", TODAY).exit_code == 0
        assert target.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_new_file_errors_say_why(run: Run, plan: Path, tmp_path: Path) -> None:
    folder = tmp_path / "已有文件夹.csv"
    folder.mkdir()
    result = run("export", str(folder), "-f", str(plan), "--today", TODAY, "--force")
    assert result.exit_code == 6 and result.stderr == f"错误：{folder}: 这是一个文件夹\n"
    blocker = tmp_path / "是文件"
    blocker.write_text("", encoding="utf-8")
    result = run("export", str(blocker / "x.csv"), "-f", str(plan), "--today", TODAY)
    assert result.exit_code == 6 and "无法写入（" in result.stderr and "None" not in result.stderr


def test_done_messages_name_the_task_unit_and_dates(run: Run, plan: Path) -> None:
    args = ("-f", str(plan), "--today", TODAY)
    result = run("done", "10", "-u", "麟绛街道办事处", "--on", "2020-07-09", *args)
    assert result.stderr == f"已记录 麟绛街道办事处 完成任务 10（2020-07-09），进度 1/2：{plan}\n"
    result = run("done", "10", "-u", "麟绛街道办事处", *args)
    assert result.stderr == "任务 10 中 麟绛街道办事处 已于 2020-07-09 完成，未作改动\n"
    assert run("done", "7", "--on", "2020-07-30", *args).exit_code == 0
    assert run("done", "7", *args).stderr == "任务 7 已于 2020-07-30 完成，未作改动\n"


def test_done_may_be_dated_on_the_plans_first_day_but_not_before(run: Run, plan: Path) -> None:
    args = ("-f", str(plan), "--today", TODAY)
    before = run("done", "1", "--on", "2020-06-30", *args)
    assert before.exit_code == 2 and "早于计划开始（2020-07-01）" in before.stderr
    assert run("done", "1", "--on", "2020-07-01", *args).exit_code == 0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, 5.0), ("2", 2.0), ("0.5", 0.5), ("-3", 0.0), ("99999", 3600.0), ("abc", 5.0), ("nan", 5.0)],
)
def test_lock_timeout_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, seconds: float
) -> None:
    from zwgk_cli.storage.atomic import _lock_timeout

    if value is None:
        monkeypatch.delenv("ZWGK_LOCK_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("ZWGK_LOCK_TIMEOUT", value)
    assert _lock_timeout() == seconds


def test_only_stale_regular_temp_files_are_removed(run: Run, plan: Path, tmp_path: Path) -> None:
    import time

    folder = plan.parent
    stale, fresh, link = (folder / f".schedule.yaml.{n}.tmp" for n in ("old", "new", "link"))
    for path in (stale, fresh):
        path.write_text("", encoding="utf-8")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    os.utime(victim, (time.time() - 3600, time.time() - 3600))
    link.symlink_to(victim)
    assert run("done", "1", "-f", str(plan), "--today", TODAY).exit_code == 0
    assert not stale.exists() and fresh.exists() and link.is_symlink() and victim.exists()


def test_the_new_plan_is_written_beside_the_old_one(
    run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moves: list[tuple[str, str]] = []
    real = os.replace

    def record(source: str, target: object) -> None:
        moves.append((str(source), str(target)))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", record)
    assert run("done", "1", "-f", str(plan), "--today", TODAY).exit_code == 0
    ((source, _),) = [m for m in moves if m[1] == str(plan.resolve())]  # (and the cache's own)
    assert Path(source).parent == plan.parent.resolve()
    assert Path(source).name.startswith(".schedule.yaml.") and source.endswith(".tmp")


def test_an_added_key_goes_after_the_key_before_it(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "title: t\ntasks:\n  - id: 1\n    category: 甲\n    title: 乙\n    responsible: [丙]\n"
        "    deadline: 2020年7月\n    note: 已有备注\n",
        encoding="utf-8",
    )
    assert run("done", "1", "-f", str(plan), "--today", TODAY).exit_code == 0
    lines = plan.read_text(encoding="utf-8").splitlines()
    assert lines[-4:] == [
        "    deadline: 2020年7月",
        "    status: done",
        "    done_on: 2020-08-01",
        "    note: 已有备注",
    ]


def test_no_such_task_names_the_plans_ids(run: Run, plan: Path, tmp_path: Path) -> None:
    result = run("show", "99", "-f", str(plan), "--today", TODAY)
    assert result.stderr == "错误：计划中没有序号为 99 的任务（共 25 项，序号 1–25）\n"
    empty = tmp_path / "empty.yaml"
    empty.write_text("title: t\ntasks: []\n", encoding="utf-8")
    assert run("show", "1", "-f", str(empty), "--today", TODAY).stderr == "错误：计划中没有序号为 1 的任务\n"


def test_reopen_message(run: Run, plan: Path) -> None:
    assert run("done", "7", "-f", str(plan), "--today", TODAY).exit_code == 0
    assert run("reopen", "7", "-f", str(plan)).stderr == f"已将任务 7 改回未完成：{plan}\n"


def test_a_task_closed_late_as_a_whole_is_late_for_each_unit(run: Run, fixture_plan: object) -> None:
    plan = fixture_plan("members.yaml")  # type: ignore[operator]
    assert run("done", "1", "--on", "2020-08-03", "-f", str(plan), "--today", "2020-08-05").exit_code == 0
    args = ("report", "-f", str(plan), "--today", "2020-08-05", "--format", "json")
    lines = {line["name"]: line for line in json.loads(run(*args).stdout)}
    assert (lines["麟绛街道办事处"]["done_on_time"], lines["麟绛街道办事处"]["done_late"]) == (0, 1)


def test_an_unknown_top_level_key_is_named_exactly(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text("title: t\nXtasks: 1\ntasks: []\n", encoding="utf-8")
    assert f"{plan}:2: Xtasks 是未知的键（可能拼写有误）\n" in run("check", str(plan)).stderr


def test_a_hint_may_offer_several_names(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "title: t\nkinds: [区直部门]\nunits:\n  - {name: 区司法局, kind: 区直部门}\n"
        "  - {name: 区财政局, kind: 区直部门}\ntasks:\n"
        "  - {id: 1, category: 甲, title: 乙, responsible: [区某局], deadline: 2020年7月}\n",
        encoding="utf-8",
    )
    assert "未在 units 或 groups 中登记。您是否指：区财政局、区司法局？" in run("check", str(plan)).stderr


def test_the_bundled_plan_is_read_only(run: Run, tmp_path: Path) -> None:
    result = run("done", "1", "--today", TODAY)  # no plan here: the bundled copy is found
    assert result.exit_code == 6
    assert (
        "这是随程序安装的示例计划，只能查看。请先运行 zwgk init 把它复制到 ./data/schedule.yaml，再修改副本"
        in result.stderr
    )


def test_a_plan_nobody_may_write_is_left_alone(run: Run, plan: Path) -> None:
    plan.chmod(0o555)  # readable and executable, writable by nobody
    before = plan.read_bytes()
    result = run("done", "1", "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 6 and "只读" in result.stderr
    assert plan.read_bytes() == before
