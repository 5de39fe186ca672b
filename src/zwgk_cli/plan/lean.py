"""Dataclasses pickled lean: a cached plan of 10,000 tasks is mostly fields at their defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["Lean", "once"]

T = TypeVar("T")

_DEFAULTS: dict[type, dict[str, Any]] = {}  # each class's fields that have a default


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


class once(Generic[T]):  # lower case: a decorator, like functools.cached_property
    """``functools.cached_property`` without its lock (Python 3.11 takes one on every first
    read; 3.12 dropped it): the value is worked out on the first read and kept in the
    instance's ``__dict__``, where later reads find it without calling this at all."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | once[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value
