"""A change made of one step per unit (a repeated ``-u``), written as one change."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from zwgk_cli.storage.edits import Outcome
from zwgk_cli.storage.store import Document, then

__all__ = ["for_units"]


def for_units(
    document: Document, units: Sequence[str] | None, step: Callable[[Document, str | None], Outcome]
) -> Outcome:
    """``step`` for each of ``units`` in turn (or once, for none), as one change: every value of a
    repeated ``-u`` is taken, and the plan is written once with all of them or not at all."""
    if not units:
        return step(document, None)
    outcomes: list[Outcome] = []
    current = document
    for unit in dict.fromkeys(units):
        outcome = step(current, unit)
        outcomes.append(outcome)
        if outcome.text is not None:
            current = then(current, outcome.text)
    changed = [o for o in outcomes if o.text is not None]
    last = changed[-1] if changed else outcomes[-1]
    named = "、".join(o.unit for o in (changed or outcomes) if o.unit)
    return dataclasses.replace(last, unit=named or last.unit, text=current.text if changed else None)
