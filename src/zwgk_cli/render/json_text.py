"""JSON as ``json.dumps(value, ensure_ascii=False, indent=2, default=str)`` writes it.

With an indent the standard library encodes in Python, one generator per value: a 10,000-task
``overdue --format json`` (2.6 MB) spent a sixth of its run there. A long list is written by
orjson instead, in C, in about a twentieth of the time and with the same bytes for every
value zwgk writes (text, whole numbers, dates, lists, maps; tests/test_render.py compares
them). Only numbers no plan gives differ: a float below 1e-4 is written ``0.00001`` rather
than ``1e-05`` (the same number), and NaN or infinity, which are not JSON, as ``null``.
Whatever orjson would write its own way (a dataclass, a date, a subclass of ``str`` or
``int``) it is told to refuse, and the standard library writes the whole value, as it does a
value orjson cannot write (a lone surrogate from a file name, a number past 64 bits, a key that
is not text). Records hold only JSON's own types anyway (a workspace's task key is its text
``NAME:ID``; tests/test_workspace.py runs every JSON command both ways). A short value is left
to the standard library, already loaded: importing orjson (about 0.4 ms) costs more than it
saves on a few dozen tasks.

orjson writes UTF-8 bytes, and they are passed on as bytes (``encode``): decoding 30 MB of
text and encoding it again for stdout took longer than writing it (100,000 tasks). It replaced
msgspec, which wrote the same bytes in two passes (encode, then indent) and took 5 ms to
import (its package loads its schema, TOML and YAML modules): a tenth of the time zwgk added
to a 10,000-task ``overdue``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps", "encode"]

# From this many members on, a list is written by orjson (the standard library writes a
# hundred task records in about 2 ms).
LONG = 100


def encode(value: Any) -> bytes | str:
    """``value`` as indented JSON (two spaces; text kept as written, not ``\\u`` escapes): UTF-8
    bytes where orjson wrote it, text where the standard library did."""
    if isinstance(value, list) and len(value) >= LONG:
        import orjson

        # Two spaces; and every type orjson would write otherwise than json.dumps refused.
        refuse = (
            orjson.OPT_PASSTHROUGH_SUBCLASS
            | orjson.OPT_PASSTHROUGH_DATETIME
            | orjson.OPT_PASSTHROUGH_DATACLASS
        )
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2 | refuse)
        except TypeError:  # a lone surrogate from a file name, a path (JSONEncodeError is one)
            pass
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def dumps(value: Any) -> str:
    """``value`` as indented JSON text (``encode``'s, decoded)."""
    written = encode(value)
    return written if isinstance(written, str) else written.decode("utf-8")
