"""Click, as the installed Typer carries it: Typer 0.29 ships its own copy (``typer._click``),
other releases depend on Click itself. Every other module takes Click's classes from here, so
a Typer upgrade changes one import."""

from __future__ import annotations

try:
    from typer._click import core, exceptions, formatting
except ImportError:  # a Typer that depends on Click instead of carrying it
    from click import core, exceptions, formatting  # type: ignore[import-not-found, no-redef, unused-ignore]

__all__ = ["core", "exceptions", "formatting"]
