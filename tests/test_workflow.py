"""Fitting the way people work: completion, pre-commit, the editor, git history, the landing."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TODAY, Run, told_as_user_error


def complete(run: Run, line: str, **env: str) -> list[str]:
    """The zsh candidates Typer's completion entry point gives, each as '"value":"help"'."""
    result = run(
        prog_name="zwgk", env={"_ZWGK_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line, **env}
    )
    assert result.exit_code == 0, result.output
    return re.findall(r'"(?:[^"]|"")*":"(?:[^"]|"")*"', result.stdout)


def test_completes_task_ids_with_titles(run: Run, plan: Path) -> None:
    lines = complete(run, f"zwgk show --file {plan} 1", ZWGK_TODAY=TODAY)
    assert '"1":"成立政务公开领导组"' in lines
    assert any(line.startswith('"12":"政府网站醒目位置') for line in lines)
    assert not any(line.startswith('"2"') for line in lines)


def test_completes_units_groups_categories_and_formats(run: Run, plan: Path) -> None:
    units = complete(run, f"zwgk list --file {plan} --unit 区司")
    assert units == ['"区司法局":"区直部门"']
    groups = complete(run, f"zwgk list --file {plan} --unit 各级")
    assert groups == ['"各级各部门":"单位组"']
    categories = complete(run, f"zwgk list --file {plan} --category 加强")
    assert categories == ['"加强政策文件解读":"工作任务"', '"加强政府网站及政务新媒体管理":"工作任务"']
    assert complete(run, "zwgk overdue --format j") == ['"json":"JSON"']


def test_completion_uses_the_plan_in_use(run: Run, fixture_plan: object, tmp_path: Path) -> None:
    members = Path(__file__).parent / "fixtures" / "members.yaml"
    lines = complete(run, "zwgk show ", ZWGK_FILE=str(members))
    assert [line.split(":")[0] for line in lines] == ['"1"', '"2"', '"3"']


def test_completion_bash_and_fish(run: Run, plan: Path) -> None:
    bash = run(
        prog_name="zwgk",
        env={
            "_ZWGK_COMPLETE": "complete_bash",
            "COMP_WORDS": f"zwgk show --file {plan} 2",
            "COMP_CWORD": "4",
        },
    )
    assert bash.exit_code == 0 and bash.stdout.split() == ["2", "20", "21", "22", "23", "24", "25"]
    fish = run(
        prog_name="zwgk",
        env={
            "_ZWGK_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": f"zwgk list --file {plan} --unit 区政府信",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
    )
    assert fish.exit_code == 0 and "区政府信息中心" in fish.stdout


def test_completion_never_errors(run: Run, tmp_path: Path) -> None:
    assert complete(run, f"zwgk show --file {tmp_path / 'missing.yaml'} ") == []


def test_pre_commit_hook_runs_check_on_several_files(tmp_path: Path, plan: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "zwgk-check")
    assert hook["entry"] == "zwgk check" and hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert pattern.search("data/schedule.yaml") and pattern.search("plans/2021-schedule.yml")
    assert not pattern.search(".github/workflows/ci.yaml")
    good, bad = tmp_path / "a.yaml", tmp_path / "b.yaml"
    good.write_bytes(plan.read_bytes())
    bad.write_text(
        plan.read_text(encoding="utf-8").replace("2020年7月中旬", "2020年13月中旬"), encoding="utf-8"
    )
    argv = [sys.executable, "-m", "zwgk_cli", *hook["entry"].split()[1:]]  # as pre-commit calls it
    ok = subprocess.run([*argv, str(good)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    both = subprocess.run([*argv, str(good), str(bad)], capture_output=True, text=True, check=False)
    assert both.returncode == 4
    assert f"{good}: 检查通过" in both.stderr and f"{bad}:" in both.stderr and "无法识别" in both.stderr


def fake_editor(tmp_path: Path, script: str) -> str:
    editor = tmp_path / "fake-editor"
    editor.write_text(
        f"#!{sys.executable}\nimport sys, pathlib\nargs = sys.argv[1:]\n{script}\n", encoding="utf-8"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    return str(editor)


def test_edit_opens_at_the_task_line_and_checks(run: Run, plan: Path, tmp_path: Path) -> None:
    record = tmp_path / "args.json"
    editor = fake_editor(
        tmp_path, f"pathlib.Path({str(record)!r}).write_text(__import__('json').dumps(args))"
    )
    result = run("edit", "12", "--file", str(plan), env={"EDITOR": editor, "VISUAL": ""})
    assert result.exit_code == 0, result.output
    args = json.loads(record.read_text())
    line = plan.read_text(encoding="utf-8").splitlines().index("  - id: 12") + 1
    # The editor gets a copy beside the plan, by absolute path.
    assert args[0] == f"+{line}" and len(args) == 2
    copy = Path(args[1])
    assert copy.is_absolute() and copy.parent == plan.parent.resolve()
    assert copy.name.startswith(".schedule.yaml.edit-") and not copy.exists()
    assert "检查通过" in result.stderr


@pytest.mark.parametrize("where", ["folder", "disk"])
def test_edit_on_a_read_only_folder_or_full_disk_says_so(
    run: Run, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Issue 23.14: zwgk edit on a read-only folder or a full disk gave a traceback. (Faults
    are injected: as root, a folder's mode does not stop writes.)"""
    import errno
    import os
    import tempfile

    before = plan.read_bytes()
    if where == "folder":

        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    else:
        real = os.fdopen

        class Full:
            def __init__(self, fd: int, mode: str) -> None:
                self.handle = real(fd, mode)

            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fdopen", Full)
    editor = fake_editor(tmp_path, "pass")
    result = run("edit", "12", "--file", str(plan), env={"EDITOR": editor, "VISUAL": ""})
    told_as_user_error(result, 6)
    assert "无法在计划所在的文件夹中建立编辑用的副本" in result.stderr and "计划文件未改动" in result.stderr
    assert plan.read_bytes() == before
    assert not list(plan.parent.glob(".schedule.yaml.edit-*"))


def test_edit_reports_problems_the_editor_left(run: Run, plan: Path, tmp_path: Path) -> None:
    editor = fake_editor(
        tmp_path,
        "p = pathlib.Path(args[-1]); p.write_text(p.read_text().replace('status: open', 'status: opne', 1))",
    )
    before = plan.read_bytes()
    result = run("edit", "1", "--file", str(plan), env={"EDITOR": editor})
    assert result.exit_code == 4
    line = plan.read_text(encoding="utf-8").splitlines().index("    status: open") + 1
    assert f"{plan}:{line}: " in result.stderr and "只能是 open" in result.stderr
    # The plan is untouched; the broken edit is kept in a named copy for the user to fix.
    assert plan.read_bytes() == before
    kept = list(plan.parent.glob(".schedule.yaml.edit-*.yaml"))
    assert len(kept) == 1 and str(kept[0]) in result.stderr
    assert "status: opne" in kept[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+7", "--", "/w/P"]),
        ("nano", ["nano", "+7", "--", "/w/P"]),
        ("emacs -nw", ["emacs", "-nw", "+7", "--", "/w/P"]),
        ("micro", ["micro", "+7", "/w/P"]),
        ("code", ["code", "--wait", "--goto", "/w/P:7"]),
        ("code --wait", ["code", "--wait", "--goto", "/w/P:7"]),
        ("subl", ["subl", "/w/P:7"]),
    ],
)
def test_editor_line_conventions(editor: str, expected: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from zwgk_cli.storage.editor import editor_argv

    monkeypatch.chdir("/")
    assert editor_argv(Path("w/P"), 7, {"EDITOR": editor}) == expected


def test_editor_never_reads_the_path_as_an_option(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A file named like an option or a vim command (+!cmd) is passed as a path, after "--"."""
    from zwgk_cli.storage.editor import editor_argv

    monkeypatch.chdir(tmp_path)
    argv = editor_argv(Path("+!touch x.yaml"), 3, {"EDITOR": "vim"})
    assert argv == ["vim", "+3", "--", str(tmp_path / "+!touch x.yaml")]


def test_edit_without_editor(run: Run, plan: Path) -> None:
    result = run("edit", "1", "--file", str(plan), env={"EDITOR": "", "VISUAL": ""})
    assert result.exit_code == 2 and "请设置环境变量 EDITOR" in result.stderr


def _git(repo: Path, *args: str, author: str = "办公室 张三") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.cn",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "a@example.cn",
        "GIT_AUTHOR_DATE": "2020-08-26T10:00:00+08:00",
        "GIT_COMMITTER_DATE": "2020-08-26T10:00:00+08:00",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_history_from_git(run: Run, plan: Path) -> None:
    repo = plan.parent
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "导入计划")
    assert (
        run(
            "done",
            "7",
            "--file",
            str(plan),
            "--on",
            "2020-08-25",
            "--note",
            "已印发",
            "--today",
            "2020-08-26",
        ).exit_code
        == 0
    )
    _git(repo, "commit", "-qam", "任务 7 完成", author="街道 李四")
    assert run("done", "3", "--file", str(plan), "--today", "2020-08-26").exit_code == 0
    _git(repo, "commit", "-qam", "任务 3 完成")
    assert run("reopen", "7", "--file", str(plan)).exit_code == 0
    _git(repo, "commit", "-qam", "任务 7 撤销")

    result = run("history", "7", "--file", str(plan), "--format", "json")
    assert result.exit_code == 0, result.output
    revisions = json.loads(result.stdout)
    assert [r["message"] for r in revisions] == [
        "任务 7 撤销",
        "任务 7 完成",
        "导入计划",
    ]  # not 任务 3's commit
    assert revisions[1]["author"] == "街道 李四" and revisions[1]["date"].startswith("2020-08-26")
    assert {c["field"]: (c["before"], c["after"]) for c in revisions[1]["changes"]} == {
        "status": ("open", "done"),
        "done_on": (None, "2020-08-25"),
        "note": (None, "已印发"),
    }
    assert {c["field"] for c in revisions[0]["changes"]} == {"status", "done_on"}
    table = run("history", "7", "--file", str(plan))
    assert "2020-08-26  街道 李四" in table.stdout and "状态：open → done" in table.stdout
    assert "任务 7 共有 3 次提交改动" in table.stdout


def test_history_outside_git(run: Run, plan: Path) -> None:
    result = run("history", "1", "--file", str(plan))
    assert result.exit_code == 5 and "不在 git 仓库中" in result.stderr


def test_landing_shows_an_overview(run: Run, plan: Path) -> None:
    result = run(env={"ZWGK_FILE": str(plan), "ZWGK_TODAY": "2020-10-13"})
    assert result.exit_code == 0, result.output
    assert "截至 2020-10-13：任务 25 项，已完成 0，未完成 25，其中逾期 13；" in result.stdout
    assert "本旬（2020-10-11 至 2020-10-20）到期 3 项" in result.stdout
    assert "zwgk overdue" in result.stdout and "zwgk --help" in result.stdout
    same = run("summary", "--file", str(plan), "--today", "2020-10-13")
    assert same.stdout == result.stdout
