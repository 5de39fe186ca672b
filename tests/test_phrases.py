"""Deadline cells as real plans write them: dated, no fixed date, recurring, from an event.

The corpus below was written for these tests in the forms published plans use (2007–2024).
"""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_cli.dates.deadlines import DeadlineError, DueRange
from zwgk_cli.dates.phrases import read_deadline

D = date.fromisoformat

DATED = [
    # (phrase, plan year, start, end)
    ("2020年7月下旬", 2020, "2020-07-21", "2020-07-31"),
    ("到2023年", 2020, "2023-01-01", "2023-12-31"),
    ("到2023年底", 2020, "2023-12-01", "2023-12-31"),
    ("到2022年底前", 2020, "2022-12-01", "2022-12-31"),
    ("2024—2026年", 2024, "2024-01-01", "2026-12-31"),
    ("2024-2026年", 2024, "2024-01-01", "2026-12-31"),
    ("11月底前完成", 2022, "2022-11-21", "2022-11-30"),
    ("2022年6月底前报送", 2022, "2022-06-21", "2022-06-30"),
    ("4月20日（星期五）前", 2018, "2018-04-20", "2018-04-20"),
    ("6月2日-6月20日", 2021, "2021-06-02", "2021-06-20"),
    ("2021 年年底", 2021, "2021-12-01", "2021-12-31"),
    ("年年底", 2021, "2021-12-01", "2021-12-31"),
    ("年底前", 2020, "2020-12-01", "2020-12-31"),
    ("今年底前", 2019, "2019-12-01", "2019-12-31"),
    ("2023年度", 2023, "2023-01-01", "2023-12-31"),
    ("2020年10月15日前完成并报送", 2020, "2020-10-15", "2020-10-15"),
    ("力争2020年底前全面完成", 2020, "2020-12-01", "2020-12-31"),
    ("即日起至2020年12月", 2020, "2020-12-01", "2020-12-31"),
    ("二〇二〇年十二月底前", 2020, "2020-12-21", "2020-12-31"),
    ("2021年1月1日至12月31日", 2021, "2021-01-01", "2021-12-31"),
    ("2020年9月30日以前", 2020, "2020-09-30", "2020-09-30"),
    ("2020.6.30", 2020, "2020-06-30", "2020-06-30"),
    ("2020年三季度", 2020, "2020-07-01", "2020-09-30"),
    ("第四季度末", 2020, "2020-12-01", "2020-12-31"),
    ("2020年上半年", 2020, "2020-01-01", "2020-06-30"),
    ("2020年7-9月", 2020, "2020-07-01", "2020-09-30"),
    ("2019年12月31日前", 2019, "2019-12-31", "2019-12-31"),
    ("2020年6月至2021年6月", 2020, "2020-06-01", "2021-06-30"),
    ("年内", 2024, "2024-01-01", "2024-12-31"),
    ("截至2021年3月底", 2021, "2021-03-21", "2021-03-31"),
    ("２０２０年７月下旬", 2020, "2020-07-21", "2020-07-31"),
    ("2020年12月底前（长期坚持）", 2020, "2020-12-21", "2020-12-31"),
    ("2018年5月（星期二）", 2018, "2018-05-01", "2018-05-31"),
]


@pytest.mark.parametrize(("phrase", "year", "start", "end"), DATED)
def test_dated_phrases(phrase: str, year: int, start: str, end: str) -> None:
    deadline = read_deadline(phrase, year)
    assert deadline.kind == "dated"
    assert deadline.due == DueRange(D(start), D(end))
    assert deadline.rule is None


NO_DATE = ["长期坚持", "持续推进", "常态化推进", "随时公开", "及时公开", "实时更新", "长期公开", "常年公开"]
NO_DATE += ["長期堅持", "定期公开", "根据工作需要", "不定期发布"]


@pytest.mark.parametrize("phrase", NO_DATE)
def test_no_fixed_date(phrase: str) -> None:
    deadline = read_deadline(phrase, 2020)
    assert (deadline.kind, deadline.due, deadline.rule, deadline.after) == ("nodate", None, None, None)


RECURRING = [
    # (phrase, rule, occurrences in 2023 as (period, start, end), first and last)
    (
        "每月10日前",
        "FREQ=MONTHLY;BYMONTHDAY=1..10",
        12,
        ("2023-01", "01-01", "01-10"),
        ("2023-12", "12-01", "12-10"),
    ),
    (
        "每季度首月20日前",
        "FREQ=QUARTERLY;BYMONTH=1,4,7,10;BYMONTHDAY=1..20",
        4,
        ("2023Q1", "01-01", "01-20"),
        ("2023Q4", "10-01", "10-20"),
    ),
    (
        "每季度末",
        "FREQ=QUARTERLY;BYMONTH=3,6,9,12",
        4,
        ("2023Q1", "03-01", "03-31"),
        ("2023Q4", "12-01", "12-31"),
    ),
    ("每半年", "FREQ=HALFYEARLY", 2, ("2023H1", "01-01", "06-30"), ("2023H2", "07-01", "12-31")),
    ("每年1月31日前", "FREQ=YEARLY;BYMONTH=1", 1, ("2023", "01-01", "01-31"), ("2023", "01-01", "01-31")),
    ("按年公开", "FREQ=YEARLY", 1, ("2023", "01-01", "12-31"), ("2023", "01-01", "12-31")),
    ("按季度更新", "FREQ=QUARTERLY", 4, ("2023Q1", "01-01", "03-31"), ("2023Q4", "10-01", "12-31")),
    (
        "每月第一周",
        "FREQ=MONTHLY;BYMONTHDAY=1..7",
        12,
        ("2023-01", "01-01", "01-07"),
        ("2023-12", "12-01", "12-07"),
    ),
    (
        "每季度的首個月20日",
        "FREQ=QUARTERLY;BYMONTH=1,4,7,10;BYMONTHDAY=1..20",
        4,
        ("2023Q1", "01-01", "01-20"),
        ("2023Q4", "10-01", "10-20"),
    ),
    (
        "每月底",
        "FREQ=MONTHLY;BYMONTHDAY=21..-1",
        12,
        ("2023-01", "01-21", "01-31"),
        ("2023-12", "12-21", "12-31"),
    ),
    ("每年12月", "FREQ=YEARLY;BYMONTH=12", 1, ("2023", "12-01", "12-31"), ("2023", "12-01", "12-31")),
    (
        "每季度第二个月",
        "FREQ=QUARTERLY;BYMONTH=2,5,8,11",
        4,
        ("2023Q1", "02-01", "02-28"),
        ("2023Q4", "11-01", "11-30"),
    ),
    ("每周", "FREQ=WEEKLY", 52, ("2023-W01", "01-02", "01-08"), ("2023-W52", "12-25", "12-31")),
    ("每月", "FREQ=MONTHLY", 12, ("2023-01", "01-01", "01-31"), ("2023-12", "12-01", "12-31")),
]


@pytest.mark.parametrize(("phrase", "rule", "count", "first", "last"), RECURRING)
def test_recurring_phrases(
    phrase: str, rule: str, count: int, first: tuple[str, str, str], last: tuple[str, str, str]
) -> None:
    deadline = read_deadline(phrase, 2023)
    assert deadline.kind == "recurring" and deadline.due is None and deadline.rule is not None
    assert deadline.rule_text == rule
    found = list(deadline.rule.between(date(2023, 1, 1), date(2023, 12, 31)))
    assert len(found) == count
    for occ, (period, start, end) in ((found[0], first), (found[-1], last)):
        assert (occ.period, occ.start, occ.end) == (period, D(f"2023-{start}"), D(f"2023-{end}"))


EVENTS = [
    # (phrase, event date, due end)
    ("信息形成之日起20个工作日内", "2024-09-27", "2024-10-30"),  # across the National Day holiday
    ("信息形成或者变更之日起20个工作日内", "2024-09-27", "2024-10-30"),
    ("批复后20日内公开", "2024-03-01", "2024-03-21"),
    (
        "本通知印发后15个工作日内",
        "2024-01-30",
        "2024-02-23",
    ),  # across the Spring Festival and its make-up day
    ("更改内容后一周内", "2023-05-04", "2023-05-11"),
    ("批复之日起1个月内", "2023-01-31", "2023-02-28"),
    ("信息形成后,20个工作日内公开", "2024-09-27", "2024-10-30"),  # a comma after 后
    ("信息形成后，7个工作日内公开", "2023-05-04", "2023-05-12"),  # 5月6日 was a make-up workday
]


@pytest.mark.parametrize(("phrase", "on", "end"), EVENTS)
def test_event_phrases(phrase: str, on: str, end: str) -> None:
    deadline = read_deadline(phrase, 2024)
    assert deadline.kind == "event" and deadline.after is not None and deadline.due is None
    due, warnings = deadline.after.due(D(on))
    assert due == DueRange(D(on), D(end)) and warnings == ()


def test_working_days_in_a_year_the_calendar_does_not_cover_fall_back_with_a_warning() -> None:
    deadline = read_deadline("信息形成之日起5个工作日内")
    assert deadline.after is not None
    due, warnings = deadline.after.due(date(2199, 12, 30))  # Mon 2199-12-30 -> 5 weekdays later
    assert due.end == date(2200, 1, 6)
    assert warnings and "2199" in warnings[0] and "2200" in warnings[1] and "周一至周五" in warnings[0]


def test_a_compound_cell_is_read_as_its_parts() -> None:
    deadline = read_deadline("每年12月或更改内容后一周内", 2023)
    assert deadline.kind == "recurring"
    assert [p.kind for p in deadline.parts] == ["recurring", "event"]
    assert [p.phrase for p in deadline.parts] == ["每年12月", "更改内容后一周内"]
    assert deadline.after is not None and deadline.after.count == 1 and deadline.after.unit == "week"


def test_a_dated_part_before_a_standing_duty_keeps_its_date() -> None:
    deadline = read_deadline("2020年6月底前，长期坚持", 2020)
    assert deadline.kind == "dated" and deadline.due == DueRange(date(2020, 6, 21), date(2020, 6, 30))
    assert [p.kind for p in deadline.parts] == ["dated", "nodate"]


def test_a_weekday_that_disagrees_with_the_date_is_a_warning() -> None:
    assert read_deadline("2018年4月20日（星期五）前").warnings == ()
    warned = read_deadline("2018年4月20日（星期四）前")
    assert warned.due == DueRange(date(2018, 4, 20), date(2018, 4, 20))
    assert warned.warnings == ("“2018年4月20日（星期四）前”写的是星期四，但 2018-04-20 是星期五，请核对",)
    assert read_deadline("2018年4月22日（星期日）").warnings == ()
    assert read_deadline("2018年4月22日（周天）").warnings == ()
    assert "无法核对" in read_deadline("2018年5月（星期二）").warnings[0]


@pytest.mark.parametrize(
    ("phrase", "quoted"),
    [
        ("到", "到"),
        ("2020年7月-", "2020年7月-"),
        ("每季度结束后15日内", "结束后15日内"),
        ("每月第6周", "第 6 周"),
    ],
)
def test_errors_quote_the_text(phrase: str, quoted: str) -> None:
    with pytest.raises(DeadlineError) as info:
        read_deadline(phrase, 2020)
    assert quoted in str(info.value)


@given(st.text(max_size=24))
def test_reading_any_text_either_works_or_says_why(phrase: str) -> None:
    try:
        deadline = read_deadline(phrase, 2020)
    except DeadlineError as exc:
        assert str(exc)  # a Chinese message, never a crash of another kind
        return
    assert deadline.kind in ("dated", "nodate", "recurring", "event")
    assert (deadline.due is not None) == (deadline.kind == "dated")


@given(
    st.sampled_from(["每", "按", "每个"]),
    st.sampled_from(["月", "季度", "半年", "年", "周"]),
    st.text(max_size=8),
)
def test_recurring_prefixes_with_any_tail_never_crash(lead: str, freq: str, tail: str) -> None:
    with contextlib.suppress(DeadlineError):
        read_deadline(lead + freq + tail, 2020)


def test_compound_cells_keep_their_rule_warnings_and_standing_parts() -> None:
    both = read_deadline("每季度首月20日前，或变更后10日内", 2023)
    assert both.rule_text == "FREQ=QUARTERLY;BYMONTH=1,4,7,10;BYMONTHDAY=1..20"
    standing = read_deadline("长期坚持，持续推进")
    assert (standing.kind, [p.kind for p in standing.parts]) == ("nodate", ["nodate", "nodate"])
    warned = read_deadline("2018年4月20日（星期四）前，长期坚持")
    assert warned.kind == "dated" and "是星期五" in warned.warnings[0]
    sunday = read_deadline("2018年4月22日（星期五）")  # 22 April 2018 was a Sunday
    assert sunday.warnings == ("“2018年4月22日（星期五）”写的是星期五，但 2018-04-22 是星期日，请核对",)


def test_period_labels_within_the_years_zwgk_reads() -> None:
    from zwgk_cli.dates.recurrence import Rule, parse_period

    assert parse_period("1900", Rule("YEARLY")).start == date(1900, 1, 1)
    with pytest.raises(DeadlineError):
        parse_period("1899", Rule("YEARLY"))


@pytest.mark.parametrize(
    ("phrase", "first", "last"),
    [
        ("每月第5周", "2023-01-29", "2023-01-31"),
        ("每月前5天", "2023-01-01", "2023-01-05"),
        ("每月第2周", "2023-01-08", "2023-01-14"),
    ],
)
def test_windows_inside_a_month(phrase: str, first: str, last: str) -> None:
    rule = read_deadline(phrase).rule
    assert rule is not None
    occ = rule.between(D("2023-01-01"), D("2023-12-31"))[0]
    assert (occ.start, occ.end) == (D(first), D(last))


def test_a_one_day_window_and_days_out_of_range() -> None:
    rule = read_deadline("每月1日前").rule
    assert rule is not None and rule.text == "FREQ=MONTHLY;BYMONTHDAY=1..1"
    with pytest.raises(DeadlineError, match="日期应在 1 到 31 日之间，这里是 32 日"):
        read_deadline("每月32日前")
