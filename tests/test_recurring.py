"""Recurring duties and deadlines counted from events, through the commands a clerk runs."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from conftest import Run, write_plan
from zwgk_cli.dates.recurrence import Rule

QUARTERLY = {"id": 1, "title": "公开财政收支", "deadline": "每季度首月20日前", "responsible": ["区财政局"]}
MONTHLY = {
    "id": 2,
    "title": "更新政策文件",
    "deadline": "每月10日前",
    "responsible": ["区司法局", "区教育局"],
}
EVENT = {
    "id": 3,
    "title": "公开机构职能",
    "deadline": "信息形成之日起20个工作日内",
    "responsible": ["区司法局"],
}
DATED = {"id": 4, "title": "完成目录编制", "deadline": "2023年6月底前", "responsible": ["区司法局"]}


def make(tmp_path: Path, *tasks: dict[str, Any], **head: Any) -> Path:
    head = {"year": 2023, **head}
    return write_plan(tmp_path / "plan.yaml", list(tasks or (QUARTERLY, MONTHLY, EVENT, DATED)), **head)


def tasks(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_q1_is_overdue_after_only_q2_is_done(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, QUARTERLY)
    done = run("done", "1", "--period", "2023Q2", "-f", str(plan), "--today", "2023-04-25")
    assert done.exit_code == 0, done.output
    assert "已将任务 1 第 2023Q2 期标记为完成（2023-04-25）" in done.stderr
    late = tasks(run, "overdue", "-f", str(plan), "--today", "2023-04-25")
    assert [(t["id"], t["period"], t["due_end"], t["days_overdue"]) for t in late] == [
        (1, "2023Q1", "2023-01-20", 95)
    ]
    assert (
        late[0]["kind"] == "recurring"
        and late[0]["rule"] == "FREQ=QUARTERLY;BYMONTH=1,4,7,10;BYMONTHDAY=1..20"
    )
    assert "- {period: 2023Q2, done_on: 2023-04-25}" in plan.read_text(encoding="utf-8")


def test_default_period_is_the_one_due_now_or_most_recently(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, QUARTERLY)
    run("done", "1", "-f", str(plan), "--today", "2023-05-03")  # Q2's window (1–20 Apr) is the latest begun
    assert tasks(run, "overdue", "-f", str(plan), "--today", "2023-05-03")[0]["period"] == "2023Q1"
    listed = tasks(run, "list", "-f", str(plan), "--today", "2023-05-03")
    # The row of a list is the occurrence due now or next: Q3, open.
    assert [(t["period"], t["status"], t["due_start"], t["due_end"]) for t in listed] == [
        ("2023Q3", "open", "2023-07-01", "2023-07-20")
    ]
    shown = tasks(run, "list", "-f", str(plan), "--today", "2023-04-10")
    assert [(t["period"], t["status"], t["done_on"]) for t in shown] == [("2023Q2", "done", "2023-05-03")]


def test_a_period_not_of_the_rule_or_outside_the_plan_is_refused(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, QUARTERLY)
    before = plan.read_bytes()
    wrong = run("done", "1", "--period", "2023-04", "-f", str(plan), "--today", "2023-05-03")
    assert wrong.exit_code == 2
    assert wrong.stderr == "错误：期次“2023-04”不对：该任务每季度一次，期次应写成如 2023Q1\n"
    outside = run("done", "1", "--period", "2024Q1", "-f", str(plan), "--today", "2024-05-03")
    assert outside.exit_code == 2 and "不在计划期内（2023-01-01 至 2023-12-31）" in outside.stderr
    other = write_plan(tmp_path / "dated.yaml", [DATED], year=2023)
    dated = run("done", "4", "--period", "2023Q1", "-f", str(other), "--today", "2023-07-01")
    assert dated.exit_code == 2 and "不是周期性的" in dated.stderr
    assert plan.read_bytes() == before


def test_group_tasks_are_done_per_unit_and_period(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, MONTHLY)
    first = run("done", "2", "-u", "司法局", "--period", "2023-03", "-f", str(plan), "--today", "2023-04-25")
    assert "已记录 区司法局 完成任务 2 第 2023-03 期（2023-04-25），该期进度 1/2" in first.stderr
    late = tasks(run, "overdue", "-f", str(plan), "--today", "2023-04-25")
    assert [t["period"] for t in late] == ["2023-01", "2023-02", "2023-03", "2023-04"]
    march = next(t for t in late if t["period"] == "2023-03")
    assert march["progress"] == {"done": 1, "total": 2, "outstanding": ["区教育局"]}
    again = run(
        "done", "2", "-u", "区司法局", "--period", "2023-03", "-f", str(plan), "--today", "2023-04-25"
    )
    assert "已于 2023-04-25 完成，未作改动" in again.stderr
    run("done", "2", "-u", "区教育局", "--period", "2023-03", "-f", str(plan), "--today", "2023-04-25")
    assert "2023-03" not in [
        t["period"] for t in tasks(run, "overdue", "-f", str(plan), "--today", "2023-04-25")
    ]
    units = {u["name"]: u for u in tasks(run, "units", "-f", str(plan), "--today", "2023-04-25")}
    assert units["区司法局"]["overdue_ids"] == [2]
    undo = run(
        "reopen", "2", "-u", "区教育局", "--period", "2023-03", "-f", str(plan), "--today", "2023-04-25"
    )
    assert "已撤销任务 2 第 2023-03 期中 区教育局 的完成记录" in undo.stderr
    assert "2023-03" in [t["period"] for t in tasks(run, "overdue", "-f", str(plan), "--today", "2023-04-25")]


def test_reopen_without_a_period_takes_back_the_last_one_recorded(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, QUARTERLY)
    original = plan.read_bytes()
    run("done", "1", "--period", "2023Q1", "-f", str(plan), "--today", "2023-04-25")
    undo = run("reopen", "1", "-f", str(plan), "--today", "2023-04-25")
    assert "已撤销任务 1 第 2023Q1 期的完成记录" in undo.stderr
    assert plan.read_bytes() == original
    nothing = run("reopen", "1", "-f", str(plan), "--today", "2023-04-25")
    assert nothing.exit_code == 0 and "没有完成记录，未作改动" in nothing.stderr


def test_due_and_report_count_occurrences(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, MONTHLY, DATED)
    due = tasks(run, "due", "--within", "10", "-f", str(plan), "--today", "2023-06-01")
    assert [(t["id"], t["period"], t["due_end"]) for t in due] == [(2, "2023-06", "2023-06-10")]
    report = json.loads(
        run("report", "--by", "category", "-f", str(plan), "--today", "2023-06-01", "--format", "json").stdout
    )
    total = report[-1]
    assert total["name"] == "合计" and total["overdue_ids"] == [2]  # one id, however many occurrences
    # Monthly duty: Jan–Jun begun (6 occurrences, 5 past due and open); the dated task: 1, due soon.
    assert (total["tasks"], total["open"], total["overdue"]) == (7, 7, 5)


def test_event_opens_an_occurrence_counted_in_working_days(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, EVENT, year=2024)
    assert tasks(run, "overdue", "-f", str(plan), "--today", "2024-12-31") == []  # no event yet
    recorded = run(
        "event", "3", "--on", "2024-09-27", "--note", "机构调整", "-f", str(plan), "--today", "2024-10-08"
    )
    assert recorded.exit_code == 0, recorded.output
    assert "已记录任务 3 的事件（2024-09-27），应于 2024-10-30 前完成" in recorded.stderr
    assert "- {date: 2024-09-27, note: 机构调整}" in plan.read_text(encoding="utf-8")
    assert tasks(run, "overdue", "-f", str(plan), "--today", "2024-10-30") == []
    late = tasks(run, "overdue", "-f", str(plan), "--today", "2024-10-31")
    assert [(t["period"], t["kind"], t["due_end"]) for t in late] == [("2024-09-27", "event", "2024-10-30")]
    run("done", "3", "-f", str(plan), "--today", "2024-10-31")
    assert tasks(run, "overdue", "-f", str(plan), "--today", "2024-11-30") == []
    twice = run("event", "3", "--on", "2024-09-27", "-f", str(plan), "--today", "2024-10-08")
    assert "已记录过 2024-09-27 的事件，未作改动" in twice.stderr


def test_event_is_refused_for_other_deadlines_and_future_dates(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path)
    before = plan.read_bytes()
    other = run("event", "1", "--on", "2023-03-01", "-f", str(plan), "--today", "2023-04-01")
    assert other.exit_code == 2 and "不是从事件起算的" in other.stderr
    future = run("event", "3", "--on", "2023-05-01", "-f", str(plan), "--today", "2023-04-01")
    assert future.exit_code == 2 and "事件日期不能在将来" in future.stderr
    no_event = run("done", "3", "-f", str(plan), "--today", "2023-04-01")
    assert no_event.exit_code == 2 and "还没有记录事件" in no_event.stderr
    assert plan.read_bytes() == before


def test_check_reports_records_that_do_not_fit_the_deadline(run: Run, tmp_path: Path) -> None:
    bad = dict(QUARTERLY, periods=[{"period": "2023-04", "done_on": "2023-04-02"}])
    wrong = dict(DATED, events=[{"date": "2023-04-02"}])
    plan = make(tmp_path, bad, wrong)
    result = run("check", str(plan))
    assert result.exit_code == 4
    assert "期次“2023-04”不对" in result.stderr and "不是从事件起算的，不应有事件记录" in result.stderr


def test_plan_period_sets_where_duties_recur(run: Run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [QUARTERLY], period="2020—2021年")
    late = tasks(run, "overdue", "-f", str(plan), "--today", "2022-03-01")
    assert [t["period"] for t in late] == [f"{y}Q{q}" for y in (2020, 2021) for q in range(1, 5)]
    bad = write_plan(tmp_path / "bad.yaml", [QUARTERLY], period="明年")
    assert "计划期 period“明年”无法识别" in run("check", str(bad)).stderr


def test_without_a_period_or_year_the_dated_tasks_give_the_years(run: Run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [QUARTERLY, dict(DATED, deadline="2022年6月底前")])
    late = tasks(run, "overdue", "-f", str(plan), "--today", "2022-02-01")
    assert [(t["id"], t["period"]) for t in late] == [(1, "2022Q1")]


def test_date_command_lists_occurrences_and_counts_from_an_event(run: Run) -> None:
    data = json.loads(run("date", "每季度首月20日前", "--year", "2023", "--format", "json").stdout)
    assert (data["kind"], data["start"], data["end"]) == ("recurring", None, None)
    assert data["rule"] == "FREQ=QUARTERLY;BYMONTH=1,4,7,10;BYMONTHDAY=1..20"
    assert data["occurrences"][1] == {"period": "2023Q2", "start": "2023-04-01", "end": "2023-04-20"}
    event = json.loads(
        run("date", "信息形成之日起20个工作日内", "--from", "2024-09-27", "--format", "json").stdout
    )
    assert (event["kind"], event["start"], event["end"]) == ("event", "2024-09-27", "2024-10-30")
    both = json.loads(run("date", "每年12月或更改内容后一周内", "--year", "2023", "--format", "json").stdout)
    assert [p["kind"] for p in both["parts"]] == ["recurring", "event"]
    warned = run("date", "2018年4月20日（星期四）前")
    assert warned.stderr == "警告：“2018年4月20日（星期四）前”写的是星期四，但 2018-04-20 是星期五，请核对\n"
    bad = run("date", "到")
    assert bad.exit_code == 2 and "无法识别“到”" in bad.stderr


RULES = [
    Rule("MONTHLY", (0, 1), (0, 10)),
    Rule("MONTHLY", (0, 21), (0, 31)),
    Rule("QUARTERLY", (0, 1), (0, 20)),
    Rule("QUARTERLY", (2, 1), (2, 31)),
    Rule("QUARTERLY"),
    Rule("HALFYEARLY"),
    Rule("YEARLY", (0, 1), (0, 31)),
    Rule("YEARLY"),
    Rule("WEEKLY"),
]


@given(
    st.sampled_from(RULES),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=0, max_value=1500),
)
def test_occurrences_lie_inside_the_period_and_never_overlap(rule: Rule, first: date, days: int) -> None:
    last = date.fromordinal(first.toordinal() + days)
    found = list(rule.between(first, last))
    for occ in found:
        assert first <= occ.start <= occ.end <= last
    for before, after in itertools.pairwise(found):
        assert before.end < after.start and before.period != after.period


@given(st.sampled_from(RULES), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_lies_in_one_period_whose_label_reads_back(rule: Rule, day: date) -> None:
    from zwgk_cli.dates.recurrence import parse_period

    start = rule.period_start(day)
    assert start <= day < rule.step(start)
    occ = rule.occurrence(start)
    assert parse_period(occ.period, rule) == occ


def test_calendar_has_one_recurring_event_per_duty_with_done_occurrences_excluded(
    run: Run, tmp_path: Path
) -> None:
    from dateutil.rrule import rruleset, rrulestr
    from icalendar import Calendar

    thirtieth = dict(DATED, deadline="每月30日前", id=5, responsible=["区司法局"])
    plan = make(tmp_path, QUARTERLY, MONTHLY, thirtieth, EVENT, DATED)
    run("done", "1", "--period", "2023Q2", "-f", str(plan), "--today", "2023-04-25")
    run("event", "3", "--on", "2023-03-01", "-f", str(plan), "--today", "2023-04-25")
    out = tmp_path / "plan.ics"
    assert run("export", str(out), "-f", str(plan), "--today", "2023-04-25").exit_code == 0
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    by_title = {}
    for event in events:
        by_title.setdefault(str(event["summary"]), []).append(event)
    quarterly = by_title["【类别甲】公开财政收支"]
    assert len(quarterly) == 1 and "RRULE" in quarterly[0]
    instances = rruleset()
    start = quarterly[0]["dtstart"].dt
    instances.rrule(rrulestr(quarterly[0]["rrule"].to_ical().decode(), dtstart=_midnight(start)))
    for exdate in quarterly[0].get("exdate").dts:
        instances.exdate(_midnight(exdate.dt))
    assert [d.date() for d in instances] == [date(2023, 1, 20), date(2023, 7, 20), date(2023, 10, 20)]
    monthly = by_title["【类别甲】更新政策文件"]
    assert len(monthly) == 1
    days = list(rrulestr(monthly[0]["rrule"].to_ical().decode(), dtstart=_midnight(monthly[0]["dtstart"].dt)))
    assert len(days) == 12 and days[0].date() == date(2023, 1, 10) and days[-1].date() == date(2023, 12, 10)
    # The 30th is not in every month: one event per occurrence (February's ends on the 28th).
    thirtieth = by_title["【类别甲】完成目录编制"]
    assert len(thirtieth) == 12 + 1  # twelve occurrences, and the dated task of the same title
    assert date(2023, 2, 28) in [e["dtstart"].dt for e in thirtieth]
    event = by_title["【类别甲】公开机构职能"]
    assert [(e["dtstart"].dt, e["dtend"].dt) for e in event] == [(date(2023, 3, 1), date(2023, 3, 30))]


def _midnight(day: date) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def test_events_are_not_recorded_for_a_task_tracked_by_its_date(run: Run, tmp_path: Path) -> None:
    plan = make(tmp_path, dict(DATED, deadline="2023年6月底前或变更后10日内", responsible=["区司法局"]))
    result = run("event", "4", "--on", "2023-03-01", "-f", str(plan), "--today", "2023-04-01")
    assert result.exit_code == 2 and "不是从事件起算的" in result.stderr
    assert run("done", "4", "-f", str(plan), "--today", "2023-07-01").exit_code == 0


def test_the_excel_row_of_a_recurring_duty_is_red_while_an_occurrence_is_missed(
    run: Run, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    plan = make(tmp_path, QUARTERLY, DATED)
    run("done", "1", "--period", "2023Q2", "-f", str(plan), "--today", "2023-04-25")
    book = tmp_path / "x.xlsx"
    assert run("export", str(book), "-f", str(plan), "--today", "2023-04-25").exit_code == 0
    sheet = load_workbook(book)["任务"]
    fills = [sheet.cell(row=r, column=1).fill.fgColor.rgb for r in (2, 3)]
    assert fills[0].endswith("F8CBAD")  # Q1 missed, though the row shows Q3, not yet due
    assert not fills[1].endswith("F8CBAD")  # the dated task is not due until June


RECORDS_PLAN = """\
title: 测试计划
year: 2023
tasks:
  - id: 1
    category: 类别
    title: 季度公开
    responsible: [甲局]
    deadline: 每季度首月20日前
    periods:
      - done_on: 2023-04-02
        period: 2023-04
      - period: 2023Q1
        done_on: 2023-01-02
        unit: 乙局
      - period: 2023Q2
        done_on: 2023-04-02
      - period: 2023Q2
        done_on: 2023-04-03
  - id: 2
    category: 类别
    title: 固定期限
    responsible: [甲局]
    deadline: 2023年6月底前
    periods:
      - period: 2023Q1
        done_on: 2023-01-02
      - period: 2023Q2
        done_on: 2023-04-02
    events:
      - date: 2023-01-02
  - id: 3
    category: 类别
    title: 事件
    responsible: [甲局]
    deadline: 批复后20日内公开
    events:
      - date: 2023-01-02
        unit: 乙局
    periods:
      - done_on: 2023-02-03
        period: 2023-02-01
"""


def test_check_names_the_line_of_each_record_that_does_not_fit(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(RECORDS_PLAN, encoding="utf-8")
    result = run("check", str(plan))
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [
        f"{plan}:11: 任务 1：期次“2023-04”不对：该任务每季度一次，期次应写成如 2023Q1",
        f"{plan}:14: 任务 1 的各期完成记录了“乙局”，但它不是该任务的牵头或主体责任单位",
        f"{plan}:17: 任务 1 的期次 2023Q2 重复记录了完成",
        f"{plan}:25: 任务 2 的完成时间“2023年6月底前”不是周期性的，不应有各期完成记录（periods）",
        f"{plan}:27: 任务 2 的完成时间“2023年6月底前”不是周期性的，不应有各期完成记录（periods）",
        f"{plan}:30: 任务 2 的完成时间“2023年6月底前”不是从事件起算的，不应有事件记录（events）",
        f"{plan}:38: 任务 3 的事件记录了“乙局”，但它不是该任务的牵头或主体责任单位",
        f"{plan}:41: 任务 3 没有记录过 2023-02-01 的事件，不能完成该期",
    ]


def test_reports_and_units_add_up_every_recurring_duty(run: Run, tmp_path: Path) -> None:
    second = dict(QUARTERLY, id=5, title="公开预算执行", responsible=["区财政局"])
    plan = make(tmp_path, QUARTERLY, second)
    run("done", "1", "--period", "2023Q1", "--on", "2023-01-10", "-f", str(plan), "--today", "2023-05-01")
    run("done", "5", "--period", "2023Q2", "--on", "2023-04-25", "-f", str(plan), "--today", "2023-05-01")
    total = tasks(run, "report", "--by", "category", "-f", str(plan), "--today", "2023-05-01")[-1]
    # Q1 and Q2 of each duty: one done on time, one done late, two missed.
    assert (total["tasks"], total["done_on_time"], total["done_late"], total["overdue"]) == (4, 1, 1, 2)
    units = {u["name"]: u for u in tasks(run, "units", "-f", str(plan), "--today", "2023-05-01")}
    assert units["区财政局"]["overdue_ids"] == [1, 5]
    settled = {u["name"]: u for u in tasks(run, "units", "-f", str(plan), "--today", "2023-01-20")}
    assert settled["区财政局"]["overdue_ids"] == []  # Q1 of task 5 ends today: not late yet; task 1 done


def test_period_and_event_edits_say_exactly_what_they_did(run: Run, tmp_path: Path) -> None:
    """Every outcome of done, reopen and event on recurring and event duties, word for word and
    in the file: which task, which period, which unit, what was kept (mutants of these survived)."""
    both = dict(EVENT, responsible=["区司法局", "区教育局"])
    plan = make(tmp_path, QUARTERLY, MONTHLY, both, DATED)
    day = ("-f", str(plan), "--today", "2023-04-25")

    def said(*args: str) -> str:
        result = run(*args, *day)
        assert result.exit_code == 0, result.output
        return result.stderr.replace(str(plan), "P").strip()

    assert said("done", "1", "--period", "2023Q1", "--on", "2023-04-10") == (
        "已将任务 1 第 2023Q1 期标记为完成（2023-04-10）：P"
    )
    assert said("done", "1", "--period", "2023Q1") == "任务 1 第 2023Q1 期已于 2023-04-10 完成，未作改动"
    said("done", "2", "-u", "区司法局", "--period", "2023-03", "--note", "已发布")
    assert said("done", "2", "-u", "区司法局", "--period", "2023-03") == (
        "任务 2 第 2023-03 期中 区司法局 已于 2023-04-25 完成，未作改动"
    )
    said("done", "2", "-u", "区教育局", "--period", "2023-03")
    said("done", "2", "-u", "区司法局", "--period", "2023-02")
    text = plan.read_text(encoding="utf-8")
    assert "- {period: 2023-03, done_on: 2023-04-25, unit: 区司法局, note: 已发布}" in text
    # Reopening one unit's part of a period leaves the other unit's and the other periods.
    said("reopen", "2", "-u", "区司法局", "--period", "2023-03")
    text = plan.read_text(encoding="utf-8")
    assert "{period: 2023-03, done_on: 2023-04-25, unit: 区司法局" not in text
    assert "- {period: 2023-03, done_on: 2023-04-25, unit: 区教育局}" in text
    assert "- {period: 2023-02, done_on: 2023-04-25, unit: 区司法局}" in text
    assert said("reopen", "2", "-u", "区司法局", "--period", "2023-03") == (
        "任务 2 第 2023-03 期没有完成记录，未作改动"
    )
    said("reopen", "2", "--period", "2023-03")  # without a unit: the whole period
    text = plan.read_text(encoding="utf-8")
    assert (
        "period: 2023-03" not in text and "- {period: 2023-02, done_on: 2023-04-25, unit: 区司法局}" in text
    )
    # Events: one per day and unit; the same day for another unit is another event.
    assert said("event", "3", "--on", "2023-04-03", "-u", "区司法局") == (
        "已记录任务 3 的事件（2023-04-03，区司法局），应于 2023-05-04 前完成：P"
    )
    said("event", "3", "--on", "2023-04-03", "-u", "区教育局")
    assert said("event", "3", "--on", "2023-04-03", "-u", "区司法局") == (
        "任务 3 已记录过 2023-04-03 区司法局 的事件，未作改动"
    )
    text = plan.read_text(encoding="utf-8")
    assert "- {date: 2023-04-03, unit: 区司法局}" in text and "- {date: 2023-04-03, unit: 区教育局}" in text
    reopened = run("reopen", "4", "--period", "2023Q1", *day)
    assert reopened.exit_code == 2
    assert "任务 4 的完成时间“2023年6月底前”不是周期性的，没有期次，请去掉 --period" in reopened.stderr
    refused = run("event", "1", "--on", "2023-04-01", *day)
    assert refused.exit_code == 2 and refused.stderr.startswith(
        "错误：任务 1 的完成时间“每季度首月20日前”不是从事件起算的"
        "（如“信息形成之日起20个工作日内”），不能记录事件"
    )


def test_a_recurring_duty_adds_to_a_tally_that_holds_other_tasks(run: Run, tmp_path: Path) -> None:
    """A recurring duty is counted once as a whole and added into each row it belongs to: the
    row of a category holding it and a dated task counts both, every figure the sum of the two
    counted alone (the whole was once put in place of what the row held)."""
    monthly = dict(MONTHLY, category="公开", responsible=["区司法局"])
    dated = dict(DATED, id=4, category="公开")
    done_late = {"status": "done", "done_on": "2023-07-05"}
    marks = [("2", "2023-01", "2023-01-20"), ("2", "2023-02", "2023-02-08")]

    def row(*chosen: dict[str, Any]) -> dict[str, Any]:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        plan = write_plan(folder / "plan.yaml", json.loads(json.dumps(chosen)), year=2023)  # no YAML anchors
        if any(t["id"] == 2 for t in chosen):
            for task, period, day in marks:
                done = run(
                    "done", task, "--period", period, "--on", day, "-f", str(plan), "--today", "2023-07-28"
                )
                assert done.exit_code == 0, done.output
        args = ("report", "--by", "category", "--soon", "20", "-f", str(plan), "--today", "2023-08-02")
        lines = tasks(run, *args)
        (found,) = [line for line in lines if line["name"] == "公开"]
        return found

    soon = dict(DATED, id=6, category="公开", deadline="2023年8月上旬")
    late = dict(DATED, id=5, category="公开")
    alone = [row(monthly), row(dict(dated, **done_late)), row(late), row(soon)]
    # The duty last: added into a row that already holds the dated tasks' figures.
    together = row(dict(dated, **done_late), late, soon, monthly)
    counted = ("tasks", "done_on_time", "done_late", "open", "overdue", "due_soon")
    assert {k: together[k] for k in counted} == {k: sum(a[k] for a in alone) for k in counted}
    assert together["done_late"] >= 2 and together["due_soon"] >= 2 and together["overdue"] >= 2


def test_an_occurrence_done_is_done_in_a_plan_that_verifies(run: Run, tmp_path: Path) -> None:
    """Occurrences of a recurring duty are not verified one by one: a row about one is done or
    open, never 已报完成待核实, even where the plan verifies the tasks' done."""
    duty = {"id": 1, "deadline": "每季度首月20日前", "responsible": ["甲"]}
    duty["periods"] = [{"period": "2023Q1", "done_on": "2023-01-10"}]
    plan = write_plan(tmp_path / "p.yaml", [duty], period="2023年", verification=True)
    listed = run("list", "--file", str(plan), "--today", "2023-01-15", "--format", "json")
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.stdout)
    assert (row["period"], row["status"], row["done_on"]) == ("2023Q1", "done", "2023-01-10")
