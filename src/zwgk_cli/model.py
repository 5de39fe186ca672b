"""The plan as data: pydantic models of the file, and the resolved schedule.

No I/O and no printing here. ``Plan`` mirrors the YAML file key by key;
``Schedule`` is a validated plan with everything the queries need worked out
once: each task's date range, its units with ``同（N）`` resolved, its progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from zwgk_cli.deadlines import DueRange

Text = Annotated[str, StringConstraints(min_length=1)]
# Dates may be written plain (2020-08-25) or quoted; both arrive as text.
Day = Annotated[date, Field(strict=False)]


class Status(StrEnum):
    OPEN = "open"
    DONE = "done"


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Unit(_Strict):
    name: Text
    kind: Text


class Group(_Strict):
    name: Text
    kinds: list[Text] = []
    members: list[Text] = []


class UnitDone(_Strict):
    """One responsible unit's completion of a task shared by several units."""

    unit: Text
    done_on: Day
    note: str | None = None


class Task(_Strict):
    id: Annotated[int, Field(ge=1)]
    category: Text
    title: Text
    responsible: Annotated[list[Text], Field(min_length=1)]
    supervising: Annotated[list[Text], Field(min_length=1)]
    deadline: Text
    status: Annotated[Status, Field(strict=False)] = Status.OPEN
    done_on: Day | None = None
    note: str | None = None
    progress: list[UnitDone] = []


class Plan(_Strict):
    title: Text
    region: str | None = None
    source: str | None = None
    year: int | None = None
    kinds: list[Text] = []
    units: list[Unit] = []
    groups: list[Group] = []
    tasks: list[Task]


# Keys of a task as the document names them, for messages and table headers.
FIELD_NAMES = {
    "id": "序号",
    "category": "工作任务",
    "title": "具体任务",
    "responsible": "主体责任单位",
    "supervising": "主管单位",
    "deadline": "完成时间",
    "status": "状态",
    "done_on": "完成日期",
    "note": "备注",
    "progress": "各单位进度",
}


@dataclass(frozen=True)
class Item:
    """A task with everything derived from the plan worked out."""

    task: Task
    due: DueRange | None
    responsible: tuple[str, ...]
    supervising: tuple[str, ...]
    # Responsible units tracked one by one (groups expanded to their members).
    slots: tuple[str, ...]
    # Which of those slots have recorded completion, and when.
    done_by: dict[str, date] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.task.id

    @property
    def is_done(self) -> bool:
        return self.task.status is Status.DONE

    def is_overdue(self, today: date) -> bool:
        return not self.is_done and self.due is not None and self.due.end < today

    def days_overdue(self, today: date) -> int | None:
        if not self.is_overdue(today):
            return None
        assert self.due is not None
        return (today - self.due.end).days

    @property
    def done_count(self) -> int:
        if self.is_done:
            return len(self.slots)
        return sum(1 for s in self.slots if s in self.done_by)

    @property
    def outstanding(self) -> tuple[str, ...]:
        if self.is_done:
            return ()
        return tuple(s for s in self.slots if s not in self.done_by)
