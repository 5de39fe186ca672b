"""Feedback forms (issue 16), below the command line: what a unit's form lists, the workbook as
written and read back, dates as clerks type them, and every check ``collect`` makes of a row."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from conftest import BUNDLED, FIXTURES, write_plan
from zwgk_cli.dates.typed import read_day
from zwgk_cli.feedback.collect import Finding, collected_text, review
from zwgk_cli.feedback.forms import columns, fingerprint, forms, unit_lines, version
from zwgk_cli.feedback.workbook import IDENTITY_SHEET, Sent, read_sent, sent_files, workbook
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.storage import store
from zwgk_cli.storage.edits import mark_done

EXPORTED = date(2020, 10, 15)


def load(path: Path) -> store.Document:
    return store.load(store.Location(path))


def schedule_of(path: Path) -> Schedule:
    return load(path).schedule


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    target = tmp_path / "repo" / "data" / "schedule.yaml"
    target.parent.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    shutil.copyfile(BUNDLED, target)
    return target


# What a form lists ---------------------------------------------------------------------------


def test_a_units_form_lists_its_open_tasks_with_every_role(bundled: Path) -> None:
    schedule = schedule_of(bundled)
    lines = unit_lines(schedule, "区司法局", EXPORTED)
    assert [line.task_id for line in lines] == [1, 2, 3, 4, 5, 8, 18, 19, 20, 21, 22, 24, 25]
    by_id = {line.task_id: line for line in lines}
    assert by_id[1].cells["role"] == "主体责任（经 区直各有关单位）" and by_id[1].finishable
    assert by_id[5].cells["role"] == "主管（直接）" and not by_id[5].finishable
    assert by_id[4].cells["role"] == "主管（经 区直各有关部门）、主管（经 同（3））"
    assert by_id[3].cells["title"] == schedule.require(3).task.title
    assert by_id[19].cells["deadline"] == "2020年10月下旬"


def test_a_task_the_unit_finished_leaves_its_form_but_not_the_others(bundled: Path) -> None:
    text = bundled.read_text(encoding="utf-8")
    marker = "  - id: 19\n"
    bundled.write_text(
        text.replace(marker, marker + "    progress:\n      - {unit: 区司法局, done_on: 2020-10-01}\n", 1),
        encoding="utf-8",
    )
    schedule = schedule_of(bundled)
    assert 19 not in [line.task_id for line in unit_lines(schedule, "区司法局", EXPORTED)]
    assert 19 in [line.task_id for line in unit_lines(schedule, "区财政局", EXPORTED)]


def test_a_task_done_as_a_whole_leaves_every_form(bundled: Path) -> None:
    bundled.write_text(mark_done(load(bundled), 5, date(2020, 7, 20), None), encoding="utf-8")
    schedule = schedule_of(bundled)
    assert 5 not in [line.task_id for line in unit_lines(schedule, "区司法局", EXPORTED)]
    assert 5 not in [line.task_id for line in unit_lines(schedule, "麟绛街道办事处", EXPORTED)]


def test_recurring_duties_have_a_row_per_occurrence_owed(tmp_path: Path) -> None:
    plan = tmp_path / "recurring.yaml"
    shutil.copyfile(FIXTURES / "recurring.yaml", plan)
    text = plan.read_text(encoding="utf-8").replace(
        "    deadline: 每月10日前\n",
        "    deadline: 每月10日前\n    periods:\n"
        "      - {period: 2023-01, done_on: 2023-01-09, unit: 区司法局}\n",
        1,
    )
    plan.write_text(text, encoding="utf-8")
    schedule = schedule_of(plan)
    mine = [(line.task_id, line.period) for line in unit_lines(schedule, "区司法局", date(2023, 3, 15))]
    assert mine == [(2, "2023-02"), (2, "2023-03"), (2, "2023-04"), (7, None)]
    theirs = [(line.task_id, line.period) for line in unit_lines(schedule, "区教育局", date(2023, 3, 15))]
    assert theirs[0] == (2, "2023-01")
    form = forms(schedule, date(2023, 3, 15), "区司法局")[0]
    assert [c.header for c in form.columns][:2] == ["序号", "期次"]
    assert [c.header for c in form.columns][2] == "公开事项"  # the plan's own name for the column


def test_forms_go_to_units_with_open_rows_not_to_groups(bundled: Path) -> None:
    schedule = schedule_of(bundled)
    names = [form.unit for form in forms(schedule, EXPORTED)]
    assert len(names) == 21 and "各级各部门" not in names and "区司法局" in names
    assert forms(schedule, EXPORTED, "司法局")[0].file_name == "反馈表-区司法局-2020-10-15.xlsx"


def test_fingerprints_cover_the_definition_not_the_progress(bundled: Path) -> None:
    before = schedule_of(bundled)
    text = bundled.read_text(encoding="utf-8")
    bundled.write_text(mark_done(load(bundled), 7, date(2020, 7, 20), "已印发"), encoding="utf-8")
    done = schedule_of(bundled)
    assert fingerprint(done.require(7).task) == fingerprint(before.require(7).task)
    assert version(done) == version(before)
    bundled.write_text(text.replace("梳理规范基层政府权责清单", "梳理基层政府权责清单", 1), encoding="utf-8")
    edited = schedule_of(bundled)
    assert fingerprint(edited.require(5).task) != fingerprint(before.require(5).task)
    assert fingerprint(edited.require(6).task) == fingerprint(before.require(6).task)
    assert version(edited) != version(before)


# The workbook --------------------------------------------------------------------------------


def _book(bundled: Path, unit: str = "区司法局") -> tuple[bytes, Any]:
    schedule = schedule_of(bundled)
    form = forms(schedule, EXPORTED, unit)[0]
    data = workbook(form, date(2020, 7, 1))
    path = bundled.parent / "form.xlsx"
    path.write_bytes(data)
    return data, load_workbook(path)


def test_the_workbook_locks_the_task_columns_and_validates_the_rest(bundled: Path) -> None:
    _, book = _book(bundled)
    sheet = book["反馈表"]
    assert sheet.protection.sheet is True
    headers = [c.value for c in sheet[3]]
    # What the clerk fills sits right beside the task and its deadline (issue 25: the fillable
    # cells began some 1,400 px to the right); the category and the unit's role follow.
    assert headers == [
        "序号",
        "具体任务",
        "完成时间",
        "截止日期",
        "完成情况",
        "完成日期",
        "进展说明",
        "佐证材料",
        "工作任务",
        "本单位职责",
    ]
    first = sheet[4]
    assert [c.value for c in first][:4] == ["1", "成立政务公开领导组", "2020年7月下旬", "2020-07-31"]
    assert [c.protection.locked for c in first] == [True] * 4 + [False] * 4 + [True] * 2
    assert sheet["A1"].protection.locked and sheet["E3"].protection.locked
    assert sheet.freeze_panes == "C4"  # the header rows and the task stay in view
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert rules["E4:E16"].type == "list" and rules["E4:E16"].formula1 == '"已完成,推进中,未启动"'
    assert rules["F4:F16"].type == "date" and rules["F4:F16"].formula1 == "DATE(2020,7,1)"
    assert rules["F4:F16"].operator == "greaterThanOrEqual" and rules["F4:F16"].showErrorMessage
    assert sheet["F4"].number_format == "yyyy-mm-dd"


def test_the_identity_sheet_is_hidden_protected_and_complete(bundled: Path) -> None:
    _, book = _book(bundled)
    identity = book[IDENTITY_SHEET]
    assert identity.sheet_state == "veryHidden" and identity.protection.sheet
    rows = [[c.value for c in row] for row in identity.iter_rows()]
    pairs = {r[0]: r[1] for r in rows[:6]}
    schedule = schedule_of(bundled)
    assert pairs["计划"] == schedule.plan.title and pairs["单位"] == "区司法局"
    assert pairs["计划编号"] == schedule.plan.plan_id == "ced15158fa79"
    assert pairs["计划版本"] == version(schedule) and pairs["导出日期"] == "2020-10-15"
    assert rows[7] == ["1", None, fingerprint(schedule.require(1).task)]
    assert len(rows) == 7 + 13


def test_the_same_form_gives_the_same_bytes(bundled: Path) -> None:
    first, _ = _book(bundled)
    second, _ = _book(bundled)
    assert first == second


def test_a_workbook_reads_back_with_its_identity(bundled: Path) -> None:
    _book(bundled)
    schedule = schedule_of(bundled)
    sent = read_sent(bundled.parent / "form.xlsx", columns(schedule))
    assert sent.problem is None and sent.unit == "区司法局" and sent.exported == EXPORTED
    assert sent.title == schedule.plan.title and sent.version == version(schedule)
    assert sent.plan_id == "ced15158fa79"
    assert sent.versions is not None and sent.versions[(18, None)] == fingerprint(schedule.require(18).task)
    assert [number for number, _ in sent.rows] == list(range(4, 17))
    assert sent.rows[0][1]["title"] == "成立政务公开领导组" and sent.rows[0][1]["state"] == ""


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "另存为 .xlsx"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "xlsx"),
        ("notes.txt", "序号,完成情况\n".encode(), "不是 .xlsx 或 .csv"),
        ("empty.csv", b"a,b\n1,2\n", "找不到反馈表的表头"),
        ("odd.csv", b"\xff\xfe\x00\xd8\x00", "编码"),
    ],
)
def test_files_that_are_not_forms_say_why(
    tmp_path: Path, bundled: Path, name: str, data: bytes, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZWGK_SOFFICE", "no-such-libreoffice")  # the same answer on every machine
    path = tmp_path / name
    path.write_bytes(data)
    sent = read_sent(path, columns(schedule_of(bundled)))
    assert sent.problem is not None and words in sent.problem


def test_a_csv_in_gbk_reads_and_takes_its_unit_from_the_file_name(tmp_path: Path, bundled: Path) -> None:
    path = tmp_path / "反馈表-区司法局-2020-10-15.csv"
    path.write_bytes(
        "说明\n序号,具体任务,完成情况,完成日期\n１８,落实文件公开属性源头认定,已完成,2020/10/12\n\n".encode(
            "gbk"
        )
    )
    sent = read_sent(path, columns(schedule_of(bundled)))
    assert sent.unit == "区司法局" and sent.versions is None
    assert sent.rows == [
        (3, {"id": "１８", "title": "落实文件公开属性源头认定", "state": "已完成", "finished": "2020/10/12"})
    ]
    assert read_sent(path, columns(schedule_of(bundled)), "区财政局").unit == "区财政局"
    unnamed = tmp_path / "回执.csv"
    shutil.copyfile(path, unnamed)
    assert read_sent(unnamed, columns(schedule_of(bundled))).unit is None


def test_merged_cells_fill_every_row_they_cover(tmp_path: Path, bundled: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "完成情况", "进展说明"])
    sheet.append(["18", "推进中", "两项一起推进"])
    sheet.append(["19", "推进中", None])
    sheet.merge_cells("C2:C3")
    path = tmp_path / "反馈表-区司法局-2020-10-16.xlsx"
    book.save(path)
    sent = read_sent(path, columns(schedule_of(bundled)))
    assert [cells["text"] for _, cells in sent.rows] == ["两项一起推进", "两项一起推进"]


def test_sent_files_takes_folders_and_skips_lock_files(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    for name in ("b.xlsx", "a.csv", "~$b.xlsx", "说明.docx", ".hidden.xlsx"):
        (folder / name).write_bytes(b"x")
    single = tmp_path / "c.xlsx"
    single.write_bytes(b"x")
    assert [p.name for p in sent_files([folder, single, single])] == ["a.csv", "b.xlsx", "c.xlsx"]
    empty = tmp_path / "空"
    empty.mkdir()
    with pytest.raises(Exception, match=r"没有 \.xlsx 或 \.csv"):
        sent_files([empty])
    with pytest.raises(Exception, match="文件不存在"):
        sent_files([tmp_path / "nope.xlsx"])


# Dates as clerks type them -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2020-10-12", date(2020, 10, 12)),
        ("2020/10/12", date(2020, 10, 12)),
        ("2020.10.12", date(2020, 10, 12)),
        ("2020年10月12日", date(2020, 10, 12)),
        ("2020年10月12", date(2020, 10, 12)),
        ("１０月１２日", date(2020, 10, 12)),
        ("10月2日", date(2020, 10, 2)),
        ("２０２０．１０．１２", date(2020, 10, 12)),
        ("2020-10-12 00:00:00", date(2020, 10, 12)),
        (" 2020 年 1 月 5 日 ", date(2020, 1, 5)),
    ],
)
def test_dates_as_typed(typed: str, day: date) -> None:
    assert read_day(typed, 2020) == day


@pytest.mark.parametrize(
    "typed", ["下周", "2020-13-01", "2020-02-30", "20201012", "10-12-2020", "2020年10月"]
)
def test_what_is_not_a_date(typed: str) -> None:
    with pytest.raises(ValueError):
        read_day(typed, 2020)


# What collect makes of each row --------------------------------------------------------------


def sent_form(
    schedule: Schedule, rows: dict[int, dict[str, str]], unit: str = "区司法局", **identity: Any
) -> Sent:
    """A returned form of ``unit`` as exported on EXPORTED, with ``rows`` filled in."""
    lines = {line.task_id: line for line in unit_lines(schedule, unit, EXPORTED)}
    body = []
    for number, (task_id, filled) in enumerate(rows.items(), start=4):
        line = lines.get(task_id)
        cells = dict(line.cells) if line else {"id": str(task_id)}
        body.append((number, {**cells, **filled}))
    versions = {(t, line.period): line.fingerprint for t, line in lines.items()}
    base: dict[str, Any] = {
        "unit": unit,
        "title": schedule.plan.title,
        "version": version(schedule),
        "exported": EXPORTED,
        "versions": versions,
    }
    return Sent(Path("/nowhere/反馈表.xlsx"), rows=body, **{**base, **identity})


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


TODAY = date(2020, 10, 20)


def check(bundled: Path, rows: dict[int, dict[str, str]], **identity: Any) -> list[Finding]:
    """``rows`` of 区司法局's form, exported from the bundled plan, checked against the plan now."""
    sent = sent_form(schedule_of(BUNDLED), rows, **identity)
    return review(schedule_of(bundled), [sent], TODAY, bundled)


def test_a_completion_and_a_report(bundled: Path) -> None:
    found = check(
        bundled,
        {
            18: {
                "state": "已完成",
                "finished": "2020.10.12",
                "text": "已认定",
                "evidence": "屯司发〔2020〕7号",
            }
        },
    )
    assert [(f.action, f.task_id, f.day, f.row) for f in found] == [
        ("done", 18, date(2020, 10, 12), 4),
        ("report", 18, date(2020, 10, 12), 4),
    ]
    assert found[1].text == "已认定" and found[1].evidence == ("屯司发〔2020〕7号",)


def test_progress_without_a_date_is_reported_today(bundled: Path) -> None:
    found = one(check(bundled, {19: {"state": "推进中", "text": "正在梳理"}}))
    assert (found.action, found.day, found.text) == ("report", TODAY, "正在梳理")


def test_an_empty_row_or_a_bare_state_changes_nothing(bundled: Path) -> None:
    found = one(check(bundled, {19: {}, 20: {"state": "推进中"}, 21: {"state": "未启动"}}))
    assert (found.action, found.row, found.unit) == ("empty", None, "区司法局")


def test_evidence_alone_on_a_finished_row_says_it_is_done(bundled: Path) -> None:
    found = check(bundled, {18: {"state": "已完成", "finished": "2020-10-12", "evidence": "https://a.cn/x"}})
    assert found[1].text == "已完成" and found[1].evidence == ("https://a.cn/x",)


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ({77: {"state": "已完成", "finished": "2020-10-12"}}, "计划中没有任务 77"),
        ({6: {"state": "推进中", "text": "x"}}, "任务 6 不是区司法局的任务"),
        ({18: {"state": "完成了"}}, "完成情况“完成了”不是 已完成、推进中、未启动 之一"),
        ({18: {"state": "已完成"}}, "没有填写完成日期"),
        ({18: {"state": "推进中", "finished": "2020-10-12"}}, "填了完成日期但完成情况不是“已完成”"),
        ({18: {"state": "已完成", "finished": "明天"}}, "完成日期“明天”不是日期"),
        ({18: {"state": "已完成", "finished": "2020-10-21"}}, "完成日期 2020-10-21 晚于今天（2020-10-20）"),
        ({18: {"state": "已完成", "finished": "2020-06-30"}}, "早于计划开始（2020-07-01）"),
        ({5: {"state": "已完成", "finished": "2020-10-12"}}, "不是牵头或主体责任单位"),
        ({18: {"title": "改过的任务", "state": "推进中", "text": "x"}}, "“具体任务”一栏与计划不符"),
        ({18: {"category": "别的", "text": "x"}}, "“工作任务”一栏与计划不符"),
        ({18: {"deadline": "2020年底前", "text": "x"}}, "“完成时间”一栏与计划不符"),
        ({18: {"role": "配合", "text": "x"}}, "“本单位职责”一栏与计划不符"),
        ({18: {"id": "十八", "text": "x"}}, "序号“十八”不是任务序号"),
        ({18: {"text": "", "evidence": "见附件"}}, "佐证材料“见附件”不是文号"),
        ({18: {"state": "推进中", "evidence": "https://a.cn/x"}}, "填了佐证材料但没有进展说明"),
    ],
    ids=lambda v: str(v)[:40].replace("'", "").replace('"', ""),
)
def test_rows_refused_with_the_reason(bundled: Path, rows: dict[int, dict[str, str]], reason: str) -> None:
    found = one(check(bundled, rows))
    assert found.action == "refused" and found.row == 4 and reason in str(found.reason)


def test_spacing_and_full_width_in_locked_cells_do_not_count_as_edits(bundled: Path) -> None:
    found = one(check(bundled, {18: {"id": "１８", "title": "落实文件公开\n属性源头认定 ", "text": "x"}}))
    assert found.action == "report" and found.task_id == 18


def test_a_row_not_exported_is_refused(bundled: Path) -> None:
    schedule = schedule_of(bundled)
    sent = sent_form(schedule, {18: {"text": "x"}})
    assert sent.versions is not None
    del sent.versions[(18, None)]
    found = one(review(schedule, [sent], TODAY, bundled))
    assert found.action == "refused" and "不是导出时的行" in str(found.reason)


def test_a_form_of_another_plan_is_refused_whole(bundled: Path) -> None:
    found = one(check(bundled, {18: {"text": "x"}, 19: {"text": "y"}}, title="2022年政务公开工作要点"))
    assert found.row is None and "这是计划“2022年政务公开工作要点”的反馈表" in str(found.reason)


def test_a_task_changed_since_export_is_refused(bundled: Path) -> None:
    schedule = schedule_of(bundled)
    sent = sent_form(schedule, {18: {"text": "x"}, 19: {"text": "y"}})
    text = bundled.read_text(encoding="utf-8")
    title = schedule.require(18).task.title
    bundled.write_text(text.replace(title, title + "工作", 1), encoding="utf-8")
    found = review(schedule_of(bundled), [sent], TODAY, bundled)
    assert [(f.task_id, f.action) for f in found] == [(18, "refused"), (19, "report")]
    assert "在反馈表导出后修改过，请重新导出" in str(found[0].reason)


def test_a_form_without_a_unit_or_with_an_unknown_one_is_refused(bundled: Path) -> None:
    no_unit = one(check(bundled, {18: {"text": "x"}}, unit=None))
    assert no_unit.row is None and "--unit" in str(no_unit.reason)
    schedule = schedule_of(bundled)
    sent = sent_form(schedule, {18: {"text": "x"}}, unit="区司法局")
    stranger = Sent(sent.source, unit="区外星局", rows=sent.rows)
    found = one(review(schedule, [stranger], TODAY, bundled))
    assert found.row is None and "没有单位“区外星局”" in str(found.reason)
    broken = one(review(schedule, [Sent(sent.source, problem="坏了")], TODAY, bundled))
    assert (broken.action, broken.reason) == ("refused", "坏了")


def _recorded(bundled: Path, task: int, lines: str) -> None:
    text = bundled.read_text(encoding="utf-8")
    marker = f"  - id: {task}\n"
    bundled.write_text(text.replace(marker, marker + lines, 1), encoding="utf-8")


def test_the_same_completion_again_is_no_change_and_another_date_is_a_conflict(bundled: Path) -> None:
    _recorded(bundled, 18, "    progress:\n      - {unit: 区司法局, done_on: 2020-10-12}\n")
    same = one(check(bundled, {18: {"state": "已完成", "finished": "2020-10-12"}}))
    assert same.action == "same"
    other = one(check(bundled, {18: {"state": "已完成", "finished": "2020-10-13"}}))
    assert (
        other.action == "refused"
        and "计划中已记为 2020-10-12 完成，与表中的 2020-10-13 不同，未覆盖" in str(other.reason)
    )
    behind = one(check(bundled, {18: {"state": "推进中", "text": "还在做"}}))
    assert behind.action == "refused" and "表中为“推进中”" in str(behind.reason)


def test_a_task_done_as_a_whole_counts_as_done_by_each_unit(bundled: Path) -> None:
    bundled.write_text(mark_done(load(bundled), 19, date(2020, 10, 10), None), encoding="utf-8")
    assert one(check(bundled, {19: {"state": "已完成", "finished": "2020-10-10"}})).action == "same"
    assert one(check(bundled, {19: {"state": "已完成", "finished": "2020-10-11"}})).action == "refused"


def test_a_report_already_in_the_plan_is_not_written_twice(bundled: Path) -> None:
    _recorded(bundled, 19, "    reports:\n      - {date: 2020-10-16, unit: 区司法局, text: 正在梳理}\n")
    assert one(check(bundled, {19: {"text": "正在梳理"}})).action == "same"
    assert one(check(bundled, {19: {"text": "正在梳理", "evidence": "https://a.cn"}})).action == "report"
    assert one(check(bundled, {19: {"text": "正在梳理。"}})).action == "report"


def _returned(bundled: Path, task: int, day: str, unit: str) -> None:
    _recorded(
        bundled,
        task,
        f"    reports:\n      - {{date: {day}, unit: {unit}, text: 材料不全, returned: true}}\n",
    )


def test_a_return_after_the_export_refuses_an_earlier_completion(bundled: Path) -> None:
    _returned(bundled, 18, "2020-10-15", "区司法局")
    found = one(check(bundled, {18: {"state": "已完成", "finished": "2020-10-12"}}))
    assert found.action == "refused" and "已于 2020-10-15 被退回" in str(found.reason)
    # Whatever export date the form claims (the sender can edit it; a CSV has none): a return
    # the plan records refuses a completion dated before it (issue 23.11) ...
    _returned(bundled, 19, "2020-10-14", "区司法局")
    assert one(check(bundled, {19: {"state": "已完成", "finished": "2020-10-12"}})).action == "refused"
    # ... and takes one done on or after it that says what was put right.
    fixed = check(bundled, {19: {"state": "已完成", "finished": "2020-10-14", "text": "已补充印发文件"}})
    assert [f.action for f in fixed] == ["done", "report"]
    _returned(bundled, 20, "2020-10-16", "区财政局")  # another unit's return
    assert one(check(bundled, {20: {"state": "已完成", "finished": "2020-10-12"}})).action == "done"


def test_two_forms_in_one_collect_agree_or_conflict(bundled: Path) -> None:
    schedule = schedule_of(bundled)
    first = sent_form(schedule, {18: {"state": "已完成", "finished": "2020-10-12", "text": "完成"}})
    again = sent_form(schedule, {18: {"state": "已完成", "finished": "2020-10-12", "text": "完成"}})
    other = sent_form(schedule, {18: {"state": "已完成", "finished": "2020-10-13"}})
    found = review(schedule, [first, again, other], TODAY, bundled)
    assert [f.action for f in found] == ["done", "report", "same", "same", "refused"]
    assert "2020-10-12" in str(found[-1].reason) and "反馈表.xlsx 第 4 行" in str(found[-1].reason)


def test_evidence_files_beside_the_form_are_stored_from_the_repository_root(bundled: Path) -> None:
    root = bundled.parent.parent
    (root / "回收").mkdir()
    (root / "回收" / "方案.pdf").write_bytes(b"%PDF")
    schedule = schedule_of(bundled)
    sent = sent_form(schedule, {18: {"text": "见方案", "evidence": "方案.pdf、屯司发〔2020〕7号"}})
    sent = Sent(
        root / "回收" / "反馈表.xlsx",
        **{k: getattr(sent, k) for k in ("unit", "title", "version", "exported", "versions", "rows")},
    )
    found = one(review(schedule, [sent], TODAY, bundled))
    assert found.evidence == ("回收/方案.pdf", "屯司发〔2020〕7号")


# Writing what was accepted -------------------------------------------------------------------


def test_accepted_rows_become_one_edit_of_only_their_tasks(bundled: Path) -> None:
    document = load(bundled)
    before = document.text.splitlines()
    sent = sent_form(
        document.schedule,
        {
            18: {"state": "已完成", "finished": "2020-10-12", "text": "已认定"},
            19: {"text": "正在梳理"},
            5: {"state": "已完成", "finished": "2020-10-12"},
        },
    )
    findings = review(document.schedule, [sent], TODAY, bundled)
    text = collected_text(document, findings)
    assert text is not None
    added = [line for line in text.splitlines() if line not in before]
    assert added == [
        "    progress:",
        "      - {unit: 区司法局, done_on: 2020-10-12}",
        "    reports:",
        "      - {date: 2020-10-12, unit: 区司法局, text: 已认定}",
        "    reports:",
        "      - {date: 2020-10-20, unit: 区司法局, text: 正在梳理}",
    ]
    assert len(text.splitlines()) == len(before) + 6
    assert collected_text(document, [f for f in findings if f.action == "refused"]) is None


def test_the_last_unit_finishing_finishes_the_task(tmp_path: Path) -> None:
    plan = write_plan(tmp_path / "p.yaml", [{"id": 1, "responsible": ["区司法局", "区财政局"]}])
    plan.write_text(
        plan.read_text(encoding="utf-8") + "  progress:\n  - {unit: 区财政局, done_on: 2020-07-20}\n",
        encoding="utf-8",
    )
    document = load(plan)
    row = {"id": "1", "state": "已完成", "finished": "2020-07-25"}
    sent = Sent(Path("反馈表-区司法局-2020-07-26.csv"), unit="区司法局", rows=[(2, row)])
    findings = review(document.schedule, [sent], date(2020, 7, 26), plan)
    text = collected_text(document, findings)
    assert text is not None
    plan.write_text(text, encoding="utf-8")
    item = schedule_of(plan).require(1)
    assert item.is_done and item.task.done_on == date(2020, 7, 25)
    assert [r.unit for r in item.task.progress] == ["区财政局", "区司法局"]


def test_occurrences_of_recurring_duties_are_collected_by_period(tmp_path: Path) -> None:
    plan = tmp_path / "recurring.yaml"
    shutil.copyfile(FIXTURES / "recurring.yaml", plan)
    document = load(plan)
    schedule = document.schedule
    today = date(2023, 3, 15)
    lines = unit_lines(schedule, "区司法局", today)
    rows = []
    for number, line in enumerate(lines, start=4):
        filled = {"state": "已完成", "finished": "2023-02-09"} if line.period == "2023-02" else {}
        rows.append((number, {**line.cells, **filled}))
    rows.append((20, {**lines[0].cells, "period": "2023-13", "text": "x"}))
    rows.append((21, {**lines[0].cells, "period": "", "text": "x"}))
    versions = {(line.task_id, line.period): line.fingerprint for line in lines}
    versions[(2, "2023-13")] = versions[(2, None)] = lines[0].fingerprint
    sent = Sent(
        Path("f.xlsx"),
        unit="区司法局",
        title=schedule.plan.title,
        exported=today,
        versions=versions,
        rows=rows,
    )
    findings = review(schedule, [sent], today, plan)
    assert [(f.action, f.row, f.period) for f in findings] == [
        ("done", 5, "2023-02"),
        ("refused", 20, "2023-13"),
        ("refused", 21, None),
    ]
    assert "缺少期次" in str(findings[2].reason)
    text = collected_text(document, findings)
    assert text is not None and "      - {period: 2023-02, done_on: 2023-02-09, unit: 区司法局}\n" in text


def test_a_form_goes_to_a_unit_with_nothing_open_only_when_asked_for(tmp_path: Path) -> None:
    plan = write_plan(
        tmp_path / "p.yaml",
        [
            {"id": 1, "responsible": ["区司法局"]},
            {"id": 2, "responsible": ["区财政局"], "status": "done", "done_on": "2020-07-20"},
        ],
    )
    schedule = schedule_of(plan)
    assert [f.unit for f in forms(schedule, EXPORTED)] == ["区司法局", "区政府办公室"]  # 主管 task 1
    asked = forms(schedule, EXPORTED, "区财政局")
    assert [(f.unit, f.lines) for f in asked] == [("区财政局", ())]


def test_a_corrected_row_after_a_return_is_a_new_report(bundled: Path) -> None:
    """Issue 23.4: after a return, the unit's corrected form was refused."""
    _returned(bundled, 18, "2020-10-15", "区司法局")
    again = one(check(bundled, {18: {"state": "已完成", "finished": "2020-10-15"}}))
    assert again.action == "refused" and "进展说明中写明整改情况" in str(again.reason)
    fixed = check(bundled, {18: {"state": "已完成", "finished": "2020-10-16", "text": "已补齐材料"}})
    assert [f.action for f in fixed] == ["done", "report"]
    old_words = one(check(bundled, {18: {"state": "已完成", "finished": "2020-10-16", "text": "材料不全"}}))
    assert old_words.action == "refused"  # the return's own words are no account of a correction
