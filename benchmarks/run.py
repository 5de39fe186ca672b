"""Time whole zwgk processes on plans of several sizes and write benchmarks/RESULTS.md.

For each size it times `overdue`, `list --unit`, `report` (each with the cache off, i.e. a
full parse and validation, and with a warm cache) and `done`, several runs each: median,
min and max wall time, and the peak memory (RSS) of the process. In the same run it times
the floor: `python -c pass` and a hello-world Typer app (five times first, then once after each
measured run, so that the floor covers the same minutes), and gives each zwgk figure as a
ratio to the hello-world app. Only the standard library is used to measure.

    python benchmarks/run.py                       # all sizes, writes benchmarks/RESULTS.md
    python benchmarks/run.py --sizes 25,1000 --runs 3 --out -
    python benchmarks/run.py --quick --out -       # smoke run: smallest size, one run each
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import lines as generate_lines  # noqa: E402

HELLO = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


app()
"""


@dataclass
class Timing:
    label: str
    times: list[float]
    rss_kb: int
    beside: list[float] = field(default_factory=list)  # the floor's run right after each run

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    def ratio(self, floor: Timing) -> float:
        """How many times the floor this takes: the median of each run over the floor's run
        right after it (the machine as fast or slow for both), else of the two medians."""
        if len(self.beside) == len(self.times):
            return statistics.median(t / f for t, f in zip(self.times, self.beside, strict=True))
        return self.median / floor.median


SMALL_RUNS = 9  # at least this many runs of each command on the bundled plan and on 1,000 tasks
FIRST_RUNS = 5  # runs of each floor before the first measurement (one in a smoke run)
# The hello-world app's timing, once it is set up: run once after each measured run, so that
# each run is compared with the floor at the same moment (this machine's speed drifts by a third
# within a run of the benchmark: a command measured in a slow minute was compared with the
# floor over the whole run, and a write that did not change measured 3.8 then 4.4 times).
BESIDE: tuple[list[str], Timing] | None = None


def measure(
    label: str,
    argv: Sequence[str],
    runs: int,
    env: dict[str, str] | None = None,
    before: object = None,
    cwd: Path | None = None,
) -> Timing:
    """Run ``argv`` ``runs`` times; wall time of each, and the largest peak RSS of any (and the
    hello-world app once after each run, into its own timing)."""
    times, peak, beside = [], 0, []
    for _ in range(runs):
        if callable(before):
            before()
        elapsed, rss = run_once(label, argv, env, cwd)
        times.append(elapsed)
        peak = max(peak, rss)
        if BESIDE is not None:
            floor_argv, floor = BESIDE
            elapsed, rss = run_once(floor.label, floor_argv, None, None)
            floor.times.append(elapsed)
            floor.rss_kb = max(floor.rss_kb, rss)
            beside.append(elapsed)
    return Timing(label, times, peak, beside)


def run_once(
    label: str, argv: Sequence[str], env: dict[str, str] | None, cwd: Path | None
) -> tuple[float, int]:
    """Wall time and peak RSS (kB) of one run of ``argv``."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"{label}: {' '.join(argv)} failed: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss  # kilobytes on Linux


def warm(argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> None:
    """Run ``argv`` once, unmeasured (to fill the cache, or to write); what it says is kept out
    of the benchmark's own output and shown only if it fails."""
    done = subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()}")


def plan_for(size: str, folder: Path) -> Path:
    """The plan of a size: 25 is the bundled plan; ``10000m`` 10,000 monthly duties."""
    path = folder / f"plan-{size}.yaml"
    if size == "25":
        shutil.copyfile(ROOT / "data" / "schedule.yaml", path)
    else:
        lines = generate_lines(int(size.removesuffix("m")), monthly=size.endswith("m"))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def workspace_for(spec: str, folder: Path) -> Path:
    """A workspace of ``plans x tasks`` (``200x100``): that many generated plans under data/,
    each with its own title and one of ten regions (so each has its own cache entry)."""
    plans, tasks = (int(n) for n in spec.split("x"))
    root = folder / f"workspace-{spec}"
    (root / "data").mkdir(parents=True)
    base = list(generate_lines(tasks))
    for k in range(1, plans + 1):
        text = "\n".join(base) + "\n"
        text = text.replace(f"title: 基准测试计划 {tasks}\n", f"title: 基准测试计划 {tasks}（第{k}个）\n", 1)
        text = text.replace("region: 测试区\n", f"region: 测试{k % 10}区\n", 1)
        (root / "data" / f"plan-{k:03d}.yaml").write_text(text, encoding="utf-8")
    return root


def run_workspace(spec: str, runs: int, cache: Path, folder: Path) -> list[tuple[str, str, Timing]]:
    """Reads across every plan of a workspace (found from the current folder), and a write to one."""
    zwgk = [sys.executable, "-m", "zwgk_cli"]
    root = workspace_for(spec, folder)
    rows = []
    today = ["--today", "2025-01-01"]
    reads = {
        "report --format json": ["report", "--format", "json"],
        "report --by region --format json": ["report", "--by", "region", "--format", "json"],
        "list --unit 区第1局 --format json": ["list", "--unit", "区第1局", "--format", "json"],
    }
    for name, args in reads.items():
        argv = [*zwgk, *args, *today]
        rows.append((spec, f"{name}（无缓存）", measure(name, argv, runs, {"ZWGK_NO_CACHE": "1"}, cwd=root)))
        cached = {**os.environ, "ZWGK_CACHE_DIR": str(cache)}
        warm(argv, cached, cwd=root)
        rows.append(
            (spec, f"{name}（缓存）", measure(name, argv, runs, {"ZWGK_CACHE_DIR": str(cache)}, cwd=root))
        )
    plan = root / "data" / "plan-007.yaml"
    pristine = plan.read_bytes()
    done = [*zwgk, "done", "plan-007:2", "--today", "2025-12-31", "--on", "2025-12-31"]
    rows.append(
        (
            spec,
            "done plan-007:2",
            measure(
                "done",
                done,
                runs,
                {"ZWGK_CACHE_DIR": str(cache)},
                before=lambda p=plan, b=pristine: p.write_bytes(b),
                cwd=root,
            ),
        )
    )
    return rows


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"，内存 {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}，{os.cpu_count()} 核{memory}；{platform.system()} {platform.release()}；"
        f"Python {platform.python_version()}"
    )


def run(sizes: list[str], runs: int, small_runs: int = SMALL_RUNS, first: int = FIRST_RUNS) -> str:
    zwgk = [sys.executable, "-m", "zwgk_cli"]
    rows: list[tuple[str, str, Timing]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        hello = folder / "hello.py"
        hello.write_text(HELLO, encoding="utf-8")
        floor_pass = measure("python -c pass", [sys.executable, "-c", "pass"], max(runs, first))
        floor = measure("hello-world Typer", [sys.executable, str(hello)], max(runs, first))
        global BESIDE
        BESIDE = ([sys.executable, str(hello)], floor)
        cache = folder / "cache"
        for size in sizes:
            if "x" in size:
                rows += run_workspace(size, runs, cache, folder)
                continue
            # A run on a small plan takes a fifth of a second and varies by a third: more of them.
            n = max(runs, small_runs) if size in ("25", "1000") else runs
            plan = plan_for(size, folder)
            unit = "区司法局" if size == "25" else "区第1局"
            today = "2020-08-01" if size == "25" else "2025-01-01"
            reads = {
                "overdue --format json": ["overdue", "--format", "json"],
                f"list --unit {unit} --format json": ["list", "--unit", unit, "--format", "json"],
                "report --format json": ["report", "--format", "json"],
            }
            for name, args in reads.items():
                argv = [*zwgk, *args, "--file", str(plan), "--today", today]
                rows.append((str(size), f"{name}（无缓存）", measure(name, argv, n, {"ZWGK_NO_CACHE": "1"})))
                warm(argv, {**os.environ, "ZWGK_CACHE_DIR": str(cache)})
                rows.append(
                    (str(size), f"{name}（缓存）", measure(name, argv, n, {"ZWGK_CACHE_DIR": str(cache)}))
                )
            pristine = plan.read_bytes()
            done = [*zwgk, "done", "2", "--file", str(plan), "--today", "2025-12-31", "--on", "2025-12-31"]
            rows.append(
                (
                    str(size),
                    "done 2",
                    measure(
                        "done",
                        done,
                        n,
                        {"ZWGK_NO_CACHE": "1"},
                        before=lambda p=plan, b=pristine: p.write_bytes(b),
                    ),
                )
            )
            rows += writes_after_writes(str(size), plan, pristine, done, cache, n)
        BESIDE = None  # its hello-world goes with the folder
    return report(rows, floor_pass, floor, runs, small_runs, max(runs, first))


def writes_after_writes(
    size: str, plan: Path, pristine: bytes, done: list[str], cache: Path, runs: int
) -> list[tuple[str, str, Timing]]:
    """``done`` then ``reopen`` of one task, each on the plan as zwgk wrote it last (a clerk
    correcting a slip): the write starts from the schedule and task lines the cache kept and
    reads and checks only the task it changed. Warmed once, so that both contents are in the
    cache."""
    env = {"ZWGK_CACHE_DIR": str(cache)}
    reopen = [*done[: done.index("done")], "reopen", "2", "--file", str(plan), "--today", "2025-12-31"]
    plan.write_bytes(pristine)
    environ = {**os.environ, **env}
    warm(done, environ)
    marked = plan.read_bytes()
    warm(reopen, environ)
    reopened = plan.read_bytes()
    return [
        (size, "done 2（缓存）", measure("done", done, runs, env, before=lambda: plan.write_bytes(reopened))),
        (
            size,
            "reopen 2（缓存）",
            measure("reopen", reopen, runs, env, before=lambda: plan.write_bytes(marked)),
        ),
    ]


def report(
    rows: list[tuple[str, str, Timing]],
    floor_pass: Timing,
    floor: Timing,
    runs: int,
    small_runs: int,
    first: int,
) -> str:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f}"

    out = [
        "# zwgk 基准测试结果",
        "",
        f"- 日期：{datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- 机器：{machine()}",
        f"- 每项运行 {runs} 次（25 项和 1000 项至少 {small_runs} 次），整进程计时（从启动到退出），"
        "内存为进程的峰值 RSS。"
        f"hello-world 先运行 {first} 次，之后在每次测量后各运行一次（共 "
        f"{len(floor.times)} 次）：每次运行与紧随其后的那次 hello-world 相比，倍数是这些比值的中位数"
        "（本机的速度在一次基准测试中会变化三分之一，前后两次运行所处的快慢相同）。",
        "- 由 `python benchmarks/run.py` 生成；计划由 `benchmarks/generate.py` 生成"
        "（25 项为内置的屯留区计划）。",
        "",
        "## 基线",
        "",
        "| 命令 | 中位数 ms | 最小 ms | 最大 ms | 峰值内存 MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for t in (floor_pass, floor):
        spread = f"{ms(t.median)} | {ms(min(t.times))} | {ms(max(t.times))}"
        out.append(f"| {t.label} | {spread} | {t.rss_kb / 1024:.0f} |")
    out += [
        "",
        "## zwgk",
        "",
        "“无缓存”：`ZWGK_NO_CACHE=1`，每次完整地解析和校验 YAML；"
        "“缓存”：计划文件未改动，使用按内容缓存的校验结果。"
        "倍数 = 每次运行的时间 ÷ 紧随其后的 hello-world Typer 的时间，取中位数。",
        "",
        "| 任务数 | 命令 | 中位数 ms | 最小 ms | 最大 ms | 倍数 | 峰值内存 MB |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size, label, t in rows:
        out.append(
            f"| {size} | {label} | {ms(t.median)} | {ms(min(t.times))} | {ms(max(t.times))} | "
            f"{t.ratio(floor):.2f} | {t.rss_kb / 1024:.0f} |"
        )
    out += targets(rows, floor)
    return "\n".join(out) + "\n"


def _writes(label: str) -> bool:
    return label.split()[0] in ("done", "reopen")


def targets(rows: list[tuple[str, str, Timing]], floor: Timing) -> list[str]:
    """Each target of the performance issue, judged from the figures above."""
    by = {(size, label): t for size, label, t in rows}
    out = ["", "## 目标", "", "| 目标 | 实测 | 结果 |", "|---|---|---|"]

    def judge(name: str, measured: str, ok: bool) -> None:
        out.append(f"| {name} | {measured} | {'达到' if ok else '未达到'} |")

    for (size, label), t in by.items():
        if "x" in size and label.startswith("report --format json"):
            plans, tasks = size.split("x")
            limit = 10.0 if "无缓存" in label else 1.5
            judge(
                f"工作区 {plans} 个计划 × {tasks} 项：{label} ≤ {limit:g} s",
                f"{t.median:.2f} s",
                t.median <= limit,
            )
        if size == "25" and not _writes(label):
            ratio = t.ratio(floor)
            judge(f"启动：内置计划上 {label} ≤ 1.2 × hello-world", f"{ratio:.2f} ×", ratio <= 1.2)
    sizes = {size for size, _, _ in rows}
    for size, limit in (("10000", 1.5), ("10000m", 1.5), ("100000", 10.0)):
        if size not in sizes:
            continue
        reads = [t for (s, label), t in by.items() if s == size and not _writes(label)]
        worst = max(reads, key=lambda t: t.median)
        what = f"{int(size.removesuffix('m')):,} 项{'（每项每月一期，五年）' if size.endswith('m') else ''}"
        judge(
            f"{what}：读命令 ≤ {limit:g} s（最慢者）",
            f"{worst.median:.2f} s",
            worst.median <= limit,
        )
        if size in ("10000", "10000m"):
            done = by[(size, "done 2")]
            judge(f"{what}：done ≤ 2 s", f"{done.median:.2f} s", done.median <= 2)
        else:
            peak = max(t.rss_kb for t in reads) / 1024
            judge("100,000 项：读命令峰值内存 < 1 GB", f"{peak:.0f} MB", peak < 1024)
    # The ratios of issue 24, to the hello-world Typer app of the same run.
    for size, limit, write_limit in (("10000", 1.6, 2.0), ("100000", 10.0, 10.0)):
        if size not in sizes:
            continue
        cached = [
            t for (s, label), t in by.items() if s == size and "（缓存）" in label and not _writes(label)
        ]
        slowest = max(t.ratio(floor) for t in cached)
        judge(
            f"{int(size):,} 项：缓存的读命令 ≤ {limit:g} × hello-world（最慢者）",
            f"{slowest:.2f} ×",
            slowest <= limit,
        )
        written = by[(size, "done 2（缓存）")].ratio(floor)
        if size == "10000":  # a done, then the reopen that takes it back
            both = written + by[(size, "reopen 2（缓存）")].ratio(floor)
            judge("10,000 项：done 与 reopen 合计 ≤ 4 × hello-world", f"{both:.2f} ×", both <= 4)
        else:
            judge(
                f"{int(size):,} 项：done ≤ {write_limit:g} × hello-world",
                f"{written:.2f} ×",
                written <= write_limit,
            )
    for (size, label), t in by.items():
        if "x" in size and label == "report --format json（缓存）":
            ratio = t.ratio(floor)
            judge(f"工作区 {size}：缓存的 report ≤ 3 × hello-world", f"{ratio:.2f} ×", ratio <= 3)
    if {"10000", "100000"} <= sizes:
        for (size, label), t in by.items():
            if size == "100000" and not _writes(label):
                factor = t.median / by[("10000", label)].median
                judge(
                    f"10,000 → 100,000 项，{label}：不快于线性（≤ 10 倍）", f"{factor:.1f} 倍", factor <= 10.5
                )
    return out + NOTES


NOTES = [
    "",
    "线性的判定留有 5% 的测量误差：同一台机器上前后两次运行，hello-world 基线就可相差 10%。",
    "",
    "## 采用的办法",
    "",
    "- **按内容缓存**：读命令先算计划文件的 SHA-256；内容不变时直接读取已校验的结果，"
    "不再解析 YAML、不再用 pydantic 校验、不再解析完成时间。缓存保存校验后的对象本身（pickle，"
    "只允许还原 zwgk 的计划类、日期和集合，放在只有本用户可写的文件夹中），还原 1 万项只要一次 C 调用，"
    "比逐字段从 JSON 重建快约 4 倍。任何改动（即使大小和修改时间不变）都会重新读取；"
    "出错的计划从不缓存，错误信息始终带行号（`tests/test_cache.py`）。",
    "- **只构建要运行的命令**：Typer 为每个注册的命令读取函数签名来构建命令组；"
    "`zwgk 命令 …` 只保留这个命令（`zwgk --help`、命令名写错和命令补全时仍是全部命令）。",
    "- **从字节码运行**：基准测试先编译源码（安装后的 zwgk 与 Typer、pydantic 一样从字节码运行；"
    "开发环境若设了 PYTHONDONTWRITEBYTECODE，每次运行都会重新编译全部模块）。",
    "- **启动时只加载需要的模块**：运行时的数据类是普通的 dataclass，pydantic 只在校验时加载；"
    "YAML、rich、Excel、日历、Word 等模块只在用到时才加载。",
    "- **更快地读 YAML**：用 PyYAML 的 C 解析器逐个读取事件，直接生成普通数据并记下行号"
    "（PyYAML 的 compose 在 10 万项时要 11 秒以上）；普通的中文文本不经过 YAML 1.1 的类型判断。",
    "- **批量校验**：整个计划一次交给 pydantic；完成时间的写法按文本记忆（同一写法在计划中重复成千上万次）；"
    "各单位的统计只遍历一次任务。",
    "- **运行期间关闭循环垃圾回收**：一次运行生成数百万个没有循环引用的小对象，循环回收只会反复扫描它们。"
    "`zwgk` 命令和 `python -m zwgk_cli` 在导入任何模块之前就关闭它"
    "（导入几百个模块时生成的对象也不再被反复扫描，内置计划上约少 1.7% 的指令）。",
    "- **命令的签名用到时才算**：命令的选项在注册时不再逐个求值（`from __future__ import annotations` "
    "下每个注解是一段要解析、编译的文字，25 个命令共 128 段），Typer 要构建所调用的那个命令时才算它的签名"
    "（内置计划上约少 2.2% 的指令）。",
    "- **写入只校验改动的任务**：写入后缓存中除校验后的计划外，还保存各任务在文件中的行号范围；"
    "下一次写入（计划没有被手工改过时）从缓存的计划和行号开始，只单独解析要改的那个任务的几行来确定位置。"
    "写出的新内容与原文逐行比较，改动所在的任务单独解析、单独校验（同一个任务模式、同一套记录检查）；"
    "只有当改动的只是完成情况一类的记录（状态、完成日期、备注、各单位进度、各期、事件、进展、核实），"
    "序号、单位、完成时间等都没变时才这样做，因为跨任务的检查（序号重复、同（N）、单位登记、完成时间）"
    "都不读这些记录；否则（或有任何疑问）完整解析并校验，错误信息也由完整校验给出。"
    "随机改动的测试（hypothesis）核对两者的结果完全相同（`tests/test_revision.py`）。"
    "缓存中只保存改动的任务，放在它所依据的完整条目旁（改动超过十六分之一时再完整保存一次）。"
    "表中“done 2”是手工改过的计划（要先完整读一遍），"
    "“done 2（缓存）”“reopen 2（缓存）”是 zwgk 上次写过的计划。",
    "- **缓存的类不用 `__slots__`，也不存默认值**：带 `__slots__` 的 dataclass 由 Python 写的 `__setstate__` "
    "还原，普通的由一次 C 调用还原；任务和条目只存与默认值不同的字段（默认值同时是类属性，读回时一样）。"
    "1 万项的缓存读取从约 126 ms 降到约 40 ms。",
    "- **长的 JSON 由 orjson 写出**：带缩进时标准库逐个值用 Python 生成器编码（1 万项的 `overdue` 输出 "
    "2.9 MB，约 100 ms）；100 项以上的列表改由 orjson 用 C 一次写出（约 2 ms），对计划中会有的每种值"
    "（文字、整数、日期、列表、分数）与标准库逐字节相同（hypothesis 测试对照）；orjson 会按自己的方式写的"
    "类型（dataclass、日期、str 的子类）一律不让它写，交给标准库；短的仍由已经导入的标准库写"
    "（导入 orjson 约 0.4 ms，几十项时比它省下的多）。第十次会话以 orjson 换下 msgspec：msgspec 要先编码"
    "再加缩进，导入时还加载它的 schema、TOML、YAML 模块，约 5 ms，是 1 万项 `overdue` 中 zwgk 所加时间的"
    "十分之一。写出的 UTF-8 字节直接写到 UTF-8 的标准输出，不再解码成文字、为检查控制字符编码一次、"
    "输出时再编码一次（10 万项的 `overdue` 写出约 370 → 150 ms）；"
    "转义 C1 控制字符前先在字节中找这几个字符的开头字节，没有时不再逐字匹配。",
    "- **正则表达式用到时才编译**：读命令导入的模块共有约七十个正则表达式，大都只在解析完成时间、"
    "单位和表格时用到，缓存的读取只用到两个；导入时全部编译约占 zwgk 自己导入时间的六分之一"
    "（`patterns.lazy`）。",
    "- **按单位筛选先查名字**：单位（或它所在的单位组）不在任务的单位中时，不再逐一推算它与任务的关系；"
    "`report`、`remind`、`score` 汇总各单位的任务时不再先算出每个单位欠什么，"
    "也只读牵头和责任单位两栏（每个任务都有主管单位，这三个命令都不用它；1 万项约 35 → 20 ms）。",
    "- **任务的 JSON 对象一次写成**：任务的各个键由按 `Task` 字段生成的一段代码（像 dataclass 生成 "
    "`__init__` 那样）一次写成一个字典，不再对每个任务逐键循环（1 万项的 `overdue` 约少 1.7% 的指令）。",
    "- **按任务统计，而不是按单位和任务**：一个任务各单位的完成情况都相同时（不是周期性任务、"
    "没有单位各自的完成记录、计划不核实；绝大多数任务如此），`report` 只判断一次它是按时完成、逾期完成、"
    "待核实、逾期、近期到期还是未完成，再给它的每个单位各计一次；只有其余的任务逐个单位判断。"
    "单位写的是 `同（N）` 或单位组时，谁承担这项任务在每个计划中只推算一次。"
    "hypothesis 测试按办事员读表的方式逐个单位核对（`tests/test_report.py`）。"
    "不是周期性的任务，完成与否和完成日期直接由任务判断，不为此生成一份“部分”；统计按任务对象本身记录，"
    "工作区中 `简称:序号` 只为逾期的任务生成（1 万项的 `report` 约少 5.6% 的指令，工作区约少 7.8%）。",
    "- **工作区**：每个计划分别按内容缓存（缓存按大小共 256 MB、按最近使用保留，几百个计划都留得住）；"
    "只改动一个计划后，只有它要重新解析。找计划时读到的内容就是读命令所用的内容，每个文件只读一次"
    "（判断有没有顶层 `tasks:` 是查找固定的文字）。任务编号 `简称:序号` 是具名元组，每个任务只生成一次，"
    "散列和比较由解释器完成；合并计划时每个计划只建一个来源，复制任务时直接复制字段（不经过 "
    "`dataclasses.replace`，不运行 `__init__`）。"
    "一次运行只列出一次缓存文件夹，之后累计写入的大小，超出预算时才再列出。",
    "- **相同的文字只存一份**：读 YAML 时相同的文字是同一个对象（单位名在它承担的每个任务中都写一次），"
    "缓存中只存一次：1 万项计划的缓存从 3.2 MB 降到 2.5 MB，字符串从 60,160 个降到 11,815 个。"
    "缓存也不存计划的警告（只有 `check` 显示它们，而它总是完整地读取文字，以给出行号）。",
    "- **不做解释器的收尾**：命令结束时不再由 Python 逐个释放这次运行的对象（导入的几百个模块，"
    "1 万项的计划有几百万个对象；内置计划上约 40 ms，1 万项上 60–90 ms），而是运行 `atexit` 登记的函数、"
    "刷新 stdout 和 stderr 之后直接结束进程（`os._exit`），退出码不变（`cli/__init__.py` 的 `leave`；"
    "zwgk 写的文件在命令返回前都已完整写入并关闭）。hello-world 仍有这段收尾（约 30 ms）。"
    "同样，一次运行读到的计划保留到进程结束，不在命令返回时逐个释放（1 万项的读和写各约 1.6% 的指令，"
    "200 个计划的工作区约 2.4%）；只有控制台命令这样做，测试等其他调用者不保留。",
    "- **推算的属性不加锁**：Python 3.11 的 `functools.cached_property` 每次首次读取都要加锁，"
    "任务的推算属性改用不加锁的描述符（`plan/lean.py` 的 `once`）。",
    "",
    "## 仍然存在的限制",
    "",
    "- 1 万项缓存的读命令离目标（1.6 倍）余量很小。余下的时间主要在由缓存还原上万个任务对象"
    "（1 万项在这台机器上约 30 ms，是 C 的 pickle 还原约 69 万个操作码，已不存默认值，"
    "相同的单位列表只存一份）、"
    "按今天逐项推算状态（约 8 ms），以及生成要输出的记录（1 万项的 `overdue` 有 3,161 项逾期，约 18 ms）。"
    "导入 zwgk 自己的模块约 15–20 ms，其中一半以上是 Python 3.11 逐个类生成 dataclass 的方法"
    "（每个冻结的类执行六段生成的代码，约 0.35 ms；读命令用到约 30 个；这些编译占整个 1 万项 `overdue` "
    "指令数的 7%）。",
    "- 内置计划上无缓存的读命令（计划刚改过后的第一次读取）约 1.2 倍，`overdue` 在 1.2 倍上下："
    "要导入 PyYAML（它的 Python 读取器在导入时编译一个很长的正则表达式，约 3 ms，"
    "虽然 zwgk 用的是 C 解析器）、"
    "由 pydantic 构建校验模式（约 8 ms），并编译解析完成时间所用的正则表达式。",
    "- 写入仍要读取缓存中的整个计划（1 万项约 40 ms）并导入校验用的 pydantic 模式（约 40 ms）。"
    "改动了序号、单位或完成时间的写入（以及手工改过的计划上的第一次写入）仍完整解析和校验。",
    "- Typer 为所调用命令的每个选项构建一个 pydantic TypeAdapter：第一个约 14 ms（hello-world 也要），"
    "其后每个约 0.1–0.3 ms；zwgk 的命令有 5–13 个选项。",
    "- 本机的测量波动很大（同一命令最快和最慢的一次可相差三分之一以上，hello-world 基线在几次运行之间"
    "从 145 ms 到 265 ms 不等，大计划的命令比 hello-world 受机器变慢的影响更大，与紧随其后的 hello-world "
    "配对也消除不了）；比较两个版本时，应在同一台机器上交替运行或数指令"
    "（`valgrind --tool=callgrind`，同一程序同一输入两次相差不到 0.3%），而不是与以前的记录比较。",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="25,1000,10000,10000m,100000,200x100",
        help="任务数，逗号分隔；10000m 为 1 万项每月一期的任务；200x100 为 200 个各 100 项的计划组成的工作区",
    )
    parser.add_argument("--runs", type=int, default=5, help="每项运行次数")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"), help="结果文件；- 为标准输出")
    parser.add_argument("--quick", action="store_true", help="冒烟运行：只测 25 项，每项和基线各 1 次")
    args = parser.parse_args()
    sizes = ["25"] if args.quick else [s.strip() for s in args.sizes.split(",")]
    # An installed zwgk runs from bytecode, as Typer and pydantic do in the baseline; an editable
    # checkout under PYTHONDONTWRITEBYTECODE=1 would compile every module on every run instead.
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "zwgk_cli"), quiet=1)
    text = run(sizes, 1, 1, 1) if args.quick else run(sizes, args.runs)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"已写入 {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
