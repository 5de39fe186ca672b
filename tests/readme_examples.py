"""Run the examples of README.md: every ```console block, in a sandbox of its own.

A block is a sequence of ``$ command`` lines, each followed by what it prints (stdout and
stderr, as a terminal shows them). A line that is only ``…`` stands for any number of lines
the README leaves out; every other line must be exactly what the program prints.

The sandbox is a fresh folder with the bundled plan at ``data/schedule.yaml``, the test
fixtures under ``tests/fixtures``, and a git repository whose first commit holds the plan (fixed
author and dates, so commit ids are the same on every run). ``$COLUMNS`` is 100.

``python tests/readme_examples.py`` prints what each block prints now; with ``--write`` it puts
that output into README.md (as sqlite-utils does with cog), except in blocks that contain a
``…`` line, which a person has shortened and the test checks as they are.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELLIPSIS = "…"


@dataclass(frozen=True)
class Step:
    command: str
    expected: list[str]


@dataclass(frozen=True)
class Block:
    line: int  # where the block starts in README.md
    steps: list[Step]


def blocks(text: str) -> list[Block]:
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```console":
            index += 1
            continue
        start, index = index + 1, index + 1
        steps: list[Step] = []
        while index < len(lines) and lines[index].strip() != "```":
            line = lines[index]
            if line.startswith("$ "):
                steps.append(Step(line[2:], []))
            elif steps:
                steps[-1].expected.append(line)
            index += 1
        found.append(Block(start, steps))
    return found


GIT_ENV = {
    "GIT_AUTHOR_NAME": "办公室 张三",
    "GIT_AUTHOR_EMAIL": "zhangsan@example.cn",
    "GIT_COMMITTER_NAME": "办公室 张三",
    "GIT_COMMITTER_EMAIL": "zhangsan@example.cn",
    "GIT_AUTHOR_DATE": "2020-08-26T10:00:00+08:00",
    "GIT_COMMITTER_DATE": "2020-08-26T10:00:00+08:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def sandbox(folder: Path) -> dict[str, str]:
    """Lay out the sandbox in ``folder``; return the environment commands run with."""
    (folder / "data").mkdir(parents=True)
    shutil.copyfile(ROOT / "data" / "schedule.yaml", folder / "data" / "schedule.yaml")
    shutil.copytree(ROOT / "tests" / "fixtures", folder / "tests" / "fixtures")
    bin_dir = str(Path(sys.executable).parent)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ZWGK_", "GIT_")) and key not in ("NO_COLOR", "EDITOR", "VISUAL")
    }
    env.update(GIT_ENV)
    env.update(
        {
            "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            "COLUMNS": "100",
            "ZWGK_CACHE_DIR": str(folder / ".cache"),
            "PYTHONUNBUFFERED": "1",
            "LC_ALL": "C.UTF-8",
        }
    )
    for args in (["init", "-q", "-b", "main"], ["add", "data"], ["commit", "-qm", "导入计划"]):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)
    return env


# What makes a step need a shell: pipes, redirections, lists, variables, globs, a prefix.
_SHELL = re.compile(r"[|&;<>$`*?~(){}\\[\]=]")


def run_step(step: Step, folder: Path, env: dict[str, str]) -> list[str]:
    """What ``step`` prints, stdout and stderr interleaved as a terminal shows them. A plain
    ``zwgk …`` runs in this process (a new Python per step is most of the examples' time); a
    step that needs a shell, or runs git, head or cat, runs through bash."""
    words = shlex.split(step.command) if not _SHELL.search(step.command) else []
    if words and words[0] == "zwgk":
        return _run_here(words[1:], folder, env)
    done = subprocess.run(
        ["bash", "-c", f"{{ {step.command}\n}} 2>&1"],  # the command's own redirections win
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return [line.rstrip() for line in done.stdout.splitlines()]


def _run_here(args: list[str], folder: Path, env: dict[str, str]) -> list[str]:
    """``zwgk args`` run in this process, in ``folder``, with exactly ``env`` as its environment
    and stdout and stderr going to one stream in the order they are written."""
    from zwgk_cli.cli import app

    mixed = io.BytesIO()
    stream = io.TextIOWrapper(mixed, encoding="utf-8", write_through=True)
    saved = (dict(os.environ), os.getcwd(), sys.stdout, sys.stderr, sys.stdin)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(folder)
    sys.stdout = sys.stderr = stream
    sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    try:
        app(args, prog_name="zwgk")
    except SystemExit:
        pass
    finally:
        stream.flush()
        environ, cwd, sys.stdout, sys.stderr, sys.stdin = saved
        os.environ.clear()
        os.environ.update(environ)
        os.chdir(cwd)
    return [line.rstrip() for line in mixed.getvalue().decode("utf-8").splitlines()]


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual``, a line of only ``…`` standing for any lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == ELLIPSIS else re.escape(line.rstrip()) + r"\n"
        for line in expected
    )
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


# The documents whose examples are run: the README and the reference under docs/.
DOCUMENTS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))


def main() -> None:
    for document in DOCUMENTS:
        _update(document)


def _update(readme: Path) -> None:
    import tempfile

    name = readme.relative_to(ROOT)
    lines = readme.read_text(encoding="utf-8").splitlines()
    write = "--write" in sys.argv[1:]
    for block in reversed(blocks("\n".join(lines))):  # bottom-up keeps earlier line numbers valid
        with tempfile.TemporaryDirectory() as tmp:
            env = sandbox(Path(tmp))
            body: list[str] = []
            for step in block.steps:
                body += [f"$ {step.command}", *run_step(step, Path(tmp), env)]
        shortened = any(line.strip() == ELLIPSIS for step in block.steps for line in step.expected)
        if not write:
            print(f"--- {name}:{block.line}", *body, sep="\n")
        elif not shortened:
            end = block.line
            while lines[end].strip() != "```":
                end += 1
            lines[block.line : end] = body
    if write:
        readme.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
