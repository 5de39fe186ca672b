"""Dated deadline phrases such as ``2020年7月下旬`` read as inclusive date ranges.

Pure functions: no I/O, no printing, no clock. A phrase becomes a ``DueRange`` (the
first and last day on which the deadline is met). Which phrases are dated at all, and
what the others mean (recurring, from an event, no fixed date), is ``phrases.py``'s job.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from zwgk_cli.patterns import lazy

__all__ = [
    "YEAR_MAX",
    "YEAR_MIN",
    "DeadlineError",
    "DueRange",
    "Unreadable",
    "days_late",
    "ends_within",
    "is_due_soon",
    "is_late",
    "normalise",
    "parse_deadline",
    "xun_of",
]

# The years a plan may name: wide enough for any real plan, narrow enough that every date
# computed from them (a range into 次年, a window of days after them) stays a valid date.
YEAR_MIN, YEAR_MAX = 1900, 2199


class DeadlineError(ValueError):
    """A phrase that cannot be read as a deadline; the message is Chinese."""


class Unreadable(DeadlineError):
    """No reading fits the phrase at all (``9月待定``, ``年内`` without a year), as
    opposed to a reading with an impossible value (``2020年13月``): a plan keeps such a task,
    word for word, as one with no fixed date, and says so."""


@dataclass(frozen=True)
class DueRange:
    """The days a deadline spans, both included: overdue from the day after ``end``."""

    start: date
    end: date


_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．～", "0123456789-/.~")
_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER = lazy(
    r"[〇零○一二两三四五六七八九十]+(?=年|月|日|号|季|个|周|天|工作日|$)|(?<=第)[〇零○一二两三四五六七八九十]+"
)
_ISO = lazy(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
_SUFFIXES = ("之前", "以前", "前")
# What a table says after the deadline (11月底前完成, 2022年6月底前报送) and before it (到2023年底):
# not part of the date.
_VERBS = lazy(
    r"(?<=[前底末内日月旬年度])(?:(?:并|和|及)?(?:全面|基本|全部)?"
    r"(?:完成任务|完成|报送|上报|公开|落实|办结|出台|印发|到位|建成|更新|发布))+$"
)
# A milestone after the date (9月投入使用, 5月底前动工, 年内见成效): the date is when it is due;
# not where the words say the date is still open (9月投入使用待定).
_MILESTONE = lazy(
    r"(?<=[前底末内月])(?!.*(?:待定|未定|另行|暂缓|视情))(?:(?![年月日旬季周前底末初内起至止间号份半度])[\u4e00-\u9fff]){2,6}$"
)
_LEADS = (
    "即日起至",
    "力争于",
    "力争在",
    "力争",
    "截止到",
    "截至",
    "截止",
    "计划于",
    "确保",
    "到",
    "于",
    "在",
)
# The plan's own year, however the table says it (今年底前 in a 2020 plan is 2020年底前).
_THIS_YEAR = lazy(r"^(?:今年|本年度?|当年)")
_RANGE_SEP = lazy(r"至|到|—+|–|～|~")
_XUN = {
    "上旬": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, 31),
    "上中旬": (1, 20),
    "中下旬": (11, 31),
    "初": (1, 10),
    "中": (11, 20),
    "底": (21, 31),
    "末": (21, 31),
}
_YEAR_WORDS = {
    "初": (1, 1),
    "底": (12, 12),
    "末": (12, 12),
    "内": (1, 12),
    "全年": (1, 12),
    "上半年": (1, 6),
    "下半年": (7, 12),
}
_PART = lazy(
    r"(?:(?P<year>\d{4})年|(?P<next>次年|翌年|下一年))?"
    r"(?:(?P<yearword>年初|年底|年末|年内|全年|上半年|下半年|(?<=年)[初底末内])"
    r"|第?(?P<quarter>\d+)季度(?P<qpart>初|末|底)?"
    r"|(?P<month>\d+)月份?(?:(?P<xun>上中旬|中下旬|上旬|中旬|下旬|初|中|底|末)|(?P<mday>\d+)[日号])?"
    r"|(?P<day>\d+)[日号]"
    r"|(?P<bare>上中旬|中下旬|上旬|中旬|下旬|月初|月中|月底|月末|季度初|季度末))?"
)


def _cn_to_int(text: str) -> int:
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def normalise(phrase: str) -> str:
    """Digits as ASCII digits (十二月 -> 12月, ２０２０ -> 2020), no spaces."""
    text = phrase.translate(_FULLWIDTH)
    text = re.sub(r"[\s\u3000]+", "", text)
    try:
        return _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), text)
    except KeyError as exc:  # e.g. "十十"
        raise DeadlineError(f"无法识别的中文数字：{exc.args[0]}") from None


def _month_end(year: int, month: int) -> date:
    from dateutil.relativedelta import relativedelta  # reading phrases only: a cached plan never does

    return date(year, month, 1) + relativedelta(months=1, days=-1)


def _check_year(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DeadlineError(f"年份应在 {YEAR_MIN} 到 {YEAR_MAX} 之间，这里是 {year} 年")
    return year


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise DeadlineError(f"月份应在 1 到 12 之间，这里是 {month} 月")


def _day(year: int, month: int, day: int) -> date:
    _check_month(month)
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError(f"{year}年{month}月没有{day}日") from None


def _months(year: int, first: int, last: int) -> DueRange:
    _check_month(first)
    _check_month(last)
    return DueRange(date(year, first, 1), _month_end(year, last))


@dataclass
class _Context:
    """What a part of a range inherits from the part on its left."""

    year: int | None
    month: int | None = None
    text: str = ""  # the whole phrase, quoted when a part of it is empty


def _parse_part(part: str, ctx: _Context) -> DueRange:
    m = _PART.fullmatch(part)
    if m is None or not part:
        raise Unreadable(f"无法识别“{part or ctx.text}”，请写成如“2020年7月下旬”“2020年12月31日”的形式")
    g = m.groupdict()
    if g["year"]:
        ctx.year, ctx.month = _check_year(int(g["year"])), None
    elif g["next"]:
        if ctx.year is None:
            raise DeadlineError("“次年”之前没有年份")
        ctx.year, ctx.month = ctx.year + 1, None
    if g["bare"]:
        raise DeadlineError(f"“{g['bare']}”缺少月份或季度，请写明如“2020年7月{g['bare']}”")
    if g["day"] and ctx.month is None:
        raise DeadlineError(f"“{part}”缺少月份")
    if ctx.year is None:
        raise Unreadable("缺少年份：请写明年份，或在计划文件中设置 year")
    year = ctx.year
    if g["yearword"]:
        first, last = _YEAR_WORDS[g["yearword"].removeprefix("年")]
        return _months(year, first, last)
    if g["quarter"]:
        quarter = int(g["quarter"])
        if not 1 <= quarter <= 4:
            raise DeadlineError(f"季度应在 1 到 4 之间，这里是第 {quarter} 季度")
        first = quarter * 3 - 2
        if g["qpart"] == "初":
            return _months(year, first, first)
        if g["qpart"]:
            return _months(year, first + 2, first + 2)
        return _months(year, first, first + 2)
    if g["month"]:
        month = int(g["month"])
        _check_month(month)
        ctx.month = month
        if g["mday"]:
            day = _day(year, month, int(g["mday"]))
            return DueRange(day, day)
        if g["xun"]:
            from dateutil.relativedelta import relativedelta

            low, high = _XUN[g["xun"]]
            first_day = date(year, month, 1)
            # relativedelta(day=31) stops at the month's last day: 下旬 of February ends on 28/29.
            return DueRange(first_day.replace(day=low), first_day + relativedelta(day=high))
        return _months(year, month, month)
    if g["day"]:
        assert ctx.month is not None
        day = _day(year, ctx.month, int(g["day"]))
        return DueRange(day, day)
    return _months(year, 1, 12)


def _split_range(text: str) -> list[str]:
    parts = _RANGE_SEP.split(text)
    if len(parts) == 1 and "-" in text and not _ISO.fullmatch(text):
        parts = text.split("-")
    if len(parts) > 2:
        raise DeadlineError("一个期限只能有一个起止范围")
    if len(parts) == 2 and re.search(r"\d$", parts[0]) and not _ISO.fullmatch(parts[0]):
        # "2020年7-9月": the left part borrows the unit that follows the right part's number.
        unit = re.match(r"\d+(年|月|日|号|季度)", parts[1])
        if unit is None:
            raise Unreadable(f"无法识别范围“{text}”")
        parts[0] += unit.group(1)
    return parts


def _parse_iso(text: str) -> DueRange | None:
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    year, month = _check_year(int(m.group(1))), int(m.group(2))
    if m.group(3):
        day = _day(year, month, int(m.group(3)))
        return DueRange(day, day)
    return _months(year, month, month)


def _parse_deadline(phrase: str, year: int | None = None) -> DueRange:
    """Read a dated ``phrase`` as an inclusive date range.

    ``year`` is the plan's year, used when the phrase names none.
    Raises ``DeadlineError`` with a Chinese message when the phrase is invalid.
    """
    text = normalise(phrase)
    if not text:
        raise DeadlineError("完成时间为空")
    if year is not None:
        _check_year(year)
    text = _MILESTONE.sub("", _VERBS.sub("", text))
    for lead in _LEADS:
        if text.startswith(lead) and len(text) > len(lead):
            text = text[len(lead) :]
            break
    if year is not None and _THIS_YEAR.match(text):
        text = _THIS_YEAR.sub(f"{year}年", text)
    if text.startswith("年年"):  # 年年底: the plan year's end, written with one 年 too many
        text = text[1:]
    text = re.sub(r"(?<=\d)年度$", "年", text)  # 2023年度: the year 2023
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    parts = _split_range(text)
    ranges: list[DueRange] = []
    ctx = _Context(year, text=phrase)
    for part in parts:
        iso = _parse_iso(part)
        if iso is not None:
            ctx.year, ctx.month = iso.start.year, iso.start.month
            ranges.append(iso)
        else:
            ranges.append(_parse_part(part, ctx))
    result = DueRange(ranges[0].start, ranges[-1].end)
    if result.end < result.start:
        raise DeadlineError(f"范围的结束（{result.end}）早于开始（{result.start}）")
    return result


# Plans repeat the same few phrases thousands of times. (The cache wraps a plain function, so
# that the mutation tool, which leaves decorated functions alone, can change its logic.)
parse_deadline = functools.lru_cache(maxsize=4096)(_parse_deadline)


def xun_of(day: date) -> DueRange:
    """The 旬 (上旬 1–10, 中旬 11–20, 下旬 21–month end) that contains ``day``: the same table
    the phrases are read by (``_XUN``), so that the two never disagree."""
    end = _month_end(day.year, day.month)
    for name in ("上旬", "中旬", "下旬"):
        low, high = _XUN[name]
        if day.day <= high:
            return DueRange(day.replace(day=low), day.replace(day=min(high, end.day)))
    raise AssertionError(day)  # 下旬 runs to the 31st


# How a day stands to a deadline: the one place lateness is decided.
def is_late(due: DueRange | None, today: date) -> bool:
    """Whether a deadline has passed: overdue from the day after its last day."""
    return days_late(due, today) > 0


def days_late(due: DueRange | None, day: date | None) -> int:
    """How many days after its deadline ``day`` is (0 on or before the last day, or with no
    fixed date): the one rule for overdue, done late, and the days a score deducts for."""
    return max(0, (day - due.end).days) if due is not None and day is not None else 0


def ends_within(due: DueRange | None, first: date, last: date) -> bool:
    """Whether a deadline ends between ``first`` and ``last``, both included."""
    return due is not None and first <= due.end <= last


def is_due_soon(due: DueRange | None, today: date, days: int) -> bool:
    """Whether a deadline ends between ``today`` and ``days`` days from now, both included."""
    return ends_within(due, today, today + timedelta(days=days))
