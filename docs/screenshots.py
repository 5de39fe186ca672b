"""Make the README's screenshots: the coloured terminal timeline and the HTML page on a phone.

Run from the project root with Chromium installed: ``.venv/bin/python docs/screenshots.py``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from rich.console import Console

from zwgk_cli.render.chart import timeline_lines
from zwgk_cli.render.export import to_html
from zwgk_cli.render.timeline import layout
from zwgk_cli.storage import store

DOCS = Path(__file__).resolve().parent
TODAY = date(2020, 10, 15)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shoot(browser: str, page: Path, png: Path, size: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={size}",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("google-chrome")
    assert browser, "需要 Chromium"
    schedule = store.load(store.Location(DOCS.parent / "data" / "schedule.yaml")).schedule
    console = Console(
        record=True,
        width=80,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        file=io.StringIO(),
    )
    for line in timeline_lines(layout(schedule.items, TODAY, 80), colour=True):
        console.print(line, overflow="ignore", crop=False)
    console.print(f"任务 25 项，截至 {TODAY}")
    with tempfile.TemporaryDirectory() as tmp:
        terminal = Path(tmp) / "timeline.html"
        # A CJK monospace font keeps Chinese at exactly two columns, as a terminal shows it.
        terminal.write_text(
            console.export_html(
                inline_styles=True,
                code_format=(
                    "<html><body style='margin:0;background:#1e1e1e;color:#ddd'>"
                    "<pre style=\"font-family:'Noto Sans Mono CJK SC',monospace;font-size:15px;padding:12px;"
                    'margin:0">{code}</pre></body></html>'
                ),
            ),
            encoding="utf-8",
        )
        shoot(browser, terminal, DOCS / "timeline.png", "780,640")
        page = Path(tmp) / "report.html"
        page.write_bytes(to_html(schedule, TODAY, 7))
        shoot(browser, page, DOCS / "report-phone.png", "414,896")


if __name__ == "__main__":
    main()
