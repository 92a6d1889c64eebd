"""Task domain events to integration events: one contract per kind of change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.tasks_v1 import (
    TaskCreatedV1,
    TaskCustomValuesChangedV1,
    TaskDescribedV1,
    TaskEstimatedV1,
    TaskMovedV1,
    TaskPrioritisedV1,
    TaskRankChangedV1,
    TaskReassignedV1,
    TaskRenamedV1,
    TaskRescheduledV1,
    TaskStatusChangedV1,
    TaskTaggedV1,
)
from trellis_planning.domain.task import Task
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def _scope(e: Any) -> dict[str, Any]:
    return {"task_id": e.originator_id, "organisation_id": e.organisation_id, "project_id": e.project_id}


_PAYLOADS: dict[type[Any], Callable[[Any], EventContract]] = {
    Task.Created: lambda e: TaskCreatedV1(
        **_scope(e),
        title=e.title,
        description=e.description,
        parent_id=e.parent_id,
        milestone_id=e.milestone_id,
        assignee_ids=e.assignee_ids,
        estimate_minutes=e.estimate_minutes,
        duration_days=e.duration_days,
        starts_on=e.starts_on,
        due_on=e.due_on,
        priority=e.priority,
        tags=e.tags,
        custom_values=e.custom_values,
        status=e.status,
        status_category=e.status_category,
    ),
    Task.Retitled: lambda e: TaskRenamedV1(**_scope(e), title=e.title),
    Task.Described: lambda e: TaskDescribedV1(**_scope(e), description=e.description),
    Task.Reassigned: lambda e: TaskReassignedV1(**_scope(e), assignee_ids=e.assignee_ids),
    Task.Estimated: lambda e: TaskEstimatedV1(**_scope(e), estimate_minutes=e.estimate_minutes),
    Task.Prioritised: lambda e: TaskPrioritisedV1(**_scope(e), priority=e.priority),
    Task.Tagged: lambda e: TaskTaggedV1(**_scope(e), tags=e.tags),
    Task.CustomValuesChanged: lambda e: TaskCustomValuesChangedV1(**_scope(e), custom_values=e.values),
    Task.Rescheduled: lambda e: TaskRescheduledV1(
        **_scope(e),
        starts_on=e.starts_on,
        duration_days=e.duration_days,
        due_on=e.due_on,
    ),
    Task.Moved: lambda e: TaskMovedV1(**_scope(e), milestone_id=e.milestone_id, parent_id=e.parent_id),
    Task.StatusChanged: lambda e: TaskStatusChangedV1(
        **_scope(e),
        status=e.status,
        status_category=e.status_category,
        rank=e.rank,
    ),
    Task.Reranked: lambda e: TaskRankChangedV1(**_scope(e), rank=e.rank, reason="moved"),
    Task.RankRebalanced: lambda e: TaskRankChangedV1(**_scope(e), rank=e.rank, reason="rebalanced"),
}


def task_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    payload = _PAYLOADS.get(type(domain_event))
    if payload is None:
        return []
    return [outgoing(domain_event, payload(domain_event), notification_id)]
