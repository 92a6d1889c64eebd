"""Tasks as a client may see them: title, state, milestone and dates; never estimates,
assignees, priorities or custom values.

A task tagged ``internal`` is the firm's own: the portal keeps that it is internal and
no client response ever names it. (Planning's contract carries no other marker.)
"""

from __future__ import annotations

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.tasks_v1 import (
    TaskCreatedV1,
    TaskMovedV1,
    TaskRenamedV1,
    TaskRescheduledV1,
    TaskStatusChangedV1,
    TaskTaggedV1,
)
from trellis_portal.consumers.facts_consumer import Putter
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.tracked_facts import Effect

INTERNAL_TAG = "internal"


def is_internal(tags: list[str]) -> bool:
    return any(tag.strip().lower() == INTERNAL_TAG for tag in tags)


def task_effect(envelope: CloudEvent, payload: EventContract) -> Effect | None:
    facts = Putter(envelope)
    change: dict[str, object]
    if isinstance(payload, TaskCreatedV1):
        change = {"title": payload.title, "status_category": payload.status_category,
                  "milestone_id": payload.milestone_id, "starts_on": payload.starts_on,
                  "due_on": payload.due_on, "internal": is_internal(payload.tags)}
    elif isinstance(payload, TaskRenamedV1):
        change = {"title": payload.title}
    elif isinstance(payload, TaskTaggedV1):
        change = {"internal": is_internal(payload.tags)}
    elif isinstance(payload, TaskRescheduledV1):
        change = {"starts_on": payload.starts_on, "due_on": payload.due_on}
    elif isinstance(payload, TaskMovedV1):
        change = {"milestone_id": payload.milestone_id}
    elif isinstance(payload, TaskStatusChangedV1):
        change = {"status_category": payload.status_category}
    else:
        return None
    task = payload
    assert isinstance(task, TaskCreatedV1 | TaskRenamedV1 | TaskTaggedV1 | TaskRescheduledV1 | TaskMovedV1
                      | TaskStatusChangedV1)
    return lambda w, _: facts.put(w, task.project_id, kinds.TASK, str(task.task_id), change, merge=True)
