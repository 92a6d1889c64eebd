"""Template routes: the industry templates and the organisation's own; a project from a
template in one command; a project saved as a template."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_planning.api.callers import READ_PLAN, WRITE_PLAN, meta_of
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.projects import project_response
from trellis_planning.api.settings import field_response, workflow_response
from trellis_planning.api.template_schemas import (
    ProjectFromTemplateRequest,
    ProjectFromTemplateResponse,
    SaveAsTemplateRequest,
    TemplateDependency,
    TemplateDetail,
    TemplateList,
    TemplateMilestone,
    TemplateSummary,
    TemplateTask,
)
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.template import TemplateDefinition, vars_of
from trellis_platform.auth.guards import CurrentCaller, guarded


def summary(definition: TemplateDefinition, built_in: bool) -> TemplateSummary:
    return TemplateSummary(
        id=definition.key,
        name=definition.name,
        industry=definition.industry,
        description=definition.description,
        built_in=built_in,
        workflow_id=definition.workflow.id,
        milestone_count=len(definition.milestones),
        task_count=len(definition.tasks),
        dependency_count=len(definition.dependencies),
    )


def detail(definition: TemplateDefinition, built_in: bool) -> TemplateDetail:
    return TemplateDetail(
        **summary(definition, built_in).model_dump(),
        workflow=workflow_response(definition.workflow),
        custom_fields=[field_response(f) for f in definition.custom_fields],
        milestones=[TemplateMilestone(**vars_of(m)) for m in definition.milestones],
        tasks=[TemplateTask(**{**vars_of(t), "tags": list(t.tags)}) for t in definition.tasks],
        dependencies=[TemplateDependency(**vars_of(d)) for d in definition.dependencies],
    )


def templates_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["templates"], responses=PROBLEM_RESPONSES)

    @router.get("/templates", response_model=TemplateList, **guarded(READ_PLAN))
    def list_templates(caller: CurrentCaller) -> TemplateList:
        return TemplateList(items=[summary(d, b) for d, b in app.templates_for(caller.organisation_id)])

    @router.get("/templates/{template_id}", response_model=TemplateDetail, **guarded(READ_PLAN))
    def get_template(template_id: str, caller: CurrentCaller) -> TemplateDetail:
        with plan_problems():
            definition = app.template_for(caller.organisation_id, template_id)
            return detail(definition, built_in=definition.key == template_id and not _is_uuid(template_id))

    @router.post(
        "/projects/from-template",
        status_code=status.HTTP_201_CREATED,
        response_model=ProjectFromTemplateResponse,
        **guarded(WRITE_PLAN),
    )
    def create_from_template(
        body: ProjectFromTemplateRequest, caller: CurrentCaller, request: Request, response: Response
    ) -> ProjectFromTemplateResponse:
        """One command: the project with the template's milestones, tasks, dependencies, workflow
        and custom fields, laid out from ``starts_on`` on the organisation's working calendar."""
        with plan_problems():
            project, settled = app.create_project_from_template(
                organisation_id=caller.organisation_id,
                template_id=body.template_id,
                client_id=body.client_id,
                name=body.name,
                starts_on=body.starts_on,
                ends_on=body.ends_on,
                meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/projects/{project.id}"
        return ProjectFromTemplateResponse(
            project=project_response(project),
            template_id=body.template_id,
            workflow_id=project.workflow_id,
            milestone_ids=project.milestone_ids,
            task_ids=project.task_ids,
            dependency_count=len(project.dependencies),
            forecast_finish=settled.schedule.project_finish,
        )

    @router.post(
        "/projects/{project_id}/save-as-template",
        status_code=status.HTTP_201_CREATED,
        response_model=TemplateSummary,
        **guarded(WRITE_PLAN),
    )
    def save_as_template(
        project_id: UUID,
        body: SaveAsTemplateRequest,
        caller: CurrentCaller,
        request: Request,
        response: Response,
    ) -> TemplateSummary:
        """The project's milestones, tasks (offsets, durations, estimates), dependencies, workflow
        and custom fields, without its instance data (values, assignees, statuses)."""
        with plan_problems():
            template = app.save_project_as_template(
                organisation_id=caller.organisation_id,
                project_id=project_id,
                name=body.name,
                industry=body.industry,
                description=body.description,
                meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/templates/{template.id}"
        return summary(template.definition, built_in=False)

    return router


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True
