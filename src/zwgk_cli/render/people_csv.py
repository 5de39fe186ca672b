"""CSV for people (``--format csv-zh``, 中文CSV): the same records as ``--format csv``, with
Chinese column names and values (未完成, 是), only the columns that hold something, a BOM so
that Excel opens it as UTF-8, and no cell Excel would turn into a date (``1/2`` is ``1／2``).
``--format csv`` stays the contract for programs."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from zwgk_cli.plan.model import FIELD_NAMES
from zwgk_cli.render.scores import SCORE_STATUS
from zwgk_cli.render.text import UNIT_STATE_NAMES

__all__ = ["HEADERS", "people_csv"]

# Every key of the machine formats (render.records, render.collect), by its Chinese name.
HEADERS = {
    **FIELD_NAMES,
    "due_start": "起始日期",
    "due_end": "截止日期",
    "overdue": "是否逾期",
    "days_overdue": "逾期天数",
    "matched_as": "匹配方式",
    "kind": "类别",
    "rule": "周期规则",
    "period": "期次",
    "plan": "计划",
    "region": "地区",
    "name": "名称",
    "groups": "所属单位组",
    "members": "成员",
    "open": "未完成",
    "overdue_ids": "逾期任务序号",
    "tasks": "任务数",
    "done_on_time": "按时完成",
    "done_late": "逾期完成",
    "due_soon": "近期到期",
    "rate": "完成率",
    "light": "状态",
    "reported": "待核实",
    "rank": "排名",
    "unit": "单位",
    "total": "得分",
    "days_late": "逾期天数",
    "returns": "退回次数",
    "points": "本项得分",
    "file": "文件",
    "row": "行",
    "task_id": "序号",
    "action": "处理",
    "date": "日期",
    "text": "进展说明",
    "evidence": "佐证材料",
    "reason": "原因",
}
_WORDS = {
    "status": {**UNIT_STATE_NAMES, "done": "已完成", **SCORE_STATUS},
    "kind": {"dated": "固定期限", "nodate": "无固定期限", "recurring": "周期性", "event": "从事件起算"},
    "action": {"done": "完成", "report": "进展情况", "same": "已有", "refused": "拒收", "empty": "未填写"},
}  # fmt: skip
# In listings of units and of the report, these keys are counts of tasks, not the task's fields.
_COUNTS = {"overdue": "逾期", "open": "未完成", "lead": "牵头", "responsible": "主体责任",
           "cooperating": "配合", "supervising": "主管"}  # fmt: skip


def people_csv(rows: Sequence[Sequence[str]], keys: Sequence[str]) -> str:
    """``rows`` (the cells of ``--format csv``, under ``keys``) for people."""
    kept = [i for i in range(len(keys)) if any(row[i] for row in rows)] or list(range(len(keys)))
    tasks = "title" in keys or "task_id" in keys or "points" in keys
    headers = HEADERS if tasks else {**HEADERS, **_COUNTS}
    # A units listing's kinds are the plan's own words (区直部门) and stay as they are.
    words = _WORDS if tasks or "tasks" in keys else {k: w for k, w in _WORDS.items() if k != "kind"}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # as Excel writes it
    writer.writerow([headers.get(keys[i], keys[i]) for i in kept])
    for row in rows:
        writer.writerow([_value(keys[i], row[i], words) for i in kept])
    return "\ufeff" + buffer.getvalue()


def _value(key: str, cell: str, words: dict[str, dict[str, str]]) -> Any:
    if cell in ("true", "false"):
        return "是" if cell == "true" else "否"
    if key in words:
        return words[key].get(cell, cell)
    if key == "progress":
        return cell.replace("/", "／")  # 1/2 is a date to Excel
    if key == "rate" and cell:
        return f"{float(cell):.0%}"
    return cell
