"""Timeline use case: the Gantt read model, optionally with a baseline's ghost bars."""

from __future__ import annotations

from uuid import UUID

from trellis_planning.application.baselines import BaselineUseCases
from trellis_planning.views.timeline import Timeline, build_timeline


class TimelineUseCases(BaselineUseCases):
    def timeline_of(
        self, organisation_id: UUID, project_id: UUID, baseline_id: UUID | None = None
    ) -> Timeline:
        plan = self.load_plan(organisation_id, project_id)
        baseline = (
            None if baseline_id is None else self.baseline_in(organisation_id, plan.project, baseline_id)
        )
        return build_timeline(plan, plan.schedule(), baseline)
