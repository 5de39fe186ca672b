"""Office files (.docx, .xlsx) written with fixed zip times, so that a second run writes the same bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from zwgk_cli.patterns import lazy

__all__ = ["fixed_zip_times"]

_MODIFIED = lazy(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def fixed_zip_times(data: bytes, stamp: datetime) -> bytes:
    """The .docx zip with every member dated ``stamp``, so that a second run writes the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl dates it now whatever it is told
                when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = _MODIFIED.sub(rb"\g<1>" + when + rb"\g<2>", data)
            target.writestr(fixed, data)
    return out.getvalue()
