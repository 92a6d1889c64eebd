"""What the meeting minutes routes accept and return."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from trellis_planning.api.plan_schemas import MoveResponse


class AttendeeBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    person_id: UUID | None = Field(None, description="A person resource; omit for a guest")


class ActionItemBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    assignee_ids: list[UUID] = Field(default_factory=list, max_length=50)
    due_on: date | None = None
    estimate_minutes: int | None = Field(None, ge=0)
    milestone_id: UUID | None = None


class RecordMinutesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    held_on: date
    attendees: list[AttendeeBody] = Field(min_length=1, max_length=200)
    notes: str = Field("", max_length=20_000)
    decisions: list[str] = Field(default_factory=list, max_length=100)
    action_items: list[ActionItemBody] = Field(default_factory=list, max_length=100)


class ActionItemResponse(BaseModel):
    title: str
    task_id: UUID = Field(description="The task this action item became")
    assignee_ids: list[UUID]
    due_on: date | None


class MinutesResponse(BaseModel):
    id: UUID
    project_id: UUID
    title: str
    held_on: date
    attendees: list[AttendeeBody]
    notes: str
    decisions: list[str]
    action_items: list[ActionItemResponse]


class RecordedMinutes(BaseModel):
    minutes: MinutesResponse
    moved: list[MoveResponse]


class MinutesList(BaseModel):
    items: list[MinutesResponse]
