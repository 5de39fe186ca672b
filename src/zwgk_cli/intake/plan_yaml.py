"""An imported plan written as a plan file, in the same form as data/schedule.yaml: commented
sections, one unit per line in the registry, and each task's keys in the plan's own order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zwgk_cli.plan.model import ROLES

__all__ = ["Imported", "to_yaml"]


@dataclass
class Imported:
    """The plan read from a document, as plain data in the plan file's key order."""

    title: str
    tasks: list[dict[str, Any]]
    units: list[dict[str, str]]
    groups: list[dict[str, Any]]
    kinds: list[str]
    notes: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    year: int | None = None
    office: str | None = None  # the issuing office, where the notice shows it
    issued: date | None = None  # the notice's date, where it shows one


def to_yaml(
    plan: Imported,
    source: str,
    today: date,
    region: str | None = None,
    year: int | None = None,
    contact: tuple[str | None, str | None] = (None, None),
) -> str:
    """The plan file, in the same form as data/schedule.yaml."""
    from zwgk_cli.storage.store import VERIFICATION_ON
    from zwgk_cli.storage.yamltree import scalar

    def flow(values: list[str]) -> str:
        return "[" + ", ".join(scalar(v) for v in values) + "]"

    out = [
        f"# {plan.title}",
        f"# 由 zwgk import 于 {today} 从 {source} 导入。导入时推定的内容已在命令输出中列出，请核对。",
        f"title: {scalar(plan.title or '（未命名计划）')}",
    ]
    if region:
        out.append(f"region: {scalar(region)}")
    out.append(f"source: {scalar(source)}")
    year = year or plan.year
    if year:
        out.append(f"year: {year}")
    if plan.columns:
        out.append("columns: {" + ", ".join(f"{k}: {scalar(v)}" for k, v in plan.columns.items()) + "}")
    if plan.office:
        out.append(f"office: {scalar(plan.office)}  # 发文机关：催办通知、通报的落款")
    if plan.issued:
        out.append(f"issued: {plan.issued.isoformat()}  # 印发日期")
    out.insert(3, "")  # the plan id, made from what the file holds once it is all written
    for key, value, word in (("contact", contact[0], "联系人"), ("phone", contact[1], "联系电话")):
        if value:
            out.append(f"{key}: {scalar(value)}  # 催办通知、通报中的{word}")
        else:
            out.append(f"# {key}:  # 催办通知、通报中的{word}：填写后去掉行首的 #")
    out += [
        "",
        "# 单位类别：单位登记表中的每个单位属于其中一类，单位组可按类别包含单位。",
        f"kinds: {flow(plan.kinds)}",
        "",
        "# 单位登记表：任务中出现的每个单位登记一次。",
        "units:" + ("" if plan.units else " []"),
    ]
    out += [f"  - {{name: {scalar(u['name'])}, kind: {scalar(u['kind'])}}}" for u in plan.units]
    out += [
        "",
        "# 单位组：原表没有列出成员的，members 留空，不作补充。",
        "groups:" + ("" if plan.groups else " []"),
    ]
    for group in plan.groups:
        out += [f"  - name: {scalar(group['name'])}", f"    kinds: {flow(group['kinds'])}", "    members: []"]
    out += ["", VERIFICATION_ON.rstrip("\n"), "", "tasks:"]
    for task in plan.tasks:
        out.append(f"  - id: {task['id']}")
        if task.get("category"):
            out.append(f"    category: {scalar(task['category'])}")
        if task.get("subcategory"):
            out.append(f"    subcategory: {scalar(task['subcategory'])}")
        out.append(f"    title: {scalar(task['title'])}")
        out += [f"    {role}: {flow(task[role])}" for role in ROLES if task[role]]
        if task.get("deadline"):
            out.append(f"    deadline: {scalar(task['deadline'])}")
        out.append("    status: open")
        if task.get("note"):
            out.append(f"    note: {scalar(task['note'])}")
        if task.get("extra"):
            pairs = ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in task["extra"].items())
            out.append(f"    extra: {{{pairs}}}")
        out.append("")
    # The plan id comes from the plan as written (not the date of the import): the same table
    # imported again is the same plan; another table, even of the same title, another plan.
    made = hashlib.sha256("\n".join(out[2:]).encode("utf-8")).hexdigest()[:12]
    out[3] = f"plan_id: {scalar(made)}  # 计划编号：反馈表据此认出本计划"  # quoted if all digits
    return "\n".join(out).rstrip("\n") + "\n"
