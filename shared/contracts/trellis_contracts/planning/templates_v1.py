"""Version 1 of planning's template events."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1


class TemplateSavedV1(EventContract):
    event_type = "com.trellis.planning.template.saved.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = "An organisation saved one of its projects as a template of its own."

    template_id: UUID
    organisation_id: UUID
    source_project_id: UUID | None
    name: str
    industry: str
    workflow_id: str
    milestone_count: int = Field(ge=0)
    task_count: int = Field(ge=0)
    dependency_count: int = Field(ge=0)
