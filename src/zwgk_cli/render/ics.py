"""The calendar export (.ics): an event per open task, one recurring event per recurring duty.

A recurring duty is one event on its deadline day with an ``RRULE`` over the plan's period
(and an ``EXDATE`` for each occurrence already done), not hundreds of copies; each recorded
event of an event-counted duty is an event of its own.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from zwgk_cli.dates.recurrence import MONTH_END, Rule
from zwgk_cli.plan.model import Item
from zwgk_cli.plan.occurrences import event_views, rule_views
from zwgk_cli.plan.schedule import Schedule

__all__ = ["rrule", "to_ics"]

_INTERVAL = {"MONTHLY": 1, "QUARTERLY": 3, "HALFYEARLY": 6}


def rrule(rule: Rule, count: int) -> dict[str, Any] | None:
    """The RFC 5545 recurrence of ``rule``'s deadline days, ``count`` times; None where a
    recurrence cannot say it (a window ending on the 29th or 30th, which February lacks)."""
    _, day = rule.window_end
    if rule.freq == "WEEKLY":
        return {"freq": "weekly", "byday": "SU", "count": count}
    if day in (29, 30):
        return None
    monthday = -1 if day == MONTH_END else day
    if rule.freq == "YEARLY":
        return {"freq": "yearly", "bymonth": rule.window_end[0] + 1, "bymonthday": monthday, "count": count}
    return {"freq": "monthly", "interval": _INTERVAL[rule.freq], "bymonthday": monthday, "count": count}


def _uid(schedule: Schedule, item: Item, suffix: str = "") -> str:
    # Stable across exports, so a re-import updates the event instead of adding another.
    key = f"{schedule.plan.region or ''}|{schedule.plan.title}|{item.id}{suffix}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest() + "@zwgk"


def _event(ical: Any, schedule: Schedule, item: Item, today: date, start: date, end: date, uid: str) -> Any:
    event = ical.Event()
    event.add("uid", uid)
    category = f"【{item.task.category}】" if item.task.category else ""
    event.add("summary", category + item.task.title)
    event.add("dtstart", start)
    event.add("dtend", end + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("dtstamp", datetime(today.year, today.month, today.day, tzinfo=UTC))
    event.add(
        "description",
        f"主体责任单位：{'、'.join(item.responsible)}\n"
        f"主管单位：{'、'.join(item.supervising)}\n完成时间：{item.task.deadline}",
    )
    alarm = ical.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"任务 {item.id} 即将到期：{item.task.title}")
    alarm.add("trigger", timedelta(days=-3), parameters={"RELATED": "END"})
    event.add_component(alarm)
    return event


def _recurring(ical: Any, schedule: Schedule, item: Item, today: date) -> list[Any]:
    rule = item.deadline.rule if item.deadline is not None else None
    views = list(rule_views(item, today)) if rule is not None else []
    if rule is None or not views:
        return []
    recurrence = rrule(rule, len(views))
    if recurrence is None:  # one event per open occurrence
        return [
            _event(ical, schedule, v, today, v.due.end, v.due.end, _uid(schedule, item, f"|{v.period}"))
            for v in views
            if not v.is_done and v.due is not None
        ]
    first = views[0].due
    assert first is not None
    event = _event(ical, schedule, item, today, first.end, first.end, _uid(schedule, item))
    event.add("rrule", recurrence)
    done = [v.due.end for v in views if v.is_done and v.due is not None]
    if done:
        event.add("exdate", done)
    return [event]


def to_ics(schedule: Schedule, today: date, ical: Any) -> bytes:
    """The calendar of ``schedule``'s open work; ``ical`` is the icalendar module."""
    calendar = ical.Calendar()
    calendar.add("prodid", "-//zwgk//政务公开任务//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", schedule.plan.title)
    for item in schedule.items:
        if item.is_done:
            continue
        if item.periodic:
            for event in _recurring(ical, schedule, item, today):
                calendar.add_component(event)
            for v in event_views(item):
                if not v.is_done and v.due is not None:
                    uid = _uid(schedule, item, f"|{v.period}|{v.slots}")
                    calendar.add_component(_event(ical, schedule, v, today, v.due.start, v.due.end, uid))
            continue
        if item.due is not None:
            calendar.add_component(
                _event(ical, schedule, item, today, item.due.start, item.due.end, _uid(schedule, item))
            )
    return bytes(calendar.to_ical())
