"""Writes are surgical, atomic, validated and locked: nothing is ever lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TODAY as AUGUST_FIRST
from conftest import Run, hold_lock, stress, write_plan
from zwgk_cli.storage import edits, store

TODAY = "2020-08-25"


def block_bounds(text: str, task_id: int) -> tuple[int, int]:
    """Character offsets of a task's block in the bundled layout (up to the blank line after it)."""
    start = text.index(f"  - id: {task_id}\n")
    end = text.find("\n\n", start)
    return start, len(text) if end == -1 else end


def assert_only_block_changed(before: str, after: str, task_id: int) -> None:
    start, end = block_bounds(before, task_id)
    new_start, new_end = block_bounds(after, task_id)
    assert after[:new_start] == before[:start]
    assert after[new_end:] == before[end:]


def test_done_keeps_every_other_byte(run: Run, plan: Path) -> None:
    before = plan.read_text(encoding="utf-8")
    assert (
        run("done", "12", "-f", str(plan), "--today", TODAY, "--note", '含 "引号"、冒号: 和 #号').exit_code
        == 0
    )
    after = plan.read_text(encoding="utf-8")
    assert_only_block_changed(before, after, 12)
    assert 'note: "含 \\"引号\\"、冒号: 和 #号"' in after
    shown = json.loads(run("show", "12", "-f", str(plan), "--format", "json", "--today", TODAY).stdout)
    assert shown["note"] == '含 "引号"、冒号: 和 #号'


@pytest.mark.parametrize(
    "note",
    [
        "no",
        "010",
        "2020-08-01",
        "- 列表",
        "[方括号]",
        "  首尾空格 ",
        "a\nb",
        "第一行\n第二行",
        "甲: 乙",
        "甲 #乙",
    ],
)
def test_notes_read_back_exactly(run: Run, plan: Path, note: str) -> None:
    assert run("done", "5", "-f", str(plan), "--today", TODAY, "--note", note).exit_code == 0
    shown = json.loads(run("show", "5", "-f", str(plan), "--format", "json", "--today", TODAY).stdout)
    assert shown["note"] == note


@pytest.mark.parametrize("note", ["\x1b[31m", "a\u202eb", "x\u200by", "\x9b"])
def test_notes_with_invisible_characters_are_refused(run: Run, plan: Path, note: str) -> None:
    before = plan.read_bytes()
    result = run("done", "5", "-f", str(plan), "--today", TODAY, "--note", note)
    assert result.exit_code == 2 and "--note 含有不可见字符" in result.stderr
    assert plan.read_bytes() == before


def test_comments_quoting_and_crlf_kept(run: Run, fixture_plan: object, tmp_path: Path) -> None:
    source = Path(__file__).parent / "fixtures" / "members.yaml"
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + source.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    assert run("done", "1", "-f", str(path), "--today", TODAY).exit_code == 0
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in after.replace(b"\r\n", b"")  # every line still ends in CRLF
    assert b"  # \xe8\xbf\x99" in after  # the comment is still there
    assert (
        b'title: "\xe5\x87\xba\xe5\x8f\xb0\xe6\x96\xb9\xe6\xa1\x88: \xe7\xac\xac\xe4\xb8\x80\xe6\xad\xa5"'
        in after
    )
    cut = before.index(b"  # ")
    assert after[after.index(b"  # ") :] == before[cut:]  # everything after task 1 untouched
    assert b"status: done\r\n    done_on: 2020-08-25\r\n" in after


def test_last_task_without_final_newline(run: Run, plan: Path) -> None:
    plan.write_bytes(plan.read_bytes().rstrip(b"\n"))
    assert run("done", "25", "-f", str(plan), "--today", TODAY).exit_code == 0
    assert plan.read_text(encoding="utf-8").endswith("    status: done\n    done_on: 2020-08-25\n")
    assert run("check", str(plan)).exit_code == 0


def test_flow_style_task_is_refused_not_rewritten(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(
        "title: t\ntasks:\n  - {id: 1, category: a, title: b, responsible: [x], supervising: [y], "
        "deadline: 2020年7月}\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    result = run("done", "1", "-f", str(path), "--today", TODAY)
    assert result.exit_code == 6 and "每个键一行" in result.stderr
    assert path.read_bytes() == before


def _git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_two_branches_merge_without_conflict(run: Run, plan: Path) -> None:
    repo = plan.parent
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "schedule.yaml")
    _git(repo, "commit", "-qm", "plan")
    _git(repo, "checkout", "-qb", "office-a")
    assert run("done", "3", "-f", str(plan), "--today", TODAY).exit_code == 0
    _git(repo, "commit", "-qam", "task 3 done")
    _git(repo, "checkout", "-q", "main")
    _git(repo, "checkout", "-qb", "office-b")
    assert run("done", "4", "-f", str(plan), "--today", TODAY, "--note", "b").exit_code == 0
    _git(repo, "commit", "-qam", "task 4 done")
    _git(repo, "merge", "-q", "--no-edit", "office-a")
    data = json.loads(
        run("list", "-f", str(plan), "--status", "done", "--format", "json", "--today", TODAY).stdout
    )
    assert [t["id"] for t in data] == [3, 4]
    diff = _git(repo, "diff", "main", "--stat")
    # Both offices' changes and nothing else: two status lines, two done_on lines, one note.
    assert "5 insertions(+), 2 deletions(-)" in diff


def test_failed_replace_leaves_file_intact(run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = plan.read_bytes()

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", full_disk)
    result = run("done", "1", "-f", str(plan), "--today", TODAY)
    assert result.exit_code == 6
    assert "写入失败（磁盘已满），原文件未改动" in result.stderr
    assert plan.read_bytes() == before
    assert sorted(p.name for p in plan.parent.iterdir()) == [".schedule.yaml.lock", "schedule.yaml"]


def test_failed_fsync_leaves_file_intact(run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = plan.read_bytes()

    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store.os, "fsync", broken)
    result = run("done", "1", "-f", str(plan), "--today", TODAY)
    assert result.exit_code == 6
    assert plan.read_bytes() == before
    assert not [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]


def test_interrupted_write_leaves_file_intact(run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = plan.read_bytes()

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store.os, "chmod", interrupt)
    run("done", "1", "-f", str(plan), "--today", TODAY)
    assert plan.read_bytes() == before
    assert not [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]


def test_invalid_result_is_never_written(run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = plan.read_bytes()
    monkeypatch.setattr(
        edits, "mark_done", lambda doc, *a: doc.text.replace("status: open", "status: half", 1)
    )
    result = run("done", "1", "-f", str(plan), "--today", TODAY)
    assert result.exit_code == 6
    assert "修改后的文件未通过校验，原文件未改动" in result.stderr
    assert plan.read_bytes() == before


def test_hand_edit_during_write_is_not_overwritten(
    run: Run, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = edits.mark_done

    def edit_meanwhile(document: store.Document, *args: object) -> str:
        plan.write_text(document.text.replace("区政府办公室", "区政府办公室 ", 1), encoding="utf-8")
        return original(document, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(edits, "mark_done", edit_meanwhile)
    result = run("done", "1", "-f", str(plan), "--today", TODAY)
    assert result.exit_code == 6
    assert "文件在读取后被其他人或程序改动过" in result.stderr
    assert "区政府办公室 " in plan.read_text(encoding="utf-8")


def test_mode_and_symlink_kept(run: Run, plan: Path, tmp_path: Path) -> None:
    plan.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(plan)
    assert run("done", "2", "-f", str(link), "--today", TODAY).exit_code == 0
    assert link.is_symlink()
    assert (plan.stat().st_mode & 0o777) == 0o640
    assert "done_on: 2020-08-25" in plan.read_text(encoding="utf-8")


def _zwgk(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "zwgk_cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.stress
def test_twenty_concurrent_writers_lose_nothing(plan: Path) -> None:
    writers = stress(20, 6)
    procs = [
        _zwgk("done", str(i), "--file", str(plan), "--today", TODAY, ZWGK_LOCK_TIMEOUT="60")
        for i in range(1, writers + 1)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    assert all(code == 0 for code, _ in results), results
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "zwgk_cli",
            "list",
            "--file",
            str(plan),
            "--status",
            "done",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sorted(t["id"] for t in json.loads(check.stdout)) == list(range(1, writers + 1))


@pytest.mark.skipif(sys.platform == "win32", reason="fcntl")
def test_lock_held_gives_a_message_not_a_hang(plan: Path) -> None:
    before = plan.read_bytes()
    holder = hold_lock(plan)
    try:
        waiter = _zwgk("done", "1", "--file", str(plan), "--today", TODAY, ZWGK_LOCK_TIMEOUT="0.5")
        code = waiter.wait(timeout=30)
        assert code == 6
        assert waiter.stderr is not None and "另一个 zwgk 命令正在修改此文件" in waiter.stderr.read()
        assert plan.read_bytes() == before
        # A killed holder leaves its lock file behind, but not its lock.
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        started = time.monotonic()
        after = _zwgk("done", "1", "--file", str(plan), "--today", TODAY, ZWGK_LOCK_TIMEOUT="5")
        assert after.wait(timeout=30) == 0
        assert time.monotonic() - started < 20
    finally:
        holder.kill()
        holder.wait()


def test_edits_of_many_tasks_share_one_copy_of_the_plan(tmp_path: Path) -> None:
    """Issue 23.9: each changed task copied the whole plan's lines (6.9 GB for one unit's 763
    rows of a 10,000-task plan); the lines are split once per plan and shared."""
    from zwgk_cli.storage import store
    from zwgk_cli.storage.edits import Block, joined_text

    plan = write_plan(tmp_path / "p.yaml", [{"id": n} for n in range(1, 41)])
    document = store.load(store.Location(plan))
    blocks = [Block(document, n) for n in range(1, 41)]
    assert all(b.lines is document.lines for b in blocks)
    for block in blocks:
        block.put("note", "已阅")
    text = joined_text(blocks)
    assert text.count("note: 已阅") == 40 and document.text.count("note:") == 0


def test_reopen_of_an_open_task_changes_nothing(run: Run, plan: Path) -> None:
    before = plan.read_bytes()
    result = run("reopen", "7", "--file", str(plan))
    assert result.exit_code == 0 and result.stderr == "任务 7 本来就未完成，未作改动\n"
    result = run("reopen", "1", "--unit", "麟绛街道办事处", "--file", str(plan))
    assert result.exit_code == 0 and result.stderr == "任务 1 中 麟绛街道办事处 没有完成记录，未作改动\n"
    assert plan.read_bytes() == before


def test_reopening_the_last_unit_removes_the_progress_key(run: Run, plan: Path) -> None:
    assert run("done", "10", "-u", "麟绛街道办事处", "-f", str(plan), "--today", AUGUST_FIRST).exit_code == 0
    assert "progress:" in plan.read_text(encoding="utf-8")
    result = run("reopen", "10", "-u", "麟绛街道办事处", "-f", str(plan))
    assert result.stderr == f"已撤销 麟绛街道办事处 在任务 10 中的完成记录：{plan}\n"
    assert "progress" not in plan.read_text(encoding="utf-8")


def test_done_for_a_unit_outside_the_task_names_the_task_units(run: Run, plan: Path) -> None:
    result = run("done", "12", "-u", "区司法局", "-f", str(plan), "--today", AUGUST_FIRST)
    assert result.exit_code == 5
    assert result.stderr == "错误：“区司法局”不是任务 12 的牵头或主体责任单位。该任务的单位：区政府信息中心\n"
    result = run("done", "10", "-u", "区司法局", "-f", str(plan), "--today", AUGUST_FIRST)
    assert "该任务的单位：各乡镇（区）人民政府（管理中心）、麟绛街道办事处\n" in result.stderr


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


def test_new_files_get_the_usual_mode_and_their_folders(run: Run, plan: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "新" / "文件夹" / "x.csv"
        assert run("export", str(target), "-f", str(plan), "--today", AUGUST_FIRST).exit_code == 0
        assert target.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_new_file_errors_say_why(run: Run, plan: Path, tmp_path: Path) -> None:
    folder = tmp_path / "已有文件夹.csv"
    folder.mkdir()
    result = run("export", str(folder), "-f", str(plan), "--today", AUGUST_FIRST, "--force")
    assert result.exit_code == 6 and result.stderr == f"错误：{folder}: 这是一个文件夹\n"
    blocker = tmp_path / "是文件"
    blocker.write_text("", encoding="utf-8")
    result = run("export", str(blocker / "x.csv"), "-f", str(plan), "--today", AUGUST_FIRST)
    assert result.exit_code == 6 and "无法写入（" in result.stderr and "None" not in result.stderr


def test_done_messages_name_the_task_unit_and_dates(run: Run, plan: Path) -> None:
    args = ("-f", str(plan), "--today", AUGUST_FIRST)
    result = run("done", "10", "-u", "麟绛街道办事处", "--on", "2020-07-09", *args)
    assert result.stderr == f"已记录 麟绛街道办事处 完成任务 10（2020-07-09），进度 1/2：{plan}\n"
    result = run("done", "10", "-u", "麟绛街道办事处", *args)
    assert result.stderr == "任务 10 中 麟绛街道办事处 已于 2020-07-09 完成，未作改动\n"
    assert run("done", "7", "--on", "2020-07-30", *args).exit_code == 0
    assert run("done", "7", *args).stderr == "任务 7 已于 2020-07-30 完成，未作改动\n"


def test_done_may_be_dated_on_the_plans_first_day_but_not_before(run: Run, plan: Path) -> None:
    args = ("-f", str(plan), "--today", AUGUST_FIRST)
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
    assert run("done", "1", "-f", str(plan), "--today", AUGUST_FIRST).exit_code == 0
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
    assert run("done", "1", "-f", str(plan), "--today", AUGUST_FIRST).exit_code == 0
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
    assert run("done", "1", "-f", str(plan), "--today", AUGUST_FIRST).exit_code == 0
    lines = plan.read_text(encoding="utf-8").splitlines()
    assert lines[-4:] == [
        "    deadline: 2020年7月",
        "    status: done",
        "    done_on: 2020-08-01",
        "    note: 已有备注",
    ]


def test_reopen_message(run: Run, plan: Path) -> None:
    assert run("done", "7", "-f", str(plan), "--today", AUGUST_FIRST).exit_code == 0
    assert run("reopen", "7", "-f", str(plan)).stderr == f"已将任务 7 改回未完成：{plan}\n"


def test_the_bundled_plan_is_read_only(run: Run, tmp_path: Path) -> None:
    result = run("done", "1", "--today", AUGUST_FIRST)  # no plan here: the bundled copy is found
    assert result.exit_code == 6
    assert (
        "这是随程序安装的示例计划，只能查看。请先运行 zwgk init 把它复制到 ./data/schedule.yaml，再修改副本"
        in result.stderr
    )


def test_a_plan_nobody_may_write_is_left_alone(run: Run, plan: Path) -> None:
    plan.chmod(0o555)  # readable and executable, writable by nobody
    before = plan.read_bytes()
    result = run("done", "1", "--file", str(plan), "--today", AUGUST_FIRST)
    assert result.exit_code == 6 and "只读" in result.stderr
    assert plan.read_bytes() == before
