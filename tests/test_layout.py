"""The layout holds (issue 11): no import cycle, small modules, a CLI without rules or text."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "zwgk_cli"
MODULES = sorted(SRC.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every zwgk_cli module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("zwgk_cli"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(
                    full if (SRC.parent / full.replace(".", "/")).with_suffix(".py").exists() else node.module
                )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("zwgk_cli"))
    return found


@functools.cache  # parsed when a test asks, once: not at collection, in every worker
def _graph() -> dict[str, set[str]]:
    return {_name(p): _imports(p) - {_name(p)} for p in MODULES}


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in _graph().get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = [m for m in _graph() if reaches(m, m, {m})]
    # A package's __init__ importing its own submodules is how a package is assembled, not a cycle
    # of logic; every other module must be acyclic.
    assert [m for m in cycles if not any(m == p or m.startswith(p + ".") for p in ("zwgk_cli.cli",))] == []
    assert not reaches("zwgk_cli.cli.read", "zwgk_cli.cli.write", set())
    assert not reaches("zwgk_cli.cli.write", "zwgk_cli.cli.read", set())


def test_domain_modules_never_import_the_cli_or_print() -> None:
    for path in MODULES:
        name = _name(path)
        if name.startswith(("zwgk_cli.cli", "zwgk_cli.render")) or name in ("zwgk_cli.__main__",):
            continue
        text = path.read_text(encoding="utf-8")
        assert not any(i.startswith("zwgk_cli.cli") for i in _graph()[name]), name
        assert not re.search(r"^\s*print\(|sys\.exit\(|typer\.", text, re.M), name


def test_no_module_is_over_400_lines() -> None:
    sizes = {_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {m: n for m, n in sizes.items() if n > 400} == {}


def test_cli_modules_build_no_text() -> None:
    """Commands pass results to render; no Chinese sentence is assembled in cli/ (help strings,
    the options' own declarations, are the exception)."""
    for path in (SRC / "cli").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):  # an f-string
                text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                allowed = ("错误：", "输出格式", "用法错误")  # the handler's prefix, the --format help
                if re.search(r"[\u4e00-\u9fff]", text) and not text.startswith(allowed):
                    line = node.lineno
                    source = path.read_text(encoding="utf-8").splitlines()[line - 1]
                    assert "raise UsageError" in source or "BadParameter" in source, (
                        f"{path.name}:{line}: {text}"
                    )


# The packages by layer, lowest first: a module imports only from its own package or one below.
# intake and feedback stand side by side and never import each other.
LAYERS = [{"errors", "patterns"}, {"office"}, {"dates"}, {"plan"}, {"storage"}, {"tracking"},
          {"intake", "feedback"}, {"render"}, {"cli"}, {"__main__"}]  # fmt: skip
RANK = {room: n for n, rooms in enumerate(LAYERS) for room in rooms}


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_modules_live_in_packages_by_layer() -> None:
    loose = sorted(p.name for p in SRC.glob("*.py"))
    assert len(loose) <= 6, loose
    assert {_room(m) for m in _graph()} - {"__init__"} == set(RANK)


def test_imports_go_down_the_layers_only() -> None:
    upward = [
        (module, imported)
        for module, imports in _graph().items()
        for imported in imports
        if _room(imported) != "__init__"  # the version string
        and _room(imported) != _room(module)
        and RANK[_room(imported)] >= RANK[_room(module)]
    ]
    assert upward == []


def test_no_cycle_between_packages() -> None:
    edges = {(_room(m), _room(i)) for m, imports in _graph().items() for i in imports}
    assert not [(a, b) for a, b in edges if a != b and (b, a) in edges]


def test_typer_and_click_are_extended_not_patched() -> None:
    """Issue 24: no assignment into Typer's or Click's modules or objects (the pin below 0.30 it
    forced is gone), and Click's own classes come from one module, ``render/clicks.py``."""
    private = [p.name for p in MODULES if "typer._click" in p.read_text(encoding="utf-8")]
    assert private == ["clicks.py"]
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr":
                target = ast.unparse(node.args[0])
                assert not target.startswith(("typer", "click")), f"{path.name}: setattr({target}, …)"
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    written = ast.unparse(target)
                    assert not written.startswith(("typer.", "click")), f"{path.name}: {written} = …"


def test_the_options_every_plan_command_shares_are_declared_once() -> None:
    """Issue 24: --file, --plan, --today and --format were declared again in every command.
    ``cli.app.on_plans`` declares them once; only the commands that take some of them in a
    way of their own still list them (check and edit take no --today, history no --today
    either, date and import no plan); score's --format follows -o's suffix (``format_from``)."""
    import inspect

    from zwgk_cli.cli import feedback, plans, read, supervise, write
    from zwgk_cli.cli.app import app

    own = set()
    for module in (read, write, supervise, feedback, plans):
        for name, function in vars(module).items():
            if inspect.isfunction(function) and function.__module__ == module.__name__:
                declared = getattr(function, "__wrapped__", function).__code__.co_varnames
                if {"file", "plans", "today"} & set(declared):
                    own.add(name)
    assert own == {"check", "history", "date_cmd", "import_cmd", "edit"}
    decorated = [i.callback for i in app.registered_commands if hasattr(i.callback, "__wrapped__")]
    assert len(decorated) == 19
    for callback in decorated:
        shared = [n for n in inspect.signature(callback).parameters if n in ("file", "plans", "today", "fmt")]
        assert shared[:3] == ["file", "plans", "today"]


def test_patterns_are_compiled_when_first_used() -> None:
    """A module's regular expressions are ``patterns.lazy``: compiling the seventy of them at
    import was a sixth of a cached read's own start-up, and most only read what a cached plan
    has already read."""
    compiled = [
        p.name for p in MODULES if p.name != "patterns.py" and "re.compile(" in p.read_text(encoding="utf-8")
    ]
    assert compiled == []


def test_a_lazy_pattern_compiles_once_when_first_asked() -> None:
    from zwgk_cli.patterns import lazy

    pattern = lazy(r"(\d+)号", re.ASCII)
    assert vars(pattern) == {"_source": r"(\d+)号", "_flags": re.ASCII}  # nothing compiled yet
    assert pattern.search("第１２号 第34号") is not None
    assert pattern.search("第１２号 第34号").group(1) == "34"  # re.ASCII: \d is 0-9 only
    assert "search" in vars(pattern) and "match" not in vars(pattern)  # kept: next time, no lookup
    assert pattern.search.__self__ is re.compile(r"(\d+)号", re.ASCII)  # re's own compiled pattern
    assert lazy(b"^a", re.M).findall(b"a\nba\na") == [b"a", b"a"]


def test_every_dataclass_says_what_it_is() -> None:
    """Each dataclass has a docstring of its own: where a class has none, ``dataclasses`` writes
    one from its signature with ``inspect`` when the module is imported (a sixth of the time it
    takes to make the class; seven classes of a cached read had none)."""
    bare = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and ast.get_docstring(node) is None:
                decorators = [ast.unparse(d) for d in node.decorator_list]
                if any(d == "dataclass" or d.startswith("dataclass(") for d in decorators):
                    bare.append(f"{_name(path)}.{node.name}")
    assert bare == []
