"""Every example in README.md and docs/*.md prints what it shows (tests/readme_examples.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from readme_examples import DOCUMENTS, ELLIPSIS, Block, blocks, matches, run_step, sandbox

FOUND = [(d.relative_to(ROOT), b) for d in DOCUMENTS for b in blocks(d.read_text(encoding="utf-8"))]
BLOCKS = [b for _, b in FOUND]


def test_readme_has_examples() -> None:
    commands = [step.command for block in BLOCKS for step in block.steps]
    assert len(commands) >= 20
    allowed = ("zwgk", "git", "head", "grep", "cat")
    assert all(c.split()[0] in allowed or "zwgk" in c for c in commands), commands


@pytest.mark.parametrize("block", BLOCKS, ids=[f"{name}:{b.line}" for name, b in FOUND])
def test_readme_example(block: Block, tmp_path: Path) -> None:
    env = sandbox(tmp_path / "sandbox")
    for step in block.steps:
        actual = run_step(step, tmp_path / "sandbox", env)
        assert matches(step.expected, actual), (
            f"line {block.line}: $ {step.command}\n--- the document shows:\n"
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
