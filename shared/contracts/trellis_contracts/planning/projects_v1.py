"""Version 1 of planning's project events."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1


class ProjectCreatedV1(EventContract):
    event_type = "com.trellis.planning.project.created.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A client project was created in planning."

    project_id: UUID
    organisation_id: UUID
    client_id: UUID
    name: str = Field(min_length=1, max_length=200)
    starts_on: date
    ends_on: date
