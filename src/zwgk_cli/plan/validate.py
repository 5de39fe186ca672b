"""Turn plain plan data into a ``Schedule``, or into every problem it has. Problems carry the
path of the value at fault; the store turns paths into line numbers. No files, no printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from zwgk_cli.dates.deadlines import DueRange
from zwgk_cli.dates.phrases import Deadline
from zwgk_cli.plan.data import plan_from_data, task_from_data
from zwgk_cli.plan.deadline_checks import read_deadlines
from zwgk_cli.plan.findings import Finding, Path
from zwgk_cli.plan.model import (
    FIELD_NAMES,
    GROUP_KIND,
    NOBODY,
    RECORD_KINDS,
    ROLE_NAMES,
    ROLES,
    TASK_FIELDS,
    TRACKED_ROLES,
    Item,
    Plan,
    Status,
    Task,
    all_units,
)
from zwgk_cli.plan.occurrences import plan_span, record_problems
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.plan.units import Registry, parse_ref
from zwgk_cli.plan.value_checks import pydantic_findings, surprise_findings, suspect_findings

__all__ = ["Finding", "assemble", "build_schedule", "revise"]


def _resolve_refs(
    tasks: tuple[Task, ...], by_id: dict[int, Task], index: dict[int, int], role: str
) -> tuple[dict[int, tuple[str, ...]], list[Finding]]:
    """Each task's units in ``role`` with every 同（N） (task N's units in the same role)
    followed to the end, however deep.

    A reference to a missing task, or a cycle, is a problem reported once (a cycle at the
    reference that closes it, first met in plan order), however many tasks lead to it.
    """
    resolved: dict[int, tuple[str, ...]] = {}
    findings: dict[Path, Finding] = {}
    cycles: set[frozenset[int]] = set()
    # Followed without recursion, each task once (a chain of thousands of 同（N） is a list, not
    # a stack overflow): a frame is a task, how many of its names are read, and its units so far.
    for root in tasks:
        if root.id in resolved:
            continue
        path = [root.id]
        on_path = {root.id: 0}
        frames: list[tuple[Task, list[int], list[str]]] = [(root, [0], [])]
        while frames:
            task, read, names = frames[-1]
            units = getattr(task, role)
            if read[0] == len(units):
                frames.pop()
                resolved[task.id] = tuple(dict.fromkeys(names))
                del on_path[path.pop()]
                if frames:
                    frames[-1][2].extend(resolved[task.id])
                continue
            pos = read[0]
            read[0] += 1
            name = units[pos]
            ref = parse_ref(name)
            where: Path = ("tasks", index[task.id], role, pos)
            if ref is None:
                names.append(name)
            elif ref not in by_id:
                findings[where] = Finding(
                    where, f"任务 {task.id} 的{FIELD_NAMES[role]}写了“{name}”，但计划中没有任务 {ref}"
                )
            elif ref in on_path:
                loop = path[on_path[ref] :]
                if frozenset(loop) not in cycles:
                    cycles.add(frozenset(loop))
                    shown = " → ".join(str(i) for i in (*loop, ref))
                    findings[where] = Finding(where, f"任务 {task.id} 的“{name}”形成循环引用（{shown}）")
            elif ref in resolved:
                names.extend(resolved[ref])
            else:
                on_path[ref] = len(path)
                path.append(ref)
                frames.append((by_id[ref], [0], []))
    return resolved, list(findings.values())


def _column_findings(plan: Plan) -> Iterator[Finding]:
    for key, _ in plan.columns:
        if key not in FIELD_NAMES:
            known = "、".join(f"{k}（{v}）" for k, v in FIELD_NAMES.items())
            yield Finding(("columns", key), f"columns 中的“{key}”不是任务的键。可用的键：{known}")


def _unit_findings(plan: Plan, registry: Registry) -> Iterator[Finding]:
    seen: set[str] = set()
    kinds = set(plan.kinds)
    if GROUP_KIND in kinds:  # a unit of that kind would be shown, and addressed, as a group
        yield Finding(
            ("kinds", plan.kinds.index(GROUP_KIND)),
            f"类别不能叫“{GROUP_KIND}”：zwgk 用这个名称表示单位组。请给这类单位换一个名称",
        )
    for pos, unit in enumerate(plan.units):
        if unit.name in seen:
            yield Finding(("units", pos, "name"), f"单位“{unit.name}”重复登记")
        seen.add(unit.name)
        if unit.kind not in kinds:
            yield Finding(("units", pos, "kind"), f"单位“{unit.name}”的类别“{unit.kind}”不在 kinds 中")
    for pos, group in enumerate(plan.groups):
        if group.name in seen:
            yield Finding(("groups", pos, "name"), f"单位组“{group.name}”与已登记的名称重复")
        seen.add(group.name)
        for k, kind in enumerate(group.kinds):
            if kind not in kinds:
                yield Finding(("groups", pos, "kinds", k), f"单位组“{group.name}”的类别“{kind}”不在 kinds 中")
        for m, member in enumerate(group.members):
            if member not in registry.units:
                yield Finding(
                    ("groups", pos, "members", m),
                    f"单位组“{group.name}”的成员“{member}”不是已登记的单位{_hint(registry, member)}",
                )
    used = {n for t in plan.tasks for n in all_units(t)}
    used.update(m for g in list(used) for m in registry.members(g))
    for pos, unit in enumerate(plan.units):
        if unit.name not in used:
            yield Finding(("units", pos, "name"), f"单位“{unit.name}”已登记，但没有任务用到它", warning=True)


def _hint(registry: Registry, name: str) -> str:
    close = registry.suggest(name)
    return f"。您是否指：{'、'.join(close)}？" if close else ""


def _task_findings(plan: Plan, registry: Registry) -> Iterator[Finding]:
    """What is wrong with the tasks' numbers and units (their records: ``_record_findings``)."""
    counts = Counter(t.id for t in plan.tasks)
    # A plan without a registry names its units freely; with one, every name must be in it.
    known = {*registry.units, *registry.groups} if plan.units or plan.groups else None
    for pos, task in enumerate(plan.tasks):
        if counts[task.id] > 1:
            yield Finding(("tasks", pos, "id"), f"序号 {task.id} 重复：每个任务的序号必须唯一")
        if not any(getattr(task, role) for role in ROLES):
            yield Finding(
                ("tasks", pos, "id"),
                f"任务 {task.id} 没有写任何单位（{'、'.join(ROLE_NAMES.values())}都没有）",
                warning=True,
            )
        for role in ROLES:
            for k, name in enumerate(getattr(task, role)):
                ref = parse_ref(name)
                if known is not None and name not in known and ref is None:
                    yield Finding(
                        ("tasks", pos, role, k),
                        f"任务 {task.id} 的{FIELD_NAMES[role]}“{name}”未在 units 或 groups 中登记"
                        f"{_hint(registry, name)}",
                    )


def build_schedule(
    data: Any, surprises: dict[Path, tuple[str, str]], suspect: dict[Path, str]
) -> tuple[Schedule | None, list[Finding]]:
    """Validate ``data``; return the schedule (None if any error) and every finding.

    ``surprises`` and ``suspect`` are what the YAML reader noted as it read: values YAML 1.1
    reads as something other than text, and texts holding a character ``texts.SUSPECT`` matches.
    """
    from pydantic import ValidationError

    from zwgk_cli.plan import schema

    findings = list(surprise_findings(surprises))
    findings += suspect_findings(suspect)
    try:
        schema.Plan.model_validate(data)
    except ValidationError as error:
        return None, [*findings, *pydantic_findings(error)]
    plan = plan_from_data(data)  # the data just passed the schema: dates may still be text
    registry = Registry(plan)
    units, ref_findings = _resolve_all(plan.tasks)
    slots = _slots(units, registry)
    deadlines, due_findings = read_deadlines(plan)
    findings += ref_findings + due_findings
    findings += _unit_findings(plan, registry)
    findings += _column_findings(plan)
    findings += _task_findings(plan, registry)
    for pos, task in enumerate(plan.tasks):
        findings += _record_findings(pos, task, deadlines.get(task.id), slots[task.id])
    if any(not f.warning for f in findings):
        return None, findings
    return assemble(plan, deadlines, tuple(findings), registry, units, slots), findings


def _record_findings(
    pos: int, task: Task, deadline: Deadline | None, slots: tuple[str, ...]
) -> Iterator[Finding]:
    """What is wrong with what task ``pos`` records: its status and date, its units' progress,
    its occurrences and events (against its deadline and its tracked units ``slots``)."""
    if task.status is Status.DONE and task.done_on is None:
        yield Finding(("tasks", pos, "status"), f"任务 {task.id} 已完成（done），但缺少完成日期 done_on")
    if task.status is Status.OPEN and task.done_on is not None:
        yield Finding(("tasks", pos, "done_on"), f"任务 {task.id} 未完成（open），却写了完成日期 done_on")
    for k, record in enumerate(task.progress):
        if record.unit not in slots:
            yield Finding(
                ("tasks", pos, "progress", k, "unit"),
                f"任务 {task.id} 的进度记录了“{record.unit}”，但它不是该任务的牵头或主体责任单位",
            )
    if deadline is not None and (task.periods or task.events):
        for where, message in record_problems(task.id, deadline, task.periods, task.events, slots):
            yield Finding(("tasks", pos, *where), message)


# A task's other fields: what the checks across tasks read (numbers, units, 同（N）, deadlines).
_FIXED = tuple(f.key for f in TASK_FIELDS if f.kind not in RECORD_KINDS)


def revise(
    schedule: Schedule,
    first: int,
    data: list[Any],
    surprises: dict[Path, tuple[str, str]],
    suspect: dict[Path, str],
) -> Schedule | None:
    """``schedule`` with its tasks from position ``first`` on replaced by ``data`` (as read, with
    what the reader noted), where the new tasks differ from the old only in what they record
    (``RECORD_KINDS``) and pass every check of a task's records; else None, and the caller
    validates the whole plan (which also gives the errors). The rest of the plan was valid and
    no check across tasks reads a record, so the plan stays valid: the result is the schedule a
    full validation gives."""
    from pydantic import ValidationError

    from zwgk_cli.plan import schema

    if any(surprise_findings(surprises)) or any(suspect_findings(suspect)):
        return None
    items = list(schedule.items)
    if first < 0 or first + len(data) > len(items):
        return None
    for pos, value in enumerate(data, start=first):
        try:
            schema.TaskModel.model_validate(value)
        except ValidationError:
            return None
        task = task_from_data(value)
        old = items[pos]
        if any(getattr(task, key) != getattr(old.task, key) for key in _FIXED):
            return None
        if any(_record_findings(pos, task, old.deadline, old.slots)):
            return None
        items[pos] = _item(task, old.deadline, old.units, old.slots, old.span, old.verification)
    return schedule.with_items(items)


Units = dict[int, dict[str, tuple[str, ...]]]  # task id -> role -> units, 同（N） resolved


def _resolve_all(tasks: tuple[Task, ...]) -> tuple[Units, list[Finding]]:
    by_id = {t.id: t for t in tasks}
    index = {t.id: pos for pos, t in enumerate(tasks)}
    units: Units = {t.id: {} for t in tasks}
    findings: list[Finding] = []
    for role in ROLES:
        resolved, found = _resolve_refs(tasks, by_id, index, role)
        findings += found
        for task_id, names in resolved.items():
            units[task_id][role] = names
    return units, findings


def _slots(units: Units, registry: Registry) -> dict[int, tuple[str, ...]]:
    """The units whose completion is tracked one by one: lead and responsible, groups expanded."""
    return {
        task_id: registry.slots([n for role in TRACKED_ROLES for n in roles[role]])
        for task_id, roles in units.items()
    }


def assemble(
    plan: Plan,
    deadlines: dict[int, Deadline],
    warnings: tuple[Finding, ...] = (),
    registry: Registry | None = None,
    units: Units | None = None,
    slots: dict[int, tuple[str, ...]] | None = None,
) -> Schedule:
    """The schedule of a plan known to be valid (freshly checked, or from the cache)."""
    registry = registry or Registry(plan)
    if units is None:
        units, _ = _resolve_all(plan.tasks)
    if slots is None:
        slots = _slots(units, registry)
    span = plan_span(plan, (d.due for d in deadlines.values()))
    # Equal lists of units are one tuple (most often a task's own, where no 同（N） or group
    # changed it): the cache keeps each list once (a seventh fewer opcodes to restore).
    same: dict[tuple[str, ...], tuple[str, ...]] = {}
    for task in plan.tasks:
        for role in ROLES:
            same.setdefault(getattr(task, role), getattr(task, role))
    items = tuple(
        _item(
            t,
            deadlines[t.id],
            {role: same.setdefault(names, names) for role, names in units[t.id].items() if names},
            same.setdefault(slots[t.id], slots[t.id]),
            span,
            plan.verification,
        )
        for t in plan.tasks
    )
    schedule = Schedule(plan, items, registry, warnings)
    # Worked out here, and so kept with each item in the cache: its key, whether it is tracked
    # occurrence by occurrence and whether it is done, which every command asks of every task
    # (reading them back costs a fifth of working them out).
    schedule.by_id  # noqa: B018
    for item in items:
        item.periodic  # noqa: B018
        item.is_done  # noqa: B018
    return schedule


def _item(
    task: Task,
    deadline: Deadline | None,
    units: dict[str, tuple[str, ...]],
    slots: tuple[str, ...],
    span: DueRange | None,
    verification: bool,
) -> Item:
    """Task ``task`` of a plan, with what the plan says of it worked out."""
    return Item(
        task=task,
        due=deadline.due if deadline is not None else None,
        units=units,
        slots=slots,
        done_by={r.unit: r.done_on for r in task.progress} if task.progress else NOBODY,
        deadline=deadline,
        span=span,
        verification=verification,
    )
