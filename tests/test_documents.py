"""The documents an office sends (issue 25): notices and bulletins in the official format of
GB/T 9704-2012, checked in their XML and rendered by LibreOffice as a reader would see them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, Run

SUPERVISED = FIXTURES / "supervised.yaml"


def notice(run: Run, tmp_path: Path) -> Path:
    out = tmp_path / "催办"
    result = run("remind", "-o", str(out), "-f", str(SUPERVISED), "--today", "2020-08-03")
    assert result.exit_code == 0, result.output
    return out / "催办通知-区教育局.docx"


def test_the_page_is_a4_with_the_standards_margins_and_page_numbers(run: Run, tmp_path: Path) -> None:
    with zipfile.ZipFile(notice(run, tmp_path)) as document:
        body = document.read("word/document.xml").decode("utf-8")
        settings = document.read("word/settings.xml").decode("utf-8")
        footers = [document.read(n).decode("utf-8") for n in document.namelist() if "footer" in n]
    size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', body)
    assert size is not None and (int(size.group(1)), int(size.group(2))) == (11906, 16838)  # A4 in twips
    margins = dict(
        re.findall(r'w:(top|bottom|left|right)="(\d+)"', re.search(r"<w:pgMar[^>]*>", body).group())
    )  # type: ignore[union-attr]
    mm = {side: round(int(value) / 1440 * 25.4) for side, value in margins.items()}
    assert mm == {"top": 37, "bottom": 35, "left": 28, "right": 26}
    assert "<w:evenAndOddHeaders/>" in settings
    numbered = [f for f in footers if "PAGE" in f]
    assert len(numbered) == 2 and all("— " in f and " —" in f for f in numbered)
    assert (
        '<w:jc w:val="right"/>' in numbered[0] + numbered[1]
        and '<w:jc w:val="left"/>' in numbered[0] + numbered[1]
    )
    assert "<w:tblHeader/>" in body and "<w:cantSplit/>" in body  # the task list prints well
    assert 'w:eastAsia="仿宋_GB2312"' in body and 'w:eastAsia="方正小标宋简体"' in body


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice 未安装：不渲染为 PDF 检查")
def test_the_notice_renders_on_a4_with_its_text(run: Run, tmp_path: Path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    source = notice(run, tmp_path)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with pdfplumber.open(tmp_path / f"{source.stem}.pdf") as pdf:
        first = pdf.pages[0]
        assert (round(first.width), round(first.height)) == (595, 842)  # A4 in points
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert "关于督促落实" in text and "区教育局" in text and "— 1 —" in text


def test_workbooks_print_on_a4_landscape_one_page_wide_with_their_header(run: Run, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert (
        run("export", str(tmp_path / "进度.xlsx"), "-f", str(SUPERVISED), "--today", "2020-08-03").exit_code
        == 0
    )
    made = run(
        "export",
        "--feedback",
        "-u",
        "区教育局",
        "-o",
        str(tmp_path / "表"),
        "-f",
        str(SUPERVISED),
        "--today",
        "2020-08-03",
    )
    assert made.exit_code == 0
    (form,) = (tmp_path / "表").glob("*.xlsx")
    for path in (tmp_path / "进度.xlsx", form):
        book = openpyxl.load_workbook(path)
        for sheet in (s for s in book.worksheets if s.sheet_state == "visible"):
            setup = sheet.page_setup
            assert (int(setup.paperSize), setup.orientation) == (9, "landscape"), (path.name, sheet.title)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (
                1,
                0,
            )
            assert sheet.print_title_rows and sheet.print_title_rows.startswith("$1:$")


def test_table_columns_are_as_wide_as_what_they_hold(run: Run, tmp_path: Path) -> None:
    """Issue 25: every column was equally wide (序号 as wide as 具体任务, which wrapped onto six
    lines); now each takes a share by its longest text, within the 156 mm of the 版心."""
    import docx

    table = docx.Document(str(notice(run, tmp_path))).tables[0]
    widths = [round(column.width.mm) for column in table.columns]
    headers = [c.text for c in table.rows[0].cells]
    assert headers == ["序号", "具体任务", "完成时间", "逾期情况"]
    assert widths[0] == min(widths) and len(set(widths)) > 1 and sum(widths) <= 156
    out = tmp_path / "通报.docx"
    assert run("bulletin", "-o", str(out), "-f", str(SUPERVISED), "--today", "2020-08-03").exit_code == 0
    table = docx.Document(str(out)).tables[0]
    units = [row.cells[0].text for row in table.rows[1:]]
    first = table.columns[0].width.mm
    assert first >= max(len(u) for u in units) * 12 * 25.4 / 72  # 小四 characters: each on one line


def test_the_readme_shows_a_rendered_notice_and_bulletin() -> None:
    """Issue 25: the README shows a page of each, rendered by LibreOffice (tests/render_pages.py)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("催办通知", "通报"):
        image = ROOT / "docs" / "images" / f"{name}.png"
        assert f"(docs/images/{name}.png)" in readme
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
