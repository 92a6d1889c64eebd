"""Project routes: validate, call the application, answer."""

from __future__ import annotations

import functools
from uuid import UUID

from fastapi import APIRouter, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from trellis_planning.api.callers import READ_PLAN, WRITE_PLAN, meta_of
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.schemas import CreateProjectRequest, ProjectResponse
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.project import Project
from trellis_platform.auth.guards import CurrentCaller, guarded


def project_response(project: Project) -> ProjectResponse:
    return ProjectResponse(
        id=project.id,
        organisation_id=project.organisation_id,
        client_id=project.client_id,
        name=project.name,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        version=project.version,
    )


def projects_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["planning"], responses=PROBLEM_RESPONSES)

    @router.post("/projects", status_code=status.HTTP_201_CREATED, response_model=ProjectResponse,
                 **guarded(WRITE_PLAN))
    async def create_project(body: CreateProjectRequest, caller: CurrentCaller, request: Request,
                             response: Response) -> ProjectResponse:
        """An empty plan following the organisation's 'default' workflow (see also
        POST /projects/from-template)."""
        # Async, with only the use case in the threadpool: a sync route hops there twice
        # (the route, then FastAPI validating its answer).
        with plan_problems():
            project = await run_in_threadpool(functools.partial(
                app.create_project,
                organisation_id=caller.organisation_id,
                client_id=body.client_id,
                name=body.name,
                starts_on=body.starts_on,
                ends_on=body.ends_on,
                meta=meta_of(caller, request),
            ))
        response.headers["Location"] = f"{PREFIX}/projects/{project.id}"
        return project_response(project)

    @router.get("/projects/{project_id}", response_model=ProjectResponse, **guarded(READ_PLAN))
    async def get_project(project_id: UUID, caller: CurrentCaller) -> ProjectResponse:
        with plan_problems():
            project = await run_in_threadpool(app.get_project, caller.organisation_id, project_id)
        return project_response(project)

    return router
