"""The cache of validated plans is keyed by content: it is used, and never serves stale data."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, TODAY, Run
from zwgk_cli.errors import NotFound
from zwgk_cli.plan.model import ROLES
from zwgk_cli.plan.schedule import Schedule
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
    from zwgk_cli.plan.data import task_to_data
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


def test_a_cached_registry_is_its_plan_and_unregistered_names(run: Run, plan: Path) -> None:
    """The registry's lookups (units, groups, each group's members) are worked out from the plan
    when first used: the entry keeps the plan once and the names no registry lists, and what a
    restored registry answers is what a fresh one does."""
    import pickle

    from zwgk_cli.plan.units import Registry

    fresh = store.load(store.Location(plan)).schedule
    fresh.registry.members("各级各部门")  # worked out here: still not kept
    state = fresh.registry.__getstate__()
    assert state == {"plan": fresh.plan, "unregistered": fresh.registry.unregistered}
    again = pickle.loads(pickle.dumps(fresh))
    assert again.registry.plan is again.plan  # one plan in the entry, not two
    assert "units" not in vars(again.registry) and "_members" not in vars(again.registry)
    rebuilt = Registry(fresh.plan)
    for registry in (again.registry, rebuilt):
        assert registry.units == fresh.registry.units and registry.groups == fresh.registry.groups
        assert registry.names() == fresh.registry.names()
        assert [registry.members(g) for g in registry.groups] == [
            fresh.registry.members(g) for g in registry.groups
        ]
    assert len(again.registry.members("各级各部门")) > 10


def test_a_cached_plan_finds_its_tasks_by_number_without_keeping_the_index(plan: Path) -> None:
    """Each task by its key is worked out when first looked up, and never pickled."""
    import pickle

    fresh = store.load(store.Location(plan)).schedule
    assert fresh.require(3).task.id == 3 and "by_id" in vars(fresh)
    again = pickle.loads(pickle.dumps(fresh))
    assert "by_id" not in vars(again)
    assert again.require(3).task == fresh.require(3).task and again.item(99) is None
    assert again.by_id.keys() == fresh.by_id.keys()
    with pytest.raises(NotFound, match="没有序号为 99 的任务（共 25 项，序号 1–25）"):
        again.require(99)


def test_warnings_are_not_cached_and_check_still_shows_them(run: Run, plan: Path) -> None:
    """Only ``check`` shows a plan's warnings, with their lines, and it reads the text whole: the
    cached plan leaves them out (a workspace's 200 plans were a tenth warnings)."""
    from zwgk_cli.storage import cache

    text = plan.read_text(encoding="utf-8")
    text = text.replace("kinds: [", "kinds: [其他, ", 1)
    plan.write_text(text.replace("units:\n", "units:\n  - {name: 区未用局, kind: 其他}\n", 1), "utf-8")
    fresh = store.load(store.Location(plan)).schedule
    assert any("区未用局" in w.message for w in fresh.warnings)
    titles(run, plan)  # cached now
    cached = cache.load(plan.read_bytes())
    assert cached is not None and cached.warnings == () and cached.items == fresh.items
    checked = run("check", str(plan))
    assert checked.exit_code == 0 and "区未用局”已登记，但没有任务用到它" in checked.output


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
    """Issue 24: a read of a plan the cache holds loads no YAML parser, no schema, no validator
    or its checks, no date arithmetic for reading phrases, no office or terminal-table library
    (the first run, which parses, does)."""
    import subprocess
    import sys

    heavy = (
        *("yaml", "zwgk_cli.storage.yamltree", "zwgk_cli.plan.schema", "zwgk_cli.plan.validate"),
        *("zwgk_cli.plan.findings", "zwgk_cli.storage.revision", "openpyxl", "docx", "rich"),
        "dateutil",  # reading deadline phrases only
    )
    code = (  # main ends the process: what was loaded is told as it ends (atexit)
        "import atexit, sys\nfrom zwgk_cli.cli import main\n"
        f"loaded = lambda: [m for m in {heavy!r} if m in sys.modules]\n"
        "atexit.register(lambda: print('loaded:', *loaded(), file=sys.stderr))\n"
        f"sys.argv = ['zwgk', 'overdue', '-f', {str(plan)!r}, '--today', {TODAY!r}, '--format', 'json']\n"
        "main()\n"
    )
    env = {**os.environ, "ZWGK_CACHE_DIR": str(tmp_path / "cache")}

    def loaded() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        last = done.stderr.splitlines()[-1]  # what zwgk itself says comes before
        assert last.startswith("loaded:"), done.stderr
        return last.split()[1:]

    first = {"yaml", "zwgk_cli.plan.schema", "zwgk_cli.plan.validate", "zwgk_cli.plan.findings", "dateutil"}
    assert first <= set(loaded())  # the first read parses and validates
    assert loaded() == []


def test_a_cached_task_keeps_only_what_differs_from_the_defaults() -> None:
    """A cached plan of 10,000 tasks is mostly empty fields: pickled without them, it loads in
    two thirds of the time; read back, every field is as it was."""
    import pickle
    from datetime import date

    from zwgk_cli.plan.entries import UnitDone
    from zwgk_cli.plan.model import NOBODY, Item, Status, Task

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
    # Nobody has recorded a part: the one shared empty map, left out, and read back as it was.
    assert item.done_by is NOBODY and "done_by" not in item.__getstate__()
    assert pickle.loads(pickle.dumps(item)).done_by is NOBODY and dict(NOBODY) == {} and not NOBODY
    for change in (
        lambda m: m.__setitem__("区司法局", date(2020, 7, 1)),
        lambda m: m.update(a=1),
        lambda m: m.clear(),
    ):
        with pytest.raises(TypeError, match=r"^an item's done_by is read-only$"):
            change(NOBODY)
    with_progress = Item(bare, None, {}, ("区司法局",), {"区司法局": date(2020, 7, 20)})
    assert with_progress.__getstate__()["done_by"] == {"区司法局": date(2020, 7, 20)}


def test_a_cached_plan_holds_each_text_once(run: Run, plan: Path, tmp_path: Path) -> None:
    """A unit's name is written in every task it has a role in: read as one text object, the
    cached plan stores it once (a 10,000-task plan's entry a fifth smaller, restored faster)."""
    import pickletools

    from zwgk_cli.storage.yamltree import read_tree

    tree = read_tree(plan.read_text(encoding="utf-8"))
    named = [name for task in tree.data["tasks"] for name in task["supervising"] if name == "区司法局"]
    assert len(named) > 1 and all(name is named[0] for name in named)
    titles(run, plan)
    (entry,) = cache_files(tmp_path)
    texts = [arg for op, arg, _ in pickletools.genops(entry.read_bytes()) if "UNICODE" in op.name]
    assert "区司法局" in texts and len(texts) == len(set(texts))


def test_a_cached_plan_holds_each_list_of_units_once(plan: Path) -> None:
    """Equal lists of units are one tuple (a task's own where 同（N） and groups change
    nothing), and whether a task recurs and whether it is done are worked out before the plan
    is cached: each is stored once, and read back instead of worked out again on every read."""
    import pickle

    def lists(schedule: Schedule) -> dict[tuple[str, ...], set[int]]:
        found: dict[tuple[str, ...], set[int]] = {}
        for i in schedule.items:
            for names in (*i.units.values(), i.slots):
                found.setdefault(names, set()).add(id(names))
        return found

    schedule = store.load(store.Location(plan)).schedule
    again = pickle.loads(pickle.dumps(schedule))
    for each in (schedule, again):
        assert all(len(ids) == 1 for ids in lists(each).values()) and len(lists(each)) > 10
        first = each.items[0]  # a task's own list, where it is the first of its value
        assert all(first.units.get(r, ()) is getattr(first.task, r) for r in ROLES)
        assert all(names for i in each.items for names in i.units.values())  # a role with none: left out
    for name in ("periodic", "is_done"):
        assert all(name in vars(i) for i in schedule.items)
        assert [vars(i)[name] for i in again.items] == [getattr(i, name) for i in schedule.items]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the user cache folder of Linux (XDG)")
def test_the_cache_lives_in_the_users_cache_folder_unless_moved_or_turned_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``~/.cache/zwgk`` (where ``XDG_CACHE_HOME`` says) by default; ``ZWGK_CACHE_DIR`` moves
    it, ``ZWGK_NO_CACHE`` turns it off; a variable set to nothing counts as not set."""
    from zwgk_cli.storage.cache import cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    default = tmp_path / "xdg" / "zwgk" / "plans"
    moved = {"ZWGK_CACHE_DIR": str(tmp_path / "c")}
    assert cache_dir({}) == default
    assert cache_dir({"ZWGK_CACHE_DIR": "", "ZWGK_NO_CACHE": ""}) == default
    assert cache_dir(moved) == tmp_path / "c" / "plans"
    assert cache_dir({**moved, "ZWGK_NO_CACHE": "1"}) is None
    assert cache_dir({"ZWGK_NO_CACHE": "1"}) is None


def test_a_value_worked_out_once_is_kept_in_the_object_and_documented() -> None:
    """``lean.once``: the first read works the value out and keeps it under the attribute's
    own name, so later reads never call it again; help() shows the function's docstring."""
    from zwgk_cli.plan.lean import once

    calls: list[int] = []

    class Thing:
        @once
        def answer(self) -> int:
            """What it works out."""
            calls.append(1)
            return 42

    thing = Thing()
    assert (thing.answer, thing.answer, thing.answer) == (42, 42, 42)
    assert calls == [1] and thing.__dict__ == {"answer": 42}
    assert Thing.__dict__["answer"].__doc__ == "What it works out."
    assert isinstance(Thing.answer, once)  # read from the class: the descriptor itself


def test_an_entry_may_name_only_the_public_plan_classes_and_dates() -> None:
    """What a cache entry may build: the public names of ``dates/`` and ``plan/``, and
    ``datetime.date``; sets and tuples have their own opcodes and name nothing."""
    import io
    import pickle
    from datetime import date

    from zwgk_cli.plan.model import Task
    from zwgk_cli.storage.cache import _Unpickler

    unpickler = _Unpickler(io.BytesIO(b""))
    assert unpickler.find_class("zwgk_cli.plan.model", "Task") is Task
    assert unpickler.find_class("datetime", "date") is date
    refused = [
        ("zwgk_cli.plan.model", "_field"),  # a private helper of a plan module
        ("zwgk_cli.storage.cache", "save"),  # zwgk, but not a plan
        ("zwgk_cli.cli.app", "app"),
        ("datetime", "datetime"),
        ("datetime", "timedelta"),
        ("builtins", "set"),
        ("builtins", "exec"),
        ("os", "system"),
        ("zwgk_cli", "__version__"),
    ]
    for module, name in refused:
        with pytest.raises(pickle.UnpicklingError, match="not part of a plan"):
            unpickler.find_class(module, name)
    schedule = store.read_schedule(store.Location(BUNDLED))
    assert type(_Unpickler(io.BytesIO(pickle.dumps(schedule))).load()) is type(schedule)


def _folder_of(tmp_path: Path, sizes: list[int]) -> list[Path]:
    """Cache entries of ``sizes`` bytes, the first the most recently used."""
    folder = tmp_path / "plans"
    folder.mkdir()
    entries = []
    for age, size in enumerate(sizes):
        entry = folder / f"zwgk-{age}.cache"
        entry.write_bytes(b"x" * size)
        os.utime(entry, (1_000_000 - age, 1_000_000 - age))
        entries.append(entry)
    return entries


@pytest.mark.parametrize(("budget", "kept"), [(30, 3), (29, 2), (20, 2), (19, 1), (1, 1)])
def test_entries_are_kept_up_to_the_budget_exactly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, budget: int, kept: int
) -> None:
    from zwgk_cli.storage import cache

    entries = _folder_of(tmp_path, [10, 10, 10])
    monkeypatch.setattr(cache, "_BUDGET", budget)
    monkeypatch.setattr(cache, "_SIZES", {})
    cache._prune(entries[0].parent, 0)
    assert [e.exists() for e in entries] == [True] * kept + [False] * (3 - kept)
    assert cache._SIZES[entries[0].parent] == 10 * kept  # what it kept, counted from nothing


def test_the_folder_is_listed_again_only_past_the_budget(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from zwgk_cli.storage import cache

    (entry,) = _folder_of(tmp_path, [10])
    folder = entry.parent
    listed: list[object] = []
    real = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(path) or real(path))
    monkeypatch.setattr(cache, "_BUDGET", 30)
    monkeypatch.setattr(cache, "_SIZES", {folder: 10})
    cache._prune(folder, 20)  # exactly the budget: counted, not listed
    assert listed == [] and cache._SIZES[folder] == 30
    cache._prune(folder, 1)  # past it: listed (and only the one entry there is counted)
    assert listed == [folder] and cache._SIZES[folder] == 10


def test_the_size_of_a_link_in_the_folder_is_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A link never makes the folder look bigger (or another file's age count)."""
    from zwgk_cli.storage import cache

    (entry,) = _folder_of(tmp_path, [10])
    big = tmp_path / "big"
    big.write_bytes(b"x" * 1000)
    link = entry.parent / "zwgk-link.cache"
    link.symlink_to(big)
    monkeypatch.setattr(cache, "_SIZES", {})
    cache._prune(entry.parent, 0)
    assert cache._SIZES[entry.parent] == 10 + link.lstat().st_size < 1000


def test_a_folder_that_fails_while_pruned_costs_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A folder gone, or an entry that cannot be removed (here a folder of that name): the
    clean-up leaves it and the command goes on."""
    from zwgk_cli.storage import cache

    monkeypatch.setattr(cache, "_SIZES", {})
    cache._prune(tmp_path / "gone", 0)
    entries = _folder_of(tmp_path, [10])
    stuck = entries[0].parent / "zwgk-stuck.cache"
    stuck.mkdir()
    (stuck / "inside").write_bytes(b"")
    os.utime(stuck, (1, 1))  # the oldest: the first to go
    monkeypatch.setattr(cache, "_BUDGET", 10)
    cache._prune(entries[0].parent, 0)
    assert stuck.exists() and entries[0].exists()


@pytest.mark.parametrize(("age", "removed"), [(3600, False), (3601, True)])
def test_a_temp_file_is_removed_once_an_hour_old(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, age: int, removed: bool
) -> None:
    from zwgk_cli.storage import cache

    folder = tmp_path / "plans"
    folder.mkdir()
    temp = folder / "zwgk-abc.tmp"
    temp.write_bytes(b"")
    os.utime(temp, (1_000_000, 1_000_000))
    monkeypatch.setattr(cache.time, "time", lambda: 1_000_000 + age)
    monkeypatch.setattr(cache, "_SIZES", {})
    cache._prune(folder, 0)
    assert temp.exists() is not removed


def test_an_entry_is_written_beside_the_others_under_a_name_the_clean_up_knows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The temp file is in the cache folder (a rename is atomic only within one file system)
    and named ``zwgk-….tmp``, so that the clean-up removes it if the write was killed; a
    folder that cannot be made costs only the entry."""
    import tempfile

    from zwgk_cli.storage import cache

    made: list[str] = []
    real = tempfile.mkstemp

    def spy(**kwargs: str) -> tuple[int, str]:
        fd, name = real(**kwargs)
        made.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    target = tmp_path / "plans" / "zwgk-entry.cache"
    cache._save(target, ("an", "entry"))
    (temp,) = made
    assert Path(temp).parent == target.parent and Path(temp).name.startswith("zwgk-")
    assert temp.endswith(".tmp") and not Path(temp).exists() and target.exists()
    cache._save(tmp_path / "plans" / "zwgk-entry.cache" / "zwgk-under-a-file.cache", "entry")  # no error
