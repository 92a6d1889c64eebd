"""The portal's HTTP adapter: reads only read models."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from trellis_platform.problems import Problem
from trellis_portal.api.schemas import PortalProject, PortalProjectPage
from trellis_portal.views.projects import ProjectsView, ProjectView

PREFIX = "/api/portal"


def _project(view: ProjectView) -> PortalProject:
    return PortalProject(
        id=view.id, client_id=view.client_id, name=view.name, starts_on=view.starts_on,
        ends_on=view.ends_on, version=view.version, created_at=view.created_at,
    )


def portal_router(projects: ProjectsView) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal"],
                       responses={404: {"description": "No such project in this organisation"}})

    @router.get("/projects/{project_id}", response_model=PortalProject)
    async def get_project(project_id: UUID, organisation_id: UUID) -> PortalProject:
        found = await run_in_threadpool(projects.get, organisation_id, project_id)
        if found is None:
            raise Problem(404, "Not found", f"No project {project_id} in this organisation.")
        return _project(found)

    @router.get("/projects", response_model=PortalProjectPage)
    async def list_projects(
        organisation_id: UUID,
        limit: int = Query(50, ge=1, le=500),
        after: UUID | None = None,
    ) -> PortalProjectPage:
        found = await run_in_threadpool(projects.list, organisation_id, limit=limit, after=after)
        return PortalProjectPage(
            items=[_project(p) for p in found],
            next_after=found[-1].id if len(found) == limit else None,
        )

    return router
