"""Help and usage errors are Chinese, every one of them (render/usage.py).

Table-driven: each usage error a user can meet, with the exact line shown; and the help of
every command the app has (found from the app itself, so a new command is covered).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from conftest import Run
from zwgk_cli.cli import app

TAIL = "运行 zwgk --help 或 zwgk 命令 --help 查看用法"

USAGE_ERRORS = [
    (("list", "--searc", "x"), "没有选项 --searc。您是否指：--search？"),
    (("list", "--bogus"), "没有选项 --bogus。"),
    (("--bogus",), "没有选项 --bogus。"),
    (("lst",), "没有命令 lst。您是否指：list？"),
    (("frobnicate",), "没有命令 frobnicate。"),
    (("show",), "缺少参数 序号。"),
    (("show", "1", "2"), "多余的参数：2。"),
    (("show", "abc"), "序号 的值“abc”不是任务序号（如 5，或 计划名:5）。"),
    (("list", "--today"), "选项 --today 需要一个值。"),
    (("list", "--direct=x"), "选项 --direct 不带值。"),
    (("timeline", "--width", "10"), "--width 的值“10”太小，应不小于 40。"),
    (("timeline", "--width", "abc"), "--width 的值“abc”不是整数。"),
    (("timeline", "--width", "5000"), "--width 的值“5000”太大，应不大于 1000。"),
    (("due", "--within", "-1"), "--within 的值“-1”太小，应不小于 0。"),
    (("due", "--within", "99999999999"), "--within 的值“99999999999”太大，应不大于 3660。"),
    (("report", "--soon", "999999999999999"), "--soon 的值“999999999999999”太大，应不大于 3660。"),
    (("date", "12月", "--year", "-5"), "--year 的值“-5”太小，应不小于 1900。"),
    (
        ("date", "12月", "--year", "99999999999999999999"),
        "--year 的值“99999999999999999999”太大，应不大于 2199。",
    ),
    (("import", "x.txt", "--year", "1066"), "--year 的值“1066”太小，应不小于 1900。"),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_usage_error_in_chinese(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == f"用法错误：{message}{TAIL}\n"


OPTION_ERRORS = [
    (
        ("list", "--format", "xml"),
        "错误：--format 只能是 table（表格）、json（JSON）、csv（CSV）、csv-zh（中文CSV），不是“xml”",
    ),
    (
        ("report", "--format", "xml"),
        "错误：--format 只能是 table（表格）、json（JSON）、csv（CSV）、csv-zh（中文CSV）、"
        "markdown（Markdown），不是“xml”",
    ),
    (("date", "x", "--format", "csv"), "错误：--format 只能是 table（表格）、json（JSON），不是“csv”"),
    (
        ("list", "--role", "boss"),
        "错误：--role 只能是 lead（牵头）、responsible（主体责任）、cooperating（配合）、"
        "supervising（主管）、all（全部），不是“boss”",
    ),
    (
        ("list", "--status", "late"),
        "错误：--status 只能是 open（未完成）、done（已完成）、overdue（逾期），不是“late”",
    ),
    (
        ("report", "--by", "town"),
        "错误：--by 只能是 unit（单位）、category（工作任务）、plan（计划）、region（地区），不是“town”",
    ),
    (
        ("units", "--sort", "size"),
        "错误：--sort 只能是 plan（登记顺序）、name（名称）、kind（类别）、lead（牵头）、"
        "responsible（主体责任）、cooperating（配合）、supervising（主管）、open（未完成）、overdue（逾期），不是“size”",
    ),
    (
        ("list", "--today", "2020-02-30"),
        "错误：--today 的值“2020-02-30”不是有效日期，"
        "请写成 2020-08-01、2020/8/1、2020.8.1、2020年8月1日 或 8月1日",
    ),
    (("due", "--today", "9999-12-31"), "错误：--today 的值“9999-12-31”超出支持的范围（1900—2199 年）"),
    (
        ("list", "--due-before", "soon"),
        "错误：--due-before 的值“soon”不是有效日期，"
        "请写成 2020-08-01、2020/8/1、2020.8.1、2020年8月1日 或 8月1日",
    ),
]


@pytest.mark.parametrize(("args", "message"), OPTION_ERRORS, ids=[" ".join(a) for a, _ in OPTION_ERRORS])
def test_bad_option_value_in_chinese(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr == message + "\n"


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
ENGLISH = re.compile(
    r"Usage|Options|Arguments|Commands|Show this|default:|required|env var|Try '|<str>|<int>|<path>|list\["
)


def test_every_command_is_covered() -> None:
    assert {"list", "overdue", "done", "import", "export", "history"} <= set(COMMANDS)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_chinese(run: Run, command: str) -> None:
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith(f"用法：zwgk {command}".rstrip() + " ")
    assert "选项：" in text and "显示帮助并退出" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    for line in text.splitlines():
        if line.startswith("  -") or line.startswith("  --"):
            assert re.search(r"[\u4e00-\u9fff]", line), f"option without Chinese help: {line}"


def test_help_columns_line_up_by_display_width(run: Run) -> None:
    from zwgk_cli.render.width import display_width

    lines = [ln for ln in run("list", "--help").stdout.splitlines() if ln.startswith("  -")]
    starts = set()
    for line in lines:
        match = re.match(r"(  \S.*?\S)\s{2,}(\S)", line)
        assert match, line
        starts.add(display_width(line[: match.start(2)]))
    assert len(starts) == 1, starts


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_at_80_columns_fits_and_breaks_no_word(run: Run, command: str) -> None:
    """Issue 26: help was wrapped by character count, so Chinese lines ran past the terminal and
    words broke in the middle (``cooperat``/``ing``, ``-``/``-apply``)."""
    from zwgk_cli.render.width import display_width

    args = [*([command] if command else []), "--help"]
    narrow = run(*args, env={"COLUMNS": "80"}).stdout
    wide = run(*args, env={"COLUMNS": "400"}).stdout
    assert max(display_width(line) for line in narrow.splitlines()) <= 80
    words = re.compile(r"[\x21-\x7e]+")
    assert sorted(words.findall(narrow)) == sorted(words.findall(wide))


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        (
            "单位的角色 lead（牵头）、responsible（主体责任）",
            20,
            ["单位的角色 lead（牵", "头）、responsible", "（主体责任）"],
        ),
        ("输出格式：table（表格） [默认：table]", 24, ["输出格式：table（表格）", "[默认：table]"]),
        ("第一行\n第二行 and\nmore", 40, ["第一行第二行 and more"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("。。。。", 4, ["。。", "。。"]),
    ],
)
def test_wrap_by_display_width(text: str, width: int, lines: list[str]) -> None:
    from zwgk_cli.render.help_format import wrap

    assert wrap(text, width) == lines


def test_an_option_of_one_value_given_twice_is_an_error_not_the_last_one(run: Run) -> None:
    """Issue 23.2: Click kept the last of two values silently."""
    result = run("list", "-u", "区司法局", "--unit", "区财政局", "--today", "2020-10-15")
    assert result.exit_code == 2 and "选项 --unit 只能给一次（这里给了 2 次）" in result.stderr
    dated = run("overdue", "--today=2020-10-15", "--today", "2020-10-16")
    assert dated.exit_code == 2 and "选项 --today 只能给一次" in dated.stderr
    assert run("list", "-u", "区司法局", "--today", "2020-10-15").exit_code == 0


@pytest.mark.parametrize(("columns", "width"), [(None, 100), ("80", 80), ("abc", 100), ("5", 100)])
def test_piped_tables_take_columns_else_100(columns: str | None, width: int) -> None:
    """Issue 26: piped output (``zwgk report | less``) was 160 columns wide."""
    from zwgk_cli.render.tables import console_width

    assert console_width({} if columns is None else {"COLUMNS": columns}) == width


def test_install_completion_speaks_chinese(run: Run, tmp_path: Path) -> None:
    """Issue 26: Typer's installer said ``bash completion installed in …`` in English."""
    done = run("--install-completion", env={"HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert done.exit_code == 0, done.output
    script = tmp_path / ".bash_completions" / "zwgk.sh"
    assert done.stderr == f"已为 bash 安装命令补全：{script}。重新打开终端后生效\n"
    assert script.is_file() and str(script) in (tmp_path / ".bashrc").read_text(encoding="utf-8")
    refused = run("--install-completion", env={"HOME": str(tmp_path), "SHELL": "/bin/tcsh"})
    assert refused.exit_code == 2
    assert (
        refused.stderr == "错误：无法识别当前的 shell（tcsh）：命令补全只支持 bash、zsh、fish 和 PowerShell\n"
    )


def test_only_the_invoked_command_is_built() -> None:
    """Start-up (issue 24): ``zwgk NAME`` builds that command alone; no name, a name that is not
    a command, or the shell completing keeps them all."""
    import typer

    from zwgk_cli.cli import only_invoked

    def fresh() -> typer.Typer:
        app = typer.Typer()
        app.command()(lambda: None)
        for name in ("list", "import", "due_soon"):
            app.command(name if name == "import" else None)(_named(name))
        return app

    def kept(first: list[str], env: dict[str, str] | None = None) -> list[str]:
        app = fresh()
        only_invoked(app, first, env or {})
        return [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]

    everything = kept([])
    assert len(everything) == 4
    assert kept(["list"]) == ["list"]
    assert kept(["import"]) == ["import"]
    assert kept(["due-soon"]) == ["due_soon"]
    assert kept(["lst"]) == everything
    assert kept(["--help"]) == everything
    assert kept(["list"], {"_ZWGK_COMPLETE": "complete_bash"}) == everything


def _named(name: str) -> Any:
    def command() -> None:
        pass

    command.__name__ = name
    return command


def test_the_console_command_still_suggests_and_lists(tmp_path: Path) -> None:
    import subprocess
    import sys

    def zwgk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zwgk_cli", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    wrong = zwgk("lsit")
    assert wrong.returncode == 2 and "您是否指：list" in wrong.stderr
    listed = zwgk("--help")
    assert "collect" in listed.stdout and "list" in listed.stdout
    one = zwgk("date", "2020年7月下旬", "--format", "json")
    assert one.returncode == 0 and '"2020-07-31"' in one.stdout
