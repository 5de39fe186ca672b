"""The one Typer app: shared options, option parsing, and the handler that turns every error
into a Chinese message on stderr with its documented exit code. Commands live in ``read``
and ``write``; they parse options, call the domain and hand the result to ``render``."""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from zwgk_cli.cli import complete
from zwgk_cli.dates.deadlines import YEAR_MAX, YEAR_MIN
from zwgk_cli.errors import UsageError, ZwgkError, choose
from zwgk_cli.plan.schedule import Schedule
from zwgk_cli.render import FORMATS, TASK_FORMATS
from zwgk_cli.render.safe import clean
from zwgk_cli.render.usage import ChineseGroup, usage_error_text
from zwgk_cli.storage import store
from zwgk_cli.storage.workspace import TaskRef, parse_task

if TYPE_CHECKING:
    from zwgk_cli.storage.edits import Outcome
    from zwgk_cli.storage.workspace import View

# A write: from the plan as read, the task's number in it, the --on day (if given) and today,
# to what changes.
Decide = Callable[["store.Document", int, date | None, date], "Outcome"]

CHINA = timezone(timedelta(hours=8))
MAX_DAYS = 3660  # the longest window an option may ask for: ten years


def say(message: str) -> None:
    """Talk to the user on stderr (stdout carries only data)."""
    sys.stderr.write("".join(clean(line) + "\n" for line in message.split("\n")))


class ZwgkGroup(ChineseGroup):
    """Turns every error into a Chinese message on stderr and its documented exit code."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        from zwgk_cli.render.clicks import exceptions as click_errors

        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except ZwgkError as exc:
            say(f"错误：{exc}")
            sys.exit(exc.exit_code)
        except typer.Abort:
            say("已取消")
            sys.exit(1)
        except click_errors.UsageError as exc:
            say(usage_error_text(exc))
            sys.exit(2)
        sys.exit(result if isinstance(result, int) else 0)

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:
            if param.name == "install_completion":
                param.callback = complete.install_callback  # Typer's callback speaks English
        return params

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `zwgk list | head`: the reader left; not an error
            # Point stdout at /dev/null so that the flush at exit does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0


app = typer.Typer(
    cls=ZwgkGroup,
    help="zwgk：政务公开工作任务进度安排的跟踪工具。计划保存在 YAML 文件中"
    "（默认 data/ 下的计划，或 zwgk.toml 列出的计划）。",
    add_completion=True,
    invoke_without_command=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

FileOpt = Annotated[
    Path | None,
    typer.Option(
        "--file",
        "-f",
        help="计划文件（默认：$ZWGK_FILE，或从当前文件夹向上找 zwgk.toml 或 data/ 下的计划，最后用内置计划）",
    ),
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="<日期>", help="把哪天当作今天，如 2020-08-01（默认：$ZWGK_TODAY，或北京时间今天）"
    ),
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit", "-u", help="单位或单位组名称，可写简称（如 司法局）", autocompletion=complete.units
    ),
]


def task_ref(value: str) -> TaskRef:
    """A task as written: its number in ASCII digits (not 1_0, +5 or 5.0, which int() takes),
    or NAME:number among several plans."""
    try:
        return parse_task(str(value))
    except ValueError:
        raise typer.BadParameter(f"“{value}”不是任务序号（如 5，或 计划名:5）") from None


TaskArg = Annotated[
    TaskRef,
    typer.Argument(
        metavar="序号",
        help="任务序号；有几个计划时可写 计划名:序号",
        parser=task_ref,
        autocompletion=complete.task_ids,
    ),
]
PlanOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--plan", help="只看这个计划（简称，可写多次；默认：全部计划）", autocompletion=complete.plans
    ),
]
SoonOpt = Annotated[int, typer.Option("--soon", min=0, max=MAX_DAYS, help="“近期到期”的天数（默认 7）")]
WideOpt = Annotated[
    bool, typer.Option("--wide", help="单位列表完整显示，不缩写（默认缩写为“某单位等 N 个单位”）")
]


def format_option(formats: tuple[str, ...]) -> Any:
    """The ``--format`` option for a command that writes ``formats`` (see ``render.FORMATS``)."""
    names = "、".join(f"{f}（{FORMATS[f]}）" for f in formats)
    return typer.Option("--format", help=f"输出格式：{names}", autocompletion=complete.formats(formats))


FormatOpt = Annotated[str, format_option(TASK_FORMATS)]


def output_format(value: str, allowed: tuple[str, ...] = TASK_FORMATS) -> str:
    """The format ``--format`` names, by its key or its Chinese name (表格)."""
    return choose("--format", value, {f: FORMATS[f] for f in allowed})


def parse_day(value: str, option: str, today: date | None = None) -> date:
    """A typed date in any form collect reads from forms (2020/8/1, 2020年8月1日 …); a date
    without a year takes the year of ``today`` (of the real today when that is not known yet)."""
    from zwgk_cli.dates.typed import TYPED_FORMS, read_day

    year = (today or datetime.now(CHINA).date()).year
    try:
        day = read_day(value, year)
    except ValueError:
        raise UsageError(f"{option} 的值“{value}”不是有效日期，请写成 {TYPED_FORMS}") from None
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise UsageError(f"{option} 的值“{value}”超出支持的范围（{YEAR_MIN}—{YEAR_MAX} 年）")
    return day


def today_from(value: str | None) -> date:
    """``--today``, else ``$ZWGK_TODAY``, else today in Beijing."""
    if value:
        return parse_day(value, "--today")
    env = os.environ.get("ZWGK_TODAY")
    if env:
        return parse_day(env, "环境变量 ZWGK_TODAY")
    return datetime.now(CHINA).date()


@dataclass
class Given:
    """What one run of a command was given that most commands share, read once: the plan or
    plans (``--file``, ``--plan``), today (``--today``) and the output format (``--format``).
    The plans are opened when first asked for."""

    file: Path | None
    plans: list[str] | None
    today: date
    fmt: str = "table"

    @functools.cached_property
    def view(self) -> View:
        return open_view(self.file, self.plans)

    @property
    def schedule(self) -> Schedule:
        return self.view.schedule

    def one(self, what: str) -> tuple[store.Location, Schedule]:
        """The one plan a command on a single plan is about (several: ask for --plan)."""
        from zwgk_cli.storage.workspace import single

        return single(self.view, what)

    def day(self, value: str | None, option: str) -> date | None:
        """A date option's value (a date without a year takes today's year), if given."""
        return parse_day(value, option, self.today) if value else None


def given(
    file: Path | None,
    plans: list[str] | None,
    today: str | None,
    fmt: str = "table",
    formats: tuple[str, ...] = TASK_FORMATS,
) -> Given:
    """The shared options of one run, checked in the order a user reads them: --format, --today."""
    chosen = output_format(fmt, formats)
    return Given(file, plans, today_from(today), chosen)


def open_view(file: Path | None, plans: list[str] | None = None) -> View:
    from zwgk_cli.storage.workspace import open_view as read_view

    return read_view(file, plans, os.environ, Path.cwd())


def task_target(file: Path | None, plans: list[str] | None, ref: TaskRef) -> tuple[store.Location, int]:
    """The plan file that holds the task ``ref`` names, and the task's number in it."""
    from zwgk_cli.storage.workspace import target

    return target(file, plans, ref, os.environ, Path.cwd())


def write_task(run: Given, ref: TaskRef, on: str | None, decide: Decide) -> None:
    """A write command's common part: find the plan file that holds the task ``ref`` names, let
    ``decide`` (given the plan as read under the lock, the task's number in it, the ``--on`` day
    and today) choose the change, write it, say what it did."""
    from zwgk_cli.render import text
    from zwgk_cli.storage.edits import item_after

    location, number = task_target(run.file, run.plans, ref)
    when = run.day(on, "--on")
    outcome, after = store.apply(location, lambda document: decide(document, number, when, run.today))
    keep_until_exit(after)
    say(text.outcome_message(outcome, item_after(after.schedule, outcome, run.today), str(location.path)))


Command = Callable[..., None]

# What a run read, kept until the process ends where ``main`` ends it without freeing anything
# (``leave``): freed one object at a time as a command returns, a plan of 10,000 tasks took
# 1.6% of a read, a workspace of 200 plans 2.4%. None (keep nothing) in any other caller.
_until_exit: list[object] | None = None


def keep_until_exit(*objects: object) -> None:
    if _until_exit is not None:
        _until_exit.extend(objects)


def ending_without_teardown() -> list[object]:
    """Say that this process ends without freeing what it made (``main``); what is kept from now on."""
    global _until_exit
    _until_exit = []
    return _until_exit


class _OnPlans:
    """A command on the plans as Typer sees it: called as ``run``, its signature the command's
    own options (after ``run: Given``) and then ``shared``, worked out when Typer first asks.
    Evaluating the options of all 25 commands as they are registered took 2% of a read's
    instructions; a run builds only the command it invokes (``only_invoked``)."""

    def __init__(self, command: Command, shared: list[inspect.Parameter], run: Callable[..., None]) -> None:
        self.__wrapped__ = command
        self.__name__, self.__qualname__ = command.__name__, command.__qualname__
        self.__module__, self.__doc__ = command.__module__, command.__doc__
        self._shared, self._run = shared, run

    def __call__(self, **options: Any) -> None:
        self._run(**options)

    @functools.cached_property
    def __signature__(self) -> inspect.Signature:
        keyword = inspect.Parameter.KEYWORD_ONLY
        own = inspect.signature(self.__wrapped__, eval_str=True).parameters.values()
        params = [*(p.replace(kind=keyword) for p in list(own)[1:]), *self._shared]  # after ``run``
        return inspect.Signature(params, return_annotation=None)

    @property
    def __annotations__(self) -> dict[str, Any]:  # type: ignore[override]
        return {p.name: p.annotation for p in self.__signature__.parameters.values()}


_SHARED = (("file", FileOpt, None), ("plans", PlanOpt, None), ("today", TodayOpt, None))


def on_plans(
    formats: tuple[str, ...] | None = TASK_FORMATS,
    format_from: Callable[[dict[str, Any]], str] | None = None,
) -> Callable[[Command], Command]:
    """A command on the plans: its function takes what it was given (``run: Given``) first and
    declares only its own options; ``--file``, ``--plan``, ``--today`` and, for a command that
    writes ``formats``, ``--format`` are declared here once and follow them. ``format_from``:
    the format when ``--format`` is not given, from the command's own options (else table)."""
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=d, annotation=a)
        for name, a, d in _SHARED
    ]
    if formats is not None:
        # None (not given) only where the command's own options can decide the format.
        chosen: Any = Annotated[str, format_option(formats)]
        if format_from is not None:
            chosen = Annotated[str | None, format_option(formats)]
        default = None if format_from else "table"
        shared.append(
            inspect.Parameter("fmt", inspect.Parameter.KEYWORD_ONLY, default=default, annotation=chosen)
        )

    def wrap(command: Command) -> Command:
        def run_command(
            *,
            file: Path | None = None,
            plans: list[str] | None = None,
            today: str | None = None,
            fmt: str | None = "table",
            **options: Any,
        ) -> None:
            if fmt is None:
                fmt = format_from(options) if format_from else "table"
            run = given(file, plans, today, fmt, formats or TASK_FORMATS)
            keep_until_exit(run)
            command(run, **options)

        return _OnPlans(command, shared, run_command)

    return wrap
