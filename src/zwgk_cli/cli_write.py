"""The commands that write files: done, reopen, edit, import, init, export.

Registered on the one ``app`` of ``cli``; the same thin wiring, options and helpers.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from zwgk_cli import store
from zwgk_cli.cli import (
    FileOpt,
    SoonOpt,
    TaskArg,
    TodayOpt,
    _item,
    _open,
    _today,
    app,
    parse_day,
)
from zwgk_cli.errors import NotFound, UsageError, WriteRefused
from zwgk_cli.helptext import ChineseCommand, say
from zwgk_cli.model import Item
from zwgk_cli.validate import Schedule


@app.command("export", cls=ChineseCommand)
def export_cmd(
    target: Annotated[
        Path,
        typer.Argument(
            metavar="文件", help="导出到的文件；格式由扩展名决定：.xlsx .ics .html .csv .json .md"
        ),
    ],
    soon: SoonOpt = 7,
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")] = False,
    file: FileOpt = None,
    today: TodayOpt = None,
) -> None:
    """导出计划：Excel、日历（.ics）、网页（.html），或 CSV、JSON、Markdown。"""
    day, schedule = _today(today), _open(file)
    from zwgk_cli.export import export

    path = export(schedule, target, day, soon, force)
    say(f"已导出 {path}")


def _done_day(schedule: Schedule, on: str | None, today: date) -> date:
    day = parse_day(on, "--on") if on else today
    if day > today:
        raise UsageError(f"--on {day} 晚于今天（{today}），完成日期不能在将来")
    starts = [i.due.start for i in schedule.items if i.due is not None]
    if starts and day < min(starts):
        raise UsageError(f"--on {day} 早于计划开始（{min(starts)}），请检查日期")
    return day


@app.command(cls=ChineseCommand)
def done(
    task_id: TaskArg,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只记录这个主体责任单位已完成")] = None,
    on: Annotated[str | None, typer.Option("--on", help="完成日期 YYYY-MM-DD（默认：今天）")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注，如文件文号或完成情况")] = None,
    file: FileOpt = None,
    today: TodayOpt = None,
) -> None:
    """把任务标记为已完成（或记录某个单位已完成），写入计划文件。"""
    day = _today(today)
    location = store.locate(file, os.environ, Path.cwd())
    said: list[str] = []

    from zwgk_cli import edits

    def edit(document: store.Document) -> str | None:
        # Checked under the lock, against the file as it is now.
        schedule = document.schedule
        item = _item(schedule, task_id)
        finished = _done_day(schedule, on, day)
        if item.is_done:
            said.append(f"任务 {task_id} 已于 {item.task.done_on} 完成，未作改动")
            return None
        if unit is None:
            said.append(f"已将任务 {task_id} 标记为完成（{finished}）：{location.path}")
            return edits.mark_done(document, task_id, finished, note)
        name = _slot(schedule, item, unit)
        if name in item.done_by:
            said.append(f"任务 {task_id} 中 {name} 已于 {item.done_by[name]} 完成，未作改动")
            return None
        said.append(f"已记录 {name} 完成任务 {task_id}（{finished}），进度 {{progress}}：{location.path}")
        return edits.mark_unit_done(document, task_id, name, finished, note)

    after = store.update(location, edit).schedule.item(task_id)
    assert after is not None
    say(said[0].replace("{progress}", f"{after.done_count}/{len(after.slots)}"))


def _slot(schedule: Schedule, item: Item, unit: str) -> str:
    name = schedule.registry.resolve(unit)
    if name not in item.slots:
        raise NotFound(f"“{name}”不是任务 {item.id} 的主体责任单位。该任务的单位：{'、'.join(item.slots)}")
    return name


@app.command(cls=ChineseCommand)
def reopen(
    task_id: TaskArg,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只撤销这个单位的完成记录")] = None,
    file: FileOpt = None,
) -> None:
    """把已完成的任务改回未完成（或撤销某个单位的完成记录）。"""
    location = store.locate(file, os.environ, Path.cwd())
    said: list[str] = []
    from zwgk_cli import edits

    def edit(document: store.Document) -> str | None:
        item = _item(document.schedule, task_id)
        if unit is None:
            if not item.is_done and not item.done_by:
                said.append(f"任务 {task_id} 本来就未完成，未作改动")
                return None
            said.append(f"已将任务 {task_id} 改回未完成：{location.path}")
            return edits.reopen(document, task_id)
        name = _slot(document.schedule, item, unit)
        if name not in item.done_by:
            said.append(f"任务 {task_id} 中 {name} 没有完成记录，未作改动")
            return None
        said.append(f"已撤销 {name} 在任务 {task_id} 中的完成记录：{location.path}")
        return edits.reopen_unit(document, task_id, name)

    store.update(location, edit)
    say(said[0])


@app.command("import", cls=ChineseCommand)
def import_cmd(
    source: Annotated[
        Path, typer.Argument(metavar="文件", help="印发的文档：提取的表格文本（.txt）或 Word 文档（.docx）")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入的计划文件（默认：输出到屏幕）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="计划文件已存在时覆盖")] = False,
    region: Annotated[str | None, typer.Option("--region", help="地区，如 屯留区")] = None,
    year: Annotated[int | None, typer.Option("--year", help="完成时间没写年份时使用的年份")] = None,
    today: TodayOpt = None,
) -> None:
    """从印发的文档导入计划：表格文本或 .docx；推定的内容逐条列出，供人工核对。"""
    day = _today(today)
    from zwgk_cli import importer

    text = importer.read_plan_document(source, region, year, day)
    for note in text.notes:
        say(note)
    if output is None:
        sys.stdout.write(text.yaml)
        return
    store.write_new(output, text.yaml, force)
    say(
        f"已导入 {len(text.tasks)} 项任务到 {output}；推定的内容 {len(text.notes)} 条（见上），"
        "请核对后运行 zwgk check 检查"
    )


@app.command(cls=ChineseCommand)
def init(
    dest: Annotated[Path, typer.Argument(metavar="[路径]", help="复制到哪里")] = store.DEFAULT_RELATIVE,
    force: Annotated[bool, typer.Option("--force", help="目标文件已存在时覆盖")] = False,
) -> None:
    """把内置的屯留区计划复制到 ./data/schedule.yaml，以便修改。"""
    path = store.init_plan(dest, force)
    say(f"已创建 {path}。之后在此文件夹（或其子文件夹）中运行 zwgk 会自动使用它")


@app.command(cls=ChineseCommand)
def edit(task_id: TaskArg, file: FileOpt = None) -> None:
    """用编辑器（$VISUAL 或 $EDITOR）打开计划文件，定位到该任务；关闭编辑器后检查文件。"""
    import subprocess

    from zwgk_cli.editor import editor_argv

    location = store.locate(file, os.environ, Path.cwd())
    if location.readonly:
        raise WriteRefused(f"{location.path}: 这是随程序安装的示例计划，只能查看。请先运行 zwgk init")
    document = store.load(location)
    _item(document.schedule, task_id)
    pos = next(i for i, t in enumerate(document.tree.data["tasks"]) if t.get("id") == task_id)
    line = document.tree.spans[("tasks", pos)][0] + 1
    argv = editor_argv(location.path, line)
    try:
        code = subprocess.call(argv)
    except OSError as exc:
        raise UsageError(f"无法启动编辑器“{argv[0]}”（{exc.strerror}）。请检查 EDITOR 的设置") from None
    if code != 0:
        say(f"编辑器以退出码 {code} 结束")
    problems = store.problems_in(location)
    for problem in problems:
        say(problem.format(str(location.path)))
    if any(not p.warning for p in problems):
        raise typer.Exit(4)
    say(f"{location.path}: 检查通过")
