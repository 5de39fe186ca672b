"""Every example in README.md prints what the README shows (tests/readme_examples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from readme_examples import ELLIPSIS, Block, blocks, matches, run_step, sandbox

BLOCKS = blocks((ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_has_examples() -> None:
    commands = [step.command for block in BLOCKS for step in block.steps]
    assert len(commands) >= 20
    allowed = ("zwgk", "git", "head", "grep", "cat")
    assert all(c.split()[0] in allowed or "zwgk" in c for c in commands), commands


@pytest.mark.parametrize("block", BLOCKS, ids=[f"README.md:{b.line}" for b in BLOCKS])
def test_readme_example(block: Block, tmp_path: Path) -> None:
    env = sandbox(tmp_path / "sandbox")
    for step in block.steps:
        actual = run_step(step, tmp_path / "sandbox", env)
        assert matches(step.expected, actual), (
            f"README.md:{block.line}: $ {step.command}\n--- README shows:\n"
            + "\n".join(step.expected)
            + "\n--- the program prints:\n"
            + "\n".join(actual)
        )


def test_ellipsis_matching() -> None:
    assert matches(["a", ELLIPSIS, "d"], ["a", "b", "c", "d"])
    assert matches(["a", ELLIPSIS, "d"], ["a", "d"])
    assert not matches(["a", ELLIPSIS, "d"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert not matches(["a", "b"], ["a", "x"])
    assert matches(["a  "], ["a"])  # trailing spaces are not compared
