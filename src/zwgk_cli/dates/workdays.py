"""Deadlines counted from an event (信息形成之日起20个工作日内, 批复后20日内公开).

Working days follow the State Council's holiday and make-up-day (调休) calendar, as the
``chinesecalendar`` package publishes it; for a year it does not cover, Monday to Friday
are counted and a warning says so. Pure functions: no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from zwgk_cli.dates.deadlines import DueRange
from zwgk_cli.patterns import lazy

__all__ = ["EventRule", "add_workdays", "read_event"]

# After normalisation: "信息形成或者变更之日起20个工作日内" -> event text, count, unit.
_AFTER = lazy(
    r"^(?P<event>.*?)(?:之日起|之日后|之日|起|后)[,，]?(?P<count>\d+)(?:个)?(?P<unit>工作日|日|天|周|星期|月)内"
    r"(?:(?:并|和|及)?(?:公开|更新|发布|报送|上报|完成|办结|调整|公示|报告|予以公开))*$"
)
_UNITS = {"工作日": "workday", "日": "day", "天": "day", "周": "week", "星期": "week", "月": "month"}
UNIT_NAMES = {"workday": "个工作日", "day": "日", "week": "周", "month": "个月"}


@dataclass(frozen=True)
class EventRule:
    """``count`` days, working days, weeks or months after an event named ``event``."""

    event: str
    count: int
    unit: str  # workday | day | week | month

    @property
    def text(self) -> str:
        """A short machine form: AFTER=EVENT;COUNT=20;UNIT=WORKDAY."""
        return f"AFTER=EVENT;COUNT={self.count};UNIT={self.unit.upper()}"

    def due(self, on: date) -> tuple[DueRange, tuple[str, ...]]:
        """The due range of the event that happened ``on`` (counted from the next day)."""
        if self.unit == "workday":
            end, warnings = add_workdays(on, self.count)
            return DueRange(on, end), warnings
        if self.unit == "month":
            from dateutil.relativedelta import relativedelta  # not on a cached read's path

            return DueRange(on, on + relativedelta(months=self.count)), ()
        days = self.count * (7 if self.unit == "week" else 1)
        return DueRange(on, on + timedelta(days=days)), ()


def read_event(text: str) -> EventRule | None:
    """The event rule of a normalised phrase, or None when it is not counted from an event."""
    m = _AFTER.match(text)
    if m is None:
        return None
    return EventRule(
        m.group("event").removeprefix("自").removeprefix("在"), int(m.group("count")), _UNITS[m.group("unit")]
    )


def _is_workday(day: date, missing: set[int]) -> bool:
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day))
    except (ImportError, NotImplementedError):
        missing.add(day.year)
        return day.weekday() < 5


def add_workdays(on: date, count: int) -> tuple[date, tuple[str, ...]]:
    """The ``count``-th working day after ``on``, and a warning for each year counted Monday to
    Friday because the official calendar is not available for it."""
    missing: set[int] = set()
    day, left = on, count
    while left > 0:
        day += timedelta(days=1)
        if _is_workday(day, missing):
            left -= 1
    warnings = tuple(
        f"{year} 年的法定节假日和调休安排尚未收录（chinesecalendar），按周一至周五计算工作日，请核对"
        for year in sorted(missing)
    )
    return day, warnings
