"""Every bad input gets a Chinese message naming the problem, its exit code, no traceback,
and leaves the plan file exactly as it was."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from conftest import Run, told_as_user_error

GOOD = """\
title: 测试计划
tasks:
  - id: 1
    category: 组织实施
    title: 成立领导组
    responsible: [区司法局]
    supervising: [区政府办公室]
    deadline: 2020年7月下旬
    status: open
"""
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def variant(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


SECOND_TASK = """\
  - id: 2
    category: 组织实施
    title: 出台方案
    responsible: [区司法局]
    supervising: [同（9）]
    deadline: 2020年8月
"""

# name -> (file text, exit code, message fragment, line or None)
CASES: dict[str, tuple[str, int, str, int | None]] = {
    "unknown key": (
        variant("    status: open\n", "    status: open\n    colour: red\n"),
        4,
        "是未知的键",
        10,
    ),
    "wrong type": (variant("id: 1", "id: 一"), 4, "序号（id） 应为整数", 3),
    "missing field": (variant("    title: 成立领导组\n", ""), 4, "缺少必填项", 3),
    "list expected": (variant("[区司法局]", "区司法局"), 4, "应为列表", 6),
    "duplicate id": (GOOD + GOOD.split("tasks:\n")[1], 4, "序号 1 重复", 10),
    "duplicate key": (
        variant("    title: 成立领导组\n", "    title: 成立领导组\n    title: 别的\n"),
        4,
        "键“title”重复：第 5 行和第 6 行",
        6,
    ),
    "reference to no task": (GOOD + SECOND_TASK, 4, "计划中没有任务 9", 14),
    "bad deadline": (variant("2020年7月下旬", "2020年13月下旬"), 4, "月份应在 1 到 12 之间", 8),
    "bad status": (
        variant("status: open", "status: finished"),
        4,
        "只能是 open（未完成）或 done（已完成）",
        9,
    ),
    "done without date": (variant("status: open", "status: done"), 4, "缺少完成日期 done_on", 9),
    "python object tag": (
        variant("title: 成立领导组", 'title: !!python/object/apply:os.system ["echo hi"]'),
        4,
        "不支持 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system",
        5,
    ),
    "python name tag": (
        variant("title: 成立领导组", "title: !!python/name:os.system"),
        4,
        "不支持 YAML 标签",
        5,
    ),
    "anchor": (variant("[区司法局]", "&u [区司法局]"), 4, "不支持 YAML 锚点", 6),
    "alias": (variant("supervising: [区政府办公室]", "supervising: *u"), 4, "不支持 YAML 别名", 7),
    "merge key": (variant("    status: open\n", "    <<: {status: open}\n"), 4, "不支持 YAML 合并键", 9),
    "boolean surprise": (
        variant("title: 成立领导组", "title: no"),
        4,
        "当作布尔值（是/否）而不是文本，请加引号：'no'",
        5,
    ),
    "date surprise": (variant("2020年7月下旬", "2020-02-30"), 4, "当作日期而不是文本，请加引号", 8),
    "sexagesimal surprise": (variant("title: 成立领导组", "title: 7:30"), 4, "当作数字而不是文本", 5),
    "octal surprise": (variant("title: 成立领导组", "title: 010"), 4, "当作数字而不是文本", 5),
    "conflict markers": (
        variant(
            "    status: open\n", "<<<<<<< HEAD\n    status: open\n=======\n    status: done\n>>>>>>> other\n"
        ),
        4,
        "git 合并冲突标记",
        9,
    ),
    "deep nesting": ("title: " + "[" * 5000 + "]" * 5000 + "\ntasks: []\n", 4, "嵌套层次过深", None),
    "syntax error": (
        variant("    title: 成立领导组\n", "    title: 成立领导组\n  bad: [\n"),
        4,
        "YAML 格式错误",
        None,
    ),
    "empty file": ("", 4, "文件是空的", 1),
    "comment-only file": ("# 只有注释\n\n", 4, "文件是空的", 1),
    "top-level list": ("- id: 1\n", 4, "最外层应是键值对", 1),
    "several documents": (GOOD + "---\n" + GOOD, 4, "多个 YAML 文档", 10),
    "NUL byte": (variant("成立领导组", "成立\x00领导组"), 4, "控制字符（U+0000）", 5),
    "control byte": (variant("成立领导组", "成立\x07领导组"), 4, "控制字符（U+0007）", 5),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_plan(run: Run, tmp_path: Path, name: str) -> None:
    text, code, fragment, line = CASES[name]
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    started = time.monotonic()
    for args in (
        ("list", "--file", str(path)),
        ("done", "1", "--file", str(path), "--today", "2020-08-01"),
        ("check", str(path)),
    ):
        result = run(*args)
        told_as_user_error(result, code)
        assert fragment in result.stderr, result.stderr
        assert result.stdout == ""
        if line is not None:
            assert f"{path}:{line}: " in result.stderr, result.stderr
        assert path.read_bytes() == before
    assert time.monotonic() - started < 10  # nothing hangs (the benchmark measures speed)


def test_all_problems_in_one_run(run: Run, tmp_path: Path) -> None:
    text = variant("id: 1", "id: 一").replace("2020年7月下旬", "2020年13月") + SECOND_TASK.replace(
        "status", "x"
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace("title: 出台方案", "title: 出台方案\n    colour: red"), encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 4
    assert result.stderr.count(f"{path}:") >= 2
    assert "应为整数" in result.stderr and "未知的键" in result.stderr


def test_alias_bomb_fails_fast(run: Run, tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\ntitle: x\ntasks: []\n", encoding="utf-8")
    started = time.monotonic()
    result = run("check", str(path))
    assert time.monotonic() - started < 2
    assert result.exit_code == 4
    assert "不支持 YAML 锚点" in result.stderr


def test_gbk_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(GOOD.encode("gbk"))
    result = run("list", "--file", str(path))
    assert result.exit_code == 4
    assert "不是 UTF-8 编码" in result.stderr and "iconv -f GBK -t UTF-8" in result.stderr
    assert f"{path}:1: " in result.stderr
    assert "�" not in result.stderr  # never mojibake


def test_binary_garbage(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(bytes(range(256)) * 8)
    result = run("list", "--file", str(path))
    told_as_user_error(result, 4)


def test_utf8_with_bom_reads(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert run("list", "--file", str(path)).exit_code == 0


def test_directory(run: Run, tmp_path: Path) -> None:
    result = run("list", "--file", str(tmp_path))
    assert result.exit_code == 3
    assert "这是一个文件夹" in result.stderr


def test_missing_file(run: Run, tmp_path: Path) -> None:
    result = run("list", "--file", str(tmp_path / "none.yaml"))
    assert result.exit_code == 3
    assert "找不到计划文件" in result.stderr


def test_unreadable_file(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD, encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    # root ignores chmod 000, so refuse in code
    monkeypatch.setattr("zwgk_cli.storage.store.open", refuse, raising=False)
    result = run("list", "--file", str(path))
    assert result.exit_code == 3
    assert "没有读取权限" in result.stderr


def test_huge_file(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run("list", "--file", str(path))
    assert result.exit_code == 3
    assert "文件过大（50 MB" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("done", "99"), 5, "计划中没有序号为 99 的任务（共 25 项，序号 1–25）"),
        (("show", "0"), 5, "没有序号为 0 的任务"),
        (("done", "1", "--today", "2020-13-01"), 2, "--today 的值“2020-13-01”不是有效日期"),
        (("done", "1", "--today", "2020-08-01", "--on", "2020-06-30"), 2, "早于计划开始（2020-07-01）"),
        (("done", "1", "--today", "2020-08-01", "--on", "2020-08-02"), 2, "完成日期不能在将来"),
        (("list", "--format", "yaml"), 2, "--format 只能是"),
        (("list", "--status", "late"), 2, "--status 只能是 open（未完成）、done（已完成）、overdue（逾期）"),
        (("list", "--role", "owner"), 2, "--role 只能是"),
        (("list", "--category", "不存在"), 5, "计划中没有工作任务“不存在”"),
        (("list", "--unit", "局"), 5, "不唯一"),
        (("done", "3", "--unit", "区司法局", "--today", "2020-08-01"), 5, "不是任务 3 的牵头或主体责任单位"),
        (("show", "abc"), 2, "序号 的值“abc”不是任务序号"),
        (("frobnicate",), 2, "没有命令 frobnicate"),
    ],
)
def test_bad_command_line(run: Run, plan: Path, args: tuple[str, ...], code: int, fragment: str) -> None:
    before = plan.read_bytes()
    result = run(*args, "--file", str(plan)) if args[0] != "frobnicate" else run(*args)
    told_as_user_error(result, code)
    assert fragment in result.stderr
    assert plan.read_bytes() == before


def test_empty_top_level_lists_are_fine(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(GOOD.replace("tasks:", "units: []\ngroups: []\ntasks:"), encoding="utf-8")
    result = run("list", "--file", str(path), "--today", "2020-08-01", "--format", "json")
    assert result.exit_code == 0, result.output


ENGLISH = re.compile(r"\b(?!YAML\b|TOML\b|UTF\b)[A-Za-z]{5,}\b")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("title: 甲\ntasks:\n  - id: 1\n    title: a: b\n", "这里不能有冒号"),
        ("title: 甲\ntasks: [\n", "引号或括号没有闭合"),
        ("title: 甲\ntasks:\n  - id: 1\n   title: x\n  -\n", "YAML 格式错误"),
        ("title: \ufffe\ntasks: []\n", "不接受的字符"),
    ],
    ids=["colon", "unclosed", "indent", "fffe"],
)
def test_yaml_errors_are_said_in_chinese(run: Run, tmp_path: Path, text: str, said: str) -> None:
    """Issue 23.15: PyYAML's English (unacceptable character #xfffe …) reached users."""
    plan = tmp_path / "p.yaml"
    plan.write_text(text, encoding="utf-8")
    result = run("check", str(plan))
    assert result.exit_code == 4 and said in result.stderr
    assert not ENGLISH.search(result.stderr.replace(str(plan), "")), result.stderr


def test_a_broken_workspace_file_is_said_in_chinese_with_its_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 23.15: TOML's `Cannot overwrite a value` reached users."""
    (tmp_path / "zwgk.toml").write_text('plans = ["a.yaml"]\nplans = ["b.yaml"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZWGK_FILE", raising=False)
    result = run("list", "--today", "2020-08-01")
    assert result.exit_code == 4 and "zwgk.toml:2" in result.stderr and "每个键只能写一次" in result.stderr
    assert not ENGLISH.search(result.stderr.replace(str(tmp_path), "")), result.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("id: 0", "第 1 个任务的序号（id） 应为正整数"),
        ("id: 1.5", "第 1 个任务的序号（id） 应为整数"),
        ("id: x", "第 1 个任务的序号（id） 应为整数"),
        ("title: [a]", "第 1 个任务的具体任务（title） 应为文本"),
        ("status: later", "第 1 个任务的状态（status） 只能是 open（未完成）或 done（已完成）"),
        ("done_on: 20200801", "第 1 个任务的完成日期（done_on） 应为日期（如 2020-08-25）"),
        ("done_on: 0001-01-01", "第 1 个任务的完成日期（done_on） 的年份超出支持的范围（1900—2199 年）"),
        ("colour: red", "第 1 个任务的colour（colour） 是未知的键（可能拼写有误）"),
        ("note: {a: 1}", "第 1 个任务的备注（note） 应为文本"),
    ],
)
def test_schema_messages(run: Run, tmp_path: Path, line: str, message: str) -> None:
    base = {"id": "id: 1", "title": "title: 乙"}
    key = line.split(":")[0]
    fields = [base.get("id"), base.get("title"), "category: 甲", "responsible: [甲]", "supervising: [乙]"]
    fields = [f for f in fields if not f.startswith(key + ":")]
    body = "\n    ".join([line, *fields, "deadline: 2020年7月"])
    plan = tmp_path / "p.yaml"
    plan.write_text(f"title: t\ntasks:\n  - {body}\n", encoding="utf-8")
    result = run("check", str(plan))
    assert result.exit_code == 4
    assert f"{plan}:3: {message}\n" in result.stderr or f"{plan}:4: {message}\n" in result.stderr, (
        result.stderr
    )


def test_an_unforeseen_schema_error_is_still_chinese() -> None:
    from zwgk_cli.plan.value_checks import pydantic_findings

    class Error:
        def errors(self, **_: object) -> list[dict[str, object]]:
            return [{"loc": ("title",), "type": "new_kind", "msg": "English", "ctx": {}}]

    (finding,) = pydantic_findings(Error())
    assert finding.message == "title 的值不符合要求（new_kind）"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("units:\n  - {name: 甲}\ntasks: []", "units[1].kind 缺少必填项"),
        ("tasks:\n  - 5", "第 1 个任务 应为键值对"),
        ("tasks: {}", "tasks 应为列表（如 [区司法局, 区财政局]）"),
        ("issued: 0001-01-01\ntasks: []", "issued 的年份超出支持的范围（1900—2199 年）"),
        ("plan_id: 计划一\ntasks: []", "plan_id 只能由字母、数字、- 和 _ 组成（不超过 64 个字符）"),
        (f"plan_id: {'a' * 65}\ntasks: []", "plan_id 只能由字母、数字、- 和 _ 组成（不超过 64 个字符）"),
        ("plan_id: -a\ntasks: []", "plan_id 只能由字母、数字、- 和 _ 组成（不超过 64 个字符）"),
    ],
)
def test_where_a_schema_problem_is(run: Run, tmp_path: Path, body: str, message: str) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(f"title: t\n{body}\n", encoding="utf-8")
    result = run("check", str(plan))
    assert result.exit_code == 4 and f": {message}\n" in result.stderr, result.stderr


def test_an_unknown_top_level_key_is_named_exactly(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text("title: t\nXtasks: 1\ntasks: []\n", encoding="utf-8")
    assert f"{plan}:2: Xtasks 是未知的键（可能拼写有误）\n" in run("check", str(plan)).stderr
