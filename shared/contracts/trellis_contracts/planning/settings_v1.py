"""Version 1 of planning's settings events: an organisation's custom fields, workflows,
naming rules and working calendar."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1

FieldType = Literal["text", "number", "date", "single_choice", "multi_choice", "money", "user"]


class _SettingsEvent(EventContract):
    topic = PLANNING_EVENTS_V1
    version = 1

    organisation_id: UUID


class CustomFieldDefinitionV1(BaseModel):
    field_id: str = Field(description="Stable: values are keyed by it, whatever the field is named")
    name: str
    type: FieldType
    required: bool
    choices: list[str]
    scope: Literal["organisation", "project"]
    retired: bool


class CustomFieldDefinedV1(_SettingsEvent):
    event_type = "com.trellis.planning.custom_field.defined.v1"
    summary = "An organisation defined a custom field for its tasks."

    field: CustomFieldDefinitionV1


class CustomFieldChangedV1(_SettingsEvent):
    event_type = "com.trellis.planning.custom_field.changed.v1"
    summary = "A custom field was renamed, made (not) required, or given more choices; full definition."

    field: CustomFieldDefinitionV1


class CustomFieldRetiredV1(_SettingsEvent):
    event_type = "com.trellis.planning.custom_field.retired.v1"
    summary = "A custom field was retired: its values stay, nobody can change them any more."

    field_id: str


class WorkflowStatusV1(BaseModel):
    key: str
    name: str
    category: Literal["todo", "in_progress", "done"]
    wip_limit: int | None
    retired: bool


class WorkflowDefinedV1(_SettingsEvent):
    event_type = "com.trellis.planning.workflow.defined.v1"
    summary = "An organisation defined or changed a task workflow: statuses in board order and moves."

    workflow_id: str
    name: str
    statuses: list[WorkflowStatusV1]
    transitions: list[tuple[str, str]] = Field(description="Allowed (from status, to status) moves")
    initial: str


class NamingRuleDefinedV1(_SettingsEvent):
    event_type = "com.trellis.planning.naming_rule.defined.v1"
    summary = "An organisation set the pattern names of one kind must match in full."

    subject: Literal["task_title", "milestone_name", "project_name"]
    pattern: str
    description: str


class NamingRuleRemovedV1(_SettingsEvent):
    event_type = "com.trellis.planning.naming_rule.removed.v1"
    summary = "An organisation dropped a naming rule."

    subject: Literal["task_title", "milestone_name", "project_name"]


class WorkingCalendarDefinedV1(_SettingsEvent):
    event_type = "com.trellis.planning.working_calendar.defined.v1"
    summary = "An organisation's working calendar changed: weekend days and holidays."

    weekend_days: list[int] = Field(description="0 (Monday) to 6 (Sunday)")
    holidays: list[date]


SETTINGS_CONTRACTS_V1: tuple[type[EventContract], ...] = (
    CustomFieldDefinedV1,
    CustomFieldChangedV1,
    CustomFieldRetiredV1,
    WorkflowDefinedV1,
    NamingRuleDefinedV1,
    NamingRuleRemovedV1,
    WorkingCalendarDefinedV1,
)
