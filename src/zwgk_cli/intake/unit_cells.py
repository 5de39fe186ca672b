"""A unit cell read as a clerk reads it: names, the role each is given, and what was guessed.

``市政府办公室牵头，市直各部门负责落实`` is a lead and a responsible group; ``区财政局、区税务局
配合`` is two cooperating units; ``各县（市、区）政府`` is one name (never split inside
brackets); ``A、B等市有关单位`` names A, B and the group 市有关单位; ``同（3）`` and ``同上`` are
references. Names run together by text extraction are split by ``units.Splitter``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from zwgk_cli.patterns import lazy
from zwgk_cli.plan.units import Splitter, parse_ref

__all__ = ["Named", "is_group", "names_in", "read_cell"]

# Words after a clause that give its units a role; the longest first.
ROLE_WORDS = (
    ("按职责分工负责", "responsible"),
    ("牵头负责", "lead"),
    ("牵头落实", "lead"),
    ("负责落实", "responsible"),
    ("具体落实", "responsible"),
    ("负责", "responsible"),
    ("落实", "responsible"),
    ("牵头", "lead"),
    ("配合", "cooperating"),
    ("协办", "cooperating"),
    ("参与", "cooperating"),
    ("指导", "supervising"),
    ("督办", "supervising"),
)
_ROLE_WORD = lazy(
    r"(?:[（(]("
    + "|".join(w for w, _ in ROLE_WORDS)
    + r")[）)]|("
    + "|".join(w for w, _ in ROLE_WORDS)
    + r"))$"
)
_OPEN, _CLOSE = "（(【[", "）)】]"
_CLAUSE = "，,；;\n"
_NAME = "、 \u3000\t"
_MORE = lazy(r"^(.+?)等(.{2,}(?:单位|部门|机构|政府|组织))$")
_WHOLE_GROUP = lazy(r"各[^同]*(?:部门|单位|机构|政府|街道|乡镇)$")
_GROUP = lazy(r"^各|各有关|有关单位$|有关部门$|各部门$|各单位$")


def is_group(name: str) -> bool:
    """A phrase that stands for many units (各级各部门, 市直各部门, 市有关单位, 各县（市、区）政府)."""
    return bool(_GROUP.search(name))


def _split(text: str, separators: str) -> Iterator[str]:
    """``text`` cut at ``separators``, never inside brackets."""
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif char in separators and depth == 0:
            yield text[start:index]
            start = index + 1
    yield text[start:]


def _clauses(cell: str) -> Iterator[tuple[str, str | None]]:
    """Each clause of a cell, without its role word, and the role that word gives (or None)."""
    for clause in (c.strip() for c in _split(cell, _CLAUSE)):
        word = _ROLE_WORD.search(clause)
        if clause and word and len(clause) > len(word.group()):
            yield clause[: word.start()].strip(), dict(ROLE_WORDS)[word.group(1) or word.group(2)]
        elif clause:
            yield clause, None


def _pieces(clause: str) -> list[str]:
    """A clause's names: cut at 、 and spaces, except a group written 各县、市、区政府 (a piece
    of one character is no unit: the clause is one name)."""
    pieces = [p.strip() for p in _split(clause, _NAME) if p.strip()]
    return [clause.strip()] if any(len(p) == 1 for p in pieces) else pieces


def names_in(cell: str) -> Iterator[str]:
    """The names a cell spells out (before run-together names are split): to know them."""
    for clause, _ in _clauses(cell):
        yield from _pieces(clause)


@dataclass(frozen=True)
class Named:
    """One unit named in a unit cell, and the role the cell's column gives it."""

    role: str
    name: str


def read_cell(
    cell: str, role: str, splitter: Splitter, line: int, notes: list[str], previous_id: int | None = None
) -> list[Named]:
    """The units of a cell in the column of ``role``; every guess is added to ``notes``."""
    found: list[Named] = []
    for clause, given in _clauses(cell):
        clause_role = given or role
        if given:
            notes.append(f"行 {line}：“{clause}”读作{_ROLE_LABEL[given]}")
        for piece in _pieces(clause):
            found += _names(piece, clause_role, splitter, line, notes, previous_id)
    return found


_ROLE_LABEL = {
    "lead": "牵头单位",
    "responsible": "主体责任单位",
    "cooperating": "配合单位",
    "supervising": "主管单位",
}


def _names(
    piece: str, role: str, splitter: Splitter, line: int, notes: list[str], previous_id: int | None
) -> list[Named]:
    if piece.endswith("等") and len(piece) > 2:  # A、B等: the units named, and others not named
        notes.append(f"行 {line}：“{piece}”读作 {piece[:-1]}（“等”未列出的单位不补充）")
        piece = piece[:-1]
    more = _MORE.match(piece)
    if more:
        notes.append(f"行 {line}：“{piece}”读作 {more.group(1)} 和单位组 {more.group(2)}")
        return [*_names(more.group(1), role, splitter, line, notes, previous_id), Named(role, more.group(2))]
    # A separator still in the piece is inside brackets (各县（市、区）政府): one name, kept whole.
    # A group phrase (市政府各有关部门, 各乡镇街道) is one name, never split at a unit it starts with.
    whole = any(c in piece for c in _CLAUSE + _NAME) or bool(_WHOLE_GROUP.search(piece))
    parts = [piece] if whole else splitter.split(piece)
    if len(parts) > 1:
        notes.append(f"行 {line}：“{piece}”拆分为 {'、'.join(parts)}")
    result = []
    for name in parts:
        ref = parse_ref(name)
        if name == "同上" and previous_id is not None:
            ref = previous_id
            notes.append(f"行 {line}：“同上”读作 同（{ref}）")
        result.append(Named(role, f"同（{ref}）" if ref is not None else name))
    return result
