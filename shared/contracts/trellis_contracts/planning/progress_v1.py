"""Version 1 of planning's progress events: how far along a project and its milestones are."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1

Health = Literal["on_track", "at_risk", "off_track"]


class MilestoneProgress(BaseModel):
    milestone_id: UUID
    percent_complete: Decimal = Field(ge=0, le=100)


class ProjectProgressChangedV1(EventContract):
    event_type = "com.trellis.planning.project.progress_changed.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A project's progress by effort (and its milestones') or its health changed."

    project_id: UUID
    organisation_id: UUID
    as_of: date
    percent_complete: Decimal = Field(ge=0, le=100)
    milestones: list[MilestoneProgress] = []
    health: Health
    rule: str = Field(description="How percent_complete was computed, in words")


class MilestoneScheduledV1(EventContract):
    event_type = "com.trellis.planning.milestone.scheduled.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A milestone was added or its dates changed."

    milestone_id: UUID
    organisation_id: UUID
    project_id: UUID
    name: str
    starts_on: date
    due_on: date


class MilestoneCompletedV1(EventContract):
    event_type = "com.trellis.planning.milestone.completed.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "Every task of a milestone is done (the portal sends a satisfaction survey)."

    milestone_id: UUID
    organisation_id: UUID
    project_id: UUID
    name: str
    completed_on: date
