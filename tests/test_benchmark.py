"""The benchmark script cannot rot: a smoke run on the smallest plan. Nothing is timed here."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--out", "-"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# zwgk 基准测试结果")
    for row in (
        "| python -c pass |",
        "| hello-world Typer |",
        "| 25 | overdue --format json（无缓存） |",
        "| 25 | overdue --format json（缓存） |",
        "| 25 | list --unit 区司法局 --format json（缓存） |",
        "| 25 | report --format json（无缓存） |",
        "| 25 | done 2 |",
        "| 25 | done 2（缓存） |",
        "| 25 | reopen 2（缓存） |",
    ):
        assert row in text, row
    # The floor: five runs first, then one after each of the nine measured runs.
    assert "hello-world 先运行 5 次，之后在每次测量后各运行一次（共 14 次）" in text
    assert text.count("\n| 25 | ") == 9


def test_generator_makes_valid_plans(tmp_path: object) -> None:
    from pathlib import Path

    plan = Path(str(tmp_path)) / "plan.yaml"
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "300"],
        capture_output=True,
        text=True,
        check=True,
    )
    plan.write_text(out.stdout, encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "zwgk_cli", "check", str(plan)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    assert out.stdout.count("\n  - id: ") == 300
