"""Plan settings routes: an organisation's custom fields, workflows, naming rules and
working calendar. Admins (and API keys with ``planning.settings:write``) change them;
every staff role reads them."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from trellis_planning.api.callers import READ_SETTINGS, WRITE_SETTINGS, meta_of
from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.plan_problems import plan_problems
from trellis_planning.api.settings_schemas import (
    CalendarBody,
    ChangeFieldRequest,
    CustomFieldResponse,
    DefineFieldRequest,
    DefineWorkflowRequest,
    NamingRuleRequest,
    NamingRuleResponse,
    PlanSettingsResponse,
    StatusBody,
    WorkflowResponse,
)
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.custom_fields import CustomField
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.domain.plan_settings import PlanSettings
from trellis_planning.domain.workflow import Workflow
from trellis_platform.auth.guards import CurrentCaller, guarded

Subject = Literal["task_title", "milestone_name", "project_name"]


def field_response(field: CustomField) -> CustomFieldResponse:
    return CustomFieldResponse(
        id=field.id,
        name=field.name,
        type=field.type.value,
        required=field.required,
        choices=list(field.choices),
        scope=field.scope.value,
        retired=field.retired,
    )


def workflow_response(workflow: Workflow) -> WorkflowResponse:
    transitions: dict[str, list[str]] = {s.key: [] for s in workflow.statuses}
    for source, target in workflow.transitions:
        transitions[source].append(target)
    return WorkflowResponse(
        id=workflow.id,
        name=workflow.name,
        initial=workflow.initial,
        transitions=transitions,
        statuses=[
            StatusBody(
                key=s.key, name=s.name, category=s.category.value, wip_limit=s.wip_limit, retired=s.retired
            )
            for s in workflow.statuses
        ],
    )


def settings_response(settings: PlanSettings) -> PlanSettingsResponse:
    return PlanSettingsResponse(
        custom_fields=[field_response(f) for f in settings.fields().values()],
        workflows=[workflow_response(w) for w in settings.workflows().values()],
        naming_rules=[
            NamingRuleResponse(subject=r.subject.value, pattern=r.pattern, description=r.description)
            for r in settings.naming_rules().values()
        ],
        calendar=CalendarBody(weekend_days=settings.weekend_days, holidays=settings.holidays),
    )


def settings_router(app: PlanningApplication) -> APIRouter:
    router = APIRouter(prefix=f"{PREFIX}/settings", tags=["plan settings"], responses=PROBLEM_RESPONSES)

    def known_field(organisation_id: UUID, field_id: str) -> None:
        settings = app.plan_settings(organisation_id)
        if field_id not in settings.fields():
            raise NotInOrganisation("custom field", field_id)

    @router.get("", response_model=PlanSettingsResponse, **guarded(READ_SETTINGS))
    def get_settings(caller: CurrentCaller) -> PlanSettingsResponse:
        return settings_response(app.plan_settings(caller.organisation_id))

    @router.post(
        "/custom-fields",
        status_code=status.HTTP_201_CREATED,
        response_model=CustomFieldResponse,
        **guarded(WRITE_SETTINGS),
    )
    def define_field(
        body: DefineFieldRequest, caller: CurrentCaller, request: Request, response: Response
    ) -> CustomFieldResponse:
        with plan_problems():
            field = app.define_custom_field(
                organisation_id=caller.organisation_id,
                name=body.name,
                type_=body.type,
                required=body.required,
                choices=body.choices,
                scope=body.scope,
                meta=meta_of(caller, request),
            )
        response.headers["Location"] = f"{PREFIX}/settings/custom-fields/{field.id}"
        return field_response(field)

    @router.patch("/custom-fields/{field_id}", response_model=CustomFieldResponse, **guarded(WRITE_SETTINGS))
    def change_field(
        field_id: str, body: ChangeFieldRequest, caller: CurrentCaller, request: Request
    ) -> CustomFieldResponse:
        """Renaming keeps every value: values are stored under the field's id."""
        with plan_problems():
            known_field(caller.organisation_id, field_id)
            field = app.change_custom_field(
                organisation_id=caller.organisation_id,
                field_id=field_id,
                name=body.name,
                required=body.required,
                add_choices=body.add_choices,
                meta=meta_of(caller, request),
            )
            return field_response(field)

    @router.delete("/custom-fields/{field_id}", response_model=CustomFieldResponse, **guarded(WRITE_SETTINGS))
    def retire_field(field_id: str, caller: CurrentCaller, request: Request) -> CustomFieldResponse:
        """Retires the field: its values stay on the tasks (and in history); nobody can set them."""
        with plan_problems():
            known_field(caller.organisation_id, field_id)
            return field_response(
                app.retire_custom_field(
                    organisation_id=caller.organisation_id, field_id=field_id, meta=meta_of(caller, request)
                )
            )

    @router.put("/workflows/{workflow_id}", response_model=WorkflowResponse, **guarded(WRITE_SETTINGS))
    def define_workflow(
        workflow_id: str, body: DefineWorkflowRequest, caller: CurrentCaller, request: Request
    ) -> WorkflowResponse:
        """Defines or replaces a workflow. Statuses are never dropped (tasks may sit in them):
        retire one instead."""
        with plan_problems():
            workflow = app.define_workflow(
                organisation_id=caller.organisation_id,
                workflow_id=workflow_id,
                name=body.name,
                statuses=[(s.key, s.name, s.category, s.wip_limit, s.retired) for s in body.statuses],
                transitions=body.transitions,
                initial=body.initial,
                meta=meta_of(caller, request),
            )
            return workflow_response(workflow)

    @router.put("/naming-rules/{subject}", response_model=NamingRuleResponse, **guarded(WRITE_SETTINGS))
    def define_naming_rule(
        subject: Subject, body: NamingRuleRequest, caller: CurrentCaller, request: Request
    ) -> NamingRuleResponse:
        """Names of this kind must match ``pattern`` in full from now on; a refusal quotes the rule."""
        with plan_problems():
            app.define_naming_rule(
                organisation_id=caller.organisation_id,
                subject=subject,
                pattern=body.pattern,
                description=body.description,
                meta=meta_of(caller, request),
            )
            rule = app.plan_settings(caller.organisation_id).naming_rules()
            found = next(r for r in rule.values() if r.subject.value == subject)
            return NamingRuleResponse(subject=subject, pattern=found.pattern, description=found.description)

    @router.delete(
        "/naming-rules/{subject}", status_code=status.HTTP_204_NO_CONTENT, **guarded(WRITE_SETTINGS)
    )
    def remove_naming_rule(subject: Subject, caller: CurrentCaller, request: Request) -> None:
        with plan_problems():
            app.remove_naming_rule(
                organisation_id=caller.organisation_id, subject=subject, meta=meta_of(caller, request)
            )

    @router.put("/calendar", response_model=CalendarBody, **guarded(WRITE_SETTINGS))
    def define_calendar(body: CalendarBody, caller: CurrentCaller, request: Request) -> CalendarBody:
        """Weekends and holidays of every schedule in the organisation (from each project's next
        change, or POST .../schedule/recompute)."""
        with plan_problems():
            settings = app.define_calendar(
                organisation_id=caller.organisation_id,
                weekend_days=body.weekend_days,
                holidays=body.holidays,
                meta=meta_of(caller, request),
            )
            return CalendarBody(weekend_days=settings.weekend_days, holidays=settings.holidays)

    return router
