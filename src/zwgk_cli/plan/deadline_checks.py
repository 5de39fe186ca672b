"""Each task's 完成时间 read against its plan: an unreadable phrase is kept as a task with no
fixed date and a warning (one cell never refuses a plan); an impossible one (2020年13月) is an
error; a deadline years away from the plan's year is a warning."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from zwgk_cli.dates.deadlines import DeadlineError, DueRange, Unreadable
from zwgk_cli.dates.phrases import Deadline, read_deadline
from zwgk_cli.plan.findings import Finding
from zwgk_cli.plan.model import Plan
from zwgk_cli.plan.occurrences import plan_span

__all__ = ["FAR_YEARS", "UNREAD", "read_deadlines"]


def read_deadlines(plan: Plan) -> tuple[dict[int, Deadline], list[Finding]]:
    deadlines: dict[int, Deadline] = {}
    findings: list[Finding] = []
    for pos, task in enumerate(plan.tasks):
        where = ("tasks", pos, "deadline")
        if not task.deadline:
            deadlines[task.id] = Deadline("", "nodate")
            continue
        try:
            deadlines[task.id] = read_deadline(task.deadline, plan.year)
        except Unreadable as exc:
            # Kept word for word as a task with no fixed date: one cell never refuses a plan.
            deadlines[task.id] = Deadline(task.deadline, "nodate")
            message = f"任务 {task.id} 的完成时间“{task.deadline}”无法识别：{exc}；{UNREAD}"
            findings.append(Finding(where, message, True))
            continue
        except DeadlineError as exc:
            findings.append(Finding(where, f"任务 {task.id} 的完成时间“{task.deadline}”无法识别：{exc}"))
            continue
        findings += (
            Finding(where, f"任务 {task.id} 的完成时间：{w}", True) for w in deadlines[task.id].warnings
        )
    if plan.period is not None:
        try:
            span = plan_span(plan, ())
        except DeadlineError as exc:
            findings.append(Finding(("period",), f"计划期 period“{plan.period}”无法识别：{exc}"))
        else:
            years = span.end.year - span.start.year + 1 if span is not None else 0
            if years > MAX_PERIOD_YEARS:  # every weekly duty would have tens of thousands of periods
                findings.append(
                    Finding(
                        ("period",),
                        f"计划期 period“{plan.period}”跨 {years} 年，超过 {MAX_PERIOD_YEARS} 年："
                        "周期性任务的各期会多得无法跟踪，请写成计划实际的起止年份",
                    )
                )
    dues = {task_id: d.due for task_id, d in deadlines.items()}
    return deadlines, findings + list(_far_years(plan, dues))


MAX_PERIOD_YEARS = 20  # a plan's period: five-year plans and a little more, never centuries
UNREAD = "暂按没有固定日期跟踪，请改写成可识别的写法（zwgk date 可试）"
FAR_YEARS = 2  # a deadline more years than this from the plan's year is probably a slip


def _far_years(plan: Plan, dues: dict[int, DueRange | None]) -> Iterator[Finding]:
    """Deadlines years away from the plan's year (or, without one, from most of its deadlines):
    ``2011年底前`` in a 2020 plan is almost certainly 2021年底前."""
    years = Counter(d.end.year for d in dues.values() if d is not None)
    reference = plan.year or (years.most_common(1)[0][0] if years else None)
    if reference is None:
        return
    for pos, task in enumerate(plan.tasks):
        due = dues.get(task.id)
        if due is not None and abs(due.end.year - reference) > FAR_YEARS:
            yield Finding(
                ("tasks", pos, "deadline"),
                f"任务 {task.id} 的完成时间“{task.deadline}”在 {due.end.year} 年，与计划的 {reference} 年"
                f"相差 {abs(due.end.year - reference)} 年，请核对是否写错了年份",
                warning=True,
            )
