"""Feedback forms through the commands a clerk runs (issue 16): export one per unit, units fill
them in as real clerks do, ``collect`` shows the diff, ``--apply`` writes it once; the messy
files units send back; a kill during ``--apply``; collects racing with ``done``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from conftest import BUNDLED, FIXTURES, Run, hold_lock, stress, told_as_user_error, write_plan
from feedback_fixtures import CLERK_1, fill_sheet

EXPORTED, COLLECTED = "2020-10-15", "2020-10-20"
THREE = ("区司法局", "区财政局", "麟绛街道办事处")


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "办公室", "GIT_AUTHOR_EMAIL": "b@example.cn"}
    env |= {"GIT_COMMITTER_NAME": "办公室", "GIT_COMMITTER_EMAIL": "b@example.cn"}
    done = subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The office's repository: the bundled plan, committed; the clerk works in it."""
    root = tmp_path / "office"
    (root / "data").mkdir(parents=True)
    shutil.copyfile(BUNDLED, root / "data" / "schedule.yaml")
    git(root, "init", "-q")
    git(root, "add", "data")
    git(root, "commit", "-qm", "计划")
    monkeypatch.chdir(root)
    return root


def export(run: Run, *units: str) -> list[Path]:
    for unit in units:
        result = run("export", "--feedback", "-u", unit, "-o", "发出", "--today", EXPORTED)
        assert result.exit_code == 0, result.output
    return [Path("发出") / f"反馈表-{u}-{EXPORTED}.xlsx" for u in units]


def fill(path: Path, rows: dict[str, dict[str, Any]], out: Path) -> dict[str, int]:
    """Fill ``path``'s rows (by 序号) by header, as a clerk would; save as ``out``.
    Returns each filled task's row number."""
    book = load_workbook(path)
    numbers = fill_sheet(book["反馈表"], rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return numbers


def resort(path: Path, extra: list[Any]) -> None:
    """Rows sorted the other way round, and a row typed in under the table."""
    book = load_workbook(path)
    sheet = book["反馈表"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    for index, values in enumerate(reversed(rows), start=4):
        for column, value in enumerate(values, start=1):
            sheet.cell(index, column).value = value
    sheet.append(extra)
    book.save(path)


def collect(run: Run, *args: str) -> Any:
    return run("collect", *args, "--today", COLLECTED)


def test_three_clerks_round_trip(run: Run, repo: Path) -> None:
    forms = export(run, *THREE)
    back = repo / "收回"
    # Clerk 1 fills it in with dates typed as text, one in full-width digits.
    fill(forms[0], CLERK_1, back / "司法局.xlsx")  # renamed by the sender
    # Clerk 2 uses a date cell, sorts the rows the other way round and adds a row at the bottom.
    fill(
        forms[1],
        {
            "20": {"完成情况": "推进中", "进展说明": "解读量已达60%"},
            "25": {"完成情况": "已完成", "完成日期": datetime(2020, 10, 11)},
        },
        back / "财政局反馈.xlsx",
    )
    resort(back / "财政局反馈.xlsx", ["26", None, "新增任务", None, None, "已完成", "2020-10-10"])
    # Clerk 3 edits a locked column (the sheet is protected, but openpyxl, like an unprotected
    # copy, writes anyway).
    rows = fill(
        forms[2],
        {
            "4": {"具体任务": "先行先试", "完成情况": "已完成", "完成日期": "2020-10-13"},
            "5": {"完成情况": "已完成", "完成日期": "2020.10.14", "进展说明": "权责清单已公布"},
        },
        back / f"反馈表-麟绛街道办事处-{EXPORTED}.xlsx",
    )
    before = (repo / "data" / "schedule.yaml").read_bytes()
    result = collect(run, "收回")
    assert result.exit_code == 1  # a row was refused
    assert result.stdout.splitlines() == [
        f"反馈表-麟绛街道办事处-{EXPORTED}.xlsx（麟绛街道办事处）",
        "  + 任务 5：麟绛街道办事处 已完成，完成日期 2020-10-14",
        "  + 任务 5：进展情况 2020-10-14 麟绛街道办事处：权责清单已公布",
        f"  × 第 {rows['4']} 行（任务 4）拒收：“具体任务”一栏与计划不符（该栏不可修改），本行未收集",
        "司法局.xlsx（区司法局）",
        "  + 任务 18：区司法局 已完成，完成日期 2020-10-12",
        "  + 任务 18：进展情况 2020-10-12 区司法局：已落实源头认定（佐证材料：屯司发〔2020〕7号）",
        "  + 任务 19：进展情况 2020-10-20 区司法局：正在梳理栏目",
        "  + 任务 24：区司法局 已完成，完成日期 2020-10-09",
        "财政局反馈.xlsx（区财政局）",
        "  + 任务 20：进展情况 2020-10-20 区财政局：解读量已达60%",
        "  + 任务 25：区财政局 已完成，完成日期 2020-10-11",
        "  × 第 16 行（任务 26）拒收：计划中没有任务 26",
    ]
    assert "将写入 8 项改动（加 --apply 写入计划）；拒收 2 处" in result.stderr
    assert (repo / "data" / "schedule.yaml").read_bytes() == before  # nothing written yet

    applied = collect(run, "收回", "--apply")
    assert applied.exit_code == 1 and applied.stdout == result.stdout
    assert "已写入计划：8 项改动；拒收 2 处" in applied.stderr
    diff = git(repo, "diff", "-U0", "--", "data/schedule.yaml").splitlines()
    assert not [line for line in diff if line.startswith("-") and not line.startswith("---")]
    assert [line for line in diff if line.startswith("+") and not line.startswith("+++")] == [
        "+    progress:",
        "+      - {unit: 麟绛街道办事处, done_on: 2020-10-14}",
        "+    reports:",
        "+      - {date: 2020-10-14, unit: 麟绛街道办事处, text: 权责清单已公布}",
        "+    progress:",
        "+      - {unit: 区司法局, done_on: 2020-10-12}",
        "+    reports:",
        "+      - {date: 2020-10-12, unit: 区司法局, text: 已落实源头认定, evidence: [屯司发〔2020〕7号]}",
        "+    reports:",
        "+      - {date: 2020-10-20, unit: 区司法局, text: 正在梳理栏目}",
        "+    reports:",
        "+      - {date: 2020-10-20, unit: 区财政局, text: 解读量已达60%}",
        "+    progress:",
        "+      - {unit: 区司法局, done_on: 2020-10-09}",
        "+    progress:",
        "+      - {unit: 区财政局, done_on: 2020-10-11}",
    ]
    after = (repo / "data" / "schedule.yaml").read_bytes()
    again = run("collect", "收回", "--apply", "--today", "2020-10-21")
    assert (repo / "data" / "schedule.yaml").read_bytes() == after  # a second collect changes nothing
    assert "计划没有改动；拒收 2 处" in again.stderr
    assert "  = 2 行的内容计划中已有，不再写入" in again.stdout
    assert "+" not in "".join(line[2:3] for line in again.stdout.splitlines())
    listed = json.loads(run("list", "-u", "区司法局", "--status", "done", "--format", "json").stdout)
    assert listed == []  # 区司法局 finished its part; the tasks wait for the other units
    show = run("show", "18", "--format", "json", "--today", COLLECTED)
    assert "区司法局" not in json.loads(show.stdout)["progress"]["outstanding"]


def test_collect_json_has_stable_keys_and_no_extra_text(run: Run, repo: Path) -> None:
    forms = export(run, "区司法局")
    fill(forms[0], {"19": {"完成情况": "推进中", "进展说明": "梳理中"}, "20": {"完成情况": "完成"}}, forms[0])
    result = collect(run, str(forms[0]), "--format", "json")
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    keys = ["file", "unit", "row", "task_id", "period", "action", "date", "text", "evidence", "reason"]
    assert [list(r) for r in records] == [keys, keys]
    assert records[0] | {"file": ""} == {
        "file": "",
        "unit": "区司法局",
        "row": 11,
        "task_id": 19,
        "period": None,
        "action": "report",
        "date": COLLECTED,
        "text": "梳理中",
        "evidence": [],
        "reason": None,
    }
    assert records[1]["action"] == "refused" and "完成情况“完成”" in records[1]["reason"]
    csv_out = collect(run, str(forms[0]), "--format", "csv")
    assert csv_out.stdout.splitlines()[0] == ",".join(keys)


def test_an_empty_form_collects_nothing_and_exits_zero(run: Run, repo: Path) -> None:
    forms = export(run, "区司法局")
    result = collect(run, str(forms[0]), "--apply")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "  （没有填写内容）"
    assert "计划没有改动" in result.stderr
    assert git(repo, "diff", "--stat") == ""


# Messy files ---------------------------------------------------------------------------------


def test_a_form_resaved_by_another_program_keeps_working(run: Run, repo: Path) -> None:
    """WPS or LibreOffice writes the workbook anew; the identity sheet and the rows survive."""
    forms = export(run, "区司法局")
    fill(forms[0], {"19": {"完成情况": "推进中", "进展说明": "梳理中"}}, forms[0])
    book = load_workbook(forms[0])
    copy = Workbook()
    for index, sheet in enumerate(book.worksheets):
        target = copy.active if index == 0 else copy.create_sheet()
        target.title = sheet.title
        target.sheet_state = sheet.sheet_state
        for row in sheet.iter_rows(values_only=True):
            target.append(list(row))
    copy.save(repo / "另存.xlsx")
    assert "  + 任务 19：进展情况 2020-10-20 区司法局：梳理中" in collect(run, "另存.xlsx").stdout


def test_a_form_that_lost_its_identity_needs_its_unit(run: Run, repo: Path) -> None:
    """Issue 23.11: without its identity sheet a form is known by its title row, its file name
    and --unit, and only where every one of them that is there names the same unit."""
    forms = export(run, "区司法局")
    fill(forms[0], {"19": {"进展说明": "梳理中"}}, forms[0])
    book = load_workbook(forms[0])
    del book["zwgk"]
    book.save(repo / "回执.xlsx")
    taken = collect(run, "回执.xlsx")  # the title row: …反馈表（区司法局）
    assert taken.exit_code == 0 and "任务 19：进展情况 2020-10-20 区司法局：梳理中" in taken.stdout
    renamed = repo / "反馈表-区财政局-2020-10-15.xlsx"
    book.save(renamed)
    refused = collect(run, renamed.name)
    assert refused.exit_code == 1
    assert "文件名中的单位“区财政局”与表头中的单位“区司法局”不符" in refused.stdout
    other = collect(run, "回执.xlsx", "-u", "财政局")
    assert other.exit_code == 1 and "--unit 指定的单位“财政局”与表头中的单位“区司法局”不符" in other.stdout
    book["反馈表"]["A1"].value = None  # the title row gone too: nothing names the unit
    book.save(repo / "回执.xlsx")
    unknown = collect(run, "回执.xlsx")
    assert unknown.exit_code == 1 and "看不出是哪个单位的反馈表：请用 --unit 指明" in unknown.stdout
    named = collect(run, "回执.xlsx", "-u", "司法局")
    assert named.exit_code == 0 and "任务 19：进展情况 2020-10-20 区司法局：梳理中" in named.stdout


def test_a_form_of_another_plan_of_the_same_title_is_refused(run: Run, repo: Path) -> None:
    """Issue 23.11: a form was matched to its plan by title only; the form records the plan's id."""
    (form,) = export(run, "区司法局")
    fill(form, {"19": {"进展说明": "梳理中"}}, form)
    plan = repo / "data" / "schedule.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("plan_id: ced15158fa79", "plan_id: 0a1b2c3d4e5f"), encoding="utf-8")
    refused = collect(run, str(form))
    assert refused.exit_code == 1
    assert refused.stdout.splitlines()[1] == (
        "  × 整个文件拒收：这是另一个计划（计划编号 ced15158fa79）的反馈表，"
        "不是本计划（计划编号 0a1b2c3d4e5f）的"
    )
    without = text.replace("plan_id: ced15158fa79  # 计划编号：反馈表据此认出本计划\n", "")
    plan.write_text(without, encoding="utf-8")
    refused = collect(run, str(form))
    assert refused.exit_code == 1 and "（本计划没有计划编号 plan_id）" in refused.stdout
    plan.write_text(text, encoding="utf-8")
    assert "任务 19：进展情况 2020-10-20 区司法局：梳理中" in collect(run, str(form)).stdout


def test_unit_option_names_one_file_not_a_folder(run: Run, repo: Path) -> None:
    """Issue 23.11: ``collect DIR --unit X`` took every form in the folder that had no identity
    (CSV files) as X's."""
    back = repo / "收回"
    back.mkdir()
    for name in ("甲.csv", "乙.csv"):
        shutil.copyfile(FIXTURES / "收回" / "反馈表-区财政局-2020-10-15.csv", back / name)
    plan = repo / "data" / "schedule.yaml"
    before = plan.read_bytes()
    result = run("collect", str(back), "--unit", "区财政局", "--apply", "--today", COLLECTED)
    told_as_user_error(result, 2)
    assert "--unit 只能在收集一个文件时使用（这里有 2 个文件）" in result.stderr
    assert plan.read_bytes() == before
    one = run("collect", str(back / "甲.csv"), "--unit", "区财政局", "--today", COLLECTED)
    assert (
        "甲.csv（区财政局）" in one.stdout and "任务 25：区财政局 已完成，完成日期 2020-10-11" in one.stdout
    )


def test_a_formula_in_a_returned_form_is_refused_not_its_cached_value(run: Run, repo: Path) -> None:
    """Issue 23.14: a formula's cached value was taken without a word."""
    (form,) = export(run, "区司法局")
    fill(form, {"18": {"进展说明": "已落实"}, "19": {"进展说明": "梳理中"}}, form)
    book = load_workbook(form)
    sheet = book["反馈表"]
    header = [c.value for c in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "18")
    row[header.index("完成情况")].value = "已完成"
    row[header.index("完成日期")].value = "=TODAY()"
    book.save(form)
    result = collect(run, str(form))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [  # the other row is read; nothing of row 18 is
        "  + 任务 19：进展情况 2020-10-20 区司法局：梳理中",
        "  × 第 10 行（任务 18）拒收：“完成日期”一栏是公式，请直接填写内容（不用公式）后重新发送",
    ]


def test_a_csv_saved_by_excel_in_gbk(run: Run, repo: Path) -> None:
    lines = [
        "屯留区反馈表,,,",
        "序号,具体任务,完成情况,完成日期,进展说明",
        "19,明确政府网站信息公开（政务公开）和政府信息公开专栏内容,已完成,2020/10/16,已明确",
    ]
    (repo / f"反馈表-区司法局-{EXPORTED}.csv").write_bytes("\r\n".join(lines).encode("gbk"))
    result = collect(run, f"反馈表-区司法局-{EXPORTED}.csv", "--apply")
    assert result.exit_code == 0, result.output
    assert "  + 任务 19：区司法局 已完成，完成日期 2020-10-16" in result.stdout
    assert "{unit: 区司法局, done_on: 2020-10-16}" in (repo / "data" / "schedule.yaml").read_text("utf-8")


def test_an_old_xls_and_a_form_of_another_plan_are_refused_whole(
    run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZWGK_SOFFICE", "no-such-libreoffice")  # as on a machine without it
    (repo / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    forms = export(run, "区司法局")
    book = load_workbook(forms[0])
    book["zwgk"]["B2"] = "2022年政务公开工作要点"
    book.save(repo / "别的计划.xlsx")
    result = collect(run, "旧.xls", "别的计划.xlsx")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "旧.xls",
        "  × 整个文件拒收：读取 .xls 文件需要 LibreOffice。请安装（Debian/Ubuntu：sudo apt install "
        "libreoffice-writer-nogui libreoffice-calc-nogui；Windows、macOS：从 libreoffice.org 下载），"
        "或在 WPS、Word、Excel 中把它另存为 .xlsx 后再收集",
        "别的计划.xlsx（区司法局）",
        "  × 整个文件拒收：这是计划“2022年政务公开工作要点”的反馈表，不是本计划"
        "（“基层政务公开标准化规范化及政务公开工作任务进度安排”）的",
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_a_form_saved_by_libreoffice_or_old_excel_is_collected(run: Run, repo: Path, kind: str) -> None:
    """Issue 25: a form saved as .ods was refused with 无法打开（KeyError）, and skipped without a
    word inside a folder; an old .xls had to be saved again by hand."""
    forms = export(run, "区司法局")
    fill(forms[0], {"19": {"完成情况": "已完成", "完成日期": "2020-10-16", "进展说明": "已明确"}}, forms[0])
    back = repo / "收回"
    back.mkdir()
    subprocess.run(
        ["soffice", "--headless", "--convert-to", kind, "--outdir", str(back), str(forms[0])],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    result = collect(run, "收回", "--apply")
    assert result.exit_code == 0, result.output
    assert f"{forms[0].stem}.{kind}（区司法局）" in result.stdout
    assert "  + 任务 19：区司法局 已完成，完成日期 2020-10-16" in result.stdout


def test_a_form_exported_before_the_task_changed(run: Run, repo: Path) -> None:
    forms = export(run, "区司法局")
    fill(forms[0], {"19": {"进展说明": "梳理中"}, "20": {"进展说明": "已达70%"}}, forms[0])
    plan = repo / "data" / "schedule.yaml"
    plan.write_text(
        plan.read_text("utf-8").replace("2020年多样化解读量不得少于70%", "2020年多样化解读量不少于70%"),
        "utf-8",
    )
    result = collect(run, str(forms[0]))
    assert "任务 19：进展情况" in result.stdout
    assert "（任务 20）拒收：任务 20 在反馈表导出后修改过，请重新导出反馈表填写" in result.stdout


# Command-line mistakes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("export", "--feedback"), "请用 -o 给出反馈表写入的文件夹"),
        (("export", "--feedback", "-u", "司法局", "--all", "-o", "x"), "--unit 和 --all 只能选一个"),
        (("export", "--feedback", "-u", "各级各部门", "-o", "x"), "是单位组"),
        (("export", "-u", "司法局", "x.xlsx"), "只用于 --feedback"),
        (("export",), "请给出导出的文件名"),
        (("collect", "没有这个.xlsx"), "文件不存在"),
    ],
)
def test_usage_mistakes_say_what_to_do(run: Run, repo: Path, args: tuple[str, ...], words: str) -> None:
    result = run(*args, "--today", EXPORTED)
    assert result.exit_code == 2 and words in result.stderr and not result.stdout


def test_feedback_forms_for_every_unit_and_again_the_same(run: Run, repo: Path) -> None:
    first = run("export", "--feedback", "--all", "-o", "发出", "--today", EXPORTED)
    assert first.exit_code == 0 and first.stderr.count("已写入") == 21
    again = run("export", "--feedback", "-o", "发出", "--today", EXPORTED)
    assert again.exit_code == 0 and again.stderr.count("内容相同，未改动") == 21
    later = run(
        "export", "--feedback", "-u", "司法局", "-o", "发出", "--today", EXPORTED, "-f", "data/schedule.yaml"
    )
    assert later.exit_code == 0


# Faults --------------------------------------------------------------------------------------


def _zwgk(*args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "zwgk_cli", *args],
        env={**os.environ, "ZWGK_NO_CACHE": "1", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.stress
def test_a_kill_during_apply_leaves_the_plan_as_it_was_or_fully_written(run: Run, repo: Path) -> None:
    forms = export(run, "区司法局")
    fill(
        forms[0],
        {
            str(t): {"完成情况": "已完成", "完成日期": "2020-10-12", "进展说明": f"第{t}项"}
            for t in (18, 19, 20)
        },
        forms[0],
    )
    plan = repo / "data" / "schedule.yaml"
    before = plan.read_bytes()
    whole = run("collect", str(forms[0]), "--apply", "--today", COLLECTED)
    assert whole.exit_code == 0
    after = plan.read_bytes()
    plan.write_bytes(before)
    kills, attempts = 0, stress(16, 6)
    for attempt in range(attempts):
        process = _zwgk("collect", str(forms[0]), "--apply", "--today", COLLECTED)
        time.sleep(0.05 * (attempt % 8) + 0.1)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        assert plan.read_bytes() in (before, after)
        plan.write_bytes(before)
    assert kills >= attempts * 3 // 8


def test_a_kill_while_waiting_for_the_lock_leaves_the_plan_byte_identical(run: Run, repo: Path) -> None:
    forms = export(run, "区司法局")
    fill(forms[0], {"19": {"进展说明": "梳理中"}}, forms[0])
    plan = repo / "data" / "schedule.yaml"
    before = plan.read_bytes()
    holder = hold_lock(plan)
    try:
        process = _zwgk("collect", str(forms[0]), "--apply", "--today", COLLECTED, ZWGK_LOCK_TIMEOUT="60")
        time.sleep(1.5)  # it has read the forms and waits for the lock
        assert process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        holder.kill()
        holder.wait()
    assert plan.read_bytes() == before
    assert not [p for p in plan.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.stress
def test_twenty_collects_racing_with_done_lose_nothing(run: Run, repo: Path) -> None:
    units = ("区司法局", "区财政局", "区教育局", "区民政局", "区人社局")
    forms = export(run, *units)
    for unit, form in zip(units, forms, strict=True):
        fill(
            form,
            {"19": {"进展说明": f"{unit}梳理中"}, "22": {"完成情况": "已完成", "完成日期": "2020-10-12"}},
            form,
        )
    env = {"ZWGK_LOCK_TIMEOUT": "120", "ZWGK_TODAY": COLLECTED}
    plan = str(repo / "data" / "schedule.yaml")
    procs = [_zwgk("collect", str(forms[i % 5]), "--apply", "-f", plan, **env) for i in range(stress(20, 5))]
    procs += [_zwgk("done", str(task), "-f", plan, **env) for task in (6, 7, 9, 10, 11)]
    codes = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    assert all(code == 0 for code, _ in codes), codes
    text = (repo / "data" / "schedule.yaml").read_text("utf-8")
    for unit in units:
        assert text.count(f"{unit}梳理中") == 1
        assert text.count(f"{{unit: {unit}, done_on: 2020-10-12}}") == 1
    done = json.loads(run("list", "--status", "done", "--format", "json").stdout)
    assert [t["id"] for t in done] == [6, 7, 9, 10, 11]


def test_the_readme_forms_are_what_the_clerks_filled() -> None:
    """The returned forms under tests/fixtures/收回 hold what ``feedback_fixtures`` makes from
    the plan today (``python tests/feedback_fixtures.py`` writes them anew)."""
    from feedback_fixtures import FOLDER, cells, returned

    made = returned()
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(made)
    for name, data in made.items():
        assert cells(name, (FOLDER / name).read_bytes()) == cells(name, data), name


def test_recurring_duties_go_out_and_come_back_by_period(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "recurring.yaml"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "recurring.yaml", plan)
    out = run(
        "export",
        "--feedback",
        "-u",
        "区司法局",
        "-o",
        str(tmp_path / "发出"),
        "-f",
        str(plan),
        "--today",
        "2023-03-15",
    )
    assert out.exit_code == 0, out.output
    form = tmp_path / "发出" / "反馈表-区司法局-2023-03-15.xlsx"
    sheet = load_workbook(form)["反馈表"]
    assert [c.value for c in sheet[3]][:2] == ["序号", "期次"]
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=4)] == [
        ("2", "2023-01"),
        ("2", "2023-02"),
        ("2", "2023-03"),
        ("2", "2023-04"),
        ("7", None),
    ]
    book = load_workbook(form)
    headers = [c.value for c in book["反馈表"][3]]
    book["反馈表"].cell(5, headers.index("完成情况") + 1, "已完成")
    book["反馈表"].cell(5, headers.index("完成日期") + 1, "2023-02-08")
    book.save(form)
    result = run("collect", str(form), "--apply", "-f", str(plan), "--today", "2023-03-15")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == "  + 任务 2（2023-02）：区司法局 已完成，完成日期 2023-02-08"
    overdue = json.loads(
        run("overdue", "-f", str(plan), "-u", "区司法局", "--format", "json", "--today", "2023-03-15").stdout
    )
    owing = {t["period"]: t["progress"]["outstanding"] for t in overdue if t["id"] == 2}
    assert owing["2023-02"] == ["区教育局"] and owing["2023-01"] == ["区司法局", "区教育局"]


def test_with_verification_a_collected_completion_waits_for_the_office(run: Run, repo: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    plan.write_text(plan.read_text("utf-8").replace("tasks:\n", "verification: true\ntasks:\n", 1), "utf-8")
    forms = export(run, "区司法局")
    fill(forms[0], {"18": {"完成情况": "已完成", "完成日期": "2020-10-12"}}, forms[0])
    assert collect(run, str(forms[0]), "--apply").exit_code == 0
    shown = json.loads(run("show", "18", "--format", "json", "--today", COLLECTED).stdout)
    states = {u["unit"]: u["status"] for u in shown["progress"]["units"]}
    assert states["区司法局"] == "reported" and states["区财政局"] == "open"
    assert run("verify", "18", "-u", "区司法局", "--today", COLLECTED).exit_code == 0
    # The next form leaves out what the unit has reported (and is a new file: --force to replace).
    assert run("export", "--feedback", "-u", "区司法局", "-o", "发出", "--today", EXPORTED).exit_code == 6
    again = run("export", "--feedback", "-u", "区司法局", "-o", "发出", "--force", "--today", EXPORTED)
    assert again.exit_code == 0 and "已覆盖" in again.stderr
    rows = [r[0].value for r in load_workbook(forms[0])["反馈表"].iter_rows(min_row=4)]
    assert "18" not in rows


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice 未安装：改由 openpyxl 读回验证和保护"
)
def test_libreoffice_opens_the_form(run: Run, repo: Path, tmp_path: Path) -> None:
    forms = export(run, "区司法局")
    utf8_csv = "csv:Text - txt - csv (StarCalc):44,34,76"  # comma, double quote, UTF-8
    subprocess.run(
        ["soffice", "--headless", "--convert-to", utf8_csv, "--outdir", str(tmp_path), str(forms[0])],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = (tmp_path / forms[0].with_suffix(".csv").name).read_text("utf-8").splitlines()
    assert rows[2].startswith("序号,具体任务,完成时间,截止日期,完成情况,完成日期,进展说明,佐证材料,工作任务")
    assert rows[3].startswith("1,成立政务公开领导组,2020年7月下旬,2020-07-31,")


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("第一段\n第二段", True),  # Alt+Enter in the cell: a report over two lines, kept as typed
        ("含\t制表符", False),
        ("零宽\u200b字符", False),
        ("反向\u202e字符", False),
        ("长" * 5001, False),  # issue 23.9: a report of megabytes went into the plan
    ],
    ids=["line-break", "tab", "zero-width", "bidi", "too-long"],
)
def test_what_the_dry_run_accepts_apply_writes(run: Run, repo: Path, said: str, kept: bool) -> None:
    """Issue 23.7: odd characters in 进展说明 passed the dry run, then --apply aborted the whole
    batch with an internal error. Now a line break is kept, and what cannot be stored is refused
    in the dry run, on its row, and the other rows are written."""
    (form,) = export(run, "区司法局")
    rows = {"18": {"进展说明": said}, "19": {"进展说明": "正常的说明"}}
    fill(form, rows, repo / "收回" / "司法局.xlsx")
    dry = collect(run, "收回")
    applied = collect(run, "收回", "--apply")
    assert applied.stdout == dry.stdout and applied.exit_code == dry.exit_code
    plan = (repo / "data" / "schedule.yaml").read_text(encoding="utf-8")
    assert "正常的说明" in plan
    if kept:
        assert applied.exit_code == 0, applied.output
        assert 'text: "第一段\\n第二段"' in plan
        shown = run("show", "18", "--today", COLLECTED).stdout
        assert "区司法局进展：第一段\n    第二段" in shown
    else:
        assert applied.exit_code == 1 and "  × 第" in dry.stdout and "（任务 18）拒收" in dry.stdout
        assert "含" not in plan.split("正常的说明")[0].rsplit("reports:", 1)[-1]


def test_a_file_name_with_bidi_controls_is_shown_escaped(run: Run, repo: Path) -> None:
    """Issue 23.14: a file name with U+202E reached the terminal raw and read as another name."""
    forms = export(run, "区司法局")
    back = repo / "收回"
    back.mkdir()
    shutil.copyfile(forms[0], back / f"反馈表-区司法局-{EXPORTED}\u202exslx.xlsx")
    result = collect(run, "收回")
    assert "\u202e" not in result.stdout + result.stderr
    assert f"反馈表-区司法局-{EXPORTED}\\u202exslx.xlsx（区司法局）" in result.stdout


def test_a_forged_identity_is_refused(run: Run, repo: Path) -> None:
    """Issue 23.11: the hidden identity was trusted as written: 单位 changed to another unit was
    accepted, a unit group could send a form, and a returned completion came back in when the
    old form was sent again under a later export date."""
    (form,) = export(run, "区司法局")
    back = repo / "收回"
    back.mkdir()
    book = load_workbook(form)
    identity = book["zwgk"]
    row = next(r for r in identity.iter_rows() if r[0].value == "单位")
    row[1].value = "区财政局"
    book.save(back / form.name)  # the name it was sent out under still says 区司法局
    result = collect(run, "收回")
    assert result.exit_code == 1
    assert "表中记录的单位“区财政局”与文件名中的单位“区司法局”不符" in result.stdout
    row[1].value = "各级各部门"  # a group, in the identity and the title row alike
    title = book["反馈表"]["A1"]
    title.value = str(title.value).replace("（区司法局）", "（各级各部门）")
    (back / form.name).unlink()
    book.save(back / "各级各部门.xlsx")
    result = collect(run, "收回")
    assert result.exit_code == 1 and "“各级各部门”是单位组" in result.stdout


def test_a_unit_named_with_a_slash_is_known_by_its_form_s_file_name(run: Run, tmp_path: Path) -> None:
    """A file name cannot hold “/”: the form of 区人社/医保局 is 反馈表-区人社_医保局-….xlsx, and
    that name still agrees with the unit the form records; another unit's name does not."""
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "responsible": ["区人社/医保局"]}])
    out = tmp_path / "发出"
    made = run(
        "export",
        "--feedback",
        "-u",
        "区人社/医保局",
        "-o",
        str(out),
        "-f",
        str(plan),
        "--today",
        "2020-07-01",
    )
    assert made.exit_code == 0, made.output
    (form,) = out.glob("*.xlsx")
    assert form.name == "反馈表-区人社_医保局-2020-07-01.xlsx"
    fill(form, {"1": {"进展说明": "推进中"}}, form)
    taken = run("collect", str(form), "-f", str(plan), "--today", "2020-07-02")
    assert taken.exit_code == 0 and "  + 任务 1：进展情况 2020-07-02 区人社/医保局：推进中" in taken.stdout
    other = form.rename(form.with_name("反馈表-区人社_社保局-2020-07-01.xlsx"))
    refused = run("collect", str(other), "-f", str(plan), "--today", "2020-07-02")
    assert refused.exit_code == 1
    assert "表中记录的单位“区人社/医保局”与文件名中的单位“区人社_社保局”不符" in refused.stdout
