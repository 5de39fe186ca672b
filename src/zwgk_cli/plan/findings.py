"""A problem found in a plan: the path of the value at fault (the store turns it into a line
number), the Chinese message, and whether it is only a warning."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Finding", "Path"]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """A problem of a plan at one place in its data: an error, or only a warning."""

    path: Path
    message: str
    warning: bool = False
