"""A workspace: every plan an office keeps, read together (工作要点, 任务分工, the multi-year
plan, the catalogue, a city's counties).

Which plans: ``--file`` (one), ``$ZWGK_FILE`` (one), else, upward from the current folder,
the first folder with a ``zwgk.toml`` (its ``plans = [...]``: files, folders and patterns,
relative to it, ``../county-a/data/*.yaml`` too) or with a ``data/`` folder holding plans
(every ``*.yaml`` with a ``tasks:`` key), else the bundled plan. A plan's short name is its
``name:``, else its file name without ``.yaml``; a task is ``NAME:ID``. One plan is read as
it always was; several are read into one view whose tasks each know their plan (``Source``)
and are numbered ``NAME:ID`` (``Ref``). Writes go to the one file that holds the task.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from zwgk_cli.errors import NotFound, PlanInvalid, PlanNotFound, Problem, UsageError, ZwgkError
from zwgk_cli.patterns import lazy
from zwgk_cli.plan.model import GROUP_KIND, Group, Item, Plan, Unit
from zwgk_cli.plan.refs import Ref, Source
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.plan.units import Registry
from zwgk_cli.storage import store

__all__ = ["CONFIG", "TaskRef", "View", "discover", "find", "kind_clashes", "open_view", "parse_task"]

CONFIG = "zwgk.toml"
_TASKS_FIRST = lazy(rb"tasks\s*:")  # a line of its own: at the start or after a line feed
_TASKS_KEY = lazy(rb"\ntasks\s*:")


@dataclass(frozen=True)
class TaskRef:
    """A task as a user names it: ``5``, or ``2022要点:5``."""

    plan: str | None
    number: int

    def __str__(self) -> str:
        return f"{self.plan}:{self.number}" if self.plan else str(self.number)


def parse_task(text: str) -> TaskRef:
    """``5`` or ``NAME:5`` (ASCII digits only: not 1_0, +5 or 5.0); ValueError otherwise."""
    name, colon, number = text.strip().rpartition(":")
    number = number.strip()
    if not (number.isascii() and number.isdigit()) or (colon and not name.strip()):
        raise ValueError(text)
    return TaskRef(name.strip() or None, int(number))


def _plan_content(path: Path) -> bytes | None:
    """The bytes of a YAML file with a top-level ``tasks:`` key (the rest is checked when it is
    read), None for any other file."""
    try:
        raw = store.read_regular(path)  # a folder, FIFO or broken link: refused before opening
    except (ZwgkError, OSError):  # a file that cannot be read is not taken for a plan
        return None
    # Two searches for a literal, where one ``^tasks`` search tried the pattern at every byte.
    return raw if _TASKS_FIRST.match(raw) or _TASKS_KEY.search(raw) else None


def _shown(path: Path, cwd: Path) -> Path:
    """``path`` as the user would name it: relative to the current folder (data/schedule.yaml,
    ../县甲/data/schedule.yaml)."""
    try:
        return Path(os.path.relpath(path, cwd))
    except ValueError:  # another drive (Windows)
        return path


def _plans_in(folder: Path) -> list[store.Location]:
    found = ((p, _plan_content(p)) for p in sorted(folder.glob("*.yaml")))
    return [store.Location(p, content=raw) for p, raw in found if raw is not None]


def _from_config(config: Path, cwd: Path) -> list[store.Location]:
    import tomllib

    try:
        text = store.read_regular(config, "配置文件").decode("utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its words are English: keep only where it is
        where = re.search(r"line (\d+)", str(exc))
        line = int(where.group(1)) if where else len(text.splitlines()) or 1  # else: at the end
        said = "每个键只能写一次" if "overwrite" in str(exc) else "请检查引号、方括号和等号"
        raise PlanInvalid(str(config), [Problem(line, f"不是有效的 TOML 配置：{said}")]) from None
    except UnicodeDecodeError:
        raise PlanInvalid(str(config), [Problem(0, "不是 UTF-8 编码的文本，请另存为 UTF-8")]) from None
    entries = data.get("plans")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, str) for e in entries):
        raise PlanInvalid(
            str(config), [Problem(0, '应写成 plans = ["data/*.yaml", "../县甲/data/*.yaml"] 这样的文字列表')]
        )
    found: list[store.Location] = []
    for entry in entries:
        matched = sorted(glob.glob(str(config.parent / entry)))
        pattern = any(c in entry for c in "*?[")  # a pattern takes the plans it matches; a name, that file
        located: list[store.Location] = []
        for m in map(Path, matched):
            if m.is_dir():
                located += _plans_in(m) + _plans_in(m / "data")
            elif not pattern:
                located.append(store.Location(m))
            elif (raw := _plan_content(m)) is not None:
                located.append(store.Location(m, content=raw))
        if not located:
            raise PlanInvalid(
                str(config), [Problem(0, f"plans 中的“{entry}”没有找到任何计划文件，请检查路径")]
            )
        found += located
    unique: dict[Path, store.Location] = {}
    for location in found:
        unique.setdefault(Path(os.path.realpath(location.path)), location)
    return [replace(location, path=_shown(real, cwd)) for real, location in unique.items()]


def discover(file: Path | None, env: Mapping[str, str], cwd: Path) -> list[store.Location]:
    """The plans in use (see the module's text), in the order they are listed or named."""
    if file is not None or env.get("ZWGK_FILE"):
        return [store.locate(file, env, cwd)]
    for folder in (cwd, *cwd.parents):
        config = folder / CONFIG
        if config.is_file():
            return _from_config(config, cwd)
        if config.exists() or config.is_symlink():  # a folder, FIFO or broken link: never ignored
            raise PlanNotFound(
                f"{config}: 不是普通文件（是文件夹、管道或失效的链接），无法读取工作区配置。"
                "请删除它，或改成写有 plans = [...] 的文本文件"
            )
        plans = _plans_in(folder / "data") if (folder / "data").is_dir() else []
        if plans:
            return [replace(location, path=_shown(location.path, cwd)) for location in plans]
    return [store.locate(None, {}, cwd)]


def in_use(path: Path, cwd: Path) -> bool:
    """Whether commands run in ``cwd`` without --file find the plan at ``path``."""
    try:
        found = discover(None, {}, cwd)
    except ZwgkError:
        return False
    target = os.path.realpath(path)
    return any(os.path.realpath(location.path) == target for location in found)


@dataclass(frozen=True)
class View:
    """The plans read: each with its short name, and the schedule commands work on."""

    names: tuple[str, ...]
    locations: tuple[store.Location, ...]
    plans: tuple[Plan, ...]
    schedule: Schedule  # the one plan, or the merged view of several

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(p.title for p in self.plans)

    def location_of(self, name: str) -> store.Location:
        return self.locations[self.names.index(name)]

    def plan_of(self, item: Item) -> Plan:
        """The plan ``item`` comes from (its column names, its settings)."""
        return self.plans[self.names.index(item.source.name)] if item.source else self.schedule.plan


def _names(locations: Sequence[store.Location], schedules: Sequence[Schedule]) -> list[str]:
    """Each plan's short name; where two share one, the region (or the folder) tells them apart."""
    names = [s.plan.name or Path(loc.path).stem for loc, s in zip(locations, schedules, strict=True)]
    for name in {n for n in names if names.count(n) > 1}:
        clashing = [i for i, n in enumerate(names) if n == name]
        regions = [schedules[i].plan.region for i in clashing]
        for i in clashing:
            region = schedules[i].plan.region
            if region and regions.count(region) == 1:
                names[i] = f"{region}/{name}"
            else:
                names[i] = Path(locations[i].path).with_suffix("").as_posix()
    return names


def _select(names: list[str], wanted: Sequence[str] | None) -> list[int]:
    if not wanted:
        return list(range(len(names)))
    picked = []
    for want in wanted:
        if want not in names:
            raise NotFound(f"没有名为“{want}”的计划。现有的计划：{'、'.join(names)}")
        picked.append(names.index(want))
    return sorted(set(picked))  # in the workspace's order, whatever order they were asked for in


def open_view(file: Path | None, plans: Sequence[str] | None, env: Mapping[str, str], cwd: Path) -> View:
    """Read the plans in use (``plans``: only those with these short names)."""
    locations = discover(file, env, cwd)
    schedules = [store.read_schedule(loc) for loc in locations]
    names = _names(locations, schedules)
    keep = _select(names, plans)
    picked = [(names[i], schedules[i]) for i in keep]
    schedule = replace(picked[0][1], name=picked[0][0]) if len(picked) == 1 else merge(picked)
    return View(
        tuple(names[i] for i in keep),
        tuple(locations[i] for i in keep),
        tuple(schedules[i].plan for i in keep),
        schedule,
    )


def _same(values: Sequence[object]) -> object:
    return values[0] if values and all(v == values[0] for v in values) else None


def merge(named: Sequence[tuple[str, Schedule]]) -> Schedule:
    """One view of several plans: every task tagged with its plan, units and groups pooled."""
    plans = [s.plan for _, s in named]
    sources = [Source(name, schedule.plan.region, index) for index, (name, schedule) in enumerate(named)]
    items = tuple(
        item.tagged(source)
        for source, (_, schedule) in zip(sources, named, strict=True)
        for item in schedule.items
    )
    units: dict[str, Unit] = {}
    groups: dict[str, Group] = {}
    for plan in plans:
        for unit in plan.units:
            units.setdefault(unit.name, unit)
        for group in plan.groups:
            before = groups.get(group.name, Group(group.name))
            groups[group.name] = Group(
                group.name,
                tuple(dict.fromkeys([*before.kinds, *group.kinds])),
                tuple(dict.fromkeys([*before.members, *group.members])),
            )
    titles = [p.title for p in plans]
    columns = _same([p.columns for p in plans])
    plan = Plan(
        title="、".join(titles) if len(titles) <= 3 else f"{titles[0]}等 {len(titles)} 个计划",
        tasks=tuple(t for p in plans for t in p.tasks),
        region=_same([p.region for p in plans]),  # type: ignore[arg-type]
        kinds=tuple(dict.fromkeys(k for p in plans for k in p.kinds)),
        units=tuple(units.values()),
        groups=tuple(groups.values()),
        columns=columns if isinstance(columns, tuple) else (),
        verification=any(p.verification for p in plans),
        office=_same([p.office for p in plans]),  # type: ignore[arg-type]
        contact=_same([p.contact for p in plans]),  # type: ignore[arg-type]
        phone=_same([p.phone for p in plans]),  # type: ignore[arg-type]
        issued=_same([p.issued for p in plans]),  # type: ignore[arg-type]
        # The rules the plans share where some plan writes them (None where none does: the
        # defaults, said so in the title; and where they differ, which score refuses).
        scoring=_same([p.rules for p in plans]) if any(p.scoring for p in plans) else None,  # type: ignore[arg-type]
    )
    # The names each plan's tasks use unregistered, pooled: no need to read every task again.
    used = [n for _, s in named for n in s.registry.unregistered]
    return Schedule(plan, items, Registry(plan, used), name="")


def find(view: View, ref: TaskRef) -> tuple[str, int]:
    """The plan (short name) that holds the task ``ref`` names, and its number there."""
    if ref.plan is not None:
        if ref.plan not in view.names:
            raise NotFound(f"没有名为“{ref.plan}”的计划。现有的计划：{'、'.join(view.names)}")
        return ref.plan, ref.number
    if len(view.names) == 1:
        return view.names[0], ref.number
    holders = [i.id for i in view.schedule.items if i.task.id == ref.number]
    if len(holders) == 1:
        found = holders[0]
        assert isinstance(found, Ref)
        return found.plan, ref.number
    if holders:
        raise NotFound(
            f"有几个计划都有任务 {ref.number}，请写成 计划名:序号，如 {'、'.join(map(str, holders))}"
        )
    raise NotFound(f"所选的计划中都没有序号为 {ref.number} 的任务（计划：{'、'.join(view.names)}）")


def target(
    file: Path | None, plans: Sequence[str] | None, ref: TaskRef, env: Mapping[str, str], cwd: Path
) -> tuple[store.Location, int]:
    """The plan file that holds the task ``ref`` names, and the task's number in it. With one
    plan in use and no other name given, the plan is not read here (the write reads it)."""
    locations = discover(file, env, cwd)
    if len(locations) == 1 and not plans and ref.plan in (None, Path(locations[0].path).stem):
        return locations[0], ref.number
    view = open_view(file, plans, env, cwd)
    name, number = find(view, ref)
    return view.location_of(name), number


def item_key(view: View, ref: TaskRef) -> int | Ref:
    """The key of the task ``ref`` names in ``view.schedule`` (its number, or NAME:ID)."""
    name, number = find(view, ref)
    if len(view.names) == 1:
        return number
    return Ref(view.names.index(name), name, number)


def single(view: View, what: str) -> tuple[store.Location, Schedule]:
    """The one plan a command that works on a single plan is about."""
    if len(view.names) > 1:
        raise UsageError(f"{what}一次只能处理一个计划，请用 --plan 选一个：{'、'.join(view.names)}")
    return view.locations[0], view.schedule


def plan_of_forms(view: View, identities: Sequence[tuple[str | None, str | None]], what: str) -> str:
    """The short name of the one plan that returned forms belong to, by the plan id each form
    records, else its plan title (``identities``: (id, title) per form), for a command on one
    plan run in a workspace without ``--plan``."""
    choose = f"请用 --plan 选一个：{'、'.join(view.names)}"
    owners: dict[str, list[str]] = {}  # how a form names its plan -> the plans so named
    for plan_id, title in identities:
        field, value, said = (
            ("plan_id", plan_id, f"计划编号 {plan_id}") if plan_id else ("title", title, f"计划名“{title}”")
        )
        if value and said not in owners:
            owners[said] = [
                n for n, p in zip(view.names, view.plans, strict=True) if getattr(p, field) == value
            ]
    if not owners:
        raise UsageError(
            f"{what}一次只能处理一个计划，这些表格没有记录是哪个计划的（如另存的 CSV），{choose}"
        )
    for said, found in owners.items():
        if not found:
            raise UsageError(f"反馈表所属的计划（{said}）不在工作区中；{choose}")
        if len(found) > 1:
            listed = "、".join(found)
            raise UsageError(f"工作区中有几个计划都是反馈表所属的计划（{said}）：{listed}；{choose}")
    chosen = sorted({found[0] for found in owners.values()})
    if len(chosen) > 1:
        listed = "、".join(chosen)
        raise UsageError(f"这些反馈表分属几个计划（{listed}），请按计划分开收集，{choose}")
    return chosen[0]


def scored(view: View) -> Schedule:
    """The plans to score together: they must share their scoring rules (plans that write none
    share the defaults)."""
    if len({plan.rules for plan in view.plans}) > 1:
        raise UsageError(
            f"所选的几个计划没有相同的考评规则（scoring），请用 --plan 选一个计划：{'、'.join(view.names)}"
        )
    return view.schedule


def kind_clashes(plans: Sequence[tuple[str, store.Document]]) -> list[tuple[str, Problem]]:
    """Units registered under different kinds in two plans, and a name one plan registers as a
    unit and another as a group (a unit is one unit across plans, and a group one group): a
    problem at the later place, naming the earlier one."""
    seen: dict[str, tuple[str, int, str]] = {}  # name -> where first registered, and as what
    found = []
    for path, document in plans:
        plan, tree = document.schedule.plan, document.tree
        names = [(u.name, u.kind, tree.line_of(("units", i, "kind"))) for i, u in enumerate(plan.units)]
        names += [(g.name, GROUP_KIND, tree.line_of(("groups", i))) for i, g in enumerate(plan.groups)]
        for name, kind, line in names:
            first = seen.setdefault(name, (path, line, kind))
            if first[2] != kind:
                found.append((path, Problem(line, _clash(name, kind, first))))
    return found


def _clash(name: str, kind: str, first: tuple[str, int, str]) -> str:
    where, line, before = first
    if GROUP_KIND not in (kind, before):
        return (
            f"单位“{name}”在这里登记为“{kind}”，在 {where}:{line} 登记为“{before}”。"
            "同一个单位在各计划中的类别应当相同，请改成一致"
        )
    return (
        f"“{name}”在这里登记为{_as(kind)}，在 {where}:{line} 登记为{_as(before)}。"
        "同一个名称在各计划中应当都是单位或都是单位组，请改成一致"
    )


def _as(kind: str) -> str:
    return GROUP_KIND if kind == GROUP_KIND else f"单位（{kind}）"
