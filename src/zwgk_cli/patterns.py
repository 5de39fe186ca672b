"""Regular expressions compiled when first used, not when their module is imported.

The modules a read imports define some seventy patterns, most of them for reading deadline
phrases, unit cells and tables, which a cached plan never reads again; compiling them all at
import took about a sixth of zwgk's own start-up. ``lazy(source)`` stands for
``re.compile(source)``: the first method asked of it compiles the pattern (``re`` keeps the
compiled one) and keeps that method, so later calls go straight to the compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, Generic, cast

__all__ = ["lazy"]


class _Lazy(Generic[AnyStr]):
    def __init__(self, source: AnyStr, flags: int) -> None:
        self._source: AnyStr = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only called for what the instance does not hold yet: compile, keep the method.
        value = getattr(re.compile(self._source, self._flags), name)
        setattr(self, name, value)
        return value


def lazy(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)``, compiled when first used."""
    return cast("re.Pattern[AnyStr]", _Lazy(source, flags))
