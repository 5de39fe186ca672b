"""zwgk import of the file forms notices are published in (issue 22): PDF read by pdfplumber,
and .doc, .wps, .odt, .xls, .et and .ods converted by LibreOffice run headless. Each was made
from the 屯留区 table by LibreOffice itself, as an office saves it (``tests/office_fixtures.py``
makes them anew), and must give exactly the bundled plan's tasks; where LibreOffice is
missing, the tests that need it skip and say why."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, Run
from office_fixtures import NAME, seed_workbook
from test_importer import bundled_tasks, imported

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice 未安装（apt install libreoffice-writer-nogui libreoffice-calc-nogui）",
)
# WPS's .wps is a Word 97 file by another name, its .et an Excel 97 file.
SAVED_AS = {
    ".doc": "doc",
    ".wps": "doc",
    ".odt": "odt",
    ".pdf": "pdf",
    ".xls": "xls",
    ".et": "xls",
    ".ods": "ods",
}


def saved(tmp_path: Path, suffix: str) -> Path:
    """The 屯留区 table as an office saved it, under the name ``进度安排{suffix}``."""
    source = tmp_path / f"{NAME}{suffix}"
    shutil.copyfile(FIXTURES / "office" / f"{NAME}.{SAVED_AS[suffix]}", source)
    return source


@pytest.mark.parametrize(
    "suffix", [pytest.param(s, marks=needs_soffice) for s in (".doc", ".wps", ".odt")] + [".pdf"]
)
def test_word_forms_and_pdf_give_the_bundled_tasks(run: Run, tmp_path: Path, suffix: str) -> None:
    if suffix == ".pdf":
        pytest.importorskip("pdfplumber")
    plan, notes = imported(run, saved(tmp_path, suffix), "--region", "屯留区")
    assert plan["tasks"] == bundled_tasks()
    assert "各列的读法" not in notes  # every column is read by its own name: nothing to explain


@needs_soffice
@pytest.mark.parametrize("suffix", [".xls", ".et", ".ods"])
def test_spreadsheet_forms_give_the_bundled_tasks(run: Run, tmp_path: Path, suffix: str) -> None:
    plan, _ = imported(run, saved(tmp_path, suffix))
    assert plan["tasks"] == bundled_tasks()
    assert plan["title"] == "基层政务公开标准化规范化及政务公开工作任务进度安排"


def test_the_workbook_itself_gives_the_bundled_tasks(run: Run, tmp_path: Path) -> None:
    plan, _ = imported(run, seed_workbook(tmp_path / f"{NAME}.xlsx"))
    assert plan["tasks"] == bundled_tasks()


def test_without_libreoffice_the_message_says_how_to_go_on(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZWGK_SOFFICE", "no-such-office-program")
    source = tmp_path / "分工.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = run("import", str(source), "-o", str(tmp_path / "p.yaml"))
    assert result.exit_code == 4 and not (tmp_path / "p.yaml").exists()
    assert "读取 .doc 文件需要 LibreOffice" in result.stderr
    assert "apt install libreoffice-writer-nogui libreoffice-calc-nogui" in result.stderr
    assert "另存为 .docx 后再导入" in result.stderr


@needs_soffice
def test_a_damaged_file_is_named_not_a_traceback(run: Run, tmp_path: Path) -> None:
    source = tmp_path / "分工.xls"
    source.write_bytes(b"not a workbook at all")
    result = run("import", str(source), "-o", str(tmp_path / "p.yaml"))
    assert result.exit_code == 4 and "分工.xls" in result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_a_scanned_pdf_says_it_has_no_text(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    source = tmp_path / "scan.pdf"
    source.write_bytes(_blank_pdf())
    result = run("import", str(source))
    assert result.exit_code == 4 and "这个 PDF 中没有文字（多是扫描件" in result.stderr


def test_a_broken_pdf_is_named(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("pdfplumber")
    source = tmp_path / "broken.pdf"
    source.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    result = run("import", str(source))
    assert result.exit_code == 4 and "无法读取这个 PDF 文件" in result.stderr


def _blank_pdf() -> bytes:
    """A one-page PDF with nothing on it (what a scan is, to a text reader)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table))
    return out.getvalue()
