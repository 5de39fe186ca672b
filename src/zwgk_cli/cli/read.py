"""The commands that only read: list, overdue, due, report, timeline, show, units, check,
date, summary, history."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import date, timedelta
from typing import Annotated

import typer

from zwgk_cli.cli import complete
from zwgk_cli.cli.app import (
    MAX_DAYS,
    Given,
    SoonOpt,
    TaskArg,
    TodayOpt,
    UnitOpt,
    WideOpt,
    app,
    format_option,
    given,
    on_plans,
    say,
)
from zwgk_cli.dates.deadlines import YEAR_MAX, YEAR_MIN, xun_of
from zwgk_cli.errors import UsageError, choose
from zwgk_cli.render import REPORT_FORMATS, TEXT_FORMATS, records, reports, tables, text
from zwgk_cli.render.usage import ChineseCommand
from zwgk_cli.tracking import query
from zwgk_cli.tracking.query import Filter, Row


def _write_tasks(
    run: Given, rows: list[Row], summary: str, *, outstanding: bool = False, wide: bool = False
) -> None:
    schedule, today = run.schedule, run.today
    if run.fmt == "table":
        columns = tables.task_columns(
            today,
            rows,
            names=schedule.plan.names,
            with_match=any(r.matches for r in rows),
            with_outstanding=outstanding,
            wide=wide,
        )
        tables.write_table(
            rows, columns, summary, sys.stdout, red=lambda r: r.item.is_overdue(today), wide=wide
        )
    else:
        found = [records.task_record(r, today, schedule) for r in rows]
        records.write_records(found, records.TASK_KEYS, run.fmt, sys.stdout)


RoleOpt = Annotated[
    str | None,
    typer.Option(
        "--role",
        help="与 --unit 同用：单位的角色 lead（牵头）、responsible（主体责任）、cooperating（配合）、"
        "supervising（主管）或 all（全部）；默认只看单位承担的（牵头和主体责任）",
    ),
]


def _other_roles(run: Given, flt: query.Filter, shown: list[Row]) -> None:
    """Say, apart from the answer, how many tasks the unit has in the roles left out."""
    more = query.other_roles(run.schedule, flt, run.today, shown)
    if more and flt.unit is not None:
        say(text.other_roles(flt.unit, more))


@app.command("list", cls=ChineseCommand)
@on_plans()
def list_tasks(
    run: Given,
    unit: UnitOpt = None,
    direct: Annotated[
        bool, typer.Option("--direct", help="只列出直接写明该单位（含 同（N））的任务，不含经单位组的")
    ] = False,
    role: RoleOpt = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category", "-c", help="工作任务（类别），如 组织实施", autocompletion=complete.categories
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", "-s", help="状态：open（未完成）、done（已完成）或 overdue（逾期）"),
    ] = None,
    due_before: Annotated[
        str | None, typer.Option("--due-before", metavar="<日期>", help="完成时间截止日不晚于此日")
    ] = None,
    due_after: Annotated[
        str | None, typer.Option("--due-after", metavar="<日期>", help="完成时间截止日不早于此日")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="在具体任务、工作任务、单位和备注中查找文字")
    ] = None,
    wide: WideOpt = False,
) -> None:
    """列出任务，可按单位、角色、类别、状态、完成时间和文字筛选（条件同时满足）。"""
    flt = query.make_filter(
        run.schedule,
        unit=unit,
        direct=direct,
        role=role,
        category=category,
        status=status,
        due_before=run.day(due_before, "--due-before"),
        due_after=run.day(due_after, "--due-after"),
        search=search,
    )
    rows = query.select(run.schedule, flt, run.today)
    _write_tasks(run, rows, text.tasks_summary(rows, run.today), wide=wide)
    _other_roles(run, flt, rows)


@app.command(cls=ChineseCommand)
@on_plans()
def overdue(
    run: Given,
    unit: UnitOpt = None,
    role: RoleOpt = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="有逾期任务时以退出码 1 结束（供脚本使用）")
    ] = False,
    wide: WideOpt = False,
) -> None:
    """列出逾期未完成的任务，逾期最久的在前，并列出尚未完成的单位。"""
    flt = query.make_filter(run.schedule, unit=unit, role=role)
    rows = query.overdue(run.schedule, flt, run.today)
    _write_tasks(run, rows, text.overdue_summary(len(rows), run.today), outstanding=True, wide=wide)
    waiting = query.awaiting(run.schedule, flt, run.today) if run.fmt == "table" else []
    if waiting:  # reported done, not overdue, but the office still has to check them
        _write_tasks(run, waiting, text.awaiting_summary(len(waiting)), wide=wide)
    _other_roles(run, replace(flt, status="overdue"), rows)
    if exit_code and rows:
        raise typer.Exit(1)


@app.command(cls=ChineseCommand)
@on_plans(REPORT_FORMATS)
def report(
    run: Given,
    by: Annotated[
        str,
        typer.Option("--by", help="按 unit（单位）、category（工作任务）、plan（计划）或 region（地区）统计"),
    ] = "unit",
    soon: SoonOpt = 7,
) -> None:
    """按单位、工作任务、计划或地区统计进度：按时完成、逾期完成、未完成、逾期、近期到期、完成率和红黄绿灯。"""
    from zwgk_cli.tracking.report import REPORT_BY, build_report

    by = choose("--by", by, REPORT_BY)
    plan = run.schedule.plan
    lines, total = build_report(run.schedule, run.today, by, soon)
    if run.fmt in ("json", "csv", "csv-zh"):
        found = records.report_records([*lines, total])
        records.write_records(found, records.REPORT_KEYS, run.fmt, sys.stdout)
        return
    headers, cells = reports.report_table([*lines, total], by, soon, plan.names, plan.verification)
    if run.fmt == "markdown":
        tables.write_markdown(headers, cells, sys.stdout)
        sys.stdout.write(f"\n{text.report_title(run.today, soon)}\n")
    else:
        tables.write_grid(headers, cells, text.report_title(run.today, soon), sys.stdout)


@app.command(cls=ChineseCommand)
@on_plans()
def due(
    run: Given,
    within: Annotated[
        int, typer.Option("--within", "-n", min=0, max=MAX_DAYS, help="今后多少天内到期（默认 7）")
    ] = 7,
    xun: Annotated[
        bool, typer.Option("--xun", help="本旬（上旬 1–10 日、中旬 11–20 日、下旬 21 日至月底）到期的")
    ] = False,
    unit: UnitOpt = None,
    role: RoleOpt = None,
    wide: WideOpt = False,
) -> None:
    """列出近期到期的未完成任务（今后 N 天内，或本旬），最早到期的在前。"""
    day = run.today
    flt = query.make_filter(run.schedule, unit=unit, role=role)
    first, last = (xun_of(day).start, xun_of(day).end) if xun else (day, day + timedelta(days=within))
    rows = query.due_between(run.schedule, flt, day, first, last)
    _write_tasks(run, rows, text.due_summary(first, last, xun, len(rows)), outstanding=True, wide=wide)


@app.command(cls=ChineseCommand)
@on_plans(None)
def timeline(
    run: Given,
    width: Annotated[
        int | None,
        typer.Option("--width", min=40, max=1000, help="图的宽度（默认：终端宽度，输出到文件时为 80）"),
    ] = None,
    soon: SoonOpt = 7,
) -> None:
    """在终端中画出各任务的完成时间（按月），标出今天，按状态着色。"""
    columns = width or (os.get_terminal_size().columns if sys.stdout.isatty() else 80)
    from zwgk_cli.render.chart import write_timeline
    from zwgk_cli.render.timeline import layout

    chart = layout(run.schedule.items, run.today, columns, soon)
    summary = text.timeline_summary(len(chart.rows), run.today, chart.today_column is not None)
    write_timeline(chart, summary, sys.stdout)


@app.command(cls=ChineseCommand)
@on_plans()
def show(
    run: Given,
    ref: TaskArg,
) -> None:
    """显示一个任务的全部内容。"""
    from zwgk_cli.plan.occurrences import current, missed
    from zwgk_cli.storage.workspace import item_key

    day, view = run.today, run.view
    task = view.schedule.require(item_key(view, ref))
    row = Row(current(task, day))
    if run.fmt == "table":
        late = missed(task, day) if task.periodic else []
        tables.write_lines(text.show_lines(row.item, day, view.plan_of(task).names, late), sys.stdout)
    elif run.fmt == "json":
        records.write_json(records.task_record(row, day, view.schedule), sys.stdout)
    else:
        found = [records.task_record(row, day, view.schedule)]
        records.write_records(found, records.TASK_KEYS, run.fmt, sys.stdout)


@app.command(cls=ChineseCommand)
@on_plans()
def units(
    run: Given,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="排序：plan（登记顺序）、name、kind、lead、responsible、cooperating、supervising、"
            "open 或 overdue（数量多的在前）",
        ),
    ] = "plan",
) -> None:
    """列出每个单位和单位组：类别、所属单位组，负责、主管、未完成和逾期的任务数。"""
    duties = query.sort_duties(query.unit_duties(run.schedule, run.today), sort)
    if run.fmt != "table":
        found = [records.unit_record(d) for d in duties]
        records.write_records(found, records.UNIT_KEYS, run.fmt, sys.stdout)
        return
    red = [bool(d.overdue) for d in duties]
    summary = text.units_summary(duties, run.today)
    tables.write_grid(text.UNIT_HEADERS, text.unit_cells(duties), summary, sys.stdout, red)


@app.command("date", cls=ChineseCommand)
def date_cmd(
    phrase: Annotated[str, typer.Argument(metavar="完成时间", help="完成时间的写法，如 2020年7月下旬")],
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            min=YEAR_MIN,
            max=YEAR_MAX,
            help="写法中没有年份时使用的年份；周期性期限列出这一年的各期",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="日期", help="周期性期限从这天起列出各期；从事件起算的期限以这天为事件日期"
        ),
    ] = None,
    until: Annotated[str | None, typer.Option("--to", metavar="日期", help="周期性期限列到这天为止")] = None,
    today: TodayOpt = None,
    fmt: Annotated[str, format_option(TEXT_FORMATS)] = "table",
) -> None:
    """显示一个完成时间的写法被理解为哪几天：固定期限、无固定期限、周期性（各期）或从事件起算。"""
    run = given(None, None, today, fmt, TEXT_FORMATS)  # no plan: the phrase alone
    from zwgk_cli.dates.deadlines import DeadlineError
    from zwgk_cli.dates.phrases import read_deadline
    from zwgk_cli.plan.occurrences import explain

    first, last = run.day(since, "--from"), run.day(until, "--to")
    base = year if year is not None else (first or last or run.today).year
    window = (first or date(base, 1, 1), last or date((first.year if first else base), 12, 31))
    if window[1] < window[0]:
        raise UsageError(f"--to {window[1]} 早于开始日期 {window[0]}")
    try:
        answer = explain(read_deadline(phrase, year), *window, event_on=first)
    except DeadlineError as exc:
        raise UsageError(f"无法识别完成时间“{phrase}”：{exc}") from None
    if run.fmt == "json":
        records.write_json(records.date_record(answer), sys.stdout)
    else:
        tables.write_lines(text.date_lines(answer), sys.stdout)
    for line in text.warning_lines(answer.warnings):
        say(line)


@app.command(cls=ChineseCommand)
@on_plans(None)
def summary(run: Given) -> None:
    """显示计划概况：任务数、逾期、本旬到期，以及常用命令。"""
    from zwgk_cli.tracking.report import build_report

    schedule, day = run.schedule, run.today
    _, total = build_report(schedule, day, "category", 7)
    xun = xun_of(day)
    this_xun = query.due_between(schedule, Filter(), day, xun.start, xun.end)
    late = query.overdue(schedule, Filter(), day)
    tables.write_lines(text.overview_lines(schedule.plan, total, day, xun, this_xun, late), sys.stdout)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=lambda v: _version(v), is_eager=True, help="显示版本号")
    ] = False,
) -> None:
    """zwgk：政务公开工作任务进度安排的跟踪工具。不带命令时显示计划概况（同 zwgk summary）。"""
    if ctx.invoked_subcommand is None:
        summary(file=None, today=None)


def _version(value: bool) -> None:
    if value:
        from zwgk_cli import __version__

        sys.stdout.write(f"zwgk {__version__}\n")
        raise typer.Exit()
