"""Timeline route: the Gantt read model a web client draws directly."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from trellis_planning.api.callers import READ_PLAN
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.timeline_schemas import TimelineResponse
from trellis_planning.application.planning import PlanningApplication
from trellis_platform.auth.guards import CurrentCaller, guarded


def timeline_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["timeline"], responses=PROBLEM_RESPONSES)

    @router.get("/projects/{project_id}/timeline", response_model=TimelineResponse, **guarded(READ_PLAN))
    def get_timeline(
        project_id: UUID,
        caller: CurrentCaller,
        baseline_id: Annotated[UUID | None, Query(description="Draw this baseline's ghost bars")] = None,
    ) -> TimelineResponse:
        """Bars with scheduled dates, float and critical flags; dependency arrows; milestone
        diamonds with forecasts; and, with ``baseline_id``, the baseline's dates as ghosts."""
        with plan_problems():
            timeline = app.timeline_of(caller.organisation_id, project_id, baseline_id)
            return TimelineResponse.model_validate(asdict(timeline))

    return router
