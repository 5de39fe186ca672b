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
from pathlib import Path
from typing import Any

from zwgk_cli.dates.deadlines import YEAR_MAX, YEAR_MIN, DeadlineError, Unreadable
from zwgk_cli.dates.phrases import read_deadline
from zwgk_cli.errors import ImportFailed
from zwgk_cli.intake.normal import readable
from zwgk_cli.intake.plan_yaml import Imported, to_yaml
from zwgk_cli.intake.table_reader import NO_HEADER, Header, Record, Row, find_header, read_records, text_rows
from zwgk_cli.intake.unit_cells import is_group, names_in, read_cell
from zwgk_cli.plan.deadline_checks import UNREAD
from zwgk_cli.plan.model import FIELD_NAMES, ROLES
from zwgk_cli.plan.texts import without_invisible
from zwgk_cli.plan.units import Splitter, parse_ref
from zwgk_cli.storage.store import read_regular

__all__ = [
    "HEADERS",
    "ImportFailed",
    "Imported",
    "import_docx",
    "import_text",
    "read_plan_document",
    "to_yaml",
]

# The columns of the bundled plan's table (one of the shapes table_reader knows).
HEADERS = ("序号", "工作任务", "具体任务", "主体责任单位", "主管单位", "完成时间")
_NUMBER = re.compile(r"^\s*[（(]\s*(\d+)\s*[）)]\s*")
# Kinds in the order the plan file lists them; each guessed from how a unit's name reads.
KIND_ORDER = (
    "区直部门",
    "区直事业单位",
    "市直派驻机构",
    "垂直管理部门",
    "街道",
    "乡镇",
    "市直部门",
    "县直部门",
    "村（社区）",
    "科室",
    "其他",
)
_DISTRICT = ["区直部门", "区直事业单位", "市直派驻机构", "垂直管理部门", "街道", "乡镇"]
_GROUP_KINDS = {
    "各级各部门": _DISTRICT,
    "区直各有关单位": ["区直部门", "区直事业单位"],
    "区直各有关部门": ["区直部门"],
}
UNCATEGORISED = "（未分类）"  # a plan needs a category; a table without one gets this, noted
_NOTICE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_TITLE_WORDS = ("安排", "要点", "分工", "目录", "方案", "计划", "清单", "任务")


def guess_kind(name: str) -> str:
    if name.endswith("街道办事处"):
        return "街道"
    if re.search(r"(乡|镇)(人民政府)?$", name):
        return "乡镇"
    if re.search(r"(村|社区)(民委员会|居民委员会|委员会|委会)?$", name):
        return "村（社区）"
    if name.startswith("市") and name.endswith("分局"):
        return "市直派驻机构"
    if name.endswith("税务局"):
        return "垂直管理部门"
    if name.endswith("中心") and not name.startswith("市"):
        return "区直事业单位"
    if name.startswith("区"):
        return "区直部门"
    if name.startswith("县"):
        return "县直部门"
    if name.startswith("市"):
        return "市直部门"
    if name.endswith(("科", "室", "股", "处")):
        return "科室"
    return "其他"


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
        category = record.text("category")
        if not category:
            category = UNCATEGORISED
            notes.append(f"行 {record.at('title')}：没有工作任务（类别），记为“{UNCATEGORISED}”")
        task: dict[str, Any] = {"id": task_id, "category": category, "title": text}
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
    plan = _registry(title, tasks, notes)
    plan.columns = {
        k: header.names[k] for k in FIELD_NAMES if header.names.get(k, FIELD_NAMES[k]) != FIELD_NAMES[k]
    }
    return plan


def _registry(title: str, tasks: list[dict[str, Any]], notes: list[str]) -> Imported:
    found: dict[str, None] = {}  # in order of first appearance
    for task in tasks:
        for key in ROLES:
            found.update((n, None) for n in task[key] if parse_ref(n) is None)
    names = list(found)
    units = [{"name": n, "kind": guess_kind(n)} for n in names if not is_group(n)]
    groups: list[dict[str, Any]] = []
    for name in (n for n in names if is_group(n)):
        kinds = _GROUP_KINDS.get(name) or (["乡镇"] if "乡镇" in name else [])
        groups.append({"name": name, "kinds": kinds, "members": []})
        notes.append(f"单位组“{name}”：按类别 {'、'.join(kinds) or '（无）'} 包含单位，成员未列出")
    for unit in units:
        notes.append(f"单位“{unit['name']}”的类别推定为 {unit['kind']}")
    used = {u["kind"] for u in units} | {k for g in groups for k in g["kinds"]}
    kinds = [k for k in KIND_ORDER if k in used]
    return Imported(title, tasks, units, groups, kinds, notes)


def _title(before: list[str], cell_form: bool) -> str:
    """The table's title: the last short line above it that names a plan (安排, 要点, 清单…),
    not the notice's paragraphs, its 附件 line or its letterhead."""
    if cell_form:
        return "".join(before)
    titles = [
        line
        for line in before
        if any(w in line for w in _TITLE_WORDS) and len(line) <= 60 and not line.startswith("附件")
    ]
    return titles[-1] if titles else (before[0] if before else "")


def _notice_date(before: list[str]) -> date | None:
    """The date the notice around the table was issued on (its last date, as a notice is signed)."""
    found = _NOTICE_DATE.findall("\n".join(before))
    for year, month, day in reversed(found):
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            continue
    return None


def _year(before: list[str], year: int | None, notes: list[str]) -> int | None:
    """``--year``, else the year of the notice's own date (reported as a guess)."""
    if year is not None:
        return year
    dated = _NOTICE_DATE.search("\n".join(before))
    if dated and YEAR_MIN <= int(dated.group(1)) <= YEAR_MAX:
        notes.append(
            f"年份推定为 {dated.group(1)}（文中的日期“{dated.group()}”），没写年份的完成时间按此理解"
        )
        return int(dated.group(1))
    return None


def import_text(text: str, year: int | None = None, responsible: str | None = None) -> Imported:
    """The plan in a table given as text: extracted from Word, copied from a page, or pasted."""
    if not text.strip():
        raise ImportFailed("文件是空的")
    text, notes = readable(text.removeprefix("\ufeff"))
    before, rows = text_rows(text)
    header = find_header(rows)
    cell_form = any(line.startswith("\t") for line in text.splitlines())
    year = _year(before, year, notes)
    records = read_records(rows, header, notes)
    # A page's table copied as `a | b |` rows leaves out the cells a merged cell covers (read
    # by alignment), so an empty cell there is blank; elsewhere text has lost the merges.
    carry = _MERGED if _is_piped(text) and not cell_form else (*_MERGED, *_REPEATED)
    notes[:0] = header.notes
    title = _title(before, cell_form)
    plan = _plan(title, header, records, year, responsible, notes, _notice_date(before), carry)
    plan.year = year
    return plan


def _is_piped(text: str) -> bool:
    return sum(line.count("|") >= 2 for line in text.splitlines()) >= 2


def import_docx(data: bytes, year: int | None = None, responsible: str | None = None) -> Imported:
    """The plan in the first table of a .docx whose header the reader recognises."""
    from zwgk_cli.office.docx_table import read_docx

    return import_tables(*read_docx(data), "Word 文档", year, responsible)


def import_tables(
    title: str,
    tables: list[list[list[str]]],
    what: str,
    year: int | None = None,
    responsible: str | None = None,
) -> Imported:
    """The plan in the first of ``tables`` (rows of cell texts) whose header is recognised."""
    for table in tables:
        rows = [Row(i, cells, [i] * len(cells)) for i, cells in enumerate(table, start=1)]
        try:
            header = find_header(rows)
        except ImportFailed:
            continue
        notes = list(header.notes)
        records = read_records(rows, header, notes)
        # The reader filled merged cells from the document: a blank task, unit or deadline cell
        # it did not merge stays blank; only the category levels and numbers continue.
        return _plan(title, header, records, year, responsible, notes, carry=_MERGED)
    raise ImportFailed(f"{what}中" + NO_HEADER)


# Files that are not text, known by their first bytes: what they are, and what to do.
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


def read_plan_document(
    source: Path, region: str | None, year: int | None, today: date, responsible: str | None = None
) -> PlanFile:
    """Import ``source`` (.docx, or extracted text) and check the plan file it becomes."""
    from zwgk_cli.plan.validate import build_schedule
    from zwgk_cli.storage.yamltree import ProblemList, read_tree

    data = read_regular(source, "文档")
    suffix = source.suffix.lower()
    if suffix == ".docx":
        plan = import_docx(data, year, responsible)
    elif suffix == ".xlsx":
        from zwgk_cli.office.sheet_table import read_xlsx

        plan = import_tables(*read_xlsx(data), "Excel 表格", year, responsible)
    elif suffix in (".html", ".htm"):
        from zwgk_cli.office.sheet_table import read_html

        plan = import_tables(*read_html(data.decode("utf-8", "replace")), "网页", year, responsible)
    else:
        kind = next((what for magic, what in _BINARY.items() if data.startswith(magic)), None)
        if kind is not None:
            raise ImportFailed(
                f"{source}: 这个文件{kind}，不是文本。zwgk import 可读取 .docx、.xlsx、.html "
                "或复制出的表格文本；请确认扩展名正确，旧版 .doc、.xls 请另存为 .docx、.xlsx"
            )
        try:
            plan = import_text(data.decode("utf-8"), year, responsible)
        except UnicodeDecodeError:
            raise ImportFailed(
                f"{source}: 不是 UTF-8 编码的文本；可用 iconv -f GBK -t UTF-8 转换后再导入"
            ) from None
    text = to_yaml(plan, source.name, today, region, year)
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
    return PlanFile(text, plan.tasks, [*plan.notes, *warnings])
