"""What a client user sees of the projects granted to them (staff see the same, as a preview).

Each answer is read at one moment (``as_of`` in the body); the audit route reconstructs
exactly this answer for that moment.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_portal.api.common import (
    CLIENT_ONLY,
    CLIENT_READ,
    PREFIX,
    PROBLEM_RESPONSES,
    STAFF_READ,
    PortalContext,
    not_found,
    viewer,
)
from trellis_portal.views.client import sections
from trellis_portal.views.client.sections import Section
from trellis_portal.views.client.shapes import (
    MyProjects,
    ProjectApprovals,
    ProjectBudget,
    ProjectDocuments,
    ProjectOverview,
    ProjectSurveyResults,
    ProjectSurveys,
    ProjectTasks,
    ProjectThreads,
    ProjectTime,
    StaffProjectThreads,
)

SECTION_ROUTES: tuple[tuple[str, Section, object], ...] = (
    ("overview", sections.overview_section, ProjectOverview),
    ("documents", sections.documents_section, ProjectDocuments),
    ("budget", sections.budget_section, ProjectBudget),
    ("time", sections.time_section, ProjectTime),
    ("tasks", sections.tasks_section, ProjectTasks),
    ("approvals", sections.approvals_section, ProjectApprovals),
    ("threads", sections.threads_section, StaffProjectThreads | ProjectThreads),
    ("surveys", sections.surveys_section, ProjectSurveys),
)


def client_views_router(context: PortalContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal client views"], responses=PROBLEM_RESPONSES)

    @router.get("/me/projects", response_model=MyProjects, **guarded(CLIENT_ONLY))
    def my_projects(caller: CurrentCaller) -> MyProjects:
        """The projects granted to the calling client user."""
        as_of = context.views.moment()
        return context.views.my_projects(viewer(context, caller, as_of), as_of)

    for name, section, shape in SECTION_ROUTES:
        _add_section(router, context, name, section, shape)

    @router.get("/projects/{project_id}/surveys/results", response_model=ProjectSurveyResults,
                **guarded(STAFF_READ))
    def survey_results(project_id: UUID, caller: CurrentCaller) -> BaseModel:
        """Every answer with its CSAT average and NPS, for the firm."""
        return _read(context, caller, project_id, sections.survey_results_section)

    return router


def _add_section(router: APIRouter, context: PortalContext, name: str, section: Section,
                 shape: object) -> None:
    def read(project_id: UUID, caller: CurrentCaller) -> BaseModel:
        return _read(context, caller, project_id, section)

    read.__name__ = f"project_{name}"
    read.__doc__ = f"The project's {name} as the caller may see it; 404 when hidden from them."
    router.add_api_route(f"/projects/{{project_id}}/{name}", read, methods=["GET"], response_model=shape,
                         **guarded(CLIENT_READ))


def _read(context: PortalContext, caller: CurrentCaller, project_id: UUID, section: Section) -> BaseModel:
    as_of = context.views.moment()
    found = context.views.section(section, viewer(context, caller, as_of), project_id, as_of)
    if found is None:
        raise not_found(project_id)
    return found
