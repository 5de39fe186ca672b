"""Progress reports for the supervising office: by unit or by category, with traffic lights.

Pure aggregation over a schedule; ``today`` and the "due soon" window are parameters.
A unit's share of a task is its own slot: a unit that has recorded its part is done
with that task even while other units are not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from zwgk_cli.errors import UsageError
from zwgk_cli.model import Item, is_due_soon, is_late
from zwgk_cli.occurrences import begun
from zwgk_cli.query import unit_duties
from zwgk_cli.validate import Schedule

__all__ = ["Line", "Share", "build_report", "shares_by_category", "shares_by_unit"]


@dataclass(frozen=True)
class Share:
    """One unit's (or the whole task's) part of a task: when it was done, if at all."""

    item: Item
    done_on: date | None
    done: bool


@dataclass(frozen=True)
class Line:
    """One row of a report: a unit, a category, or the total."""

    name: str
    tasks: int
    done_on_time: int
    done_late: int
    open: int
    overdue: int
    due_soon: int
    overdue_ids: tuple[int, ...]

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def rate(self) -> float:
        return self.done / self.tasks if self.tasks else 1.0

    @property
    def light(self) -> str:
        if self.overdue:
            return "红"
        if self.due_soon:
            return "黄"
        return "完成" if self.open == 0 else "绿"


def _line(name: str, shares: Iterable[Share], today: date, soon: int) -> Line:
    on_time = late = still_open = overdue = due_soon = 0
    overdue_ids: list[int] = []
    count = 0
    for share in shares:
        count += 1
        due = share.item.due
        if share.done:
            if due is None or share.done_on is None or share.done_on <= due.end:
                on_time += 1
            else:
                late += 1
            continue
        still_open += 1
        if is_late(due, today):
            overdue += 1
            overdue_ids.append(share.item.id)
        elif is_due_soon(due, today, soon):
            due_soon += 1
    # A recurring duty with several missed occurrences is named once.
    return Line(name, count, on_time, late, still_open, overdue, due_soon, tuple(dict.fromkeys(overdue_ids)))


def _task_share(item: Item) -> Share:
    return Share(item, item.finished_on, item.is_done)


def _unit_share(item: Item, owners: tuple[str, ...]) -> Share:
    """A unit's (or a group's members') share of ``item``: done when all of them are, on the
    date the last of them recorded; a task marked done as a whole counts from its own date."""
    dates = [item.done_by.get(owner) for owner in owners]
    if all(d is not None for d in dates):
        return Share(item, max(d for d in dates if d is not None), True)
    if item.is_done:
        return Share(item, item.finished_on, True)
    return Share(item, None, False)


def shares_by_unit(schedule: Schedule, today: date) -> dict[str, list[Share]]:
    """Each unit's share of every task it leads or does, groups counted for their members.

    A group with members is reported through its members; a group without any (the
    plan names none) is reported as one, since it is the only name the work has.
    """
    registry = schedule.registry
    result: dict[str, list[Share]] = {}
    for duty in unit_duties(schedule, today):
        if duty.kind == "单位组" and duty.members:
            continue
        if duty.tracked:  # a unit that only cooperates or supervises owes nothing to report on
            owners = registry.members(duty.name) or (duty.name,)
            result[duty.name] = [_unit_share(v, owners) for item in duty.tracked for v in begun(item, today)]
    return result


def shares_by_category(schedule: Schedule, today: date) -> dict[str, list[Share]]:
    """Each category's tasks (a recurring duty: each occurrence begun by ``today``)."""
    result: dict[str, list[Share]] = {}
    for item in schedule.items:
        result.setdefault(item.task.category, []).extend(_task_share(v) for v in begun(item, today))
    return result


def build_report(schedule: Schedule, today: date, by: str, soon: int) -> tuple[list[Line], Line]:
    """Report lines (units ranked by overdue work first; categories in plan order) and the total."""
    if by not in ("unit", "category"):
        raise UsageError(f"--by 只能是 unit（单位）或 category（工作任务），不是“{by}”")
    groups = shares_by_unit(schedule, today) if by == "unit" else shares_by_category(schedule, today)
    lines = [_line(name, shares, today, soon) for name, shares in groups.items()]
    if by == "unit":
        lines.sort(key=lambda ln: (-ln.overdue, -ln.due_soon, -ln.open, ln.rate))
    total = _line("合计", (_task_share(v) for i in schedule.items for v in begun(i, today)), today, soon)
    return lines, total
