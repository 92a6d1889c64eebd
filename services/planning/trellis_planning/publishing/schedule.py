"""The project's plan events (set-up, dependencies, schedule shifts, progress) and baselines
to integration events. The project's index events (a task, milestone, baseline or minutes
added) stay inside: each of those things publishes its own creation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.progress_v1 import MilestoneProgress, ProjectProgressChangedV1
from trellis_contracts.planning.schedule_v1 import (
    BaselineSavedV1,
    BaselineTask,
    DependencyAddedV1,
    DependencyRemovedV1,
    ProjectPlanConfiguredV1,
    ScheduleShiftedV1,
    TaskMove,
)
from trellis_planning.domain.baseline import Baseline
from trellis_planning.domain.project import Project
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def schedule_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    payload = _payload(domain_event)
    return [] if payload is None else [outgoing(domain_event, payload, notification_id)]


def _payload(e: Any) -> EventContract | None:
    project = {"project_id": e.originator_id, "organisation_id": getattr(e, "organisation_id", None)}
    if isinstance(e, Project.PlanConfigured):
        return ProjectPlanConfiguredV1(
            **project, workflow_id=e.workflow_id, field_ids=e.field_ids, template_id=e.template_id
        )
    if isinstance(e, Project.DependencyAdded):
        return DependencyAddedV1.model_validate({
            **project, "predecessor_id": e.predecessor_id, "successor_id": e.successor_id, "type": e.type,
            "lag_days": e.lag_days,
        })
    if isinstance(e, Project.DependencyRemoved):
        return DependencyRemovedV1.model_validate({
            **project, "predecessor_id": e.predecessor_id, "successor_id": e.successor_id, "type": e.type,
        })
    if isinstance(e, Project.ScheduleShifted):
        return ScheduleShiftedV1(
            **project,
            command=e.command,
            actor=e.meta.get("actor", "unknown"),
            moves=[TaskMove(**move) for move in e.moves],
        )
    if isinstance(e, Project.ProgressChanged):
        return ProjectProgressChangedV1.model_validate({
            **project, "as_of": e.as_of, "percent_complete": e.percent_complete, "health": e.health,
            "rule": e.rule,
            "milestones": [MilestoneProgress(milestone_id=UUID(m), percent_complete=p)
                           for m, p in e.milestones.items()],
        })
    if isinstance(e, Baseline.Created):
        return BaselineSavedV1(
            baseline_id=e.originator_id,
            project_id=e.project_id,
            organisation_id=e.organisation_id,
            name=e.name,
            project_finish=e.project_finish,
            tasks=[BaselineTask(**t) for t in e.tasks],
        )
    return None
