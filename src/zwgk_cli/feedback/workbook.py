"""The feedback form as a workbook (.xlsx), and a returned form read back (.xlsx or .csv).

The form's sheet has the task columns locked and the four columns to fill unlocked (the sheet
is protected without a password: protection guards against slips, and ``collect`` checks the
locked cells anyway). 完成情况 is a drop-down, 完成日期 a date cell with validation. A very
hidden, protected sheet ``zwgk`` carries the form's identity. Reading is forgiving: the header
row is found by its names, rows are matched by task number wherever they are, merged cells
fill every cell they cover, dates come as date cells or as text.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import warnings
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from zwgk_cli.errors import UsageError
from zwgk_cli.feedback.forms import FORMAT, STATES, Column, Form
from zwgk_cli.office.book import book_bytes
from zwgk_cli.office.sheet_table import MAX_COLUMNS, MAX_ROWS, check_merges, sheet_grid
from zwgk_cli.office.zipstamp import fixed_zip_times
from zwgk_cli.patterns import lazy

__all__ = ["IDENTITY_SHEET", "Sent", "read_sent", "sent_files", "workbook"]

IDENTITY_SHEET = "zwgk"
_FIRST_ROW = 4  # the title, the instructions, the header, then the rows
_HELP = (
    "填写说明：只填写右侧“完成情况”“完成日期”“进展说明”“佐证材料”四列，其他列不可修改。"
    "完成情况选“已完成”时必须填写完成日期（如 2020-10-12）；佐证材料写文号、网址或随表报送的文件名，"
    "多项用“、”隔开。填好后原样发回，文件名可以改。"
)


def workbook(form: Form, plan_start: date | None) -> bytes:
    """``form`` as an .xlsx; the same form gives the same bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "反馈表"
    cols = form.columns
    sheet.append([f"{form.title}　反馈表（{form.unit}）"])
    sheet.append([f"{_HELP}导出日期：{form.exported.isoformat()}。"])
    sheet.append([c.header for c in cols])
    for line in form.lines:
        sheet.append([line.cells.get(c.key, "") if not c.editable else None for c in cols])
    last = _FIRST_ROW + len(form.lines) - 1
    fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(cols, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width * 2 + 2
        sheet.cell(3, index).font = Font(bold=True)
        for row in range(_FIRST_ROW, last + 1):
            cell = sheet.cell(row, index)
            cell.alignment = wrap
            cell.number_format = "@"  # text: a number stays as written
            if column.editable:
                cell.protection = Protection(locked=False)
                cell.fill = fill
    for cell in (sheet["A1"], sheet["A2"]):
        cell.alignment = Alignment(wrap_text=False)
    sheet["A1"].font = Font(bold=True, size=14)
    keys = [c.key for c in cols]
    if last >= _FIRST_ROW:
        state = get_column_letter(keys.index("state") + 1)
        listed = DataValidation(type="list", formula1='"' + ",".join(STATES) + '"', allow_blank=True)
        listed.error, listed.errorTitle = f"请从下拉列表中选择：{'、'.join(STATES)}", "完成情况"
        listed.showErrorMessage = True
        listed.add(f"{state}{_FIRST_ROW}:{state}{last}")
        finished = get_column_letter(keys.index("finished") + 1)
        start = plan_start or date(2000, 1, 1)
        first = f"DATE({start.year},{start.month},{start.day})"
        dated = DataValidation(type="date", operator="greaterThanOrEqual", formula1=first)
        dated.allow_blank = True
        dated.error, dated.errorTitle = f"请填写 {start.isoformat()} 以后的日期，如 2020-10-12", "完成日期"
        dated.showErrorMessage = True
        dated.add(f"{finished}{_FIRST_ROW}:{finished}{last}")
        for validation in (listed, dated):
            sheet.add_data_validation(validation)
        for row in range(_FIRST_ROW, last + 1):
            sheet[f"{finished}{row}"].number_format = "yyyy-mm-dd"
    # The header rows and the task stay in view while the clerk scrolls to the cells to fill.
    sheet.freeze_panes = f"{get_column_letter(keys.index('title') + 2)}{_FIRST_ROW}"
    _protect(sheet)
    _identity(book.create_sheet(IDENTITY_SHEET), form)
    stamp = datetime(form.exported.year, form.exported.month, form.exported.day)
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = book.properties.lastModifiedBy = "zwgk"
    return fixed_zip_times(book_bytes(book), stamp)


def _protect(sheet: Any) -> None:
    """Locked cells stay as exported; columns and rows may still be resized."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.formatCells = False


def _identity(sheet: Any, form: Form) -> None:
    sheet.append(["格式", FORMAT])
    sheet.append(["计划", form.title])
    if form.plan_id:
        sheet.append(["计划编号", form.plan_id])
    sheet.append(["计划版本", form.version])
    sheet.append(["单位", form.unit])
    sheet.append(["导出日期", form.exported.isoformat()])
    sheet.append(["序号", "期次", "任务版本"])
    for line in form.lines:
        sheet.append([str(line.task_id), line.period or "", line.fingerprint])
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


@dataclass(frozen=True)
class Sent:
    """A returned form as read: its identity (when it still has one) and its rows."""

    source: Path
    unit: str | None = None
    title: str | None = None
    plan_id: str | None = None
    version: str | None = None
    exported: date | None = None
    versions: dict[tuple[int, str | None], str] | None = None  # (task, period) -> fingerprint
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, cells)
    problem: str | None = None  # why the whole file cannot be read
    heading: str | None = None  # the unit the form's title row names (…反馈表（区司法局）)
    # Every place the file names its unit, first the one taken: (what names it, the name).
    claims: tuple[tuple[str, str], ...] = ()
    formulas: dict[int, tuple[str, ...]] = field(default_factory=dict)  # row -> columns with formulas


def _normal(header: str) -> str:
    return "".join(unicodedata.normalize("NFKC", header).split())


_HEADING = lazy(r"反馈表（(.+)）$")


def _heading(grid: list[list[str]]) -> str | None:
    """The unit the title row above the table names (``…　反馈表（区司法局）``), as sent."""
    for row in grid[:3]:
        found = _HEADING.search(row[0].strip()) if row else None
        if found:
            return found[1]
    return None


Header = tuple[int, dict[int, str]]  # the header row's index, and column index -> column key


def _formulas(sheet: Any, header: Header, cols: tuple[Column, ...]) -> dict[int, tuple[str, ...]]:
    """The form's rows with a formula in a column collect reads: row number -> those columns'
    headers. A formula's value is whatever the program that saved the file last computed (or
    nothing), never what the unit typed: such a row is refused, not read (issue 23.14)."""
    index, keys = header
    headers = {c.key: c.header for c in cols}
    found: dict[int, tuple[str, ...]] = {}
    for row in sheet.iter_rows(min_row=index + 2):
        for cell in row:
            key = keys.get(cell.column - 1)
            if key is not None and cell.data_type == "f":
                found[cell.row] = (*found.get(cell.row, ()), headers[key])
    return found


def _header(grid: list[list[str]], cols: tuple[Column, ...]) -> Header:
    """The header row (found by the column names): its index, and column index -> column key;
    (-1, {}) where there is none."""
    wanted = {_normal(c.header): c.key for c in cols}
    found = (
        (index, {i: wanted[_normal(c)] for i, c in enumerate(row) if _normal(c) in wanted})
        for index, row in enumerate(grid)
    )
    return next(((i, k) for i, k in found if {"id", "state"} <= set(k.values())), (-1, {}))


def _rows(grid: list[list[str]], header: Header) -> list[tuple[int, dict[str, str]]]:
    """The rows under the header row, by column key."""
    index, keys = header
    rows = []
    for number, row in enumerate(grid[index + 1 :], start=index + 2):
        cells = {key: row[i] for i, key in keys.items() if i < len(row)}
        if any(cells.values()):
            rows.append((number, cells))
    return rows


_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv")
_NAMED = lazy(r"反馈表-(.+?)-\d{4}-\d{2}-\d{2}")


def sent_files(paths: list[Path], unit: str | None = None) -> list[Path]:
    """The files to collect: those given, and the workbooks and CSV files in the folders given
    (not Excel's ``~$`` lock files), each once, in name order within a folder. ``unit``
    (``--unit``) names the unit of one file: given with several, every one would be taken as
    that unit's (issue 23.11)."""
    found = _sent_files(paths)
    if unit is not None and len(found) > 1:
        raise UsageError(
            f"--unit 只能在收集一个文件时使用（这里有 {len(found)} 个文件）：否则每个文件都会算作这个单位的。"
            "请逐个收集，或把文件名改成“反馈表-单位名-日期”"
        )
    return found


def _sent_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Not only regular files: a device or FIFO named like a form is refused by name when
            # it is read (never opened), not passed over in silence.
            inside = sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES and not p.is_dir())
            inside = [p for p in inside if not p.name.startswith(("~$", "."))]
            if not inside:
                raise UsageError(f"{path}: 文件夹中没有 .xlsx 或 .csv 文件")
            found += inside
        elif path.exists():  # a file, or a device or FIFO that reading refuses by name
            found.append(path)
        else:
            raise UsageError(f"{path}: 文件不存在，请检查文件名")
    return list(dict.fromkeys(found))


def read_sent(path: Path, cols: tuple[Column, ...], unit: str | None = None) -> Sent:
    """A returned form: a workbook (as zwgk wrote it, or re-saved by Excel, WPS, LibreOffice),
    or its table saved as .csv. A file that cannot be read comes back with ``problem`` set.
    Its unit is the one its identity sheet records, else ``unit`` (``--unit``), else the one its
    file name names, else the one its title row names; every one of them that is there is kept
    in ``claims``, and collect takes the form only where they all name the same unit."""
    sent = _read(path, cols)
    if sent.problem is not None:
        return sent
    named = _NAMED.search(path.stem)
    claims = tuple(
        (what, name)
        for what, name in (
            ("表中记录的单位", sent.unit),
            ("--unit 指定的单位", unit),
            ("文件名中的单位", named[1] if named else None),
            ("表头中的单位", sent.heading),
        )
        if name
    )
    return replace(sent, unit=claims[0][1] if claims else None, claims=claims)


def _read(path: Path, cols: tuple[Column, ...]) -> Sent:
    from zwgk_cli.errors import ZwgkError, os_reason
    from zwgk_cli.storage.store import read_regular

    try:
        data = read_regular(path, "反馈表")  # a regular file of bounded size: no FIFO, no 3 GB
    except ZwgkError as exc:
        return Sent(path, problem=str(exc).removeprefix(f"{path}: "))
    except OSError as exc:
        return Sent(path, problem=f"无法读取（{os_reason(exc)}）")
    if data.startswith(_XLS_MAGIC) or path.suffix.lower() in (".ods", ".xls", ".et"):
        # Saved by LibreOffice (.ods), or by older Excel and WPS: converted by LibreOffice.
        from zwgk_cli.errors import ImportFailed
        from zwgk_cli.office.convert import converted

        source = path.with_suffix(".xls") if data.startswith(_XLS_MAGIC) else path  # .xls named .xlsx
        try:
            _, data = converted(source, data, "收集")
        except ImportFailed as exc:
            return Sent(path, problem=str(exc).removeprefix(f"{source}: "))
    if data.startswith(b"PK"):
        return _read_book(path, data, cols)
    if path.suffix.lower() == ".csv":
        return _read_csv(path, data, cols)
    return Sent(path, problem="不是 .xlsx 或 .csv 文件，无法收集")


def _read_csv(path: Path, data: bytes, cols: tuple[Column, ...]) -> Sent:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return Sent(path, problem="无法识别文件的编码，请另存为 UTF-8 编码的 CSV 或 .xlsx")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Excel for Mac ends lines with CR alone
    try:
        grid = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:  # a cell over the csv module's 128 KiB, or a broken quote
        reason = "单元格过长（超过 128 KB）" if "field larger" in str(exc) else "格式有误"
        return Sent(path, problem=f"无法读取这个 CSV 文件：{reason}，请检查后另存为 .xlsx 再收集")
    if len(grid) > MAX_ROWS or any(len(row) > MAX_COLUMNS for row in grid):
        return Sent(path, problem=f"CSV 文件超过 {MAX_ROWS} 行或 {MAX_COLUMNS} 列，不像是反馈表")
    header = _header(grid, cols)
    if header[0] < 0:
        return Sent(path, problem=_no_header(cols))
    return Sent(path, rows=_rows(grid, header), heading=_heading(grid))


def _no_header(cols: tuple[Column, ...]) -> str:
    headers = "、".join(c.header for c in cols if c.key in ("id", "state"))
    return f"找不到反馈表的表头（应有 {headers} 等列），请使用 zwgk export --feedback 导出的表格"


def _read_book(path: Path, data: bytes, cols: tuple[Column, ...]) -> Sent:
    from openpyxl import load_workbook

    from zwgk_cli.errors import ImportFailed
    from zwgk_cli.office.docx_table import check_zip

    try:
        check_zip(data, "Excel 表格", ".xlsx")
        check_merges(data, "反馈表")
        with warnings.catch_warnings():  # openpyxl's notes on features it drops are English
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data))  # formulas as formulas: refused, not their values
    except ImportFailed as exc:
        return Sent(path, problem=str(exc))
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        return Sent(path, problem=f"无法打开（{type(exc).__name__}），请确认是 .xlsx 格式且没有损坏")
    try:
        identity = _read_identity(book[IDENTITY_SHEET]) if IDENTITY_SHEET in book.sheetnames else {}
        for sheet in book.worksheets:
            if sheet.title == IDENTITY_SHEET:
                continue
            grid = sheet_grid(sheet)
            header = _header(grid, cols)
            if header[0] >= 0:
                rows, formulas = _rows(grid, header), _formulas(sheet, header, cols)
                return Sent(path, rows=rows, heading=_heading(grid), formulas=formulas, **identity)
    except ImportFailed as exc:  # a sheet past the bounds: this file is refused, not the batch
        return Sent(path, problem=str(exc))
    return Sent(path, problem=_no_header(cols))


def _read_identity(sheet: Any) -> dict[str, Any]:
    grid = sheet_grid(sheet)
    pairs = {row[0]: row[1] for row in grid if len(row) >= 2}
    try:
        exported = date.fromisoformat(pairs.get("导出日期", ""))
    except ValueError:
        return {}  # not ours, or damaged: read the form as if it had no identity
    heading = next((i for i, row in enumerate(grid) if row[:1] == ["序号"]), len(grid))
    versions = {
        (int(row[0]), row[1] or None): row[2]
        for row in grid[heading + 1 :]
        if len(row) >= 3 and row[0].isdigit()
    }
    return {
        "unit": pairs.get("单位") or None,
        "title": pairs.get("计划"),
        "plan_id": pairs.get("计划编号") or None,
        "version": pairs.get("计划版本"),
        "exported": exported,
        "versions": versions,
    }
