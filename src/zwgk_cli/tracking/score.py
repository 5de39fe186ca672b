"""Year-end scores (考评) of units, by the plan's scoring rules.

Each unit is scored on every task (or occurrence) it leads or does whose deadline has
passed or that it has done: ``on_time`` points when done by the deadline; ``late`` points
plus ``per_overdue_day`` for each day late when done after it; ``per_overdue_day`` for each
day still late when not done; ``per_return`` for each time the office returned its report;
never below ``floor``. With verification on and ``verified_only``, only verified work counts
as done. Units are ranked by their total, equal totals sharing a rank. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zwgk_cli.dates.deadlines import days_late, is_late
from zwgk_cli.plan.model import GROUP_KIND, TRACKED_ROLES, Item, Scoring
from zwgk_cli.plan.occurrences import Part, begun
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.plan.verification import counts_as_verified
from zwgk_cli.tracking.query import unit_tasks

__all__ = ["TaskScore", "UnitScore", "score_units"]


@dataclass(frozen=True)
class TaskScore:
    """The points one task (or occurrence) earns a unit at year end."""

    task_id: int
    period: str | None
    status: str  # on_time | late | overdue
    days_late: int
    returns: int
    points: float


@dataclass(frozen=True)
class UnitScore:
    """A unit's year-end score (考评): its rank, total and the points of each task."""

    unit: str
    rank: int | None  # None: nothing of the unit's was due or done yet, so it is not ranked
    total: float
    tasks: tuple[TaskScore, ...]


def _returns(item: Item, owners: tuple[str, ...]) -> int:
    return sum(1 for r in item.task.reports if r.returned and (r.unit is None or r.unit in owners))


def _score(part: Part, owners: tuple[str, ...], rules: Scoring, today: date) -> TaskScore | None:
    item, due = part.item, part.due
    done, done_on = part.state(owners)
    if done and rules.verified_only and not counts_as_verified(item, part.period, owners):
        done = False
    returns = _returns(item, owners)
    period = part.period
    if done:
        late = days_late(due, done_on)
        points = rules.on_time if late == 0 else rules.late + rules.per_overdue_day * late
        status = "on_time" if late == 0 else "late"
    elif is_late(due, today):
        late = days_late(due, today)
        points, status = rules.per_overdue_day * late, "overdue"
    else:
        return None  # not due yet, not done: nothing to score
    points += rules.per_return * returns
    if rules.floor is not None:
        points = max(points, rules.floor)
    return TaskScore(item.id, period, status, late, returns, round(points, 2))


def score_units(schedule: Schedule, today: date) -> list[UnitScore]:
    """Every unit that leads or does work, scored and ranked (best first)."""
    rules = schedule.plan.rules
    registry = schedule.registry
    scored: list[tuple[str, float, tuple[TaskScore, ...]]] = []
    for duty in unit_tasks(schedule, TRACKED_ROLES):
        if (duty.kind == GROUP_KIND and duty.members) or not duty.tracks:
            continue
        owners = registry.members(duty.name) or (duty.name,)
        found = [
            s
            for item in duty.tracked
            for part in begun(item, today)
            if (s := _score(part, owners, rules, today)) is not None
        ]
        scored.append((duty.name, round(sum(s.points for s in found), 2), tuple(found)))
    # Units with something scored are ranked; a unit with nothing due yet is listed after them,
    # unranked, not level with one whose overdue tasks scored nothing.
    scored.sort(key=lambda u: (not u[2], -u[1]))
    result: list[UnitScore] = []
    for position, (unit, total, tasks) in enumerate(scored, start=1):
        if not tasks:
            result.append(UnitScore(unit, None, total, tasks))
            continue
        rank = result[-1].rank if result and result[-1].total == total else position
        result.append(UnitScore(unit, rank, total, tasks))
    return result
