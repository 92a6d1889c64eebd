"""Project use cases: create a client project, read it back within its organisation."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from trellis_planning.application.plan_access import PlanAccess
from trellis_planning.domain.errors import ProjectNotFound
from trellis_planning.domain.naming import NamingSubject, check_name
from trellis_planning.domain.project import Project
from trellis_planning.domain.workflow import DEFAULT_WORKFLOW_ID


class ProjectUseCases(PlanAccess):
    def create_project(
        self,
        *,
        organisation_id: UUID,
        client_id: UUID,
        name: str,
        starts_on: date,
        ends_on: date,
        meta: dict[str, str],
        workflow_id: str = DEFAULT_WORKFLOW_ID,
    ) -> Project:
        """A project without tasks yet; its tasks follow ``workflow_id`` (one of the
        organisation's workflows) and its name the organisation's naming rule."""
        settings = self.settings_to_read(organisation_id)
        check_name(settings.naming_rules(), NamingSubject.PROJECT_NAME, name.strip())
        settings.workflow(workflow_id)
        project = Project.create(
            organisation_id=organisation_id,
            client_id=client_id,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            meta=meta,
        )
        project.configure_plan(workflow_id=workflow_id, field_ids=[], template_id=None, meta=meta)
        self.save(project)
        return project

    def get_project(self, organisation_id: UUID, project_id: UUID) -> Project:
        """Another organisation's project is reported as not found, never as forbidden."""
        try:
            project: Any = self.repository.get(project_id)
        except AggregateNotFoundError:
            raise ProjectNotFound(project_id) from None
        if not isinstance(project, Project) or project.organisation_id != organisation_id:
            raise ProjectNotFound(project_id)
        return project
