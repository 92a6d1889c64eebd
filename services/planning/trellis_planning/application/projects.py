"""Project use cases: create a client project, read it back within its organisation."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from trellis_planning.domain.errors import ProjectNotFound
from trellis_planning.domain.project import Project


class ProjectUseCases(Application[UUID]):
    def create_project(
        self,
        *,
        organisation_id: UUID,
        client_id: UUID,
        name: str,
        starts_on: date,
        ends_on: date,
        meta: dict[str, str],
    ) -> Project:
        project = Project.create(
            organisation_id=organisation_id,
            client_id=client_id,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            meta=meta,
        )
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
