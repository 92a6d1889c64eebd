"""The timeline (Gantt) read model as the API returns it."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field


class GhostBar(BaseModel):
    baseline_id: UUID
    starts_on: date
    finishes_on: date


class TimelineBar(BaseModel):
    task_id: UUID
    title: str
    parent_id: UUID | None
    milestone_id: UUID | None
    status: str
    status_category: str
    assignee_ids: list[UUID]
    starts_on: date = Field(description="First working day (early start)")
    finishes_on: date = Field(description="Last working day (early finish), inclusive")
    late_starts_on: date
    late_finishes_on: date
    duration_days: int
    total_float_days: int
    free_float_days: int
    critical: bool
    due_on: date | None
    ghost: GhostBar | None = Field(description="The chosen baseline's dates for this task")


class TimelineArrow(BaseModel):
    predecessor_id: UUID
    successor_id: UUID
    type: str
    lag_days: int
    critical: bool


class TimelineMilestone(BaseModel):
    milestone_id: UUID
    name: str
    starts_on: date
    due_on: date
    forecast_on: date | None = Field(description="When its tasks are scheduled to finish")
    completed_on: date | None
    late: bool
    baseline_due_on: date | None


class TimelineResponse(BaseModel):
    project_id: UUID
    starts_on: date
    ends_on: date
    forecast_finish: date
    critical_path: list[UUID]
    bars: list[TimelineBar]
    arrows: list[TimelineArrow]
    milestones: list[TimelineMilestone]
    baseline_id: UUID | None
