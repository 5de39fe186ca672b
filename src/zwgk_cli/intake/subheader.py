"""A two-row header: cells of the first row spanning the names of the second under them.

``公开事项`` over ``一级事项 | 二级事项`` gives a category and a subcategory column; ``公开对象``
over ``全社会 | 特定群众`` gives two tick columns kept as ``公开对象（全社会）`` and
``公开对象（特定群众）``. Text captures lose the spans, so each name of the second row is given
to the first-row cell it belongs under by what the names say, in order.
"""

from __future__ import annotations

from zwgk_cli.patterns import lazy

__all__ = ["under"]

_LEVEL = lazy(r"^([一二三四五六七八九])级(.*)$")
_LEVEL_KEYS = {"一": "category", "二": "subcategory"}
# A second-row name, and how the first-row name it belongs under ends.
_PARENTS = (
    (lazy(r"^(?:全社会|特定群众|特定群体)$"), "对象"),
    (lazy(r"^(?:主动|依申请公开?)$"), "方式"),
    (lazy(r"^[县区镇村乡市、]+级$"), "层级"),
)


def _belongs(parent: str, key: str | None, child: str) -> bool:
    level = _LEVEL.match(child)
    if level is not None:
        named = bool(level.group(2)) and parent.endswith(level.group(2))
        return key in ("category", "subcategory") or named
    return any(pattern.match(child) and parent.endswith(end) for pattern, end in _PARENTS)


def _key(parent: str, child: str) -> str:
    level = _LEVEL.match(child)
    if level is not None and level.group(1) in _LEVEL_KEYS:
        return _LEVEL_KEYS[level.group(1)]
    return f"extra:{parent}（{child}）"


def under(names: list[str], keys: list[str | None], children: list[str]) -> list[str | None] | None:
    """The columns' keys when the first row's ``names`` (with their ``keys``) span the second
    row's ``children``; None where the children cannot all be placed under a name. A row as
    wide as the first (a document keeps the spans as repeated cells) is read cell for cell."""
    if len(children) == len(names):
        result: list[str | None] = []
        for name, key, child in zip(names, keys, children, strict=True):
            result.append(_key(name, child) if child and _belongs(name, key, child) else key)
        return result
    filled = [c for c in children if c]
    result = []
    for name, key in zip(names, keys, strict=True):
        taken = 0
        while taken < len(filled) and _belongs(name, key, filled[taken]):
            taken += 1
        if taken:
            result.extend(_key(name, child) for child in filled[:taken])
            filled = filled[taken:]
        else:
            result.append(key)
    return result if not filled else None
