"""The attack suite (issue 12): each attack a hostile user or a careless colleague tried,
reproduced, and shown to fail safely. Numbers refer to the issue's list. Formula injection (1)
is in test_written_cells.py, editor argument injection (9) in test_workflow.py, concurrent writers in
test_edits.py; everything else is here.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, TODAY, Run, stress, told_as_user_error, write_plan

# 2. Hand edits racing zwgk ------------------------------------------------------------------


def test_edit_never_reverts_a_done_made_while_the_editor_was_open(
    run: Run, plan: Path, tmp_path: Path
) -> None:
    """The editor saves its copy after another zwgk marked task 3 done: the edit is refused."""
    editor = tmp_path / "editor"
    editor.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, subprocess, sys\n"
        f"subprocess.run([{sys.executable!r}, '-m', 'zwgk_cli', 'done', '3', '--file', {str(plan)!r},"
        f" '--today', {TODAY!r}], check=True, capture_output=True)\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text().replace('title: 成立政务公开领导组', 'title: 成立领导组', 1))\n",
        encoding="utf-8",
    )
    editor.chmod(0o755)
    result = run("edit", "1", "--file", str(plan), env={"EDITOR": str(editor), "VISUAL": ""})
    assert result.exit_code == 6
    assert "文件在读取后被其他人或程序改动过" in result.stderr and "+    status: done" in result.stderr
    text = plan.read_text(encoding="utf-8")
    assert "title: 成立政务公开领导组" in text  # the edit did not land
    done = json.loads(run("show", "3", "-f", str(plan), "--format", "json", "--today", TODAY).stdout)
    assert done["status"] == "done"  # the done made meanwhile is kept
    kept = list(plan.parent.glob(".schedule.yaml.edit-*.yaml"))
    assert len(kept) == 1 and "title: 成立领导组" in kept[0].read_text(encoding="utf-8")


def test_a_change_during_the_slow_part_of_a_write_is_not_lost(
    run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program appends to the plan while zwgk syncs its new copy: zwgk refuses."""
    real_fsync = os.fsync
    appended = "# 另一个程序在此时追加的一行\n"

    def slow_fsync(fd: int) -> None:
        if not plan.read_text(encoding="utf-8").endswith(appended):
            with plan.open("a", encoding="utf-8") as handle:
                handle.write(appended)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    result = run("done", "2", "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 6 and "改动过" in result.stderr
    text = plan.read_text(encoding="utf-8")
    assert text.endswith(appended) and "status: done" not in text


def test_a_file_caught_half_written_is_read_again(run: Run, plan: Path) -> None:
    """An editor saving in place empties the file for a moment: zwgk waits and reads it whole."""
    content = plan.read_bytes()
    plan.write_bytes(b"")
    timer = threading.Timer(0.03, plan.write_bytes, args=(content,))
    timer.start()
    try:
        result = run("list", "--file", str(plan), "--today", TODAY, "--format", "json")
    finally:
        timer.join()
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 25


@pytest.mark.stress
def test_kill_during_writes_never_corrupts(plan: Path) -> None:
    """A writer killed at any moment leaves the plan either as it was or fully updated."""
    versions = {plan.read_bytes()}
    env = {**os.environ, "ZWGK_TODAY": TODAY, "ZWGK_NO_CACHE": "1"}
    kills = 0
    attempts = stress(24, 8)
    for attempt in range(attempts):
        task = 1 + attempt % 25
        process = subprocess.Popen(
            [sys.executable, "-m", "zwgk_cli", "done", str(task), "--file", str(plan)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.02 * (attempt * 12 // attempts))  # from at once to a quarter second in
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        now = plan.read_bytes()
        check = subprocess.run(
            [sys.executable, "-m", "zwgk_cli", "check", str(plan)], env=env, capture_output=True, check=False
        )
        assert check.returncode == 0, check.stderr
        versions.add(now)
    assert kills >= attempts // 3  # most runs were killed part way
    leftovers = [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]
    assert all(time.time() - p.stat().st_mtime < 600 for p in leftovers)


# 3. The calendar's edges --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "deadline", "message"),
    [
        ({}, "9999年12月至次年2月", "年份应在 1900 到 2199 之间，这里是 9999 年"),
        ({}, "9999年12月下旬", "年份应在 1900 到 2199 之间，这里是 9999 年"),
        ({"year": 0}, "7月", "year 不能小于 1900"),
        ({"year": -5}, "7月", "year 不能小于 1900"),
        ({"year": 10**20}, "7月", "year 不能大于 2199"),
        ({}, "1899-12-31", "年份应在 1900 到 2199 之间，这里是 1899 年"),
    ],
)
def test_years_out_of_range_are_errors_with_a_line(
    run: Run, tmp_path: Path, head: dict[str, object], deadline: str, message: str
) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "deadline": deadline}], **head)
    for args in (("check", str(plan)), ("timeline", "-f", str(plan)), ("report", "-f", str(plan))):
        result = run(*args)
        told_as_user_error(result, 4)
        assert f"{plan}:" in result.stderr and message in result.stderr


def test_the_last_supported_year_still_works_everywhere(run: Run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "deadline": "2199年12月至次年2月"}])
    for args in (("timeline",), ("report",), ("due", "--within", "3660"), ("overdue",)):
        result = run(*args, "-f", str(plan), "--today", "2199-12-31")
        assert result.exit_code == 0, (args, result.output)
    assert run("export", str(tmp_path / "x.html"), "-f", str(plan), "--today", "2199-12-31").exit_code == 0


# 4. The cache deletes nothing of others' and trusts nothing unchecked -----------------------


def _cache_folder() -> Path:
    return Path(os.environ["ZWGK_CACHE_DIR"]) / "plans"


def test_cache_cleanup_touches_only_its_own_files(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zwgk_cli.storage import cache

    monkeypatch.setattr(cache, "_BUDGET", 1)  # every write prunes all but the newest entry
    foreign = Path(os.environ["ZWGK_CACHE_DIR"]) / "someone-elses.json"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("{}", encoding="utf-8")
    inside = _cache_folder() / "notes.json"
    inside.parent.mkdir(parents=True, mode=0o700)
    inside.write_text("{}", encoding="utf-8")
    for n in range(5):  # more plans than the cache keeps
        plan = write_plan(tmp_path / f"p{n}.yaml", [{"id": 1, "title": f"任务{n}"}])
        assert run("list", "-f", str(plan), "--today", TODAY).exit_code == 0
    assert foreign.exists() and inside.exists()
    assert len(list(_cache_folder().glob("zwgk-*.cache"))) == 1


def _only_entry() -> Path:
    (entry,) = _cache_folder().glob("zwgk-*.cache")
    return entry


def _overdue_ids(run: Run, plan: Path) -> list[int]:
    result = run("overdue", "-f", str(plan), "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    return [t["id"] for t in json.loads(result.stdout)]


class _Planted:
    """What a planted entry would run on loading, were it unpickled by a plain unpickler."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("touch planted-ran",))


class _PlantedBuiltin:
    """The same through a builtin (``builtins.exec``): builtins other than set and frozenset
    are refused too."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, ("open('planted-ran', 'w').close()",))


def _lie(body: bytes) -> bytes:
    """A well-formed lie: the same schedule with no task due, so nothing would be overdue."""
    from dataclasses import replace

    schedule = pickle.loads(body)
    items = tuple(replace(i, due=None) for i in schedule.items)
    return pickle.dumps(replace(schedule, items=items))


TAMPERS = {
    "garbled": (lambda body: body[: len(body) // 2] + b"\x00" * 64, False),
    "another object": (lambda body: pickle.dumps({"plan": "x", "items": []}), False),
    "code": (lambda body: pickle.dumps(_Planted()), False),
    "builtin code": (lambda body: pickle.dumps(_PlantedBuiltin()), False),
    "nesting": (lambda body: b"(" * 100_000 + b".", False),
    # A well-formed lie in a folder others may write.
    "plausible": (_lie, True),
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_a_tampered_cache_entry_is_never_trusted(run: Run, plan: Path, name: str) -> None:
    expected = _overdue_ids(run, plan)
    tamper, shared = TAMPERS[name]
    entry = _only_entry()
    entry.write_bytes(tamper(entry.read_bytes()))
    if shared:
        _cache_folder().chmod(0o777)
    assert _overdue_ids(run, plan) == expected
    assert not Path("planted-ran").exists()


@pytest.mark.parametrize("name", [n for n, (_, shared) in TAMPERS.items() if not shared])
def test_a_tampered_spans_entry_is_never_trusted(run: Run, plan: Path, name: str) -> None:
    """Where each task stands, which a write keeps for the next write (issue 24), is refused
    like any entry: the next write reads the plan again and is right."""
    assert run("done", "1", "-f", str(plan), "--today", TODAY).exit_code == 0
    (entry,) = _cache_folder().glob("zwgk-*-spans.cache")
    entry.write_bytes(TAMPERS[name][0](entry.read_bytes()))
    assert run("done", "2", "-f", str(plan), "--today", TODAY).exit_code == 0
    assert run("check", str(plan)).exit_code == 0
    shown = json.loads(run("list", "-f", str(plan), "--today", TODAY, "--format", "json").stdout)
    assert [t["status"] for t in shown[:3]] == ["done", "done", "open"]
    assert not Path("planted-ran").exists()


def test_a_revision_builds_only_on_an_entry_of_its_own_folder(run: Run, plan: Path) -> None:
    """A revised entry names the whole entry it builds on; a name that is not an entry's
    (``../lie.cache``) is refused, so nothing outside the cache folder is ever read."""
    for number in ("1", "2"):
        assert run("done", number, "-f", str(plan), "--today", TODAY).exit_code == 0
    expected = _overdue_ids(run, plan)
    (revised,) = _cache_folder().glob("zwgk-*-revised.cache")
    kind, root, changes = pickle.loads(revised.read_bytes())
    (_cache_folder().parent / "lie.cache").write_bytes(_lie((_cache_folder() / root).read_bytes()))
    revised.write_bytes(pickle.dumps((kind, "../lie.cache", changes)))
    assert _overdue_ids(run, plan) == expected


def test_spans_that_are_not_pairs_of_line_numbers_are_refused(run: Run, plan: Path) -> None:
    """Where each task stands must be pairs of whole numbers; anything else is read anew."""
    assert run("done", "1", "-f", str(plan), "--today", TODAY).exit_code == 0
    (entry,) = _cache_folder().glob("zwgk-*-spans.cache")
    spans = pickle.loads(entry.read_bytes())
    entry.write_bytes(pickle.dumps(tuple((str(start), end) for start, end in spans)))
    assert run("done", "2", "-f", str(plan), "--today", TODAY).exit_code == 0
    shown = json.loads(run("list", "-f", str(plan), "--today", TODAY, "--format", "json").stdout)
    assert [t["status"] for t in shown[:3]] == ["done", "done", "open"]


def test_the_cache_folder_is_made_private(run: Run, plan: Path) -> None:
    """Only its user may read or write it: entries are trusted only in such a folder."""
    _overdue_ids(run, plan)
    assert _cache_folder().stat().st_mode & 0o777 == 0o700


def test_an_entry_owned_by_someone_else_is_ignored(run: Run, plan: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("changing a file's owner needs root")
    expected = _overdue_ids(run, plan)
    entry = _only_entry()
    entry.write_bytes(_lie(entry.read_bytes()))
    os.chown(entry, 12345, 12345)
    assert _overdue_ids(run, plan) == expected


def test_a_lie_in_our_own_folder_is_believed_so_the_checks_above_are_what_protects(
    run: Run, plan: Path
) -> None:
    """The control for the tests above: the same lie, in the user's own folder, is served."""
    assert _overdue_ids(run, plan)
    entry = _only_entry()
    entry.write_bytes(_lie(entry.read_bytes()))
    assert _overdue_ids(run, plan) == []


def test_stale_temp_files_in_the_cache_are_removed(run: Run, tmp_path: Path) -> None:
    folder = _cache_folder()
    folder.mkdir(parents=True, mode=0o700)
    stale = folder / "zwgk-interrupted.tmp"
    stale.write_text("", encoding="utf-8")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    fresh = folder / "zwgk-in-progress.tmp"
    fresh.write_text("", encoding="utf-8")
    assert (
        run("list", "-f", str(write_plan(tmp_path / "p.yaml", [{"id": 1}])), "--today", TODAY).exit_code == 0
    )
    assert not stale.exists() and fresh.exists()


# 5. Devices and FIFOs -----------------------------------------------------------------------


def test_a_device_is_not_read(run: Run) -> None:
    result = run("list", "--file", "/dev/zero")
    assert result.exit_code == 3 and "不是普通文件" in result.stderr


def test_a_fifo_does_not_hang(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    result = run("list", "--file", str(fifo))
    assert result.exit_code == 3 and "不是普通文件" in result.stderr
    assert run("import", str(fifo)).exit_code == 3


def test_collect_names_a_fifo_or_device_and_does_not_hang(run: Run, tmp_path: Path) -> None:
    """Issue 23.14: a symlink to a device in the folder hung collect; a FIFO given directly was
    called 文件不存在; one in a folder was passed over in silence."""
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1}])
    back = tmp_path / "收回"
    back.mkdir()
    (back / "反馈表-区司法局-2020-08-01.xlsx").symlink_to("/dev/zero")
    os.mkfifo(back / "反馈表-区财政局-2020-08-01.csv")
    refused = "  × 整个文件拒收：不是普通文件（可能是设备或管道），不能作为反馈表。请指定文件"
    result = run("collect", str(back), "-f", str(plan), "--today", "2020-08-01")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "反馈表-区司法局-2020-08-01.xlsx",
        refused,
        "反馈表-区财政局-2020-08-01.csv",
        refused,
    ]
    direct = run(
        "collect", str(back / "反馈表-区财政局-2020-08-01.csv"), "-f", str(plan), "--today", "2020-08-01"
    )
    assert direct.exit_code == 1 and direct.stdout.splitlines()[1] == refused
    missing = run("collect", str(back / "没有.csv"), "-f", str(plan), "--today", "2020-08-01")
    told_as_user_error(missing, 2)
    assert "没有.csv: 文件不存在，请检查文件名" in missing.stderr


# 6 and 7. Control characters, spoofing ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("标题\\e[31m", "不可见字符 U+001B"),
        ("标题\\a", "不可见字符 U+0007"),
        ("标题\\x9b", "不可见字符 U+009B"),
        ("标题\\n状态：已完成", "换行"),
        ("区司法局\\u200b", "不可见字符 U+200B"),
        ("区司\\u202e局法", "不可见字符 U+202E"),
    ],
)
def test_check_refuses_control_and_invisible_characters(
    run: Run, tmp_path: Path, value: str, what: str
) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "title: t\ntasks:\n  - id: 1\n    category: 甲\n"
        f'    title: "{value}"\n    responsible: ["{value}"]\n'
        "    supervising: [乙]\n    deadline: 2020年7月\n",
        encoding="utf-8",
    )
    result = run("check", str(plan))
    assert result.exit_code == 4
    assert f"{plan}:5: 第 1 个任务的具体任务（title） 含有{what}" in result.stderr
    assert f"{plan}:6: " in result.stderr  # the unit name too


def test_look_alike_unit_names_are_one_name(run: Run, tmp_path: Path) -> None:
    """A compatibility ideograph (U+F9D1 looks like 六) is the same unit once normalised."""
    plan = write_plan(
        tmp_path / "p.yaml", [{"id": 1, "responsible": ["区\uf9d1局"]}, {"id": 2, "responsible": ["区六局"]}]
    )
    data = json.loads(
        run("list", "-f", str(plan), "--unit", "区六局", "--format", "json", "--today", TODAY).stdout
    )
    assert [t["id"] for t in data] == [1, 2]


def test_import_drops_control_characters_and_says_so(run: Run, tmp_path: Path) -> None:
    text = (
        (FIXTURES / "seed.txt")
        .read_text(encoding="utf-8")
        .replace("成立政务公开领导组", "成立政务\x1b[31m公开\u200b领导组")
    )
    source = tmp_path / "t.txt"
    source.write_text(text, encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 0, result.output
    assert "成立政务[31m公开领导组" in result.stdout and "\x1b" not in result.stdout
    assert "删除了具体任务中的不可见字符或控制字符" in result.stderr


# 8. Import cost -----------------------------------------------------------------------------


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(run: Run, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 200_000
    result = run("import", str(bomb))
    assert result.exit_code == 4 and "解压后过大" in result.stderr


def test_a_cell_of_many_unit_names_splits_completely() -> None:
    from zwgk_cli.plan.units import Splitter

    names = [f"区第{i}局" for i in range(20_000)]
    assert Splitter(names).split("、".join(names)) == names
    assert Splitter(names).split("".join(names[:50])) == names[:50]  # run together


# 10. Smaller ones ---------------------------------------------------------------------------


def test_a_read_only_plan_is_not_modified(run: Run, plan: Path) -> None:
    plan.chmod(0o444)
    before = plan.read_bytes()
    result = run("done", "1", "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 6 and "只读" in result.stderr
    assert plan.read_bytes() == before


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_wide_encodings_are_named(run: Run, plan: Path, encoding: str) -> None:
    plan.write_bytes(plan.read_text(encoding="utf-8").encode(encoding))
    result = run("check", str(plan))
    assert result.exit_code == 4
    assert f"{plan}:1: 文件是 {encoding[:6].upper()} 编码" in result.stderr and "GBK" not in result.stderr


def test_a_raw_c1_character_has_its_line(run: Run, plan: Path) -> None:
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = lines[9].rstrip("\n") + " \u0085\n"
    plan.write_text("".join(lines), encoding="utf-8")
    result = run("check", str(plan))
    assert result.exit_code == 4 and f"{plan}:10: " in result.stderr and "U+0085" in result.stderr


def test_lone_cr_line_ends_are_kept(run: Run, plan: Path) -> None:
    plan.write_bytes(plan.read_bytes().replace(b"\n", b"\r"))
    assert run("done", "7", "--file", str(plan), "--today", TODAY).exit_code == 0
    data = plan.read_bytes()
    assert b"\n" not in data and b"\r    status: done\r    done_on: 2020-08-01\r" in data


def test_a_symlinked_lock_file_is_refused(run: Run, plan: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (plan.parent / ".schedule.yaml.lock").symlink_to(victim)
    result = run("done", "1", "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 6 and "符号链接" in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep"


def test_a_mistyped_file_leaves_no_lock_behind(run: Run, tmp_path: Path) -> None:
    result = run("done", "1", "--file", str(tmp_path / "x.yaml"), "--today", TODAY)
    assert result.exit_code == 3
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["1_0", "+5", "5.0", "٥"])
def test_task_ids_are_plain_digits(run: Run, plan: Path, value: str) -> None:
    result = run("done", value, "--file", str(plan), "--today", TODAY)
    assert result.exit_code == 2 and f"序号 的值“{value}”不是任务序号" in result.stderr


def test_a_stale_temp_file_of_a_killed_writer_is_removed(run: Run, plan: Path) -> None:
    stale = plan.parent / ".schedule.yaml.abc123.tmp"
    stale.write_text("half", encoding="utf-8")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    assert run("done", "1", "--file", str(plan), "--today", TODAY).exit_code == 0
    assert not stale.exists()


def test_a_repository_of_another_owner_is_explained(run: Run, plan: Path) -> None:
    if os.getuid() != 0 or shutil.which("git") is None:
        pytest.skip("needs root (to give the repository another owner) and git")
    repo = plan.parent
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    os.chown(repo, 12345, 12345)
    os.chown(repo / ".git", 12345, 12345)
    result = run("history", "1", "--file", str(plan))
    if "dubious" not in subprocess.run(["git", "status"], cwd=repo, capture_output=True, text=True).stderr:
        pytest.skip("this git does not check ownership")
    assert result.exit_code == 5 and "safe.directory" in result.stderr


# Issue 23 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit", ["../../逃出", "市/县局", "区" * 300, ".hidden"], ids=["up", "slash", "long", "dot"]
)
def test_unit_names_never_lead_files_out_of_the_folder(run: Run, tmp_path: Path, unit: str) -> None:
    """23.12: remind -o DIR wrote outside DIR for a unit named with / or ../; a long name gave a
    traceback (also in export --feedback)."""
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "responsible": [unit]}])
    out = tmp_path / "out"
    out.mkdir()
    reminded = run("remind", "-o", str(out), "-f", str(plan), "--today", "2020-08-05")
    assert reminded.exit_code == 0, reminded.output
    forms = run("export", "--feedback", "-u", unit, "-o", str(out), "-f", str(plan), "--today", "2020-08-05")
    assert forms.exit_code == 0, forms.output
    written = [
        p for p in tmp_path.rglob("*") if p.is_file() and p.name != "p.yaml" and "zwgk-cache" not in p.parts
    ]
    assert written and all(p.parent == out for p in written)
    assert sorted(p.suffix for p in written) == [".csv", ".docx", ".md", ".xlsx"]
    assert all(len(p.name.encode()) <= 255 for p in written)


@pytest.mark.parametrize(
    ("scoring", "said"),
    [
        ({"on_time": "10"}, "scoring.on_time 应为数字"),
        ({"late": True}, "scoring.late 应为数字"),
        ({"on_time": 5, "late": 4, "floor": 8}, "最低分（floor）不能高于按时完成的得分（on_time）"),
        ({"on_time": 5, "late": 8}, "逾期完成的得分（late）不能高于按时完成（on_time）"),
    ],
    ids=["text", "boolean", "floor", "late"],
)
def test_scoring_rules_that_cannot_score_are_refused_by_check(
    run: Run, tmp_path: Path, scoring: dict[str, object], said: str
) -> None:
    """23.13: scoring: {on_time: "10"} passed check and crashed score; booleans and a floor
    above on_time were accepted."""
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1}], scoring=scoring)
    checked = run("check", str(plan))
    assert checked.exit_code == 4 and said in checked.stderr, checked.stderr
    scored = run("score", "-f", str(plan), "--today", "2020-12-31")
    assert scored.exit_code == 4 and said in scored.stderr


def _far_cell_book(path: Path, merge: bool) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "具体任务", "责任单位", "完成时间"])
    sheet.append([1, "公开预算", "区财政局", "2021年3月底前"])
    if not merge:
        sheet["XFD1048576"] = "x"
    book.save(path)
    if merge:  # written into the sheet's XML: openpyxl itself would make the billions of cells
        with zipfile.ZipFile(path) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        sheet = "xl/worksheets/sheet1.xml"
        parts[sheet] = parts[sheet].replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>',
        )
        with zipfile.ZipFile(path, "w") as target:
            for name, data in parts.items():
                target.writestr(name, data)
    return path


@pytest.mark.parametrize("merge", [False, True], ids=["far-cell", "far-merge"])
def test_a_sheet_claiming_a_far_cell_is_read_by_what_it_holds(run: Run, tmp_path: Path, merge: bool) -> None:
    """23.8: one cell at XFD1048576 (or a merge to it) made import and collect build every cell
    of the sheet: MemoryError after 30 s. Only the cells the file holds are read, merges are
    checked before the workbook is opened, and past the bounds the file is refused, said so."""
    source = _far_cell_book(tmp_path / "plan.xlsx", merge)
    result = run("import", str(source), "-o", str(tmp_path / "p.yaml"))
    told_as_user_error(result, 4)
    assert "超出可读的范围" in result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_returned_csv_files_that_cannot_be_read_are_refused_not_a_traceback(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """23.8: a CR-only CSV (Excel for Mac) and a cell over 128 KiB gave tracebacks."""
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1}])
    back = tmp_path / "收回"
    back.mkdir()
    header = "序号,工作任务,具体任务,本单位职责,完成时间,完成情况,完成日期,进展说明,佐证材料"
    (back / "反馈表-区司法局-2020-07-31.csv").write_bytes(
        (header + "\r1,类别甲,任务1,主体责任（直接）,2020年7月下旬,已完成,2020-07-25,好\r").encode()
    )
    (back / "反馈表-区司法局-2020-08-01.csv").write_bytes(
        (header + '\n1,类别甲,任务1,主体责任（直接）,2020年7月下旬,,,"' + "长" * 140000 + '"\n').encode()
    )
    result = run("collect", str(back), "-f", str(plan), "--today", "2020-08-01")
    assert result.exit_code == 1  # the huge file refused, the other collected
    assert "反馈表-区司法局-2020-08-01.csv" in result.output and "单元格过长（超过 128 KB）" in result.output
    assert "任务 1：区司法局 已完成，完成日期 2020-07-25" in result.stdout


def test_a_long_chain_of_references_is_followed_without_recursion(run: Run, tmp_path: Path) -> None:
    """Issue 24: check crashed (RecursionError) on about 1,200 同（N） in a chain, and took 9 s on 700."""
    tasks: list[dict[str, object]] = [{"id": 1, "responsible": ["区司法局"]}]
    tasks += [{"id": i, "responsible": [f"同（{i - 1}）"]} for i in range(2, 3001)]
    plan = write_plan(tmp_path / "p.yaml", tasks)
    checked = run("check", str(plan))
    assert checked.exit_code == 0, checked.output
    last = json.loads(run("show", "3000", "-f", str(plan), "--today", TODAY, "--format", "json").stdout)
    assert last["responsible"] == ["区司法局"]
    looped = write_plan(tmp_path / "loop.yaml", [*tasks[:-1], {"id": 3000, "responsible": ["同（3000）"]}])
    loop = run("check", str(looped))
    assert loop.exit_code == 4 and "形成循环引用（3000 → 3000）" in loop.stderr


def test_a_period_of_centuries_is_refused_by_check(run: Run, tmp_path: Path) -> None:
    """Issue 23.13: 50 weekly tasks with period: 1900—2199年 took 77 s and 7 GB."""
    tasks = [{"id": i, "deadline": "每周五前"} for i in range(1, 51)]
    plan = write_plan(tmp_path / "p.yaml", tasks, period="1900—2199年")
    result = run("check", str(plan))
    assert result.exit_code == 4 and "跨 300 年，超过 20 年" in result.stderr
    fine = write_plan(tmp_path / "q.yaml", tasks, period="2021—2025年")
    assert run("check", str(fine)).exit_code == 0


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("成立<script>alert(1)</script>领导组", "成立&lt;script&gt;alert(1)&lt;/script&gt;领导组"),
        ("见[通知](javascript:alert(1))", "见\\[通知\\](javascript:alert(1))"),
        ("甲|乙 `代码` & 丙", "甲\\|乙 \\`代码\\` &amp; 丙"),
    ],
)
def test_plan_text_in_markdown_notices_is_shown_not_rendered(written: str, shown: str) -> None:
    """Issue 23.14: raw HTML from plan text went into the .md notices."""
    from zwgk_cli.render.notices import Block, to_markdown
    from zwgk_cli.render.tables import write_markdown

    text = to_markdown(
        [Block("title", written), Block("para", written), Block("table", "", ("任务",), ((written,),))]
    )
    assert text.splitlines()[0] == f"# {shown}"
    assert text.splitlines()[2] == shown and text.splitlines()[-1] == f"| {shown} |"
    out = io.StringIO()
    write_markdown(["任务"], [[written]], out)
    assert out.getvalue().splitlines()[-1] == f"| {shown} |"


def _many_rows_book(path: Path, rows: int) -> Path:
    """A workbook whose sheet has ``rows`` rows, written straight into its XML (quick at any size)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["序号", "具体任务", "责任单位", "完成时间"])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(2, rows + 2)
    )
    parts[sheet] = parts[sheet].replace(b"</sheetData>", body + b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


@pytest.mark.parametrize(("rows", "refused"), [(19_990, False), (30_000, True)])
def test_a_sheet_of_too_many_rows_is_refused_before_it_is_loaded(
    run: Run, tmp_path: Path, rows: int, refused: bool
) -> None:
    """23.8: a 1,000,000-row sheet was loaded whole by openpyxl (86 s, 3 GB) before the bound
    was checked. The rows are counted in the sheet's XML first, a chunk at a time."""
    source = _many_rows_book(tmp_path / "plan.xlsx", rows)
    result = run("import", str(source), "-o", str(tmp_path / "p.yaml"))
    said = "超过 20000 行或 1000000 个单元格，超出可读的范围" in result.stderr
    assert said is refused, result.stderr[-300:]
    if refused:
        told_as_user_error(result, 4)
        assert not (tmp_path / "p.yaml").exists()
