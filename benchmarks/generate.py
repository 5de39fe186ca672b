"""Generate realistic plan files of any size for the benchmark (and its smoke test).

About 200 units in six kinds, groups with and without members, every deadline form the
parser reads, 同（N） references, comments, a share of tasks done (some unit by unit).
Deterministic: the same size always gives the same file.

    python benchmarks/generate.py 10000 > plan-10000.yaml
    python benchmarks/generate.py 10000m > plan-10000m.yaml   # every task monthly, 2021-2025
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator

KINDS = ["区直部门", "区直事业单位", "市直派驻机构", "垂直管理部门", "街道", "乡镇"]
CATEGORIES = [
    "组织实施",
    "示范引领",
    "梳理事项",
    "编制目录",
    "优化升级",
    "拓展延伸",
    "规范公开流程",
    "加强政策文件解读",
    "加强政府网站及政务新媒体管理",
    "政务舆情回应",
    "基层政务公开",
    "数据开放",
]
VERBS = ["建立健全", "梳理规范", "编制", "完善", "落实", "推进", "开展", "明确", "设立", "优化"]
OBJECTS = [
    "政务公开工作制度",
    "权责清单",
    "公共服务清单",
    "政务公开事项目录",
    "政府信息公开专栏",
    "政策解读机制",
    "舆情回应机制",
    "公众参与制度",
    "考核评议办法",
    "信息发布流程",
]
DEADLINES = [
    "{y}年{m}月上旬",
    "{y}年{m}月中旬",
    "{y}年{m}月下旬",
    "{y}年{m}月",
    "{y}年{m}月底前",
    "{y}年{m}月{d}日",
    "{y}年第{q}季度",
    "{y}年上半年",
    "{y}年下半年",
    "{y}年底",
    "{y}年{m}月至{m2}月",
    "{y}年{m}月中下旬",
    "{y}-{m:02d}-{d:02d}",
    "长期坚持",
]


def units() -> list[tuple[str, str]]:
    names = []
    for i in range(120):
        names.append((f"区第{i + 1}局", "区直部门"))
    for i in range(30):
        names.append((f"区第{i + 1}中心", "区直事业单位"))
    for i in range(15):
        names.append((f"市第{i + 1}局屯留分局", "市直派驻机构"))
    for i in range(5):
        names.append((f"区第{i + 1}税务分局", "垂直管理部门"))
    for i in range(10):
        names.append((f"第{i + 1}街道办事处", "街道"))
    for i in range(20):
        names.append((f"第{i + 1}镇人民政府", "乡镇"))
    return names


def lines(count: int, monthly: bool = False) -> Iterator[str]:
    """The plan's lines; ``monthly``: every task a monthly duty (每月10日前) over five years
    (2024—2028), with the months of 2024 recorded done but for a few missed or late (as a
    disclosure catalogue a year into its period is)."""
    rng = random.Random(count)
    registry = units()
    towns = [n for n, k in registry if k == "乡镇"]
    yield f"# 基准测试用计划：{count} 项任务（由 benchmarks/generate.py 生成）"
    yield f"title: 基准测试计划 {count}"
    yield "region: 测试区"
    yield "year: 2024" if not monthly else "period: 2024—2028年"
    yield f"kinds: [{', '.join(KINDS)}]"
    yield "units:"
    for name, kind in registry:
        yield f"  - {{name: {name}, kind: {kind}}}"
    yield "groups:"
    yield "  - name: 各级各部门"
    yield f"    kinds: [{', '.join(KINDS)}]"
    yield "    members: []"
    yield "  - name: 区直各有关单位"
    yield "    kinds: [区直部门, 区直事业单位]"
    yield "    members: []"
    yield "  - name: 各乡镇人民政府"
    yield "    kinds: []"
    yield f"    members: [{', '.join(towns)}]"
    yield "  - name: 各社区"
    yield "    kinds: []"
    yield "    members: []"
    yield "tasks:"
    for task_id in range(1, count + 1):
        y, m = rng.choice([2024, 2025]), rng.randint(1, 12)
        deadline = rng.choice(DEADLINES).format(
            y=y, m=m, m2=min(12, m + 2), d=rng.randint(1, 28), q=rng.randint(1, 4)
        )
        group = rng.random()
        if group < 0.1:
            responsible = ["各乡镇人民政府"]
        elif group < 0.15:
            responsible = ["各社区", rng.choice(registry)[0]]
        else:
            responsible = [n for n, _ in rng.sample(registry, rng.randint(1, 3))]
        supervising = [rng.choice(registry)[0]]
        if task_id > 1 and rng.random() < 0.05:
            supervising.append(f"同（{rng.randint(1, task_id - 1)}）")
        if task_id % 500 == 1:
            yield f"  # 第 {task_id} 项起"
        yield f"  - id: {task_id}"
        yield f"    category: {rng.choice(CATEGORIES)}"
        yield f"    title: {rng.choice(VERBS)}{rng.choice(OBJECTS)}（第{task_id}项）"
        yield f"    responsible: [{', '.join(responsible)}]"
        yield f"    supervising: [{', '.join(supervising)}]"
        if monthly:
            yield "    deadline: 每月10日前"
            yield "    periods:"
            for month in range(1, 13):
                roll = rng.random()
                if roll < 0.98:  # done: on time, or (a few) late in the month
                    day = rng.randint(1, 10) if roll < 0.95 else rng.randint(11, 28)
                    yield f"      - {{period: 2024-{month:02d}, done_on: 2024-{month:02d}-{day:02d}}}"
            yield ""
            continue
        yield f"    deadline: {deadline}" if "-" not in deadline else f"    deadline: '{deadline}'"
        roll = rng.random() if task_id > 2 else 1.0  # tasks 1 and 2 stay open for `done`
        if roll < 0.3:
            yield "    status: done"
            yield f"    done_on: {y}-{m:02d}-{rng.randint(1, 28):02d}"
        elif roll < 0.35 and responsible == ["各乡镇人民政府"]:
            yield "    status: open"
            yield "    progress:"
            for town in towns[: rng.randint(1, 5)]:
                yield f"      - {{unit: {town}, done_on: {y}-{m:02d}-{rng.randint(1, 28):02d}}}"
        else:
            yield "    status: open"
        yield ""


def main() -> None:
    size = sys.argv[1] if len(sys.argv) > 1 else "1000"
    count, monthly = int(size.removesuffix("m")), size.endswith("m")
    sys.stdout.write("\n".join(lines(count, monthly)) + "\n")


if __name__ == "__main__":
    main()
