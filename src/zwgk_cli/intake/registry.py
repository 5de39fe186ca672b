"""The units and groups an imported plan registers: every name its tasks use, once, each with
its kind guessed from how the name reads (and said in a note); groups keep no members."""

from __future__ import annotations

import re
from typing import Any

from zwgk_cli.intake.plan_yaml import Imported
from zwgk_cli.intake.unit_cells import is_group
from zwgk_cli.plan.model import ROLES
from zwgk_cli.plan.units import parse_ref

__all__ = ["KIND_ORDER", "guess_kind", "registry"]

# Kinds in the order the plan file lists them; each guessed from how a unit's name reads.
KIND_ORDER = (
    "区直部门",
    "区直事业单位",
    "市直派驻机构",
    "垂直管理部门",
    "街道",
    "乡镇",
    "市直部门",
    "县直部门",
    "村（社区）",
    "科室",
    "其他",
)
_DISTRICT = ["区直部门", "区直事业单位", "市直派驻机构", "垂直管理部门", "街道", "乡镇"]
_GROUP_KINDS = {
    "各级各部门": _DISTRICT,
    "区直各有关单位": ["区直部门", "区直事业单位"],
    "区直各有关部门": ["区直部门"],
}


def guess_kind(name: str) -> str:
    if name.endswith("街道办事处"):
        return "街道"
    if re.search(r"(乡|镇)(人民政府)?$", name):
        return "乡镇"
    if re.search(r"(村|社区)(民委员会|居民委员会|委员会|委会)?$", name):
        return "村（社区）"
    if name.startswith("市") and name.endswith("分局"):
        return "市直派驻机构"
    if name.endswith("税务局"):
        return "垂直管理部门"
    if name.endswith("中心") and not name.startswith("市"):
        return "区直事业单位"
    if name.startswith("区"):
        return "区直部门"
    if name.startswith("县"):
        return "县直部门"
    if name.startswith("市"):
        return "市直部门"
    if name.endswith(("科", "室", "股", "处")):
        return "科室"
    return "其他"


def registry(title: str, tasks: list[dict[str, Any]], notes: list[str]) -> Imported:
    found: dict[str, None] = {}  # in order of first appearance
    for task in tasks:
        for key in ROLES:
            found.update((n, None) for n in task[key] if parse_ref(n) is None)
    names = list(found)
    units = [{"name": n, "kind": guess_kind(n)} for n in names if not is_group(n)]
    groups: list[dict[str, Any]] = []
    for name in (n for n in names if is_group(n)):
        kinds = _GROUP_KINDS.get(name) or (["乡镇"] if "乡镇" in name else [])
        groups.append({"name": name, "kinds": kinds, "members": []})
        if kinds:  # a group without members or kinds is listed once, in what is still to do
            notes.append(f"单位组“{name}”：推定包含类别为 {'、'.join(kinds)} 的单位（成员未列出）")
    for unit in units:
        notes.append(f"单位“{unit['name']}”的类别推定为 {unit['kind']}")
    used = {u["kind"] for u in units} | {k for g in groups for k in g["kinds"]}
    kinds = [k for k in KIND_ORDER if k in used]
    return Imported(title, tasks, units, groups, kinds, notes)
