"""Read a plan from the issued document: its table as text (copied or extracted), or a .docx.

The table is found by its header (``table_reader``), whatever its columns; each unit cell is
read as a clerk reads it (``unit_cells``). Everything the importer has to guess is reported
as ``行 N：…`` so that a person can review it; anything it cannot read is an error naming the
row, and no plan is produced.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from zwgk_cli.dates.deadlines import DeadlineError, Unreadable
from zwgk_cli.dates.phrases import read_deadline
from zwgk_cli.errors import ImportFailed
from zwgk_cli.intake.columns_choice import column_summary, take_columns
from zwgk_cli.intake.identity import notice_date, notice_office, plan_title, plan_year
from zwgk_cli.intake.lists import ListItem, read_list
from zwgk_cli.intake.normal import readable
from zwgk_cli.intake.plan_yaml import Imported, to_yaml
from zwgk_cli.intake.registry import KIND_ORDER, guess_kind, registry
from zwgk_cli.intake.table_reader import NO_HEADER, Header, Record, Row, find_header, read_records, text_rows
from zwgk_cli.intake.unit_cells import names_in, read_cell
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.deadline_checks import UNREAD
from zwgk_cli.plan.model import FIELD_NAMES, ROLES
from zwgk_cli.plan.texts import without_invisible
from zwgk_cli.plan.units import Splitter

__all__ = [
    "HEADERS",
    "KIND_ORDER",
    "NO_CHOICES",
    "Choices",
    "ImportFailed",
    "Imported",
    "guess_kind",
    "import_docx",
    "import_tables",
    "import_text",
    "to_yaml",
]

# The columns of the bundled plan's table (one of the shapes table_reader knows).
HEADERS = ("序号", "工作任务", "具体任务", "主体责任单位", "主管单位", "完成时间")
_NUMBER = lazy(r"^\s*[（(]\s*(\d+)\s*[）)]\s*")


def _clean(records: list[Record], header: Header, notes: list[str]) -> None:
    """Control and invisible characters copied along with a table are dropped, each reported."""
    for record in records:
        for key, (text, line) in list(record.values.items()):
            cleaned = without_invisible(text)
            if cleaned != text:
                record.values[key] = (cleaned, line)
                notes.append(f"行 {line}：删除了{header.names.get(key, key)}中的不可见字符或控制字符")


# Columns whose empty cell continues the one above: silently for merged category cells, with a
# note where it is a guess (units and deadlines, as the issued tables leave them empty).
_MERGED = ("id", "category", "subcategory")
_REPEATED = ("title", *ROLES, "deadline")


def _carry_down(records: list[Record], header: Header, notes: list[str], keys: tuple[str, ...]) -> None:
    """Text has lost the document's merges: an empty cell of ``keys`` repeats the one above."""
    for above, record in itertools.pairwise(records):
        for key in keys:
            if key in header.names and not record.text(key) and above.text(key):
                record.values[key] = (above.text(key), record.at(key))
                if key in _REPEATED:
                    notes.append(
                        f"行 {record.at(key)}：{header.names[key]}为空，沿用上一行“{above.text(key)}”"
                    )


def _deadline_in(note: str, year: int | None) -> str:
    """The deadline a note gives (``推进中，11月底前完成`` gives ``11月底前完成``), or ""."""
    for piece in (note, *re.split(r"[，,；;。\s]+", note)):
        if not piece:
            continue
        try:
            read_deadline(piece, year)
        except DeadlineError:
            continue
        return piece
    return ""


def _numbers_are_ids(records: list[Record]) -> bool:
    """Whether the 序号 column numbers tasks: every cell a number, none repeated (the bundled
    table's 序号 numbers its categories, one merged cell over several tasks)."""
    numbers = [r.text("id") for r in records]
    return all(n.isascii() and n.isdigit() for n in numbers) and len(set(numbers)) == len(numbers)


def _task_id(record: Record, title: str, ids: list[int], notes: list[str], numbered: bool) -> tuple[int, str]:
    """The task's number: ``（N）`` before its text, else its 序号, else the next number (noted)."""
    m = _NUMBER.match(title)
    if m:
        return int(m.group(1)), title[m.end() :]
    if numbered:
        return int(record.text("id")), title
    task_id = (ids[-1] + 1) if ids else 1
    notes.append(f"行 {record.at('title')}：具体任务没有“（N）”序号，按顺序编为 {task_id}")
    return task_id, title


def _deadline_of(
    record: Record,
    header: Header,
    year: int | None,
    notice: date | None,
    notes: list[str],
    problems: list[str],
) -> str:
    """The row's 完成时间 as written ("" where the table has none). An unreadable one is kept word
    for word (the task has no fixed date until it is rewritten), with a warning naming the row;
    only an impossible one (2020年13月) is a problem."""
    deadline = record.text("deadline")
    if "deadline" not in header.names:
        deadline = _deadline_in(record.text("note"), year)
        if deadline:
            where = header.names.get("note", "备注")
            notes.append(f"行 {record.at('note')}：表中没有完成时间一列，取{where}中的“{deadline}”")
        return deadline
    if not deadline:
        return ""
    try:
        due = read_deadline(deadline, year).due
    except Unreadable as exc:
        notes.append(f"警告：行 {record.at('deadline')}：完成时间“{deadline}”无法识别（{exc}），{UNREAD}")
        return deadline
    except DeadlineError as exc:
        problems.append(f"行 {record.at('deadline')}：完成时间“{deadline}”无法识别：{exc}")
        return deadline
    if notice is not None and due is not None and due.end < notice:
        notes.append(
            f"警告：行 {record.at('deadline')}：完成时间“{deadline}”早于通知的日期 {notice}，请核对年份"
        )
    return deadline


def _plan(
    title: str,
    header: Header,
    records: list[Record],
    year: int | None = None,
    responsible: str | None = None,
    notes: list[str] | None = None,
    notice: date | None = None,
    carry: tuple[str, ...] = (),
) -> Imported:
    notes = notes if notes is not None else []
    problems: list[str] = []
    _clean(records, header, notes)
    _carry_down(records, header, notes, carry)
    roles = [r for r in ROLES if r in header.names]
    splitter = Splitter(n for rec in records for role in roles for n in names_in(rec.text(role)))
    tasks: list[dict[str, Any]] = []
    ids: list[int] = []
    seen: set[int] = set()
    numbered = "id" in header.names and _numbers_are_ids(records)
    for record in records:
        task_id, text = _task_id(record, record.text("title"), ids, notes, numbered)
        if task_id in seen:
            problems.append(f"行 {record.at('title')}：序号 {task_id} 重复")
        deadline = _deadline_of(record, header, year, notice, notes, problems)
        task: dict[str, Any] = {"id": task_id, "category": record.text("category") or None, "title": text}
        if record.text("subcategory"):
            task["subcategory"] = record.text("subcategory")
        for role in ROLES:
            task[role] = []
        for role in roles:
            previous = ids[-1] if ids else None
            for named in read_cell(record.text(role), role, splitter, record.at(role), notes, previous):
                task[named.role].append(named.name)
        if responsible and not any(task[r] for r in ROLES):
            task["responsible"] = [responsible]
        if deadline:
            task["deadline"] = deadline
        if record.text("note"):
            task["note"] = record.text("note")
        extra = {k.removeprefix("extra:"): record.text(k) for k in header.names if k.startswith("extra:")}
        if any(extra.values()):
            task["extra"] = {k: v for k, v in extra.items() if v}
        tasks.append(task)
        ids.append(task_id)
        seen.add(task_id)
    if problems:
        raise ImportFailed("\n".join(problems))
    plan = registry(title, tasks, notes)
    plan.columns = {
        k: header.names[k] for k in FIELD_NAMES if header.names.get(k, FIELD_NAMES[k]) != FIELD_NAMES[k]
    }
    return plan


@dataclass(frozen=True)
class Choices:
    """What the user says about a document: the plan's year, the unit doing the tasks its table
    names no unit for, columns to take otherwise than the reader would (header name: key), and
    who answers for the office on its notices (联系人, 电话)."""

    year: int | None = None
    responsible: str | None = None
    columns: tuple[tuple[str, str], ...] = ()
    contact: str | None = None
    phone: str | None = None


NO_CHOICES = Choices()


def import_text(text: str, choices: Choices = NO_CHOICES) -> Imported:
    """The plan in a table given as text: extracted from Word, copied from a page, or pasted."""
    year, responsible = choices.year, choices.responsible
    if not text.strip():
        raise ImportFailed("文件是空的")
    text, notes = readable(text.removeprefix("\ufeff"))
    table = text_rows(text, notes)
    before, rows = table.before, table.rows
    try:
        header = find_header(rows)
    except ImportFailed as refused:
        listed_before, items = read_list(text.splitlines())
        if not items:
            raise ImportFailed(f"{refused}\n{NOT_A_LIST}") from None
        if choices.columns:
            raise ImportFailed("这份计划没有表格（按条目读出），--columns 只用于表格") from None
        return _import_list(listed_before, items, year, responsible, notes)
    cell_form = table.form == "word"
    year = plan_year(before, year, notes)
    take_columns(header, choices.columns)
    records = read_records(rows, header, notes)
    # A page's table copied from a browser leaves out the cells a merged cell covers (read by
    # alignment), so an empty cell there is blank; text extracted otherwise has lost the merges.
    carry = _MERGED if table.form == "page" else (*_MERGED, *_REPEATED)
    summary = column_summary(header)
    notes[:0] = [*([summary] if summary else []), *header.notes]
    title = plan_title(before, cell_form)
    plan = _plan(title, header, records, year, responsible, notes, notice_date(before), carry)
    return _identified(plan, before, year)


def _identified(plan: Imported, before: list[str], year: int | None) -> Imported:
    """``plan`` with the year, office and issuing date the notice around its table shows."""
    plan.year = year
    plan.office = notice_office(before)
    plan.issued = notice_date(before)
    return plan


NOT_A_LIST = (
    "也没有列出任务的条目（如“1.任务…”后跟“牵头单位：…”，或任务末尾的“（责任单位：…）”）："
    "若这是通知正文，任务表多在附件中，请导入附件（.docx、.xlsx、.html 或复制出的表格）"
)
_LIST_KEYS = ("id", "category", "title", "lead", "responsible", "cooperating", "deadline")


def _import_list(
    before: list[str], items: list[ListItem], year: int | None, responsible: str | None, notes: list[str]
) -> Imported:
    """A list plan's items, read on as a table of the same keys."""
    extra = sorted({k for i in items for k in i.values if k.startswith("extra:")})
    keys: list[str | None] = [*_LIST_KEYS, *extra]
    names = {k: FIELD_NAMES.get(k, k.removeprefix("extra:")) for k in keys if k}
    header = Header(Row(0, []), keys, names)
    records = [Record(i.line, {k: (v, i.line) for k, v in i.values.items()}) for i in items]
    notes.append(
        f"没有表格：按条目读出 {len(items)} 项任务（编号的条目为任务，其后或括号中的单位为其责任单位）"
    )
    year = plan_year(before, year, notes)
    plan = _plan(plan_title(before, False), header, records, year, responsible, notes, notice_date(before))
    plan.columns = {}
    return _identified(plan, before, year)


def import_docx(data: bytes, choices: Choices = NO_CHOICES) -> Imported:
    """The plan in the first table of a .docx whose header the reader recognises."""
    from zwgk_cli.office.docx_table import read_docx

    return import_tables(*read_docx(data), "Word 文档", choices)


def import_tables(
    title: str, tables: list[list[list[str]]], what: str, choices: Choices = NO_CHOICES
) -> Imported:
    """The plan in the first of ``tables`` (rows of cell texts) whose header is recognised."""
    for table in tables:
        rows = [Row(i, cells, [i] * len(cells)) for i, cells in enumerate(table, start=1)]
        try:
            header = find_header(rows)
        except ImportFailed:
            continue
        take_columns(header, choices.columns)
        notes = list(header.notes)
        records = read_records(rows, header, notes)
        summary = column_summary(header)
        notes[:0] = [summary] if summary else []
        # The reader filled merged cells from the document: a blank task, unit or deadline cell
        # it did not merge stays blank; only the category levels and numbers continue.
        return _plan(title, header, records, choices.year, choices.responsible, notes, carry=_MERGED)
    raise ImportFailed(f"{what}中" + NO_HEADER)
