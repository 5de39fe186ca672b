"""Reports, due lists, the timeline and every export format, on fixed dates."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import TODAY, Run, write_plan


def report(run: Run, plan: Path, today: str, *args: str) -> list[dict[str, object]]:
    result = run("report", "--file", str(plan), "--today", today, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("today", "overdue", "due_soon", "light"),
    [
        ("2020-08-01", 10, 0, "红"),
        ("2020-10-15", 13, 3, "红"),
        ("2020-12-25", 18, 3, "红"),
        ("2020-07-01", 0, 0, "绿"),
        ("2020-07-05", 0, 1, "黄"),
    ],
)
def test_totals_on_the_bundled_plan(
    run: Run, plan: Path, today: str, overdue: int, due_soon: int, light: str
) -> None:
    total = report(run, plan, today, "--by", "category")[-1]
    assert total["name"] == "合计"
    assert (total["tasks"], total["open"], total["overdue"], total["due_soon"], total["light"]) == (
        25,
        25,
        overdue,
        due_soon,
        light,
    )


def test_units_ranked_by_overdue_work(run: Run, plan: Path) -> None:
    lines = report(run, plan, TODAY)
    assert [ln["name"] for ln in lines[:3]] == [
        "麟绛街道办事处",
        "各乡镇（区）人民政府（管理中心）",
        "区行政审批管理局",
    ]
    overdue = [ln["overdue"] for ln in lines[:-1]]
    assert overdue == sorted(overdue, reverse=True)
    sifa = next(ln for ln in lines if ln["name"] == "区司法局")
    assert (sifa["tasks"], sifa["overdue"], sifa["overdue_ids"]) == (9, 4, [1, 2, 24, 25])
    names = {ln["name"] for ln in lines}
    assert "各级各部门" not in names  # groups with members are counted through their members


def test_done_on_time_and_late(run: Run, plan: Path) -> None:
    assert run("done", "1", "-f", str(plan), "--on", "2020-07-30", "--today", "2020-08-10").exit_code == 0
    assert run("done", "2", "-f", str(plan), "--on", "2020-08-05", "--today", "2020-08-10").exit_code == 0
    lines = report(run, plan, "2020-08-10", "--by", "category")
    first = lines[0]
    assert first["name"] == "组织实施"
    assert (
        first["tasks"],
        first["done_on_time"],
        first["done_late"],
        first["open"],
        first["overdue"],
        first["rate"],
        first["light"],
    ) == (3, 1, 1, 1, 1, 0.6667, "红")
    done_all = report(run, plan, "2020-08-10", "--by", "category", "--soon", "3")
    assert done_all[-1]["done_on_time"] == 1


def test_report_light_complete(run: Run, fixture_plan: object, tmp_path: Path) -> None:
    path = Path(__file__).parent / "fixtures" / "members.yaml"
    target = tmp_path / "m.yaml"
    shutil.copyfile(path, target)
    lines = report(run, target, "2020-07-10", "--by", "category")
    assert {ln["name"]: ln["light"] for ln in lines} == {"组织实施": "绿", "梳理事项": "完成", "合计": "绿"}


def test_report_formats(run: Run, plan: Path) -> None:
    md = run("report", "-f", str(plan), "--today", TODAY, "--by", "category", "--format", "markdown")
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith(
        "| 工作任务 | 任务 | 按时完成 | 逾期完成 | 未完成 | 逾期 | 7天内到期 | 完成率 | 状态 |\n|---|"
    )
    assert "| 组织实施 | 3 | 0 | 0 | 3 | 3 | 0 | 0% | 红 |" in md.stdout
    csv_out = run("report", "-f", str(plan), "--today", TODAY, "--format", "csv").stdout.splitlines()
    keys = "name,tasks,done_on_time,done_late,open,overdue,due_soon,rate,light,overdue_ids,reported"
    assert csv_out[0] == keys
    table = run("report", "-f", str(plan), "--today", TODAY)
    assert "麟绛街道办事处" in table.stdout and "红 = 有逾期" in table.stdout
    assert run("report", "-f", str(plan), "--by", "month").exit_code == 2


def due_ids(run: Run, plan: Path, today: str, *args: str) -> list[int]:
    result = run("due", "--file", str(plan), "--today", today, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [t["id"] for t in json.loads(result.stdout)]


def test_due(run: Run, plan: Path) -> None:
    assert due_ids(run, plan, "2020-10-12") == []  # 10月中旬 ends on the 20th: 8 days away
    assert due_ids(run, plan, "2020-10-13") == [9, 11, 12]
    assert due_ids(run, plan, "2020-10-12", "--within", "20") == [9, 11, 12, 19, 23]
    assert due_ids(run, plan, "2020-10-12", "--xun") == [9, 11, 12]
    assert due_ids(run, plan, "2020-10-21", "--xun") == [19, 23]
    assert due_ids(run, plan, "2020-10-12", "--unit", "区政府信息中心", "--within", "30") == [12, 19, 23]
    assert due_ids(run, plan, "2020-07-25") == [1, 2, 3, 4, 5, 6, 16, 24]
    table = run("due", "-f", str(plan), "--today", "2020-10-12", "--xun")
    assert "本旬（2020-10-11 至 2020-10-20）到期的未完成任务 3 项" in table.stdout


def test_timeline_fits_80_columns_plain(run: Run, plan: Path) -> None:
    assert run("done", "10", "-f", str(plan), "--on", "2020-07-08", "--today", "2020-10-15").exit_code == 0
    result = run("timeline", "--file", str(plan), "--today", "2020-10-15")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) + sum(1 for c in line if ord(c) > 0x2E80) <= 80 for line in lines)
    assert "\x1b" not in result.stdout and "█" not in result.stdout
    assert lines[0].split()[0] == "2020-07"
    assert "v" in lines[1]
    row10 = next(line for line in lines if line.startswith(" 10 "))
    row1 = next(line for line in lines if line.startswith("  1 "))
    row13 = next(line for line in lines if line.startswith(" 13 "))
    assert "=" in row10 and "!" in row1 and "-" in row13 and "|" in row13
    assert lines[-2].startswith("图例：= 已完成  ! 逾期  ~ 近期到期  - 未完成  | 今天")
    assert "任务 25 项，截至 2020-10-15" in lines[-1]


def test_timeline_today_outside(run: Run, plan: Path) -> None:
    result = run("timeline", "--file", str(plan), "--today", "2026-11-29", "--width", "120")
    assert "今天不在图的时间范围内" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()[:3]) <= 120


# Exports ----------------------------------------------------------------------------------------


def export(run: Run, plan: Path, target: Path, *args: str) -> Path:
    result = run("export", str(target), "--file", str(plan), "--today", TODAY, *args)
    assert result.exit_code == 0, result.output
    assert f"已导出 {target}" in result.stderr
    return target


def test_export_machine_formats_match_format_option(run: Run, plan: Path, tmp_path: Path) -> None:
    for fmt in ("json", "csv"):
        exported = export(run, plan, tmp_path / f"plan.{fmt}").read_text(encoding="utf-8-sig")
        listed = run("list", "--file", str(plan), "--today", TODAY, "--format", fmt).stdout
        assert exported == listed
    assert (tmp_path / "plan.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    md = export(run, plan, tmp_path / "plan.md").read_text(encoding="utf-8")
    assert md.startswith(
        "| 序号 | 工作任务 | 具体任务 | 主体责任单位 | 主管单位 | 完成时间 | 状态 | 完成日期 | 备注 |"
    )
    assert md.count("\n") == 27


def test_export_refuses_to_overwrite_and_unknown_suffix(run: Run, plan: Path, tmp_path: Path) -> None:
    target = export(run, plan, tmp_path / "plan.json")
    result = run("export", str(target), "--file", str(plan))
    assert result.exit_code == 6 and "--force" in result.stderr
    assert run("export", str(target), "--file", str(plan), "--force").exit_code == 0
    bad = run("export", str(tmp_path / "plan.pdf"), "--file", str(plan))
    assert bad.exit_code == 2 and "不支持导出为“.pdf”" in bad.stderr


def test_export_xlsx_reads_back(run: Run, plan: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    assert run("done", "10", "-f", str(plan), "--on", "2020-07-08", "--today", TODAY).exit_code == 0
    book = openpyxl.load_workbook(export(run, plan, tmp_path / "plan.xlsx"))
    assert book.sheetnames == ["任务", "单位进度"]
    tasks = book["任务"]
    assert [c.value for c in tasks[1]] == [
        "序号",
        "工作任务",
        "具体任务",
        "主体责任单位",
        "主管单位",
        "完成时间",
        "状态",
        "完成日期",
        "备注",
    ]
    assert tasks.max_row == 26 and tasks.freeze_panes == "A2"
    assert tasks["C2"].alignment.wrap_text and tasks.column_dimensions["C"].width >= 60
    row1 = [c.value for c in tasks[2]]
    assert row1[:3] == [1, "组织实施", "成立政务公开领导组"] and row1[6] == "逾期 1 天"
    assert tasks["A2"].fill.fgColor.rgb.endswith("F8CBAD")  # overdue: red
    assert tasks["A11"].fill.fgColor.rgb.endswith("C6EFCE")  # task 10 done: green
    assert tasks["A8"].fill.fill_type is None  # task 7 neither
    units = book["单位进度"]
    assert units["A2"].value == "麟绛街道办事处" and units["F2"].value == 9  # task 10 is done
    assert units.cell(units.max_row, 1).value == "合计"


def test_export_ics(run: Run, plan: Path, tmp_path: Path) -> None:
    icalendar = pytest.importorskip("icalendar")
    assert run("done", "10", "-f", str(plan), "--on", "2020-07-08", "--today", TODAY).exit_code == 0
    first = export(run, plan, tmp_path / "a.ics").read_bytes()
    events = icalendar.Calendar.from_ical(first).walk("VEVENT")
    assert len(events) == 24  # task 10 is done
    event = events[0]
    assert str(event["summary"]) == "【组织实施】成立政务公开领导组"
    assert event.decoded("dtstart").isoformat() == "2020-07-21"
    assert event.decoded("dtend").isoformat() == "2020-08-01"  # exclusive end of an all-day event
    alarm = event.walk("VALARM")[0]
    assert alarm.decoded("trigger").days == -3 and alarm["trigger"].params["RELATED"] == "END"
    second = export(run, plan, tmp_path / "b.ics").read_bytes()
    uids = lambda data: [str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]  # noqa: E731
    assert uids(first) == uids(second) and len(set(uids(first))) == 24


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_export_html_is_self_contained(run: Run, plan: Path, tmp_path: Path) -> None:
    page = export(run, plan, tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'name="viewport"' in page
    for external in ("http://", "https://", "src=", "<link", "@import", "url("):
        assert external not in page
    assert "<h2>各单位进度</h2>" in page and "<h2>时间进度</h2>" in page and "<h2>任务清单</h2>" in page


def test_export_html_in_a_real_browser(run: Run, plan: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("没有找到 Chromium（CI 中 .ci/run 会安装 Debian 的 chromium）：跳过浏览器测试")
    target = export(run, plan, tmp_path / "report.html")
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [browser, *CHROME_FLAGS, f"--user-data-dir={profile}", "--dump-dom", target.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "截至 2020-08-01：任务 25 项，已完成 0，未完成 25，其中逾期 10" in dom.stdout
    assert dom.stdout.count('class="light 红"') >= 20
    assert dom.stdout.count('class="bar ') == 25
    shot = tmp_path / "phone.png"
    result = subprocess.run(
        [
            browser,
            *CHROME_FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=414,896",
            f"--screenshot={shot}",
            target.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_missing_extra_gives_install_hint(
    run: Run, plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_icalendar(name: str, *args: object, **kwargs: object) -> object:
        if name == "icalendar":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_icalendar)
    result = run("export", str(tmp_path / "x.ics"), "--file", str(plan))
    assert result.exit_code == 2 and not (tmp_path / "x.ics").exists()
    assert "pip install 'zwgk-cli[calendar]'" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


PROBE = """<!DOCTYPE html><html><body>
<iframe id="f" src="report.html" style="width:390px;height:800px;border:0"></iframe>
<pre id="out">waiting</pre>
<script>
document.getElementById("f").onload = function () {
  var rows = this.contentDocument.querySelectorAll(".tl > .row");
  var found = [];
  rows[rows.length - 1].querySelectorAll(".tick").forEach(function (s) {
    var b = s.getBoundingClientRect();
    if (b.width > 0) found.push([s.textContent, b.left, b.right, s.scrollWidth <= s.clientWidth + 1]);
  });
  document.getElementById("out").textContent = JSON.stringify(found);
};
</script></body></html>"""


def test_timeline_month_labels_never_collide_on_a_phone(run: Run, plan: Path, tmp_path: Path) -> None:
    """Issue 25: on a 390 px phone the timeline's month labels ran together (2020-0710)."""
    browser = _chromium()
    if browser is None:
        pytest.skip("没有找到 Chromium（CI 中 .ci/run 会安装 Debian 的 chromium）：跳过浏览器测试")
    export(run, plan, tmp_path / "report.html")
    (tmp_path / "probe.html").write_text(PROBE, encoding="utf-8")
    dom = subprocess.run(
        [browser, *CHROME_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--allow-file-access-from-files",
         "--virtual-time-budget=5000", "--dump-dom", (tmp_path / "probe.html").as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert dom.returncode == 0, dom.stderr[-2000:]
    shown = json.loads(re.search(r'<pre id="out">([^<]*)</pre>', dom.stdout)[1])  # type: ignore[index]
    assert len(shown) >= 2, shown
    for (_, _, right, whole), (_, left, _, _) in itertools.pairwise(shown):
        assert right <= left + 0.5 and whole, shown
    assert shown[-1][3], shown


def _report(run: Run, plan: Path, today: str, *extra: str) -> dict[str, dict[str, object]]:
    result = run("report", "-f", str(plan), "--today", today, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return {line["name"]: line for line in json.loads(result.stdout)}


def test_report_overdue_starts_the_day_after_the_deadline(run: Run, tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "deadline": "2020年7月31日"}])
    assert _report(run, plan, "2020-07-31")["合计"]["overdue"] == 0
    assert _report(run, plan, "2020-08-01")["合计"]["overdue"] == 1


def test_report_done_on_the_last_day_is_on_time(run: Run, tmp_path: Path) -> None:
    tasks = [
        {"id": 1, "deadline": "2020年7月31日", "status": "done", "done_on": "2020-07-31"},
        {"id": 2, "deadline": "2020年7月31日", "status": "done", "done_on": "2020-08-01"},
    ]
    total = _report(run, write_plan(tmp_path / "p.yaml", tasks), "2020-08-02")["合计"]
    assert (total["done_on_time"], total["done_late"]) == (1, 1)


@pytest.mark.parametrize(("ends", "soon"), [("2020年7月8日", 1), ("2020年7月9日", 0)])
def test_report_due_soon_window_includes_its_last_day(run: Run, tmp_path: Path, ends: str, soon: int) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "deadline": ends}])
    assert _report(run, plan, "2020-07-01", "--soon", "7")["合计"]["due_soon"] == soon


@pytest.mark.parametrize(("within", "ids"), [("7", [1]), ("8", [1, 2]), ("6", [])])
def test_due_within_includes_its_last_day(run: Run, tmp_path: Path, within: str, ids: list[int]) -> None:
    plan = write_plan(
        tmp_path / "p.yaml", [{"id": 1, "deadline": "2020年7月8日"}, {"id": 2, "deadline": "2020年7月9日"}]
    )
    args = ("due", "-f", str(plan), "--today", "2020-07-01", "--within", within, "--format", "json")
    assert [t["id"] for t in json.loads(run(*args).stdout)] == ids


def test_a_plan_without_registry_still_reports_its_units(run: Run, tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [{"id": 1, "responsible": ["办公室", "各科室"]}, {"id": 2, "responsible": ["办公室"]}],
    )
    units = json.loads(run("units", "-f", str(plan), "--today", "2020-08-01", "--format", "json").stdout)
    assert {u["name"]: (u["kind"], u["responsible"]) for u in units} == {
        "办公室": ("未登记", 2),
        "各科室": ("未登记", 1),
        "区政府办公室": ("未登记", 0),
    }
    lines = _report(run, plan, "2020-08-01")
    assert lines["办公室"]["overdue"] == 2 and lines["各科室"]["overdue"] == 1


def test_report_counts_each_units_own_completion_date(run: Run, fixture_plan: object) -> None:
    """A unit that finished its part by the deadline is on time even if another is late."""
    plan = fixture_plan("members.yaml")  # type: ignore[operator]
    for unit, day in (("甲镇人民政府", "2020-07-30"), ("乙镇人民政府", "2020-08-03")):
        assert (
            run("done", "1", "-u", unit, "--on", day, "-f", str(plan), "--today", "2020-08-05").exit_code == 0
        )
    args = ("report", "-f", str(plan), "--today", "2020-08-05", "--format", "json")
    lines = {line["name"]: line for line in json.loads(run(*args).stdout)}
    assert (lines["甲镇人民政府"]["done_on_time"], lines["甲镇人民政府"]["done_late"]) == (1, 0)
    assert (lines["乙镇人民政府"]["done_on_time"], lines["乙镇人民政府"]["done_late"]) == (0, 1)
    assert (lines["麟绛街道办事处"]["open"], lines["麟绛街道办事处"]["overdue"]) == (1, 1)
    assert (
        run(
            "done",
            "1",
            "-u",
            "麟绛街道办事处",
            "--on",
            "2020-07-31",
            "-f",
            str(plan),
            "--today",
            "2020-08-05",
        ).exit_code
        == 0
    )
    lines = {line["name"]: line for line in json.loads(run(*args).stdout)}
    assert (lines["麟绛街道办事处"]["done_on_time"], lines["麟绛街道办事处"]["done_late"]) == (1, 0)
    # The whole task is done now (the last unit's date, 2020-08-03): late in the total.
    assert (lines["合计"]["done_late"], lines["合计"]["open"]) == (1, 1)
    assert (lines["区司法局"]["done_on_time"], lines["区司法局"]["open"]) == (1, 1)  # task 3 done, 2 open


def test_report_counts_more_than_one(run: Run, tmp_path: Path) -> None:
    done = {"status": "done", "deadline": "2020年7月10日"}
    tasks = [
        {"id": 1, **done, "done_on": "2020-07-09"},
        {"id": 2, **done, "done_on": "2020-07-10"},
        {"id": 3, **done, "done_on": "2020-07-11"},
        {"id": 4, **done, "done_on": "2020-07-20"},
    ]
    total = {
        ln["name"]: ln
        for ln in json.loads(
            run(
                "report",
                "-f",
                str(write_plan(tmp_path / "p.yaml", tasks)),
                "--today",
                TODAY,
                "--format",
                "json",
            ).stdout
        )
    }["合计"]
    assert (total["done_on_time"], total["done_late"], total["rate"]) == (2, 2, 1.0)


def test_report_ranks_units_by_overdue_then_due_soon_then_open(run: Run, tmp_path: Path) -> None:
    tasks = [
        {"id": 1, "responsible": ["甲"], "deadline": "2020年7月1日"},  # 甲: 1 overdue
        {"id": 2, "responsible": ["乙"], "deadline": "2020年8月3日"},  # 乙: due soon
        {"id": 3, "responsible": ["丙"], "deadline": "2020年12月1日"},  # 丙: two open, not soon
        {"id": 4, "responsible": ["丙"], "deadline": "2020年12月2日"},
        {"id": 5, "responsible": ["丁"], "deadline": "2020年12月1日"},  # 丁: one open
    ]
    args = ("report", "-f", str(write_plan(tmp_path / "p.yaml", tasks)), "--today", TODAY, "--format", "json")
    names = [ln["name"] for ln in json.loads(run(*args).stdout)]
    assert names[:4] == ["甲", "乙", "丙", "丁"]


def test_a_task_closed_late_as_a_whole_is_late_for_each_unit(run: Run, fixture_plan: object) -> None:
    plan = fixture_plan("members.yaml")  # type: ignore[operator]
    assert run("done", "1", "--on", "2020-08-03", "-f", str(plan), "--today", "2020-08-05").exit_code == 0
    args = ("report", "-f", str(plan), "--today", "2020-08-05", "--format", "json")
    lines = {line["name"]: line for line in json.loads(run(*args).stdout)}
    assert (lines["麟绛街道办事处"]["done_on_time"], lines["麟绛街道办事处"]["done_late"]) == (0, 1)


# A unit's share of a task, read as a clerk reads the table: its own recorded date where it
# recorded one, else the task's; where the plan verifies, done stands only once the office
# verified that unit (or the whole task).
_UNITS = ("甲", "乙", "丙")
_DAY = st.integers(1, 31).map(lambda d: date(2020, 7, d))


@st.composite
def _report_task(draw: st.DrawFn, number: int) -> dict[str, object]:
    responsible = draw(st.lists(st.sampled_from(_UNITS), min_size=1, max_size=3, unique=True))
    others = [u for u in _UNITS if u not in responsible]
    lead = draw(st.lists(st.sampled_from(others), unique=True)) if others else []
    task: dict[str, object] = {"id": number, "responsible": responsible, "lead": lead}
    task["deadline"] = f"2020年7月{draw(_DAY).day}日"
    if draw(st.booleans()):
        task.update(status="done", done_on=draw(_DAY).isoformat())
    mine = draw(st.lists(st.sampled_from([*lead, *responsible]), unique=True))
    task["progress"] = [{"unit": u, "done_on": draw(_DAY).isoformat()} for u in mine]
    checked = draw(st.lists(st.sampled_from([None, *lead, *responsible]), unique=True))
    task["verified"] = [{"date": "2020-07-31", "unit": u} for u in checked]
    return task


def _clerk_share(task: dict[str, Any], unit: str | None, verification: bool, today: date, soon: int) -> str:
    own = {p["unit"]: date.fromisoformat(p["done_on"]) for p in task["progress"]}
    done_on = (
        own.get(unit)
        if unit in own
        else (date.fromisoformat(task["done_on"]) if task.get("status") == "done" else None)
    )
    checked = {v["unit"] for v in task["verified"]}
    slots = {*task["lead"], *task["responsible"]}
    verified = (
        not verification or None in checked or (checked >= ({unit} if unit else slots) and bool(checked))
    )
    deadline = date(2020, 7, int(task["deadline"].removeprefix("2020年7月").removesuffix("日")))
    if done_on is not None and not verified:
        return "reported"
    if done_on is not None:
        return "done_late" if done_on > deadline else "done_on_time"
    if today > deadline:
        return "overdue"
    return "due_soon" if (deadline - today).days <= soon else "open"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.booleans(),
    st.integers(1, 5).flatmap(lambda n: st.tuples(*(_report_task(i) for i in range(1, n + 1)))),
    _DAY,
    st.integers(0, 10),
)
@example(  # 甲 does task 1 and leads task 2, both overdue: its overdue tasks in plan order
    False,
    tuple(
        {"id": n, "responsible": r, "lead": lead, "deadline": "2020年7月1日", "progress": [], "verified": []}
        for n, r, lead in ((1, ["甲"], []), (2, ["乙"], ["甲"]))
    ),
    date(2020, 7, 15),
    3,
)
@example(  # done as a whole, verified for one unit only: the other's share is still reported
    True,
    (
        {
            "id": 1,
            **{"responsible": ["甲", "乙"], "lead": [], "deadline": "2020年7月10日"},
            **{
                "status": "done",
                "done_on": "2020-07-05",
                "progress": [],
                "verified": [{"date": "2020-07-31", "unit": "甲"}],
            },
        },
    ),
    date(2020, 7, 15),
    3,
)
def test_each_units_line_counts_its_own_share_of_every_task(
    run: Run, tmp_path: Path, verification: bool, tasks: tuple[dict[str, Any], ...], today: date, soon: int
) -> None:
    plan = write_plan(tmp_path / "shares.yaml", list(tasks), verification=verification)
    lines = {ln["name"]: ln for ln in report(run, plan, today.isoformat(), "--soon", str(soon))}
    for unit in [*_UNITS, None]:
        mine = [t for t in tasks if unit is None or unit in [*t["lead"], *t["responsible"]]]
        if not mine:
            assert unit not in lines
            continue
        shares = [_clerk_share(t, unit, verification, today, soon) for t in mine]
        line = lines[unit or "合计"]
        counted = {key: line[key] for key in ("done_on_time", "done_late", "reported", "due_soon", "overdue")}
        assert counted == {key: shares.count(key) for key in counted}, (unit, shares)
        assert (line["tasks"], line["open"]) == (
            len(mine),
            sum(s in ("open", "overdue", "due_soon") for s in shares),
        )
        assert line["overdue_ids"] == [t["id"] for t, s in zip(mine, shares, strict=True) if s == "overdue"]


def test_a_recurring_duty_counts_each_units_own_occurrences(run: Run, tmp_path: Path) -> None:
    """Two units owe each quarter; 甲 recorded its part of 2023Q1 on time, 乙 did not: in the
    report 甲 has one more done on time and one fewer overdue than 乙, and the whole task's
    2023Q1 is still overdue (乙 owes it)."""
    duty = {"id": 1, "deadline": "每季度首月20日前", "responsible": ["甲", "乙"]}
    duty["periods"] = [{"period": "2023Q1", "unit": "甲", "done_on": "2023-01-10"}]
    plan = write_plan(tmp_path / "p.yaml", [duty], period="2023年")
    lines = {ln["name"]: ln for ln in report(run, plan, "2023-05-01")}
    first, second, whole = lines["甲"], lines["乙"], lines["合计"]
    assert first["tasks"] == second["tasks"] == whole["tasks"] == 2  # 2023Q1 and 2023Q2 have begun
    assert (first["done_on_time"], first["overdue"]) == (1, 1)  # 2023Q2 was due by 04-20
    assert (second["done_on_time"], second["overdue"]) == (0, 2)
    assert (whole["done_on_time"], whole["overdue"]) == (0, 2)


def test_a_units_overdue_tasks_are_listed_in_plan_order(run: Run, tmp_path: Path) -> None:
    """Task 5 comes before task 3 in the plan; 甲 owes both. Task 3 is counted unit by unit
    (乙 recorded its part), task 5 for all its units at once: 甲's overdue_ids keep the plan's
    order all the same."""
    tasks = [
        {"id": 5, "responsible": ["甲"], "deadline": "2020年7月1日"},
        {"id": 3, "responsible": ["甲", "乙"], "deadline": "2020年7月1日"},
    ]
    tasks[1]["progress"] = [{"unit": "乙", "done_on": "2020-06-30"}]
    plan = write_plan(tmp_path / "p.yaml", tasks)
    lines = {ln["name"]: ln for ln in report(run, plan, "2020-07-15")}
    assert (lines["甲"]["overdue_ids"], lines["乙"]["overdue_ids"]) == ([5, 3], [])
    assert lines["合计"]["overdue_ids"] == [5, 3]


@pytest.mark.parametrize(("by", "name"), [("plan", "p"), ("region", "测试区"), ("category", "类别甲")])
def test_a_single_plan_is_reported_by_plan_region_or_category(
    run: Run, tmp_path: Path, by: str, name: str
) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1}, {"id": 2}], region="测试区")
    lines = report(run, plan, "2020-08-05", "--by", by)
    assert [(ln["name"], ln["tasks"], ln["overdue"]) for ln in lines] == [(name, 2, 2), ("合计", 2, 2)]
