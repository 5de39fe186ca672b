"""Summarise a mutmut run (docs/mutation.md): caught and surviving mutants per module.

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/mutmut run --max-children 2      # about 75 minutes on 2 cores; results in mutants/
    .venv/bin/python docs/mutation_report.py   # the table below, and every survivor

A mutant is caught when a test fails (or times out) with it in place.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = {-24, 24, 36, 152, 255}


def main() -> None:
    source = ROOT / "mutants" / "src" / "zwgk_cli"
    metas = sorted(source.rglob("*.py.meta"))  # by package: dates/deadlines.py.meta …
    if not metas:
        sys.exit("没有找到 mutants/ 下的结果：请先运行 mutmut run")
    print("| 模块 | 变异体 | 已运行 | 被测试发现 | 存活 | 发现率 |")
    print("|---|---:|---:|---:|---:|---:|")
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        counts = Counter(
            "caught" if code == 1 or code in TIMEOUT else "survived" if code == 0 else "not run"
            for code in codes.values()
        )
        ran = counts["caught"] + counts["survived"]  # a run stopped early leaves the rest unrun
        name = meta.relative_to(source).as_posix().removesuffix(".meta")
        rate = f"{counts['caught'] / ran:.1%}" if ran else "—"
        print(f"| `{name}` | {len(codes)} | {ran} | {counts['caught']} | {counts['survived']} | {rate} |")
    print()
    mutmut = [str(Path(sys.executable).parent / "mutmut"), "results"]
    survivors = subprocess.run(mutmut, cwd=ROOT, capture_output=True, text=True, check=False).stdout
    for line in survivors.splitlines():
        if "survived" in line:
            name = line.split(":")[0].strip()
            shown = subprocess.run(
                [mutmut[0], "show", name], cwd=ROOT, capture_output=True, text=True, check=False
            )
            diff = [
                ln
                for ln in shown.stdout.splitlines()
                if ln.startswith(("-", "+")) and not ln.startswith(("---", "+++"))
            ]
            print(f"- {name}: " + " → ".join(d[1:].strip() for d in diff))


if __name__ == "__main__":
    main()
