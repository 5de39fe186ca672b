"""The supervision loop (issue 15): progress with evidence, verify, return, remind, bulletin, score."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED, FIXTURES, Run, stress, told_as_user_error, write_plan
from zwgk_cli.storage import store

SETTINGS = (
    "verification: true\n"
    "office: 屯留区人民政府办公室\n"
    "scoring: {on_time: 10, late: 6, per_overdue_day: -0.2, per_return: -1, floor: 0, verified_only: true}\n"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the bundled plan with verification and scoring on, and a file
    of evidence; the clerk works in it."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / ".git").mkdir()  # the repository's root, as git marks it
    text = BUNDLED.read_text(encoding="utf-8").replace("tasks:\n", SETTINGS + "tasks:\n", 1)
    (root / "data" / "schedule.yaml").write_text(text, encoding="utf-8")
    (root / "docs" / "领导组文件.pdf").write_bytes(b"%PDF-1.4 test")
    monkeypatch.chdir(root)
    return root


def steps(run: Run, plan: Path, *commands: tuple[str, ...]) -> list[str]:
    said = []
    for args in commands:
        *words, today = args
        result = run(*words, "-f", str(plan), "--today", today)
        assert result.exit_code == 0, (args, result.output)
        said.append(result.stderr.strip())
    return said


def quarter(run: Run, plan: Path) -> list[str]:
    """One quarter of the bundled plan: three units report with evidence, one is returned and
    reports again, the office verifies."""
    return steps(
        run,
        plan,
        ("progress", "1", "-u", "司法局", "-t", "已成立领导组", "-e", "屯司发〔2020〕5号", "2020-07-25"),
        ("done", "1", "-u", "区司法局", "2020-07-25"),
        (
            "progress",
            "4",
            "-u",
            "区行政审批管理局",
            "-t",
            "已先行先试",
            "-e",
            "docs/领导组文件.pdf",
            "2020-07-28",
        ),
        ("done", "4", "-u", "区行政审批管理局", "2020-07-28"),
        ("return", "1", "-u", "区司法局", "--reason", "缺少印发文件", "2020-08-03"),
        (
            "progress",
            "4",
            "-u",
            "麟绛街道办事处",
            "-t",
            "已完成",
            "-e",
            "https://www.tunliu.gov.cn/a.html",
            "2020-08-05",
        ),
        ("done", "4", "-u", "麟绛街道办事处", "2020-08-05"),
        ("progress", "1", "-u", "区司法局", "-t", "补充印发文件", "-e", "屯司发〔2020〕9号", "2020-08-06"),
        ("done", "1", "-u", "区司法局", "2020-08-06"),
        ("verify", "1", "-u", "区司法局", "2020-08-10"),
        ("verify", "4", "2020-08-10"),
    )


def task(run: Run, plan: Path, task_id: int, today: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        run("show", str(task_id), "-f", str(plan), "--today", today, "--format", "json").stdout
    )
    return data


def test_a_quarter_of_the_supervision_loop(run: Run, repo: Path) -> None:
    plan = Path("data/schedule.yaml")
    said = quarter(run, plan)
    assert (
        said[4] == "已将任务 1 中 区司法局 报送的完成情况退回，改为未完成（2020-08-03）：data/schedule.yaml"
    )
    assert said[-1] == "已核实任务 4 的完成情况，销号（2020-08-10）：data/schedule.yaml"
    text = plan.read_text(encoding="utf-8")
    assert (
        "      - {date: 2020-07-25, unit: 区司法局, text: 已成立领导组, evidence: [屯司发〔2020〕5号]}\n"
        in text
    )
    assert "      - {date: 2020-08-03, unit: 区司法局, text: 缺少印发文件, returned: true}\n" in text
    assert "evidence: [docs/领导组文件.pdf]" in text  # stored relative to the repository
    assert "evidence: [https://www.tunliu.gov.cn/a.html]" in text

    one = task(run, plan, 1, "2020-09-30")
    assert one["status"] == "open"  # 18 of its 19 units have not reported
    assert [u for u in one["progress"]["units"] if u["status"] != "open"] == [
        {"unit": "区司法局", "status": "verified", "date": "2020-08-10"}
    ]
    assert [(r["date"], r["returned"]) for r in one["reports"]] == [
        ("2020-07-25", False),
        ("2020-08-03", True),
        ("2020-08-06", False),
    ]
    four = task(run, plan, 4, "2020-09-30")
    assert four["status"] == "verified" and four["done_on"] == "2020-08-05"

    # Scores by hand: 区行政审批管理局 did task 4 on time (10); 麟绛 5 days late (6 - 1.0);
    # 区司法局 task 1 6 days late and returned once (6 - 1.2 - 1); all else overdue, floored at 0.
    scores = json.loads(run("score", "-f", str(plan), "--today", "2020-09-30", "--format", "json").stdout)
    assert [(s["rank"], s["unit"], s["total"]) for s in scores[:4]] == [
        (1, "区行政审批管理局", 10.0),
        (2, "麟绛街道办事处", 5.0),
        (3, "区司法局", 3.8),
        (4, "区政府办公室", 0.0),
    ]
    assert all(s["rank"] == 4 and s["total"] == 0 for s in scores[3:])
    units = {s["unit"] for s in scores}
    assert "各乡镇（区）人民政府（管理中心）" in units  # a group without members is scored as one
    assert not units & {"区直各有关单位", "区直各有关部门", "各级各部门"}  # groups with members: through them

    # The bulletin names exactly the units the report finds with overdue work, most first.
    report = json.loads(run("report", "-f", str(plan), "--today", "2020-09-30", "--format", "json").stdout)
    late = sorted((-ln["overdue"], ln["name"]) for ln in report[:-1] if ln["overdue"])
    assert run("bulletin", "-o", "通报.md", "-f", str(plan), "--today", "2020-09-30").exit_code == 0
    named = Path("通报.md").read_text(encoding="utf-8").split("## 二、有逾期任务的单位")[1].split("## 三")[0]
    assert [part.split("逾期")[0] for part in named.strip().split("；")] == [name for _, name in late]
    # The overdue tasks by number and name: the first three, the rest counted.
    assert named.startswith(
        "\n\n麟绛街道办事处逾期11项（任务1“成立政务公开领导组”、任务2“出台具体实施方案或细则”、"
        "任务3“试点领域有关部门做好业务对接工作、采取具…”等11项）"
    )
    justice = next(s for s in scores if s["unit"] == "区司法局")
    assert justice["tasks"][0] == {
        "id": 1,
        "period": None,
        "status": "late",
        "days_late": 6,
        "returns": 1,
        "points": 3.8,
    }


def test_reported_is_not_overdue_but_awaits_verification(run: Run, repo: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    steps(
        run,
        plan,
        ("done", "4", "-u", "区行政审批管理局", "2020-07-28"),
        ("done", "4", "-u", "麟绛", "2020-07-29"),
    )
    late = json.loads(run("overdue", "-f", str(plan), "--today", "2020-08-01", "--format", "json").stdout)
    assert 4 not in [t["id"] for t in late]
    table = run("overdue", "-f", str(plan), "--today", "2020-08-01").stdout
    assert "已报完成待核实 1 项（不算逾期，请主管单位核实：zwgk verify 序号）" in table
    assert task(run, plan, 4, "2020-08-01")["status"] == "reported"
    report = json.loads(run("report", "-f", str(plan), "--today", "2020-08-01", "--format", "json").stdout)
    total = report[-1]
    assert (total["reported"], total["done_on_time"], total["open"]) == (1, 0, 24)
    steps(run, plan, ("verify", "4", "-u", "麟绛街道办事处", "2020-08-02"))
    assert task(run, plan, 4, "2020-08-02")["status"] == "reported"  # one of two verified
    lines = json.loads(run("report", "-f", str(plan), "--today", "2020-08-02", "--format", "json").stdout)
    approval = next(ln for ln in lines if ln["name"] == "区行政审批管理局")
    assert approval["reported"] == 1  # its own part is not verified, though 麟绛's is
    steps(run, plan, ("verify", "4", "-u", "区行政审批管理局", "2020-08-02"))
    assert task(run, plan, 4, "2020-08-02")["status"] == "verified"
    report = json.loads(run("report", "-f", str(plan), "--today", "2020-08-02", "--format", "json").stdout)
    assert (report[-1]["reported"], report[-1]["done_on_time"]) == (0, 1)


def test_verify_and_return_refuse_what_they_cannot_do(run: Run, repo: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    before = plan.read_bytes()
    cases = [
        (("verify", "4"), "尚未报完成，不能核实"),
        (("verify", "4", "-u", "麟绛"), "麟绛街道办事处 尚未报完成"),
        (("return", "4", "-u", "麟绛", "--reason", "不全"), "还没有报完成，不需要退回"),
        (("return", "4", "-u", "区司法局", "--reason", "不全"), "不是任务 4 的牵头或主体责任单位"),
        (("progress", "4", "-t", "  "), "--text 不能为空"),
        (("progress", "4", "-t", "有进展", "-e", "没有这个文件.pdf"), "也不是存在的文件"),
    ]
    for args, message in cases:
        result = run(*args, "-f", str(plan), "--today", "2020-08-01")
        assert result.exit_code in (2, 5) and message in result.stderr, (args, result.stderr)
    assert plan.read_bytes() == before
    steps(run, plan, ("done", "4", "2020-07-28"), ("verify", "4", "2020-07-30"))
    again = run("verify", "4", "-f", str(plan), "--today", "2020-08-01")
    assert again.exit_code == 0 and again.stderr == "任务 4 已核实，未作改动\n"
    verified = run("return", "4", "-u", "麟绛", "--reason", "不全", "-f", str(plan), "--today", "2020-08-01")
    assert verified.exit_code == 2 and "已核实销号，不能退回" in verified.stderr


def test_returning_a_task_done_as_a_whole_keeps_the_other_units_part(run: Run, repo: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    steps(
        run,
        plan,
        ("done", "4", "2020-07-28"),
        ("return", "4", "-u", "麟绛", "--reason", "材料不全", "2020-07-30"),
    )
    four = task(run, plan, 4, "2020-07-30")
    assert four["status"] == "open"
    assert four["progress"]["units"] == [
        {"unit": "麟绛街道办事处", "status": "open", "date": None},
        {"unit": "区行政审批管理局", "status": "reported", "date": "2020-07-28"},
    ]


def test_evidence_outside_the_repository_is_refused(run: Run, repo: Path, tmp_path: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    outside = tmp_path / "外部.pdf"
    outside.write_bytes(b"x")
    result = run(
        "progress", "4", "-t", "有进展", "-e", str(outside), "-f", str(plan), "--today", "2020-08-01"
    )
    assert result.exit_code == 2 and "不在计划所在的仓库" in result.stderr


def test_without_verification_done_is_done_and_verify_says_how_to_turn_it_on(run: Run, plan: Path) -> None:
    steps(run, plan, ("done", "4", "2020-07-28"))
    four = task(run, plan, 4, "2020-08-01")
    assert four["status"] == "done" and "units" not in four["progress"]
    result = run("verify", "4", "-f", str(plan), "--today", "2020-08-01")
    assert result.exit_code == 2 and "verification: true" in result.stderr
    # No scoring rules in the plan: scored by the README's defaults, and the title says so.
    scored = run("score", "-f", str(plan), "--today", "2020-08-01")
    assert scored.exit_code == 0
    assert "（计划未写考评规则 scoring，按默认规则）：按时完成 10 分" in scored.stdout
    report = run("report", "-f", str(plan), "--today", "2020-08-01").stdout
    assert "待核实" not in report


def test_reminders_go_only_to_late_units_and_a_second_run_changes_nothing(
    run: Run, repo: Path, tmp_path: Path
) -> None:
    import docx

    plan = repo / "data" / "schedule.yaml"
    quarter(run, plan)
    out = tmp_path / "通知"
    result = run("remind", "-o", str(out), "-f", str(plan), "--today", "2020-07-21", "--within", "0")
    assert result.exit_code == 0, result.output
    units = json.loads(run("units", "-f", str(plan), "--today", "2020-07-21", "--format", "json").stdout)
    late = {u["name"] for u in units if u["overdue"] and not (u["kind"] == "单位组" and u["members"])}
    notices = {p.name.removeprefix("催办通知-").removesuffix(".docx") for p in out.glob("*.docx")}
    assert notices == late and "区政府信息中心" in late  # task 25 (7月中旬) is everyone's
    document = docx.Document(str(out / "催办通知-区司法局.docx"))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "关于督促落实《基层政务公开标准化规范化及政务公开工作任务进度安排》工作任务的通知"
    assert paragraphs[1] == "区司法局："  # 主送
    # 落款, then the task list as an attachment on its own page (issue 25)
    assert paragraphs[-5:] == [
        "附件：逾期和即将到期任务清单",
        "屯留区人民政府办公室",
        "2020年7月21日",
        "附件",
        "逾期和即将到期任务清单",
    ]
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows == [
        ["序号", "具体任务", "完成时间", "逾期情况"],
        ["25", "建立健全政务舆情回应机制", "2020年7月中旬", "逾期1天"],
    ]
    listing = (out / "催办清单.csv").read_text(encoding="utf-8-sig").splitlines()
    assert listing[0] == "单位,序号,期次,具体任务,完成时间,逾期天数,剩余天数,通知文件"
    assert "区司法局,25,,建立健全政务舆情回应机制,2020年7月中旬,1,,催办通知-区司法局.docx" in listing
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = run("remind", "-o", str(out), "-f", str(plan), "--today", "2020-07-21", "--within", "0")
    assert again.exit_code == 0 and "内容相同，未改动" in again.stderr and "已写入" not in again.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no duplicates, same bytes
    later = run("remind", "-o", str(out), "-f", str(plan), "--today", "2020-08-01", "--within", "0")
    assert later.exit_code == 6 and "未写入任何文件" in later.stderr and "--force" in later.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    forced = run(
        "remind", "-o", str(out), "-f", str(plan), "--today", "2020-08-01", "--within", "0", "--force"
    )
    assert forced.exit_code == 0 and "已覆盖" in forced.stderr


def test_due_soon_work_is_reminded_with_the_days_left(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "deadline": "2020年8月中旬"},
            {"id": 2, "deadline": "2020年9月中旬", "responsible": ["区财政局"]},
        ],
        year=2020,
    )
    out = tmp_path / "n"
    assert (
        run("remind", "-o", str(out), "-f", str(plan), "--today", "2020-08-15", "--within", "7").exit_code
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "催办清单.csv",
        "催办通知-区司法局.docx",
        "催办通知-区司法局.md",
    ]
    notice = (out / "催办通知-区司法局.md").read_text(encoding="utf-8")
    assert "| 1 | 任务1 | 2020年8月中旬 | 5天后到期 |" in notice and "1项即将到期" in notice
    nothing = run("remind", "-o", str(tmp_path / "m"), "-f", str(plan), "--today", "2020-07-01")
    assert nothing.exit_code == 0 and nothing.stderr == "没有需要催办的单位，未生成文件\n"


def test_the_bulletin_praises_and_names_the_right_units(run: Run, tmp_path: Path) -> None:
    import docx

    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {
                "id": 1,
                "deadline": "2020年7月上旬",
                "responsible": ["甲局"],
                "status": "done",
                "done_on": "2020-07-05",
            },
            {"id": 2, "deadline": "2020年7月上旬", "responsible": ["乙局"]},
            {"id": 3, "deadline": "2020年7月中旬", "responsible": ["乙局", "丙局"]},
            {"id": 4, "deadline": "2020年7月下旬", "responsible": ["丙局"]},
            {"id": 5, "deadline": "2020年8月上旬", "responsible": ["甲局"]},
        ],
        year=2020,
    )
    out = tmp_path / "通报.md"
    assert run("bulletin", "-o", str(out), "-f", str(plan), "--today", "2020-07-25").exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "甲局按时完成了全部到期任务，予以表扬。" in text
    assert "乙局逾期2项（任务2“任务2”、任务3“任务3”）；丙局逾期1项（任务3“任务3”）。以上单位予以通报" in text
    assert "本旬到期：4 任务4（丙局，7月31日前）" in text
    assert "本月到期" not in text  # the rest of July is this 旬
    assert "共有任务5项" in text and "已完成1项" in text and "逾期2项" in text and "各有关单位：" in text
    word = tmp_path / "通报.docx"
    assert run("bulletin", "-o", str(word), "-f", str(plan), "--today", "2020-07-25").exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs if p.text]
    assert paragraphs[0].startswith("关于《测试计划》工作进展情况的通报")
    assert "一、按时完成的单位" in paragraphs and paragraphs[-1] == "2020年7月25日"
    bad = run("bulletin", "-o", str(tmp_path / "通报.pdf"), "-f", str(plan), "--today", "2020-07-25")
    assert bad.exit_code == 2 and "只能写成 .docx 或 .md" in bad.stderr


def test_score_formats(run: Run, repo: Path, tmp_path: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    quarter(run, plan)
    csv = run("score", "-f", str(plan), "--today", "2020-09-30", "--format", "csv").stdout.splitlines()
    assert csv[0] == "rank,unit,total,id,period,status,days_late,returns,points"
    assert csv[1] == "1,区行政审批管理局,10.0,1,,overdue,61,0,0.0"  # floored at 0
    assert "1,区行政审批管理局,10.0,4,,on_time,0,0,10.0" in csv
    table = run("score", "-f", str(plan), "--today", "2020-09-30").stdout
    assert "区行政审批管理局" in table and "每次退回 -1 分" in table
    book = tmp_path / "考评.xlsx"
    assert (
        run("score", "-f", str(plan), "--today", "2020-09-30", "--format", "xlsx", "-o", str(book)).exit_code
        == 0
    )
    from openpyxl import load_workbook

    sheets = load_workbook(book)
    assert sheets.sheetnames == ["排名", "明细"]
    assert [c.value for c in sheets["排名"][2]][:3] == [1, "区行政审批管理局", 10]
    # Numbers are numbers (issue 25: a score of 5.4 was stored as the text '5.4').
    detail = [[c.value for c in row] for row in sheets["明细"].iter_rows(min_row=2)]
    assert detail and all(
        isinstance(row[2], (int, float)) and isinstance(row[8], (int, float)) for row in detail
    )
    assert all(row[2] == float(line.split(",")[2]) for row, line in zip(detail, csv[1:], strict=True))
    # -o 考评.xlsx says the format by its name.
    by_name = tmp_path / "按后缀.xlsx"
    assert run("score", "-f", str(plan), "--today", "2020-09-30", "-o", str(by_name)).exit_code == 0
    assert load_workbook(by_name).sheetnames == ["排名", "明细"]
    as_json = tmp_path / "考评.json"
    assert run("score", "-f", str(plan), "--today", "2020-09-30", "-o", str(as_json)).exit_code == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))[0]["unit"] == "区行政审批管理局"
    no_file = run("score", "-f", str(plan), "--today", "2020-09-30", "--format", "xlsx")
    assert no_file.exit_code == 2 and "-o" in no_file.stderr


def test_the_excel_export_has_the_progress_reports(run: Run, repo: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    plan = repo / "data" / "schedule.yaml"
    quarter(run, plan)
    book = tmp_path / "x.xlsx"
    assert run("export", str(book), "-f", str(plan), "--today", "2020-09-30").exit_code == 0
    log = load_workbook(book)["进展情况"]
    rows = [[c.value for c in row] for row in log.iter_rows(values_only=False)]
    assert rows[0] == ["序号", "日期", "单位", "说明", "佐证材料", "类型"]
    assert rows[3] == [1, "2020-08-03", "区司法局", "缺少印发文件", None, "退回"]


@pytest.mark.parametrize(
    "args",
    [
        ("progress", "4", "-u", "麟绛", "-t", "有进展"),
        ("verify", "4"),
        ("return", "4", "-u", "麟绛", "--reason", "不全"),
    ],
)
def test_a_failed_write_leaves_the_plan_intact(
    run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    plan = repo / "data" / "schedule.yaml"
    steps(run, plan, ("done", "4", "2020-07-28"))
    before = plan.read_bytes()

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", full_disk)
    result = run(*args, "-f", str(plan), "--today", "2020-08-01")
    assert result.exit_code == 6 and "原文件未改动" in result.stderr
    assert plan.read_bytes() == before


@pytest.mark.stress
def test_concurrent_reports_verifications_and_returns_lose_nothing(repo: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    env = {**os.environ, "ZWGK_LOCK_TIMEOUT": "60", "ZWGK_TODAY": "2020-08-01"}

    def zwgk(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "zwgk_cli", *args, "-f", str(plan)], env=env, stderr=subprocess.PIPE
        )

    first = [zwgk("done", str(i)) for i in range(3, 9)]
    assert all(p.wait(timeout=120) == 0 for p in first)
    reports = stress(12, 4)
    procs = [zwgk("progress", str(i % 25 + 1), "-t", f"第{i}次报送") for i in range(reports)]
    procs += [zwgk("verify", str(i)) for i in (3, 4, 5)]
    procs += [zwgk("return", str(i), "-u", "麟绛", "--reason", "不全") for i in (6, 7, 8)]
    assert all(p.wait(timeout=120) == 0 for p in procs), [p.stderr.read() for p in procs if p.stderr]
    text = plan.read_text(encoding="utf-8")
    assert all(f"text: 第{i}次报送" in text for i in range(reports))
    data = json.loads(
        subprocess.run(
            [sys.executable, "-m", "zwgk_cli", "list", "-f", str(plan), "--format", "json"],
            env=env,
            capture_output=True,
            check=True,
        ).stdout
    )
    status = {t["id"]: t["status"] for t in data}
    assert [status[i] for i in (3, 4, 5, 6, 7, 8)] == ["verified"] * 3 + ["open"] * 3


def test_history_and_csv_show_the_reports(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "git"
    (repo / "data").mkdir(parents=True)
    plan = repo / "data" / "schedule.yaml"
    plan.write_text(
        BUNDLED.read_text(encoding="utf-8").replace("tasks:\n", SETTINGS + "tasks:\n", 1), encoding="utf-8"
    )
    env = {**os.environ, "GIT_AUTHOR_NAME": "张三", "GIT_AUTHOR_EMAIL": "z@example.cn"}
    env |= {"GIT_COMMITTER_NAME": "张三", "GIT_COMMITTER_EMAIL": "z@example.cn"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "data")
    git("commit", "-qm", "计划")
    steps(
        run,
        plan,
        ("done", "4", "2020-07-28"),
        ("return", "4", "-u", "麟绛", "--reason", "材料不全", "2020-07-30"),
    )
    git("commit", "-qam", "退回")
    history = run("history", "4", "-f", str(plan)).stdout
    assert "进展情况：（无） → 2020-07-30 麟绛街道办事处 材料不全 退回" in history
    csv = run("show", "4", "-f", str(plan), "--today", "2020-08-01", "--format", "csv").stdout.splitlines()
    # reports, then no verification, then the plan and its region
    assert csv[1].endswith(",2020-07-30 麟绛街道办事处 材料不全 退回,,schedule,屯留区")


def test_occurrences_of_recurring_duties_are_not_verified_one_by_one(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [{"id": 1, "deadline": "每季度首月20日前"}, {"id": 2, "deadline": "2023年3月底前"}],
        year=2023,
        verification=True,
        scoring={"on_time": 10},
    )
    steps(run, plan, ("done", "1", "--period", "2023Q1", "2023-01-15"))
    total = json.loads(run("report", "-f", str(plan), "--today", "2023-02-01", "--format", "json").stdout)[-1]
    assert (total["done_on_time"], total["reported"]) == (1, 0)
    refused = run("verify", "1", "-f", str(plan), "--today", "2023-02-01")
    assert refused.exit_code == 2 and "各期用 done --period 记录，不经核实" in refused.stderr
    scores = json.loads(run("score", "-f", str(plan), "--today", "2023-02-01", "--format", "json").stdout)
    assert scores[0]["tasks"] == [
        {"id": 1, "period": "2023Q1", "status": "on_time", "days_late": 0, "returns": 0, "points": 10.0}
    ]


def test_the_bulletin_praises_only_work_done_on_time_and_lists_the_rest_of_the_month(
    run: Run, tmp_path: Path
) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {
                "id": 1,
                "deadline": "2020年7月上旬",
                "responsible": ["甲局"],
                "status": "done",
                "done_on": "2020-07-02",
            },
            {
                "id": 2,
                "deadline": "2020年6月下旬",
                "responsible": ["乙局"],
                "status": "done",
                "done_on": "2020-07-01",
            },
            {"id": 3, "deadline": "2020年7月中旬", "responsible": ["丙局"]},
            {"id": 4, "deadline": "2020年7月上旬", "responsible": ["丁局"]},
            {"id": 5, "deadline": "2020年8月上旬", "responsible": ["丁局"]},
        ],
        year=2020,
    )
    out = tmp_path / "通报.md"
    assert run("bulletin", "-o", str(out), "-f", str(plan), "--today", "2020-07-05").exit_code == 0
    text = out.read_text(encoding="utf-8")
    # 乙局 finished late, 丙局 has finished nothing yet: only 甲局 is praised.
    assert (
        "甲局按时完成了全部到期任务，予以表扬。" in text and "乙局按时" not in text and "丙局按时" not in text
    )
    assert "暂无逾期任务。" in text
    assert "本旬到期：4 任务4（丁局，7月10日前）" in text
    assert "本月到期：3 任务3（丙局，7月20日前）" in text
    assert "任务5（" not in text  # due next month: not in the list of what falls due


def test_scores_by_the_rules_task_by_task(run: Run, tmp_path: Path) -> None:
    rules = {"on_time": 10, "late": 6, "per_overdue_day": -0.5, "per_return": -2, "floor": None}
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {
                "id": 1,
                "deadline": "2020年7月上旬",
                "status": "done",
                "done_on": "2020-07-05",
                "responsible": ["甲局"],
            },
            {
                "id": 2,
                "deadline": "2020年7月上旬",
                "status": "done",
                "done_on": "2020-07-15",
                "responsible": ["甲局"],
            },
            {
                "id": 3,
                "deadline": "2020年7月上旬",
                "status": "done",
                "done_on": "2020-07-08",
                "responsible": ["甲局"],
            },
            {
                "id": 4,
                "deadline": "2020年7月上旬",
                "status": "done",
                "done_on": "2020-07-09",
                "responsible": ["甲局"],
            },
            {"id": 5, "deadline": "2020年8月上旬", "responsible": ["甲局"]},
            {
                "id": 6,
                "deadline": "长期坚持",
                "status": "done",
                "done_on": "2020-07-01",
                "responsible": ["甲局"],
            },
            {"id": 7, "deadline": "2020年7月19日", "responsible": ["乙局"]},
            {"id": 8, "deadline": "2020年7月20日", "responsible": ["乙局"]},
            {"id": 9, "deadline": "2020年7月19日", "responsible": ["丙局"], "cooperating": ["丁局"]},
        ],
        year=2020,
        verification=True,
        scoring=rules,
    )
    for task_id in (1, 2, 6):
        steps(run, plan, ("verify", str(task_id), "2020-07-16"))
    steps(run, plan, ("return", "4", "-u", "甲局", "--reason", "不全", "2020-07-16"))
    steps(run, plan, ("done", "4", "--on", "2020-07-10", "2020-07-17"), ("verify", "4", "2020-07-17"))
    scores = json.loads(run("score", "-f", str(plan), "--today", "2020-07-20", "--format", "json").stdout)
    first = scores[0]
    assert (first["unit"], first["rank"]) == ("甲局", 1)
    points = {t["id"]: (t["status"], t["days_late"], t["returns"], t["points"]) for t in first["tasks"]}
    assert points == {
        1: ("on_time", 0, 0, 10.0),
        2: ("late", 5, 0, 3.5),  # 6 - 5 × 0.5
        3: ("overdue", 10, 0, -5.0),  # reported on time, never verified: still overdue
        4: ("on_time", 0, 1, 8.0),  # returned once
        6: ("on_time", 0, 0, 10.0),  # no fixed date: done is on time
    }  # task 5 is not due yet: not scored
    assert first["total"] == 26.5
    # 乙局: task 7 one day late (-0.5); task 8 due today, not late yet. 丁局 only cooperates.
    assert [(s["unit"], s["rank"], s["total"]) for s in scores[1:]] == [("乙局", 2, -0.5), ("丙局", 2, -0.5)]


def test_scores_keep_two_decimals_and_a_group_without_members_is_one_unit(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [{"id": 1, "deadline": "2020年7月19日", "responsible": ["各乡镇"], "supervising": []}],
        year=2020,
        scoring={"per_overdue_day": -0.125, "floor": None},
        groups=[{"name": "各乡镇", "kinds": [], "members": []}],
    )
    scores = json.loads(run("score", "-f", str(plan), "--today", "2020-07-20", "--format", "json").stdout)
    assert [(s["unit"], s["total"], s["tasks"][0]["points"]) for s in scores] == [("各乡镇", -0.12, -0.12)]


def test_the_office_that_signs(tmp_path: Path) -> None:
    from zwgk_cli.tracking.notices import office_of

    def office(tasks: list[dict[str, Any]], **head: Any) -> str:
        plan = write_plan(tmp_path / "p.yaml", tasks, year=2020, **head)
        return office_of(store.load(store.Location(plan)).schedule)

    two = [
        {"id": 1, "supervising": ["甲办"]},
        {"id": 2, "supervising": ["乙办", "甲办"]},
        {"id": 3, "supervising": ["乙办"]},
    ]
    assert office([*two, {"id": 4, "supervising": ["乙办"]}]) == "乙办"  # supervises most tasks
    assert office(two, office="屯留区人民政府办公室") == "屯留区人民政府办公室"
    assert office([{"id": 1, "supervising": []}]) == "政务公开工作领导小组办公室"


def test_reminders_for_one_unit_in_order(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "deadline": "2020年7月25日"},
            {"id": 2, "deadline": "2020年7月20日"},
            {"id": 3, "deadline": "2020年8月5日"},
            {"id": 4, "deadline": "2020年8月3日"},
            {"id": 5, "deadline": "2020年8月2日", "status": "done", "done_on": "2020-07-30"},
            {
                "id": 6,
                "deadline": "2020年8月4日",
                "responsible": ["区司法局", "区财政局"],
                "progress": [{"unit": "区司法局", "done_on": "2020-07-30"}],
            },
            {"id": 7, "deadline": "2020年7月20日", "responsible": ["区财政局"]},
        ],
        year=2020,
    )
    out = tmp_path / "n"
    result = run(
        "remind", "-o", str(out), "-u", "司法局", "-f", str(plan), "--today", "2020-08-01", "--within", "7"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "催办清单.csv",
        "催办通知-区司法局.docx",
        "催办通知-区司法局.md",
    ]
    rows = [
        line
        for line in (out / "催办通知-区司法局.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and line[2].isdigit()
    ]
    # Most overdue first, then soonest due; done work (5) and its own done part (6) are not reminded.
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == ["2", "1", "4", "3"]
    assert rows[0].endswith("| 逾期12天 |") and rows[2].endswith("| 2天后到期 |")


def test_evidence_of_every_kind_is_kept_in_order(run: Run, repo: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    said = steps(
        run,
        plan,
        (
            "progress",
            "4",
            "-u",
            "麟绛",
            "-t",
            "已公开",
            "--on",
            "2020-07-30",
            "-e",
            "http://www.tunliu.gov.cn/x",
            "-e",
            "屯政办发〔2020〕12号",
            "-e",
            "docs/领导组文件.pdf",
            "2020-08-01",
        ),
    )
    assert said == [f"已记录 麟绛街道办事处 任务 4 的进展情况（2020-07-30）：{plan}"]
    text = plan.read_text(encoding="utf-8")
    assert (
        "- {date: 2020-07-30, unit: 麟绛街道办事处, text: 已公开, "
        "evidence: [http://www.tunliu.gov.cn/x, 屯政办发〔2020〕12号, docs/领导组文件.pdf]}" in text
    )
    empty = run("progress", "4", "-t", "有进展", "-e", " ", "-f", str(plan), "--today", "2020-08-01")
    assert empty.stderr == "错误：--evidence 不能为空\n"
    steps(run, plan, ("done", "4", "2020-07-28"))
    no_reason = run("return", "4", "-u", "麟绛", "--reason", " ", "-f", str(plan), "--today", "2020-08-01")
    assert no_reason.stderr == "错误：--reason 不能为空\n"
    steps(run, plan, ("return", "4", "-u", "麟绛", "--reason", "不全", "--on", "2020-07-31", "2020-08-01"))
    assert "- {date: 2020-07-31, unit: 麟绛街道办事处, text: 不全, returned: true}" in plan.read_text(
        encoding="utf-8"
    )


def test_verify_in_detail(run: Run, repo: Path) -> None:
    plan = repo / "data" / "schedule.yaml"
    steps(run, plan, ("done", "4", "-u", "麟绛", "2020-07-28"))
    partly = run("verify", "4", "-f", str(plan), "--today", "2020-08-01")
    assert (
        partly.stderr
        == "错误：任务 4 中 区行政审批管理局 尚未报完成，不能核实。请先由单位 zwgk done 报完成\n"
    )
    said = steps(
        run, plan, ("verify", "4", "-u", "麟绛", "--note", "材料齐全", "--on", "2020-07-30", "2020-08-01")
    )
    assert said == [f"已核实任务 4 中 麟绛街道办事处 的完成情况，销号（2020-07-30）：{plan}"]
    assert "- {date: 2020-07-30, unit: 麟绛街道办事处, note: 材料齐全}" in plan.read_text(encoding="utf-8")
    again = run("verify", "4", "-u", "麟绛", "-f", str(plan), "--today", "2020-08-01")
    assert again.stderr == "任务 4 中 麟绛街道办事处 已核实，未作改动\n"
    steps(run, plan, ("done", "4", "-u", "区行政审批管理局", "2020-07-31"), ("verify", "4", "2020-08-01"))
    assert task(run, plan, 4, "2020-08-01")["status"] == "verified"
    whole = run("verify", "4", "-u", "区行政审批管理局", "-f", str(plan), "--today", "2020-08-02")
    assert whole.stderr == "任务 4 中 区行政审批管理局 已核实，未作改动\n"
    steps(run, plan, ("done", "12", "2020-08-01"))
    bad_note = run("verify", "12", "--note", "a\u200bb", "-f", str(plan), "--today", "2020-08-02")
    assert bad_note.exit_code == 2 and "--note 含有" in bad_note.stderr


def test_a_unit_with_nothing_due_is_not_ranked_level_with_an_overdue_one(run: Run, tmp_path: Path) -> None:
    """Issue 23.6: with floor 0, a unit whose task is overdue scores 0, as does a unit with
    nothing due yet; the first is ranked, the second listed after it without a rank."""
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "deadline": "2020年7月上旬", "responsible": ["甲局"]},
            {"id": 2, "deadline": "2020年9月上旬", "responsible": ["乙局"]},
            {
                "id": 3,
                "deadline": "2020年7月上旬",
                "responsible": ["丙局"],
                "status": "done",
                "done_on": "2020-07-01",
            },
        ],
        year=2020,
    )
    scores = json.loads(run("score", "-f", str(plan), "--today", "2020-07-20", "--format", "json").stdout)
    assert [(s["unit"], s["rank"], s["total"]) for s in scores] == [
        ("丙局", 1, 10),
        ("甲局", 2, 0),
        ("乙局", None, 0),
    ]
    table = run("score", "-f", str(plan), "--today", "2020-07-20").stdout
    assert "|—" in table and "乙局" in table


def test_repeated_units_are_all_taken_and_reopen_names_what_it_removes(run: Run, tmp_path: Path) -> None:
    """Issue 23.1 and 23.2: `verify 8 -u A -u B` verified only B, silently, and so did `done`;
    `reopen 8` removed three units' records and named none of them."""
    units = ["甲局", "乙局", "丙局"]
    plan = write_plan(tmp_path / "p.yaml", [{"id": 8, "responsible": units}], year=2020, verification=True)
    steps(run, plan, ("done", "8", "-u", "甲局", "-u", "乙局", "2020-08-01"))
    states = {u["unit"]: u["status"] for u in task(run, plan, 8, "2020-08-01")["progress"]["units"]}
    assert states == {"甲局": "reported", "乙局": "reported", "丙局": "open"}
    said = run("verify", "8", "-u", "甲局", "-u", "乙局", "-f", str(plan), "--today", "2020-08-02")
    assert said.exit_code == 0 and "甲局、乙局" in said.stderr
    states = {u["unit"]: u["status"] for u in task(run, plan, 8, "2020-08-02")["progress"]["units"]}
    assert states == {"甲局": "verified", "乙局": "verified", "丙局": "open"}
    steps(run, plan, ("done", "8", "-u", "丙局", "2020-08-03"))
    reported = run("verify", "8", "--reported", "-f", str(plan), "--today", "2020-08-04")
    assert reported.exit_code == 0 and "丙局" in reported.stderr
    none_left = run("verify", "8", "--reported", "-f", str(plan), "--today", "2020-08-04")
    assert none_left.exit_code == 2 and "没有已报完成、待核实的单位" in none_left.stderr
    reopened = run("reopen", "8", "-f", str(plan), "--today", "2020-08-05")
    assert reopened.exit_code == 0
    assert "撤销了 甲局、乙局、丙局 的完成记录（zwgk history 8 可查看原记录）" in reopened.stderr


def test_a_failed_unit_in_a_repeated_option_writes_nothing(run: Run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 8, "responsible": ["甲局", "乙局"]}], year=2020)
    before = plan.read_bytes()
    result = run("done", "8", "-u", "甲局", "-u", "不存在局", "-f", str(plan), "--today", "2020-08-01")
    assert result.exit_code != 0 and "不存在局" in result.stderr
    assert plan.read_bytes() == before


def test_a_wrong_progress_report_can_be_withdrawn(run: Run, tmp_path: Path) -> None:
    """Issue 23.5: progress could not be undone."""
    plan = write_plan(tmp_path / "p.yaml", [{"id": 3, "responsible": ["甲局", "乙局"]}], year=2020)
    steps(
        run,
        plan,
        ("progress", "3", "-u", "甲局", "-t", "已起草", "2020-08-01"),
        ("progress", "3", "-u", "乙局", "-t", "乙局的进展", "2020-08-02"),
        ("progress", "3", "-u", "甲局", "-t", "录错了", "2020-08-03"),
    )
    said = run("progress", "3", "-u", "甲局", "--withdraw", "-f", str(plan), "--today", "2020-08-04")
    assert said.exit_code == 0
    assert "已撤回 甲局 任务 3 中 2020-08-03 的进展情况“录错了”（zwgk history 3 可查看原记录）" in said.stderr
    reports = [(r["unit"], r["text"]) for r in task(run, plan, 3, "2020-08-04")["reports"]]
    assert reports == [("甲局", "已起草"), ("乙局", "乙局的进展")]
    dated = run("progress", "3", "--withdraw", "--on", "2020-08-01", "-f", str(plan), "--today", "2020-08-04")
    assert dated.exit_code == 0 and "“已起草”" in dated.stderr
    none = run("progress", "3", "-u", "甲局", "--withdraw", "-f", str(plan), "--today", "2020-08-04")
    assert none.exit_code == 2 and none.stderr == "错误：任务 3 中没有 甲局 进展情况可撤回\n"
    on_a_day = ("progress", "3", "--withdraw", "--on", "2020-07-30", "-f", str(plan), "--today", "2020-08-04")
    nothing_then = run(*on_a_day)
    assert nothing_then.stderr == "错误：任务 3 中没有 2020-07-30 的进展情况可撤回\n"
    neither = run(*on_a_day, "-u", "乙局")
    assert neither.stderr == "错误：任务 3 中没有 乙局 2020-07-30 的进展情况可撤回\n"
    both = run("progress", "3", "--withdraw", "-t", "x", "-f", str(plan), "--today", "2020-08-04")
    assert both.exit_code == 2 and "不能同时给出 --text" in both.stderr
    bare = run("progress", "3", "-f", str(plan), "--today", "2020-08-04")
    assert bare.exit_code == 2 and "请用 --text 给出进展说明" in bare.stderr


def test_reminders_skip_the_office_that_signs_them_and_address_a_group_as_each_unit(
    run: Run, tmp_path: Path
) -> None:
    """Issue 23.6: the office sent 催办 to itself, and a unit group was addressed as 你单位."""
    out = tmp_path / "催办"
    result = run("remind", "-o", str(out), "--today", "2020-10-15")
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert "催办通知-区政府办公室.md" not in names and "催办通知-区司法局.md" in names
    group = (out / "催办通知-各乡镇（区）人民政府（管理中心）.md").read_text(encoding="utf-8")
    assert "各单位承担的工作任务中" in group and "你单位" not in group
    assert "你单位承担的工作任务中" in (out / "催办通知-区司法局.md").read_text(encoding="utf-8")
    office = run("remind", "-o", str(tmp_path / "自己"), "-u", "区政府办公室", "--today", "2020-10-15")
    assert office.exit_code == 0  # asked for by name, the office's own notice is written


@pytest.mark.parametrize(
    ("evidence", "kept"),
    [
        ("屯政办发〔2020〕12号", True),
        ("屯政发12号", True),
        ("https://www.tunliu.gov.cn/zwgk/1.html", True),
        ("号", False),
        ("http://", False),
        ("https://nohost", False),
    ],
)
def test_evidence_is_a_document_number_an_address_or_a_file(
    run: Run, tmp_path: Path, evidence: str, kept: bool
) -> None:
    """Issue 23.14: anything ending in 号 counted as a document number, http:// as an address."""
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1}], year=2020)
    result = run("progress", "1", "-t", "已完成", "-e", evidence, "-f", str(plan), "--today", "2020-08-01")
    assert (result.exit_code == 0) is kept, result.output
    if not kept:
        assert "不是文号（如 屯政办发〔2020〕12号）或网址" in result.stderr


def test_score_writes_csv_and_json_to_a_file_when_asked(run: Run, tmp_path: Path) -> None:
    """Issue 25: `score --format csv -o FILE` wrote nothing and said nothing."""
    target = tmp_path / "考评.csv"
    result = run("score", "--format", "csv", "-o", str(target), "--today", "2020-10-15")
    assert result.exit_code == 0 and result.stdout == "" and f"{target}" in result.stderr
    shown = run("score", "--format", "csv", "--today", "2020-10-15").stdout
    assert target.read_text(encoding="utf-8") == shown and shown.startswith("rank,unit,total,")
    table = run("score", "-o", str(tmp_path / "x.txt"), "--today", "2020-10-15")
    assert table.exit_code == 2 and "写入文件请用 .xlsx、.csv 或 .json 文件名" in table.stderr


def test_notices_carry_number_reply_date_contact_and_public_note(
    run: Run, repo: Path, tmp_path: Path
) -> None:
    import docx

    """Issue 25 / 23.6: real notices carry a serial number, a reply deadline, 联系人 and 电话, and
    may say （此件公开发布）; the task list is an attachment on a page of its own."""
    plan = repo / "data" / "schedule.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("\ntasks:", "\ncontact: 张三\nphone: 0355-1234567\ntasks:", 1), "utf-8")
    out = tmp_path / "通知"
    args = ["remind", "-o", str(out), "-f", str(plan), "--today", "2020-08-05", "--public"]
    result = run(*args, "--number", "屯政公开办〔2020〕12号", "--reply-by", "8月10日")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.md"))
    numbers = sorted((out / name).read_text(encoding="utf-8").splitlines()[0] for name in names)
    assert len(names) > 2
    expected = [f'<p align="center">屯政公开办〔2020〕{12 + k}号</p>' for k in range(len(names))]
    assert numbers == sorted(expected)
    document = docx.Document(str(out / "催办通知-区司法局.docx"))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[1].startswith("关于督促落实")
    assert "请于8月10日前将办理情况和佐证材料报送屯留区人民政府办公室。" in texts[3]
    assert texts[4:9] == [
        "（联系人：张三，联系电话：0355-1234567）",
        "附件：逾期和即将到期任务清单",
        "屯留区人民政府办公室",
        "2020年8月5日",
        "（此件公开发布）",
    ]
    body = document.element.body.xml
    assert body.index('w:type="page"') < body.index("<w:tbl>")  # the list starts a new page
    # the attachment line, the signature and the date are kept on one page
    kept = [p.text for p in document.paragraphs if p.paragraph_format.keep_with_next]
    assert kept == ["附件：逾期和即将到期任务清单", "屯留区人民政府办公室"]


@pytest.mark.parametrize(
    ("number", "offset", "expected"),
    [
        ("屯政公开办〔2020〕12号", 0, "屯政公开办〔2020〕12号"),
        ("屯政公开办〔2020〕12号", 3, "屯政公开办〔2020〕15号"),
        ("督办单第9期", 1, "督办单第9期"),
        ("第7", 2, "第9"),
        (None, 4, None),
    ],
)
def test_notice_numbers_count_on(number: str | None, offset: int, expected: str | None) -> None:
    from zwgk_cli.render.notices import numbered

    assert numbered(number, offset) == expected


def test_a_written_text_is_bounded_everywhere(run: Run, repo: Path, tmp_path: Path) -> None:
    """Issue 23.9: a 41 MB 进展说明 went into the plan, which every later command then refused.
    A note, report or reason a command writes is at most MAX_WRITTEN characters: the command
    says so and the plan is left as it was."""
    from zwgk_cli.plan.texts import MAX_WRITTEN

    plan = repo / "data" / "schedule.yaml"
    before = plan.read_bytes()
    long = "长" * (MAX_WRITTEN + 1)
    for args in (
        ("progress", "1", "-u", "区司法局", "-t", long),
        ("done", "1", "-u", "区司法局", "--note", long),
        ("done", "1", "-u", "区司法局"),  # (a valid one, so that there is something to return)
        ("return", "1", "-u", "区司法局", "--reason", long),
    ):
        result = run(*args, "-f", str(plan), "--today", "2020-07-25")
        if long not in args:
            assert result.exit_code == 0, result.output
            before = plan.read_bytes()
            continue
        assert result.exit_code == 2, (args, result.output)
        assert f"有 {MAX_WRITTEN + 1} 字，超过 {MAX_WRITTEN} 字的上限" in result.stderr, args
        assert plan.read_bytes() == before
    exactly = run(
        "progress", "1", "-u", "区司法局", "-t", "长" * MAX_WRITTEN, "-f", str(plan), "--today", "2020-07-25"
    )
    assert exactly.exit_code == 0, exactly.output


def test_one_units_reports_are_verified_across_tasks_at_once(run: Run, tmp_path: Path) -> None:
    """Issue 23.2: there was no way to verify a unit's reports across tasks at once."""
    plan = tmp_path / "p.yaml"
    plan.write_bytes((FIXTURES / "supervised.yaml").read_bytes())
    at = ("-f", str(plan), "--today", "2020-07-27")
    for task, unit in ((1, "区司法局"), (3, "区司法局"), (1, "区财政局")):
        assert run("done", str(task), "-u", unit, *at).exit_code == 0
    result = run("verify", "-u", "区司法局", "--reported", *at)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"已核实 区司法局 在任务 1、3 中报送的完成情况，销号（2020-07-27）：{plan}\n"
    shown = {t["id"]: t for t in json.loads(run("list", "--format", "json", *at).stdout)}
    states = {(t, u["unit"]): u["status"] for t in (1, 3) for u in shown[t]["progress"]["units"]}
    assert states[(1, "区司法局")] == states[(3, "区司法局")] == "verified"
    assert states[(1, "区财政局")] == "reported"  # another unit's report waits for its own verify
    again = run("verify", "-u", "区司法局", "--reported", *at)
    told_as_user_error(again, 2)
    assert "区司法局 没有已报完成、待核实的任务" in again.stderr
    told_as_user_error(run("verify", "-u", "区司法局", *at), 2)  # no task and no --reported


def test_the_bulletins_next_steps_are_this_xun_then_the_rest_of_the_month(tmp_path: Path) -> None:
    """下一步工作: what falls due by the end of this 旬, then from the day after it to the end of
    the month; nothing overdue, nothing of next month (the windows' edges, day by day)."""
    from datetime import date

    from zwgk_cli.tracking.notices import bulletin

    due = [
        "2020年8月10日前",
        "2020年8月11日",
        "2020年8月12日",
        "2020年8月31日",
        "2020年9月1日",
        "2020年7月31日",
    ]
    plan = write_plan(tmp_path / "p.yaml", [{"id": n, "deadline": d} for n, d in enumerate(due, start=1)])
    schedule = store.load(store.Location(plan)).schedule
    first = bulletin(schedule, date(2020, 8, 5))
    assert [r.item.id for r in first.this_xun] == [1]
    assert [r.item.id for r in first.this_month] == [2, 3, 4]
    last = bulletin(schedule, date(2020, 8, 25))  # the 下旬 ends the month: nothing after it
    assert ([r.item.id for r in last.this_xun], list(last.this_month)) == ([4], [])


def test_every_unit_with_nothing_due_yet_is_listed_unranked_after_the_ranked(
    run: Run, tmp_path: Path
) -> None:
    tasks = [
        {
            "id": 1,
            "responsible": ["区甲局"],
            "deadline": "2020年7月中旬",
            "status": "done",
            "done_on": "2020-07-10",
        },
        {"id": 2, "responsible": ["区乙局"], "deadline": "2020年12月底前"},
        {"id": 3, "responsible": ["区丙局"], "deadline": "2020年12月底前"},
    ]
    plan = write_plan(tmp_path / "p.yaml", tasks)
    result = run("score", "-f", str(plan), "--today", "2020-08-01", "--format", "json")
    assert result.exit_code == 0, result.output
    ranked = [(u["unit"], u["rank"]) for u in json.loads(result.stdout)]
    assert ranked == [("区甲局", 1), ("区乙局", None), ("区丙局", None)]
