"""What the office sends out: reminder notices (催办通知) to late units, and the bulletin (通报).

The data only: which unit is reminded of which tasks, who is praised and who is named. The
documents are written by ``render/notices.py``. Built from the same questions ``overdue``,
``due`` and ``report`` answer, never a second computation. Pure: ``today`` is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from zwgk_cli.dates.deadlines import xun_of
from zwgk_cli.plan.model import GROUP_KIND, TRACKED_ROLES, Item
from zwgk_cli.plan.occurrences import ending_between, missed
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.tracking.query import Filter, Row, due_between, unit_tasks
from zwgk_cli.tracking.report import Line, build_report

__all__ = ["Bulletin", "Owed", "Reminder", "bulletin", "office_of", "reminders"]


@dataclass(frozen=True)
class Owed:
    """A task (or occurrence) a unit still owes: overdue by some days, or due in some."""

    item: Item
    days_overdue: int | None
    days_left: int | None


@dataclass(frozen=True)
class Reminder:
    """What one unit (or group) owes, for a reminder notice (催办通知)."""

    unit: str
    owed: tuple[Owed, ...]
    group: bool = False  # a group whose members the plan does not list: addressed as 各单位


def office_of(schedule: Schedule) -> str:
    """Who signs: the plan's ``office:``, else the unit that supervises most tasks."""
    if schedule.plan.office:
        return schedule.plan.office
    counts: dict[str, int] = {}
    for item in schedule.items:
        for name in item.supervising:
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda n: counts[n]) if counts else "政务公开工作领导小组办公室"


def reminders(schedule: Schedule, today: date, within: int, unit: str | None = None) -> list[Reminder]:
    """Each unit with overdue work or work due within ``within`` days, and that work (most
    overdue first); units with nothing to remind are left out."""
    registry = schedule.registry
    wanted = registry.resolve(unit) if unit is not None else None
    office = office_of(schedule)  # who signs the notices does not send one to itself
    last = today + timedelta(days=within)
    result = []
    for duty in unit_tasks(schedule, TRACKED_ROLES):
        if (duty.kind == GROUP_KIND and duty.members) or (wanted is not None and duty.name != wanted):
            continue
        if duty.name == office and wanted is None:
            continue
        owners = registry.members(duty.name) or (duty.name,)
        owed: list[Owed] = []
        for item in duty.tracked:
            for late in missed(item, today):
                if any(o in late.outstanding for o in owners):
                    owed.append(Owed(late, late.days_overdue(today), None))
            for soon in ending_between(item, today, last):
                if not soon.is_done and soon.due is not None and any(o in soon.outstanding for o in owners):
                    owed.append(Owed(soon, None, (soon.due.end - today).days))
        if owed:
            owed.sort(key=lambda o: (-(o.days_overdue or 0), o.days_left or 0, o.item.id))
            result.append(Reminder(duty.name, tuple(owed), duty.kind == GROUP_KIND))
    return result


@dataclass(frozen=True)
class Bulletin:
    """A progress bulletin (通报): every unit's standing, who is praised and who is named."""

    today: date
    office: str
    total: Line
    lines: tuple[Line, ...]  # every unit, ranked as ``report`` ranks them
    praised: tuple[str, ...]  # units with work done, all on time, and none overdue
    named: tuple[Line, ...]  # units with overdue work, most overdue first
    this_xun: tuple[Row, ...]  # open work due by the end of this 旬
    this_month: tuple[Row, ...]  # open work due later this month
    titles: dict[int, str] = field(default_factory=dict)  # the overdue tasks' 具体任务, by number


def bulletin(schedule: Schedule, today: date, soon: int = 7) -> Bulletin:
    """The bulletin's facts, from ``report``'s lines and ``due``'s rows."""
    lines, total = build_report(schedule, today, "unit", soon)
    # Praised: units that have done work, all of it on time, and have nothing overdue.
    praised = tuple(ln.name for ln in lines if ln.done and not (ln.done_late or ln.overdue))
    named = tuple(sorted((ln for ln in lines if ln.overdue), key=lambda ln: (-ln.overdue, ln.name)))
    xun_end = xun_of(today).end
    month_end = today + relativedelta(day=31)
    this_xun = due_between(schedule, Filter(), today, today, xun_end)
    # The rest of the month after this 旬 (nothing when the 旬 ends the month).
    later = due_between(schedule, Filter(), today, xun_end + timedelta(days=1), month_end)
    office = office_of(schedule)
    late = {i for ln in named for i in ln.overdue_ids}
    titles = {item.id: item.task.title for item in schedule.items if item.id in late}
    return Bulletin(today, office, total, tuple(lines), praised, named, tuple(this_xun), tuple(later), titles)
