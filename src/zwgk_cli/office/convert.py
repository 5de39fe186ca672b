"""Older office files (.doc, .wps, .xls, .et, .ods, .odt) converted to .docx or .xlsx by
LibreOffice run headless, where it is installed; where it is not, a message says how to
install it or to save the file as .docx or .xlsx."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from zwgk_cli.errors import ImportFailed

__all__ = ["CONVERTED", "CONVERT_TIMEOUT", "converted", "soffice"]

# The forms LibreOffice converts, and the form each becomes.
CONVERTED = {".doc": "docx", ".wps": "docx", ".odt": "docx", ".rtf": "docx",
             ".xls": "xlsx", ".et": "xlsx", ".ods": "xlsx"}  # fmt: skip

CONVERT_TIMEOUT = 180  # seconds: a large workbook on a slow machine, then give up


def soffice() -> str | None:
    """The LibreOffice program, or None where it is not installed ($ZWGK_SOFFICE first)."""
    named = os.environ.get("ZWGK_SOFFICE")
    if named:
        return shutil.which(named)
    return shutil.which("soffice") or shutil.which("libreoffice")


def converted(source: Path, data: bytes, then: str = "导入") -> tuple[Path, bytes]:
    """``source`` (with content ``data``) converted to .docx or .xlsx: the new name and bytes.
    ``then`` is what the user does with the file (导入, 收集), for the messages."""
    target = CONVERTED[source.suffix.lower()]
    program = soffice()
    if program is None:
        raise ImportFailed(
            f"{source}: 读取 {source.suffix} 文件需要 LibreOffice。请安装（Debian/Ubuntu："
            "sudo apt install libreoffice-writer-nogui libreoffice-calc-nogui；Windows、macOS："
            "从 libreoffice.org 下载），或在 WPS、Word、Excel 中把它另存为 "
            f".{target} 后再{then}"
        )
    with tempfile.TemporaryDirectory(prefix="zwgk-convert-") as work:
        folder = Path(work)
        copy = folder / f"document{source.suffix.lower()}"  # a plain name: no quoting trouble
        copy.write_bytes(data)
        profile = (folder / "profile").as_uri()  # its own profile: no clash with an open LibreOffice
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", target, "--outdir", str(folder / "out"), str(copy)]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ImportFailed(
                f"{source}: LibreOffice 转换超过 {CONVERT_TIMEOUT} 秒仍未完成；请另存为 .{target} 后再{then}"
            ) from None
        result = folder / "out" / f"document.{target}"
        if done.returncode != 0 or not result.exists():
            said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise ImportFailed(
                f"{source}: LibreOffice 无法转换这个文件（{said[-1] if said else '没有说明原因'}）；"
                f"文件可能已损坏或有密码，请在 WPS、Word、Excel 中打开后另存为 .{target} 再{then}"
            )
        return source.with_suffix(f".{target}"), result.read_bytes()
