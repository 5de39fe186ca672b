"""The ``zwgk`` command: the app (``app``), its read commands and its write commands."""

from __future__ import annotations

import gc

from zwgk_cli.cli import feedback, read, supervise, write
from zwgk_cli.cli.app import app

__all__ = ["app", "feedback", "main", "read", "supervise", "write"]


def main() -> None:
    """Console entry point."""
    # A run is short and builds up to millions of small objects with no cycles among them:
    # the cyclic collector would only scan them again and again (see benchmarks/RESULTS.md).
    gc.disable()
    app()
