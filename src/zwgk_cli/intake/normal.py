"""Text as people capture it from pages, made readable before its table is looked for.

Mirror sites inject pinyin after characters (``鎮(zhèn)``) and serve traditional script
(``責任單位``); both are undone here, each once for the whole text, and said in a note, so that
header names, unit names and deadlines read as the issuing office wrote them.
"""

from __future__ import annotations

import re

from zwgk_cli.dates.phrases import to_simplified
from zwgk_cli.patterns import lazy

__all__ = ["header_name", "readable"]

# A romanised syllable or two in brackets right after a Chinese character: 鎮(zhèn), 發(fā).
_PINYIN = lazy(
    r"(?<=[\u4e00-\u9fff])[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,8}"
    r"(?:\s[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,8})?[）)]"
)


def _simplified(text: str) -> str:
    """``text`` in simplified script, or as it is where OpenCC is not installed."""
    converted = to_simplified(text)
    return text if converted is None else converted


def readable(text: str) -> tuple[str, list[str]]:
    """``text`` without injected pinyin and in simplified script, and a note for each change."""
    notes: list[str] = []
    stripped, count = _PINYIN.subn("", text)
    if count:
        first = _PINYIN.search(text)
        notes.append(f"删除了网页插入的 {count} 处拼音注音（如“{first.group() if first else ''}”）")
    cjk = [ch for ch in stripped if "\u4e00" <= ch <= "\u9fff"]
    traditional = {ch for ch in set(cjk) if _simplified(ch) != ch}
    changed = sum(ch in traditional for ch in cjk)
    # A simplified text has the odd character OpenCC would change (著); a traditional one, many.
    if changed >= 3 and changed >= len(cjk) // 50:
        notes.append(f"原文为繁体字，已转换为简体字（{changed} 个字）")
        return _simplified(stripped), notes
    if to_simplified("") is None and re.search("[責單號門體與為數參開]", stripped):
        notes.append("原文像是繁体字：安装 OpenCC（pip install opencc）后导入可转换为简体字")
    return stripped, notes


def header_name(cell: str) -> str:
    """A header cell as a name to look up: no spaces, no bracketed gloss (公开内容（要素）)."""
    name = re.sub(r"[\s\u3000]+", "", cell)
    return re.sub(r"[（(](?:要素|事项|内容)[）)]$", "", name)
