"""Progress routes: percent complete by effort, per task, milestone and project, and health.

The rules (also in every answer, ``rule`` and ``health_rule``):

- Progress: over leaf tasks, a task in a 'done' status earns its estimate, one 'in progress'
  earns min(time logged on it, its estimate), one 'to do' nothing; percent = earned /
  estimated, rounded down to 0.1; with no estimates at all, every task weighs the same.
- Health: off_track when the schedule finishes after the project's end date or effort
  trails the plan by more than 20 points; at_risk when a milestone is forecast after its
  due date, an open task is past its due date or scheduled finish, or effort trails the
  plan by more than 10 points; on_track otherwise.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from trellis_planning.api.callers import READ_PLAN, WRITE_PLAN, meta_of
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.progress_schemas import (
    MilestoneProgressResponse,
    ProgressResponse,
    RefreshResponse,
    TaskProgressResponse,
)
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.progress import HEALTH_RULE, PROGRESS_RULE
from trellis_platform.auth.guards import CurrentCaller, guarded


def progress_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(
        prefix=f"{PREFIX}/projects/{{project_id}}/progress", tags=["progress"], responses=PROBLEM_RESPONSES
    )

    @router.get("", response_model=ProgressResponse, **guarded(READ_PLAN), description=__doc__)
    def get_progress(project_id: UUID, caller: CurrentCaller) -> ProgressResponse:
        with plan_problems():
            found = app.progress_of(caller.organisation_id, project_id)
        report = found.report
        return ProgressResponse(
            project_id=project_id,
            as_of=found.as_of,
            percent_complete=report.percent_complete,
            planned_percent=report.planned_percent,
            health=report.health.value,
            reasons=list(report.reasons),
            forecast_finish=found.forecast_finish,
            ends_on=found.plan.project.ends_on,
            rule=PROGRESS_RULE,
            health_rule=HEALTH_RULE,
            milestones=[MilestoneProgressResponse(**vars(m)) for m in found.milestones],
            tasks=[TaskProgressResponse(**vars(t)) for t in found.tasks],
        )

    @router.post("/refresh", response_model=RefreshResponse, **guarded(WRITE_PLAN))
    def refresh(project_id: UUID, caller: CurrentCaller, request: Request) -> RefreshResponse:
        """Records progress and health as of today (health can change with time alone); for a
        daily job. Publishes ProjectProgressChangedV1 when they changed."""
        with plan_problems():
            changed = app.refresh_progress(
                organisation_id=caller.organisation_id, project_id=project_id, meta=meta_of(caller, request)
            )
        return RefreshResponse(changed=changed)

    return router
