"""What ``collect`` found, for a person (changes per file, unit and task, like a diff) and for
a program (JSON and CSV rows with stable keys); and what ``export --feedback`` wrote."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zwgk_cli.feedback.collect import Finding
from zwgk_cli.render.safe import clean

__all__ = ["COLLECT_KEYS", "collect_lines", "collect_records", "collect_summary", "forms_written"]

COLLECT_KEYS = ("file", "unit", "row", "task_id", "period", "action", "date", "text", "evidence", "reason")


def collect_records(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "file": f.source,
            "unit": f.unit,
            "row": f.row,
            "task_id": f.task_id,
            "period": f.period,
            "action": f.action,
            "date": f.day.isoformat() if f.day else None,
            "text": f.text,
            "evidence": list(f.evidence),
            "reason": f.reason,
        }
        for f in findings
    ]


def _task(f: Finding) -> str:
    return f"任务 {f.task_id}" + (f"（{f.period}）" if f.period else "")


def _change(f: Finding) -> str:
    if f.action == "done":
        return f"  + {_task(f)}：{f.unit} 已完成，完成日期 {f.day}"
    evidence = f"（佐证材料：{'、'.join(f.evidence)}）" if f.evidence else ""
    return f"  + {_task(f)}：进展情况 {f.day} {f.unit}：{f.text}{evidence}"


def collect_lines(findings: Sequence[Finding]) -> list[str]:
    """File by file: the changes (+), then the refused rows with their row numbers and why."""
    lines: list[str] = []
    for source in dict.fromkeys(f.source for f in findings):
        mine = [f for f in findings if f.source == source]
        unit = next((f.unit for f in mine if f.unit), None)
        lines.append(f"{source}" + (f"（{unit}）" if unit else ""))
        changes = sorted(
            (f for f in mine if f.action in ("done", "report")),
            key=lambda f: (f.task_id or 0, f.period or "", f.action != "done", f.row or 0),
        )
        lines += [_change(f) for f in changes]
        for f in mine:
            if f.action == "refused":
                where = f"第 {f.row} 行" + (f"（{_task(f)}）" if f.task_id else "") if f.row else "整个文件"
                lines.append(f"  × {where}拒收：{f.reason}")
        same = len({f.row for f in mine if f.action == "same"})
        if same:
            lines.append(f"  = {same} 行的内容计划中已有，不再写入")
        if any(f.action == "empty" for f in mine):
            lines.append("  （没有填写内容）")
    return [clean(line) for line in lines]


def collect_summary(findings: Sequence[Finding], applied: bool) -> str:
    changes = sum(1 for f in findings if f.action in ("done", "report"))
    refused = sum(1 for f in findings if f.action == "refused")
    files = len({f.source for f in findings})
    if applied:
        head = f"已写入计划：{changes} 项改动" if changes else "计划没有改动"
    else:
        head = f"将写入 {changes} 项改动（加 --apply 写入计划）" if changes else "没有需要写入的改动"
    tail = f"；拒收 {refused} 处，请通知单位改正后重新报送" if refused else ""
    return f"收集 {files} 个文件：{head}{tail}"


def forms_written(written: Sequence[tuple[Any, str]]) -> list[str]:
    from zwgk_cli.render.text import WRITTEN

    if not written:
        return ["没有单位有未完成的任务，未生成反馈表"]
    return [f"{WRITTEN[action]}：{path}" for path, action in written]
