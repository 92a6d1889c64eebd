"""Meeting minutes routes: record a meeting; its action items become tasks in the same command."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_planning.api.callers import READ_PLAN, WRITE_PLAN, meta_of
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.minutes_schemas import (
    ActionItemResponse,
    AttendeeBody,
    MinutesList,
    MinutesResponse,
    RecordedMinutes,
    RecordMinutesRequest,
)
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.plan_schemas import moves_of
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.minutes import Minutes
from trellis_platform.auth.guards import CurrentCaller, guarded


def minutes_response(minutes: Minutes) -> MinutesResponse:
    return MinutesResponse(
        id=minutes.id,
        project_id=minutes.project_id,
        title=minutes.title,
        held_on=minutes.held_on,
        attendees=[AttendeeBody(**a) for a in minutes.attendees],
        notes=minutes.notes,
        decisions=minutes.decisions,
        action_items=[ActionItemResponse(**i) for i in minutes.action_items],
    )


def minutes_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["meeting minutes"], responses=PROBLEM_RESPONSES)

    @router.post(
        "/projects/{project_id}/minutes",
        status_code=status.HTTP_201_CREATED,
        response_model=RecordedMinutes,
        **guarded(WRITE_PLAN),
    )
    def record_minutes(
        project_id: UUID,
        body: RecordMinutesRequest,
        caller: CurrentCaller,
        request: Request,
        response: Response,
    ) -> RecordedMinutes:
        """Records the minutes and creates one task per action item, all in one command."""
        with plan_problems():
            minutes, settled = app.record_minutes(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                title=body.title,
                held_on=body.held_on,
                attendees=[a.model_dump() for a in body.attendees],
                notes=body.notes,
                decisions=body.decisions,
                action_items=[i.model_dump() for i in body.action_items],
                meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/minutes/{minutes.id}"
        return RecordedMinutes(
            minutes=minutes_response(minutes), moved=moves_of(settled.moves, settled.plan.titles())
        )

    @router.get("/projects/{project_id}/minutes", response_model=MinutesList, **guarded(READ_PLAN))
    def list_minutes(project_id: UUID, caller: CurrentCaller) -> MinutesList:
        with plan_problems():
            return MinutesList(
                items=[minutes_response(m) for m in app.minutes_of(caller.organisation_id, project_id)]
            )

    @router.get("/minutes/{minutes_id}", response_model=MinutesResponse, **guarded(READ_PLAN))
    def get_minutes(minutes_id: UUID, caller: CurrentCaller) -> MinutesResponse:
        with plan_problems():
            return minutes_response(app.minutes_in(caller.organisation_id, minutes_id))

    return router
