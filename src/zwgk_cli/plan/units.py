"""Unit names: the registry, groups, references, matching and suggestions.

A plan names units (区司法局) and groups (各级各部门) that stand for many units.
A group's members are the units it lists plus every unit of the kinds it names;
a group whose members the plan does not give has none, and is tracked as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from zwgk_cli.errors import NotFound
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.entries import unit_name
from zwgk_cli.plan.lean import once
from zwgk_cli.plan.model import ROLE_NAMES, Group, Plan, Unit, all_units

__all__ = ["Registry", "Splitter", "parse_ref", "split_units"]

_REF = lazy(r"同[（(]\s*(\d+)\s*[）)]")


def parse_ref(name: str) -> int | None:
    """The task id in ``同（N）`` (also ``同(N)``), or None for an ordinary name."""
    m = _REF.fullmatch(name.strip())
    return int(m.group(1)) if m else None


# Endings that close a unit's name; the longest are tried first.
_ENDINGS = (
    "屯留分局",
    "分局",
    "管理局",
    "办事处",
    "办公室",
    "委员会",
    "管理中心）",
    "中心",
    "政府",
    "局",
    "办",
)


class Splitter:
    """Splits unit cells against a set of known names; built once for a whole document, so that
    splitting takes time in proportion to the text (a cell of 50,000 names included)."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.known = set(known)
        self.longest = max(map(len, self.known), default=0)

    def split(self, cell: str) -> list[str]:
        """Split a unit cell into names: at 、，, and spaces, then run-together names.

        ``区教育局市公安局屯留分局`` becomes ``区教育局`` and ``市公安局屯留分局``: a name
        is cut after the longest known unit's name it starts with, or after a usual ending
        when the rest starts a new name (区…, 市…, 各…, 同（N）).
        """
        names: list[str] = []
        for piece in re.split(r"[、，,\s\u3000]+", cell):
            names.extend(self._split_run(piece))
        return [n for n in names if n]

    def _split_run(self, text: str) -> list[str]:
        result: list[str] = []
        while text:
            ref = _REF.search(text)
            if ref and ref.start() > 0:
                result.extend(self._split_run(text[: ref.start()]))
                text = text[ref.start() :]
                continue
            if ref:
                result.append(ref.group(0))
                text = text[ref.end() :]
                continue
            cut = self._cut_point(text)
            result.append(text[:cut])
            text = text[cut:]
        return result

    def _cut_point(self, text: str) -> int:
        for size in range(min(len(text) - 1, self.longest), 0, -1):
            if text[:size] in self.known:
                return size
        for i in range(1, len(text)):
            if text[i] in "区市各" and text[:i].endswith(_ENDINGS):
                return i
        return len(text)


def split_units(cell: str, known: Iterable[str] = ()) -> list[str]:
    """``Splitter(known).split(cell)``, for one cell."""
    return Splitter(known).split(cell)


@dataclass(frozen=True)
class Match:
    """How a task matched a unit: by name, through 同（N）, or through a group."""

    role: str  # lead, responsible, cooperating or supervising (model.ROLES)
    via: str  # "direct", "ref" or "group"
    group: str | None = None
    ref: int | None = None

    def describe(self, short: bool = False) -> str:
        """``主管（经 同（3））``; short: ``主管/同（3）`` (for narrow tables; "/" has one width
        everywhere, unlike "·", which Chinese terminals draw two columns wide)."""
        role = ROLE_NAMES[self.role].removesuffix("单位")
        through = self.group if self.via == "group" else f"同（{self.ref}）" if self.via == "ref" else None
        if short:
            return f"{role[:2]}/{through or '直接'}"
        return f"{role}（经 {through}）" if through else f"{role}（直接）"


class Registry:
    """The plan's units and groups, looked up by name. Its lookups are worked out from the plan
    when first used, and a cached plan keeps only the plan and the unregistered names: building
    them costs less than restoring them, and a workspace never asks each plan's own."""

    def __init__(self, plan: Plan, used: Iterable[str] | None = None) -> None:
        """``used``: the unit names the tasks use, when already known (else read from the tasks)."""
        self.plan = plan
        # Names the tasks use without registering them (a plan with no registry names them all so).
        if used is None:
            used = (n for t in plan.tasks for n in all_units(t) if parse_ref(n) is None)
        self.unregistered = [n for n in dict.fromkeys(used) if n not in self.units and n not in self.groups]

    def __getstate__(self) -> dict[str, object]:
        return {"plan": self.plan, "unregistered": self.unregistered}

    @once
    def units(self) -> dict[str, Unit]:
        return {u.name: u for u in self.plan.units}

    @once
    def groups(self) -> dict[str, Group]:
        return {g.name: g for g in self.plan.groups}

    @once
    def _members(self) -> dict[str, tuple[str, ...]]:
        return {g.name: self._expand(g) for g in self.plan.groups}

    def _expand(self, group: Group) -> tuple[str, ...]:
        kinds = set(group.kinds)
        by_kind = [u.name for u in self.units.values() if u.kind in kinds]
        return tuple(dict.fromkeys([*group.members, *by_kind]))

    def names(self) -> list[str]:
        return [*self.units, *self.groups, *self.unregistered]

    def members(self, group: str) -> tuple[str, ...]:
        return self._members.get(group, ())

    def groups_of(self, unit: str) -> list[str]:
        return [g for g, members in self._members.items() if unit in members]

    def slots(self, names: Iterable[str]) -> tuple[str, ...]:
        """Units tracked one by one: each group replaced by its members, if it has any."""
        slots: list[str] = []
        for name in names:
            slots.extend(self.members(name) or (name,))
        return tuple(dict.fromkeys(slots))

    def suggest(self, name: str) -> list[str]:
        import difflib

        registered = [*self.units, *self.groups] if self.units or self.groups else self.names()
        return difflib.get_close_matches(name, [n for n in registered if n != name], n=3, cutoff=0.4)

    def resolve(self, query: str) -> str:
        """The registered unit or group ``query`` names: exactly, or as a unique short form."""
        query = unit_name(query.strip())
        if query in self.units or query in self.groups or query in self.unregistered:
            return query
        candidates = [n for n in self.names() if query and query in n]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise NotFound(f"单位“{query}”不唯一，可能是：{'、'.join(candidates)}。请写出全称")
        hint = self.suggest(query)
        tail = f"您是否指：{'、'.join(hint)}？" if hint else "可用 zwgk units 查看全部单位"
        raise NotFound(f"计划中没有单位“{query}”。{tail}")
