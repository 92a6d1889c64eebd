"""Project routes: validate, call the application, answer."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.schemas import CreateProjectRequest, ProjectResponse
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.errors import PlanningRuleBroken, ProjectNotFound
from trellis_planning.domain.project import Project
from trellis_platform.command_meta import command_meta
from trellis_platform.problems import Problem


def _response(project: Project) -> ProjectResponse:
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

    @router.post("/projects", status_code=status.HTTP_201_CREATED, response_model=ProjectResponse)
    def create_project(body: CreateProjectRequest, request: Request, response: Response) -> ProjectResponse:
        meta = command_meta(actor="anonymous", request_id=request.headers.get("x-request-id"))
        try:
            project = app.create_project(
                organisation_id=body.organisation_id,
                client_id=body.client_id,
                name=body.name,
                starts_on=body.starts_on,
                ends_on=body.ends_on,
                meta=meta,
            )
        except PlanningRuleBroken as broken:
            raise Problem(422, "Planning rule broken", str(broken)) from None
        response.headers["Location"] = f"{PREFIX}/projects/{project.id}"
        return _response(project)

    @router.get("/projects/{project_id}", response_model=ProjectResponse)
    def get_project(project_id: UUID, organisation_id: UUID) -> ProjectResponse:
        try:
            return _response(app.get_project(organisation_id, project_id))
        except ProjectNotFound:
            raise Problem(404, "Not found", f"No project {project_id} in this organisation.") from None

    return router
