"""The ``zwgk`` command: thin wiring from options to the domain modules and render."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated

import typer

from zwgk_cli import __version__, complete, query, render, store
from zwgk_cli.deadlines import xun_of
from zwgk_cli.errors import NotFound, UsageError, ZwgkError
from zwgk_cli.helptext import ChineseCommand, ZwgkGroup, say
from zwgk_cli.model import Item
from zwgk_cli.query import Filter, Row
from zwgk_cli.validate import Schedule

CHINA = timezone(timedelta(hours=8))


app = typer.Typer(
    cls=ZwgkGroup,
    help="zwgk：政务公开工作任务进度安排的跟踪工具。计划保存在一个 YAML 文件中（默认 data/schedule.yaml）。",
    add_completion=True,
    invoke_without_command=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

FileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="计划文件（默认：$ZWGK_FILE，或从当前文件夹向上找 data/schedule.yaml，最后用内置计划）",
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="把哪天当作今天，YYYY-MM-DD（默认：$ZWGK_TODAY，或北京时间今天）"),
]
FormatOpt = Annotated[
    str,
    typer.Option("--format", help="输出格式：table（表格）、json 或 csv", autocompletion=complete.formats),
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit", "-u", help="单位或单位组名称，可写简称（如 司法局）", autocompletion=complete.units
    ),
]
TaskArg = Annotated[int, typer.Argument(metavar="序号", help="任务序号", autocompletion=complete.task_ids)]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"zwgk {__version__}\n")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号")
    ] = False,
) -> None:
    """zwgk：政务公开工作任务进度安排的跟踪工具。不带命令时显示计划概况（同 zwgk summary）。"""
    if ctx.invoked_subcommand is None:
        summary(file=None, today=None)


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{option} 的值“{value}”不是有效日期，请写成 YYYY-MM-DD，如 2020-08-01") from None


def _today(value: str | None) -> date:
    value = value or os.environ.get("ZWGK_TODAY")
    if value:
        return parse_day(value, "--today" if value else "$ZWGK_TODAY")
    return datetime.now(CHINA).date()


def _format(value: str, allowed: tuple[str, ...] = render.FORMATS) -> str:
    if value not in allowed:
        raise UsageError(f"不支持的输出格式“{value}”，可选：{'、'.join(allowed)}")
    return value


def _open(file: Path | None) -> Schedule:
    return store.read_schedule(store.locate(file, os.environ, Path.cwd()))


def _item(schedule: Schedule, task_id: int) -> Item:
    item = schedule.item(task_id)
    if item is None:
        ids = [i.id for i in schedule.items]
        span = f"（共 {len(ids)} 项，序号 {min(ids)}–{max(ids)}）" if ids else ""
        raise NotFound(f"计划中没有序号为 {task_id} 的任务{span}")
    return item


def _summary(rows: list[Row], today: date, what: str = "任务") -> str:
    done = sum(1 for r in rows if r.item.is_done)
    late = sum(1 for r in rows if r.item.is_overdue(today))
    return f"{what} {len(rows)} 项：已完成 {done}，未完成 {len(rows) - done}，其中逾期 {late}（截至 {today}）"


def _write_tasks(rows: list[Row], today: date, fmt: str, summary: str, *, outstanding: bool = False) -> None:
    if fmt == "table":
        with_match = any(r.matches for r in rows)
        columns = render.task_columns(today, with_match=with_match, with_outstanding=outstanding)
        render.write_table(rows, columns, summary, sys.stdout, red=lambda r: r.item.is_overdue(today))
    else:
        records = [render.task_record(r, today) for r in rows]
        render.write_records(records, render.TASK_KEYS, fmt, sys.stdout)


@app.command("list", cls=ChineseCommand)
def list_tasks(
    unit: UnitOpt = None,
    direct: Annotated[
        bool, typer.Option("--direct", help="只列出直接写明该单位（含 同（N））的任务，不含经单位组的")
    ] = False,
    role: Annotated[
        str | None, typer.Option("--role", help="单位的角色：responsible（主体责任）或 supervising（主管）")
    ] = None,
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
        str | None, typer.Option("--due-before", help="完成时间截止日不晚于此日（YYYY-MM-DD）")
    ] = None,
    due_after: Annotated[
        str | None, typer.Option("--due-after", help="完成时间截止日不早于此日（YYYY-MM-DD）")
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="在具体任务、工作任务、单位和备注中查找文字")
    ] = None,
    file: FileOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """列出任务，可按单位、角色、类别、状态、完成时间和文字筛选（条件同时满足）。"""
    fmt, day, schedule = _format(fmt), _today(today), _open(file)
    flt = _filter(schedule, unit, direct, role, category, status, due_before, due_after, search)
    rows = query.select(schedule, flt, day)
    _write_tasks(rows, day, fmt, _summary(rows, day))


def _unit(schedule: Schedule, unit: str | None) -> str | None:
    return schedule.registry.resolve(unit) if unit is not None else None


def _filter(
    schedule: Schedule,
    unit: str | None,
    direct: bool,
    role: str | None,
    category: str | None,
    status: str | None,
    due_before: str | None,
    due_after: str | None,
    search: str | None,
) -> Filter:
    if role is not None and role not in query.ROLES:
        raise UsageError(f"--role 只能是 responsible（主体责任）或 supervising（主管），不是“{role}”")
    if status is not None and status not in query.STATUSES:
        raise UsageError(f"--status 只能是 open、done 或 overdue，不是“{status}”")
    categories = {i.task.category for i in schedule.items}
    if category is not None and category not in categories:
        raise NotFound(f"计划中没有工作任务“{category}”。现有：{'、'.join(sorted(categories))}")
    return Filter(
        unit=_unit(schedule, unit),
        direct=direct,
        role=role,
        category=category,
        status=status,
        due_before=parse_day(due_before, "--due-before") if due_before else None,
        due_after=parse_day(due_after, "--due-after") if due_after else None,
        search=search,
    )


@app.command(cls=ChineseCommand)
def overdue(
    unit: UnitOpt = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="有逾期任务时以退出码 1 结束（供脚本使用）")
    ] = False,
    file: FileOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """列出逾期未完成的任务，逾期最久的在前，并列出尚未完成的单位。"""
    fmt, day, schedule = _format(fmt), _today(today), _open(file)
    flt = Filter(unit=_unit(schedule, unit))
    rows = query.overdue(schedule, flt, day)
    _write_tasks(rows, day, fmt, f"逾期任务 {len(rows)} 项（截至 {day}）", outstanding=True)
    if exit_code and rows:
        raise typer.Exit(1)


SoonOpt = Annotated[int, typer.Option("--soon", min=0, help="“近期到期”的天数（默认 7）")]


@app.command(cls=ChineseCommand)
def report(
    by: Annotated[str, typer.Option("--by", help="按 unit（单位）或 category（工作任务）统计")] = "unit",
    soon: SoonOpt = 7,
    file: FileOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="输出格式：table、json、csv 或 markdown")] = "table",
) -> None:
    """按单位或工作任务统计进度：按时完成、逾期完成、未完成、逾期、近期到期、完成率和红黄绿灯。"""
    fmt, day, schedule = _format(fmt, (*render.FORMATS, "markdown")), _today(today), _open(file)
    if by not in ("unit", "category"):
        raise UsageError(f"--by 只能是 unit（单位）或 category（工作任务），不是“{by}”")
    from zwgk_cli.report import build_report

    lines, total = build_report(schedule, day, by, soon)
    if fmt in ("json", "csv"):
        records = [render.report_record(line) for line in [*lines, total]]
        render.write_records(records, render.REPORT_KEYS, fmt, sys.stdout)
        return
    headers, cells = render.report_table([*lines, total], by, soon)
    title = f"截至 {day}：红 = 有逾期，黄 = {soon} 天内有任务到期，绿 = 进度正常，完成 = 全部完成"
    if fmt == "markdown":
        render.write_markdown(headers, cells, sys.stdout)
        sys.stdout.write(f"\n{title}\n")
    else:
        render.write_grid(headers, cells, title, sys.stdout)


@app.command(cls=ChineseCommand)
def due(
    within: Annotated[int, typer.Option("--within", "-n", min=0, help="今后多少天内到期（默认 7）")] = 7,
    xun: Annotated[
        bool, typer.Option("--xun", help="本旬（上旬 1–10 日、中旬 11–20 日、下旬 21 日至月底）到期的")
    ] = False,
    unit: UnitOpt = None,
    file: FileOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """列出近期到期的未完成任务（今后 N 天内，或本旬），最早到期的在前。"""
    fmt, day, schedule = _format(fmt), _today(today), _open(file)
    flt = Filter(unit=_unit(schedule, unit))
    first, last = (xun_of(day).start, xun_of(day).end) if xun else (day, day + timedelta(days=within))
    rows = query.due_between(schedule, flt, day, first, last)
    span = f"本旬（{first} 至 {last}）" if xun else f"{first} 至 {last}"
    _write_tasks(rows, day, fmt, f"{span}到期的未完成任务 {len(rows)} 项", outstanding=True)


@app.command(cls=ChineseCommand)
def timeline(
    width: Annotated[
        int | None, typer.Option("--width", min=40, help="图的宽度（默认：终端宽度，输出到文件时为 80）")
    ] = None,
    soon: SoonOpt = 7,
    file: FileOpt = None,
    today: TodayOpt = None,
) -> None:
    """在终端中画出各任务的完成时间（按月），标出今天，按状态着色。"""
    day, schedule = _today(today), _open(file)
    columns = width or (os.get_terminal_size().columns if sys.stdout.isatty() else 80)
    from zwgk_cli.timeline import layout

    chart = layout(schedule.items, day, columns, soon)
    where = "" if chart.today_column is not None else "（今天不在图的时间范围内）"
    render.write_timeline(chart, f"任务 {len(chart.rows)} 项，截至 {day}{where}", sys.stdout)


@app.command(cls=ChineseCommand)
def show(
    task_id: TaskArg,
    file: FileOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """显示一个任务的全部内容。"""
    fmt, day, schedule = _format(fmt), _today(today), _open(file)
    row = Row(_item(schedule, task_id))
    if fmt == "json":
        render.write_json(render.task_record(row, day), sys.stdout)
        return
    if fmt == "csv":
        render.write_records([render.task_record(row, day)], render.TASK_KEYS, fmt, sys.stdout)
        return
    item = row.item
    lines = [f"{header}：{get(row)}" for header, get in render.task_columns(day) if get(row)]
    if item.supervising != item.task.supervising:
        lines.append(f"主管单位（同（N）展开后）：{'、'.join(item.supervising)}")
    if item.task.note:
        lines.append(f"备注：{item.task.note}")
    for slot in item.slots if len(item.slots) > 1 else ():
        mark = (
            f"已完成 {item.done_by[slot]}"
            if slot in item.done_by
            else ("已完成" if item.is_done else "未完成")
        )
        lines.append(f"  {slot}：{mark}")
    render.write_lines(lines, sys.stdout)


UNIT_SORTS = {
    "plan": None,
    "name": lambda d: d.name,
    "kind": lambda d: d.kind,
    "responsible": lambda d: -len(d.responsible),
    "supervising": lambda d: -len(d.supervising),
    "open": lambda d: -len(d.open),
    "overdue": lambda d: (-len(d.overdue), -len(d.open)),
}


@app.command(cls=ChineseCommand)
def units(
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="排序：plan（登记顺序）、name、kind、responsible、supervising、open 或 overdue（多的在前）",
        ),
    ] = "plan",
    file: FileOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """列出每个单位和单位组：类别、所属单位组，负责、主管、未完成和逾期的任务数。"""
    fmt, day, schedule = _format(fmt), _today(today), _open(file)
    if sort not in UNIT_SORTS:
        raise UsageError(f"--sort 只能是 {'、'.join(UNIT_SORTS)}，不是“{sort}”")
    duties = query.unit_duties(schedule, day)
    key = UNIT_SORTS[sort]
    if key is not None:
        duties.sort(key=key)
    if fmt != "table":
        render.write_records([render.unit_record(d) for d in duties], render.UNIT_KEYS, fmt, sys.stdout)
        return
    headers = ["单位", "类别", "所属单位组", "主体责任", "主管", "未完成", "逾期"]
    cells = [
        [
            d.name,
            d.kind,
            f"（成员 {len(d.members)} 个）" if d.kind == "单位组" else "、".join(d.groups),
            *(str(len(x)) for x in (d.responsible, d.supervising, d.open, d.overdue)),
        ]
        for d in duties
    ]
    count = sum(1 for d in duties if d.kind != "单位组")
    summary = f"单位 {count} 个，单位组 {len(duties) - count} 个（截至 {day}）"
    render.write_grid(headers, cells, summary, sys.stdout, [bool(d.overdue) for d in duties])


@app.command(cls=ChineseCommand)
def check(
    files: Annotated[
        list[Path] | None, typer.Argument(metavar="[文件…]", help="要检查的计划文件（默认：当前使用的计划）")
    ] = None,
    file: FileOpt = None,
) -> None:
    """检查计划文件：列出所有问题及其行号，没有错误时退出码为 0。"""
    locations = [store.Location(p) for p in files] if files else [store.locate(file, os.environ, Path.cwd())]
    failed = False
    for location in locations:
        try:
            problems = store.problems_in(location)
        except ZwgkError as exc:
            say(f"错误：{exc}")
            failed = True
            continue
        for problem in problems:
            say(problem.format(str(location.path)))
        errors = [p for p in problems if not p.warning]
        failed = failed or bool(errors)
        if not errors:
            say(f"{location.path}: 检查通过" + (f"（{len(problems)} 条警告）" if problems else ""))
    if failed:
        raise typer.Exit(4)


@app.command("date", cls=ChineseCommand)
def date_cmd(
    phrase: Annotated[str, typer.Argument(metavar="完成时间", help="完成时间的写法，如 2020年7月下旬")],
    year: Annotated[int | None, typer.Option("--year", help="写法中没有年份时使用的年份")] = None,
    fmt: Annotated[str, typer.Option("--format", help="输出格式：table 或 json")] = "table",
) -> None:
    """显示一个完成时间的写法被理解为哪几天。"""
    fmt = _format(fmt, ("table", "json"))
    from zwgk_cli.deadlines import DeadlineError, parse_deadline

    try:
        due = parse_deadline(phrase, year)
    except DeadlineError as exc:
        raise UsageError(f"无法识别完成时间“{phrase}”：{exc}") from None
    start, end = (due.start.isoformat(), due.end.isoformat()) if due else (None, None)
    if fmt == "json":
        render.write_json({"phrase": phrase, "start": start, "end": end}, sys.stdout)
    else:
        text = f"{start} 至 {end}" if due else "没有固定期限（不会逾期）"
        render.write_lines([f"{phrase}：{text}"], sys.stdout)


@app.command(cls=ChineseCommand)
def summary(file: FileOpt = None, today: TodayOpt = None) -> None:
    """显示计划概况：任务数、逾期、本旬到期，以及常用命令。"""
    from zwgk_cli.report import build_report

    day, schedule = _today(today), _open(file)
    _, total = build_report(schedule, day, "category", 7)
    xun = xun_of(day)
    this_xun = query.due_between(schedule, Filter(), day, xun.start, xun.end)
    late = query.overdue(schedule, Filter(), day)
    plan = schedule.plan
    lines = [
        f"{plan.region or ''}{plan.title}".strip(),
        f"截至 {day}：任务 {total.tasks} 项，已完成 {total.done}，未完成 {total.open}，"
        f"其中逾期 {total.overdue}；本旬（{xun.start} 至 {xun.end}）到期 {len(this_xun)} 项",
    ]
    if late:
        worst = "、".join(f"{r.item.id}（逾期 {r.item.days_overdue(day)} 天）" for r in late[:5])
        lines.append(f"逾期最久：{worst}{' 等' if len(late) > 5 else ''}")
    if this_xun:
        lines.append("本旬到期：" + "、".join(f"{r.item.id} {r.item.task.title}" for r in this_xun[:5]))
    lines += [
        "",
        "常用命令：",
        "  zwgk overdue            逾期任务及未完成的单位",
        "  zwgk due --xun          本旬到期的任务",
        "  zwgk list --unit 单位    某个单位的全部任务",
        "  zwgk report             各单位进度和红黄绿灯",
        "  zwgk done 序号          标记完成",
        "  zwgk --help             全部命令",
    ]
    render.write_lines(lines, sys.stdout)


@app.command(cls=ChineseCommand)
def history(
    task_id: TaskArg,
    file: FileOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", help="输出格式：table 或 json", autocompletion=complete.formats)
    ] = "table",
) -> None:
    """从 git 记录中列出改动过该任务的每次提交：时间、作者和改动前后的内容。"""
    from zwgk_cli.history import task_history

    fmt = _format(fmt, ("table", "json"))
    location = store.locate(file, os.environ, Path.cwd())
    revisions = task_history(location.path, task_id)
    if fmt == "json":
        render.write_json(
            [
                {
                    "commit": r.commit,
                    "author": r.author,
                    "date": r.date,
                    "message": r.subject,
                    "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in r.changes],
                }
                for r in revisions
            ],
            sys.stdout,
        )
        return
    lines = []
    for r in revisions:
        lines.append(f"{r.date[:10]}  {r.author}  {r.commit[:8]}  {r.subject}")
        if not r.changes:
            lines.append("  （字段没有变化，只改动了格式或注释）")
        for c in r.changes:
            lines.append(
                f"  {c.label}：{c.before if c.before is not None else '（无）'} → "
                f"{c.after if c.after is not None else '（无）'}"
            )
    lines.append(f"任务 {task_id} 共有 {len(revisions)} 次提交改动")
    render.write_lines(lines, sys.stdout)


# The commands that write files live in cli_write; importing it registers them on ``app``.
from zwgk_cli import cli_write  # noqa: E402, F401


def main() -> None:
    """Console entry point."""
    # A run is short and builds up to millions of small objects with no cycles among them:
    # the cyclic collector would only scan them again and again (see benchmarks/RESULTS.md).
    gc.disable()
    app()
