"""The commands that write files: done, reopen, edit, import, init, export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zwgk_cli.cli import complete
from zwgk_cli.cli.app import (
    FileOpt,
    Given,
    PlanOpt,
    SoonOpt,
    TaskArg,
    TodayOpt,
    app,
    on_plans,
    parse_day,
    say,
    task_target,
    today_from,
    write_task,
)
from zwgk_cli.dates.deadlines import YEAR_MAX, YEAR_MIN
from zwgk_cli.render import text
from zwgk_cli.render.usage import ChineseCommand
from zwgk_cli.storage import atomic, store

ForceOpt = Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")]


@app.command("export", cls=ChineseCommand)
@on_plans(None)
def export_cmd(
    run: Given,
    target: Annotated[
        Path | None,
        typer.Argument(
            metavar="文件", help="导出到的文件；格式由扩展名决定：.xlsx .ics .html .csv .json .md"
        ),
    ] = None,
    feedback: Annotated[
        bool,
        typer.Option("--feedback", help="为单位生成反馈表（每个单位一个 .xlsx），填好后用 zwgk collect 收集"),
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", help="只生成这个单位的反馈表（与 --feedback 同用）", autocompletion=complete.units
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="为每个有未完成任务的单位生成反馈表（与 --feedback 同用，默认）")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="文件夹", help="反馈表写入的文件夹")
    ] = None,
    soon: SoonOpt = 7,
    force: ForceOpt = False,
) -> None:
    """导出计划：Excel、日历（.ics）、网页（.html），或 CSV、JSON、Markdown；
    --feedback 生成各单位的反馈表。"""
    from zwgk_cli.errors import UsageError

    day = run.today
    if feedback:
        from zwgk_cli.cli.feedback import write_forms

        write_forms(run.one("生成反馈表时")[1], output or target, unit, every, day, force)
        return
    schedule = run.schedule
    if unit is not None or every or output is not None:
        raise UsageError("--unit、--all 和 -o 只用于 --feedback（生成反馈表）；导出计划时直接写文件名")
    if target is None:
        raise UsageError(
            "请给出导出的文件名，如 zwgk export 计划.xlsx；生成反馈表用 zwgk export --feedback -o 文件夹"
        )
    from zwgk_cli.render.export import export

    say(text.exported(str(export(schedule, target, day, soon, force))))


PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        metavar="期次",
        help="周期性任务的哪一期：2023Q1（季度）、2023-04（月）、2023H1（半年）、2023（年），"
        "从事件起算的任务写事件日期（默认：当前或最近一期）",
    ),
]


@app.command(cls=ChineseCommand)
@on_plans(None)
def done(
    run: Given,
    ref: TaskArg,
    unit: Annotated[
        list[str] | None,
        typer.Option("--unit", "-u", help="只记录这个单位（牵头或主体责任单位）已完成；可写多次"),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="<日期>", help="完成日期，如 2020-08-01、8月1日（默认：今天）"),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注，如文件文号或完成情况")] = None,
    period: PeriodOpt = None,
) -> None:
    """把任务标记为已完成（或记录某个单位已完成；周期性任务记录某一期），写入计划文件。"""
    from zwgk_cli.storage.chain import for_units
    from zwgk_cli.storage.edits import apply_done

    write_task(
        run,
        ref,
        on,
        lambda d, number, when, day: for_units(
            d, unit, lambda doc, u: apply_done(doc, number, u, when, day, note, period)
        ),
    )


@app.command(cls=ChineseCommand)
@on_plans(None)
def reopen(
    run: Given,
    ref: TaskArg,
    unit: Annotated[
        list[str] | None, typer.Option("--unit", "-u", help="只撤销这个单位的完成记录；可写多次")
    ] = None,
    period: PeriodOpt = None,
) -> None:
    """把已完成的任务改回未完成（或撤销某个单位、某一期的完成记录；周期性任务默认撤销最近记录的一期）。"""
    from zwgk_cli.storage.chain import for_units
    from zwgk_cli.storage.edits import apply_reopen

    write_task(
        run,
        ref,
        None,
        lambda d, number, when, day: for_units(d, unit, lambda doc, u: apply_reopen(doc, number, u, period)),
    )


@app.command(cls=ChineseCommand)
@on_plans(None)
def event(
    run: Given,
    ref: TaskArg,
    on: Annotated[
        str,
        typer.Option("--on", metavar="<日期>", help="事件发生的日期（如信息形成、批复之日），如 2020-08-01"),
    ],
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", help="事件只涉及这个单位（默认：该任务的全部单位）")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注，如变更的内容或文件文号")] = None,
) -> None:
    """记录从事件起算的任务（如“信息形成之日起20个工作日内”）的事件已发生，开始计算期限。"""
    happened = parse_day(on, "--on", run.today)  # the event's own day, not a completion day
    from zwgk_cli.storage.edits import apply_event

    write_task(
        run,
        ref,
        None,
        lambda d, number, when, day: apply_event(d, number, happened, unit, note, day),
    )


ContactOpt = Annotated[str | None, typer.Option("--contact", help="催办通知、通报中的联系人，如 张三")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="催办通知、通报中的联系电话")]


@app.command("import", cls=ChineseCommand)
def import_cmd(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="文件",
            help="印发的文档：.docx、.xlsx、.html、.pdf，复制或提取的表格文本（.txt），"
            "或 .doc、.wps、.xls、.et、.ods（需安装 LibreOffice）",
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入的计划文件（默认：输出到屏幕）")
    ] = None,
    force: ForceOpt = False,
    region: Annotated[str | None, typer.Option("--region", help="地区，如 屯留区")] = None,
    year: Annotated[
        int | None, typer.Option("--year", min=YEAR_MIN, max=YEAR_MAX, help="完成时间没写年份时使用的年份")
    ] = None,
    responsible: Annotated[
        str | None,
        typer.Option("--responsible", help="表中没有写单位的任务都由这个单位负责（如只列本单位职责的目录）"),
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            metavar="列名=用途,…",
            help="改正某几列的读法，如 具体内容=title,责任单位=responsible；用途是 id、category、"
            "subcategory、title、lead、responsible、cooperating、supervising、deadline、note、"
            "extra（按列名保存）或 skip（不导入）",
        ),
    ] = None,
    contact: ContactOpt = None,
    phone: PhoneOpt = None,
    today: TodayOpt = None,
) -> None:
    """从印发的文档导入计划：Word、Excel、网页、PDF 或复制的表格文本；推定的内容逐条列出，供人工核对。"""
    day = today_from(today)
    from zwgk_cli.intake.columns_choice import parse_columns
    from zwgk_cli.intake.document import read_plan_document
    from zwgk_cli.intake.importer import Choices

    choices = Choices(year, responsible, parse_columns(columns or ""), contact, phone)
    plan = read_plan_document(source, region, day, choices)
    for note in plan.notes:
        say(note)
    if output is None:
        sys.stdout.write(plan.yaml)
        for line in plan.todo:
            say(line)
        return
    atomic.write_new(output, plan.yaml, force)
    say(text.imported(len(plan.tasks), str(output), len(plan.notes)))
    _ignore_locks(output)
    if plan.todo:
        say(text.STILL_TO_DO)
        for line in plan.todo:
            say(f"  · {line}")
    from zwgk_cli.storage.workspace import in_use

    if not in_use(output, Path.cwd()):
        say(text.not_in_use(str(output)))


@app.command(cls=ChineseCommand)
def init(
    dest: Annotated[Path, typer.Argument(metavar="[路径]", help="复制到哪里")] = store.DEFAULT_RELATIVE,
    force: ForceOpt = False,
    contact: ContactOpt = None,
    phone: PhoneOpt = None,
) -> None:
    """把内置的屯留区计划复制到 ./data/schedule.yaml，以便修改。"""
    say(text.initialised(str(store.init_plan(dest, force, {"contact": contact or "", "phone": phone or ""}))))
    _ignore_locks(dest)


def _ignore_locks(plan: Path) -> None:
    from zwgk_cli.storage.atomic import ignore_locks

    ignore = ignore_locks(plan.parent)
    if ignore is not None:
        say(text.locks_ignored(str(ignore)))


@app.command(cls=ChineseCommand)
def edit(ref: TaskArg, file: FileOpt = None, plans: PlanOpt = None) -> None:
    """用编辑器（$VISUAL 或 $EDITOR）打开计划文件，定位到该任务；关闭编辑器后检查文件。"""
    from zwgk_cli.storage.editor import edit_task

    location, number = task_target(file, plans, ref)
    code, problems = edit_task(location, number)
    if code != 0:
        say(text.editor_exit(code))
    for problem in problems:
        say(problem.format(str(location.path)))
    if any(not p.warning for p in problems):
        raise typer.Exit(4)
    say(text.check_passed(str(location.path), 0))
