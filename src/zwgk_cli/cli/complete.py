"""Shell completion (Typer's own mechanism) from the plan actually in use.

Each function takes what Typer passes (the context and the word typed so far) and returns
(value, help) pairs. Completion must never print an error into the user's prompt, so any
problem reading the plan simply gives no candidates.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zwgk_cli.errors import ZwgkError
from zwgk_cli.plan.model import GROUP_KIND
from zwgk_cli.plan.schedule import Schedule

if TYPE_CHECKING:
    from zwgk_cli.storage.workspace import View

__all__ = ["categories", "formats", "plans", "task_ids", "units"]


def _view(ctx: Any, every: bool = False) -> View | None:
    """The plans in use (``every``: all of them, whatever ``--plan`` says)."""
    from zwgk_cli.storage.workspace import open_view

    params = getattr(ctx, "params", None) or {}
    file = params.get("file")
    try:
        wanted = None if every else params.get("plans")
        return open_view(Path(file) if file else None, wanted, os.environ, Path.cwd())
    except (ZwgkError, OSError):
        return None


def _schedule(ctx: Any) -> Schedule | None:
    view = _view(ctx)
    return view.schedule if view is not None else None


def plans(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """The short names of the workspace's plans (each with its title)."""
    view = _view(ctx, every=True)
    if view is None:
        return []
    pairs = zip(view.names, view.titles, strict=True)
    return _safe([(name, title) for name, title in pairs if name.startswith(incomplete)])


def _safe(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Candidates as a shell may print them: no control characters (render.safe.clean)."""
    from zwgk_cli.render.safe import clean

    return [(clean(value), clean(help_text)) for value, help_text in pairs]


def task_ids(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    schedule = _schedule(ctx)
    if schedule is None:
        return []
    return _safe([(str(i.id), i.task.title) for i in schedule.items if str(i.id).startswith(incomplete)])


def units(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    schedule = _schedule(ctx)
    if schedule is None:
        return []
    registry = schedule.registry
    # Shells keep only candidates that start with what was typed, so match on the start too.
    found = [(u.name, u.kind) for u in registry.units.values() if u.name.startswith(incomplete)]
    found += [(g, GROUP_KIND) for g in registry.groups if g.startswith(incomplete)]
    return _safe(found)


def categories(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    schedule = _schedule(ctx)
    if schedule is None:
        return []
    names = dict.fromkeys(i.task.category for i in schedule.items if i.task.category)
    return _safe([(c, "工作任务") for c in names if c.startswith(incomplete)])


def formats(names: tuple[str, ...]) -> Callable[[Any, str], list[tuple[str, str]]]:
    """Completion of ``--format`` for a command that writes ``names``."""
    from zwgk_cli.render import FORMATS

    def complete(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
        return [(f, FORMATS[f]) for f in names if f.startswith(incomplete)]

    return complete


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def install_callback(ctx: Any, param: Any, value: Any) -> None:
    """``zwgk --install-completion``: Typer's installer, told in Chinese."""
    if not value or ctx.resilient_parsing:
        return
    import typer
    from typer.completion import install  # type: ignore[attr-defined]  # re-exported by Typer

    from zwgk_cli.errors import UsageError, WriteRefused, os_reason
    from zwgk_cli.render.text import completion_failed, completion_installed, unknown_shell

    shell = value if isinstance(value, str) else Path(os.environ.get("SHELL", "")).name
    if shell not in SHELLS:
        raise UsageError(unknown_shell(shell))
    try:
        shell, path = install(shell=shell, prog_name="zwgk")
    except OSError as exc:
        raise WriteRefused(completion_failed(os_reason(exc))) from None
    sys.stderr.write(completion_installed(shell, str(path)) + "\n")
    raise typer.Exit()
