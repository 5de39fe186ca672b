"""Recurring duties (每月10日前, 每季度首月20日前, 每半年, 按年公开): rules and their occurrences.

A ``Rule`` is a frequency (a month, a quarter, a half-year, a year or a week) and a window
inside each such period in which the duty is met. Occurrences are computed from the rule
when asked for, one period at a time, never stored. Pure functions: no I/O, no clock.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from zwgk_cli.dates.deadlines import YEAR_MAX, YEAR_MIN, DeadlineError, DueRange, Unreadable
from zwgk_cli.patterns import lazy

__all__ = ["FREQ_NAMES", "Occurrence", "Rule", "parse_period", "read_recurring"]

# Months in each period, by frequency (a week is 7 days, not months).
_MONTHS = {"MONTHLY": 1, "QUARTERLY": 3, "HALFYEARLY": 6, "YEARLY": 12}
FREQ_NAMES = {
    "MONTHLY": "每月",
    "QUARTERLY": "每季度",
    "HALFYEARLY": "每半年",
    "YEARLY": "每年",
    "WEEKLY": "每周",
}
PERIOD_FORMS = {
    "MONTHLY": "2023-04",
    "QUARTERLY": "2023Q1",
    "HALFYEARLY": "2023H1",
    "YEARLY": "2023",
    "WEEKLY": "2023-W05",
}
MONTH_END = 31  # a window's last day given as 31 ends on the month's last day


class Occurrence(NamedTuple):
    """One period's instance of a recurring duty: its label (2023Q1) and inclusive due range."""

    period: str
    start: date
    end: date

    @property
    def due(self) -> DueRange:
        return DueRange(self.start, self.end)


@dataclass(frozen=True)
class Rule:
    """A frequency and the window inside each period: from month ``first[0]`` (0 = the period's
    first month), day ``first[1]``, to month ``last[0]``, day ``last[1]`` (31 = month end)."""

    freq: str
    first: tuple[int, int] = (0, 1)
    last: tuple[int, int] | None = None  # None: to the period's end

    @property
    def months(self) -> int:
        return _MONTHS.get(self.freq, 0)

    @property
    def window_end(self) -> tuple[int, int]:
        return self.last if self.last is not None else (max(self.months - 1, 0), MONTH_END)

    @property
    def text(self) -> str:
        """A short machine form: FREQ=QUARTERLY;BYMONTH=1,4,7,10;BYMONTHDAY=1..20."""
        parts = [f"FREQ={self.freq}"]
        (m0, d0), (m1, d1) = self.first, self.window_end
        whole = (m0, d0) == (0, 1) and (m1, d1) == (max(self.months - 1, 0), MONTH_END)
        if self.freq == "WEEKLY" or whole:
            return parts[0]
        if self.months > 1:
            months = range(1, 13, self.months)
            parts.append("BYMONTH=" + ",".join(str(m + m0) for m in months))
            if m1 != m0:
                parts[-1] += ".." + ",".join(str(m + m1) for m in months)
        last = "-1" if d1 == MONTH_END else str(d1)
        if (d0, d1) != (1, MONTH_END):
            parts.append(f"BYMONTHDAY={d0}..{last}")
        return ";".join(parts)

    def period_start(self, day: date) -> date:
        """The first day of the period that holds ``day``."""
        if self.freq == "WEEKLY":
            return day - timedelta(days=day.weekday())
        month = (day.month - 1) // self.months * self.months + 1
        return date(day.year, month, 1)

    def step(self, start: date, count: int = 1) -> date:
        """The start of the period ``count`` periods after the one starting on ``start``."""
        if self.freq == "WEEKLY":
            return start + timedelta(weeks=count)
        return _month_start(start, self.months * count)

    def occurrence(self, start: date) -> Occurrence:
        """The occurrence of the period starting on ``start``."""
        if self.freq == "WEEKLY":
            monday = start
            iso = monday.isocalendar()
            return Occurrence(f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6))
        (m0, d0), (m1, d1) = self.first, self.window_end
        first = _day_in(_month_start(start, m0), d0)
        last = _day_in(_month_start(start, m1), d1)
        return Occurrence(_label(self.freq, start), first, last)

    def between(self, first: date, last: date) -> tuple[Occurrence, ...]:
        """The occurrences that lie wholly between ``first`` and ``last``, in order."""
        return _between(self, first, last)


def _month_start(start: date, months: int) -> date:
    """The first day of the month ``months`` months after ``start``'s."""
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _day_in(month: date, day: int) -> date:
    """Day ``day`` of ``month``, or its last day when it has fewer (31 = month end)."""
    return month.replace(day=min(day, calendar.monthrange(month.year, month.month)[1]))


def _between_once(rule: Rule, first: date, last: date) -> tuple[Occurrence, ...]:
    found = []
    start = rule.period_start(first)
    while start <= last:
        occ = rule.occurrence(start)
        if occ.start >= first and occ.end <= last:
            found.append(occ)
        start = rule.step(start)
    return tuple(found)


# Every task of a catalogue shares a handful of rules and one period: work each out once.
# (The cache wraps a plain function, so that the mutation tool can change its logic.)
_between = functools.lru_cache(maxsize=1024)(_between_once)


def _label(freq: str, start: date) -> str:
    if freq == "MONTHLY":
        return f"{start.year}-{start.month:02d}"
    if freq == "QUARTERLY":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if freq == "HALFYEARLY":
        return f"{start.year}H{(start.month - 1) // 6 + 1}"
    return str(start.year)


_PERIOD_FORMS: tuple[tuple[str, re.Pattern[str], Callable[[int, int], date]], ...] = (
    ("QUARTERLY", lazy(r"(\d{4})[Qq]([1-4])"), lambda y, n: date(y, n * 3 - 2, 1)),
    ("HALFYEARLY", lazy(r"(\d{4})[Hh]([12])"), lambda y, n: date(y, n * 6 - 5, 1)),
    ("MONTHLY", lazy(r"(\d{4})-(\d{1,2})"), lambda y, n: date(y, n, 1)),
    ("WEEKLY", lazy(r"(\d{4})-?[Ww](\d{1,2})"), lambda y, n: date.fromisocalendar(y, n, 1)),
    ("YEARLY", lazy(r"(\d{4})"), lambda y, n: date(y, 1, 1)),
)


def _parse_period(text: str, rule: Rule) -> Occurrence:
    """The occurrence a period label (2023Q1, 2023-04, 2023H1, 2023, 2023-W05) names."""
    for freq, pattern, start in _PERIOD_FORMS:
        m = pattern.fullmatch(text.strip())
        if m is None:
            continue
        if freq != rule.freq:
            break
        year = int(m.group(1))
        number = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 1
        if not YEAR_MIN <= year <= YEAR_MAX:
            break
        try:
            return rule.occurrence(start(year, number))
        except ValueError:
            break
    raise DeadlineError(
        f"期次“{text}”不对：该任务{FREQ_NAMES[rule.freq]}一次，期次应写成如 {PERIOD_FORMS[rule.freq]}"
    )


# Recurring phrases after the deadline grammar's normalisation (digits as digits, no spaces).
_FREQ_WORDS = (
    (lazy(r"^(?:每个?月|按月|逐月)"), "MONTHLY"),
    (lazy(r"^(?:每个?季度?|按季度?|逐季)"), "QUARTERLY"),
    (lazy(r"^(?:每半年|按半年)"), "HALFYEARLY"),
    (lazy(r"^(?:每年度?|按年度?|逐年)"), "YEARLY"),
    (lazy(r"^(?:每周|按周)"), "WEEKLY"),
)
_TAIL = lazy(
    r"(?:(?:的|之)?(?:前|之前|以前|内))?"
    r"(?:(?:并|和|及)?(?:定期|集中|动态|主动)?(?:公开|更新|发布|报送|上报|完成|调整|维护|公示|报告|填报|统计))*$"
)
# Which month of a period the window lies in.
_MONTH_OF = lazy(r"^(?:的)?(?:(首个?|第1个?|初)月?|(末|最后一个?|第(\d)个?)月|(\d+)月份?)")
_IN_MONTH = {
    "上旬": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, MONTH_END),
    "初": (1, 10),
    "底": (21, MONTH_END),
    "末": (21, MONTH_END),
}


def _days(rest: str) -> tuple[tuple[int, int] | None, str]:
    """The window inside a month that ``rest`` starts with, and what follows it."""
    m = re.match(r"^(?:的)?(?:(\d+)[日号]|(上旬|中旬|下旬|初|底|末)|第(\d)周|前(\d+)[天日])", rest)
    if m is None:
        return None, rest
    if m.group(1):
        return (1, int(m.group(1))), rest[m.end() :]
    if m.group(2):
        return _IN_MONTH[m.group(2)], rest[m.end() :]
    if m.group(3):
        week = int(m.group(3))
        if not 1 <= week <= 5:
            raise DeadlineError(f"每月只有第 1 到第 5 周，这里是第 {week} 周")
        return (week * 7 - 6, MONTH_END if week == 5 else week * 7), rest[m.end() :]
    return (1, int(m.group(4))), rest[m.end() :]


def _check_days(low: int, high: int) -> None:
    if not 1 <= low <= high <= MONTH_END:
        raise DeadlineError(f"日期应在 1 到 31 日之间，这里是 {high} 日")


def read_recurring(text: str) -> Rule | None:
    """The rule of a normalised recurring phrase; None when ``text`` does not start as one.

    Raises ``DeadlineError`` for a phrase that starts as a recurring one but cannot be read.
    """
    found = next(((p.match(text), f) for p, f in _FREQ_WORDS if p.match(text)), None)
    if found is None:
        return None
    m, freq = found
    assert m is not None
    rest = text[m.end() :]
    months = _MONTHS.get(freq, 0)
    month: int | None = None
    whole_month = False
    if freq == "YEARLY" and re.match(r"^(?:的)?(?:年?底|年?末)", rest):  # 每年年底: December
        return _done(Rule(freq, (11, 1), (11, MONTH_END)), re.sub(r"^(?:的)?年?[底末]", "", rest), text)
    if freq == "YEARLY" and re.match(r"^(?:的)?(?:年?初)", rest):
        return _done(Rule(freq, (0, 1), (0, MONTH_END)), re.sub(r"^(?:的)?年?初", "", rest), text)
    which = _MONTH_OF.match(rest) if months > 1 else None
    if which is not None:
        if which.group(1):
            month = 0
        elif which.group(2) and not which.group(3):
            month = months - 1
        else:
            number = int(which.group(3) or which.group(4))
            if not 1 <= number <= months:
                raise DeadlineError(f"{FREQ_NAMES[freq]}只有 {months} 个月，这里是第 {number} 个月")
            month = number - 1
        rest, whole_month = rest[which.end() :], True
    elif months > 1 and re.match(r"^(?:的)?[末底]", rest):  # 每季度末: its last month
        month, rest, whole_month = months - 1, re.sub(r"^(?:的)?[末底]", "", rest), True
    window, rest = _days(rest) if freq != "WEEKLY" else (None, rest)
    if window is not None:
        _check_days(*window)
        at = month if month is not None else 0
        return _done(Rule(freq, (at, window[0]), (at, window[1])), rest, text)
    if whole_month:
        assert month is not None
        return _done(Rule(freq, (month, 1), (month, MONTH_END)), rest, text)
    return _done(Rule(freq), rest, text)


def _done(rule: Rule, rest: str, text: str) -> Rule:
    if not _TAIL.fullmatch(rest):
        raise Unreadable(f"无法识别“{text}”中的“{rest}”，周期性期限请写成如“每季度首月20日前”“每月10日前”")
    return rule


# A catalogue records the same dozen labels of the same rule on every task: read each once.
parse_period = functools.lru_cache(maxsize=4096)(_parse_period)
