"""The supervision loop (督办闭环): units report progress with evidence (反馈), the office
verifies (复核) or returns (退回) what they report done.

Where the plan says ``verification: true``, a unit's ``done`` means 已报完成 (reported) until
the office verifies it (已核实销号); elsewhere ``done`` is done, as before. Each write decides
its new text from the plan as read under the lock (``store.apply``), as ``edits`` does.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from zwgk_cli.errors import UsageError
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.entries import Report, UnitDone, Verified
from zwgk_cli.plan.model import Item, Status
from zwgk_cli.plan.texts import written_problem
from zwgk_cli.plan.verification import task_status, unit_states
from zwgk_cli.storage.chain import chained
from zwgk_cli.storage.edits import Block, Outcome, completion_day, unit_slot, write_entries
from zwgk_cli.storage.store import Document

__all__ = [
    "apply_progress",
    "apply_return",
    "apply_verify",
    "apply_withdraw",
    "evidence_refs",
    "reported_units",
]

# A document number: 屯政办发〔2020〕12号, or an issuer's words and a number (屯政发12号);
# not anything that merely ends in 号.
_DOCUMENT_NUMBER = lazy(r"[〔\[（(【]\d{4}[〕\]）)】]\s*第?\d+\s*号$|[\u4e00-\u9fff]{2,}\s*第?\d+\s*号$")


def _web_address(value: str) -> bool:
    """An http(s) address with a host (``http://`` alone is none)."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in (parts.hostname or "")


def _text(value: str, option: str) -> str:
    value = value.strip()
    if not value:
        raise UsageError(f"{option} 不能为空")
    what = written_problem(value)
    if what:
        raise UsageError(f"{option} {what}，请改正后再试")
    return value


def repository_root(plan: Path) -> Path:
    """The git repository the plan is in (its folder, when it is in none)."""
    folder = Path(os.path.realpath(plan)).parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def evidence_refs(values: list[str], plan: Path, cwd: Path) -> tuple[str, ...]:
    """Evidence as the plan stores it: a document number (屯政办发〔2020〕12号) or a web address
    as written, or a file of the plan's repository, checked to exist, relative to its root."""
    root = repository_root(plan)
    refs = []
    for raw in values:
        value = _text(raw, "--evidence")
        if _web_address(value) or _DOCUMENT_NUMBER.search(value):
            refs.append(value)
            continue
        path = Path(os.path.realpath(cwd / value))
        if not path.is_file():
            raise UsageError(
                f"佐证材料“{value}”不是文号（如 屯政办发〔2020〕12号）或网址，也不是存在的文件。"
                "请检查路径，文件应放在计划所在的仓库中"
            )
        try:
            refs.append(path.relative_to(root).as_posix())
        except ValueError:
            raise UsageError(f"佐证材料“{value}”不在计划所在的仓库（{root}）中，请先把文件放进仓库") from None
    return tuple(refs)


def _unit(document: Document, item: Item, unit: str | None) -> str | None:
    return unit_slot(document.schedule, item, unit) if unit is not None else None


def apply_progress(
    document: Document,
    task_id: int,
    unit: str | None,
    text: str,
    evidence: tuple[str, ...],
    on: date | None,
    today: date,
) -> Outcome:
    """Append a dated progress report (and its evidence) to the task."""
    schedule = document.schedule
    item = schedule.require(task_id)
    day = completion_day(schedule, on, today)
    name = _unit(document, item, unit)
    entry = Report(day, name, text=_text(text, "--text"), evidence=evidence)
    new = write_entries(document, task_id, "reports", [*item.task.reports, entry])
    return Outcome("progress", task_id, name, day, new)


def apply_withdraw(document: Document, task_id: int, unit: str | None, on: date | None) -> Outcome:
    """Take back a progress report entered by mistake: the unit's latest (or the one of ``on``).
    A return's record is the office's, not a report, and stays; git history keeps what goes."""
    item = document.schedule.require(task_id)
    name = _unit(document, item, unit)
    mine = [
        i
        for i, r in enumerate(item.task.reports)
        if not r.returned and (name is None or r.unit == name) and (on is None or r.date == on)
    ]
    if not mine:
        whose = f" {name}" if name else ""
        when = f" {on} 的" if on else " " if name else ""  # 没有 甲局 2020-08-01 的进展情况
        raise UsageError(f"任务 {task_id} 中没有{whose}{when}进展情况可撤回")
    index = mine[-1]
    gone = item.task.reports[index]
    kept = [r for i, r in enumerate(item.task.reports) if i != index]
    new = write_entries(document, task_id, "reports", kept)
    return Outcome("withdrawn", task_id, gone.unit, gone.date, new, said=gone.text)


def _checked(document: Document, task_id: int, on: date | None, today: date) -> tuple[Item, date]:
    """The task a verification or a return is about, and the day it is recorded on."""
    item = document.schedule.require(task_id)
    _require_verification(document, item)
    return item, completion_day(document.schedule, on, today)


def _require_verification(document: Document, item: Item) -> None:
    if item.periodic:
        raise UsageError(f"任务 {item.id} 是周期性或从事件起算的任务，各期用 done --period 记录，不经核实")
    if not document.schedule.plan.verification:
        raise UsageError(
            "这个计划没有开启核实：done 即为完成。"
            "如需由主管单位核实销号，请在计划文件中加上 verification: true"
        )


def apply_verify(
    document: Document, task_id: int, unit: str | None, note: str | None, on: date | None, today: date
) -> Outcome:
    """The office confirms a unit's (or every unit's) reported completion: 已核实销号."""
    item, day = _checked(document, task_id, on, today)
    name = _unit(document, item, unit)
    states = {s.unit: s for s in unit_states(item)}
    wanted = [name] if name is not None else list(states)
    if all(states[u].status == "verified" for u in wanted) and wanted:
        return Outcome("already_verified", task_id, name, states[wanted[0]].date)
    if task_status(item) == "verified":
        return Outcome("already_verified", task_id, name)
    waiting = [u for u in wanted if states[u].status == "open"]
    if waiting or (not wanted and not item.is_done):
        who = "、".join(waiting) if waiting else "该任务"
        raise UsageError(f"任务 {task_id} 中 {who} 尚未报完成，不能核实。请先由单位 zwgk done 报完成")
    entry = Verified(day, name, _text(note, "--note") if note else None)
    new = write_entries(document, task_id, "verified", [*item.task.verified, entry])
    return Outcome("verified", task_id, name, day, new)


def reported_tasks(document: Document, unit: str) -> list[int]:
    """The tasks in which ``unit`` reported completion that waits to be verified."""
    name = document.schedule.registry.resolve(unit)
    found = [
        item.id
        for item in document.schedule.items
        if item.verification and any(s.unit == name and s.status == "reported" for s in unit_states(item))
    ]
    if not found:
        raise UsageError(f"{name} 没有已报完成、待核实的任务")
    return found


@dataclass(frozen=True)
class Verifications:
    """What verifying units' reports across tasks did, and the plan's new text (None: nothing)."""

    outcomes: list[Outcome]
    text: str | None


def verify_reported(
    document: Document, units: list[str], note: str | None, on: date | None, today: date
) -> Verifications:
    """Verify every completion ``units`` reported and the office has not verified yet, in every
    task of the plan, as one change (23.2: one unit's reports across tasks at once)."""
    steps = [
        functools.partial(apply_verify, task_id=task, unit=unit, note=note, on=on, today=today)
        for unit in dict.fromkeys(units)
        for task in reported_tasks(document, unit)
    ]
    outcomes, after = chained(document, steps)
    changed = any(o.text is not None for o in outcomes)
    return Verifications(outcomes, after.text if changed else None)


def reported_units(document: Document, task_id: int) -> list[str]:
    """The units of the task whose completion is reported and waits to be verified."""
    item = document.schedule.require(task_id)
    waiting = [s.unit for s in unit_states(item) if s.status == "reported"]
    if not waiting:
        raise UsageError(f"任务 {task_id} 中没有已报完成、待核实的单位")
    return waiting


def apply_return(
    document: Document, task_id: int, unit: str, reason: str, on: date | None, today: date
) -> Outcome:
    """The office sends a unit's reported completion back (退回): open again, the reason kept."""
    item, day = _checked(document, task_id, on, today)
    name = unit_slot(document.schedule, item, unit)
    state = next(s for s in unit_states(item) if s.unit == name)
    if state.status == "verified":
        raise UsageError(f"任务 {task_id} 中 {name} 已核实销号，不能退回")
    if state.status == "open":
        raise UsageError(f"任务 {task_id} 中 {name} 还没有报完成，不需要退回")
    block = Block(document, task_id)
    progress = list(item.task.progress)
    if item.is_done and not progress:  # done as a whole: the other units keep their part
        progress = [UnitDone(s, item.task.done_on or day) for s in item.slots]
    block.put_entries("progress", [p for p in progress if p.unit != name])
    block.put("status", Status.OPEN.value)
    block.drop("done_on")
    returned = Report(day, name, text=_text(reason, "--reason"), returned=True)
    block.put_entries("reports", [*item.task.reports, returned])
    return Outcome("returned", task_id, name, day, block.text())
