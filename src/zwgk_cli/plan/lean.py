"""Dataclasses pickled lean: a cached plan of 10,000 tasks is mostly fields at their defaults."""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Lean"]

_DEFAULTS: dict[type, dict[str, Any]] = {}


class Lean:
    """A dataclass pickled without the fields that hold their default. A dataclass default is
    also a class attribute, so a field left out of an instance's ``__dict__`` still reads as its
    default (a field with a default factory has no class attribute: it is always kept)."""

    def __getstate__(self) -> dict[str, Any]:
        cls = type(self)
        if cls not in _DEFAULTS:
            _DEFAULTS[cls] = {
                f.name: f.default
                for f in dataclasses.fields(self)  # type: ignore[arg-type]
                if f.default is not dataclasses.MISSING
            }
        defaults = _DEFAULTS[cls]
        return {k: v for k, v in self.__dict__.items() if k not in defaults or v != defaults[k]}
