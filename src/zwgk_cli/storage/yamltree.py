"""A safe, position-aware YAML reader for plan files.

Built on PyYAML's event stream (the C parser when available), not its
constructor: nothing is ever built from a tag, anchors and aliases are refused
before they can expand, duplicate keys are reported with both lines, and every
value keeps the line it came from so that errors can name it.

Plain scalars are kept as the text written, except decimal integers and numbers with a
decimal point, and ``true``/``false``. A plain
scalar that YAML 1.1 would have read as something else (``no`` as a boolean,
``2020-02-30`` as a date, ``010`` as octal) is remembered so that the caller
can ask the user to quote it where text is expected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from zwgk_cli.errors import Problem
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.texts import SUSPECT

# Only the parser half of the loader is used: events, never constructed objects.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["MAX_DEPTH", "ItemLines", "Tree", "implicit_tag", "read_items", "read_tree", "scalar"]

Path = tuple[str | int, ...]
MAX_DEPTH = 64
_DECIMAL = lazy(r"[-+]?(0|[1-9][0-9]*)")
_POINT = lazy(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+")
_CONFLICT = lazy(r"^(<{7}|={7}|>{7})(\s|$)", re.MULTILINE)
_RESOLVER = yaml.resolver.Resolver()
_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "布尔值（是/否）",
    "tag:yaml.org,2002:null": "空值",
    "tag:yaml.org,2002:int": "数字",
    "tag:yaml.org,2002:float": "数字",
    "tag:yaml.org,2002:timestamp": "日期",
}


@dataclass
class Tree:
    """The plain data of a document and where each part of it stands."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    # Plain scalars that YAML 1.1 would not read as text: path -> (text, kind in Chinese).
    surprises: dict[Path, tuple[str, str]] = field(default_factory=dict)
    # Text values holding a control or invisible character or a line break (validate checks them).
    suspect: dict[Path, str] = field(default_factory=dict)
    # Line (1-based) and column of each mapping key; paths of flow-style collections.
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    flow: set[Path] = field(default_factory=set)
    # Lines of each item of a top-level list (0-based, end exclusive), by item path.
    spans: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def item_lines(self, path: Path) -> ItemLines:
        """Where the mapping at ``path``, an item of a top-level list, and each of its keys stand."""
        value = self.data
        for part in path:
            value = value[part]
        return ItemLines({k: self.keys[(*path, k)] for k in value}, self.spans[path], path in self.flow)

    def line_of(self, path: Path) -> int:
        """The line of ``path`` or of its nearest ancestor that exists (0 if none)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 0)


@dataclass(frozen=True)
class ItemLines:
    """Where one item of a top-level list (a task) stands in its file: each key's line (1-based)
    and column, in the order written; the item's lines (0-based, end exclusive); whether it is
    written in flow style ``{…}``."""

    keys: dict[str, tuple[int, int]]
    span: tuple[int, int]
    flow: bool


_STR = "tag:yaml.org,2002:str"
# First characters with an implicit resolver (digits, signs, y/n/t/f/o, ~, …): any other
# plain scalar, such as every Chinese name, is text without asking the resolver.
# (A resolver registered without a first character would apply to all: then always ask.)
_RESOLVED_FIRST = frozenset(k for k in _RESOLVER.yaml_implicit_resolvers if k)
_FAST = None not in _RESOLVER.yaml_implicit_resolvers


def implicit_tag(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar: str, int, bool, null, timestamp, …"""
    if _FAST and value and value[0] not in _RESOLVED_FIRST:
        return _STR
    return str(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]


_PLAIN_SAFE = lazy(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#\"']*")


def scalar(text: str) -> str:
    """``text`` as a YAML scalar on one line: plain where that reads back as the same text."""
    plain = (
        _PLAIN_SAFE.fullmatch(text)
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and text.isprintable()
        and implicit_tag(text) == _STR
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_SEQUENCE_END, _MAPPING_START, _MAPPING_END = (
    yaml.SequenceEndEvent,
    yaml.MappingStartEvent,
    yaml.MappingEndEvent,
)


class _Builder:
    """Plain data from events. The hot path (a plain scalar value) is kept short on purpose:
    a 100,000-task plan has millions of events."""

    def __init__(self, events: Iterator[Any]) -> None:
        self.events = events
        self.tree = Tree(None)
        # Each text once: a unit's name is written in every task it has a role in, and a plan
        # cached as one object per text is a fifth smaller and quicker to restore.
        self.texts: dict[str, str] = {}

    def refuse(self, event: Any) -> None:
        line = event.start_mark.line + 1
        if type(event) is _ALIAS:
            raise _Stop(line, "不支持 YAML 别名（*引用）：计划文件中每个值都应直接写出")
        if event.anchor:
            raise _Stop(line, "不支持 YAML 锚点（&名称）：计划文件中每个值都应直接写出")
        raise _Stop(line, f"不支持 YAML 标签 {event.tag}：请删除它，计划文件只用普通的文本、数字和列表")

    def node(self, event: Any, path: Path) -> Any:
        if type(event) is _SCALAR:
            if event.anchor is not None or event.tag is not None:
                self.refuse(event)
            self.tree.lines[path] = event.start_mark.line + 1  # type: ignore[union-attr]
            return self.scalar(event, path)
        if type(event) is _ALIAS or event.anchor is not None or event.tag is not None:
            self.refuse(event)
        line = event.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            raise _Stop(line, f"嵌套层次过深（超过 {MAX_DEPTH} 层）")
        self.tree.lines[path] = line
        if event.flow_style:
            self.tree.flow.add(path)
        if type(event) is _MAPPING_START:
            return self.mapping(path)
        items: list[Any] = []
        starts: list[int] = []
        nxt: Any
        while type(nxt := next(self.events)) is not _SEQUENCE_END:
            starts.append(nxt.start_mark.line)
            items.append(self.node(nxt, (*path, len(items))))
        if len(path) == 1 and starts:  # the blocks of a top-level list: tasks, units, groups
            ends = [*starts[1:], nxt.start_mark.line]  # type: ignore[union-attr]
            for index, span in enumerate(zip(starts, ends, strict=True)):
                self.tree.spans[(*path, index)] = span
        return items

    def mapping(self, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        keys = self.tree.keys
        key_event: Any
        while type(key_event := next(self.events)) is not _MAPPING_END:
            mark = key_event.start_mark
            line = mark.line + 1
            if type(key_event) is not _SCALAR or key_event.tag is not None:
                raise _Stop(line, "键必须是普通文本")
            key = key_event.value
            if key == "<<" and not key_event.style:
                raise _Stop(line, "不支持 YAML 合并键（<<）：请把内容直接写出")
            key_path = (*path, key)
            if key in result:
                raise _Stop(
                    line, f"键“{key}”重复：第 {keys[key_path][0]} 行和第 {line} 行都写了它，请只保留一个"
                )
            keys[key_path] = (line, mark.column)
            result[key] = self.node(next(self.events), key_path)
        return result

    def scalar(self, event: Any, path: Path) -> Any:
        value: str = event.value
        if SUSPECT.search(value):
            self.tree.suspect[path] = value
        if event.style:  # quoted or block scalar: always text ('' or None is plain)
            return self.texts.setdefault(value, value)
        tag = implicit_tag(value)
        if tag == _STR:
            return self.texts.setdefault(value, value)
        if tag == "tag:yaml.org,2002:null" and value in ("", "~", "null", "Null", "NULL"):
            return None
        if tag == "tag:yaml.org,2002:int" and _DECIMAL.fullmatch(value):
            return int(value)
        # The settings' values (verification: true, per_overdue_day: -0.2); where text is
        # expected the schema says so. yes/no/on/off stay surprises.
        if tag == "tag:yaml.org,2002:bool" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:float" and _POINT.fullmatch(value):
            return float(value)
        self.tree.surprises[path] = (value, _TAG_NAMES.get(tag, "非文本"))
        return value


class _Stop(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(line, message)


# What PyYAML says (in English), and what it means to someone editing a plan.
_SYNTAX = (
    ("nesting depth", "嵌套层次过深（超过 YAML 解析器的上限）：计划文件不需要这么多层"),
    ("unacceptable character", "含有 YAML 不接受的字符（如 U+FFFE 或控制字符），可能是复制时带入的，请删除"),
    (
        "cannot start any token",
        "这一行以 YAML 不允许的字符开头（如 @、` 或制表符），文字请加引号，缩进请用空格",
    ),
    ("mapping values are not allowed", "这里不能有冒号：文字中的英文冒号请改成中文冒号或给文字加引号"),
    ("could not find expected ':'", "缺少冒号：键和值之间应有“: ”"),
    ("expected <block end>", "缩进不一致：同一层的键应对齐"),
    ("expected ',' or ']'", "方括号列表的写法有误：各项用逗号分开，以 ] 结束"),
    ("expected ',' or '}'", "花括号的写法有误：各项用逗号分开，以 } 结束"),
    ("unexpected end of stream", "引号或括号没有闭合"),
    ("found '<stream end>'", "引号或括号没有闭合"),
    ("did not find expected node content", "引号或括号没有闭合，或这里缺少内容"),
    ("unknown escape character", "双引号中的反斜杠写法有误，请改用单引号或去掉反斜杠"),
    ("found undefined alias", "使用了未定义的别名（*名称）"),
)


def _syntax_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    detail = getattr(exc, "problem", None) or str(exc)
    said = next((text for words, text in _SYNTAX if words in detail), None)
    return Problem(line, f"YAML 格式错误：{said or '请检查这一行的缩进、冒号和引号'}")


def read_tree(text: str) -> Tree:
    """Parse ``text`` into a ``Tree``; raise ``ProblemList`` for anything unsafe or broken."""
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        raise ProblemList([Problem(line, "文件中有 git 合并冲突标记，请先解决冲突再使用")])
    parser = _Parser(text)
    events = iter(parser.get_event, None)
    builder = _Builder(events)
    try:
        next(events)  # StreamStart
        start = next(events)
        if isinstance(start, yaml.StreamEndEvent):
            raise _Stop(1, "文件是空的（或只有注释）：计划文件应以 title、tasks 等键开头")
        first = next(events)
        if not isinstance(first, yaml.MappingStartEvent):
            raise _Stop(
                first.start_mark.line + 1, "文件的最外层应是键值对（title:、tasks: …），而不是列表或单个值"
            )
        builder.tree.data = builder.node(first, ())
        next(events)  # DocumentEnd
        after = next(events)
        if not isinstance(after, yaml.StreamEndEvent):
            raise _Stop(
                after.start_mark.line + 1, "文件中有多个 YAML 文档（---）：一个计划文件只能有一个文档"
            )
    except _Stop as stop:
        raise ProblemList([stop.problem]) from None
    except yaml.YAMLError as exc:
        raise ProblemList([_syntax_problem(exc)]) from None
    except RecursionError:
        raise ProblemList([Problem(0, f"嵌套层次过深（超过 {MAX_DEPTH} 层）")]) from None
    finally:
        parser.dispose()
    return builder.tree


def read_items(text: str, key: str, start: int) -> Tree:
    """The items of the top-level list ``key`` that a file's lines ``start``… (0-based) hold,
    ``text``, read alone: the tree of ``key:`` followed by them, its lines those of the file
    (its item indexes count from 0). Raise ``ProblemList`` as ``read_tree`` does."""
    tree = read_tree(f"{key}:\n{text}")
    shift = start - 1  # the first line of text is line 1 (0-based) of what was read
    tree.lines = {path: line + shift for path, line in tree.lines.items()}
    tree.keys = {path: (line + shift, column) for path, (line, column) in tree.keys.items()}
    tree.spans = {path: (first + shift, end + shift) for path, (first, end) in tree.spans.items()}
    return tree


class ProblemList(Exception):
    """Problems found while reading; the store attaches the file name."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
