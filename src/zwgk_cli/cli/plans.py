"""The commands about the plan files themselves: check them, and a task's history in git."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from zwgk_cli.cli.app import (
    FileOpt,
    PlanOpt,
    TaskArg,
    app,
    format_option,
    output_format,
    say,
    task_target,
)
from zwgk_cli.errors import ZwgkError
from zwgk_cli.render import TEXT_FORMATS, records, tables, text
from zwgk_cli.render.usage import ChineseCommand
from zwgk_cli.storage import store


@app.command(cls=ChineseCommand)
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(metavar="文件", help="要检查的计划文件，可以有多个（默认：当前使用的计划）"),
    ] = None,
    file: FileOpt = None,
) -> None:
    """检查计划文件：列出所有问题及其行号，没有错误时退出码为 0；
    有几个计划时，还检查同一单位在各计划中登记的类别是否相同，
    以及有没有一个名称在一个计划中是单位、在另一个计划中是单位组。"""
    from zwgk_cli.storage.workspace import discover, kind_clashes

    locations = [store.Location(p) for p in files] if files else discover(file, os.environ, Path.cwd())
    failed, unreadable = False, False
    sound: list[tuple[str, store.Document]] = []
    for location in locations:
        try:
            problems = store.problems_in(location)
        except ZwgkError as exc:
            say(f"错误：{exc}")
            unreadable = True
            continue
        for problem in problems:
            say(problem.format(str(location.path)))
        errors = [p for p in problems if not p.warning]
        failed = failed or bool(errors)
        if not errors and len(locations) > 1:
            sound.append((str(location.path), store.load(location)))
        if not errors:
            say(text.check_passed(str(location.path), len(problems)))
    for path, problem in kind_clashes(sound):
        say(problem.format(path))
        failed = True
    if unreadable or failed:
        raise typer.Exit(3 if unreadable and not failed else 4)


@app.command(cls=ChineseCommand)
def history(
    ref: TaskArg,
    file: FileOpt = None,
    plans: PlanOpt = None,
    fmt: Annotated[str, format_option(TEXT_FORMATS)] = "table",
) -> None:
    """从 git 记录中列出改动过该任务的每次提交：时间、作者和改动前后的内容。"""
    from zwgk_cli.storage.history import task_history

    fmt = output_format(fmt, TEXT_FORMATS)
    location, number = task_target(file, plans, ref)
    revisions = task_history(location.path, number)
    if fmt == "json":
        records.write_json(text.history_records(revisions), sys.stdout)
    else:
        tables.write_lines(text.history_lines(revisions, number), sys.stdout)
