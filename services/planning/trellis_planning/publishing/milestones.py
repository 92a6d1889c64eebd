"""Milestone domain events to integration events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.planning.milestones_v1 import MilestoneReopenedV1
from trellis_contracts.planning.progress_v1 import MilestoneCompletedV1, MilestoneScheduledV1
from trellis_planning.domain.milestone import Milestone
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def milestone_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    e = domain_event
    if isinstance(e, Milestone.Created | Milestone.Replanned):
        scheduled = MilestoneScheduledV1(
            milestone_id=e.originator_id,
            organisation_id=e.organisation_id,
            project_id=e.project_id,
            name=e.name,
            starts_on=e.starts_on,
            due_on=e.due_on,
        )
        return [outgoing(e, scheduled, notification_id)]
    if isinstance(e, Milestone.Completed):
        completed = MilestoneCompletedV1(
            milestone_id=e.originator_id,
            organisation_id=e.organisation_id,
            project_id=e.project_id,
            name=e.name,
            completed_on=e.completed_on,
        )
        return [outgoing(e, completed, notification_id)]
    if isinstance(e, Milestone.Reopened):
        reopened = MilestoneReopenedV1(
            milestone_id=e.originator_id,
            organisation_id=e.organisation_id,
            project_id=e.project_id,
            name=e.name,
        )
        return [outgoing(e, reopened, notification_id)]
    return []
