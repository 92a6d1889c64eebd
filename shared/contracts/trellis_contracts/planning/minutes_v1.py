"""Version 1 of planning's meeting minutes events."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1


class Attendee(BaseModel):
    name: str
    person_id: UUID | None = Field(None, description="Null for a guest who is not a resource")


class ActionItem(BaseModel):
    title: str
    task_id: UUID = Field(description="The task the item became (its TaskCreatedV1 follows)")
    assignee_ids: list[UUID]
    due_on: date | None


class MeetingMinutesRecordedV1(EventContract):
    event_type = "com.trellis.planning.minutes.recorded.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "Minutes of a project meeting: attendees, decisions, and action items that became tasks."

    minutes_id: UUID
    organisation_id: UUID
    project_id: UUID
    title: str
    held_on: date
    attendees: list[Attendee]
    notes: str
    decisions: list[str]
    action_items: list[ActionItem]
