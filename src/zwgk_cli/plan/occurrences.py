"""The occurrences of recurring and event-counted duties, as items a question can count.

A recurring duty (每季度首月20日前) recurs over the plan's period; a duty counted from an
event (信息形成之日起20个工作日内) has one occurrence per recorded event. Each occurrence is
an ``Item`` with ``period`` set, its own due range and its own completion, so that
``overdue``, ``due`` and ``report`` treat it as they treat a task. Occurrences are worked
out from the rule when asked for, never stored. Pure: ``today`` is always a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from zwgk_cli.dates.deadlines import DeadlineError, DueRange, parse_deadline
from zwgk_cli.dates.phrases import Deadline
from zwgk_cli.dates.recurrence import Occurrence, Rule, parse_period
from zwgk_cli.errors import UsageError
from zwgk_cli.plan.entries import Event, PeriodDone
from zwgk_cli.plan.model import Item, Plan, Status

__all__ = [
    "Part",
    "begun",
    "current",
    "default_occurrence",
    "ending_between",
    "event_views",
    "explain",
    "find_occurrence",
    "is_behind",
    "missed",
    "plan_span",
    "record_problems",
    "rule_views",
    "view",
]


def plan_span(plan: Plan, dues: Iterable[DueRange | None]) -> DueRange | None:
    """The period a plan runs over: its ``period:``, else its ``year:``, else the whole years
    its dated tasks span (None for a plan with none of these)."""
    if plan.period is not None:
        return parse_deadline(plan.period, plan.year)
    if plan.year is not None:
        return DueRange(date(plan.year, 1, 1), date(plan.year, 12, 31))
    dated = [d for d in dues if d is not None]
    if not dated:
        return None
    first, last = min(d.start.year for d in dated), max(d.end.year for d in dated)
    return DueRange(date(first, 1, 1), date(last, 12, 31))


def _span(item: Item, today: date) -> DueRange:
    """Where ``item`` recurs: the plan's period, or (a plan without one) the year of ``today``."""
    return item.span or DueRange(date(today.year, 1, 1), date(today.year, 12, 31))


def _rule(item: Item) -> Rule | None:
    return item.deadline.rule if item.deadline is not None and item.kind == "recurring" else None


def view(item: Item, occ: Occurrence, unit: str | None = None) -> Item:
    """``item`` as of one occurrence: its due range and the completion recorded for it."""
    done_by, closed = _recorded(item, occ.period)
    return replace(
        item,
        due=occ.due,
        period=occ.period,
        slots=(unit,) if unit is not None else item.slots,
        done_by=done_by,
        closed_on=closed,
    )


def _recorded(item: Item, period: str) -> tuple[dict[str, date], date | None]:
    """What is recorded done of one occurrence: by unit, and as a whole (when)."""
    records = item.by_period.get(period, ())
    done_by = {r.unit: r.done_on for r in records if r.unit is not None}
    return done_by, next((r.done_on for r in records if r.unit is None), None)


def _settled(item: Item, period: str) -> bool:
    """Whether the occurrence ``period`` of ``item`` (all its units) is recorded done."""
    records = item.by_period.get(period)
    if not records:
        return item.is_done
    units = {r.unit for r in records}
    return None in units or (bool(item.slots) and all(s in units for s in item.slots))


def _event_occurrence(item: Item, event: Event) -> Occurrence:
    assert item.deadline is not None and item.deadline.after is not None
    due, _ = item.deadline.after.due(event.date)
    return Occurrence(event.date.isoformat(), due.start, due.end)


def event_views(item: Item) -> list[Item]:
    """Each recorded event's occurrence of ``item`` (for the unit it names, if any)."""
    if item.deadline is None or item.deadline.after is None:
        return []
    return [view(item, _event_occurrence(item, e), e.unit) for e in item.task.events]


def _rule_occurrences(item: Item, today: date) -> tuple[Occurrence, ...]:
    rule = _rule(item)
    if rule is None:
        return ()
    span = _span(item, today)
    return rule.between(span.start, span.end)


def rule_views(item: Item, today: date) -> list[Item]:
    """Each occurrence of a recurring duty over the plan's period (``today``'s year without one)."""
    return [view(item, occ) for occ in _rule_occurrences(item, today)]


def _inside(occ: Occurrence, span: DueRange) -> bool:
    return occ.start >= span.start and occ.end <= span.end


def _edge(rule: Rule, span: DueRange, *, last: bool) -> Occurrence | None:
    """The first (or last) occurrence wholly inside ``span``."""
    start = rule.period_start(span.end if last else span.start)
    for _ in range(2):  # a window cut by the span's edge: the neighbouring period's is inside
        occ = rule.occurrence(start)
        if _inside(occ, span):
            return occ
        start = rule.step(start, -1 if last else 1)
    return None


def _rule_near(rule: Rule, span: DueRange, today: date, *, upcoming: bool) -> Occurrence | None:
    """The occurrence due now or next (``upcoming``), or due now or most recently; the span's
    last or first one when ``today`` lies beyond it. Windows lie inside their own periods, so
    the answer is this period's occurrence or its neighbour's."""
    start = rule.period_start(today)
    occ = rule.occurrence(start)
    if upcoming and occ.end < today:
        occ = rule.occurrence(rule.step(start, 1))
    if not upcoming and occ.start > today:
        occ = rule.occurrence(rule.step(start, -1))
    if _inside(occ, span):
        return occ
    if occ.end > span.end:
        return _edge(rule, span, last=True)
    return _edge(rule, span, last=False)


def current(item: Item, today: date) -> Item:
    """The row a list shows for ``item``: the task itself, or its occurrence due now or next."""
    if not item.periodic:
        return item
    candidates = [v for v in event_views(item) if v.due is not None and v.due.end >= today]
    rule = _rule(item)
    if rule is not None:
        occ = _rule_near(rule, _span(item, today), today, upcoming=True)
        if occ is not None:
            candidates.append(view(item, occ))
    if candidates:
        return min(candidates, key=lambda v: v.due.end if v.due else date.max)
    past = event_views(item)
    return max(past, key=lambda v: v.due.end if v.due else date.min) if past else item


def _rule_missed(item: Item, today: date) -> bool:
    for occ in _rule_occurrences(item, today):
        if occ.end >= today:  # in order: the rest are not due yet
            return False
        if not _settled(item, occ.period):
            return True
    return False


def is_behind(item: Item, today: date, owners: tuple[str, ...]) -> bool:
    """Whether any of ``owners`` still owes a part of ``item`` (or an occurrence of it) whose
    deadline has passed."""
    if item.periodic and not item.per_unit and not item.is_done and _rule_missed(item, today):
        return any(owner in item.slots for owner in owners)
    return any(owner in v.outstanding for v in missed(item, today) for owner in owners)


def missed(item: Item, today: date) -> list[Item]:
    """The occurrences (or the task) past their deadline on ``today`` and not done."""
    if not item.periodic:
        return [item] if item.is_overdue(today) else []
    if item.is_done:
        return []
    late = []
    for occ in _rule_occurrences(item, today):
        if occ.end >= today:  # in order: the rest are not due yet
            break
        if not _settled(item, occ.period):
            late.append(view(item, occ))
    return late + [v for v in event_views(item) if v.is_overdue(today)]


class Part(NamedTuple):
    """A task, or one occurrence of it, as a report counts it: light enough to make by the
    hundred thousand (a view ``Item`` is not)."""

    item: Item  # the task
    due: DueRange | None
    done_by: Mapping[str, date]  # of this occurrence, by unit
    closed_on: date | None  # this occurrence done as a whole, on
    slots: tuple[str, ...]
    period: str | None = None  # the occurrence it is (None: the task itself)

    def state(self, owners: tuple[str, ...] | None = None) -> tuple[bool, date | None]:
        """Whether it is done, and when: for ``owners`` (a unit, or a group's members), done
        when all of them are, on the date the last of them recorded; else, or when the whole
        is done, as the whole."""
        if owners is not None:
            dates = [self.done_by.get(owner) for owner in owners]
            if all(d is not None for d in dates):
                return True, max(d for d in dates if d is not None)
        if self.closed_on is not None:
            return True, self.closed_on
        if self.item.periodic and self.slots and all(s in self.done_by for s in self.slots):
            return True, max(self.done_by[s] for s in self.slots)
        if self.item.task.status is Status.DONE:
            return True, self.item.task.done_on
        return False, None


def _part(item: Item, occ: Occurrence) -> Part:
    done_by, closed = _recorded(item, occ.period)
    return Part(item, occ.due, done_by, closed, item.slots, occ.period)


def _part_of(view: Item) -> Part:
    return Part(view, view.due, view.done_by, view.closed_on, view.slots, view.period)


def begun(item: Item, today: date) -> list[Part]:
    """What a report counts for ``item``: the task, or every occurrence begun by ``today``
    (at least the first, so that a duty not yet begun still counts once)."""
    if not item.periodic:
        return [_part_of(item)]
    occurrences = _rule_occurrences(item, today)
    started = [_part(item, o) for o in occurrences if o.start <= today]
    events = event_views(item)
    started += [_part_of(v) for v in events if v.due is not None and v.due.start <= today]
    if started:
        return started
    events.sort(key=lambda v: v.due.end if v.due else date.max)
    first = [_part(item, o) for o in occurrences[:1]] + [_part_of(v) for v in events]
    return first[:1] or [_part_of(item)]


def ending_between(item: Item, first: date, last: date) -> list[Item]:
    """The task, or its occurrences, whose deadline ends between ``first`` and ``last``."""
    if not item.periodic:
        return [item] if item.due is not None and first <= item.due.end <= last else []
    views = [view(item, o) for o in _rule_occurrences(item, first) if first <= o.end <= last]
    return views + [v for v in event_views(item) if v.due is not None and first <= v.due.end <= last]


def default_occurrence(item: Item, today: date) -> Item:
    """The occurrence ``done`` records when no ``--period`` is given: due now or most recently."""
    events = [v for v in event_views(item) if v.due is not None and v.due.start <= today]
    rule = _rule(item)
    occ = _rule_near(rule, _span(item, today), today, upcoming=False) if rule is not None else None
    candidates = [*events, *([view(item, occ)] if occ is not None else [])]
    if not candidates:
        raise UsageError(_no_occurrence(item))
    # The one begun most recently; a first occurrence not begun yet only when nothing has begun.
    started = [c for c in candidates if c.due is not None and c.due.start <= today]
    return max(started or candidates, key=lambda v: v.due.start if v.due else date.min)


def _no_occurrence(item: Item) -> str:
    if item.deadline is not None and item.deadline.after is not None:
        return (
            f"任务 {item.id} 还没有记录事件，没有可完成的期次。请先用 zwgk event {item.id} --on 日期 记录事件"
        )
    return f"任务 {item.id} 在计划期内没有期次"


def find_occurrence(item: Item, period: str, unit: str | None, today: date) -> Item:
    """The occurrence ``--period`` names (2023Q1, 2023-04, 2023H1, 2023, or an event's date)."""
    events = [v for v in event_views(item) if v.period == period.strip()]
    if events:
        mine = [v for v in events if unit is None or unit in v.slots]
        return (mine or events)[0]
    rule = _rule(item)
    if rule is None:
        recorded = "、".join(dict.fromkeys(e.date.isoformat() for e in item.task.events)) or "（无）"
        raise UsageError(f"任务 {item.id} 没有期次“{period}”。已记录的事件日期：{recorded}")
    try:
        occ = parse_period(period, rule)
    except DeadlineError as exc:
        raise UsageError(str(exc)) from None
    span = _span(item, today)
    if occ.start < span.start or occ.end > span.end:
        raise UsageError(f"期次“{period}”不在计划期内（{span.start} 至 {span.end}）")
    return view(item, occ)


def record_problems(
    task_id: int,
    deadline: Deadline,
    periods: tuple[PeriodDone, ...],
    events: tuple[Event, ...],
    slots: tuple[str, ...],
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """What is wrong with a task's recorded occurrences and events: (path under the task, message)."""
    rule = deadline.rule if deadline.kind == "recurring" else None
    dates = {e.date.isoformat() for e in events}
    seen: set[tuple[str, str | None]] = set()
    for k, record in enumerate(periods):
        if rule is None and deadline.after is None:
            yield (
                ("periods", k),
                f"任务 {task_id} 的完成时间“{deadline.phrase}”不是周期性的，不应有各期完成记录（periods）",
            )
            continue
        if record.period not in dates:
            if rule is None:
                yield (
                    ("periods", k, "period"),
                    f"任务 {task_id} 没有记录过 {record.period} 的事件，不能完成该期",
                )
            else:
                try:
                    parse_period(record.period, rule)
                except DeadlineError as exc:
                    yield ("periods", k, "period"), f"任务 {task_id}：{exc}"
        if record.unit is not None and record.unit not in slots:
            yield (
                ("periods", k, "unit"),
                f"任务 {task_id} 的各期完成记录了“{record.unit}”，但它不是该任务的牵头或主体责任单位",
            )
        if (record.period, record.unit) in seen:
            yield ("periods", k), f"任务 {task_id} 的期次 {record.period} 重复记录了完成"
        seen.add((record.period, record.unit))
    for k, event in enumerate(events):
        if deadline.after is None:
            yield (
                ("events", k),
                f"任务 {task_id} 的完成时间“{deadline.phrase}”不是从事件起算的，不应有事件记录（events）",
            )
        elif event.unit is not None and event.unit not in slots:
            yield (
                ("events", k, "unit"),
                f"任务 {task_id} 的事件记录了“{event.unit}”，但它不是该任务的牵头或主体责任单位",
            )


@dataclass(frozen=True)
class Explanation:
    """What ``zwgk date`` says of a phrase: its reading, and its occurrences in a window."""

    deadline: Deadline
    start: date | None
    end: date | None
    occurrences: tuple[Occurrence, ...]
    warnings: tuple[str, ...]


def explain(deadline: Deadline, first: date, last: date, event_on: date | None) -> Explanation:
    """``deadline`` read for a person: a recurring one's occurrences between ``first`` and
    ``last``, an event-counted one's due range from an event on ``event_on``."""
    warnings = list(deadline.warnings)
    occurrences: list[Occurrence] = []
    start, end = (deadline.due.start, deadline.due.end) if deadline.due is not None else (None, None)
    if deadline.rule is not None:
        occurrences += deadline.rule.between(first, last)
    if deadline.after is not None and event_on is not None:
        due, notes = deadline.after.due(event_on)
        warnings += notes
        occurrences.append(Occurrence(event_on.isoformat(), due.start, due.end))
        if deadline.kind == "event":
            start, end = due.start, due.end
    return Explanation(deadline, start, end, tuple(occurrences), tuple(warnings))
