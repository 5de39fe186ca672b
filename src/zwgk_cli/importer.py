"""Read a plan from the issued document: its table as extracted text, or the .docx itself.

The table has six columns (序号, 工作任务, 具体任务, 主体责任单位, 主管单位, 完成时间).
Everything the importer has to guess is reported as ``行 N：…`` so that a person can
review it; anything it cannot read is an error naming the row, and no plan is produced.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from zwgk_cli.deadlines import DeadlineError, parse_deadline
from zwgk_cli.errors import ImportFailed
from zwgk_cli.store import read_regular
from zwgk_cli.units import Splitter, parse_ref
from zwgk_cli.validate import without_invisible

__all__ = [
    "HEADERS",
    "ImportFailed",
    "Imported",
    "import_docx",
    "import_text",
    "read_plan_document",
    "to_yaml",
]

HEADERS = ("序号", "工作任务", "具体任务", "主体责任单位", "主管单位", "完成时间")
_NUMBER = re.compile(r"^\s*[（(]\s*(\d+)\s*[）)]\s*")
_SAME_AS_ABOVE = "同上"
# Kinds in the order the plan file lists them; each guessed from how a unit's name ends.
KIND_ORDER = ("区直部门", "区直事业单位", "市直派驻机构", "垂直管理部门", "街道", "乡镇", "其他")
_GROUP_KINDS = {
    "各级各部门": list(KIND_ORDER[:-1]),
    "区直各有关单位": ["区直部门", "区直事业单位"],
    "区直各有关部门": ["区直部门"],
}


@dataclass
class _Row:
    line: int  # where the row starts: a line of the text, or a row of the Word table
    cells: list[str]
    lines: list[int] = field(default_factory=list)  # where each cell starts

    def at(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


@dataclass
class Imported:
    """The plan read from a document, as plain data in the plan file's key order."""

    title: str
    tasks: list[dict[str, object]]
    units: list[dict[str, str]]
    groups: list[dict[str, Any]]
    kinds: list[str]
    notes: list[str] = field(default_factory=list)


def _text_rows(text: str) -> tuple[str, list[_Row]]:
    """Cells start with a tab; a line without one continues the cell before it (even after a
    blank line); a blank line followed by a tab line ends the row."""
    rows: list[_Row] = []
    title_lines: list[str] = []
    fresh = True
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("\t"):
            if fresh:
                rows.append(_Row(number, []))
                fresh = False
            rows[-1].cells.append(line[1:])
            rows[-1].lines.append(number)
        elif not line.strip():
            fresh = True
        elif rows:
            rows[-1].cells[-1] += line.strip()
            fresh = False
        else:
            title_lines.append(line.strip())
    return "".join(title_lines), rows


def _docx_rows(data: bytes) -> tuple[str, list[_Row]]:
    from zwgk_cli.docx_table import read_docx

    title, tables = read_docx(data)
    for table in tables:
        rows = [_Row(i, cells) for i, cells in enumerate(table, start=1)]
        if any(_header_order(r.cells) for r in rows):
            return title, rows
    raise ImportFailed(f"Word 文档中没有找到带“{'、'.join(HEADERS)}”表头的表格")


def _header_order(cells: list[str]) -> list[int] | None:
    """Positions of the six headers in ``cells`` (matched by name), or None if not a header."""
    names = [re.sub(r"\s+", "", c) for c in cells]
    if not set(HEADERS) <= set(names):
        return None
    return [names.index(h) for h in HEADERS]


def _table(rows: list[_Row]) -> list[_Row]:
    """Data rows in header order, header repeats (page breaks) dropped, merged cells carried down."""
    order: list[int] | None = None
    data: list[_Row] = []
    problems: list[str] = []
    for row in rows:
        found = _header_order(row.cells)
        if found is not None:
            order = order or found
            continue
        if order is None:
            problems.append(f"行 {row.line}：在表头（{'、'.join(HEADERS)}）之前出现了数据行")
            break
        if len(row.cells) != len(HEADERS) and len(row.cells) <= max(order):
            problems.append(f"行 {row.line}：应有 {len(HEADERS)} 个单元格，这一行有 {len(row.cells)} 个")
            continue
        data.append(_Row(row.line, [row.cells[i].strip() for i in order], [row.at(i) for i in order]))
    if order is None and not problems:
        problems.append(f"没有找到表头：表格应有“{'、'.join(HEADERS)}”六列")
    if problems:
        raise ImportFailed("\n".join(problems))
    if not data:
        raise ImportFailed("表格中没有任务")
    return data


def _strip_invisible(rows: list[_Row], notes: list[str]) -> None:
    """Control and invisible characters copied along with a table are dropped, each reported."""
    for row in rows:
        for index, cell in enumerate(row.cells):
            cleaned = without_invisible(cell)
            if cleaned != cell:
                row.cells[index] = cleaned
                notes.append(f"行 {row.at(index)}：删除了{HEADERS[index]}中的不可见字符或控制字符")


def _carry_down(rows: list[_Row], notes: list[str]) -> None:
    for above, row in itertools.pairwise(rows):
        for index, cell in enumerate(row.cells):
            if not cell:
                row.cells[index] = above.cells[index]
                if index >= 2:  # 序号 and 工作任务 are merged cells; elsewhere it is a guess
                    notes.append(
                        f"行 {row.at(index)}：{HEADERS[index]}为空，沿用上一行“{above.cells[index]}”"
                    )


def _units(cell: str, splitter: Splitter, line: int, task_ids: list[int], notes: list[str]) -> list[str]:
    names = []
    for piece in (p for p in re.split(r"[、，,\s\u3000]+", cell) if p):
        parts = splitter.split(piece)
        if len(parts) > 1:
            notes.append(f"行 {line}：“{piece}”拆分为 {'、'.join(parts)}")
        for name in parts:
            ref = parse_ref(name)
            if name == _SAME_AS_ABOVE and task_ids:
                ref = task_ids[-1]
                notes.append(f"行 {line}：“同上”读作 同（{ref}）")
            names.append(f"同（{ref}）" if ref is not None else name)
    return names


def guess_kind(name: str) -> str:
    if name.endswith("街道办事处"):
        return "街道"
    if re.search(r"(乡|镇)(人民政府)?$", name):
        return "乡镇"
    if name.startswith("市") and name.endswith("分局"):
        return "市直派驻机构"
    if name.endswith("税务局"):
        return "垂直管理部门"
    if name.endswith("中心"):
        return "区直事业单位"
    if name.startswith(("区", "县")):
        return "区直部门"
    return "其他"


def _is_group(name: str) -> bool:
    return name.startswith("各") or "各有关" in name


def _plan(title: str, rows: list[_Row], year: int | None = None) -> Imported:
    notes: list[str] = []
    problems: list[str] = []
    _strip_invisible(rows, notes)
    _carry_down(rows, notes)
    splitter = Splitter(p for r in rows for c in r.cells[3:5] for p in re.split(r"[、，,\s\u3000]+", c) if p)
    tasks: list[dict[str, object]] = []
    ids: list[int] = []
    seen: set[int] = set()
    for row in rows:
        _number, category, text, responsible, supervising, deadline = row.cells
        m = _NUMBER.match(text)
        if m:
            task_id, text = int(m.group(1)), text[m.end() :]
        else:
            task_id = (ids[-1] + 1) if ids else 1
            notes.append(f"行 {row.at(2)}：具体任务没有“（N）”序号，按顺序编为 {task_id}")
        if task_id in seen:
            problems.append(f"行 {row.at(2)}：序号 {task_id} 重复")
        try:
            parse_deadline(deadline, year)
        except DeadlineError as exc:
            problems.append(f"行 {row.at(5)}：完成时间“{deadline}”无法识别：{exc}")
        tasks.append(
            {
                "id": task_id,
                "category": category,
                "title": text,
                "responsible": _units(responsible, splitter, row.at(3), ids, notes),
                "supervising": _units(supervising, splitter, row.at(4), ids, notes),
                "deadline": deadline,
                "status": "open",
            }
        )
        ids.append(task_id)
        seen.add(task_id)
    if problems:
        raise ImportFailed("\n".join(problems))
    return _registry(title, tasks, notes)


def _registry(title: str, tasks: list[dict[str, object]], notes: list[str]) -> Imported:
    found: dict[str, None] = {}  # in order of first appearance
    for task in tasks:
        for key in ("responsible", "supervising"):
            value = task[key]
            assert isinstance(value, list)
            found.update((n, None) for n in value if parse_ref(n) is None)
    names = list(found)
    units = [{"name": n, "kind": guess_kind(n)} for n in names if not _is_group(n)]
    groups: list[dict[str, Any]] = []
    for name in (n for n in names if _is_group(n)):
        kinds = _GROUP_KINDS.get(name) or (["乡镇"] if "乡镇" in name else [])
        groups.append({"name": name, "kinds": kinds, "members": []})
        notes.append(f"单位组“{name}”：按类别 {'、'.join(kinds) or '（无）'} 包含单位，成员未列出")
    for unit in units:
        notes.append(f"单位“{unit['name']}”的类别推定为 {unit['kind']}")
    used = {u["kind"] for u in units} | {k for g in groups for k in g["kinds"]}
    kinds = [k for k in KIND_ORDER if k in used]
    return Imported(title, tasks, units, groups, kinds, notes)


def import_text(text: str, year: int | None = None) -> Imported:
    """The plan in text extracted from the document (tab-started cells)."""
    if not text.strip():
        raise ImportFailed("文件是空的")
    title, rows = _text_rows(text.removeprefix("\ufeff"))
    return _plan(title, _table(rows), year)


def import_docx(data: bytes, year: int | None = None) -> Imported:
    """The plan in the first table of a .docx that has the six headers."""
    title, rows = _docx_rows(data)
    return _plan(title, _table(rows), year)


# Files that are not text, known by their first bytes: what they are, and what to do.
_BINARY = {
    b"PK\x03\x04": "是 Office 文档（.xlsx 或 .docx 等压缩格式）",
    b"\xd0\xcf\x11\xe0": "是旧版 Office 文档（.doc 或 .xls）",
    b"%PDF": "是 PDF 文件",
}


def to_yaml(
    plan: Imported, source: str, today: date, region: str | None = None, year: int | None = None
) -> str:
    """The plan file, in the same form as data/schedule.yaml."""
    from zwgk_cli.edits import scalar

    def flow(values: list[str]) -> str:
        return "[" + ", ".join(scalar(v) for v in values) + "]"

    out = [
        f"# {plan.title}",
        f"# 由 zwgk import 于 {today} 从 {source} 导入。导入时推定的内容已在命令输出中列出，请核对。",
        f"title: {scalar(plan.title or '（未命名计划）')}",
    ]
    if region:
        out.append(f"region: {scalar(region)}")
    out.append(f"source: {scalar(source)}")
    if year:
        out.append(f"year: {year}")
    out += [
        "",
        "# 单位类别：单位登记表中的每个单位属于其中一类，单位组可按类别包含单位。",
        f"kinds: {flow(plan.kinds)}",
        "",
        "# 单位登记表：任务中出现的每个单位登记一次。",
        "units:",
    ]
    out += [f"  - {{name: {scalar(u['name'])}, kind: {scalar(u['kind'])}}}" for u in plan.units]
    out += [
        "",
        "# 单位组：原表没有列出成员的，members 留空，不作补充。",
        "groups:" + ("" if plan.groups else " []"),
    ]
    for group in plan.groups:
        out += [f"  - name: {scalar(group['name'])}", f"    kinds: {flow(group['kinds'])}", "    members: []"]
    out += ["", "tasks:"]
    for task in plan.tasks:
        out += [
            f"  - id: {task['id']}",
            f"    category: {scalar(str(task['category']))}",
            f"    title: {scalar(str(task['title']))}",
            f"    responsible: {flow(task['responsible'])}",  # type: ignore[arg-type]
            f"    supervising: {flow(task['supervising'])}",  # type: ignore[arg-type]
            f"    deadline: {scalar(str(task['deadline']))}",
            "    status: open",
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


@dataclass(frozen=True)
class PlanFile:
    """An imported plan file, checked by the same loader as every plan."""

    yaml: str
    tasks: list[dict[str, object]]
    notes: list[str]


def read_plan_document(source: Path, region: str | None, year: int | None, today: date) -> PlanFile:
    """Import ``source`` (.docx, or extracted text) and check the plan file it becomes."""
    from zwgk_cli.validate import build_schedule
    from zwgk_cli.yamltree import ProblemList, read_tree

    data = read_regular(source, "文档")
    if source.suffix.lower() == ".docx":
        plan = import_docx(data, year)
    else:
        kind = next((what for magic, what in _BINARY.items() if data.startswith(magic)), None)
        if kind is not None:
            raise ImportFailed(
                f"{source}: 这个文件{kind}，不是文本。zwgk import 可读取 .docx 或从文档复制出的表格文本；"
                "Excel 表格请另存为“文本文件（制表符分隔）”后再导入"
            )
        try:
            plan = import_text(data.decode("utf-8"), year)
        except UnicodeDecodeError:
            raise ImportFailed(
                f"{source}: 不是 UTF-8 编码的文本；可用 iconv -f GBK -t UTF-8 转换后再导入"
            ) from None
    text = to_yaml(plan, source.name, today, region, year)
    try:
        tree = read_tree(text)
    except ProblemList as exc:
        raise ImportFailed("导入的计划未通过校验：\n" + "\n".join(p.message for p in exc.problems)) from None
    schedule, findings = build_schedule(tree.data, tree.surprises)
    if schedule is None:
        errors = [f.message for f in findings if not f.warning]
        raise ImportFailed("导入的计划未通过校验：\n" + "\n".join(errors))
    return PlanFile(text, plan.tasks, plan.notes)
