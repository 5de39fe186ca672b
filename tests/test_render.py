"""Text from the plan is shown literally: no rich markup, no terminal control sequences."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run

PLAN = """\
title: 测试
tasks:
  - id: 1
    category: "[bold]类别[/]"
    title: "[red]标题[/] [link=http://example.com]点我[/link] \\e[31m红色\\e[0m"
    responsible: [区司法局]
    supervising: [区政府办公室]
    deadline: 2020年7月下旬
    status: open
"""


def test_markup_and_escape_codes_shown_literally(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    for command in (("list",), ("overdue",), ("show", "1")):
        result = run(*command, "--file", str(path), "--today", "2020-08-01", env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout
        assert "[red]标题[/]" in result.stdout
        assert "[link=http://example.com]点我[/link]" in result.stdout
        assert "\\x1b[31m红色" in result.stdout
        assert "[bold]类别[/]" in result.stdout


def test_json_keeps_the_exact_text(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    result = run("list", "--file", str(path), "--format", "json", "--today", "2020-08-01")
    assert json.loads(result.stdout)[0]["title"].endswith("\x1b[31m红色\x1b[0m")
    assert "\x1b" not in result.stdout  # JSON escapes it as \\u001b


def test_no_colour_when_no_color_is_set(run: Run, plan: Path) -> None:
    result = run("overdue", "--file", str(plan), "--today", "2020-08-01", env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout


def test_reader_that_leaves_early_is_not_an_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    plan = tmp_path / "big.yaml"
    generated = subprocess.run(
        [sys.executable, "benchmarks/generate.py", "2000"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    plan.write_text(generated.stdout, encoding="utf-8")
    for fmt in ("table", "json"):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "zwgk_cli",
                "list",
                "--file",
                str(plan),
                "--today",
                "2025-01-01",
                "--format",
                fmt,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        assert proc.wait(timeout=120) == 0
        assert proc.stderr.read() == b""
