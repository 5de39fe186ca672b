"""Collecting returned feedback forms (收集反馈表): every row checked against the plan, the
changes it asks for found, and all accepted changes written as one edit.

``review`` is pure: given the plan and the forms as read, it says, row by row, what would
change (a unit's completion, a progress report with evidence), what is in the plan already,
and what is refused and why. ``collected_text`` turns the accepted rows into the new plan
text, task by task, only those tasks' lines changing. ``--apply`` runs both under the plan's
lock (``store.apply``), so a change made meanwhile (``zwgk done``) is seen, never overwritten.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from zwgk_cli.dates.typed import read_day
from zwgk_cli.errors import NotFound, UsageError, ZwgkError
from zwgk_cli.feedback.forms import DONE, STATES, fingerprint, finished_by, line_cells
from zwgk_cli.feedback.workbook import Sent
from zwgk_cli.plan.entries import PeriodDone, Report, UnitDone
from zwgk_cli.plan.model import Item
from zwgk_cli.plan.occurrences import find_occurrence
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.plan.texts import file_part, written_problem
from zwgk_cli.storage.edits import Block, completion_problem, joined_text, plan_start, put_progress
from zwgk_cli.storage.store import Document
from zwgk_cli.tracking.query import match_unit
from zwgk_cli.tracking.supervise import evidence_refs

__all__ = ["Collected", "Finding", "collected_text", "review"]

ACTIONS = ("done", "report", "same", "refused", "empty")


@dataclass(frozen=True)
class Finding:
    """What one row (or a whole file) of a returned form comes to."""

    source: str  # the file's name
    unit: str | None
    row: int | None  # the row number as the sheet shows it (None: the whole file)
    task_id: int | None
    period: str | None
    action: str  # done: the unit's completion; report: a progress report; same; refused; empty
    day: date | None = None
    text: str | None = None
    evidence: tuple[str, ...] = ()
    reason: str | None = None  # why refused


@dataclass(frozen=True)
class Collected:
    """The findings and the plan's new text (None when nothing changes): a ``store`` decision."""

    findings: list[Finding]
    text: str | None


def _refuse(base: Finding, reason: str) -> list[Finding]:
    return [replace(base, action="refused", reason=reason)]


class _Review:
    """The state of one review: the plan, today, and what earlier rows already accepted."""

    def __init__(self, schedule: Schedule, today: date, plan: Path) -> None:
        self.schedule = schedule
        self.today = today
        self.plan = plan  # the plan file: evidence files must be in its repository
        self.start = plan_start(schedule)
        self.done: dict[tuple[int, str | None, str], tuple[date, str]] = {}
        self.reports: set[tuple[int, str, str, tuple[str, ...]]] = set()

    def sent(self, sent: Sent) -> list[Finding]:
        base = Finding(sent.source.name, sent.unit, None, None, None, "refused")
        if sent.problem is not None:
            return _refuse(base, sent.problem)
        plan_id = self.schedule.plan.plan_id
        if sent.plan_id is not None and sent.plan_id != plan_id:  # a form knows its plan
            mine = f"计划编号 {plan_id}" if plan_id else "本计划没有计划编号 plan_id"
            return _refuse(base, f"这是另一个计划（计划编号 {sent.plan_id}）的反馈表，不是本计划（{mine}）的")
        if sent.title is not None and sent.title != self.schedule.plan.title:
            plan = self.schedule.plan.title
            return _refuse(base, f"这是计划“{sent.title}”的反馈表，不是本计划（“{plan}”）的")
        if sent.unit is None:
            return _refuse(
                base, "看不出是哪个单位的反馈表：请用 --unit 指明，或把文件名写成 反馈表-单位名-日期"
            )
        try:
            unit = self.schedule.registry.resolve(sent.unit)
        except NotFound as exc:
            return _refuse(base, str(exc))
        base = replace(base, unit=unit)
        for what, name in sent.claims[1:]:
            # The identity sheet, the file name and the title row can each be edited by whoever
            # holds the file: a form is taken only where they agree (issue 23.11).
            if not self._same_unit(unit, name):
                first, taken = sent.claims[0]
                return _refuse(base, f"{first}“{taken}”与{what}“{name}”不符，请使用发给该单位的原表")
        if unit in self.schedule.registry.groups:
            return _refuse(base, f"“{unit}”是单位组：反馈表由其中的单位各自填报，单位组不能代为报送")
        found: list[Finding] = []
        for number, cells in sent.rows:
            found += self.row(sent, replace(base, row=number), cells)
        return found or [replace(base, action="empty")]  # read, and nothing filled in

    def _same_unit(self, unit: str, name: str) -> bool:
        """``name`` (as a file name, title row or option writes it) names ``unit``."""
        try:
            return self.schedule.registry.resolve(name) == unit
        except NotFound:
            return file_part(name) == file_part(unit)  # a name made safe for a file name

    def row(self, sent: Sent, base: Finding, cells: dict[str, str]) -> list[Finding]:
        raw_id = unicodedata.normalize("NFKC", cells.get("id", "")).strip()
        if not raw_id.isdigit():
            return _refuse(base, f"序号“{raw_id}”不是任务序号（表格下方新加的行不收集）")
        item = self.schedule.item(int(raw_id))
        base = replace(base, task_id=int(raw_id))
        formulas = sent.formulas.get(base.row or 0)
        if formulas:
            return _refuse(base, f"“{'”“'.join(formulas)}”一栏是公式，请直接填写内容（不用公式）后重新发送")
        unit = base.unit
        assert unit is not None
        if item is None:
            return _refuse(base, f"计划中没有任务 {raw_id}")
        if not match_unit(self.schedule, item, unit):
            return _refuse(base, f"任务 {item.id} 不是{unit}的任务")
        period = cells.get("period", "").strip() or None
        if sent.versions is not None:
            exported = sent.versions.get((item.id, period))
            if exported is None:
                return _refuse(base, "这一行不是导出时的行（表格中新加的行不收集）")
            if exported != fingerprint(item.task):
                return _refuse(base, f"任务 {item.id} 在反馈表导出后修改过，请重新导出反馈表填写")
        try:
            target = find_occurrence(item, period, None, self.today) if item.periodic and period else item
        except UsageError as exc:
            return _refuse(replace(base, period=period), str(exc))
        if item.periodic and period is None:
            return _refuse(base, f"任务 {item.id} 是周期性任务，这一行缺少期次")
        base = replace(base, period=target.period)
        expected = line_cells(self.schedule, target, unit)
        for column, header in _locked_headers(self.schedule).items():
            if column in cells and _same(cells[column]) != _same(expected[column]):
                return _refuse(base, f"“{header}”一栏与计划不符（该栏不可修改），本行未收集")
        return self.filled(base, target, cells, sent)

    def filled(self, base: Finding, item: Item, cells: dict[str, str], sent: Sent) -> list[Finding]:
        unit = base.unit
        assert unit is not None and base.task_id is not None
        state = unicodedata.normalize("NFKC", cells.get("state", "")).strip()
        if state and state not in STATES:
            return _refuse(base, f"完成情况“{state}”不是 {'、'.join(STATES)} 之一")
        typed = cells.get("finished", "").strip()
        if typed and state != DONE:
            return _refuse(base, f"填了完成日期但完成情况不是“{DONE}”")
        if state == DONE and not typed:
            return _refuse(base, "完成情况为“已完成”，但没有填写完成日期")
        if state in STATES[1:] and unit in item.slots and finished_by(item, unit) is not None:
            recorded = finished_by(item, unit)
            return _refuse(base, f"计划中已记为 {recorded} 完成，表中为“{state}”，未改动")
        day = None
        if typed:
            try:
                day = read_day(typed, (sent.exported or self.today).year)
            except ValueError:
                return _refuse(base, f"完成日期“{typed}”不是日期，请写成 2020-10-12")
            problem = completion_problem(day, self.today, self.start)
            if problem:
                return _refuse(base, f"完成日期 {day} {problem}")
        text = cells.get("text", "").strip().replace("\r\n", "\n").replace("\r", "\n")
        odd = written_problem(text)  # the rule every command writes a report by
        if odd:
            return _refuse(base, f"进展说明{odd}，无法写入计划，请改正后重新填写")
        try:
            evidence = evidence_refs(_items(cells.get("evidence", "")), self.plan, sent.source.parent)
        except ZwgkError as exc:
            return _refuse(base, str(exc))
        if evidence and not text:
            if state != DONE:
                return _refuse(base, "填了佐证材料但没有进展说明")
            text = DONE
        found: list[Finding] = []
        if day is not None:
            done = self.completion(base, item, unit, day, sent, text)
            if done.action == "refused":
                return [done]
            found.append(done)
        if text:
            found.append(self.report(base, item, unit, day or self.today, text, evidence))
        return found

    def completion(
        self, base: Finding, item: Item, unit: str, day: date, sent: Sent, text: str = ""
    ) -> Finding:
        if unit not in item.slots:
            return replace(
                base,
                action="refused",
                reason=f"{unit}在任务 {item.id} 中不是牵头或主体责任单位，完成情况由牵头或主体责任单位报送",
            )
        key = (item.id, item.period, unit)
        recorded = finished_by(item, unit)
        earlier = self.done.get(key)
        if recorded is None and earlier is not None:
            recorded = earlier[0]
        if recorded == day:
            return replace(base, action="same", day=day)
        if recorded is not None:
            where = f"（{earlier[1]}）" if earlier is not None else ""
            reason = f"计划中已记为 {recorded} 完成{where}，与表中的 {day} 不同，未覆盖"
            return replace(base, action="refused", reason=reason)
        # Every return the plan records for this unit, whatever export date the form claims: a
        # form's identity is the sender's to edit, and a CSV has none (issue 23.11).
        returned = [r.date for r in item.task.reports if r.returned and r.unit == unit]
        said = {r.text for r in item.task.reports if r.unit == unit}
        # A row changed after the return (done again on or after it, and saying what was put
        # right) is a new report; the same completion sent again is the one returned.
        if returned and not (day >= max(returned) and text and text not in said):
            return replace(
                base,
                action="refused",
                reason=f"该单位报的完成已于 {max(returned)} 被退回：整改后重新报送时，完成日期应不早于退回"
                "之日，并在进展说明中写明整改情况",
            )
        self.done[key] = (day, f"{base.source} 第 {base.row} 行")
        return replace(base, action="done", day=day)

    def report(
        self, base: Finding, item: Item, unit: str, day: date, text: str, evidence: tuple[str, ...]
    ) -> Finding:
        key = (item.id, unit, text, evidence)
        known = {(item.id, r.unit or "", r.text, r.evidence) for r in item.task.reports}
        found = replace(base, day=day, text=text, evidence=evidence)
        if key in known or key in self.reports:
            return replace(found, action="same")
        self.reports.add(key)
        return replace(found, action="report")


def _items(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[、；;\n]", value) if part.strip()]


def _same(text: str) -> str:
    """Text as compared in a locked cell: spacing and line breaks (which Excel and WPS may
    change) do not count."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _locked_headers(schedule: Schedule) -> dict[str, str]:
    from zwgk_cli.feedback.forms import INFORMATIVE, columns

    skip = ("id", "period", *INFORMATIVE)
    return {c.key: c.header for c in columns(schedule) if not c.editable and c.key not in skip}


def review(schedule: Schedule, sent: list[Sent], today: date, plan: Path) -> list[Finding]:
    """What each row of each returned form comes to, against the plan as it is now."""
    state = _Review(schedule, today, plan)
    return [finding for one in sent for finding in state.sent(one)]


def collected_text(document: Document, findings: list[Finding]) -> str | None:
    """The plan with every accepted finding written in (None when there is none)."""
    accepted = [f for f in findings if f.action in ("done", "report")]
    blocks = []
    for task_id in dict.fromkeys(f.task_id for f in accepted):
        assert task_id is not None
        item = document.schedule.require(task_id)
        mine = [f for f in accepted if f.task_id == task_id]
        block = Block(document, task_id)
        done = [f for f in mine if f.action == "done"]
        if done and item.periodic:
            periods = [PeriodDone(str(f.period), _day(f), f.unit) for f in done]
            block.put_entries("periods", [*item.task.periods, *periods])
        elif done:
            kept = [r for r in item.task.progress if r.unit not in {f.unit for f in done}]
            put_progress(block, item, [*kept, *(UnitDone(str(f.unit), _day(f)) for f in done)])
        said = [f for f in mine if f.action == "report"]
        reports = [Report(_day(f), f.unit, text=str(f.text), evidence=f.evidence) for f in said]
        if reports:
            block.put_entries("reports", [*item.task.reports, *reports])
        blocks.append(block)
    return joined_text(blocks) if blocks else None


def _day(finding: Finding) -> date:
    assert finding.day is not None
    return finding.day
