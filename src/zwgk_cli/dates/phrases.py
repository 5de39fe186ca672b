"""What a 完成时间 cell says: a date, no fixed date, a recurring duty, or a count from an event.

``read_deadline`` is the one entry point: it reads traditional script after conversion
(OpenCC), splits compound cells (每年12月或更改内容后一周内) into their parts, checks a
weekday in brackets against its date, and gives a ``Deadline`` with its kind. Pure: no I/O.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from zwgk_cli.dates.deadlines import DeadlineError, DueRange, normalise, parse_deadline
from zwgk_cli.dates.recurrence import Rule, read_recurring
from zwgk_cli.dates.workdays import EventRule, read_event
from zwgk_cli.patterns import lazy

__all__ = ["KINDS", "Deadline", "read_deadline", "to_simplified"]

KINDS = ("dated", "nodate", "recurring", "event")
# No fixed date: a standing duty, or one met whenever the occasion arises.
_NO_DATE = lazy(
    r"^(?:长期|持续|常态化|常年|定期|适时|随时|及时|实时|动态|日常|经常性|不定期|根据|按需|视情|即时|即办|"
    r"立即|每日|每天|逐日)"
)
_WEEKDAY = lazy(r"[（(](?:星期|周|礼拜)([一二三四五六日天])[）)]")
_WEEKDAYS = "一二三四五六日"
_SEPARATORS = lazy(r"或者|或|；|;|，|,")
_BRACKETS = lazy(r"[（(]([^（）()]*)[）)]")


@dataclass(frozen=True)
class Deadline:
    """A 完成时间 cell as read: its kind, and what that kind needs.

    ``due`` is the range of a dated deadline; ``rule`` the recurrence of a recurring one;
    ``after`` the count from an event, for an event deadline or a compound cell with an
    event part. ``parts`` are the pieces of a compound cell, each read on its own.
    """

    phrase: str
    kind: str
    due: DueRange | None = None
    rule: Rule | None = None
    after: EventRule | None = None
    parts: tuple[Deadline, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def rule_text(self) -> str | None:
        if self.rule is not None:
            return self.rule.text
        return self.after.text if self.after is not None else None


def to_simplified(text: str) -> str | None:
    """``text`` in simplified script (OpenCC), or None when no converter is installed."""
    try:
        import opencc
    except ImportError:
        return None
    return str(_converter(opencc).convert(text))


@functools.cache
def _converter(opencc: Any) -> Any:
    return opencc.OpenCC("t2s.json")


def _weekday_warning(phrase: str, mark: str, due: DueRange | None) -> tuple[str, ...]:
    if due is None or due.start != due.end:
        return (f"“{phrase}”中的“星期{mark}”无法核对：期限不是某一天",)
    actual = _WEEKDAYS[due.end.weekday()]
    if (mark in ("天", "日") and actual == "日") or mark == actual:
        return ()
    return (f"“{phrase}”写的是星期{mark}，但 {due.end.isoformat()} 是星期{actual}，请核对",)


def _read_one(phrase: str, year: int | None) -> Deadline:
    text = normalise(phrase)
    if not text:
        raise DeadlineError("完成时间为空")
    weekday = _WEEKDAY.search(text)
    if weekday is not None:
        text = text[: weekday.start()] + text[weekday.end() :]
    if _NO_DATE.match(text):
        return Deadline(phrase, "nodate")
    rule = read_recurring(text)
    if rule is not None:
        return Deadline(phrase, "recurring", rule=rule)
    after = read_event(text)
    if after is not None:
        return Deadline(phrase, "event", after=after)
    due = parse_deadline(text, year)
    warnings = _weekday_warning(phrase, weekday.group(1), due) if weekday is not None else ()
    return Deadline(phrase, "dated" if due is not None else "nodate", due=due, warnings=warnings)


def _pieces(phrase: str) -> list[str]:
    """A compound cell's parts: split at 或/；/，, and a bracket that is not a weekday."""
    kept = _BRACKETS.sub(
        lambda m: m.group(0) if _WEEKDAY.fullmatch(m.group(0)) else "；" + m.group(1), phrase
    )
    return [p.strip() for p in _SEPARATORS.split(kept) if p.strip()]


def _combine(phrase: str, parts: list[Deadline]) -> Deadline:
    """A compound cell: the first part with a deadline decides its kind."""
    first = next((p for p in parts if p.kind != "nodate"), parts[0])
    after = next((p.after for p in parts if p.after is not None), None)
    warnings = tuple(w for p in parts for w in p.warnings)
    return Deadline(phrase, first.kind, first.due, first.rule, after, tuple(parts), warnings)


def _read_text(phrase: str, year: int | None) -> Deadline:
    pieces = _pieces(phrase)
    if len(pieces) > 1:
        try:
            return _combine(phrase, [_read_one(p, year) for p in pieces])
        except DeadlineError:
            pass  # 信息形成或者变更之日起…: one phrase with a separator word inside
    return _read_one(phrase, year)


def _read(phrase: str, year: int | None) -> Deadline:
    try:
        return _read_text(phrase, year)
    except DeadlineError:
        simplified = to_simplified(phrase)
        if simplified is None or simplified == phrase:
            raise
    return _read_text(simplified, year)


@functools.lru_cache(maxsize=4096)
def _cached(phrase: str, year: int | None) -> Deadline:
    return _read(phrase, year)


def read_deadline(phrase: str, year: int | None = None) -> Deadline:
    """Read a 完成时间 cell; ``year`` is the plan's, for phrases that name none.

    Raises ``DeadlineError`` (Chinese, quoting the text) when no reading fits.
    """
    deadline = _cached(phrase, year)
    return (
        deadline
        if deadline.phrase == phrase
        else Deadline(
            phrase,
            deadline.kind,
            deadline.due,
            deadline.rule,
            deadline.after,
            deadline.parts,
            deadline.warnings,
        )
    )
