"""The occurrence model in detail: which occurrence a row, a default and a report mean."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import write_plan
from zwgk_cli.dates.deadlines import DueRange
from zwgk_cli.dates.phrases import read_deadline
from zwgk_cli.dates.recurrence import Occurrence, Rule, parse_period
from zwgk_cli.errors import UsageError
from zwgk_cli.plan.occurrences import (
    begun,
    current,
    default_occurrence,
    ending_between,
    explain,
    find_occurrence,
    is_behind,
    missed,
    plan_span,
    rule_views,
)
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.storage import store

D = date.fromisoformat


def schedule(tmp_path: Path, *tasks: dict[str, object], **head: object) -> Schedule:
    plan = write_plan(tmp_path / "plan.yaml", list(tasks), **{"year": 2023, **head})
    return store.load(store.Location(plan)).schedule


def quarterly(**extra: object) -> dict[str, object]:
    return {"id": 1, "deadline": "每季度首月20日前", "responsible": ["甲局"], **extra}


@pytest.mark.parametrize(
    ("today", "row", "recent"),
    [
        ("2022-06-01", "2023Q1", "2023Q1"),  # before the plan: its first occurrence either way
        ("2023-01-01", "2023Q1", "2023Q1"),
        ("2023-01-20", "2023Q1", "2023Q1"),  # the last day of the window is still "now"
        ("2023-01-21", "2023Q2", "2023Q1"),
        ("2023-03-31", "2023Q2", "2023Q1"),
        ("2023-04-01", "2023Q2", "2023Q2"),
        ("2023-10-21", "2023Q4", "2023Q4"),  # nothing after Q4 in the plan: the row stays on Q4
        ("2024-05-01", "2023Q4", "2023Q4"),
    ],
)
def test_the_row_and_the_default_occurrence(tmp_path: Path, today: str, row: str, recent: str) -> None:
    item = schedule(tmp_path, quarterly()).items[0]
    assert current(item, D(today)).period == row
    assert default_occurrence(item, D(today)).period == recent


def test_missed_begun_and_ending_between(tmp_path: Path) -> None:
    item = schedule(tmp_path, quarterly(periods=[{"period": "2023Q2", "done_on": "2023-04-19"}])).items[0]
    assert [v.period for v in missed(item, D("2023-07-21"))] == ["2023Q1", "2023Q3"]
    assert [v.period for v in missed(item, D("2023-07-20"))] == ["2023Q1"]  # Q3 ends today: not yet late
    assert [p.due for p in begun(item, D("2023-04-01"))] == [
        DueRange(D("2023-01-01"), D("2023-01-20")),
        DueRange(D("2023-04-01"), D("2023-04-20")),
    ]
    assert [p.state() for p in begun(item, D("2023-04-01"))] == [(False, None), (True, D("2023-04-19"))]
    assert [p.period for p in ending_between(item, D("2023-04-20"), D("2023-07-20"))] == ["2023Q2", "2023Q3"]
    assert [p.period for p in ending_between(item, D("2023-04-21"), D("2023-07-19"))] == []
    assert len(begun(item, D("2022-01-01"))) == 1  # not begun: counted once, as its first


def test_a_task_closed_as_a_whole_owes_no_occurrence(tmp_path: Path) -> None:
    item = schedule(tmp_path, quarterly(status="done", done_on="2023-02-01")).items[0]
    assert missed(item, D("2023-12-31")) == []
    assert all(p.state() == (True, D("2023-02-01")) for p in begun(item, D("2023-12-31")))


def test_per_unit_occurrences(tmp_path: Path) -> None:
    two = quarterly(
        responsible=["甲局", "乙局"],
        periods=[
            {"period": "2023Q1", "done_on": "2023-01-10", "unit": "甲局"},
            {"period": "2023Q2", "done_on": "2023-04-10", "unit": "甲局"},
            {"period": "2023Q2", "done_on": "2023-04-30", "unit": "乙局"},
        ],
    )
    item = schedule(tmp_path, two).items[0]
    assert [(v.period, v.outstanding) for v in missed(item, D("2023-05-01"))] == [("2023Q1", ("乙局",))]
    assert not is_behind(item, D("2023-05-01"), ("甲局",)) and is_behind(item, D("2023-05-01"), ("乙局",))
    parts = begun(item, D("2023-05-01"))
    assert [p.state(("甲局",)) for p in parts] == [(True, D("2023-01-10")), (True, D("2023-04-10"))]
    assert [p.state(("乙局",)) for p in parts] == [(False, None), (True, D("2023-04-30"))]
    assert [p.state() for p in parts] == [(False, None), (True, D("2023-04-30"))]  # the last unit's date


def test_events_open_occurrences_for_their_unit(tmp_path: Path) -> None:
    task = {
        "id": 1,
        "deadline": "批复后20日内公开",
        "responsible": ["甲局", "乙局"],
        "events": [{"date": "2023-03-01", "unit": "乙局"}, {"date": "2023-05-04"}],
    }
    item = schedule(tmp_path, task).items[0]
    assert [(v.period, v.slots, v.due) for v in missed(item, D("2023-05-25"))] == [
        ("2023-03-01", ("乙局",), DueRange(D("2023-03-01"), D("2023-03-21"))),
        ("2023-05-04", ("甲局", "乙局"), DueRange(D("2023-05-04"), D("2023-05-24"))),
    ]
    assert not is_behind(item, D("2023-03-22"), ("甲局",)) and is_behind(item, D("2023-03-22"), ("乙局",))
    assert current(item, D("2023-03-10")).period == "2023-03-01"
    assert current(item, D("2023-12-01")).period == "2023-05-04"  # all past: the latest
    assert default_occurrence(item, D("2023-04-01")).period == "2023-03-01"
    assert find_occurrence(item, "2023-05-04", None, D("2023-06-01")).slots == ("甲局", "乙局")
    with pytest.raises(UsageError, match="已记录的事件日期：2023-03-01、2023-05-04"):
        find_occurrence(item, "2023-04-01", None, D("2023-06-01"))


def test_no_event_yet_means_nothing_due_and_nothing_to_complete(tmp_path: Path) -> None:
    item = schedule(tmp_path, {"id": 1, "deadline": "批复后20日内公开"}).items[0]
    assert current(item, D("2023-05-01")) is item and missed(item, D("2030-01-01")) == []
    with pytest.raises(UsageError, match="还没有记录事件"):
        default_occurrence(item, D("2023-05-01"))


def test_the_plan_span() -> None:
    from zwgk_cli.plan.model import Plan

    assert plan_span(Plan("计划", (), period="2020—2021年"), ()) == DueRange(D("2020-01-01"), D("2021-12-31"))
    assert plan_span(Plan("计划", (), year=2022), ()) == DueRange(D("2022-01-01"), D("2022-12-31"))
    dated = [DueRange(D("2020-07-21"), D("2020-07-31")), None, DueRange(D("2021-03-01"), D("2021-03-31"))]
    assert plan_span(Plan("计划", ()), dated) == DueRange(D("2020-01-01"), D("2021-12-31"))
    assert plan_span(Plan("计划", ()), [None]) is None


def test_a_plan_without_any_year_recurs_in_the_year_of_today(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [quarterly()])
    item = store.load(store.Location(plan)).schedule.items[0]
    assert item.span is None
    assert [v.period for v in missed(item, D("2031-05-01"))] == ["2031Q1", "2031Q2"]


@pytest.mark.parametrize(
    ("text", "freq", "start"),
    [
        ("2023Q3", "QUARTERLY", "2023-07-01"),
        ("2023q4", "QUARTERLY", "2023-10-01"),
        ("2023H2", "HALFYEARLY", "2023-07-01"),
        ("2023-04", "MONTHLY", "2023-04-01"),
        ("2023-4", "MONTHLY", "2023-04-01"),
        ("2023", "YEARLY", "2023-01-01"),
        ("2023-W05", "WEEKLY", "2023-01-30"),
        ("2023W05", "WEEKLY", "2023-01-30"),
    ],
)
def test_period_labels(text: str, freq: str, start: str) -> None:
    assert parse_period(text, Rule(freq)).start == D(start)


@pytest.mark.parametrize(
    ("text", "freq"),
    [
        ("2023Q5", "QUARTERLY"),
        ("2023-13", "MONTHLY"),
        ("2023-04", "QUARTERLY"),
        ("1800", "YEARLY"),
        ("本季度", "QUARTERLY"),
        ("2023-W54", "WEEKLY"),
    ],
)
def test_bad_period_labels(text: str, freq: str) -> None:
    from zwgk_cli.dates.deadlines import DeadlineError

    with pytest.raises(DeadlineError, match=f"期次“{text}”不对"):
        parse_period(text, Rule(freq))


def test_explain_a_recurring_an_event_and_a_compound_phrase() -> None:
    quarter = explain(read_deadline("每季度首月20日前"), D("2023-04-01"), D("2023-12-31"), None)
    assert [o.period for o in quarter.occurrences] == ["2023Q2", "2023Q3", "2023Q4"]
    assert (quarter.start, quarter.end) == (None, None)
    event = explain(read_deadline("批复后20日内公开"), D("2024-01-01"), D("2024-12-31"), D("2024-01-02"))
    assert (event.start, event.end) == (D("2024-01-02"), D("2024-01-22"))
    compound = explain(
        read_deadline("2023年6月底前或变更后10日内"), D("2023-01-01"), D("2023-12-31"), D("2023-07-01")
    )
    assert (compound.start, compound.end) == (D("2023-06-21"), D("2023-06-30"))  # the dated part decides
    assert [o.end for o in compound.occurrences] == [D("2023-07-11")]


def test_a_dated_cell_with_an_event_part_is_tracked_by_its_date(tmp_path: Path) -> None:
    item = schedule(tmp_path, {"id": 1, "deadline": "2023年6月底前或变更后10日内"}).items[0]
    assert item.kind == "dated" and not item.periodic
    assert missed(item, D("2023-07-01")) == [item]
    assert current(item, D("2023-07-01")) is item and [p.due for p in begun(item, D("2023-07-01"))] == [
        item.due
    ]


def test_the_default_prefers_what_has_begun(tmp_path: Path) -> None:
    task = {
        "id": 1,
        "deadline": "每年12月或更改内容后一周内",
        "responsible": ["甲局"],
        "events": [{"date": "2023-03-01"}, {"date": "2023-04-10"}],
    }
    item = schedule(tmp_path, task).items[0]
    # The year's December window has not begun on 2023-04-10: the event of that very day has.
    assert default_occurrence(item, D("2023-04-10")).period == "2023-04-10"
    assert default_occurrence(item, D("2023-04-09")).period == "2023-03-01"
    assert default_occurrence(item, D("2023-12-05")).period == "2023"


def test_a_unit_picks_its_own_event_of_a_day(tmp_path: Path) -> None:
    task = {
        "id": 1,
        "deadline": "批复后20日内公开",
        "responsible": ["甲局", "乙局"],
        "events": [{"date": "2023-03-01", "unit": "甲局"}, {"date": "2023-03-01", "unit": "乙局"}],
    }
    item = schedule(tmp_path, task).items[0]
    assert find_occurrence(item, "2023-03-01", "乙局", D("2023-04-01")).slots == ("乙局",)
    assert find_occurrence(item, "2023-03-01", "甲局", D("2023-04-01")).slots == ("甲局",)
    assert find_occurrence(item, "2023-03-01", None, D("2023-04-01")).slots == ("甲局",)
    assert find_occurrence(item, "2023-03-01", "丙局", D("2023-04-01")).slots == ("甲局",)


def test_find_occurrence_edges(tmp_path: Path) -> None:
    whole = schedule(tmp_path, {"id": 1, "deadline": "按季度更新"}).items[0]
    assert find_occurrence(whole, "2023Q4", None, D("2024-01-05")).due == DueRange(
        D("2023-10-01"), D("2023-12-31")
    )
    with pytest.raises(UsageError, match="不在计划期内"):
        find_occurrence(whole, "2024Q1", None, D("2024-05-05"))
    event = schedule(tmp_path, {"id": 1, "deadline": "批复后20日内公开"}).items[0]
    with pytest.raises(UsageError, match="已记录的事件日期：（无）"):
        find_occurrence(event, "2023-03-01", None, D("2023-04-01"))


def test_a_plan_without_a_year_counts_from_the_year_of_today(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [quarterly()])
    item = store.load(store.Location(plan)).schedule.items[0]
    assert find_occurrence(item, "2031Q1", None, D("2031-05-01")).period == "2031Q1"
    assert default_occurrence(item, D("2031-05-01")).period == "2031Q2"


def test_no_occurrence_inside_a_short_plan_period(tmp_path: Path) -> None:
    item = schedule(tmp_path, {"id": 1, "deadline": "按季度更新"}, period="2023年7月").items[0]
    with pytest.raises(UsageError, match="任务 1 在计划期内没有期次"):
        default_occurrence(item, D("2023-07-15"))


def test_explain_keeps_every_warning_and_the_events_period() -> None:
    deadline = read_deadline("2018年4月20日（星期四）前或变更后5个工作日内")
    answer = explain(deadline, D("2199-01-01"), D("2199-12-31"), D("2199-12-30"))
    assert len(answer.warnings) == 3  # the weekday, and two years the holiday calendar lacks
    assert answer.occurrences == (Occurrence("2199-12-30", D("2199-12-30"), D("2200-01-06")),)
    both = explain(
        read_deadline("每年12月或更改内容后一周内"), D("2023-01-01"), D("2023-12-31"), D("2023-05-04")
    )
    assert [o.period for o in both.occurrences] == ["2023", "2023-05-04"]


def test_a_plan_period_that_cuts_a_window_starts_and_ends_with_the_whole_ones(tmp_path: Path) -> None:
    first = schedule(tmp_path, quarterly(), period="2023年2月至2023年11月").items[0]
    assert current(first, D("2023-01-05")).period == "2023Q2"  # Q1's window (1–20 Jan) is cut off
    ends = schedule(tmp_path, {"id": 1, "deadline": "每季度末"}, period="2023年2月至2023年11月").items[0]
    assert current(ends, D("2024-01-05")).period == "2023Q3"  # Q4's window (December) is cut off
    assert [v.period for v in rule_views(ends, D("2024-01-05"))] == ["2023Q1", "2023Q2", "2023Q3"]
    assert default_occurrence(ends, D("2023-02-10")).period == "2023Q1"  # not begun: the first


def test_entries_in_words() -> None:
    from zwgk_cli.plan.entries import entry_words

    report = {
        "date": "2020-07-25",
        "unit": None,
        "text": "已印发",
        "evidence": ["甲〔2020〕1号", "docs/a.pdf"],
        "returned": False,
    }
    assert entry_words(report) == "2020-07-25 已印发 甲〔2020〕1号、docs/a.pdf"
    assert entry_words({**report, "evidence": [], "returned": True}) == "2020-07-25 已印发 退回"
    assert (
        entry_words({"period": "2023Q1", "done_on": "2023-01-05", "unit": "甲局", "note": None})
        == "2023Q1 2023-01-05 甲局"
    )


def test_a_window_that_ends_the_plan_is_inside_it(tmp_path: Path) -> None:
    whole = schedule(tmp_path, {"id": 1, "deadline": "按季度更新"}).items[0]
    assert current(whole, D("2023-12-15")).period == "2023Q4"  # ends on 31 December, as the plan does
    ends = schedule(tmp_path, {"id": 1, "deadline": "每季度末"}).items[0]
    assert default_occurrence(ends, D("2023-04-10")).period == "2023Q1"  # Q2's window opens in June
    one_day = read_deadline("每月1日前").rule
    assert one_day is not None
    assert [o.period for o in one_day.between(D("2023-01-01"), D("2023-03-01"))] == [
        "2023-01",
        "2023-02",
        "2023-03",
    ]


def test_a_plan_without_a_year_lists_the_occurrences_of_the_year_of_today(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [quarterly()])
    item = store.load(store.Location(plan)).schedule.items[0]
    assert [v.period for v in rule_views(item, D("2031-05-01"))] == ["2031Q1", "2031Q2", "2031Q3", "2031Q4"]


def test_overdue_rows_within_a_window_are_only_the_overdue_ones(tmp_path: Path) -> None:
    """``select`` asked for overdue work in a window of deadlines gives the overdue rows ending
    in it (the window's rows are not pre-filtered as the rows of ``missed`` are)."""
    from zwgk_cli.tracking.query import Filter, select

    plan = schedule(
        tmp_path,
        quarterly(),
        {"id": 2, "deadline": "2023年3月底前", "responsible": ["乙局"]},
        {"id": 3, "deadline": "2023年6月底前", "responsible": ["乙局"]},
    )
    today = D("2023-05-01")
    window = (D("2023-01-01"), D("2023-12-31"))
    rows = select(plan, Filter(status="overdue"), today, within=window)
    assert [(r.item.id, r.item.period) for r in rows] == [(1, "2023Q1"), (1, "2023Q2"), (2, None)]
    assert all(r.item.is_overdue(today) for r in rows)
    everything = select(plan, Filter(), today, within=window)
    assert len(everything) > len(rows)


@pytest.mark.parametrize(
    "name", ["recurring.yaml", "catalogue.yaml", "department.yaml", "lead_cooperating.yaml"]
)
def test_a_task_is_tracked_by_occurrence_exactly_when_its_kind_is_periodic(name: str) -> None:
    """``periodic`` reads the deadline directly (most commands ask it of every task, few ask the
    kind); it must say what ``kind in PERIODIC`` says, for tasks with and without a deadline."""
    from conftest import BUNDLED, FIXTURES
    from zwgk_cli.plan.model import PERIODIC
    from zwgk_cli.storage.store import Location, load

    for path in (FIXTURES / name, BUNDLED):
        items = load(Location(path)).schedule.items
        assert {i.kind for i in items} & {"recurring", "event", "dated", "nodate"}
        assert [i.periodic for i in items] == [i.kind in PERIODIC for i in items]
    kinds = {
        i.kind
        for n in ("recurring.yaml", "catalogue.yaml")
        for i in load(Location(FIXTURES / n)).schedule.items
    }
    assert {"recurring", "event", "dated", "nodate"} <= kinds
