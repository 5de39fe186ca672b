"""The tables of a Word document (.docx), as plain cells, read safely (and the zip check that
.xlsx shares).

A .docx is a zip: its declared contents are checked before anything is unpacked, so a
small file that would unpack to gigabytes is refused at once. python-docx (the optional
``docx`` extra) reads the rest.
"""

from __future__ import annotations

import io

from zwgk_cli.errors import ImportFailed

__all__ = ["check_zip", "read_docx"]

# A real .docx is a few hundred kilobytes unpacked, a few megabytes with pictures.
ZIP_MAX_TOTAL = 200 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_MAX_ENTRIES = 10_000


def check_zip(data: bytes, what: str = "Word 文档", suffix: str = ".docx") -> None:
    """Refuse a zip whose declared contents are too large or too compressed, before unpacking
    (``what`` and ``suffix`` name the kind of document in the message)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFailed(
            f"无法打开 {what}：不是有效的 {suffix} 文件（{suffix} 是一种压缩包），请确认文件没有损坏"
        ) from None
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if len(entries) > ZIP_MAX_ENTRIES or total > ZIP_MAX_TOTAL or total / packed > ZIP_MAX_RATIO:
        raise ImportFailed(
            f"{what}解压后过大（{len(entries)} 个部分，共 {total // 1024 // 1024} MB，"
            f"压缩比 {total // packed}），不像是正常的文档，未读取。请确认文件来源"
        )


def read_docx(data: bytes) -> tuple[str, list[list[list[str]]]]:
    """The document's first paragraph (its title) and every table as rows of cell texts."""
    import docx

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a broken file
        raise ImportFailed(
            f"无法打开 Word 文档（{type(exc).__name__}），请确认是 .docx 格式且没有损坏"
        ) from None
    title = next((p.text.strip() for p in document.paragraphs if p.text.strip()), "")
    tables = [
        [
            ["\n".join(p.text.strip() for p in cell.paragraphs).strip() for cell in row.cells]
            for row in table.rows
        ]
        for table in document.tables
    ]
    return title, tables
