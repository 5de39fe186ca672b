"""Render the first page of a 催办通知 and of a 通报 as the README shows them.

``python tests/render_pages.py`` writes ``docs/images/催办通知.png`` and ``docs/images/通报.png``:
the documents zwgk writes from ``tests/fixtures/supervised.yaml`` on 2020-08-03, turned into
PDF by LibreOffice run headless, the first page into PNG by pdfplumber (the fonts are whatever
the machine has; the standard's 方正小标宋简体 and 仿宋_GB2312 where installed). Run it again
after a change to the notices' layout; ``tests/test_documents.py`` checks the README shows them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PAGES = {"催办通知": ("remind", "-o", "out"), "通报": ("bulletin", "-o", "out/通报.docx")}


def render(folder: Path) -> dict[str, Path]:
    """Each document's first page as PNG, made in ``folder``."""
    zwgk = [sys.executable, "-m", "zwgk_cli"]
    plan = ROOT / "tests" / "fixtures" / "supervised.yaml"
    made = {}
    for name, args in PAGES.items():
        subprocess.run(
            [*zwgk, *args, "-f", str(plan), "--today", "2020-08-03", "--number", "屯政公开办〔2020〕12号"],
            cwd=folder, check=True, capture_output=True,
        )  # fmt: skip
        document = folder / "out" / ("催办通知-区教育局.docx" if name == "催办通知" else "通报.docx")
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
             "--convert-to", "pdf", "--outdir", str(folder / "pdf"), str(document)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        made[name] = _first_page(folder / "pdf" / f"{document.stem}.pdf", folder / f"{name}.png")
    return made


def _first_page(pdf: Path, png: Path) -> Path:
    """The PDF's first page as a PNG of 100 dots per inch (pdfplumber's renderer, pypdfium2)."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        document.pages[0].to_image(resolution=100).save(png)
    return png


if __name__ == "__main__":
    if shutil.which("soffice") is None:
        sys.exit("需要 LibreOffice（soffice）才能渲染页面")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for name, png in render(Path(work)).items():
            shutil.copyfile(png, IMAGES / f"{name}.png")
            print(IMAGES / f"{name}.png")
