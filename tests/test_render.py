"""Text from the plan is shown literally: no rich markup, no terminal control sequences."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Run
from zwgk_cli.plan.model import Status

PLAN = """\
title: 测试
tasks:
  - id: 1
    category: "[bold]类别[/]"
    title: "[red]标题[/] [link=http://example.com]点我[/link] \\e[31m红色\\e[0m"
    responsible: [区司法局]
    supervising: [区政府办公室]
    deadline: 2020年7月下旬
    status: open
"""


def test_markup_shown_literally(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace(" \\e[31m红色\\e[0m", ""), encoding="utf-8")
    for command in (("list",), ("overdue",), ("show", "1")):
        result = run(*command, "--file", str(path), "--today", "2020-08-01", env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.output
        assert "[red]标题[/]" in result.stdout
        assert "[link=http://example.com]点我[/link]" in result.stdout
        assert "[bold]类别[/]" in result.stdout


def test_escape_codes_in_a_plan_are_refused_with_their_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    for command in (("list", "--file", str(path), "--today", "2020-08-01"), ("check", str(path))):
        result = run(*command)
        assert result.exit_code == 4 and result.stdout == ""
        assert f"{path}:5: 第 1 个任务的具体任务（title） 含有不可见字符 U+001B" in result.stderr
        assert "\x1b" not in result.stderr


HOSTILE = "标题\x1b[31m红色\x07\x9b\r假行"


def _hostile_row() -> object:
    from datetime import date

    from zwgk_cli.dates.deadlines import DueRange
    from zwgk_cli.plan.model import Item, Task
    from zwgk_cli.tracking.query import Row

    task = Task(1, "类", HOSTILE, (HOSTILE,), ("乙",), "2020年7月下旬")
    units = {"responsible": (HOSTILE,), "supervising": ("乙",)}
    return Row(Item(task, DueRange(date(2020, 7, 21), date(2020, 7, 31)), units, (HOSTILE,)))


def test_every_output_path_sanitises_what_slipped_through() -> None:
    """Defence in depth: text that reached the renderer anyway never drives the terminal."""
    import io
    from datetime import date

    from zwgk_cli.render import records, tables, text

    row = _hostile_row()
    today = date(2020, 8, 1)
    outputs = []
    for fmt in ("json", "csv"):
        buffer = io.StringIO()
        records.write_records([records.task_record(row, today)], records.TASK_KEYS, fmt, buffer)  # type: ignore[arg-type]
        outputs.append(buffer.getvalue())
    buffer = io.StringIO()
    tables.write_table([row], tables.task_columns(today), "小结", buffer)  # type: ignore[list-item]
    outputs.append(buffer.getvalue())
    buffer = io.StringIO()
    tables.write_lines(text.show_lines(row.item, today), buffer)  # type: ignore[attr-defined]
    outputs.append(buffer.getvalue())
    for out in outputs:
        assert not any(c in out for c in "\x1b\x07\x9b\r"), out
    assert json.loads(outputs[0])[0]["title"] == HOSTILE  # JSON keeps the text, escaped
    assert "\\u009b" in outputs[0] and "\\u001b" in outputs[0]
    assert "\\x1b[31m" in outputs[1] and "\\x1b[31m" in outputs[3]


def test_no_colour_when_no_color_is_set(run: Run, plan: Path) -> None:
    result = run("overdue", "--file", str(plan), "--today", "2020-08-01", env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout


def test_reader_that_leaves_early_is_not_an_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    plan = tmp_path / "big.yaml"
    generated = subprocess.run(
        [sys.executable, "benchmarks/generate.py", "2000"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    plan.write_text(generated.stdout, encoding="utf-8")
    for fmt in ("table", "json"):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "zwgk_cli",
                "list",
                "--file",
                str(plan),
                "--today",
                "2025-01-01",
                "--format",
                fmt,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        assert proc.wait(timeout=120) == 0
        assert proc.stderr.read() == b""


def test_wide_shows_every_unit_of_every_task(run: Run, plan: Path) -> None:
    """Issue 26: --wide cut long unit lists at three lines (``麟绛街道办..``) though the README
    says it shows them all."""
    shown = run("list", "-f", str(plan), "--wide", "--today", "2020-10-15", env={"COLUMNS": "100"}).stdout
    tasks = json.loads(run("list", "-f", str(plan), "--today", "2020-10-15", "--format", "json").stdout)
    lines = [line for line in shown.splitlines() if line.startswith("|") and not line.startswith("|-")]
    rows: list[list[str]] = []  # each task's cells, its lines joined
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    column = header.index("主体责任单位")
    assert [row[column] for row in rows] == ["、".join(t["responsible"]) for t in tasks]
    assert ".." not in shown


def test_csv_for_people_has_chinese_names_and_values_and_no_dates_by_mistake(run: Run, plan: Path) -> None:
    """Issue 25: a CSV meant for people had English names and values (open, true), and Excel
    read the progress 1/2 as a date; ``--format csv`` stays the contract for programs."""
    import csv as csv_module
    import io

    args = ("list", "-f", str(plan), "--today", "2020-08-05")
    machine = list(csv_module.reader(io.StringIO(run(*args, "--format", "csv").stdout)))
    people_text = run(*args, "--format", "中文CSV").stdout
    assert people_text.startswith("\ufeff")  # Excel opens it as UTF-8
    people = list(csv_module.reader(io.StringIO(people_text.removeprefix("\ufeff"))))
    assert len(people) == len(machine)
    header = people[0]
    assert header[:3] == ["序号", "工作任务", "具体任务"] and "状态" in header and "是否逾期" in header
    assert not any(re.search(r"[a-z]", name) for name in header)
    first = dict(zip(header, people[1], strict=True))
    assert (first["状态"], first["是否逾期"], first["各单位进度"]) == ("未完成", "是", "0／19")
    machine_first = dict(zip(machine[0], machine[1], strict=True))
    assert (machine_first["status"], machine_first["overdue"], machine_first["progress"]) == (
        "open",
        "true",
        "0/19",
    )


def test_every_machine_key_has_a_chinese_name() -> None:
    from zwgk_cli.render.collect import COLLECT_KEYS
    from zwgk_cli.render.people_csv import HEADERS
    from zwgk_cli.render.records import REPORT_KEYS, SCORE_KEYS, TASK_KEYS, UNIT_KEYS

    keys = {*TASK_KEYS, *UNIT_KEYS, *REPORT_KEYS, *SCORE_KEYS, *COLLECT_KEYS}
    assert keys - set(HEADERS) == set()


def test_timeline_soon_state_boundary() -> None:
    from zwgk_cli.dates.deadlines import DueRange
    from zwgk_cli.plan.model import Item, Task
    from zwgk_cli.render.timeline import state_of

    def item(end: date) -> Item:
        task = Task(1, "类", "题", ("甲",), ("乙",), "x")
        return Item(
            task, DueRange(date(2020, 7, 1), end), {"responsible": ("甲",), "supervising": ("乙",)}, ("甲",)
        )

    today = date(2020, 7, 1)
    assert state_of(item(date(2020, 7, 8)), today, 7) == "soon"
    assert state_of(item(date(2020, 7, 9)), today, 7) == "open"
    assert state_of(item(date(2020, 6, 30)), today, 7) == "overdue"
    assert state_of(item(date(2020, 7, 1)), today, 7) == "soon"


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.dates()
    | st.sampled_from([Status.OPEN, Status.DONE])
)
# The floats a plan gives: scores and their parts, in the range written without an exponent.
_PLAN_FLOATS = st.floats(min_value=1e-4, max_value=1e15) | st.just(0.0)
_PLAN_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | _PLAN_FLOATS
    | _PLAN_FLOATS.map(lambda x: -x)
    | st.text()
    | st.dates()
    | st.sampled_from([Status.OPEN, Status.DONE])
)


def _json(scalars: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.tuples(inner, inner)
            | st.dictionaries(st.text(max_size=5), inner, max_size=4)
            | st.dictionaries(st.integers(), inner, max_size=2)
        ),
        max_leaves=30,
    )


def _stdlib(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


@settings(max_examples=150, deadline=None)
@given(_json(_SCALARS))
def test_short_json_is_written_as_the_standard_library_writes_it(value: object) -> None:
    """Issue 24: nesting, empty lists and maps, escapes, NaN, dates and enums, odd keys."""
    from zwgk_cli.render.json_text import dumps

    assert dumps(value) == _stdlib(value)


@settings(max_examples=80, deadline=None)  # each a list of a hundred and more: the short test varies more
@given(st.lists(_json(_PLAN_SCALARS), min_size=1, max_size=3), st.integers(0, 3))
def test_long_json_is_written_as_the_standard_library_writes_it(head: list[object], last: int) -> None:
    """A long list, written by orjson, comes out byte for byte as the standard library writes
    it, for every value a plan gives (floats: between 1e-4 and 1e15, as scores are)."""
    from zwgk_cli.render.json_text import LONG, dumps

    value = head * LONG
    value = value[: LONG - 1 + min(last, 1)] + head[:last]  # just below, at and past LONG members
    assert dumps(value) == _stdlib(value)


@pytest.mark.parametrize("odd", ["\udcff.yaml", Path("计划/甲.yaml")], ids=["surrogate", "path"])
def test_long_json_takes_the_standard_librarys_way_where_orjson_cannot_write_a_value(odd: object) -> None:
    """A lone surrogate (a file name that is not UTF-8) cannot be written by orjson, nor a
    value JSON has no type for (written as its text, ``default=str``); the standard library
    writes them, as it does a short list."""
    from zwgk_cli.render.json_text import LONG, dumps

    value = ["区司法局"] * LONG + [odd]
    assert dumps(value) == _stdlib(value)
    assert f'"{odd}"' in dumps(value)  # as its text


def test_long_json_leaves_what_orjson_writes_its_own_way_to_the_standard_library() -> None:
    """orjson writes a dataclass as an object and a datetime with a ``T``, where
    ``json.dumps(default=str)`` writes their text: it is told to refuse them (and subclasses of
    ``str`` and ``int``), and the standard library writes the value. An enum it writes as
    ``json`` does, by its value."""
    from dataclasses import dataclass
    from datetime import datetime

    from zwgk_cli.plan.model import Status
    from zwgk_cli.render.json_text import LONG, dumps, encode

    @dataclass(frozen=True)
    class Point:
        x: int

    class Name(str):
        pass

    for odd in (Point(1), datetime(2020, 7, 31, 8, 30), Name("区司法局")):
        value = [odd, "区司法局"] * LONG
        assert isinstance(encode(value), str) and dumps(value) == _stdlib(value)
    assert 'Point(x=1)"' in dumps([Point(1)] * LONG)  # its text, not an object
    assert '"2020-07-31 08:30:00"' in dumps([datetime(2020, 7, 31, 8, 30)] * LONG)
    for plain in (["区司法局", 1, None, [], {}] * LONG, [Status.DONE] * LONG):  # orjson's
        assert isinstance(encode(plain), bytes) and dumps(plain) == _stdlib(plain)


def test_long_json_writes_numbers_no_plan_gives_as_the_same_numbers() -> None:
    """Beyond the range plans give, orjson writes the same number another way (0.00001, not
    1e-05), and NaN, which is not JSON, as null; the module's docstring says so."""
    from zwgk_cli.render.json_text import LONG, dumps

    value = [1e16, 1e-5, 2.5, float("nan")] * (LONG // 4)
    written = dumps(value)
    assert json.loads(written) == [1e16, 1e-5, 2.5, None] * (LONG // 4)
    assert written.startswith("[\n  1e+16,\n  0.00001,\n  2.5,\n  null,\n")
    assert dumps(value[1:]).startswith("[\n  1e-05,\n  2.5,\n  NaN,\n")  # one short: json's way


def test_json_deeper_than_the_indents_made_ahead_is_written_all_the_same() -> None:
    from zwgk_cli.render.json_text import LONG, dumps

    deep: object = ["底"]
    for level in range(40):
        deep = {"层": deep} if level % 2 else [deep, level]
    assert dumps([deep] * LONG) == _stdlib([deep] * LONG)


@pytest.mark.parametrize("char", ["\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029"])
def test_json_escapes_del_c1_and_the_line_separators(char: str) -> None:
    """Each character ``json`` leaves raw but a terminal or a JavaScript reader would act on,
    alone in a long text; characters next to them (U+00A0, U+2027) stay as they are."""
    from zwgk_cli.render.json_text import LONG, dumps
    from zwgk_cli.render.safe import json_safe

    for many in (1, LONG):  # written by the standard library, and by orjson
        written = json_safe(dumps(["区司法局" * 100 + char] * many))
        assert char not in written and f"\\u{ord(char):04x}" in written
        assert json.loads(written) == ["区司法局" * 100 + char] * many
    assert json_safe(dumps(["\xa0\u2027", char])).startswith('[\n  "\xa0\u2027"')


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_json_safe_escapes_exactly_the_characters_it_names(text: str) -> None:
    from zwgk_cli.render.safe import json_safe

    expected = "".join(
        f"\\u{ord(c):04x}" if c in "\x7f\u2028\u2029" or "\x80" <= c <= "\x9f" else c for c in text
    )
    assert json_safe(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"])))
def test_json_safe_bytes_is_json_safe_of_the_utf8(text: str) -> None:
    """The long-JSON path sanitises orjson's bytes: the same escapes as the text path."""
    from zwgk_cli.render.safe import json_safe, json_safe_bytes

    assert json_safe_bytes(text.encode("utf-8")) == json_safe(text).encode("utf-8")


def test_json_safe_keeps_a_lone_surrogate_from_a_file_name() -> None:
    """A file name that is not UTF-8 reaches JSON as a lone surrogate (the standard library's
    way, see above); sanitising it escapes C1 around it and leaves it as it was."""
    from zwgk_cli.render.records import write_json
    from zwgk_cli.render.safe import json_safe

    assert json_safe('"\udcff\x85.yaml"') == '"\udcff\\u0085.yaml"'
    out = io.StringIO()
    write_json(["\udcff\x85.yaml"] * 100, out)
    assert out.getvalue().count('"\udcff\\u0085.yaml"') == 100


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "gb18030", "utf-8-sig"])
@pytest.mark.parametrize("many", [1, 100])
def test_long_json_goes_to_a_utf8_stream_as_bytes_after_the_text_before_it(encoding: str, many: int) -> None:
    """orjson's UTF-8 is written to the bytes under a UTF-8 stream (not decoded and encoded
    again), after what was written to it as text; any other stream, or a short value, gets text.
    Whichever way, the stream holds the same text."""
    from zwgk_cli.render.records import write_json

    value = [{"title": "公开\x85目录\u2028", "n": k} for k in range(many)]
    binary = io.BytesIO()
    stream = io.TextIOWrapper(binary, encoding=encoding, newline="")
    stream.write("前言\n")
    write_json(value, stream)
    stream.write("后记\n")
    stream.flush()
    text = io.StringIO()
    write_json(value, text)
    assert binary.getvalue().decode(encoding) == "前言\n" + text.getvalue() + "后记\n"
    assert "\\u0085" in text.getvalue() and "\\u2028" in text.getvalue() and "\x85" not in text.getvalue()
    assert json.loads(text.getvalue()) == value


def test_long_json_on_windows_goes_as_text_with_windows_line_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where text streams write ``\\r\\n`` for a line end (Windows), bytes would keep ``\\n``."""
    from zwgk_cli.render import records

    monkeypatch.setattr(records.os, "linesep", "\r\n")
    binary = io.BytesIO()
    stream = io.TextIOWrapper(binary, encoding="utf-8", newline="\r\n")
    records.write_json([{"n": k} for k in range(100)], stream)
    stream.flush()
    lines = binary.getvalue().split(b"\n")
    assert len(lines) == 303 and all(line.endswith(b"\r") for line in lines[:-1]) and lines[-1] == b""


@pytest.mark.parametrize(
    ("text", "width", "shown"),
    [
        ("区司法局", 8, "区司法局"),  # exactly fits: four characters, eight columns
        ("区司法局", 10, "区司法局  "),  # padded to the width
        ("区司法局", 7, "区司.. "),  # cut: two columns kept for "..", the odd one padded
        ("ab区司法局", 7, "ab区.. "),
        ("abcdef", 5, "abc.."),
    ],
)
def test_truncate_counts_cjk_characters_as_two_columns(text: str, width: int, shown: str) -> None:
    from zwgk_cli.render.width import display_width, truncate

    assert truncate(text, width) == shown and display_width(truncate(text, width)) == width
