"""The organisation's projects, for its staff (clients have ``/me/projects``)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Query

from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem
from trellis_portal.api.common import PREFIX, PROBLEM_RESPONSES, STAFF_READ
from trellis_portal.api.schemas import PortalProject, PortalProjectPage
from trellis_portal.views.projects import ProjectsView, ProjectView


def _project(view: ProjectView) -> PortalProject:
    return PortalProject(
        id=view.id, client_id=view.client_id, name=view.name, starts_on=view.starts_on,
        ends_on=view.ends_on, version=view.version, created_at=view.created_at,
    )


def projects_router(projects: ProjectsView) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal"], responses=PROBLEM_RESPONSES)

    @router.get("/projects/{project_id}", response_model=PortalProject, **guarded(STAFF_READ))
    async def get_project(project_id: UUID, caller: CurrentCaller) -> PortalProject:
        # Async, the query awaited on the loop: a sync route hops to the threadpool twice
        # (the route, then FastAPI validating its answer), the portal's hottest read.
        found = await projects.fetch(caller.organisation_id, project_id)
        if found is None:
            raise Problem(404, "Not found", f"No project {project_id} in this organisation.")
        return _project(found)

    @router.get("/projects", response_model=PortalProjectPage, **guarded(STAFF_READ))
    def list_projects(
        caller: CurrentCaller,
        limit: int = Query(50, ge=1, le=500),
        after: UUID | None = None,
    ) -> PortalProjectPage:
        found = projects.list(caller.organisation_id, limit=limit, after=after)
        return PortalProjectPage(
            items=[_project(p) for p in found],
            next_after=found[-1].id if len(found) == limit else None,
        )

    return router
