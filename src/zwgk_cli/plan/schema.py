"""The plan file's schema as pydantic models: what the loader validates a plan against.

The task model is derived from ``model.Task`` (one annotation per kind of field), so a
field is defined once. Imported only when a plan is validated (not when a cached, already
validated plan is used), so that read commands start fast.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from zwgk_cli.dates.deadlines import YEAR_MAX, YEAR_MIN
from zwgk_cli.plan.entries import ENTRY_TYPES, fields_of
from zwgk_cli.plan.model import TASK_FIELDS, Status, Task

Text = Annotated[str, StringConstraints(min_length=1)]
# A plan id: letters, digits, - and _, as init and import write it (12 hexadecimal digits).
PLAN_ID = r"^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$"
PlanId = Annotated[str, StringConstraints(pattern=PLAN_ID)]


def _date_text(value: object) -> object:
    """Dates are written as text (2020-08-25, plain or quoted), never as numbers."""
    if isinstance(value, str | date):
        return value
    raise PydanticCustomError("date_type", "应为日期")


def _date_year(value: date) -> date:
    """A date in a year the deadlines can be (0001-01-01 is a typing slip, not a completion)."""
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise PydanticCustomError(
            "date_year", "的年份超出支持的范围（{low}—{high} 年）", {"low": YEAR_MIN, "high": YEAR_MAX}
        )
    return value


# Parsed from text by pydantic's lax mode; runtime classes read the same text with fromisoformat.
Day = Annotated[date, BeforeValidator(_date_text), Field(strict=False), AfterValidator(_date_year)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Unit(_Strict):
    name: Text
    kind: Text


class Group(_Strict):
    name: Text
    kinds: list[Text] = Field(default_factory=list)
    members: list[Text] = Field(default_factory=list)


def _label_text(value: object) -> object:
    """A period label written plain (2023) reads as a number: it is the same label."""
    return str(value) if type(value) is int else value


Label = Annotated[Text, BeforeValidator(_label_text)]


def _entry_annotation(name: str, kind: str) -> Any:
    if name == "period":
        return Label
    if kind == "str | None":
        return str | None if name == "note" else Text | None
    return {"date": Day, "str": Text, "tuple[str, ...]": list[Text], "bool": bool}[kind]


def _entry_model(cls: type) -> type[BaseModel]:
    """The schema of an entry kind (``entries.py``), from its fields."""
    fields: dict[str, Any] = {}
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    for name, kind, required in fields_of(cls):
        default = defaults[name]
        fields[name] = (
            _entry_annotation(name, kind),
            ... if required else ([] if default == () else default),
        )
    return create_model(cls.__name__, __base__=_Strict, **fields)


# The annotation each kind of task field is validated with.
KIND_ANNOTATIONS: dict[str, Any] = {
    "id": Annotated[int, Field(ge=1)],
    "text": Text,
    "units": list[Text],
    "label": Text | None,
    "extra": dict[Text, str],
    "status": Annotated[Status, Field(strict=False)],
    "date": Day | None,
    "note": str | None,
    **{kind: list[_entry_model(cls)] for kind, cls in ENTRY_TYPES.items()},  # type: ignore[misc]
}


def _task_model() -> type[BaseModel]:
    defaults = {f.name: f.default for f in Task.__dataclass_fields__.values()}
    fields: dict[str, Any] = {}
    for spec in TASK_FIELDS:
        default = ... if spec.required else defaults[spec.key]
        if default is dataclasses.MISSING:  # optional, and left out of the file: empty
            default = () if spec.kind == "units" else None
        if isinstance(default, tuple):  # a runtime tuple is a list in the file
            default = Field(default_factory=list)
        fields[spec.key] = (KIND_ANNOTATIONS[spec.kind], default)
    return create_model("Task", __base__=_Strict, **fields)


TaskModel = _task_model()


# A number as YAML writes one (10, 6.5): not text ("10"), not a boolean.
Points = Annotated[float, Field(strict=True, ge=-1000, le=1000)]


class Scoring(_Strict):
    on_time: Points = 10.0
    late: Points = 6.0
    per_overdue_day: Points = -0.2
    per_return: Points = -1.0
    floor: Points | None = 0.0
    verified_only: bool = True

    @model_validator(mode="after")
    def _ordered(self) -> Scoring:
        if self.late > self.on_time:
            raise PydanticCustomError("scoring_order", "中逾期完成的得分（late）不能高于按时完成（on_time）")
        if self.floor is not None and self.floor > self.on_time:
            raise PydanticCustomError("scoring_order", "中的最低分（floor）不能高于按时完成的得分（on_time）")
        return self


class Plan(_Strict):
    title: Text
    plan_id: PlanId | None = None
    region: str | None = None
    source: str | None = None
    year: Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)] | None = None
    period: Label | None = None
    kinds: list[Text] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    columns: dict[Text, Text] = Field(default_factory=dict)
    verification: bool = False
    office: Text | None = None
    contact: Text | None = None
    phone: Text | None = None
    issued: Day | None = None
    scoring: Scoring | None = None
    name: Text | None = None
    tasks: list[TaskModel]  # type: ignore[valid-type]
