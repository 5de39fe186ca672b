"""Import a plan from a file of any form people receive: text, .docx, .xlsx, .html, .pdf, and
the older office forms (.doc, .wps, .xls, .et, .ods, .odt) converted by LibreOffice; then check
the plan file it becomes, and say what the plan still needs from its user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zwgk_cli.errors import ImportFailed
from zwgk_cli.intake.identity import plan_title
from zwgk_cli.intake.importer import NO_CHOICES, Choices, import_docx, import_tables, import_text
from zwgk_cli.intake.plan_yaml import Imported, to_yaml
from zwgk_cli.office.convert import CONVERTED
from zwgk_cli.plan.deadline_checks import UNREAD
from zwgk_cli.storage.store import read_regular

if TYPE_CHECKING:
    from zwgk_cli.plan.findings import Finding
    from zwgk_cli.plan.schedule import Schedule

__all__ = ["PlanFile", "read_plan_document"]

# Files that are not text, known by their first bytes: what they are.
_BINARY = {
    b"PK\x03\x04": "是 Office 文档（.xlsx 或 .docx 等压缩格式）",
    b"\xd0\xcf\x11\xe0": "是旧版 Office 文档（.doc 或 .xls）",
    b"%PDF": "是 PDF 文件",
}


@dataclass(frozen=True)
class PlanFile:
    """An imported plan file, checked by the same loader as every plan."""

    yaml: str
    tasks: list[dict[str, Any]]
    notes: list[str]
    todo: list[str] = field(default_factory=list)  # what the plan still needs from its user


def _read(source: Path, data: bytes, choices: Choices) -> Imported:
    """The plan in ``data``, read by the reader for the file's form."""
    suffix = source.suffix.lower()
    if suffix in CONVERTED:
        from zwgk_cli.office.convert import converted

        source, data = converted(source, data)
        suffix = source.suffix.lower()
    if suffix == ".docx":
        return import_docx(data, choices)
    if suffix == ".xlsx":
        from zwgk_cli.office.sheet_table import read_xlsx

        return import_tables(*read_xlsx(data), "Excel 表格", choices)
    if suffix in (".html", ".htm"):
        from zwgk_cli.office.sheet_table import read_html

        return import_tables(*read_html(data.decode("utf-8", "replace")), "网页", choices)
    if suffix == ".pdf":
        from zwgk_cli.office.pdf_table import read_pdf

        tables, text = read_pdf(data)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        title = plan_title(lines[: next((i for i, line in enumerate(lines) if "序号" in line), 20)], False)
        if tables:
            try:
                return import_tables(title, tables, "PDF 文件", choices)
            except ImportFailed:
                pass  # tables that are not the plan's: read its text as a list plan
        return import_text(text, choices)
    kind = next((what for magic, what in _BINARY.items() if data.startswith(magic)), None)
    if kind is not None:
        raise ImportFailed(
            f"{source}: 这个文件{kind}，不是文本，扩展名却是“{suffix or '（无）'}”。请改成正确的扩展名"
            "（.docx、.xlsx、.pdf、.doc、.xls 等）后再导入"
        )
    try:
        return import_text(data.decode("utf-8"), choices)
    except UnicodeDecodeError:
        raise ImportFailed(
            f"{source}: 不是 UTF-8 编码的文本；可用 iconv -f GBK -t UTF-8 转换后再导入"
        ) from None


def read_plan_document(
    source: Path, region: str | None, today: date, choices: Choices = NO_CHOICES
) -> PlanFile:
    """Import ``source`` and check the plan file it becomes."""
    from zwgk_cli.plan.validate import build_schedule
    from zwgk_cli.storage.yamltree import ProblemList, read_tree

    data = read_regular(source, "文档")
    try:
        plan = _read(source, data, choices)
    except ImportFailed as exc:  # every message names the file it is about
        said = str(exc)
        raise ImportFailed(said if said.startswith(str(source)) else f"{source}: {said}") from None
    text = to_yaml(plan, source.name, today, region, choices.year, (choices.contact, choices.phone))
    try:
        tree = read_tree(text)
    except ProblemList as exc:
        raise ImportFailed("导入的计划未通过校验：\n" + "\n".join(p.message for p in exc.problems)) from None
    schedule, findings = build_schedule(tree.data, tree.surprises, tree.suspect)
    if schedule is None:
        errors = [f.message for f in findings if not f.warning]
        raise ImportFailed("导入的计划未通过校验：\n" + "\n".join(errors))
    warnings = [
        f"警告：{f.message}"
        for f in findings
        if f.warning and f.path[-1:] == ("deadline",) and UNREAD not in f.message  # said with its row
    ]
    return PlanFile(text, plan.tasks, [*plan.notes, *warnings], _todo(schedule, findings, plan.issued))


def _todo(schedule: Schedule, findings: list[Finding], issued: date | None) -> list[str]:
    """What an imported plan still needs before it tracks everything: events to record,
    groups whose members the table does not list, deadlines it could not read."""
    todo: list[str] = []
    events = [i for i in schedule.items if i.kind == "event"]
    if events:
        ids = "、".join(str(i.id) for i in events[:8]) + ("等" if len(events) > 8 else "")
        first = events[0]
        on = issued.isoformat() if issued and "印发" in first.task.deadline else "事件日期"
        todo.append(
            f"从事件起算的任务 {len(events)} 项（序号 {ids}，如“{first.task.deadline}”）："
            f"事件发生后运行 zwgk event {first.id} --on {on}，才开始计算期限"
        )
    empty = [g.name for g in schedule.plan.groups if not g.members]
    if empty:
        named = "、".join(empty[:3]) + ("等" if len(empty) > 3 else "")
        todo.append(
            f"单位组 {len(empty)} 个没有列出成员（{named}）：原表未列出，不作补充；"
            "要按单位跟踪，请在计划的 groups 中填写 members（zwgk units 列出全部单位和单位组）"
        )
    if not (schedule.plan.contact and schedule.plan.phone):
        todo.append(
            "催办通知和通报中的联系人和联系电话：请在计划中填写 contact 和 phone"
            "（或导入时加 --contact、--phone）"
        )
    tasks = schedule.plan.tasks
    unread = [
        tasks[f.path[1]].id
        for f in findings
        if UNREAD in f.message and len(f.path) > 1 and isinstance(f.path[1], int)
    ]
    if unread:
        todo.append(
            f"完成时间无法识别的任务 {len(unread)} 项（序号 {'、'.join(map(str, unread[:8]))}）："
            "暂按没有固定日期跟踪，请改写成可识别的写法（zwgk check 列出）"
        )
    return todo
