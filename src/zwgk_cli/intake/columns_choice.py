"""How each column of a table is taken: said in the import summary, and changed by the user
(``--columns 具体内容=title,责任单位=responsible``)."""

from __future__ import annotations

from zwgk_cli.errors import ImportFailed
from zwgk_cli.intake.normal import header_name
from zwgk_cli.intake.table_reader import Header
from zwgk_cli.plan.model import FIELD_NAMES

__all__ = ["TARGETS", "column_summary", "parse_columns", "take_columns"]

# What a column can be taken as: a task key, by its key or its usual Chinese name; ``extra``
# keeps it under its own name; ``skip`` leaves it out.
_KEYS = ("id", "category", "subcategory", "title", "lead", "responsible", "cooperating", "supervising",
         "deadline", "note")  # fmt: skip
TARGETS: dict[str, str | None] = {
    **{k: k for k in _KEYS},
    **{FIELD_NAMES[k]: k for k in _KEYS},
    "task": "title",
    "extra": "extra",
    "其他列": "extra",
    "skip": None,
    "不导入": None,
}


def parse_columns(spec: str) -> tuple[tuple[str, str], ...]:
    """``具体内容=title,责任单位=responsible`` as (header name, target) pairs; raises
    ImportFailed, in Chinese, on a pair it cannot read."""
    pairs: list[tuple[str, str]] = []
    for part in spec.replace("，", ",").split(","):
        if not part.strip():
            continue
        name, sep, target = part.partition("=")
        if not sep or not name.strip() or target.strip() not in TARGETS:
            raise ImportFailed(
                f"--columns 中的“{part.strip()}”无法理解：请写成 列名=用途，用途是 "
                + "、".join(k for k in TARGETS if k.isascii())
                + "（或 具体任务、主体责任单位 等中文名称；extra 按列名保存，skip 不导入）"
            )
        pairs.append((header_name(name), target.strip()))
    return tuple(pairs)


def take_columns(header: Header, columns: tuple[tuple[str, str], ...]) -> None:
    """Take each named column of ``header`` as the user says; a key given to a column is taken
    from any other column that had it. Raises ImportFailed for a name the header lacks."""
    names = [header_name(c) for c in header.row.cells]
    for name, target in columns:
        if name not in names:
            shown = "、".join(n for n in names if n)
            raise ImportFailed(f"--columns：表头中没有“{name}”一列（表头各列：{shown}）")
        index = names.index(name)
        key = TARGETS[target]
        if key == "extra":
            key = f"extra:{name}"
        if key is not None:
            header.keys = [None if k == key else k for k in header.keys]
            header.names[key] = name
        old = header.keys[index]
        header.keys[index] = key
        if old and old not in header.keys:
            header.names.pop(old, None)
        header.notes.append(f"“{name}”一列按 --columns 取作{_label(key)}")
    if columns and "title" not in header.keys:
        raise ImportFailed("--columns 之后没有具体任务一列：请用 列名=title 指定哪一列是任务")


def _label(key: str | None) -> str:
    if key is None:
        return "不导入"
    if key.startswith("extra:"):
        return "其他列"
    return FIELD_NAMES.get(key, key)


def column_summary(header: Header) -> str | None:
    """Each column of the table and what it was taken as, in one line; None where every column
    is read as its own name says in the plan file's terms (序号, 具体任务 …): nothing to explain."""
    names = [header_name(c) for c in header.row.cells]
    if len(header.keys) != len(names):  # columns spread by content: name each by its key
        names = [header.names.get(k, "") if k else "" for k in header.keys]
    parts = []
    for index, key in enumerate(header.keys):
        name = (names[index] if index < len(names) else "") or f"第 {index + 1} 列"
        if index and key is not None and key == header.keys[index - 1] and not names[index]:
            continue  # the rest of a header cell spanning several columns
        parts.append(f"{name}→{_label(key)}")
    if all(name == label for name, _, label in (p.partition("→") for p in parts)):
        return None
    return "各列的读法：" + "，".join(parts) + "（可用 --columns 列名=用途 改正）"
