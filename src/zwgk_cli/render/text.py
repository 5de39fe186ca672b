"""The sentences zwgk says: summaries under tables, a task in full, the overview, history
lines, and what a write did. Pure functions from domain results to Chinese text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from zwgk_cli.dates.recurrence import FREQ_NAMES
from zwgk_cli.dates.workdays import UNIT_NAMES
from zwgk_cli.plan.model import FIELD_NAMES, GROUP_KIND, ROLES
from zwgk_cli.plan.verification import unit_states
from zwgk_cli.render.tables import Cell, deadline_text, progress_text, status_text

if TYPE_CHECKING:
    from zwgk_cli.dates.deadlines import DueRange
    from zwgk_cli.dates.phrases import Deadline
    from zwgk_cli.plan.model import Item, Plan
    from zwgk_cli.plan.occurrences import Explanation
    from zwgk_cli.storage.edits import Outcome
    from zwgk_cli.storage.history import Revision
    from zwgk_cli.tracking.query import Row, UnitDuties
    from zwgk_cli.tracking.report import Line

__all__ = ["show_lines", "tasks_summary"]


def tasks_summary(rows: Sequence[Row], today: date, what: str = "任务") -> str:
    done = sum(1 for r in rows if r.item.is_done)
    late = sum(1 for r in rows if r.item.is_overdue(today))
    return f"{what} {len(rows)} 项：已完成 {done}，未完成 {len(rows) - done}，其中逾期 {late}（截至 {today}）"


def overdue_summary(count: int, today: date) -> str:
    return f"逾期任务 {count} 项（截至 {today}）"


def awaiting_summary(count: int) -> str:
    return f"已报完成待核实 {count} 项（不算逾期，请主管单位核实：zwgk verify 序号）"


def due_summary(first: date, last: date, xun: bool, count: int) -> str:
    span = f"本旬（{first} 至 {last}）" if xun else f"{first} 至 {last}"
    return f"{span}到期的未完成任务 {count} 项"


def report_title(today: date, soon: int) -> str:
    return f"截至 {today}：红 = 有逾期，黄 = {soon} 天内有任务到期，绿 = 进度正常，完成 = 全部完成"


def timeline_summary(count: int, today: date, inside: bool) -> str:
    return f"任务 {count} 项，截至 {today}" + ("" if inside else "（今天不在图的时间范围内）")


def _period_of(item: Item) -> str:
    return f"{item.period}，" if item.period else ""


# A unit's part of a task where the plan verifies: the words show and the Chinese CSV use.
UNIT_STATE_NAMES = {"open": "未完成", "reported": "已报完成待核实", "verified": "已核实"}


def show_lines(
    item: Item,
    today: date,
    names: Mapping[str, str] | None = None,
    late: Sequence[Item] = (),
) -> list[str]:
    """A task in full, field by field under the plan's own names, with every unit's progress;
    for a recurring duty, ``item`` is its occurrence due now or next, ``late`` those missed."""
    label = {**FIELD_NAMES, **(names or {})}
    task = item.task
    fields = [
        ("id", str(item.id)),
        ("category", task.category or ""),
        ("subcategory", task.subcategory or ""),
        ("title", task.title),
        *((role, "、".join(getattr(task, role))) for role in ROLES),
        (
            "deadline",
            deadline_text(item)
            + (f"：{item.due.start} 至 {item.due.end}" if item.period and item.due else ""),
        ),
        ("status", status_text(item, today)),
    ]
    lines = [f"{label[key]}：{value}" for key, value in fields if value]
    if late:
        lines.append("逾期各期：" + "、".join(f"{v.period}（逾期 {v.days_overdue(today)} 天）" for v in late))
    if task.periods:
        done = [f"{r.period} {r.unit + ' ' if r.unit else ''}{r.done_on}" for r in task.periods]
        lines.append(f"{label['periods']}：{'；'.join(done)}")
    if task.events:
        events = [
            f"{e.date}{' ' + e.unit if e.unit else ''}{'（' + e.note + '）' if e.note else ''}"
            for e in task.events
        ]
        lines.append(f"{label['events']}：{'；'.join(events)}")
    if progress_text(item):
        lines.append(f"进度：{progress_text(item)}")
    for role in ROLES:
        if item.units.get(role, ()) != getattr(task, role):
            lines.append(f"{label[role]}（同（N）展开后）：{'、'.join(item.units.get(role, ()))}")
    if task.note:
        lines.append(f"{label['note']}：{task.note}")
    lines += [f"{key}：{value}" for key, value in task.extra]
    if item.verification and item.period is None:
        for state in unit_states(item):
            lines.append(
                f"  {state.unit}：{UNIT_STATE_NAMES[state.status]}{f' {state.date}' if state.date else ''}"
            )
    else:
        for slot in item.slots if len(item.slots) > 1 else ():
            if slot in item.done_by:
                mark = f"已完成 {item.done_by[slot]}"
            else:
                mark = "已完成" if item.is_done else "未完成"
            lines.append(f"  {slot}：{mark}")
    reports = sorted(task.reports, key=lambda r: r.date)  # the file keeps them as appended
    if reports:
        lines.append(f"{label['reports']}：")
    for r in reports:
        kind = "退回" if r.returned else "进展"
        evidence = f"（佐证材料：{'、'.join(r.evidence)}）" if r.evidence else ""
        said = r.text.replace("\n", "\n    ")  # a report over several lines stays under its date
        lines.append(f"  {r.date} {r.unit or ''}{kind}：{said}{evidence}")
    return lines


UNIT_HEADERS = ["单位", "类别", "所属单位组", "主体责任", "主管", "未完成", "逾期"]


def unit_cells(duties: Sequence[UnitDuties]) -> list[list[Cell]]:
    return [
        [
            d.name,
            d.kind,
            f"（成员 {len(d.members)} 个）" if d.kind == GROUP_KIND else "、".join(d.groups),
            *(str(len(x)) for x in (d.responsible, d.supervising, d.open, d.overdue)),
        ]
        for d in duties
    ]


def units_summary(duties: Sequence[UnitDuties], today: date) -> str:
    count = sum(1 for d in duties if d.kind != GROUP_KIND)
    return f"单位 {count} 个，单位组 {len(duties) - count} 个（截至 {today}）"


COMMON_COMMANDS = [
    "常用命令：",
    "  zwgk overdue            逾期任务及未完成的单位",
    "  zwgk due --xun          本旬到期的任务",
    "  zwgk list --unit 单位    某个单位的全部任务",
    "  zwgk report             各单位进度和红黄绿灯",
    "  zwgk done 序号          标记完成",
    "  zwgk --help             全部命令",
]


def overview_lines(
    plan: Plan, total: Line, today: date, xun: DueRange, this_xun: Sequence[Row], late: Sequence[Row]
) -> list[str]:
    """The one-screen overview of ``zwgk`` and ``zwgk summary``."""
    lines = [
        f"{plan.region or ''}{plan.title}".strip(),
        f"截至 {today}：任务 {total.tasks} 项，已完成 {total.done}，未完成 {total.open}，"
        f"其中逾期 {total.overdue}；本旬（{xun.start} 至 {xun.end}）到期 {len(this_xun)} 项",
    ]
    if late:
        worst = "、".join(
            f"{r.item.id}（{_period_of(r.item)}逾期 {r.item.days_overdue(today)} 天）" for r in late[:5]
        )
        lines.append(f"逾期最久：{worst}{' 等' if len(late) > 5 else ''}")
    if this_xun:
        lines.append("本旬到期：" + "、".join(f"{r.item.id} {r.item.task.title}" for r in this_xun[:5]))
    return [*lines, "", *COMMON_COMMANDS]


def history_records(revisions: Sequence[Revision]) -> list[dict[str, Any]]:
    return [
        {
            "commit": r.commit,
            "author": r.author,
            "date": r.date,
            "message": r.subject,
            "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in r.changes],
        }
        for r in revisions
    ]


def history_lines(revisions: Sequence[Revision], task_id: int) -> list[str]:
    lines = []
    for r in revisions:
        lines.append(f"{r.date[:10]}  {r.author}  {r.commit[:8]}  {r.subject}")
        if not r.changes:
            lines.append("  （字段没有变化，只改动了格式或注释）")
        for c in r.changes:
            before = c.before if c.before is not None else "（无）"
            after = c.after if c.after is not None else "（无）"
            lines.append(f"  {c.label}：{before} → {after}")
    lines.append(f"任务 {task_id} 共有 {len(revisions)} 次提交改动")
    return lines


KIND_NAMES = {
    "dated": "固定期限",
    "nodate": "没有固定期限（不会逾期）",
    "recurring": "周期性",
    "event": "从事件起算",
}


def _reading(deadline: Deadline) -> str:
    if deadline.kind == "dated" and deadline.due is not None:
        return f"{deadline.due.start} 至 {deadline.due.end}"
    if deadline.kind == "recurring" and deadline.rule is not None:
        return f"周期性，{FREQ_NAMES[deadline.rule.freq]}一期（{deadline.rule.text}）"
    if deadline.kind == "event" and deadline.after is not None:
        after = deadline.after
        return f"从事件（{after.event or '事件'}）次日起 {after.count} {UNIT_NAMES[after.unit]}内"
    return KIND_NAMES["nodate"]


WRITTEN = {"new": "已写入", "same": "内容相同，未改动", "replaced": "已覆盖"}


def written_lines(written: Sequence[tuple[Any, str]], notices: int) -> list[str]:
    """What ``remind`` and ``bulletin`` wrote, file by file."""
    if not written:
        return ["没有需要催办的单位，未生成文件"]
    return [f"{WRITTEN[action]}：{path}" for path, action in written]


def score_title(today: date, rules: Any, default: bool = False) -> str:
    floor = "不设下限" if rules.floor is None else f"每项不低于 {rules.floor:g} 分"
    said = "（计划未写考评规则 scoring，按默认规则）" if default else ""
    return (
        f"截至 {today} 的考评得分{said}：按时完成 {rules.on_time:g} 分，逾期完成 {rules.late:g} 分，"
        f"每逾期一天 {rules.per_overdue_day:g} 分，每次退回 {rules.per_return:g} 分，{floor}"
    )


def warning_lines(warnings: Sequence[str]) -> list[str]:
    return [f"警告：{w}" for w in warnings]


def date_lines(answer: Explanation) -> list[str]:
    """``zwgk date``: the reading, each part of a compound cell, and the occurrences."""
    deadline = answer.deadline
    head = _reading(deadline)
    if deadline.kind == "event" and answer.start is not None:
        head += f"：{answer.start} 至 {answer.end}"
    lines = [f"{deadline.phrase}：{head}"]
    if deadline.parts:
        lines += [f"  其中“{p.phrase}”：{_reading(p)}" for p in deadline.parts]
    lines += [f"  {o.period}：{o.start} 至 {o.end}" for o in answer.occurrences]
    return lines


def outcome_message(outcome: Outcome, after: Item | None, path: str) -> str:
    """What a ``done``, ``reopen`` or ``event`` did, or why it changed nothing; ``after`` is the
    task (or, for an occurrence, that occurrence) as the plan now has it."""
    task, unit, day, period = outcome.task_id, outcome.unit, outcome.day, outcome.period
    progress = f"{after.done_count}/{len(after.slots)}" if after is not None else ""
    due = f"应于 {after.due.end} 前完成" if after is not None and after.due is not None else "已开始计时"
    messages = {
        "done": f"已将任务 {task} 标记为完成（{day}）：{path}",
        "already_done": f"任务 {task} 已于 {day} 完成，未作改动",
        "unit_done": f"已记录 {unit} 完成任务 {task}（{day}），进度 {progress}：{path}",
        "unit_already_done": f"任务 {task} 中 {unit} 已于 {day} 完成，未作改动",
        "reopened": f"已将任务 {task} 改回未完成"
        + (f"，撤销了 {unit} 的完成记录（zwgk history {task} 可查看原记录）" if unit else "")
        + f"：{path}",
        "not_done": f"任务 {task} 本来就未完成，未作改动",
        "unit_reopened": f"已撤销 {unit} 在任务 {task} 中的完成记录：{path}",
        "unit_not_done": f"任务 {task} 中 {unit} 没有完成记录，未作改动",
        "period_done": f"已将任务 {task} 第 {period} 期标记为完成（{day}）：{path}",
        "period_already_done": f"任务 {task} 第 {period} 期已于 {day} 完成，未作改动",
        "period_unit_done": (
            f"已记录 {unit} 完成任务 {task} 第 {period} 期（{day}），该期进度 {progress}：{path}"
        ),
        "period_unit_already_done": f"任务 {task} 第 {period} 期中 {unit} 已于 {day} 完成，未作改动",
        "period_reopened": (
            f"已撤销任务 {task} 第 {period} 期{f'中 {unit} ' if unit else ''}的完成记录：{path}"
        ),
        "period_not_done": f"任务 {task} {f'第 {period} 期' if period else ''}没有完成记录，未作改动",
        "event": f"已记录任务 {task} 的事件（{day}{f'，{unit}' if unit else ''}），{due}：{path}",
        "progress": f"已记录{f' {unit} ' if unit else ''}任务 {task} 的进展情况（{day}）：{path}",
        "withdrawn": f"已撤回{f' {unit} ' if unit else ''}任务 {task} 中 {day} 的进展情况“{outcome.said}”"
        f"（zwgk history {task} 可查看原记录）：{path}",
        "verified": f"已核实任务 {task}{f' 中 {unit} ' if unit else ' '}的完成情况，销号（{day}）：{path}",
        "already_verified": f"任务 {task}{f' 中 {unit} ' if unit else ' '}已核实，未作改动",
        "returned": f"已将任务 {task} 中 {unit} 报送的完成情况退回，改为未完成（{day}）：{path}",
        "event_already": f"任务 {task} 已记录过 {day}{f' {unit} ' if unit else ' '}的事件，未作改动",
    }
    return messages[outcome.action]


def check_passed(path: str, warnings: int) -> str:
    return f"{path}: 检查通过" + (f"（{warnings} 条警告）" if warnings else "")


def exported(path: str) -> str:
    return f"已导出 {path}"


def initialised(path: str) -> str:
    return f"已创建 {path}。之后在此文件夹（或其子文件夹）中运行 zwgk 会自动使用它"


VERIFY_WHAT = "请写出任务序号；或不写序号，用 --unit 单位 --reported 核实该单位已报完成的全部任务"


def verified_across(outcomes: Sequence[Outcome], path: str) -> str:
    """What ``verify --unit X --reported`` did across tasks."""
    done: dict[str, list[str]] = {}
    for o in outcomes:
        if o.action == "verified":
            done.setdefault(o.unit or "", []).append(str(o.task_id))
    day = next((o.day for o in outcomes if o.action == "verified"), None)
    said = "；".join(f"{unit} 在任务 {'、'.join(ids)} 中" for unit, ids in done.items())
    return (
        f"已核实 {said}报送的完成情况，销号（{day}）：{path}" if done else "没有需要核实的完成情况，未作改动"
    )


def completion_installed(shell: str, path: str) -> str:
    return f"已为 {shell} 安装命令补全：{path}。重新打开终端后生效"


def table_not_to_file(path: str) -> str:
    return f"{path}: 表格只显示在屏幕上；写入文件请用 .xlsx、.csv 或 .json 文件名，或加 --format"


def completion_failed(reason: str) -> str:
    return f"无法安装命令补全（{reason}）"


def unknown_shell(shell: str) -> str:
    return f"无法识别当前的 shell（{shell or '未设置 SHELL'}）：命令补全只支持 bash、zsh、fish 和 PowerShell"


def locks_ignored(path: str) -> str:
    return f"已在 {path} 中写明：zwgk 的锁文件和临时文件不进入 git"


def editor_exit(code: int) -> str:
    return f"编辑器以退出码 {code} 结束"


STILL_TO_DO = "还需要您处理："


def not_in_use(path: str) -> str:
    return (
        f"注意：{path} 不在 data/ 中（也没有列在 zwgk.toml 里），之后的命令不会自动使用它："
        f"请加 -f {path}，或把它放到 data/ 下"
    )


def other_roles(unit: str, count: int) -> str:
    return (
        f"另有 {count} 项任务 {unit} 是主管或配合单位，未列出（--role all 全部列出，"
        "--role supervising 只列主管的）"
    )


def imported(count: int, output: str, notes: int) -> str:
    return f"已导入 {count} 项任务到 {output}；推定的内容 {notes} 条（见上），请核对后运行 zwgk check 检查"
