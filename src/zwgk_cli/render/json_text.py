"""JSON as ``json.dumps(value, ensure_ascii=False, indent=2, default=str)`` writes it.

With an indent the standard library encodes in Python, one generator per value: a 10,000-task
``overdue --format json`` (2.6 MB) spent a sixth of its run there. A long list is written by
msgspec instead, in C, in about a fifth of the time and with the same bytes for every value
zwgk writes (text, whole numbers, dates, lists, maps; tests/test_render.py compares them). Only
numbers no plan gives differ: a float beyond 1e16 or below 1e-4 is written ``1e16`` rather than
``1e+16`` (the same number), and NaN or infinity, which are not JSON, as ``null``. Records hold
only JSON's own types (a workspace's task key is its text ``NAME:ID``): an object the standard
library writes with ``default=str``, msgspec may write as an object (a dataclass), so none is
passed (tests/test_workspace.py runs every JSON command both ways). A short value is left to the
standard library, already loaded: importing msgspec costs more than it saves.

msgspec writes UTF-8 bytes, and they are passed on as bytes (``encode``): decoding 30 MB of
text and encoding it again for stdout took longer than writing it (100,000 tasks).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["dumps", "encode"]

# From this many members on, a list is written by msgspec (its import costs about what the
# standard library takes for a hundred task records).
LONG = 100


def encode(value: Any) -> bytes | str:
    """``value`` as indented JSON (two spaces; text kept as written, not ``\\u`` escapes): UTF-8
    bytes where msgspec wrote it, text where the standard library did."""
    if isinstance(value, list) and len(value) >= LONG:
        import msgspec

        try:
            raw = msgspec.json.encode(value)
        except (TypeError, ValueError, OverflowError):  # a lone surrogate from a file name, a path
            pass
        else:
            return msgspec.json.format(raw, indent=2)
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def dumps(value: Any) -> str:
    """``value`` as indented JSON text (``encode``'s, decoded)."""
    written = encode(value)
    return written if isinstance(written, str) else written.decode("utf-8")
