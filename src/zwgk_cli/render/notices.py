"""Notices (催办通知) and the bulletin (通报) as documents: Markdown and Word (.docx).

Both are built as a list of blocks (title, addressee, paragraphs, headings, tables, signature)
and each block list is written by one writer per format, laid out as a government notice:
title in 方正小标宋简体, body in 仿宋_GB2312 (with 仿宋/FangSong named for machines without
them), headings in 黑体, signature and date on the right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from zwgk_cli.office.official import BODY_FONT, HEADING_FONT, LINE_PITCH, TITLE_FONT, font, page, table_rules
from zwgk_cli.office.zipstamp import fixed_zip_times
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.texts import file_part
from zwgk_cli.render.safe import cell_text, clean, markdown_text
from zwgk_cli.tracking.notices import Bulletin, Reminder
from zwgk_cli.tracking.query import Row

__all__ = [
    "Block",
    "Particulars",
    "bulletin_blocks",
    "reminder_blocks",
    "reminder_files",
    "reminder_list",
    "to_docx",
    "to_markdown",
]


@dataclass(frozen=True)
class Particulars:
    """What a real notice carries beside its text: its serial number (发文字号; each further
    notice of a run counts on from it), a reply deadline, who to contact, and 此件公开发布."""

    number: str | None = None
    reply_by: date | None = None
    contact: str | None = None
    phone: str | None = None
    public: bool = False


NONE = Particulars()
_NUMBER = lazy(r"(\d+)(号?)$")


def numbered(number: str | None, offset: int) -> str | None:
    """The ``offset``-th number after ``number`` (屯政公开办〔2020〕12号, 13号, …)."""
    if number is None or offset == 0:
        return number
    found = _NUMBER.search(number)
    if found is None:
        return number
    return number[: found.start()] + str(int(found[1]) + offset) + found[2]


def _head(extra: Particulars) -> list[Block]:
    return [Block("number", extra.number)] if extra.number else []


def _contact(extra: Particulars) -> list[Block]:
    said = "，".join(
        part
        for part in (
            f"联系人：{extra.contact}" if extra.contact else "",
            f"联系电话：{extra.phone}" if extra.phone else "",
        )
        if part
    )
    return [Block("para", f"（{said}）")] if said else []


def _foot(extra: Particulars) -> list[Block]:
    return [Block("note", "（此件公开发布）")] if extra.public else []


@dataclass(frozen=True)
class Block:
    """One block of a notice as a document shows it: a title, a paragraph, a table, the signature."""

    kind: str  # number | title | to | para | heading | table | sign | note | break | label | subtitle
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _plan_name(title: str) -> str:
    return title if title.startswith("《") else f"《{title}》"


ATTACHMENT = "逾期和即将到期任务清单"


def reminder_blocks(
    reminder: Reminder, title: str, office: str, today: date, extra: Particulars = NONE
) -> list[Block]:
    """The notice to one unit; its overdue and due-soon tasks (most overdue first) in an
    attachment, as real notices list them."""
    rows = []
    for owed in reminder.owed:
        item = owed.item
        when = item.task.deadline + (f"（{item.period}期）" if item.period else "")
        late = f"逾期{owed.days_overdue}天" if owed.days_overdue is not None else f"{owed.days_left}天后到期"
        rows.append((str(item.id), item.task.title, when, late))
    late_count = sum(1 for o in reminder.owed if o.days_overdue is not None)
    soon_count = len(reminder.owed) - late_count
    summary = "、".join(
        part
        for part in (
            f"{late_count}项已逾期" if late_count else "",
            f"{soon_count}项即将到期" if soon_count else "",
        )
        if part
    )
    reply = f"请于{prose_date(extra.reply_by)}前将办理情况和佐证材料报送{office}。" if extra.reply_by else ""
    return [
        *_head(extra),
        Block("title", f"关于督促落实{_plan_name(title)}工作任务的通知"),
        Block("to", f"{reminder.unit}："),
        Block(
            "para",
            f"根据{_plan_name(title)}的安排，截至{chinese_date(today)}，"
            f"{'各单位' if reminder.group else '你单位'}承担的工作任务中，{summary}（见附件）。"
            "请高度重视，抓紧办理，办结后及时报送进展情况和佐证材料；确有困难的，请书面说明原因和完成时限。"
            + reply,
        ),
        *_contact(extra),
        Block("para", f"附件：{ATTACHMENT}"),
        Block("sign", office),
        Block("sign", chinese_date(today)),
        *_foot(extra),
        Block("break"),
        Block("label", "附件"),
        Block("subtitle", ATTACHMENT),
        Block("table", headers=("序号", "具体任务", "完成时间", "逾期情况"), rows=tuple(rows)),
    ]


def prose_date(day: date) -> str:
    """A date in a sentence of the current year's notice: 8月10日."""
    return f"{day.month}月{day.day}日"


def notice_name(unit: str) -> str:
    return f"催办通知-{file_part(unit)}"


def reminder_files(
    found: Sequence[Reminder], title: str, office: str, today: date, extra: Particulars = NONE
) -> dict[str, bytes]:
    """The files of a reminder run: a notice per unit (.docx and .md), each numbered on from
    ``extra.number``, and 催办清单.csv."""
    files: dict[str, bytes] = {}
    for offset, reminder in enumerate(found):
        mine = replace(extra, number=numbered(extra.number, offset))
        blocks = reminder_blocks(reminder, title, office, today, mine)
        files[f"{notice_name(reminder.unit)}.docx"] = to_docx(blocks, today)
        files[f"{notice_name(reminder.unit)}.md"] = to_markdown(blocks).encode("utf-8")
    if found:  # with a BOM, so that Excel opens it as UTF-8
        files["催办清单.csv"] = ("\ufeff" + reminder_list(found)).encode("utf-8")
    return files


def reminder_list(found: Sequence[Reminder]) -> str:
    """催办清单.csv: which unit was reminded of which task, and in which file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["单位", "序号", "期次", "具体任务", "完成时间", "逾期天数", "剩余天数", "通知文件"])
    for reminder in found:
        for owed in reminder.owed:
            item = owed.item
            writer.writerow(
                [
                    cell_text(clean(value))
                    for value in (
                        reminder.unit,
                        str(item.id),
                        item.period or "",
                        item.task.title,
                        item.task.deadline,
                        "" if owed.days_overdue is None else str(owed.days_overdue),
                        "" if owed.days_left is None else str(owed.days_left),
                        f"{notice_name(reminder.unit)}.docx",
                    )
                ]
            )
    return buffer.getvalue()


def _line_rows(bulletin: Bulletin) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            ln.name,
            str(ln.tasks),
            str(ln.done_on_time),
            str(ln.done_late),
            str(ln.reported),
            str(ln.open),
            str(ln.overdue),
            f"{ln.rate:.0%}",
            ln.light,
        )
        for ln in bulletin.lines
    )


def _due_line(row: Row) -> str:
    item = row.item
    units = "、".join(item.units.get("lead", ()) + item.responsible)
    end = item.due.end if item.due else None
    return f"{item.id} {item.task.title}（{units}，{f'{prose_date(end)}前' if end else '无固定期限'}）"


def _named(bulletin: Bulletin, ids: Sequence[int]) -> str:
    """The overdue tasks of a unit by number and name (the first three; the rest counted)."""
    shown = [f"任务{i}“{_short(bulletin.titles.get(i, ''))}”" for i in ids[:3]]
    return "、".join(shown) + (f"等{len(ids)}项" if len(ids) > 3 else "")


def _short(title: str, limit: int = 20) -> str:
    return title if len(title) <= limit else title[:limit] + "…"


def bulletin_blocks(bulletin: Bulletin, title: str, extra: Particulars = NONE) -> list[Block]:
    """The standard bulletin: overall progress, praise, names, the table, next steps."""
    total = bulletin.total
    waiting = f"已报完成待核实{total.reported}项，" if total.reported else ""
    overall = (
        f"截至{chinese_date(bulletin.today)}，{_plan_name(title)}共有任务{total.tasks}项"
        "（周期性任务按期计），"
        f"已完成{total.done}项（其中按时完成{total.done_on_time}项），{waiting}"
        f"未完成{total.open}项，其中逾期{total.overdue}项，完成率{total.rate:.0%}。"
    )
    praised = (
        f"{'、'.join(bulletin.praised)}按时完成了全部到期任务，予以表扬。"
        if bulletin.praised
        else "暂无全部按时完成的单位。"
    )
    named = (
        "；".join(
            f"{ln.name}逾期{ln.overdue}项（{_named(bulletin, ln.overdue_ids)}）" for ln in bulletin.named
        )
        + "。以上单位予以通报，请抓紧整改，尽快完成。"
        if bulletin.named
        else "暂无逾期任务。"
    )
    steps = [Block("para", f"本旬到期：{_due_line(r)}") for r in bulletin.this_xun]
    steps += [Block("para", f"本月到期：{_due_line(r)}") for r in bulletin.this_month]
    headers = ("单位", "任务", "按时完成", "逾期完成", "待核实", "未完成", "逾期", "完成率", "状态")
    return [
        *_head(extra),
        Block("title", f"关于{_plan_name(title)}工作进展情况的通报"),
        Block("to", "各有关单位："),
        Block("para", overall),
        Block("heading", "一、按时完成的单位"),
        Block("para", praised),
        Block("heading", "二、有逾期任务的单位"),
        Block("para", named),
        Block("heading", "三、各单位进展情况"),
        Block("table", headers=headers, rows=_line_rows(bulletin)),
        Block("heading", "四、下一步工作"),
        *(steps or [Block("para", "本月内没有其他到期的任务。")]),
        Block("para", "请各单位对照任务清单，按时完成并报送进展情况和佐证材料。"),
        *_contact(extra),
        Block("sign", bulletin.office),
        Block("sign", chinese_date(bulletin.today)),
        *_foot(extra),
    ]


def _cell(text: str) -> str:
    return markdown_text(text).replace("\n", " ")


def to_markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind in ("title", "subtitle"):
            out += [f"{'#' if block.kind == 'title' else '##'} {markdown_text(block.text)}", ""]
        elif block.kind == "number":
            out += [f'<p align="center">{markdown_text(block.text)}</p>', ""]
        elif block.kind == "break":
            out += ["---", ""]
        elif block.kind == "label":
            out += [f"**{markdown_text(block.text)}**", ""]
        elif block.kind == "heading":
            out += [f"## {markdown_text(block.text)}", ""]
        elif block.kind == "table":
            out.append("| " + " | ".join(block.headers) + " |")
            out.append("|" + "---|" * len(block.headers))
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif block.kind == "sign":
            out += [f'<p align="right">{markdown_text(block.text)}</p>', ""]
        else:
            out += [markdown_text(block.text), ""]
    return "\n".join(out).rstrip() + "\n"


def to_docx(blocks: Sequence[Block], today: date) -> bytes:
    """A Word document of ``blocks``; the same blocks and date give the same bytes."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    page(document)
    stamp = datetime(today.year, today.month, today.day)
    document.core_properties.created = document.core_properties.modified = stamp
    document.core_properties.last_modified_by = document.core_properties.author = "zwgk"
    for block in blocks:
        if block.kind == "table":
            table = document.add_table(rows=1, cols=len(block.headers))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
                font(cell.paragraphs[0].add_run(header), HEADING_FONT, 12)
            for row in block.rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    font(cell.paragraphs[0].add_run(clean(value)), BODY_FONT, 12)
            table_rules(table, block.headers, block.rows)
            continue
        if block.kind == "break":
            document.add_page_break()  # type: ignore[no-untyped-call]
            continue
        if block.kind == "sign" and document.paragraphs:
            # The signature, its date and the line above stay on one page (a short notice left
            # its date alone on page 2).
            document.paragraphs[-1].paragraph_format.keep_with_next = True
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.line_spacing = Pt(LINE_PITCH)
        if block.kind in ("title", "subtitle"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font(paragraph.add_run(clean(block.text)), TITLE_FONT, 22)
        elif block.kind == "number":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font(paragraph.add_run(clean(block.text)), BODY_FONT, 16)
        elif block.kind == "label":
            font(paragraph.add_run(clean(block.text)), HEADING_FONT, 16)
        elif block.kind == "note":
            paragraph.paragraph_format.first_line_indent = Pt(32)
            font(paragraph.add_run(clean(block.text)), BODY_FONT, 16)
        elif block.kind == "sign":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            font(paragraph.add_run(clean(block.text)), BODY_FONT, 16)
        elif block.kind == "heading":
            paragraph.paragraph_format.first_line_indent = Pt(32)
            font(paragraph.add_run(clean(block.text)), HEADING_FONT, 16)
        else:
            if block.kind == "para":
                paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
            font(paragraph.add_run(clean(block.text)), BODY_FONT, 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip_times(buffer.getvalue(), stamp)
