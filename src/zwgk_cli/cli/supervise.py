"""The commands of the supervision loop: progress, verify, return, remind, bulletin, score."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zwgk_cli.cli import complete
from zwgk_cli.cli.app import (
    Given,
    SoonOpt,
    TaskArg,
    app,
    on_plans,
    say,
    task_ref,
    write_task,
)
from zwgk_cli.render import SCORE_FORMATS, records, tables, text
from zwgk_cli.render.usage import ChineseCommand
from zwgk_cli.storage import atomic, store
from zwgk_cli.storage.workspace import TaskRef

if TYPE_CHECKING:
    from zwgk_cli.render.notices import Particulars
    from zwgk_cli.storage.edits import Outcome

ReplyByOption = Annotated[
    str | None,
    typer.Option("--reply-by", metavar="日期", help="请单位在哪天前报送办理情况，如 8月10日（写进通知）"),
]
NumberOption = Annotated[
    str | None,
    typer.Option(
        "--number",
        metavar="文号",
        help="发文字号，如 屯政公开办〔2020〕12号；几份通知依次编号（12号、13号…）",
    ),
]
PublicOption = Annotated[bool, typer.Option("--public", help="在成文日期下注明（此件公开发布）")]


def _particulars(run: Given, reply_by: str | None, number: str | None, public: bool) -> Particulars:
    """What a notice carries beside its text: the options given, and the plan's contact."""
    from zwgk_cli.render.notices import Particulars

    plan = run.schedule.plan
    return Particulars(number, run.day(reply_by, "--reply-by"), plan.contact, plan.phone, public)


UnitOption = Annotated[
    str | None,
    typer.Option(
        "--unit", "-u", help="哪个单位（牵头或主体责任单位），可写简称", autocompletion=complete.units
    ),
]
UnitsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        "-u",
        help="哪个单位（牵头或主体责任单位），可写简称；可写多次，一次处理几个单位",
        autocompletion=complete.units,
    ),
]
OnOption = Annotated[
    str | None, typer.Option("--on", metavar="<日期>", help="日期，如 2020-08-01 或 8月1日（默认：今天）")
]
ForceOption = Annotated[bool, typer.Option("--force", help="文件已存在且内容不同时覆盖")]


@app.command(cls=ChineseCommand)
@on_plans(None)
def progress(
    run: Given,
    ref: TaskArg,
    words: Annotated[str | None, typer.Option("--text", "-t", help="进展说明")] = None,
    unit: UnitOption = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", help="佐证材料：文号、网址或仓库中的文件，可写多次"),
    ] = None,
    withdraw: Annotated[
        bool,
        typer.Option("--withdraw", help="撤回录错的进展情况：该单位最近的一条（加 --on 日期 撤回那天的）"),
    ] = False,
    on: OnOption = None,
) -> None:
    """记录单位报送的进展情况和佐证材料（只追加，不改动已有记录）；--withdraw 撤回录错的一条。"""
    from zwgk_cli.errors import UsageError
    from zwgk_cli.tracking.supervise import apply_progress, apply_withdraw, evidence_refs

    if withdraw:
        if words is not None or evidence:
            raise UsageError("--withdraw 撤回已有的进展情况，不能同时给出 --text 或 --evidence")
        write_task(run, ref, on, lambda d, n, when, day: apply_withdraw(d, n, unit, when))
        return
    if words is None:
        raise UsageError("请用 --text 给出进展说明（撤回录错的一条用 --withdraw）")

    def decide(document: store.Document, number: int, when: date | None, day: date) -> Outcome:
        # Evidence files are looked for in the repository of the plan that holds the task.
        refs = evidence_refs(evidence or [], document.location.path, Path.cwd())
        return apply_progress(document, number, unit, words, refs, when, day)

    write_task(run, ref, on, decide)


@app.command(cls=ChineseCommand)
@on_plans(None)
def verify(
    run: Given,
    ref: Annotated[
        TaskRef | None,
        typer.Argument(
            metavar="[序号]",
            help="任务序号；不写时与 --unit、--reported 同用，核实该单位已报完成的全部任务",
            parser=task_ref,
            autocompletion=complete.task_ids,
        ),
    ] = None,
    unit: UnitsOption = None,
    reported: Annotated[
        bool,
        typer.Option("--reported", help="核实该任务中已报完成的全部单位；不写序号时，核实该单位的全部任务"),
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="核实意见")] = None,
    on: OnOption = None,
) -> None:
    """主管单位核实单位报送的完成情况，核实后销号（计划需设 verification: true）。"""
    from zwgk_cli.errors import UsageError
    from zwgk_cli.storage.chain import for_units
    from zwgk_cli.tracking.supervise import apply_verify, reported_units, verify_reported

    if ref is None:  # one unit's (or several units') reports across every task of one plan
        if not (unit and reported):
            raise UsageError(text.VERIFY_WHAT)
        location, _ = run.one("核实一个单位的全部任务时")
        when = run.day(on, "--on")
        done, _ = store.apply(location, lambda d: verify_reported(d, unit, note, when, run.today))
        say(text.verified_across(done.outcomes, str(location.path)))
        return

    def decide(document: store.Document, number: int, when: date | None, day: date) -> Outcome:
        units = unit or (reported_units(document, number) if reported else None)
        return for_units(document, units, lambda d, u: apply_verify(d, number, u, note, when, day))

    write_task(run, ref, on, decide)


@app.command("return", cls=ChineseCommand)
@on_plans(None)
def return_cmd(
    run: Given,
    ref: TaskArg,
    unit: Annotated[
        list[str],
        typer.Option(
            "--unit", "-u", help="退回哪个单位报送的完成情况；可写多次", autocompletion=complete.units
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", "-r", help="退回的原因")],
    on: OnOption = None,
) -> None:
    """把单位报完成的任务退回（改回未完成），退回原因记入进展情况。"""
    from zwgk_cli.storage.chain import for_units
    from zwgk_cli.tracking.supervise import apply_return

    def decide(document: store.Document, number: int, when: date | None, day: date) -> Outcome:
        return for_units(document, unit, lambda d, u: apply_return(d, number, u or "", reason, when, day))

    write_task(run, ref, on, decide)


@app.command(cls=ChineseCommand)
@on_plans(None)
def remind(
    run: Given,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="文件夹", help="通知写入的文件夹")],
    unit: UnitOption = None,
    within: Annotated[
        int, typer.Option("--within", "-n", min=0, max=366, help="几天内到期的也催办（默认 7）")
    ] = 7,
    reply_by: ReplyByOption = None,
    number: NumberOption = None,
    public: PublicOption = False,
    force: ForceOption = False,
) -> None:
    """给有逾期或即将到期任务的单位生成催办通知（.docx 和 .md 各一份，任务清单为附件）和催办清单.csv。"""
    from zwgk_cli.render import notices
    from zwgk_cli.tracking.notices import office_of, reminders

    schedule, day = run.schedule, run.today
    extra = _particulars(run, reply_by, number, public)
    found = reminders(schedule, day, within, unit)
    files = notices.reminder_files(found, schedule.plan.title, office_of(schedule), day, extra)
    written = atomic.write_set(output, files, force)
    for line in text.written_lines(written, len(found)):
        say(line)


@app.command(cls=ChineseCommand)
@on_plans(None)
def bulletin(
    run: Given,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="文件", help="通报文件：.docx 或 .md")],
    soon: SoonOpt = 7,
    number: NumberOption = None,
    public: PublicOption = False,
    force: ForceOption = False,
) -> None:
    """生成进展情况通报：总体进展、表扬按时完成的单位、点名有逾期任务的单位、各单位进展表、下一步工作。"""
    from zwgk_cli.errors import UsageError
    from zwgk_cli.render import notices
    from zwgk_cli.tracking.notices import bulletin as facts

    schedule, day = run.schedule, run.today
    suffix = output.suffix.lower()
    if suffix not in (".docx", ".md"):
        raise UsageError(f"{output}: 通报只能写成 .docx 或 .md 文件")
    extra = _particulars(run, None, number, public)
    blocks = notices.bulletin_blocks(facts(schedule, day, soon), schedule.plan.title, extra)
    data = notices.to_docx(blocks, day) if suffix == ".docx" else notices.to_markdown(blocks).encode("utf-8")
    written = atomic.write_set(output.parent, {output.name: data}, force)
    for line in text.written_lines(written, 1):
        say(line)


def _score_format(options: dict[str, Any]) -> str:
    """-o 考评.xlsx says the format by its suffix; else a table."""
    output = options["output"]
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in SCORE_FORMATS and suffix != "table" else "table"


@app.command(cls=ChineseCommand)
@on_plans(SCORE_FORMATS, format_from=_score_format)
def score(
    run: Given,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="文件",
            help="写入的文件，格式按后缀（考评.xlsx、考评.csv、考评.json），不给出时显示表格",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """按计划中的考评规则（scoring）给各单位打分并排名，列出每项任务的得分。"""
    from zwgk_cli.errors import UsageError
    from zwgk_cli.storage.workspace import scored
    from zwgk_cli.tracking.score import score_units

    fmt, day, schedule = run.fmt, run.today, scored(run.view)
    scores = score_units(schedule, day)
    if fmt == "xlsx":
        if output is None:
            raise UsageError("--format xlsx 需要用 -o 给出文件名，如 -o 考评.xlsx")
        from zwgk_cli.render.export import score_workbook

        atomic.write_new(output, score_workbook(scores), force)
        say(text.exported(str(output)))
    elif fmt in ("json", "csv", "csv-zh"):
        import io

        out = io.StringIO() if output is not None else sys.stdout
        if fmt == "json":
            records.write_json([records.score_record(s) for s in scores], out)
        else:
            records.write_records(records.score_rows(scores), records.SCORE_KEYS, fmt, out)
        if isinstance(out, io.StringIO) and output is not None:  # -o: the same text, into the file
            atomic.write_new(output, out.getvalue(), force)
            say(text.exported(str(output)))
    elif output is not None:
        raise UsageError(text.table_not_to_file(str(output)))
    else:
        from zwgk_cli.render.scores import score_table

        headers, cells = score_table(scores)
        title = text.score_title(day, schedule.plan.rules, schedule.plan.scoring is None)
        tables.write_grid(headers, cells, title, sys.stdout)
