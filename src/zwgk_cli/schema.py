"""The plan file's schema as pydantic models: what the loader validates a plan against.

Imported only when a plan is validated (not when a cached, already validated plan is
used), so that read commands start fast. ``model.py`` holds the plain runtime classes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from zwgk_cli.model import Status

Text = Annotated[str, StringConstraints(min_length=1)]


def _date_text(value: object) -> object:
    """Dates are written as text (2020-08-25, plain or quoted), never as numbers."""
    if isinstance(value, str | date):
        return value
    raise PydanticCustomError("date_type", "应为日期")


# Parsed from text by pydantic's lax mode; runtime classes read the same text with fromisoformat.
Day = Annotated[date, BeforeValidator(_date_text), Field(strict=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Unit(_Strict):
    name: Text
    kind: Text


class Group(_Strict):
    name: Text
    kinds: list[Text] = Field(default_factory=list)
    members: list[Text] = Field(default_factory=list)


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
    progress: list[UnitDone] = Field(default_factory=list)


class Plan(_Strict):
    title: Text
    region: str | None = None
    source: str | None = None
    year: int | None = None
    kinds: list[Text] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    tasks: list[Task]
