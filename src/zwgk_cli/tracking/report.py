"""Progress reports for the supervising office: by unit or by category, with traffic lights.

Pure aggregation over a schedule; ``today`` and the "due soon" window are parameters.
A unit's share of a task is its own slot: a unit that has recorded its part is done
with that task even while other units are not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain

from zwgk_cli.dates.deadlines import DueRange, days_late, is_due_soon, is_late
from zwgk_cli.errors import choose
from zwgk_cli.plan.model import GROUP_KIND, TRACKED_ROLES, Item
from zwgk_cli.plan.occurrences import Part, begun
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.plan.verification import counts_as_verified
from zwgk_cli.tracking.query import unit_tasks

__all__ = ["REPORT_BY", "Line", "Tally", "build_report", "by_key", "by_unit"]


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
    reported: int = 0  # 已报完成待核实: done by the unit's word, not yet verified by the office

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
        return "完成" if self.open == 0 and self.reported == 0 else "绿"


# What one share of a task (a unit's part, or the whole) comes to in a report.
SHARES = 6
ON_TIME, LATE, REPORTED, OPEN, OVERDUE, SOON = range(SHARES)


def outcome(
    due: DueRange | None, done: bool, done_on: date | None, verified: bool, today: date, soon: int
) -> int:
    """Done on time or late; done but not ``verified`` (已报完成待核实, neither done nor open);
    else open, and of the open, overdue or due within ``soon`` days."""
    if done and not verified:
        return REPORTED
    if done:
        return LATE if days_late(due, done_on) else ON_TIME
    if is_late(due, today):
        return OVERDUE
    return SOON if is_due_soon(due, today, soon) else OPEN


class Tally:
    """Counts that add up into a report line: one share at a time, or a whole tally at once
    (a recurring duty's occurrences are counted once, then added for each unit)."""

    __slots__ = ("counts", "overdue_ids")

    def __init__(self) -> None:
        self.counts = [0] * SHARES  # by outcome
        self.overdue_ids: dict[int, None] = {}  # ordered, each task once

    def count(self, share: int, item: Item) -> None:
        self.counts[share] += 1
        if share == OVERDUE:  # its key is worked out only here (among plans, a NAME:ID to make)
            self.overdue_ids[item.id] = None

    @staticmethod
    def count_overdue(tallies: dict[str, Tally], names: Iterable[str], item: Item) -> None:
        """Count ``item`` overdue for each of ``names`` with a tally in ``tallies``, its key on
        their lines (a task whose units all share it alike: one call for all of them)."""
        key = item.id
        for name in names:
            tally = tallies.get(name)
            if tally is not None:
                tally.counts[OVERDUE] += 1
                tally.overdue_ids[key] = None

    def merge(self, other: Tally) -> None:
        self.counts = [mine + theirs for mine, theirs in zip(self.counts, other.counts, strict=True)]
        self.overdue_ids.update(other.overdue_ids)

    def line(self, name: str) -> Line:
        c = self.counts
        return Line(
            name,
            sum(c),
            c[ON_TIME],
            c[LATE],
            c[OPEN] + c[OVERDUE] + c[SOON],
            c[OVERDUE],
            c[SOON],
            tuple(self.overdue_ids),
            c[REPORTED],
        )


def _count(
    tally: Tally, parts: Iterable[Part], owners: tuple[str, ...] | None, today: date, soon: int
) -> None:
    """Each of ``parts`` (a task, or its occurrences) as ``owners`` (None: the whole) share it."""
    for part in parts:
        if owners is None or any(owner in part.slots for owner in owners):  # another unit's event: not theirs
            verified = counts_as_verified(part.item, part.period, owners)
            tally.count(outcome(part.due, *part.state(owners), verified, today, soon), part.item)


class _Counter:
    """Adds tasks to tallies; a recurring duty's occurrences are counted once as a whole, and
    again for a unit only where some unit recorded its own part."""

    def __init__(self, today: date, soon: int) -> None:
        self.today, self.soon = today, soon
        # By the item's identity: it stands for itself while a report lasts, and hashes fast
        # (its id among several plans is a NAME:ID to make).
        self.whole: dict[int, Tally] = {}
        self.parts: dict[int, list[Part]] = {}  # each task's, worked out once for all its units
        self.shares: dict[int, int] = {}  # each task's whole share, by outcome

    @staticmethod
    def alike(item: Item) -> bool:
        """Whether every unit's share of ``item`` is the task's own: no unit recorded its own
        part and nothing waits on the office's verification (and it is not recurring)."""
        return not (item.periodic or item.done_by or item.verification)

    def share(self, item: Item) -> int:
        """The task's own share (not recurring), by outcome: worked out once. A task that is
        not recurring is done, and when, as the item says (``Part.state`` of the whole)."""
        key = id(item)
        found = self.shares.get(key)
        if found is None:
            verified = counts_as_verified(item, None, None)
            found = outcome(item.due, item.is_done, item.finished_on, verified, self.today, self.soon)
            self.shares[key] = found
        return found

    def add(self, tally: Tally, item: Item, owners: tuple[str, ...] | None = None) -> None:
        if owners is None and not item.periodic:
            tally.count(self.share(item), item)
            return
        key = id(item)
        if not item.periodic or (owners is not None and item.per_unit):
            if key not in self.parts:
                self.parts[key] = begun(item, self.today)
            _count(tally, self.parts[key], owners, self.today, self.soon)
            return
        if key not in self.whole:
            self.whole[key] = Tally()
            _count(self.whole[key], begun(item, self.today), None, self.today, self.soon)
        tally.merge(self.whole[key])


def by_unit(schedule: Schedule, counter: _Counter) -> dict[str, Tally]:
    """Each unit's tally of every task it leads or does, groups counted for their members;
    its overdue tasks in plan order.

    A group with members is reported through its members; a group without any (the
    plan names none) is reported as one, since it is the only name the work has.
    """
    registry = schedule.registry
    result: dict[str, Tally] = {}
    through_members: set[str] = set()  # a unit of one plan that another plan makes a group
    place: dict[int, int] = {}  # each item's place in the plan, by identity
    for duty in unit_tasks(schedule, TRACKED_ROLES):
        if duty.kind == GROUP_KIND and duty.members:
            continue
        if duty.tracks:  # a unit that only cooperates or supervises owes nothing to report on
            owners = registry.members(duty.name) or (duty.name,)
            tally = result[duty.name] = Tally()
            if owners != (duty.name,):  # counted through its members, task by task, in plan order
                through_members.add(duty.name)
                place = place or {id(item): pos for pos, item in enumerate(schedule.items)}
                for item in sorted(duty.tracked, key=lambda i: place[id(i)]):
                    counter.add(tally, item, owners)
    # Every other unit counts the tasks it tracks, in plan order: its slots are exactly the units
    # with a line whose tasks hold it (a group named with its members is in its members' place).
    # A task whose units all share it alike is classified once and counted for each of them:
    # overdue at once (its key goes on their lines, in plan order), else with the others of
    # its share, all units in one count at the end (unit by unit, 81,000 steps in Python for
    # a workspace of 20,000 tasks).
    counting = {name: tally for name, tally in result.items() if name not in through_members}
    alike: list[list[tuple[str, ...]]] = [[] for _ in range(SHARES)]  # each share's tasks' units
    for item in schedule.items:
        if counter.alike(item):
            share = counter.share(item)
            if share == OVERDUE:
                Tally.count_overdue(counting, item.slots, item)
            else:
                alike[share].append(item.slots)
        else:
            for name in item.slots:
                if name in counting:
                    counter.add(counting[name], item, (name,))
    for share, slots in enumerate(alike):
        for name, times in Counter(chain.from_iterable(slots)).items():
            if name in counting:
                counting[name].counts[share] += times
    return result


NO_REGION = "（未写地区）"


def _key(schedule: Schedule, by: str) -> Callable[[Item], str]:
    """What a task is counted under: its category, its plan, or its plan's region."""
    if by == "category":
        return lambda item: item.task.category or UNCATEGORISED
    if by == "plan":
        return lambda item: item.source.name if item.source else schedule.name
    region = schedule.plan.region
    return lambda item: (item.source.region if item.source else region) or NO_REGION


def by_key(schedule: Schedule, counter: _Counter, by: str) -> dict[str, Tally]:
    """Each category's (plan's, region's) tasks, in plan order (a recurring duty: each
    occurrence begun by ``today``)."""
    key = _key(schedule, by)
    result: dict[str, Tally] = {}
    for item in schedule.items:
        counter.add(result.setdefault(key(item), Tally()), item)
    return result


# What a report counts the tasks of a table without categories under.
UNCATEGORISED = "（未分类）"
REPORT_BY = {"unit": "单位", "category": "工作任务", "plan": "计划", "region": "地区"}


def build_report(schedule: Schedule, today: date, by: str, soon: int) -> tuple[list[Line], Line]:
    """Report lines (units ranked by overdue work first; the rest in plan order) and the total."""
    by = choose("--by", by, REPORT_BY)
    counter = _Counter(today, soon)
    groups = by_unit(schedule, counter) if by == "unit" else by_key(schedule, counter, by)
    lines = [tally.line(name) for name, tally in groups.items()]
    if by == "unit":
        lines.sort(key=lambda ln: (-ln.overdue, -ln.due_soon, -ln.open, ln.rate))
    total = Tally()
    for item in schedule.items:
        counter.add(total, item)
    return lines, total.line("合计")
