from __future__ import annotations

import calendar
import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_cli.dates.deadlines import DeadlineError, DueRange, parse_deadline, xun_of


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("2020年7月下旬", "2020-07-21", "2020-07-31"),
        ("2020年7月上旬", "2020-07-01", "2020-07-10"),
        ("2020年10月中旬", "2020-10-11", "2020-10-20"),
        ("2020年2月下旬", "2020-02-21", "2020-02-29"),
        ("2021年2月下旬", "2021-02-21", "2021-02-28"),
        ("2020年7月上中旬", "2020-07-01", "2020-07-20"),
        ("2020年7月中下旬", "2020-07-11", "2020-07-31"),
        ("2020年7月初", "2020-07-01", "2020-07-10"),
        ("2020年7月中", "2020-07-11", "2020-07-20"),
        ("2020年6月底", "2020-06-21", "2020-06-30"),
        ("2020年6月末", "2020-06-21", "2020-06-30"),
        ("2020年7月", "2020-07-01", "2020-07-31"),
        ("2020年7月份", "2020-07-01", "2020-07-31"),
        ("2020年7月15日", "2020-07-15", "2020-07-15"),
        ("2020年7月15号", "2020-07-15", "2020-07-15"),
        ("2020年初", "2020-01-01", "2020-01-31"),
        ("2020年年初", "2020-01-01", "2020-01-31"),
        ("2020年底", "2020-12-01", "2020-12-31"),
        ("2020年年底", "2020-12-01", "2020-12-31"),
        ("2020年末", "2020-12-01", "2020-12-31"),
        ("2020年内", "2020-01-01", "2020-12-31"),
        ("2020年全年", "2020-01-01", "2020-12-31"),
        ("2020年", "2020-01-01", "2020-12-31"),
        ("2020年上半年", "2020-01-01", "2020-06-30"),
        ("2020年下半年", "2020-07-01", "2020-12-31"),
        ("2020年第三季度", "2020-07-01", "2020-09-30"),
        ("2020年3季度", "2020-07-01", "2020-09-30"),
        ("2020年第一季度初", "2020-01-01", "2020-01-31"),
        ("2020年第四季度末", "2020-12-01", "2020-12-31"),
        ("2020年7月底前", "2020-07-21", "2020-07-31"),
        ("2020年9月30日之前", "2020-09-30", "2020-09-30"),
        ("2020年9月以前", "2020-09-01", "2020-09-30"),
        ("2020年7月至9月", "2020-07-01", "2020-09-30"),
        ("2020年7-9月", "2020-07-01", "2020-09-30"),
        ("2020年7—9月", "2020-07-01", "2020-09-30"),
        ("2020年7–9月", "2020-07-01", "2020-09-30"),
        ("2020年7月下旬至8月上旬", "2020-07-21", "2020-08-10"),
        ("2020年12月至次年2月", "2020-12-01", "2021-02-28"),
        ("2020年7月1日至15日", "2020-07-01", "2020-07-15"),
        ("二〇二〇年七月下旬", "2020-07-21", "2020-07-31"),
        ("2020年十二月三十一日", "2020-12-31", "2020-12-31"),
        ("二〇二一年二月二十八日", "2021-02-28", "2021-02-28"),
        ("２０２０年７月下旬", "2020-07-21", "2020-07-31"),
        ("2020 年 7 月\u3000下旬", "2020-07-21", "2020-07-31"),
        ("2020-07-31", "2020-07-31", "2020-07-31"),
        ("2020-07", "2020-07-01", "2020-07-31"),
        ("2020-07-01至2020-07-15", "2020-07-01", "2020-07-15"),
    ],
)
def test_phrases(phrase: str, start: str, end: str) -> None:
    assert parse_deadline(phrase) == DueRange(date.fromisoformat(start), date.fromisoformat(end))


def test_plan_year_fills_missing_year() -> None:
    assert parse_deadline("7月下旬", 2021) == DueRange(date(2021, 7, 21), date(2021, 7, 31))
    assert parse_deadline("第二季度", 2021) == DueRange(date(2021, 4, 1), date(2021, 6, 30))


@pytest.mark.parametrize(
    ("phrase", "fragment"),
    [
        ("2020年13月", "月份应在 1 到 12 之间"),
        ("2020年2月30日", "2020年2月没有30日"),
        ("2020年第五季度", "季度应在 1 到 4 之间"),
        ("2020年9月至7月", "早于开始"),
        ("下旬", "缺少月份"),
        ("7月下旬", "缺少年份"),
        ("", "为空"),
        ("尽快", "无法识别"),
        ("2020年7月至8月至9月", "只能有一个"),
    ],
)
def test_invalid(phrase: str, fragment: str) -> None:
    with pytest.raises(DeadlineError, match=fragment):
        parse_deadline(phrase)


_XUN_RANGES = {"上旬": (1, 10), "中旬": (11, 20)}


@given(st.integers(1990, 2100), st.integers(1, 12), st.sampled_from(["上旬", "中旬", "下旬"]))
def test_xun_ranges(year: int, month: int, xun: str) -> None:
    due = parse_deadline(f"{year}年{month}月{xun}")
    assert due is not None
    last = calendar.monthrange(year, month)[1]
    low, high = _XUN_RANGES.get(xun, (21, last))
    assert (due.start, due.end) == (date(year, month, low), date(year, month, high))
    # The day after the 旬 is the first day on which a task due then is overdue.
    assert xun_of(due.end + timedelta(days=1)) != xun_of(due.end)


_CN = "〇一二三四五六七八九"


def _cn_year(year: int) -> str:
    return "".join(_CN[int(d)] for d in str(year))


def _cn_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")) + (_CN[ones] if ones else "")


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)))
def test_chinese_numerals_read_like_digits(day: date) -> None:
    chinese = f"{_cn_year(day.year)}年{_cn_small(day.month)}月{_cn_small(day.day)}日"
    assert parse_deadline(chinese) == parse_deadline(f"{day.year}年{day.month}月{day.day}日")
    assert parse_deadline(chinese) == DueRange(day, day)


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.dates(date(1990, 1, 1), date(2100, 12, 31)))
def test_ranges_span_both_ends_or_fail(a: date, b: date) -> None:
    phrase = f"{a.year}年{a.month}月{a.day}日至{b.year}年{b.month}月{b.day}日"
    if b < a:
        with pytest.raises(DeadlineError):
            parse_deadline(phrase)
    else:
        assert parse_deadline(phrase) == DueRange(a, b)


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)))
def test_xun_of_contains_day(day: date) -> None:
    xun = xun_of(day)
    assert xun.start <= day <= xun.end
    assert xun.start.day in (1, 11, 21)


@given(st.text(max_size=20))
def test_never_crashes(phrase: str) -> None:
    with contextlib.suppress(DeadlineError):
        parse_deadline(phrase, 2020)


def test_a_number_of_days_without_an_event_is_still_an_error() -> None:
    with pytest.raises(DeadlineError, match="无法识别“20日内”"):
        parse_deadline("20日内", 2020)


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("11月底前完成", date(2022, 11, 21), date(2022, 11, 30)),
        ("2022年6月底前报送", date(2022, 6, 21), date(2022, 6, 30)),
        ("到2023年底", date(2023, 12, 1), date(2023, 12, 31)),
        ("到2023年", date(2023, 1, 1), date(2023, 12, 31)),
        ("到2022年底前", date(2022, 12, 1), date(2022, 12, 31)),
        ("截至2021年6月30日", date(2021, 6, 30), date(2021, 6, 30)),
        ("2021 年年底", date(2021, 12, 1), date(2021, 12, 31)),
        ("年年底", date(2022, 12, 1), date(2022, 12, 31)),
        ("年年底前", date(2022, 12, 1), date(2022, 12, 31)),
        # a milestone after the date: the date is when it falls due
        ("9月投入使用", date(2022, 9, 1), date(2022, 9, 30)),
        ("5月底前动工", date(2022, 5, 21), date(2022, 5, 31)),
        ("年内见成效", date(2022, 1, 1), date(2022, 12, 31)),
        ("2023年3月前动员部署", date(2023, 3, 1), date(2023, 3, 31)),
    ],
)
def test_words_around_the_deadline(phrase: str, start: date, end: date) -> None:
    assert parse_deadline(phrase, 2022) == DueRange(start, end)


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("12月上旬", date(2022, 12, 1), date(2022, 12, 10)),
        ("6月中下旬", date(2022, 6, 11), date(2022, 6, 30)),
        ("7月底前", date(2022, 7, 21), date(2022, 7, 31)),
    ],
)
def test_date_words_are_not_a_milestone(phrase: str, start: date, end: date) -> None:
    assert parse_deadline(phrase, 2022) == DueRange(start, end)


@pytest.mark.parametrize("phrase", ["投入使用", "见成效", "动工", "9月投入使用待定", "10月底前视情启动"])
def test_a_milestone_needs_a_date_before_it(phrase: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(phrase, 2022)


def test_a_verb_alone_is_not_a_deadline() -> None:
    with pytest.raises(DeadlineError):
        parse_deadline("完成", 2022)


@pytest.mark.parametrize(
    ("day", "late"),
    [
        (date(2020, 7, 31), 0),
        (date(2020, 8, 1), 1),
        (date(2020, 8, 10), 10),
        (date(2020, 7, 1), 0),
        (None, 0),
    ],
)
def test_days_late_is_the_one_rule_of_lateness(day: date | None, late: int) -> None:
    """Overdue, done late, and the days a score deducts for are all counted by days_late: a
    task due 2020年7月下旬 is late from 2020-08-01, not before."""
    from zwgk_cli.dates.deadlines import days_late, is_late

    due = parse_deadline("2020年7月下旬")
    assert days_late(due, day) == late
    assert days_late(None, day) == 0
    if day is not None:
        assert is_late(due, day) is (late > 0)


def test_the_first_xun_ends_on_the_tenth() -> None:
    from zwgk_cli.dates.deadlines import xun_of

    assert (xun_of(date(2020, 7, 5)).start, xun_of(date(2020, 7, 5)).end) == (
        date(2020, 7, 1),
        date(2020, 7, 10),
    )
