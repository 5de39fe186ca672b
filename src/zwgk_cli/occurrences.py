"""The occurrences of recurring and event-counted duties, as items a question can count.

A recurring duty (每季度首月20日前) recurs over the plan's period; a duty counted from an
event (信息形成之日起20个工作日内) has one occurrence per recorded event. Each occurrence is
an ``Item`` with ``period`` set, its own due range and its own completion, so that
``overdue``, ``due`` and ``report`` treat it as they treat a task. Occurrences are worked
out from the rule when asked for, never stored. Pure: ``today`` is always a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from zwgk_cli.deadlines import DeadlineError, DueRange, parse_deadline
from zwgk_cli.errors import UsageError
from zwgk_cli.model import Event, Item, PeriodDone, Plan
from zwgk_cli.phrases import Deadline
from zwgk_cli.recurrence import Occurrence, Rule, parse_period

__all__ = [
    "begun",
    "current",
    "default_occurrence",
    "ending_between",
    "event_views",
    "explain",
    "find_occurrence",
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


def _records(item: Item, period: str) -> list[PeriodDone]:
    return [r for r in item.task.periods if r.period == period]


def view(item: Item, occ: Occurrence, unit: str | None = None) -> Item:
    """``item`` as of one occurrence: its due range and the completion recorded for it."""
    records = _records(item, occ.period)
    closed = next((r.done_on for r in records if r.unit is None), None)
    return replace(
        item,
        due=occ.due,
        period=occ.period,
        slots=(unit,) if unit is not None else item.slots,
        done_by={r.unit: r.done_on for r in records if r.unit is not None},
        closed_on=closed,
    )


def _event_occurrence(item: Item, event: Event) -> Occurrence:
    assert item.deadline is not None and item.deadline.after is not None
    due, _ = item.deadline.after.due(event.date)
    return Occurrence(event.date.isoformat(), due.start, due.end)


def rule_views(item: Item, today: date) -> Iterator[Item]:
    """Each occurrence of a recurring duty over the plan's period (``today``'s year without one)."""
    span = _span(item, today)
    return _rule_views(item, span.start, span.end)


def event_views(item: Item) -> list[Item]:
    """Each recorded event's occurrence of ``item`` (for the unit it names, if any)."""
    if item.deadline is None or item.deadline.after is None:
        return []
    return [view(item, _event_occurrence(item, e), e.unit) for e in item.task.events]


def _rule_views(item: Item, first: date, last: date) -> Iterator[Item]:
    rule = _rule(item)
    if rule is not None:
        for occ in rule.between(first, last):
            yield view(item, occ)


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


def missed(item: Item, today: date) -> list[Item]:
    """The occurrences (or the task) past their deadline on ``today`` and not done."""
    if not item.periodic:
        return [item] if item.is_overdue(today) else []
    if item.is_done:
        return []
    span = _span(item, today)
    views = [*_rule_views(item, span.start, min(span.end, today - timedelta(days=1))), *event_views(item)]
    return [v for v in views if v.is_overdue(today)]


def begun(item: Item, today: date) -> list[Item]:
    """What a report counts for ``item``: the task, or every occurrence begun by ``today``
    (at least the first, so that a duty not yet begun still counts once)."""
    if not item.periodic:
        return [item]
    span = _span(item, today)
    views = [v for v in (*_rule_views(item, span.start, span.end), *event_views(item))]
    started = [v for v in views if v.due is not None and v.due.start <= today]
    return started or sorted(views, key=lambda v: v.due.end if v.due else date.max)[:1] or [item]


def ending_between(item: Item, first: date, last: date) -> list[Item]:
    """The task, or its occurrences, whose deadline ends between ``first`` and ``last``."""
    if not item.periodic:
        return [item] if item.due is not None and first <= item.due.end <= last else []
    span = _span(item, first)
    views = [*_rule_views(item, span.start, span.end), *event_views(item)]
    return [v for v in views if v.due is not None and first <= v.due.end <= last]


def default_occurrence(item: Item, today: date) -> Item:
    """The occurrence ``done`` records when no ``--period`` is given: due now or most recently."""
    events = [v for v in event_views(item) if v.due is not None and v.due.start <= today]
    rule = _rule(item)
    occ = _rule_near(rule, _span(item, today), today, upcoming=False) if rule is not None else None
    candidates = [*events, *([view(item, occ)] if occ is not None else [])]
    if not candidates:
        raise UsageError(_no_occurrence(item))
    return max(candidates, key=lambda v: v.due.start if v.due else date.min)


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
