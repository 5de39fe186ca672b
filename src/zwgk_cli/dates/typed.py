"""A date as a clerk types it, in a form cell or on the command line: one rule for both."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from zwgk_cli.patterns import lazy

__all__ = ["TYPED_FORMS", "read_day"]

TYPED_FORMS = "2020-08-01、2020/8/1、2020.8.1、2020年8月1日 或 8月1日"

_DATE = lazy(r"(?:(\d{4})\s*[年./\-]\s*)?(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")


def read_day(value: str, year: int) -> date:
    """A date as a clerk types it: 2020-10-12, 2020/10/12, 2020.10.12, 2020年10月12日, or
    10月12日 (in ``year``); full-width digits too. ValueError when it is none of these."""
    text = unicodedata.normalize("NFKC", value).strip()
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text)  # a date cell read as text has a time
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(value)
    return date(int(match[1] or year), int(match[2]), int(match[3]))
