"""Plans written as lists, not tables: each numbered item a task, its units on lines of their
own (``牵头单位：X`` / ``责任单位：Y``) or in a parenthesis at its end (``（牵头单位：X；责任单位：
Y，6月底完成）``, ``〔责任单位：A、B按职责分工负责。下同。〕``, ``（X、Y牵头，Z按职责分工负责）``).
Section lines (``一、…``) are categories; ``下同`` carries an item's units to the items after it
that name none. The result is rows by task key, read on by the same importer as a table's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zwgk_cli.intake.columns import cell_kind
from zwgk_cli.intake.names import COLUMNS
from zwgk_cli.patterns import lazy

__all__ = ["ListItem", "read_list"]

_SECTION = lazy(r"^([一二三四五六七八九十]+、.+)$")
_ITEM = lazy(r"^(\d{1,3})\s*[.、．]\s*(.+)$")
_SUB_ITEM = lazy(r"^[（(]([一二三四五六七八九十]+)[）)]\s*(.+)$")
# A line that is only a parenthesis of roles, brackets inside allowed: (责任单位：各县(市、区)政府)
_ROLE_LINE = lazy(r"^[（(〔【]\s*([\u4e00-\u9fff]{2,8}\s*[:：].+)[）)〕】]。?$")
_POINT = lazy(r"^[（(]\d{1,2}[）)]\s*\S")  # (1)… a point of the item above
_LABEL = lazy(r"^([\u4e00-\u9fff]{2,8}?)\s*[:：]\s*(.+)$")
# A parenthesis at an item's end that names units: by a label, or by a role word inside it.
_PAREN = lazy(
    r"(?:〔([^〔〕]*(?:单位|牵头|负责|配合)[^〔〕]*)〕"
    r"|[（(【]([^（）()〔〕【】]*(?:单位|牵头|负责|配合)[^（）()〔〕【】]*)[）)】])。?$"
)
_ROLE_WORD = lazy(r"单位|科室|部门|牵头|负责|配合|落实")
_LEADER = ("牵头负责领导", "分管领导", "责任领导", "负责领导")
_CN = "一二三四五六七八九十"
_SAME = "_same"
_UNIT_KEYS = ("lead", "responsible", "cooperating")


@dataclass
class ListItem:
    """One task of a plan written as a list, not a table: its values by column name."""

    line: int
    values: dict[str, str] = field(default_factory=dict)


def _role_of(label: str) -> str | None:
    return next((role for role, names in COLUMNS.items() if label in names and role != "title"), None)


def _paren_roles(text: str) -> tuple[dict[str, str], bool]:
    """The units a parenthesis names, by role (free text with role words goes to responsible,
    where ``unit_cells`` reads its 牵头/配合 words), and whether it says 下同."""
    carried = "下同" in text
    text = text.split("。")[0]  # what follows the units is a remark (…不再做分工，下同)
    values: dict[str, str] = {}
    for part in re.split(r"[；;]", text):
        label = _LABEL.match(part.strip())
        role = _role_of(label.group(1)) if label else None
        if label and role:
            units = []
            for piece in re.split(r"[，,]", label.group(2).strip(" 。")):
                if cell_kind(piece) == "deadline":  # （…责任单位：Y，6月底完成）
                    values["deadline"] = piece.strip()
                elif piece.strip():
                    units.append(piece.strip())
            values[role] = "，".join(units)
        elif part.strip():
            values["responsible"] = "，".join(filter(None, [values.get("responsible"), part.strip(" 。")]))
    return values, carried


def read_list(lines: list[str]) -> tuple[list[str], list[ListItem]]:
    """The lines before the first task, and the tasks of a list plan (none: it is not one)."""
    items: list[ListItem] = []
    before: list[str] = []
    category = subcategory = ""
    plain = any(_ITEM.match(line.strip()) for line in lines)
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        item = _ITEM.match(line) if plain else _SUB_ITEM.match(line)
        label = _LABEL.match(line)
        whole = _ROLE_LINE.match(line)
        whole_label = _LABEL.match(whole.group(1)) if whole else None
        if _SECTION.match(line) and len(line) <= 60:
            category, subcategory = line.rstrip("。"), ""
        elif plain and _SUB_ITEM.match(line) and len(line) <= 60:  # (一)… between 一、 and 1.
            subcategory = line.rstrip("。")
        elif items and whole and whole_label and _role_of(whole_label.group(1)):
            # (责任单位：…) on a line of its own: the units of the items since the last that named
            # its own, as the plan lists one set of units under several items.
            roles, _ = _paren_roles(whole.group(1))
            for task in reversed(items):
                if any(k in task.values for k in _UNIT_KEYS):
                    break
                task.values.update(roles)
        elif items and plain and _POINT.match(line):
            note = items[-1].values.get("note")
            items[-1].values["note"] = f"{note}\n{line}" if note else line
        elif item:
            task_id = item.group(1) if plain else str(_CN.index(item.group(1)[-1]) + 1)
            text = item.group(2).strip()
            values = {"id": task_id, "category": category, "title": text}
            if subcategory:
                values["subcategory"] = subcategory
            paren = _PAREN.search(text)
            inside = paren.group(1) or paren.group(2) if paren else ""
            if paren and _ROLE_WORD.search(inside):
                roles, carried = _paren_roles(inside)
                values["title"] = text[: paren.start()].strip()
                values.update(roles)
                if carried:
                    values[_SAME] = "1"
            items.append(ListItem(number, values))
        elif items and label and (_role_of(label.group(1)) or label.group(1) in _LEADER):
            role = _role_of(label.group(1)) or f"extra:{label.group(1)}"
            items[-1].values[role] = label.group(2).strip().rstrip("。")
        elif not items:
            before.append(line)
    same: dict[str, str] = {}  # 下同: an item's units, for the items after it that name none
    for task in items:
        if task.values.pop(_SAME, None):
            same = {k: v for k, v in task.values.items() if k in _UNIT_KEYS}
        elif not any(k in task.values for k in _UNIT_KEYS):
            task.values.update(same)
    named = [i for i in items if any(k in i.values for k in _UNIT_KEYS)]
    return before, items if named else []
