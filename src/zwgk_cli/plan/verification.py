"""Where the plan says ``verification: true``: each tracked unit's state (open, reported
done, verified by the office) and the task's. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zwgk_cli.plan.model import Item

__all__ = ["UNIT_STATUSES", "UnitState", "counts_as_verified", "is_verified", "task_status", "unit_states"]

UNIT_STATUSES = ("open", "reported", "verified")


@dataclass(frozen=True)
class UnitState:
    """Where one tracked unit of a task stands in the supervision loop."""

    unit: str
    status: str  # open | reported | verified
    date: date | None  # when it reported, or when the office verified it


def unit_states(item: Item) -> list[UnitState]:
    """Each tracked unit's state: verified by the office, reported done, or open."""
    whole = next((v.date for v in item.task.verified if v.unit is None), None)
    verified = {v.unit: v.date for v in item.task.verified if v.unit is not None}
    states = []
    for slot in item.slots:
        if whole is not None or slot in verified:
            states.append(UnitState(slot, "verified", verified.get(slot, whole)))
        elif slot in item.done_by or item.is_done:
            states.append(UnitState(slot, "reported", item.done_by.get(slot, item.task.done_on)))
        else:
            states.append(UnitState(slot, "open", None))
    return states


def task_status(item: Item) -> str:
    """open | done as before; where its plan verifies, open | reported | verified: verified
    when every tracked unit is, reported when every one has reported or been verified."""
    if not item.verification:
        return "done" if item.is_done else "open"
    if any(v.unit is None for v in item.task.verified):
        return "verified"
    states = [s.status for s in unit_states(item)]
    if states and all(s == "verified" for s in states):
        return "verified"
    if item.is_done or (states and all(s != "open" for s in states)):
        return "reported"
    return "open"


def counts_as_verified(item: Item, period: str | None, owners: tuple[str, ...] | None) -> bool:
    """Whether done work on ``item`` (``owners``' part, of the occurrence ``period``) stands as
    verified: where the plan verifies, the office has; occurrences of recurring duties are not
    verified one by one. The one rule report and score both count by."""
    return not item.verification or period is not None or is_verified(item, owners)


def is_verified(item: Item, owners: tuple[str, ...] | None) -> bool:
    """Whether the office verified ``owners``' part of ``item`` (no owners: the whole)."""
    if any(v.unit is None for v in item.task.verified):
        return True
    units = {v.unit for v in item.task.verified}
    return all(o in units for o in (owners if owners is not None else item.slots)) and bool(units)
