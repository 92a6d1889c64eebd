"""Template use cases: list the industry templates and the organisation's own, create a
project from one in a single command, save a project as a template.

Creating from a template stores, in one transaction, the project, its milestones, tasks and
dependencies, the schedule and first progress, and the template's workflow and custom
fields when the organisation does not have them yet (it keeps its own when it does).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from trellis_planning.application.milestones import MilestoneUseCases
from trellis_planning.application.plan_access import retried_on_conflict
from trellis_planning.application.plan_upkeep import Settled
from trellis_planning.application.tasks import TaskUseCases
from trellis_planning.application.tenant_lookups import aggregate_in
from trellis_planning.domain.errors import PlanningRuleBroken
from trellis_planning.domain.naming import NamingSubject, check_name
from trellis_planning.domain.plan import Plan, working_calendar
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.domain.project import Project
from trellis_planning.domain.template import Template, TemplateDefinition
from trellis_planning.domain.template_layout import definition_from_plan, lay_out
from trellis_planning.domain.templates import BUILT_IN_TEMPLATES


class TemplateUseCases(TaskUseCases, MilestoneUseCases):
    def templates_for(self, organisation_id: UUID) -> list[tuple[TemplateDefinition, bool]]:
        """(definition, built in) pairs: the industry templates, then the organisation's own."""
        settings = self.plan_settings(organisation_id)
        own = [self._saved(organisation_id, t).definition for t in settings.template_ids]
        return [(t, True) for t in BUILT_IN_TEMPLATES.values()] + [(t, False) for t in own]

    def template_for(self, organisation_id: UUID, template_id: str) -> TemplateDefinition:
        if template_id in BUILT_IN_TEMPLATES:
            return BUILT_IN_TEMPLATES[template_id]
        try:
            saved_id = UUID(template_id)
        except ValueError:
            raise NotInOrganisation("template", template_id) from None
        return self._saved(organisation_id, saved_id).definition

    def _saved(self, organisation_id: UUID, template_id: UUID) -> Template:
        return aggregate_in(self, Template, "template", organisation_id, template_id)

    @retried_on_conflict
    def create_project_from_template(
        self,
        *,
        organisation_id: UUID,
        template_id: str,
        client_id: UUID,
        name: str,
        starts_on: date,
        ends_on: date | None,
        meta: dict[str, str],
    ) -> tuple[Project, Settled]:
        """``ends_on`` None: the project ends when the template's laid-out work does."""
        definition = self.template_for(organisation_id, template_id)
        settings = self.plan_settings(organisation_id)
        check_name(settings.naming_rules(), NamingSubject.PROJECT_NAME, name.strip())
        workflow = settings.adopt_workflow(definition.workflow, meta)
        for field in definition.custom_fields:
            settings.adopt_field(field, meta)
        layout = lay_out(definition, working_calendar(settings), starts_on)
        if ends_on is not None and ends_on < layout.finish:
            raise PlanningRuleBroken(
                f"Template '{definition.name}' laid out from {starts_on.isoformat()} needs until "
                f"{layout.finish.isoformat()}; the project would end {ends_on.isoformat()}. "
                "Give a later end date, or none to take the template's."
            )
        project = Project.create(
            organisation_id=organisation_id,
            client_id=client_id,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on or layout.finish,
            meta=meta,
        )
        project.configure_plan(
            workflow_id=workflow.id,
            field_ids=[f.id for f in definition.custom_fields],
            template_id=definition.key,
            meta=meta,
        )
        plan = Plan(project=project, tasks={}, milestones={}, settings=settings)
        milestone_ids = {}
        for spec in definition.milestones:
            first, due = layout.milestone_dates[spec.key]
            milestone_ids[spec.key] = self.new_milestone(
                plan, name=spec.name, starts_on=first, due_on=due, meta=meta
            ).id
        task_ids: dict[str, UUID] = {}
        for task_spec in definition.tasks:
            task_ids[task_spec.key] = self.new_task(
                plan,
                title=task_spec.title,
                status=None,
                meta=meta,
                details={
                    "milestone_id": milestone_ids.get(task_spec.milestone) if task_spec.milestone else None,
                    "parent_id": task_ids.get(task_spec.parent) if task_spec.parent else None,
                    "starts_on": layout.task_starts[task_spec.key],
                    "duration_days": task_spec.duration_days,
                    "estimate_minutes": task_spec.estimate_minutes,
                    "priority": task_spec.priority,
                    "tags": list(task_spec.tags),
                },
            ).id
        for dep in definition.dependencies:
            project.add_dependency(
                predecessor_id=task_ids[dep.predecessor],
                successor_id=task_ids[dep.successor],
                type_=dep.type,
                lag_days=dep.lag_days,
                meta=meta,
            )
        settled = self.settle_and_save(
            plan, command=f"create project from template '{definition.name}'", meta=meta
        )
        return project, settled

    @retried_on_conflict
    def save_project_as_template(
        self,
        *,
        organisation_id: UUID,
        project_id: UUID,
        name: str,
        industry: str,
        description: str,
        meta: dict[str, str],
    ) -> Template:
        plan = self.load_plan(organisation_id, project_id)
        definition = definition_from_plan(
            plan, name=name.strip(), industry=industry.strip(), description=description.strip()
        )
        template = Template.save_definition(
            organisation_id=organisation_id, source_project_id=project_id, definition=definition, meta=meta
        )
        plan.settings.add_template(template.id, meta)
        self.save(plan.settings, template)
        return template
