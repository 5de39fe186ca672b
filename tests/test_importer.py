"""zwgk import: the seed text and a .docx of the same table give the bundled plan's tasks."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import BUNDLED, FIXTURES, Run, told_as_user_error
from zwgk_cli.intake.importer import HEADERS, guess_kind

SEED = FIXTURES / "seed.txt"


def bundled_tasks() -> list[dict[str, object]]:
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))["tasks"]  # type: ignore[no-any-return]


def imported(run: Run, source: Path, *args: str) -> tuple[dict[str, object], str]:
    result = run("import", str(source), "--today", "2026-11-29", *args)
    assert result.exit_code == 0, result.output
    return yaml.safe_load(result.stdout), result.stderr


def test_seed_text_gives_the_bundled_tasks(run: Run) -> None:
    plan, notes = imported(run, SEED)
    assert plan["tasks"] == bundled_tasks()
    bundled = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    assert plan["units"] == bundled["units"]
    assert sorted(plan["groups"], key=str) == sorted(bundled["groups"], key=str)
    assert plan["kinds"] == bundled["kinds"]
    assert plan["title"] == "基层政务公开标准化规范化及政务公开工作任务进度安排"
    # Every guess is reported with its line.
    assert "行 28：“区教育局市公安局屯留分局”拆分为 区教育局、市公安局屯留分局" in notes
    assert "行 28：“区司法局区财政局”拆分为 区司法局、区财政局" in notes
    assert "行 70：“区直各有关部门同（3）”拆分为 区直各有关部门、同（3）" in notes
    assert "单位“区税务局”的类别推定为 垂直管理部门" in notes
    groups = "各乡镇（区）人民政府（管理中心）、区直各有关单位、区直各有关部门等"
    assert f"单位组 4 个没有列出成员（{groups}）" in notes


def test_an_imported_plan_is_known_by_an_id_made_from_its_table(run: Run, tmp_path: Path) -> None:
    """Issue 23.11: the plan id the feedback forms record. The same table imported again (on
    another day) is the same plan; the same title over other rows is another plan."""
    plan, _ = imported(run, SEED)
    assert re.fullmatch(r"[0-9a-f]{12}", str(plan["plan_id"]))
    again = run("import", str(SEED), "--today", "2027-01-05")
    assert yaml.safe_load(again.stdout)["plan_id"] == plan["plan_id"]
    other = tmp_path / "seed.txt"
    other.write_text(
        SEED.read_text(encoding="utf-8").replace("2020年7月下旬", "2020年7月中旬", 1), encoding="utf-8"
    )
    changed, _ = imported(run, other)
    assert changed["title"] == plan["title"] and changed["plan_id"] != plan["plan_id"]


def test_an_id_of_digits_alone_is_written_so_that_it_reads_back_as_text(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One plan id in about 280 is twelve digits, which YAML reads as a number: the imported
    plan failed its own check (plan_id 应为文本)."""
    import hashlib

    from zwgk_cli.intake import plan_yaml

    class Digits:
        def __init__(self, data: bytes) -> None:
            self.real = hashlib.sha256(data)

        def hexdigest(self) -> str:
            return "1" + "".join(str(int(c, 16) % 10) for c in self.real.hexdigest())

    monkeypatch.setattr(plan_yaml, "hashlib", type("H", (), {"sha256": Digits}))
    target = tmp_path / "plan.yaml"
    assert run("import", str(SEED), "-o", str(target)).exit_code == 0
    written = re.search(r"^plan_id: (\S+)  #", target.read_text(encoding="utf-8"), re.MULTILINE)
    assert written and re.fullmatch(r'"1[0-9]{11}"', written[1])
    assert run("check", str(target)).exit_code == 0
    shown = run("show", "1", "--file", str(target), "--today", "2020-08-01", "--format", "json")
    assert shown.exit_code == 0, shown.output


def test_output_file_passes_check_and_is_not_overwritten(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    result = run("import", str(SEED), "-o", str(target), "--region", "屯留区")
    assert result.exit_code == 0, result.output
    assert "已导入 25 项任务" in result.stderr and result.stdout == ""
    assert run("check", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 基层政务公开") and "从 seed.txt 导入" in text and "region: 屯留区" in text
    again = run("import", str(SEED), "-o", str(target))
    assert again.exit_code == 6 and "--force" in again.stderr
    assert target.read_text(encoding="utf-8") == text


def seed_cells() -> list[list[list[str]]]:
    """The seed's rows with each cell as its lines (a cell may run over several), headers kept."""
    rows: list[list[list[str]]] = []
    fresh = True
    for line in SEED.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("\t"):
            if fresh:
                rows.append([])
                fresh = False
            rows[-1].append([line[1:].strip()])
        elif not line.strip():
            fresh = True
        else:
            rows[-1][-1].append(line.strip())
            fresh = False
    return rows


def make_docx(rows: list[list[list[str]]], *, header: bool = True) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("基层政务公开标准化规范化及政务公开工作任务进度安排")
    table = document.add_table(rows=0, cols=6)
    table.style = "Table Grid"  # ruled, as issued tables are (a PDF made from it shows the lines)
    previous_header = True
    for row in rows if header else [r for r in rows if r[0][0] != "序号"]:
        cells = table.add_row().cells
        for cell, lines in zip(cells, row, strict=True):
            cell.text = lines[0]
            for more in lines[1:]:
                cell.add_paragraph(more)  # a cell broken over lines: paragraphs inside the cell
        is_header = row[0][0] == "序号"
        index = len(table.rows) - 1
        if not is_header and not previous_header and not row[0][0]:
            for column in (0, 1):  # 序号 and 工作任务 continue the cell above: merge them
                top = table.cell(index - 1, column)
                top.merge(table.cell(index, column))
        previous_header = is_header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_gives_the_same_tasks(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "进度安排.docx"
    source.write_bytes(make_docx(seed_cells()))
    plan, _ = imported(run, source)
    assert plan["tasks"] == bundled_tasks()


def test_docx_headers_matched_by_name_not_position(run: Run, tmp_path: Path) -> None:
    order = [5, 0, 2, 1, 3, 4]  # 完成时间 first
    rows = [[row[i] for i in order] for row in seed_cells()]
    source = tmp_path / "reordered.docx"
    source.write_bytes(make_docx(rows))
    plan, _ = imported(run, source)
    assert plan["tasks"] == bundled_tasks()


def bad(run: Run, tmp_path: Path, name: str, content: str | bytes) -> str:
    source = tmp_path / name
    source.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    target = tmp_path / "out.yaml"
    result = run("import", str(source), "-o", str(target))
    told_as_user_error(result, 4)
    assert not target.exists()  # never a partial file
    return result.stderr


HEAD = "标题\n\n" + "".join(f"\t{h}\n" for h in HEADERS) + "\n"


def test_a_row_short_of_a_cell_is_aligned_by_content_with_a_warning(run: Run, tmp_path: Path) -> None:
    """One cell missing never refuses the table: the cells go where what they hold fits (the
    date to 完成时间, the unit to the units that do the task), and the row is named."""
    source = tmp_path / "five.txt"
    source.write_text(HEAD + "\t1\n\t组织实施\n\t（1）成立\n\t区司法局\n\t2020年7月下旬\n", encoding="utf-8")
    result = run("import", str(source), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 0, result.output
    assert "行 10：这一行有 5 个单元格，表格有 6 列，按内容对齐" in result.stderr
    plan = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    task = plan["tasks"][0]
    assert (task["title"], task["responsible"], task["deadline"]) == ("成立", ["区司法局"], "2020年7月下旬")
    assert "supervising" not in task


def test_table_without_header(run: Run, tmp_path: Path) -> None:
    text = "\t1\n\t组织实施\n\t（1）成立\n\t区司法局\n\t区政府办公室\n\t2020年7月下旬\n"
    assert "没有找到表格的表头：表头至少要有任务内容一列" in bad(run, tmp_path, "nohead.txt", text)


def test_empty_file(run: Run, tmp_path: Path) -> None:
    assert "文件是空的" in bad(run, tmp_path, "empty.txt", "")


def test_bad_deadline_names_its_row(run: Run, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "\t2020年10月中旬\n\n\t\n\t\n\t（13）", "\t2020年13月中旬\n\n\t\n\t\n\t（13）"
    )
    message = bad(run, tmp_path, "deadline.txt", text)
    assert "行 108：完成时间“2020年13月中旬”无法识别：月份应在 1 到 12 之间" in message


def test_docx_without_table(run: Run, tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("没有表格")
    buffer = io.BytesIO()
    document.save(buffer)
    assert "Word 文档中没有找到表格的表头" in bad(run, tmp_path, "none.docx", buffer.getvalue())


def test_broken_docx(run: Run, tmp_path: Path) -> None:
    assert "无法打开 Word 文档" in bad(run, tmp_path, "broken.docx", b"PK\x03\x04 not really a zip")


def test_same_as_above_and_missing_number(run: Run, tmp_path: Path) -> None:
    text = HEAD + (
        "\t1\n\t组织实施\n\t（1）成立\n\t区司法局\n\t区政府办公室\n\t2020年7月下旬\n\n"
        "\t\n\t\n\t出台方案\n\t区财政局\n\t同上\n\t2020年8月\n"
    )
    source = tmp_path / "guess.txt"
    source.write_text(text, encoding="utf-8")
    plan, notes = imported(run, source)
    assert plan["tasks"][1]["id"] == 2 and plan["tasks"][1]["supervising"] == ["同（1）"]
    assert "行 19：具体任务没有“（N）”序号，按顺序编为 2" in notes
    assert "行 21：“同上”读作 同（1）" in notes


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("麟绛街道办事处", "街道"),
        ("市公安局屯留分局", "市直派驻机构"),
        ("区税务局", "垂直管理部门"),
        ("区政府信息中心", "区直事业单位"),
        ("区司法局", "区直部门"),
        ("余吾镇人民政府", "乡镇"),
        ("某协会", "其他"),
    ],
)
def test_guess_kind(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


def test_a_broken_workbook_is_named_as_a_workbook(run: Run, tmp_path: Path) -> None:
    said = bad(run, tmp_path, "broken.xlsx", b"PK\x03\x04 not really a zip")
    assert "无法打开 Excel 表格：不是有效的 .xlsx 文件" in said and "Word" not in said


def test_import_year_reaches_the_deadline_check(run: Run, tmp_path: Path) -> None:
    """A table saying 7月下旬 imports with --year 2020 (it failed with 缺少年份)."""
    source = tmp_path / "t.txt"
    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8").replace("2020年7月下旬", "7月下旬")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "p.yaml"
    result = run("import", str(source), "-o", str(out), "--year", "2020")
    assert result.exit_code == 0, result.output
    data = json.loads(run("list", "-f", str(out), "--today", "2020-08-01", "--format", "json").stdout)
    first = next(t for t in data if t["deadline"] == "7月下旬")
    assert (first["due_start"], first["due_end"]) == ("2020-07-21", "2020-07-31")


def test_import_without_year_still_names_the_missing_year(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "t.txt"
    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8").replace("2020年7月下旬", "7月下旬")
    source.write_text(text, encoding="utf-8")
    result = run("import", str(source), "-o", str(tmp_path / "t.yaml"))
    # Kept as written, with no fixed date until a year is known, and the row named (issue 22).
    assert result.exit_code == 0, result.output
    assert "完成时间“7月下旬”无法识别（缺少年份" in result.stderr and "暂按没有固定日期跟踪" in result.stderr
    assert "deadline: 7月下旬" in (tmp_path / "t.yaml").read_text(encoding="utf-8")


def test_import_names_an_excel_file_as_such(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from openpyxl import Workbook

    book = tmp_path / "plan.txt"  # a workbook under a text file's name
    Workbook().save(book)
    result = run("import", str(book))
    assert result.exit_code == 4
    assert "Office 文档" in result.stderr and "UTF-8" not in result.stderr
    real = tmp_path / "plan.xlsx"  # under its own name it is read as a workbook
    Workbook().save(real)
    result = run("import", str(real))
    assert result.exit_code == 4 and "Excel 表格中没有找到表格的表头" in result.stderr
