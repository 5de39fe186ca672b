"""Feedback forms out (``export --feedback``) and back in (``collect``)."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from zwgk_cli.cli import complete
from zwgk_cli.cli.app import (
    Given,
    app,
    on_plans,
    say,
)
from zwgk_cli.errors import UsageError
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.render.usage import ChineseCommand
from zwgk_cli.storage import atomic, store


def write_forms(
    schedule: Schedule, folder: Path | None, unit: str | None, every: bool, day: date, force: bool
) -> None:
    """``export --feedback``: one workbook per unit into ``folder``."""
    from zwgk_cli.feedback.forms import forms
    from zwgk_cli.feedback.workbook import workbook
    from zwgk_cli.render.collect import forms_written
    from zwgk_cli.storage.edits import plan_start

    if folder is None:
        raise UsageError("请用 -o 给出反馈表写入的文件夹，如 zwgk export --feedback -o 反馈表")
    if unit is not None and every:
        raise UsageError("--unit 和 --all 只能选一个")
    start = plan_start(schedule)
    files = {form.file_name: workbook(form, start) for form in forms(schedule, day, unit)}
    for line in forms_written(atomic.write_set(folder, files, force)):
        say(line)


@app.command(cls=ChineseCommand)
@on_plans()
def collect(
    run: Given,
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="文件或文件夹", help="单位发回的反馈表（.xlsx 或 .csv），或放反馈表的文件夹"),
    ],
    apply: Annotated[
        bool, typer.Option("--apply", help="把通过校验的内容写入计划（默认只列出将写入的改动）")
    ] = False,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            "-u",
            help="表格中没有单位信息时（如另存的 .csv），是哪个单位的；只用于收集一个文件",
            autocompletion=complete.units,
        ),
    ] = None,
) -> None:
    """收集单位发回的反馈表：逐行校验，列出将写入的完成情况和进展情况；加 --apply 一次写入计划；
    有拒收的行或文件时退出码为 1。"""
    from zwgk_cli.feedback.collect import Collected, collected_text, review
    from zwgk_cli.feedback.forms import columns
    from zwgk_cli.feedback.workbook import read_sent, sent_files
    from zwgk_cli.render import records
    from zwgk_cli.render.collect import COLLECT_KEYS, collect_lines, collect_records, collect_summary
    from zwgk_cli.storage.workspace import plan_of_forms

    fmt, day = run.fmt, run.today
    files = sent_files(paths, unit)
    # The forms are read before the lock is taken; the lock covers only checking and writing.
    cols = columns(run.schedule)
    sent = [read_sent(path, cols, unit) for path in files]
    if len(run.view.names) > 1:  # in a workspace: the plan each form records, if they agree
        forms_plan = plan_of_forms(run.view, [(s.plan_id, s.title) for s in sent], "收集反馈表时")
        run = dataclasses.replace(run, plans=[forms_plan])
    location, schedule = run.one("收集反馈表时")
    if columns(schedule) != cols:  # the chosen plan names its columns otherwise: read them so
        sent = [read_sent(path, columns(schedule), unit) for path in files]

    def decide(document: store.Document) -> Collected:
        findings = review(document.schedule, sent, day, location.path)
        return Collected(findings, collected_text(document, findings))

    # Without --apply the plan as read tells what would change; with it, the plan under the lock.
    findings = (
        store.apply(location, decide)[0].findings if apply else review(schedule, sent, day, location.path)
    )
    if fmt == "table":
        for line in collect_lines(findings):
            sys.stdout.write(line + "\n")
    else:
        records.write_records(collect_records(findings), COLLECT_KEYS, fmt, sys.stdout)
    say(collect_summary(findings, apply))
    if any(f.action == "refused" for f in findings):
        raise typer.Exit(1)
