"""What the progress routes return, with the rules they follow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class TaskProgressResponse(BaseModel):
    task_id: UUID
    title: str
    estimate_minutes: int
    earned_minutes: int
    logged_minutes: int
    percent_complete: Decimal


class MilestoneProgressResponse(BaseModel):
    milestone_id: UUID
    name: str
    due_on: date
    forecast_on: date | None
    completed_on: date | None
    percent_complete: Decimal


class ProgressResponse(BaseModel):
    project_id: UUID
    as_of: date
    percent_complete: Decimal = Field(description="By effort; see rule")
    planned_percent: Decimal = Field(description="What the schedule planned by as_of; see health_rule")
    health: Literal["on_track", "at_risk", "off_track"]
    reasons: list[str] = Field(description="Why the health is not on_track")
    forecast_finish: date
    ends_on: date
    rule: str
    health_rule: str
    milestones: list[MilestoneProgressResponse]
    tasks: list[TaskProgressResponse]


class RefreshResponse(BaseModel):
    changed: bool = Field(description="Progress or health changed and was recorded (and published)")
