"""A change made of one step per unit (a repeated ``-u``), written as one change."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

from zwgk_cli.storage.edits import Outcome
from zwgk_cli.storage.store import Document, then

__all__ = ["chained", "for_units"]


def chained(
    document: Document, steps: Sequence[Callable[[Document], Outcome]]
) -> tuple[list[Outcome], Document]:
    """Each step on the plan as the steps before it left it: every outcome, and the plan after all."""
    outcomes: list[Outcome] = []
    current = document
    for step in steps:
        outcome = step(current)
        outcomes.append(outcome)
        if outcome.text is not None:
            current = then(current, outcome.text)
    return outcomes, current


def _at(step: Callable[[Document, str | None], Outcome], unit: str, document: Document) -> Outcome:
    return step(document, unit)


def for_units(
    document: Document, units: Sequence[str] | None, step: Callable[[Document, str | None], Outcome]
) -> Outcome:
    """``step`` for each of ``units`` in turn (or once, for none), as one change: every value of a
    repeated ``-u`` is taken, and the plan is written once with all of them or not at all."""
    if not units:
        return step(document, None)
    outcomes, current = chained(document, [functools.partial(_at, step, u) for u in dict.fromkeys(units)])
    changed = [o for o in outcomes if o.text is not None]
    last = changed[-1] if changed else outcomes[-1]
    named = "、".join(o.unit for o in (changed or outcomes) if o.unit)
    return dataclasses.replace(last, unit=named or last.unit, text=current.text if changed else None)
