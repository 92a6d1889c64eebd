"""What the task routes accept and return."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from trellis_planning.api.plan_schemas import MoveResponse

Priority = Literal["low", "normal", "high", "urgent"]
CUSTOM_VALUES = (
    "Custom field values by field id; the JSON form depends on the field's type "
    '(money: {"amount": "1250.00", "currency": "EUR"}); null removes a value.'
)


class TaskFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    description: str | None = Field(None, max_length=20_000)
    milestone_id: UUID | None = None
    parent_id: UUID | None = Field(None, description="Makes this a subtask of that task")
    assignee_ids: list[UUID] | None = Field(None, max_length=50, description="People or equipment resources")
    estimate_minutes: int | None = Field(None, ge=0)
    duration_days: int | None = Field(None, ge=0, description="Working days; 0 for a checkpoint")
    starts_on: date | None = Field(None, description="Start no earlier than (within the project)")
    due_on: date | None = Field(None, description="Finish no later than (within the project)")
    priority: Priority | None = None
    tags: list[str] | None = Field(None, max_length=50)
    custom_values: dict[str, Any] | None = Field(None, description=CUSTOM_VALUES)


class CreateTaskRequest(TaskFields):
    title: str = Field(min_length=1, max_length=300)
    status: str | None = Field(None, description="A status of the project's workflow (default: its initial)")

    def details(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.model_fields_set if k not in ("title", "status")}


class UpdateTaskRequest(TaskFields):
    """Only the fields given change. null clears milestone_id, parent_id, starts_on, due_on."""

    title: str | None = Field(None, min_length=1, max_length=300)

    @model_validator(mode="after")
    def _no_null_for_required(self) -> UpdateTaskRequest:
        never_null = {"title", "estimate_minutes", "duration_days", "priority"}
        nulls = sorted(n for n in self.model_fields_set & never_null if getattr(self, n) is None)
        if nulls:
            raise ValueError(f"{', '.join(nulls)} cannot be null; leave a field out to keep it")
        return self

    def changes(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.model_fields_set}


class ChangeStatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(min_length=1, max_length=40)


class BulkChangeRequest(BaseModel):
    """One command for many tasks of a project: all change, or (naming the first task that
    cannot) none does."""

    model_config = ConfigDict(extra="forbid")

    task_ids: list[UUID] = Field(min_length=1, max_length=500)
    assignee_ids: list[UUID] | None = Field(None, max_length=50, description="Reassign: the new assignees")
    milestone_id: UUID | None = Field(None, description="Move: the milestone (null: none)")
    shift_working_days: int | None = Field(
        None, ge=-1000, le=1000, description="Reschedule: earlier (<0) or later (>0) by working days"
    )
    status: str | None = None
    priority: Priority | None = None

    def changes(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.model_fields_set if k != "task_ids"}

    @model_validator(mode="after")
    def _something_changes(self) -> BulkChangeRequest:
        if not self.model_fields_set - {"task_ids"}:
            raise ValueError(
                "give at least one of assignee_ids, milestone_id, shift_working_days, status, priority"
            )
        never_null = {"shift_working_days", "status", "priority"}
        nulls = sorted(n for n in self.model_fields_set & never_null if getattr(self, n) is None)
        if nulls:
            raise ValueError(f"{', '.join(nulls)} cannot be null")
        return self


class CustomFieldValue(BaseModel):
    field_id: str
    name: str
    type: str
    value: Any
    retired: bool


class TaskResponse(BaseModel):
    id: UUID
    organisation_id: UUID
    project_id: UUID
    title: str
    description: str
    parent_id: UUID | None
    milestone_id: UUID | None
    assignee_ids: list[UUID]
    estimate_minutes: int
    duration_days: int
    starts_on: date | None
    due_on: date | None
    scheduled_start: date | None = Field(description="From the project's schedule")
    scheduled_finish: date | None
    priority: Priority
    tags: list[str]
    custom_values: dict[str, Any] = Field(description="By field id")
    custom_fields: list[CustomFieldValue] = Field(
        description="The same values with their fields' current names"
    )
    status: str
    status_category: Literal["todo", "in_progress", "done"]
    rank: str
    version: int


class TaskChangeResponse(BaseModel):
    task: TaskResponse
    moved: list[MoveResponse] = Field(description="Other tasks whose scheduled dates this change moved")


class BulkChangeResponse(BaseModel):
    tasks: list[TaskResponse]
    moved: list[MoveResponse]


class TaskList(BaseModel):
    items: list[TaskResponse]
