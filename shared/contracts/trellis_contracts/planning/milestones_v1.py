"""Version 1 of planning's milestone events beyond progress_v1 (scheduled, completed)."""

from __future__ import annotations

from uuid import UUID

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1


class MilestoneReopenedV1(EventContract):
    event_type = "com.trellis.planning.milestone.reopened.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "A completed milestone has a task that is no longer done (or a new task) again."

    milestone_id: UUID
    organisation_id: UUID
    project_id: UUID
    name: str
