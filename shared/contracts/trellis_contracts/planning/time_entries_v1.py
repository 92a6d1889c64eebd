"""Version 1 of planning's time entry events: the record of work that budgets cost."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1


class TimeEntryLoggedV1(EventContract):
    event_type = "com.trellis.planning.time_entry.logged.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A person logged time on a task; worked_on is the day of work, not when it was recorded."

    time_entry_id: UUID
    organisation_id: UUID
    project_id: UUID
    task_id: UUID
    person_id: UUID
    worked_on: date
    minutes: int = Field(gt=0, le=24 * 60)
    billable: bool
    note: str = ""


class TimeEntryCorrectedV1(EventContract):
    event_type = "com.trellis.planning.time_entry.corrected.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A time entry was edited; the fields carry its full new state."

    time_entry_id: UUID
    organisation_id: UUID
    project_id: UUID
    task_id: UUID
    person_id: UUID
    worked_on: date
    minutes: int = Field(gt=0, le=24 * 60)
    billable: bool
    note: str = ""


class TimeEntryDeletedV1(EventContract):
    event_type = "com.trellis.planning.time_entry.deleted.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A time entry was deleted; its cost must be reversed."

    time_entry_id: UUID
    organisation_id: UUID
    project_id: UUID
