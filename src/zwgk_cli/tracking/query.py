"""Which tasks a question is about: one filter, and named presets over it.

``today`` is always a parameter. ``overdue`` and ``due`` are the same filter
with a preset and a sort, as Taskwarrior's reports are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from zwgk_cli.dates.deadlines import days_late
from zwgk_cli.errors import choose
from zwgk_cli.plan.model import GROUP_KIND, ROLE_NAMES, ROLES, TRACKED_ROLES, Item
from zwgk_cli.plan.occurrences import current, ending_between, is_behind, missed
from zwgk_cli.plan.units import Match, parse_ref
from zwgk_cli.plan.verification import task_status

if TYPE_CHECKING:
    from zwgk_cli.plan.schedule import Schedule

__all__ = ["Filter", "Row", "due_between", "match_unit", "overdue", "select"]

UNREGISTERED = "未登记"  # the kind of a unit the plan names but does not register
STATUSES = {"open": "未完成", "done": "已完成", "overdue": "逾期"}


@dataclass(frozen=True)
class Filter:
    """Conditions that combine with AND; ``None`` means "any"."""

    unit: str | None = None  # a registered unit or group name (already resolved)
    direct: bool = False
    # None: the roles in which a unit owes the work (lead, responsible); "all": any role.
    role: str | None = None
    category: str | None = None
    status: str | None = None
    due_before: date | None = None
    due_after: date | None = None
    search: str | None = None


_ANY = Filter()


class Row(NamedTuple):
    """A task (or one occurrence of it) an answer lists, and how it matched the unit asked about.
    A named tuple: an answer may hold every task of the plan, and a tuple is made in C."""

    item: Item
    matches: tuple[Match, ...] = ()


# A role as a user names it: its key, the word for it, or its column name.
_ROLE_CHOICES = {**{r: ROLE_NAMES[r].removesuffix("单位") for r in ROLES}, "all": "全部"}
_ROLE_ALIASES = {**{name: r for r, name in ROLE_NAMES.items()}, "责任": "responsible"}


def role_key(role: str) -> str:
    """The role key (or ``all``) a user's word names; a usage error, in Chinese, otherwise."""
    return choose("--role", role, _ROLE_CHOICES, _ROLE_ALIASES)


def _role_fits(flt: Filter, role: str) -> bool:
    if flt.role is None:
        return role in TRACKED_ROLES  # what the unit owes, not what it supervises or helps with
    return flt.role in ("all", role)


def make_filter(
    schedule: Schedule,
    *,
    unit: str | None = None,
    direct: bool = False,
    role: str | None = None,
    category: str | None = None,
    status: str | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
    search: str | None = None,
) -> Filter:
    """A filter from what a user asked for: names resolved, choices checked."""
    if role is not None:
        role = role_key(role)
    if status is not None:
        status = choose("--status", status, STATUSES)
    return Filter(
        unit=schedule.registry.resolve(unit) if unit is not None else None,
        direct=direct,
        role=role,
        category=schedule.require_category(category) if category is not None else None,
        status=status,
        due_before=due_before,
        due_after=due_after,
        search=search,
    )


_DIRECT = {role: Match(role, "direct") for role in ROLES}  # a match is a value: one will do


def accountable(schedule: Schedule, item: Item) -> Iterator[tuple[str, Match]]:
    """Every unit or group answerable for ``item``, and how: by name, through 同（N）, through a
    group (also a group 同（N） stands for: its members owe the task as the group does)."""
    for role in ROLES:
        for cell in getattr(item.task, role):
            yield from _reach(schedule, item, role, cell)


def _reach(schedule: Schedule, item: Item, role: str, cell: str) -> list[tuple[str, Match]]:
    """Who one name in ``item``'s ``role`` cell stands for, and how."""
    ref = parse_ref(cell)
    if ref is None:
        named: tuple[str, ...] = (cell,)
        found = [(cell, _DIRECT[role])]
    else:
        target = schedule.item(item.sibling(ref))
        named = target.units.get(role, ()) if target is not None else ()
        through = Match(role, "ref", ref=ref)
        found = [(unit, through) for unit in named]
    for group in named:
        members = schedule.registry.members(group)
        if members:
            via = Match(role, "group", group=group, ref=ref)
            found += [(member, via) for member in members]
    return found


def match_unit(schedule: Schedule, item: Item, unit: str) -> tuple[Match, ...]:
    """Every way ``unit`` is accountable for ``item``."""
    return tuple(dict.fromkeys(m for name, m in accountable(schedule, item) if name == unit))


def _keep(item: Item, flt: Filter, today: date) -> bool:
    task = item.task
    if flt.category is not None and task.category != flt.category:
        return False
    if (flt.status == "open" and item.is_done) or (flt.status == "done" and not item.is_done):
        return False
    if flt.status == "overdue" and not item.is_overdue(today):
        return False
    if flt.due_before is not None and (item.due is None or item.due.end > flt.due_before):
        return False
    if flt.due_after is not None and (item.due is None or item.due.end < flt.due_after):
        return False
    if flt.search:
        units = [name for role in ROLES for name in item.units.get(role, ())]
        extra = [part for pair in task.extra for part in pair]
        haystack = " ".join(
            [task.title, task.category or "", task.subcategory or "", task.note or "", *units, *extra]
        )
        if flt.search not in haystack:
            return False
    return True


def _rows_of(item: Item, flt: Filter, today: date) -> list[Item]:
    """What ``item`` shows as: itself, or (a recurring duty) its occurrence due now or next,
    or, asked for overdue work, every occurrence it missed."""
    if flt.status == "overdue":
        return missed(item, today)
    return [current(item, today)]


def select(
    schedule: Schedule, flt: Filter, today: date, within: tuple[date, date] | None = None
) -> list[Row]:
    """The tasks (or occurrences) that pass ``flt``, in plan order, each with how it matched
    the unit; ``within``: only those whose deadline ends between these two days."""
    rows: list[Row] = []
    # A unit is accountable for a task only where it, or a group it belongs to, is among the
    # task's units (同（N） resolved): a set lookup passes over the rest.
    named = {flt.unit, *schedule.registry.groups_of(flt.unit)} if flt.unit is not None else set()
    # Asked for overdue work, the rows are what ``missed`` gives: overdue already.
    check = replace(flt, status=None) if within is None and flt.status == "overdue" else flt
    passes = check == _ANY  # nothing left to check: every candidate is kept
    for task in schedule.items:
        matches: tuple[Match, ...] = ()
        if flt.unit is not None:
            if named.isdisjoint(name for names in task.units.values() for name in names):
                continue
            matches = tuple(
                m
                for m in match_unit(schedule, task, flt.unit)
                if _role_fits(flt, m.role) and not (flt.direct and m.via == "group")
            )
            if not matches:
                continue
        candidates = _rows_of(task, flt, today) if within is None else ending_between(task, *within)
        rows.extend(Row(item, matches) for item in candidates if passes or _keep(item, check, today))
    return rows


def other_roles(schedule: Schedule, flt: Filter, today: date, shown: Sequence[Row]) -> int:
    """How many more tasks ``flt`` would give in the roles it leaves out by default (a unit's
    supervised and cooperating tasks) than the ``shown`` rows it gave: said apart, so that what
    a unit owes is one answer."""
    if flt.unit is None or flt.role is not None:
        return 0
    every = {r.item.id for r in select(schedule, replace(flt, role="all"), today)}
    return len(every - {r.item.id for r in shown})


def overdue(schedule: Schedule, flt: Filter, today: date) -> list[Row]:
    """Open tasks whose deadline ended before ``today``, most overdue first."""
    rows = select(schedule, replace(flt, status="overdue"), today)
    return sorted(rows, key=lambda r: (-days_late(r.item.due, today), r.item.id))


def awaiting(schedule: Schedule, flt: Filter, today: date) -> list[Row]:
    """With verification on: tasks reported done that the office has not verified yet (已报完成待核实)."""
    return [
        r for r in select(schedule, replace(flt, status="done"), today) if task_status(r.item) == "reported"
    ]


def due_between(schedule: Schedule, flt: Filter, today: date, first: date, last: date) -> list[Row]:
    """Open tasks (or occurrences) whose deadline ends between ``first`` and ``last``, soonest first."""
    rows = select(schedule, replace(flt, status="open"), today, within=(first, last))
    return sorted(rows, key=lambda r: (r.item.due.end if r.item.due else date.max, r.item.id))


@dataclass(frozen=True)
class UnitTasks:
    """The tasks one unit or group has a role in."""

    name: str
    kind: str
    groups: tuple[str, ...]
    members: tuple[str, ...]
    by_role: dict[str, tuple[Item, ...]]  # the tasks it has each role in

    @property
    def lead(self) -> tuple[Item, ...]:
        return self.by_role["lead"]

    @property
    def responsible(self) -> tuple[Item, ...]:
        return self.by_role["responsible"]

    @property
    def cooperating(self) -> tuple[Item, ...]:
        return self.by_role["cooperating"]

    @property
    def supervising(self) -> tuple[Item, ...]:
        return self.by_role["supervising"]

    @property
    def tracks(self) -> bool:
        """Whether it leads or does any task."""
        return any(self.by_role[role] for role in TRACKED_ROLES)

    @property
    def tracked(self) -> tuple[Item, ...]:
        """The tasks it leads or does (each once): the work whose progress it reports. Each
        task is one object of the plan's items, told apart by identity (a workspace's NAME:ID
        keys hash in Python, a few hundred thousand times in a report)."""
        return tuple({id(i): i for role in TRACKED_ROLES for i in self.by_role[role]}.values())


@dataclass(frozen=True)
class UnitDuties(UnitTasks):
    """What one unit or group is accountable for, as ``zwgk units`` counts it."""

    open: tuple[Item, ...]  # of the tasks it leads or does, those it has not finished
    overdue: tuple[Item, ...]


def _owes(item: Item, owners: tuple[str, ...]) -> bool:
    """Whether any of ``owners`` (a unit, or a group's members) still owes its part of ``item``."""
    return any(owner in item.outstanding for owner in owners)


def unit_tasks(schedule: Schedule, wanted: tuple[str, ...] = ROLES) -> list[UnitTasks]:
    """Every registered unit, then every group, with the tasks it has a role in (one pass over
    the tasks); ``wanted``: only these roles' tasks (``TRACKED_ROLES`` for what units report
    on: every task has a 主管单位, and a report never asks for it)."""
    registry = schedule.registry
    roles: dict[str, dict[str, dict[int, Item]]] = {role: {} for role in ROLES}
    items = schedule.items
    for role in wanted:  # a role's tasks by unit in plan order; the place stands for the task
        tasks = roles[role]
        # Who a cell without 同（N） stands for is the same in every task: worked out once for
        # each cell, and put together once for each way the column is written.
        by_cell: dict[str, list[str]] = {}
        same: dict[tuple[str, ...], list[str]] = {}
        for index, item in enumerate(items):
            cells: tuple[str, ...] = getattr(item.task, role)
            names = same.get(cells)
            if names is None:
                names, plain = [], True
                for cell in cells:
                    found = by_cell.get(cell)
                    if found is None:
                        found = [name for name, _ in _reach(schedule, item, role, cell)]
                        if parse_ref(cell) is None:
                            by_cell[cell] = found
                        else:
                            plain = False
                    names += found
                if plain:
                    same[cells] = names
            for name in names:
                tasks.setdefault(name, {})[index] = item
    entries = [(u.name, u.kind) for u in registry.units.values()]
    entries += [(g, GROUP_KIND) for g in registry.groups]
    # A plan without a registry (or with names it does not list) still has its units.
    known = {name for name, _ in entries}
    entries += [(n, UNREGISTERED) for names in roles.values() for n in names if n not in known]
    return [
        UnitTasks(
            name=name,
            kind=kind,
            groups=tuple(registry.groups_of(name)),
            members=registry.members(name),
            by_role={role: tuple(roles[role].get(name, {}).values()) for role in ROLES},
        )
        for name, kind in dict.fromkeys(entries)
    ]


def unit_duties(schedule: Schedule, today: date) -> list[UnitDuties]:
    """``unit_tasks``, with what each unit has not finished and what of that is overdue."""
    registry = schedule.registry
    known_late: dict[int, bool] = {}

    def behind(item: Item, owners: tuple[str, ...]) -> bool:
        # A recurring duty no unit reports separately is behind for all its units or none.
        if not item.periodic or item.per_unit:
            return is_behind(item, today, owners)
        if item.id not in known_late:
            known_late[item.id] = is_behind(item, today, item.slots)
        return known_late[item.id] and any(owner in item.slots for owner in owners)

    result = []
    for unit in unit_tasks(schedule):
        owners = registry.members(unit.name) or (unit.name,)
        owing = tuple(i for i in unit.tracked if _owes(i, owners))
        overdue = tuple(i for i in owing if behind(i, owners))
        result.append(
            UnitDuties(unit.name, unit.kind, unit.groups, unit.members, unit.by_role, owing, overdue)
        )
    return result


# How ``zwgk units --sort`` orders units: each key's Chinese name, and its sort key (counts: most first).
UNIT_SORT_NAMES = {
    "plan": "登记顺序",
    "name": "名称",
    "kind": "类别",
    "lead": "牵头",
    "responsible": "主体责任",
    "cooperating": "配合",
    "supervising": "主管",
    "open": "未完成",
    "overdue": "逾期",
}
_SORT_KEYS = {
    "name": lambda d: d.name,
    "kind": lambda d: d.kind,
    "lead": lambda d: -len(d.lead),
    "responsible": lambda d: -len(d.responsible),
    "cooperating": lambda d: -len(d.cooperating),
    "supervising": lambda d: -len(d.supervising),
    "open": lambda d: -len(d.open),
    "overdue": lambda d: (-len(d.overdue), -len(d.open)),
}


def sort_duties(duties: list[UnitDuties], sort: str) -> list[UnitDuties]:
    """``duties`` in the order ``zwgk units --sort`` names."""
    key = _SORT_KEYS.get(choose("--sort", sort, UNIT_SORT_NAMES))
    return sorted(duties, key=key) if key is not None else duties
