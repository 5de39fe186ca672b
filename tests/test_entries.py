"""The entries a task accumulates (plan/entries.py): read from plain data, written back, and
put on one line for a person, each derived from the entry kind's fields."""

from __future__ import annotations

from datetime import date

from zwgk_cli.plan.entries import (
    PeriodDone,
    Report,
    UnitDone,
    entry_from,
    entry_to,
    entry_words,
    fields_of,
)


def test_a_field_is_required_only_without_a_default_of_either_kind() -> None:
    assert fields_of(UnitDone) == [
        ("unit", "str", True),
        ("done_on", "date", True),
        ("note", "str | None", False),
    ]
    kinds = {name: required for name, _, required in fields_of(Report)}
    # text has no default (keyword-only); evidence has a default factory of sorts: ().
    assert kinds == {"date": True, "unit": False, "text": True, "evidence": False, "returned": False}


def test_entries_read_from_plain_data_take_their_field_s_kind() -> None:
    decomposed = "区e\u0301局"  # é written as e + a combining accent: one unit with 区é局
    read = entry_from(UnitDone, {"unit": decomposed, "done_on": "2020-08-01"})
    assert read == UnitDone("区\u00e9局", date(2020, 8, 1))
    assert entry_from(UnitDone, {"unit": "甲", "done_on": date(2020, 8, 2)}).done_on == date(2020, 8, 2)
    period = entry_from(PeriodDone, {"period": 2023, "done_on": "2023-12-20"})
    assert period.period == "2023" and period.unit is None  # a year written plain is a label
    report = entry_from(Report, {"date": "2020-08-03", "text": "已发布", "evidence": ["文1", 2]})
    assert report.evidence == ("文1", "2")


def test_entries_written_back_are_plain_json_data() -> None:
    report = Report(date(2020, 8, 3), "区司法局", text="缺少印发文件", evidence=("文1",), returned=True)
    written = entry_to(report)
    assert written == {
        "date": "2020-08-03",
        "unit": "区司法局",
        "text": "缺少印发文件",
        "evidence": ["文1"],
        "returned": True,
    }
    assert type(written["evidence"]) is list


def test_an_entry_on_one_line_names_its_flags() -> None:
    record = {
        "date": "2020-08-03",
        "unit": "区司法局",
        "text": "缺少印发文件",
        "evidence": [],
        "returned": True,
    }
    assert entry_words(record) == "2020-08-03 区司法局 缺少印发文件 退回"
    assert entry_words({"date": "2020-08-04", "urgent": True, "note": None}) == "2020-08-04 urgent"
