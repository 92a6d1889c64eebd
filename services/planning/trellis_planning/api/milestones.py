"""Milestone routes: add milestones to a plan, rename or move them, complete one by hand.

A milestone with tasks completes by itself when its last task is done (and reopens when
one is no longer done); completing by hand is for milestones without open tasks.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_planning.api.callers import READ_PLAN, WRITE_PLAN, meta_of
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.milestone_schemas import (
    AddMilestoneRequest,
    ChangeMilestoneRequest,
    MilestoneList,
    MilestoneResponse,
)
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.milestone import Milestone
from trellis_platform.auth.guards import CurrentCaller, guarded


def milestone_response(milestone: Milestone) -> MilestoneResponse:
    return MilestoneResponse(
        id=milestone.id,
        organisation_id=milestone.organisation_id,
        project_id=milestone.project_id,
        name=milestone.name,
        starts_on=milestone.starts_on,
        due_on=milestone.due_on,
        completed_on=milestone.completed_on,
        version=milestone.version,
    )


def milestones_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["milestones"], responses=PROBLEM_RESPONSES)

    @router.post(
        "/projects/{project_id}/milestones",
        status_code=status.HTTP_201_CREATED,
        response_model=MilestoneResponse,
        **guarded(WRITE_PLAN),
    )
    def add_milestone(
        project_id: UUID,
        body: AddMilestoneRequest,
        caller: CurrentCaller,
        request: Request,
        response: Response,
    ) -> MilestoneResponse:
        with plan_problems():
            milestone, _ = app.add_milestone(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                name=body.name,
                starts_on=body.starts_on,
                due_on=body.due_on,
                meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/milestones/{milestone.id}"
        return milestone_response(milestone)

    @router.get("/projects/{project_id}/milestones", response_model=MilestoneList, **guarded(READ_PLAN))
    def list_milestones(project_id: UUID, caller: CurrentCaller) -> MilestoneList:
        with plan_problems():
            project = app.project_in(caller.organisation_id, project_id)
            return MilestoneList(
                items=[
                    milestone_response(app.milestone_in(caller.organisation_id, m))
                    for m in project.milestone_ids
                ]
            )

    @router.get("/milestones/{milestone_id}", response_model=MilestoneResponse, **guarded(READ_PLAN))
    def get_milestone(milestone_id: UUID, caller: CurrentCaller) -> MilestoneResponse:
        with plan_problems():
            return milestone_response(app.get_milestone(caller.organisation_id, milestone_id))

    @router.patch("/milestones/{milestone_id}", response_model=MilestoneResponse, **guarded(WRITE_PLAN))
    def change_milestone(
        milestone_id: UUID, body: ChangeMilestoneRequest, caller: CurrentCaller, request: Request
    ) -> MilestoneResponse:
        with plan_problems():
            milestone, _ = app.change_milestone(
                organisation_id=caller.organisation_id,
                milestone_id=milestone_id,
                name=body.name,
                starts_on=body.starts_on,
                due_on=body.due_on,
                meta=meta_of(caller, request),
            )
            return milestone_response(milestone)

    @router.post(
        "/milestones/{milestone_id}/completion", response_model=MilestoneResponse, **guarded(WRITE_PLAN)
    )
    def complete_milestone(milestone_id: UUID, caller: CurrentCaller, request: Request) -> MilestoneResponse:
        """Completes a milestone none of whose tasks is still open (422 lists the open ones)."""
        with plan_problems():
            return milestone_response(
                app.complete_milestone(
                    organisation_id=caller.organisation_id,
                    milestone_id=milestone_id,
                    meta=meta_of(caller, request),
                )
            )

    return router
