"""The ``zwgk`` command: the app (``app``), its read commands and its write commands."""

from __future__ import annotations

import gc

# isort: off
# The order of these imports is the order of the commands in ``zwgk --help``.
from zwgk_cli.cli import read, plans, supervise, write, feedback
from zwgk_cli.cli.app import app

# isort: on

__all__ = ["app", "feedback", "main", "plans", "read", "supervise", "write"]


def main() -> None:
    """Console entry point."""
    # A run is short and builds up to millions of small objects with no cycles among them:
    # the cyclic collector would only scan them again and again (see benchmarks/RESULTS.md).
    gc.disable()
    app()
