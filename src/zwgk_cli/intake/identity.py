"""A plan's identity from the notice around its table: the title line (not the letterhead,
not 附件, not a paragraph), the date the notice was signed, and the plan's year."""

from __future__ import annotations

import re
from datetime import date

from zwgk_cli.dates.deadlines import YEAR_MAX, YEAR_MIN
from zwgk_cli.patterns import lazy

__all__ = ["notice_date", "notice_office", "plan_title", "plan_year"]

_NOTICE_DATE = lazy(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_OFFICE = lazy(
    r"^\S{2,30}?(?:人民政府办公室|人民政府办公厅|办公室|办公厅|人民政府|政府|局|委员会|委|办|中心)$"
)
_PUBLISHER = lazy(r"(?:发布机构|发文机关|发文单位)[:：]\s*\|?\s*([^|\s]+)")
_TITLE_WORDS = ("安排", "要点", "分工", "目录", "方案", "计划", "清单", "任务")


def plan_title(before: list[str], cell_form: bool) -> str:
    """The table's title: the last short line above it that names a plan (安排, 要点, 清单…),
    not the notice's paragraphs, its 附件 line or its letterhead."""
    if cell_form:
        return "".join(before)
    titles = [
        line
        for line in before
        if any(w in line for w in _TITLE_WORDS) and len(line) <= 60 and not line.startswith("附件")
    ]
    return titles[-1] if titles else (before[0] if before else "")


def notice_date(before: list[str]) -> date | None:
    """The date the notice around the table was issued on (its last date, as a notice is signed)."""
    found = _NOTICE_DATE.findall("\n".join(before))
    for year, month, day in reversed(found):
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def plan_year(before: list[str], year: int | None, notes: list[str]) -> int | None:
    """``--year``, else the year of the notice's own date, else of its title (a guess, noted)."""
    if year is not None:
        return year
    dated = _NOTICE_DATE.search("\n".join(before))
    if dated and YEAR_MIN <= int(dated.group(1)) <= YEAR_MAX:
        notes.append(
            f"年份推定为 {dated.group(1)}（文中的日期“{dated.group()}”），没写年份的完成时间按此理解"
        )
        return int(dated.group(1))
    title = plan_title(before, False)
    named = re.search(r"(\d{4})年", title)
    if named and YEAR_MIN <= int(named.group(1)) <= YEAR_MAX:
        notes.append(f"年份推定为 {named.group(1)}（标题“{title}”），没写年份的完成时间按此理解")
        return int(named.group(1))
    return None


def notice_office(before: list[str]) -> str | None:
    """The office that issued the notice: the line signed above its date, else the page's
    发布机构, else a letterhead line alone at the top."""
    for index, line in enumerate(before):
        if index and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line) and _OFFICE.match(before[index - 1]):
            return before[index - 1]
    for line in before:
        published = _PUBLISHER.search(line)
        if published:
            return re.sub(r"[（(][^）)]*[）)]$", "", published.group(1)) or None
    return (
        before[0]
        if before and _OFFICE.match(before[0]) and before[0].endswith(("办公室", "办公厅"))
        else None
    )
