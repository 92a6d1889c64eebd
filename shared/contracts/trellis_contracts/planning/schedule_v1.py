"""Version 1 of planning's schedule events: how a project's plan is set up, its dependencies,
the schedule as computed (and what moved it), and saved baselines."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1

DependencyType = Literal["FS", "SS", "FF", "SF"]


class ProjectPlanConfiguredV1(EventContract):
    event_type = "com.trellis.planning.project.plan_configured.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "The workflow a project's tasks follow, its project-scoped custom fields, its template."

    project_id: UUID
    organisation_id: UUID
    workflow_id: str
    field_ids: list[str]
    template_id: str | None = Field(None, description="Industry template key or saved template id")


class _DependencyEvent(EventContract):
    topic = PLANNING_EVENTS_V1
    version = 1

    project_id: UUID
    organisation_id: UUID
    predecessor_id: UUID
    successor_id: UUID
    type: DependencyType


class DependencyAddedV1(_DependencyEvent):
    event_type = "com.trellis.planning.dependency.added.v1"
    summary = "Two tasks of a project were linked (finish/start-to-finish/start, with lag or lead)."

    lag_days: int = Field(description="Working days; negative for a lead")


class DependencyRemovedV1(_DependencyEvent):
    event_type = "com.trellis.planning.dependency.removed.v1"
    summary = "A dependency between two tasks was removed."


class TaskMove(BaseModel):
    task_id: UUID
    starts_on: date
    finishes_on: date
    previous_starts_on: date | None = Field(None, description="Null: the task was placed for the first time")
    previous_finishes_on: date | None = None


class ScheduleShiftedV1(EventContract):
    event_type = "com.trellis.planning.schedule.shifted.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "The computed schedule of a project moved some tasks; the command that did it is named."

    project_id: UUID
    organisation_id: UUID
    command: str = Field(description="What was asked, e.g. \"update task 'Pour slab'\"")
    actor: str = Field(description="Who asked (the CloudEvent time says when)")
    moves: list[TaskMove]


class BaselineTask(BaseModel):
    task_id: UUID
    starts_on: date
    finishes_on: date
    duration_days: int


class BaselineSavedV1(EventContract):
    event_type = "com.trellis.planning.baseline.saved.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A project's scheduled dates were saved as a named baseline to compare against later."

    baseline_id: UUID
    project_id: UUID
    organisation_id: UUID
    name: str
    project_finish: date
    tasks: list[BaselineTask]


SCHEDULE_CONTRACTS_V1: tuple[type[EventContract], ...] = (
    ProjectPlanConfiguredV1,
    DependencyAddedV1,
    DependencyRemovedV1,
    ScheduleShiftedV1,
    BaselineSavedV1,
)
