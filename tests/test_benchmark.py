"""The benchmark script cannot rot: a smoke run on the smallest plan. Nothing is timed here."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
    # The floor: one run first (five in a full run), then one after each of the nine measured runs.
    assert "hello-world 先运行 1 次，之后在每次测量后各运行一次（共 10 次）" in text
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


def test_a_ratio_compares_each_run_with_the_floor_run_right_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run in a slow minute is compared with the floor in that minute: the median of the
    paired ratios, not the command's median over the floor's median over the whole run."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_run", bench)  # where its dataclasses look their module up
    spec.loader.exec_module(bench)
    floor = bench.Timing("hello", [0.2, 0.2, 0.2, 0.3, 0.3], 0)  # median 0.2
    paired = bench.Timing("cmd", [0.4, 0.6, 0.66], 0, [0.2, 0.3, 0.3])
    assert paired.ratio(floor) == pytest.approx(2.0)  # 2.0, 2.0, 2.2: not 0.6 / 0.2
    alone = bench.Timing("cmd", [0.4, 0.6, 0.66], 0)  # no floor runs beside it: the medians
    assert alone.ratio(floor) == pytest.approx(3.0)
    odd = bench.Timing("cmd", [0.9, 0.3, 0.6], 0, [0.3, 0.3, 0.2])  # 3.0, 1.0, 3.0: the middle one
    assert odd.ratio(floor) == pytest.approx(3.0)
