"""The ``zwgk`` command: the app (``app``), its read commands and its write commands."""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
from collections.abc import Mapping
from typing import NoReturn

import typer
import typer.models

# isort: off
# The order of these imports is the order of the commands in ``zwgk --help``.
from zwgk_cli.cli import read, plans, supervise, write, feedback
from zwgk_cli.cli.app import app, ending_without_teardown

# isort: on

__all__ = ["app", "feedback", "leave", "main", "only_invoked", "plans", "read", "supervise", "write"]


def main() -> None:
    """Console entry point."""
    # A run is short and builds up to millions of small objects with no cycles among them:
    # the cyclic collector would only scan them again and again (see benchmarks/RESULTS.md).
    gc.disable()
    ending_without_teardown()  # the process ends in ``leave``: what a run read is never freed
    only_invoked(app, sys.argv[1:2], os.environ)
    try:
        app()
    except SystemExit as done:
        leave(done.code)
    leave(0)


def leave(code: object) -> NoReturn:
    """End the process as ``sys.exit(code)`` does, without the interpreter's teardown: a run
    holds a few million small objects (every module it imported, a cached plan of 10,000 tasks)
    and freeing them one by one took 40 ms on the bundled plan and 60–90 ms on 10,000 tasks,
    longer than many a command itself. What the teardown does that matters is done here: the
    functions registered with ``atexit`` run (a temporary folder's clean-up, say) and stdout and
    stderr are flushed. Files zwgk writes are whole and closed before a command returns
    (``storage/atomic.py``; documents are saved to memory first)."""
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")  # as Python prints a message given to sys.exit
    status = code if isinstance(code, int) else 0 if code is None else 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # the reader left (`| head`); closed
            stream.flush()
    os._exit(status)


def only_invoked(typer_app: typer.Typer, first: list[str], env: Mapping[str, str]) -> None:
    """Keep only the command ``zwgk NAME …`` invokes: Typer reads the signature of every
    registered command to build the group, a quarter of a read's start-up for the one it runs.
    The whole group stays when no command is named (``zwgk --help``), the name is not a command
    (the error suggests the close ones) or the shell is completing."""
    if not first or any(key.startswith("_ZWGK_COMPLETE") or key == "_TYPER_COMPLETE_ARGS" for key in env):
        return
    chosen = [c for c in typer_app.registered_commands if _name(c) == first[0]]
    if chosen:
        typer_app.registered_commands = chosen


def _name(info: typer.models.CommandInfo) -> str:
    """A command's name as Typer derives it: given, or the function's name with - for _."""
    return info.name or (info.callback.__name__ if info.callback else "").lower().replace("_", "-")
