"""The cache of validated plans is keyed by content: it is used, and never serves stale data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import TODAY, Run
from zwgk_cli.storage import store


def titles(run: Run, plan: Path, **kwargs: object) -> list[str]:
    result = run("list", "--file", str(plan), "--today", TODAY, "--format", "json", **kwargs)
    assert result.exit_code == 0, result.output
    return [t["title"] for t in json.loads(result.stdout)]


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "zwgk-cache" / "plans").glob("zwgk-*.cache"))


def test_unchanged_plan_is_not_parsed_again(
    run: Run, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = titles(run, plan)
    assert len(cache_files(tmp_path)) == 1

    def no_parse(*args: object) -> None:
        raise AssertionError("parsed although the cache holds this content")

    monkeypatch.setattr(store, "_parse", no_parse)
    assert titles(run, plan) == first
    report = run("report", "--file", str(plan), "--today", TODAY, "--format", "json")
    assert report.exit_code == 0 and json.loads(report.stdout)[-1]["overdue"] == 10


def test_edit_keeping_size_and_mtime_is_seen(run: Run, plan: Path) -> None:
    assert titles(run, plan)[0] == "成立政务公开领导组"
    stat = plan.stat()
    text = plan.read_bytes()
    changed = text.replace("成立政务公开领导组".encode(), "成立政务公开领导班".encode(), 1)
    assert len(changed) == len(text) and changed != text
    plan.write_bytes(changed)
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert plan.stat().st_size == stat.st_size and plan.stat().st_mtime_ns == stat.st_mtime_ns
    assert titles(run, plan)[0] == "成立政务公开领导班"


def test_done_is_seen_by_the_next_read(run: Run, plan: Path) -> None:
    assert titles(run, plan)
    assert run("done", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    result = run("show", "1", "--file", str(plan), "--today", TODAY, "--format", "json")
    assert json.loads(result.stdout)["status"] == "done"


def test_corrupt_cache_is_ignored(run: Run, plan: Path, tmp_path: Path) -> None:
    expected = titles(run, plan)
    for path in cache_files(tmp_path):
        path.write_text('{"plan": {"title": 1}, "tasks": [[1, 2]]}', encoding="utf-8")
    assert titles(run, plan) == expected
    for path in cache_files(tmp_path):
        path.write_bytes(b"\x00garbage")
    assert titles(run, plan) == expected


def test_cache_can_be_turned_off(run: Run, plan: Path, tmp_path: Path) -> None:
    titles(run, plan, env={"ZWGK_NO_CACHE": "1"})
    assert cache_files(tmp_path) == []


def test_broken_plan_is_never_cached_and_keeps_line_numbers(run: Run, plan: Path, tmp_path: Path) -> None:
    titles(run, plan)
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("deadline: 2020年7月上旬", "deadline: 2020年13月上旬"), encoding="utf-8")
    line = plan.read_text(encoding="utf-8").splitlines().index("    deadline: 2020年13月上旬") + 1
    result = run("list", "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 4
    assert f"{plan}:{line}: " in result.stderr
    assert len(cache_files(tmp_path)) == 1  # only the valid version


def test_a_cached_plan_is_the_plan_field_for_field(run: Run, tmp_path: Path) -> None:
    """Every field of every task survives the cache: notes, progress notes, dates, units."""
    from conftest import write_plan
    from zwgk_cli.plan.model import task_to_data
    from zwgk_cli.storage import cache, store

    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "status": "done", "done_on": "2020-07-30", "note": "已印发\n第二行"},
            {
                "id": 2,
                "responsible": ["甲局", "乙局"],
                "progress": [{"unit": "甲局", "done_on": "2020-07-29", "note": "甲的说明"}],
            },
            {"id": 3, "deadline": "长期坚持", "supervising": ["同（1）"]},
            {
                "id": 4,
                "deadline": "每季度首月20日前",
                "responsible": ["甲局", "乙局"],
                "periods": [
                    {"period": "2020Q1", "done_on": "2020-01-15"},
                    {"period": "2020Q2", "done_on": "2020-04-15", "unit": "甲局", "note": "已公开"},
                ],
            },
            {
                "id": 5,
                "deadline": "信息形成之日起20个工作日内",
                "events": [{"date": "2020-03-02", "note": "调整"}],
            },
            {"id": 6, "deadline": "2020年6月底前或变更后10日内"},
        ],
        year=2020,
        period="2020—2021年",
        region="测试区",
        source="来源",
    )
    fresh = store.load(store.Location(plan)).schedule
    cache.save(plan.read_bytes(), fresh)
    cached = cache.load(plan.read_bytes())
    assert cached is not None
    assert [task_to_data(i.task) for i in cached.items] == [task_to_data(i.task) for i in fresh.items]
    assert [(i.due, i.supervising, i.slots, i.done_by, i.span) for i in cached.items] == [
        (i.due, i.supervising, i.slots, i.done_by, i.span) for i in fresh.items
    ]
    assert [(i.kind, i.periodic, i.deadline) for i in cached.items] == [
        (i.kind, i.periodic, i.deadline) for i in fresh.items
    ]
    assert cached.items[5].deadline is not None and cached.items[5].deadline.after is not None
    assert cached.plan == fresh.plan


def _versions(plan: Path, count: int) -> list[str]:
    """``count`` different versions of the plan (each its own cache entry), as their titles."""
    text = plan.read_text(encoding="utf-8")
    return [text.replace("title: ", f"title: 第{k}版 ", 1) for k in range(count)]


def test_a_workspace_of_many_plans_stays_cached(run: Run, plan: Path, tmp_path: Path) -> None:
    for version in _versions(plan, 30):  # more plans than the 20 entries kept before
        plan.write_text(version, encoding="utf-8")
        titles(run, plan)
    assert len(cache_files(tmp_path)) == 30


def test_over_the_budget_the_least_recently_used_go(
    run: Run, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zwgk_cli.storage import cache

    versions = _versions(plan, 4)
    for version in versions[:3]:
        plan.write_text(version, encoding="utf-8")
        titles(run, plan)
    entries = cache_files(tmp_path)
    size = max(p.stat().st_size for p in entries)
    for age, entry in enumerate(entries):  # all written long ago, in this order
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))
    plan.write_text(versions[0], encoding="utf-8")
    titles(run, plan)  # read now: the most recently used of the three
    used = max(cache_files(tmp_path), key=lambda p: p.stat().st_mtime)
    monkeypatch.setattr(cache, "_BUDGET", 2 * size + size // 2)  # room for two entries and a half
    plan.write_text(versions[3], encoding="utf-8")
    titles(run, plan)
    kept = cache_files(tmp_path)
    assert len(kept) == 2 and used in kept
    monkeypatch.setattr(cache, "_BUDGET", 1)  # even over the budget, the newest entry stays
    plan.write_text(versions[2], encoding="utf-8")
    titles(run, plan)
    assert len(cache_files(tmp_path)) == 1


def test_the_cache_folder_is_listed_again_only_when_it_may_be_over_the_budget(
    run: Run, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One process that saves many entries (a workspace read for the first time) lists the
    folder once, then counts what it adds; past the budget it lists it and prunes."""
    from zwgk_cli.storage import cache

    listed: list[str] = []
    real = os.scandir
    folder = str(tmp_path / "zwgk-cache" / "plans")

    def spy(path: str) -> object:
        if str(path) == folder:
            listed.append(str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", spy)
    versions = _versions(plan, 6)
    for version in versions[:5]:
        plan.write_text(version, encoding="utf-8")
        titles(run, plan)
    assert len(listed) == 1 and len(cache_files(tmp_path)) == 5
    size = max(p.stat().st_size for p in cache_files(tmp_path))
    monkeypatch.setattr(cache, "_BUDGET", 5 * size + size // 2)  # what is there now, and half more
    plan.write_text(versions[5], encoding="utf-8")
    listed.clear()  # (the glob of cache_files lists it too)
    titles(run, plan)
    assert len(listed) == 1 and len(cache_files(tmp_path)) == 5  # the oldest made room
    # Another process lists the folder (all five entries) and counts from what it kept.
    monkeypatch.setattr(cache, "_SIZES", {})
    monkeypatch.setattr(cache, "_BUDGET", 6 * size + size // 2)
    for version in versions[:2]:
        plan.write_text(version + "\n# 又一版\n", encoding="utf-8")
        listed.clear()
        titles(run, plan)
    assert len(listed) == 1 and len(cache_files(tmp_path)) == 6  # the second passed the budget


def test_the_key_covers_every_module_that_interprets_a_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """entries.py and texts.py decide what a plan means too; a new module in dates/ or plan/ counts
    without being listed: every one of them is read into the key."""
    from zwgk_cli.storage import cache

    read: list[str] = []
    real = Path.read_bytes

    def spy(path: Path) -> bytes:
        read.append(path.as_posix())
        return real(path)

    cache._code_digest.cache_clear()
    monkeypatch.setattr(Path, "read_bytes", spy)
    try:
        cache._code_digest()
    finally:
        cache._code_digest.cache_clear()
    src = Path(cache.__file__).parent.parent
    expected = {p.as_posix() for package in ("dates", "plan") for p in (src / package).glob("*.py")}
    assert expected <= set(read)
    assert {"plan/entries.py", "plan/texts.py", "storage/yamltree.py", "storage/cache.py"} <= {
        Path(r).relative_to(src).as_posix() for r in read
    }


def test_a_write_leaves_the_new_plan_cached(run: Run, plan: Path) -> None:
    """Issue 24: a write keeps the cache current, so the read after it does not parse again."""
    from zwgk_cli.storage import cache

    assert run("done", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    cached = cache.load(plan.read_bytes())
    assert cached is not None and cached.require(1).is_done


def test_a_cached_read_imports_nothing_it_does_not_use(plan: Path, tmp_path: Path) -> None:
    """Issue 24: a read of a plan the cache holds loads no YAML parser, no schema, no office or
    terminal-table library (the first run, which parses, does)."""
    import subprocess
    import sys

    heavy = ("yaml", "zwgk_cli.storage.yamltree", "zwgk_cli.plan.schema", "openpyxl", "docx", "rich")
    code = (
        "import sys\nfrom zwgk_cli.cli import main\n"
        f"sys.argv = ['zwgk', 'overdue', '-f', {str(plan)!r}, '--today', {TODAY!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', *(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "ZWGK_CACHE_DIR": str(tmp_path / "cache")}

    def loaded() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        last = done.stderr.splitlines()[-1]  # what zwgk itself says comes before
        assert last.startswith("loaded:"), done.stderr
        return last.split()[1:]

    assert {"yaml", "zwgk_cli.plan.schema"} <= set(loaded())  # the first read parses and validates
    assert loaded() == []


def test_a_cached_task_keeps_only_what_differs_from_the_defaults() -> None:
    """A cached plan of 10,000 tasks is mostly empty fields: pickled without them, it loads in
    two thirds of the time; read back, every field is as it was."""
    import pickle
    from datetime import date

    from zwgk_cli.plan.entries import UnitDone
    from zwgk_cli.plan.model import Status, Task

    bare = Task(id=1, category=None, title="公开", responsible=("区司法局",), supervising=())
    assert set(bare.__getstate__()) == {"id", "category", "title", "responsible", "supervising"}
    full = Task(
        id=2,
        category="类",
        title="公开",
        responsible=("区司法局",),
        supervising=("区政府办公室",),
        deadline="2020年7月下旬",
        status=Status.DONE,
        done_on=date(2020, 7, 20),
        note="已印发",
        progress=(UnitDone("区司法局", date(2020, 7, 20)),),
        subcategory="二级",
        lead=("区财政局",),
        cooperating=("区教育局",),
        extra=(("备注", "甲"),),
    )
    assert set(full.__getstate__()) == {f for f in full.__dataclass_fields__ if getattr(full, f)}
    for task in (bare, full):
        again = pickle.loads(pickle.dumps(task))
        assert again == task and again.progress == task.progress and again.status is task.status
    # Each class by its own defaults: an item keeps what differs from an item's.
    from dataclasses import MISSING, fields

    from conftest import BUNDLED
    from zwgk_cli.storage.store import Location, read_schedule

    item = read_schedule(Location(BUNDLED)).items[0]
    differ = {f.name for f in fields(item) if f.default is MISSING or getattr(item, f.name) != f.default}
    assert {k for k in item.__getstate__() if k in item.__dataclass_fields__} == differ
    assert "period" not in differ and "verification" not in differ  # at their defaults: left out
