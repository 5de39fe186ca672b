"""Issue 24: a write is validated by what it changed. Where only the records of some tasks
changed (status, dates, progress, reports, …), those tasks' lines are read and checked alone;
the result must be exactly what reading and validating the whole new text gives, and any other
change (or anything in doubt) is validated whole, which also gives the errors."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, TODAY, Run, write_plan
from zwgk_cli.errors import PlanInvalid
from zwgk_cli.storage import edits, store
from zwgk_cli.storage.document import Document, Location
from zwgk_cli.storage.revision import revised
from zwgk_cli.tracking import supervise

Step = Callable[[Document], edits.Outcome]


def _cached(path: Path) -> Document:
    """The plan as a write on a plan zwgk wrote starts from: schedule and spans, no parse tree."""
    whole = store.load(Location(path))
    return Document(whole.location, whole.raw, whole.text, whole.schedule, whole.spans)


def _whole(document: Document, text: str) -> Document:
    return store._parse(document.location, store._encoded(document, text))


def _assert_same(found: Document, whole: Document) -> None:
    assert found.raw == whole.raw and found.text == whole.text
    assert found.spans == whole.spans
    ours, theirs = found.schedule, whole.schedule
    assert ours.plan == theirs.plan
    assert ours.items == theirs.items
    assert ours.by_id == theirs.by_id
    assert ours.warnings == theirs.warnings and ours.name == theirs.name
    assert ours.registry.names() == theirs.registry.names()


def _steps(document: Document, steps: list[Step]) -> Document:
    """Each step's text checked by the tasks it changed, and compared with the whole check."""
    for step in steps:
        text = step(document).text
        assert text is not None
        found = revised(document, text, store._encoded(document, text))
        assert found is not None, "a change of records alone is checked by its tasks"
        _assert_same(found, _whole(document, text))
        document = found
    return document


def _copy(tmp_path: Path, name: str, newline: str = "\n", bom: bool = False) -> Path:
    text = (FIXTURES / name).read_text(encoding="utf-8").replace("\n", newline)
    target = tmp_path / name
    target.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return target


JULY = date(2020, 7, 20)
AUGUST = date(2020, 8, 1)


@pytest.mark.parametrize(("newline", "bom"), [("\n", False), ("\r\n", False), ("\n", True), ("\r", False)])
def test_the_supervision_loop_is_checked_task_by_task(tmp_path: Path, newline: str, bom: bool) -> None:
    path = _copy(tmp_path, "supervised.yaml", newline, bom)
    steps: list[Step] = [
        lambda d: edits.apply_done(d, 1, "区司法局", JULY, AUGUST, '含 "引号"、冒号: 和 #号'),
        lambda d: supervise.apply_progress(
            d, 3, None, "正在起草：初稿已完成", ("屯政办〔2020〕5号",), JULY, AUGUST
        ),
        lambda d: supervise.apply_verify(d, 1, "区司法局", "材料齐全", None, AUGUST),
        lambda d: edits.apply_done(d, 1, "区财政局", JULY, AUGUST, None),
        lambda d: supervise.apply_return(d, 1, "区财政局", "缺少佐证材料", None, AUGUST),
        lambda d: supervise.apply_withdraw(d, 3, None, None),
        lambda d: edits.apply_done(d, 4, None, JULY, AUGUST, None),
        lambda d: edits.apply_reopen(d, 4, None),
        lambda d: edits.apply_done(d, 2, None, JULY, AUGUST, "最后一个任务之后没有空行"),
    ]
    last = _steps(_cached(path), steps)
    assert last.schedule.require(1).task.verified and last.schedule.require(2).task.done_on == JULY


def test_occurrences_and_events_are_checked_task_by_task(tmp_path: Path) -> None:
    path = _copy(tmp_path, "recurring.yaml")
    today = date(2023, 9, 1)
    steps: list[Step] = [
        lambda d: edits.apply_done(d, 1, None, date(2023, 4, 10), today, None, "2023Q1"),
        lambda d: edits.apply_done(d, 2, "区司法局", date(2023, 5, 8), today, None, "2023-05"),
        lambda d: edits.apply_event(d, 3, date(2023, 3, 1), None, "机构调整", today),
        lambda d: edits.apply_done(d, 3, None, date(2023, 3, 20), today, None, "2023-03-01"),
        lambda d: edits.apply_reopen(d, 1, None, "2023Q1"),
        lambda d: edits.apply_done(d, 7, None, date(2023, 6, 1), today, None),
    ]
    _steps(_cached(path), steps)


def test_the_bundled_plan_with_groups_and_references(plan: Path) -> None:
    """Units done one by one (a group's members, a task whose units are 同（N）)."""
    document = _cached(plan)
    shared = next(i for i in document.schedule.items if len(i.slots) > 2)
    steps: list[Step] = [
        lambda d: edits.apply_done(d, shared.id, shared.slots[0], JULY, AUGUST, None),
        lambda d: edits.apply_done(d, shared.id, shared.slots[1], JULY, AUGUST, "已印发"),
        lambda d: edits.apply_reopen(d, shared.id, shared.slots[0]),
        lambda d: edits.apply_done(d, 25, None, JULY, AUGUST, None),
        lambda d: edits.apply_done(d, 1, None, JULY, AUGUST, None),
    ]
    _steps(document, steps)


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


WHOLE = {
    "a task's title": ("    title: 公开年度预算\n", "    title: 公开年度预算和决算\n"),
    "a task's units": ("    responsible: [区财政局]\n", "    responsible: [区财政局, 区教育局]\n"),
    "a task's deadline": ("    deadline: 2020年7月中旬\n", "    deadline: 2020年7月下旬\n"),
    "a task's number": ("  - id: 2\n", "  - id: 5\n"),
    "the plan's head": ("year: 2020\n", "year: 2021\n"),
    "a new task": (
        "  - id: 4\n",
        "  - id: 5\n    title: 新增\n    responsible: [区教育局]\n    deadline: 2020年9月\n\n  - id: 4\n",
    ),
    "a task taken out": (
        "  - id: 2\n    category: 组织实施\n    title: 公开年度预算\n    responsible: [区财政局]\n"
        "    supervising: [区政府办公室]\n    deadline: 2020年7月中旬\n\n",
        "",
    ),
}


BROKEN = {
    "done without a date": (
        "    deadline: 2020年7月中旬\n",
        "    deadline: 2020年7月中旬\n    status: done\n",
    ),
    "a date without done": (
        "    deadline: 2020年7月中旬\n",
        "    deadline: 2020年7月中旬\n    done_on: 2020-07-01\n",
    ),
    "an unknown key": ("    deadline: 2020年7月中旬\n", "    deadline: 2020年7月中旬\n    stauts: done\n"),
    "a note YAML reads as a boolean": (
        "    deadline: 2020年7月中旬\n",
        "    deadline: 2020年7月中旬\n    note: yes\n",
    ),
    "a unit not of the task": (
        "    deadline: 2020年7月中旬\n",
        "    deadline: 2020年7月中旬\n    progress:\n      - {unit: 区教育局, done_on: 2020-07-01}\n",
    ),
    "a control character": (
        "    deadline: 2020年7月中旬\n",
        "    deadline: 2020年7月中旬\n    note: 坏\x07字\n",
    ),
    "a broken line": ("    deadline: 2020年7月中旬\n", "    deadline: 2020年7月中旬\n    note: [未闭合\n"),
    "a line run into the task before": ("  - id: 3\n", "    id: 3\n"),
}


@pytest.mark.parametrize(("what", "valid"), [*((w, True) for w in WHOLE), *((w, False) for w in BROKEN)])
def test_any_other_change_and_any_broken_task_are_left_to_the_whole_check(
    tmp_path: Path, what: str, valid: bool
) -> None:
    """A change beyond records (the whole check takes it), or a task its own checks refuse
    (the whole check refuses the plan, and says why)."""
    document = _cached(_copy(tmp_path, "supervised.yaml"))
    text = _replace(document.text, *(WHOLE if valid else BROKEN)[what])
    assert revised(document, text, store._encoded(document, text)) is None
    if valid:
        assert _whole(document, text).text == text
    else:
        with pytest.raises(PlanInvalid):
            _whole(document, text)


def test_a_comment_added_in_a_task_is_checked_by_that_task(tmp_path: Path) -> None:
    document = _cached(_copy(tmp_path, "supervised.yaml"))
    text = _replace(
        document.text, "    title: 公开年度预算\n", "    title: 公开年度预算\n    # 已与财政局核对\n"
    )
    found = revised(document, text, store._encoded(document, text))
    assert found is not None
    _assert_same(found, _whole(document, text))


def test_where_a_task_stands_comes_from_its_own_lines(tmp_path: Path) -> None:
    """A write on a plan zwgk wrote reads the task it edits alone, not the whole text."""
    document = _cached(_copy(tmp_path, "supervised.yaml"))
    alone = document.task_lines(3)
    assert "tree" not in document.__dict__
    assert alone == store.load(document.location).tree.item_lines(("tasks", 2))


def test_where_the_spans_do_not_hold_the_task_the_tree_is_read(tmp_path: Path) -> None:
    document = _cached(_copy(tmp_path, "supervised.yaml"))
    wrong = dataclasses.replace(document, spans=(document.spans[1], *document.spans[1:]))
    assert wrong.task_lines(1) == store.load(document.location).tree.item_lines(("tasks", 0))
    assert "tree" in wrong.__dict__


RECORDS = [
    ["    status: done", "    done_on: 2020-07-20"],
    ["    status: done"],
    ["    done_on: 2020-07-20"],
    ["    status: done", "    done_on: 2020-13-01"],
    ["    note: 已完成"],
    ["    note: yes"],
    ["    note: '引号: 冒号'"],
    ["    note: |", "      多行", "      备注"],
    ["    progress:", "      - {unit: 区司法局, done_on: 2020-07-21}"],
    ["    progress:", "      - {unit: 区财政局, done_on: 2020-07-22, note: 已报}"],
    ["    reports:", "      - {date: 2020-07-10, unit: 区司法局, text: 正在起草}"],
    ["    reports:", "      - {date: 2020-07-10, text: 正在起草, evidence: [屯政办〔2020〕5号]}"],
    ["    verified:", "      - {date: 2020-07-25, unit: 区司法局}"],
    ["    periods:", "      - {period: 2020Q3, done_on: 2020-07-25}"],
    ["  # 注释"],
    [""],
]
NOISE = [
    "    title: 改了标题",
    "    responsible: [区教育局]",
    "    deadline: 2020年9月",
    "  - id: 9",
    "  - id: 2",
    "title: 另一个标题",
    "  -",
    "    status: done",
    "",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, 3), st.sampled_from(RECORDS)), min_size=1, max_size=3),
    st.lists(
        st.tuples(st.sampled_from(["put", "insert", "drop"]), st.integers(0, 60), st.sampled_from(NOISE)),
        max_size=1,
    ),
)
def test_what_is_checked_by_its_tasks_is_what_the_whole_check_gives(
    tmp_path: Path, records: list[tuple[int, list[str]]], noise: list[tuple[str, int, str]]
) -> None:
    """Records added to tasks (valid or not), and now and then any other line put in, added or
    taken out anywhere: where the tasks changed settle it, the answer is the whole check's, and
    a plan the whole check refuses is never taken."""
    document = _cached(_copy(tmp_path, "supervised.yaml"))
    lines = list(document.lines)
    # From the last task up, so that the earlier tasks' lines stay where the spans say.
    for pos, record in sorted(records, key=lambda r: -r[0]):
        first, end = document.spans[pos]
        at = next(n for n in range(first, end) if lines[n].startswith("    deadline:")) + 1
        lines[at:at] = [line + "\n" for line in record]
    for how, at, line in noise:
        at = min(at, len(lines) - 1)
        if how == "put":
            lines[at] = line + "\n"
        elif how == "insert":
            lines.insert(at, line + "\n")
        else:
            del lines[at]
    text = "".join(lines)
    found = revised(document, text, store._encoded(document, text))
    try:
        whole = _whole(document, text)
    except PlanInvalid:
        assert found is None
        return
    if found is not None:
        _assert_same(found, whole)


def test_a_write_on_a_plan_zwgk_wrote_parses_nothing_whole(
    run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write used to read and parse the plan, then parse the new text to check it. On a plan
    zwgk wrote last, a done or reopen parses neither: it reads and checks the task it changed."""
    parsed: list[bytes] = []
    real = store._parse

    def counted(location: Location, raw: bytes) -> Document:
        parsed.append(raw)
        return real(location, raw)

    monkeypatch.setattr(store, "_parse", counted)
    before = plan.read_bytes()
    assert run("done", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert parsed == [before]  # a plan edited by hand is read whole; its change is checked alone
    parsed.clear()
    written = plan.read_bytes()
    assert run("reopen", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert parsed == [] and plan.read_bytes() == before
    assert (
        run(
            "done",
            "4",
            "-u",
            "麟绛街道办事处",
            "-u",
            "区行政审批管理局",
            "--file",
            str(plan),
            "--today",
            TODAY,
        ).exit_code
        == 0
    )
    assert parsed == []  # two steps, each checked by the task it changed
    plan.write_bytes(written + b"# a comment added by hand\n")
    assert run("done", "2", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert len(parsed) == 1  # content zwgk did not write: read and validated again


def test_the_cache_after_a_write_is_what_a_read_of_the_file_gives(run: Run, plan: Path) -> None:
    from zwgk_cli.storage import cache

    assert run("done", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert run("done", "4", "--file", str(plan), "--today", TODAY, "--note", "已印发").exit_code == 0
    raw = plan.read_bytes()
    kept, spans = cache.load(raw), cache.load_spans(raw)
    whole = store.load(Location(plan))
    assert kept is not None and spans == whole.spans
    _assert_same(Document(whole.location, raw, whole.text, kept, spans), whole)
    assert cache.load_spans(raw + b"\n") is None


def test_a_plan_written_elsewhere_is_read_whole(run: Run, plan: Path, tmp_path: Path) -> None:
    """Content zwgk wrote, copied to another file: the copy's cache is the same content's."""
    assert run("done", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    other = tmp_path / "other.yaml"
    shutil.copyfile(plan, other)
    assert run("done", "2", "--file", str(other), "--today", TODAY).exit_code == 0
    shown = json.loads(run("list", "--file", str(other), "--today", TODAY, "--format", "json").stdout)
    assert [t["status"] for t in shown[:3]] == ["done", "done", "open"]
    assert run("check", str(other)).exit_code == 0


def _entries(kind: str) -> list[Path]:
    """The cache's entries of one kind: whole schedules (""), "-spans" or "-revised"."""
    name = re.compile(rf"zwgk-[0-9a-f]{{64}}{kind}\.cache")
    return sorted(p for p in Path(os.environ["ZWGK_CACHE_DIR"], "plans").iterdir() if name.fullmatch(p.name))


def _forty(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "forty.yaml", [{"id": n} for n in range(1, 41)])


def test_a_write_keeps_the_tasks_it_changed_beside_the_whole_entry(run: Run, tmp_path: Path) -> None:
    """Saving a 10,000-task schedule whole took longer than the rest of a write: a write checked
    by what it changed keeps those tasks alone, on top of the entry of the plan it read, until
    one task in 16 has changed; a read puts them together, as a parse of the file would."""
    from zwgk_cli.storage import cache

    path = _forty(tmp_path)
    wholes = 0
    for step in range(4):
        args = ("done", str(step + 1)) if step < 3 else ("reopen", "1")
        assert run(*args, "--file", str(path), "--today", TODAY).exit_code == 0
        raw = path.read_bytes()
        kept = cache.load(raw)
        whole = store.load(Location(path))
        assert kept is not None
        _assert_same(Document(whole.location, raw, whole.text, kept, whole.spans), whole)
        if step in (0, 3):  # read whole first; four of forty tasks is past one in 16
            wholes += 1
        assert len(_entries("")) == wholes
        assert len(_entries("-revised")) == (step if step < 3 else 2)


def test_a_revision_holds_up_to_one_task_in_sixteen(run: Run, tmp_path: Path) -> None:
    """The first write saves the plan whole; then two of its 32 tasks changed since (tasks 2
    and 3) is one in 16, still kept as a revision; a third (task 4) is past it: saved whole."""
    path = write_plan(tmp_path / "p.yaml", [{"id": n} for n in range(1, 33)])
    for step, wholes, revisions in ((1, 1, 0), (2, 1, 1), (3, 1, 2), (4, 2, 2)):
        assert run("done", str(step), "--file", str(path), "--today", TODAY).exit_code == 0
        assert (len(_entries("")), len(_entries("-revised"))) == (wholes, revisions), step
        assert len(_entries("-spans")) == step  # each write keeps where its tasks stand


def test_a_revision_without_its_whole_entry_is_read_again(run: Run, tmp_path: Path) -> None:
    from zwgk_cli.storage import cache

    path = _forty(tmp_path)
    assert run("done", "1", "--file", str(path), "--today", TODAY).exit_code == 0
    (whole,) = _entries("")
    assert run("done", "2", "--file", str(path), "--today", TODAY).exit_code == 0
    assert cache.load(path.read_bytes()) is not None
    whole.unlink()
    assert cache.load(path.read_bytes()) is None
    shown = json.loads(run("list", "--file", str(path), "--today", TODAY, "--format", "json").stdout)
    assert [t["status"] for t in shown[:3]] == ["done", "done", "open"]


@pytest.mark.parametrize(
    "entry",
    [
        ("zwgk revision", "../../elsewhere.cache", {}),
        ("zwgk revision", "zwgk-" + "0" * 64 + ".cache", {0: "not a task"}),
        ("zwgk revision", "zwgk-" + "0" * 64 + ".cache"),
        ("another", "zwgk-" + "0" * 64 + ".cache", {}),
    ],
)
def test_a_doubtful_revision_is_never_used(run: Run, tmp_path: Path, entry: tuple[object, ...]) -> None:
    import pickle

    from zwgk_cli.storage import cache

    path = _forty(tmp_path)
    assert run("done", "1", "--file", str(path), "--today", TODAY).exit_code == 0
    assert run("done", "2", "--file", str(path), "--today", TODAY).exit_code == 0
    (revision,) = _entries("-revised")
    (whole,) = _entries("")
    named = tuple(whole.name if e == "zwgk-" + "0" * 64 + ".cache" else e for e in entry)
    revision.write_bytes(pickle.dumps(named))
    assert cache.load(path.read_bytes()) is None
    assert run("check", str(path)).exit_code == 0


@pytest.mark.parametrize("position", [-1, 40])
def test_a_revision_of_a_task_the_plan_does_not_have_is_never_used(
    run: Run, tmp_path: Path, position: int
) -> None:
    import pickle

    from zwgk_cli.storage import cache

    path = _forty(tmp_path)
    assert run("done", "1", "--file", str(path), "--today", TODAY).exit_code == 0
    assert run("done", "2", "--file", str(path), "--today", TODAY).exit_code == 0
    raw = path.read_bytes()
    kept = cache.load(raw)
    assert kept is not None
    (revision,) = _entries("-revised")
    (whole,) = _entries("")
    revision.write_bytes(pickle.dumps(("zwgk revision", whole.name, {position: kept.items[1]})))
    assert cache.load(raw) is None
    revision.write_bytes(pickle.dumps(("zwgk revision", whole.name, {1: kept.items[1]})))
    again = cache.load(raw)  # the control: the same entry with the task where it belongs is used
    assert again is not None and again.items == kept.items


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 1400),
    st.integers(1, 4),
    st.integers(0, 1400),
    st.integers(0, 30),
    st.lists(st.sampled_from("abcd"), max_size=30),
)
def test_the_lines_two_texts_share_at_each_end(
    size: int, kinds: int, at: int, cut: int, put: list[str]
) -> None:
    """As many lines as the two share at their start, then at their end, never overlapping
    (compared a chunk of 512 at a time: long runs of equal lines, edits near either end)."""
    from zwgk_cli.storage.revision import _same_ends

    old = [chr(97 + n * n % kinds) for n in range(size)]
    at = min(at, len(old))
    new = (*old[:at], *put, *old[at + cut :])
    head, tail = _same_ends(tuple(old), new)
    limit = min(len(old), len(new))
    assert head + tail <= limit
    assert tuple(old[:head]) == new[:head] and (head == limit or old[head] != new[head])
    assert tuple(old[len(old) - tail :]) == new[len(new) - tail :]
    assert tail == limit - head or old[len(old) - tail - 1] != new[len(new) - tail - 1]


def test_a_head_key_added_after_the_last_task_is_validated_whole(tmp_path: Path) -> None:
    """Lines at the end of the last task's span that YAML reads as a key of the plan's head."""
    document = _cached(_copy(tmp_path, "supervised.yaml"))
    text = document.text + "name: 督办表\n"
    assert revised(document, text, store._encoded(document, text)) is None
    assert _whole(document, text).schedule.plan.name == "督办表"


def test_tasks_out_of_the_plan_are_never_revised(tmp_path: Path) -> None:
    from zwgk_cli.plan.validate import revise

    document = _cached(_copy(tmp_path, "supervised.yaml"))
    task = {"id": 4, "title": "回应社会关切", "responsible": ["区教育局"], "deadline": "2020年7月下旬"}
    task |= {"category": "政策解读", "supervising": ["区政府办公室"], "note": "已回应"}
    schedule = document.schedule
    assert revise(schedule, 3, [task], {}, {}) is not None  # the control: task 4 is at position 3
    assert revise(schedule, 4, [task], {}, {}) is None
    assert revise(schedule, -1, [task], {}, {}) is None
    assert revise(schedule, 3, [task, task], {}, {}) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("  - id: 3\n    title: 解读\n", True),
        ("  - 5\n", False),
        ("  - id: 3\n  - id: 4\n", False),
        ("", False),
    ],
)
def test_a_task_is_read_alone_only_where_its_lines_hold_it_alone(text: str, found: bool) -> None:
    from zwgk_cli.storage.document import _task_alone

    alone = _task_alone(text, 7, 3)
    assert (alone is not None) is found
    if alone is not None:
        assert alone.keys == {"id": (8, 4), "title": (9, 4)} and alone.span == (7, 9)
    assert _task_alone(text, 7, 4) is None


def test_a_step_that_changes_more_than_records_is_validated_whole(tmp_path: Path) -> None:
    """The next step of a change made of several: a step beyond records is parsed whole."""
    document = _cached(_copy(tmp_path, "supervised.yaml"))
    text = _replace(document.text, *WHOLE["a task's title"])
    after = store.then(document, text)
    assert after.parsed is not None and after.schedule.require(2).task.title == "公开年度预算和决算"
    _assert_same(after, _whole(document, text))


@pytest.mark.parametrize(
    "name", ["05-jingzhou-2022.txt", "40-xiangxi-2020-inline.txt", "43-boxdrawing-task-table.txt"]
)
def test_plans_imported_from_real_tables_are_checked_task_by_task(
    run: Run, tmp_path: Path, name: str
) -> None:
    """Plans as import writes them from real captures (long texts, notes, other columns, groups):
    done and reopen of their first tasks are checked by those tasks, as the whole check would."""
    out = tmp_path / "plan.yaml"
    imported = run("import", str(FIXTURES / "realplans" / name), "-o", str(out), "--today", "2026-12-02")
    assert imported.exit_code == 0
    document = _cached(out)
    steps: list[Step] = []
    for item in document.schedule.items[:4]:
        steps.append(
            lambda d, n=item.id: edits.apply_done(d, n, None, None, date(2030, 1, 1), "备注：测试 #1")
        )
        steps.append(lambda d, n=item.id: edits.apply_reopen(d, n, None))
    assert len(steps) >= 4
    _steps(document, steps)
