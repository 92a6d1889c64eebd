"""Version 1 of planning's task events: a task's life in the plan, one event per kind of change.

Every event names the task, its organisation and project. Custom field values are keyed
by the field's stable id (see ``CustomFieldDefinedV1``); a value's JSON form depends on
the field's type (money: ``{"amount": "1250.00", "currency": "EUR"}``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1

Priority = Literal["low", "normal", "high", "urgent"]
StatusCategory = Literal["todo", "in_progress", "done"]


class _TaskEvent(EventContract):
    topic = PLANNING_EVENTS_V1
    version = 1

    task_id: UUID
    organisation_id: UUID
    project_id: UUID


class TaskCreatedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.created.v1"
    summary = "A task was added to a project's plan, with everything known about it."

    title: str
    description: str = ""
    parent_id: UUID | None = Field(None, description="The task this is a subtask of")
    milestone_id: UUID | None = None
    assignee_ids: list[UUID] = Field(default_factory=list, description="People or equipment (resource ids)")
    estimate_minutes: int = Field(ge=0)
    duration_days: int = Field(ge=0, description="Working days; 0 for a checkpoint")
    starts_on: date | None = Field(None, description="Starts no earlier than this day")
    due_on: date | None = Field(None, description="Finishes no later than this day")
    priority: Priority
    tags: list[str] = Field(default_factory=list)
    custom_values: dict[str, Any] = Field(default_factory=dict, description="By custom field id")
    status: str
    status_category: StatusCategory


class TaskRenamedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.renamed.v1"
    summary = "A task's title changed."

    title: str


class TaskDescribedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.described.v1"
    summary = "A task's description changed."

    description: str


class TaskReassignedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.reassigned.v1"
    summary = "A task's assignees (people or equipment) changed; the list is complete."

    assignee_ids: list[UUID]


class TaskEstimatedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.estimated.v1"
    summary = "A task's effort estimate changed."

    estimate_minutes: int = Field(ge=0)


class TaskPrioritisedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.prioritised.v1"
    summary = "A task's priority changed."

    priority: Priority


class TaskTaggedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.tagged.v1"
    summary = "A task's tags changed; the list is complete."

    tags: list[str]


class TaskCustomValuesChangedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.custom_values_changed.v1"
    summary = "A task's custom field values changed; the map is complete, keyed by field id."

    custom_values: dict[str, Any]


class TaskRescheduledV1(_TaskEvent):
    event_type = "com.trellis.planning.task.rescheduled.v1"
    summary = (
        "A task's requested dates or duration changed (the computed schedule that follows "
        "is in ScheduleShiftedV1)."
    )

    starts_on: date | None
    duration_days: int = Field(ge=0)
    due_on: date | None


class TaskMovedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.moved.v1"
    summary = "A task moved to another milestone or parent task (null: none)."

    milestone_id: UUID | None
    parent_id: UUID | None


class TaskStatusChangedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.status_changed.v1"
    summary = "A task moved to another status of its workflow (a board column), at a rank in it."

    status: str
    status_category: StatusCategory
    rank: str


class TaskRankChangedV1(_TaskEvent):
    event_type = "com.trellis.planning.task.rank_changed.v1"
    summary = (
        "A task's place within its board column changed: moved by a person, or respaced "
        "by housekeeping (the order stays the same)."
    )

    rank: str = Field(description="Compare ranks as strings; ties are ordered by task id")
    reason: Literal["moved", "rebalanced"]


TASK_CONTRACTS_V1: tuple[type[EventContract], ...] = (
    TaskCreatedV1,
    TaskRenamedV1,
    TaskDescribedV1,
    TaskReassignedV1,
    TaskEstimatedV1,
    TaskPrioritisedV1,
    TaskTaggedV1,
    TaskCustomValuesChangedV1,
    TaskRescheduledV1,
    TaskMovedV1,
    TaskStatusChangedV1,
    TaskRankChangedV1,
)
