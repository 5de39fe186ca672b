"""The 屯留区 table as offices save it (``tests/fixtures/office/``): made from the bundled plan's
cells by LibreOffice itself — a Word table saved by Writer as .odt, .doc and .pdf, and a
workbook (title merged across, 序号 and 工作任务 merged down) saved by Calc as .xls and .ods.
``python tests/office_fixtures.py`` makes them anew (LibreOffice needed); ``test_import_files``
imports each and must get exactly the bundled plan's tasks. They are stored rather than made
in every run because each LibreOffice start costs more than the import it feeds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "fixtures" / "office"
NAME = "进度安排"
MADE = ("odt", "doc", "pdf", "xls", "ods")


def office(source: Path, target: str, profile: Path) -> Path:
    """``source`` saved by LibreOffice as ``target`` (doc, pdf, xls, ods …), beside it."""
    folder = source.parent / target
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(folder), str(source)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    made = folder / f"{source.stem}.{target}"
    if done.returncode != 0 or not made.exists():
        raise RuntimeError(done.stderr.decode("utf-8", "replace"))
    return made


def seed_workbook(path: Path) -> Path:
    """The 屯留区 table as a workbook: a title row merged across, 序号 and 工作任务 merged down."""
    import openpyxl

    from test_importer import seed_cells

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["基层政务公开标准化规范化及政务公开工作任务进度安排"])
    sheet.merge_cells("A1:F1")
    start = 0
    for row in (r for r in seed_cells() if r[0][0] != "序号" or sheet.max_row == 1):
        sheet.append(["\n".join(lines) for lines in row])
        here = sheet.max_row
        if row[0][0] and row[0][0] != "序号":
            start = here
        elif start and here > start:
            for column in "AB":
                sheet[f"{column}{here}"].value = None
                sheet.merge_cells(f"{column}{start}:{column}{here}")
    book.save(path)
    return path


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_importer import make_docx, seed_cells

    FOLDER.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        here = Path(work)
        profile = here / "profile"
        docx = here / f"{NAME}.docx"
        docx.write_bytes(make_docx(seed_cells()))
        odt = office(docx, "odt", profile)
        made = [odt, office(odt, "doc", profile), office(odt, "pdf", profile)]
        book = seed_workbook(here / f"{NAME}.xlsx")
        made += [office(book, "xls", profile), office(book, "ods", profile)]
        for path in made:
            shutil.copyfile(path, FOLDER / path.name)
            print(FOLDER / path.name)


if __name__ == "__main__":
    main()
