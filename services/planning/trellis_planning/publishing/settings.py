"""Plan settings domain events (an organisation's governance) to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.settings_v1 import (
    CustomFieldChangedV1,
    CustomFieldDefinedV1,
    CustomFieldDefinitionV1,
    CustomFieldRetiredV1,
    NamingRuleDefinedV1,
    NamingRuleRemovedV1,
    WorkflowDefinedV1,
    WorkflowStatusV1,
    WorkingCalendarDefinedV1,
)
from trellis_contracts.planning.templates_v1 import TemplateSavedV1
from trellis_planning.domain.plan_settings import PlanSettings
from trellis_planning.domain.template import Template
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def settings_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    payload = _payload(domain_event)
    return [] if payload is None else [outgoing(domain_event, payload, notification_id)]


def _definition(record: dict[str, Any]) -> CustomFieldDefinitionV1:
    return CustomFieldDefinitionV1(field_id=record["id"], **{k: v for k, v in record.items() if k != "id"})


def _payload(e: Any) -> EventContract | None:
    if isinstance(e, PlanSettings.CustomFieldDefined):
        return CustomFieldDefinedV1(organisation_id=e.organisation_id, field=_definition(e.field))
    if isinstance(e, PlanSettings.CustomFieldChanged):
        return CustomFieldChangedV1(organisation_id=e.organisation_id, field=_definition(e.field))
    if isinstance(e, PlanSettings.CustomFieldRetired):
        return CustomFieldRetiredV1(organisation_id=e.organisation_id, field_id=e.field_id)
    if isinstance(e, PlanSettings.WorkflowDefined):
        w = e.workflow
        return WorkflowDefinedV1(
            organisation_id=e.organisation_id,
            workflow_id=w["id"],
            name=w["name"],
            statuses=[WorkflowStatusV1(**s) for s in w["statuses"]],
            transitions=[(a, b) for a, b in w["transitions"]],
            initial=w["initial"],
        )
    if isinstance(e, PlanSettings.NamingRuleDefined):
        return NamingRuleDefinedV1(organisation_id=e.organisation_id, **e.rule)
    if isinstance(e, PlanSettings.NamingRuleRemoved):
        removed = {"organisation_id": e.organisation_id, "subject": e.subject}
        return NamingRuleRemovedV1.model_validate(removed)
    if isinstance(e, PlanSettings.CalendarDefined):
        return WorkingCalendarDefinedV1(
            organisation_id=e.organisation_id, weekend_days=e.weekend_days, holidays=e.holidays
        )
    if isinstance(e, Template.Created):
        d = e.definition
        return TemplateSavedV1(
            template_id=e.originator_id,
            organisation_id=e.organisation_id,
            source_project_id=e.source_project_id,
            name=d["name"],
            industry=d["industry"],
            workflow_id=d["workflow"]["id"],
            milestone_count=len(d["milestones"]),
            task_count=len(d["tasks"]),
            dependency_count=len(d["dependencies"]),
        )
    return None
