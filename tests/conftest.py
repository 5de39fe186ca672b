"""Shared fixtures: a tmp copy of a plan, a fixed "today", and a runner for the real app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
import typer.main
import typer.testing
from typer.testing import CliRunner, Result

from zwgk_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = ROOT / "data" / "schedule.yaml"
TODAY = "2020-08-01"


_BUILT: dict[tuple[int, ...], object] = {}


def _built(typer_app: typer.Typer) -> object:
    """The click command Typer builds from ``typer_app``, built once per set of commands: Typer
    reads every command's signature to build it (35 ms), and the suite invokes the app thousands
    of times. The runner's invoke looks the builder up by this name."""
    key = (id(typer_app), *(id(c) for c in typer_app.registered_commands))
    if key not in _BUILT:
        _BUILT[key] = typer.main.get_command(typer_app)
    return _BUILT[key]


typer.testing._get_command = _built  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the wall clock, the user's plan or cache, or a colour terminal."""
    for name in ("ZWGK_FILE", "ZWGK_TODAY", "NO_COLOR", "ZWGK_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZWGK_CACHE_DIR", str(tmp_path / "zwgk-cache"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    # Each test parses its deadlines itself: no answer remembered from another test (this also
    # lets the mutation tool see every test that reaches the parser; see docs/mutation.md).
    from zwgk_cli.dates import phrases, recurrence
    from zwgk_cli.dates.deadlines import parse_deadline
    from zwgk_cli.plan import entries, lean
    from zwgk_cli.render import records

    parse_deadline.cache_clear()
    phrases._cached.cache_clear()
    recurrence._between.cache_clear()
    recurrence.parse_period.cache_clear()
    entries._FIELDS.clear()
    lean._DEFAULTS.clear()
    records._build.cache_clear()  # the code that writes a task's keys, generated once a process


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A writable copy of the bundled 屯留区 plan."""
    target = tmp_path / "plan" / "schedule.yaml"
    target.parent.mkdir()
    shutil.copyfile(BUNDLED, target)
    return target


@pytest.fixture
def fixture_plan(tmp_path: Path) -> Callable[[str], Path]:
    """A writable copy of a plan under tests/fixtures/."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(FIXTURES / name, target)
        return target

    return copy


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke the real app: ``run("list", "--unit", "区司法局")``.

    Exceptions propagate (``catch_exceptions=False``): a traceback fails the test instead of
    hiding in ``result.output``. The app's own handler still turns every user error into its
    Chinese message and exit code (a ``SystemExit``, which the runner records).
    """
    runner = CliRunner()

    def invoke(*args: str, **kwargs: object) -> Result:
        kwargs.setdefault("catch_exceptions", False)
        kwargs.setdefault("prog_name", "zwgk")
        return runner.invoke(app, list(args), **kwargs)  # type: ignore[arg-type]

    return invoke


def told_as_user_error(result: Result, code: int) -> None:
    """The run ended as a user error is meant to: its documented exit code, and stderr that is
    the handler's Chinese message (``错误：…``, ``用法错误：…``, or a broken plan's
    ``文件:行: …`` lines) and nothing else (no exception name, no English)."""
    import re

    assert result.exit_code == code, result.output
    first = result.stderr.split("\n", 1)[0]
    assert first.startswith(("错误：", "用法错误：")) or re.match(r"[^\s:][^:]*:(\d+:)? \S", first), first
    assert re.search(r"[\u4e00-\u9fff]", result.stderr)
    assert not re.search(r"\b[A-Z][a-z]+(Error|Exception)\b", result.stderr), result.stderr


# The concurrency and kill tests run small in the default run and at full size in CI's own
# stress step (``ZWGK_STRESS=full pytest -m stress``): the same assertions, more processes.
FULL_STRESS = os.environ.get("ZWGK_STRESS") == "full"


def stress(full: int, small: int) -> int:
    """How many processes (or attempts) a stress test runs."""
    return full if FULL_STRESS else small


HOLD_LOCK = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+b")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


def hold_lock(plan: Path) -> subprocess.Popen[str]:
    """Another process holding ``plan``'s write lock (as a zwgk writing it would) until killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(plan.with_name(f".{plan.name}.lock"))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def write_plan(path: Path, tasks: list[dict[str, object]], **head: object) -> Path:
    """A plan file with ``tasks`` (defaults filled in) and no unit registry (names are free)."""
    import yaml

    full = [
        {
            "category": "类别甲",
            "title": f"任务{t['id']}",
            "responsible": ["区司法局"],
            "supervising": ["区政府办公室"],
            "deadline": "2020年7月下旬",
            **t,
        }
        for t in tasks
    ]
    data = {"title": "测试计划", **head, "tasks": full}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
