"""What the dependency, schedule and baseline routes accept and return."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from trellis_planning.api.plan_schemas import MoveResponse

DependencyType = Literal["FS", "SS", "FF", "SF"]


class AddDependencyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    predecessor_id: UUID
    successor_id: UUID
    type: DependencyType = Field("FS", description="FS finish-to-start, SS, FF, SF")
    lag_days: int = Field(0, ge=-1000, le=1000, description="Working days; negative for a lead")


class DependencyResponse(BaseModel):
    predecessor_id: UUID
    successor_id: UUID
    type: DependencyType
    lag_days: int


class DependencyList(BaseModel):
    items: list[DependencyResponse]


class ScheduleChange(BaseModel):
    moved: list[MoveResponse] = Field(description="Tasks whose scheduled dates this change moved")


class ScheduledTask(BaseModel):
    task_id: UUID
    title: str
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float_days: int = Field(description="Negative: the task misses its due date or the project's end")
    free_float_days: int
    critical: bool


class ScheduleResponse(BaseModel):
    project_id: UUID
    starts_on: date
    ends_on: date
    forecast_finish: date
    critical_path: list[UUID]
    tasks: list[ScheduledTask]


class SaveBaselineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)


class BaselineResponse(BaseModel):
    id: UUID
    project_id: UUID
    name: str
    taken_at: datetime
    project_finish: date
    task_count: int


class BaselineList(BaseModel):
    items: list[BaselineResponse]


class SlipCause(BaseModel):
    actor: str = Field(description="Who gave the command")
    at: datetime = Field(description="When")
    command: str = Field(description="What was asked")
    request_id: str | None
    finish_before: date | None
    finish_after: date


class SlippedTask(BaseModel):
    task_id: UUID
    title: str
    baseline_start: date
    baseline_finish: date
    current_start: date
    current_finish: date
    start_variance_days: int
    finish_variance_days: int = Field(description="Working days later than the baseline")
    changes: list[SlipCause] = Field(description="The recorded changes that moved this task later")


class ComparisonResponse(BaseModel):
    reference_id: UUID
    against: str = Field(description="A baseline id, or 'now'")
    project_finish_variance_days: int
    slipped: list[SlippedTask] = Field(description="Largest slip first")
    added: list[UUID]
    removed: list[UUID]
