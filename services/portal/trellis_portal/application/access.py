"""Access use cases: grant and revoke a client user's access, set what the client sees."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application

from trellis_portal.application.refs import ClientUserRef, ProjectRef
from trellis_portal.application.saving import conflicts_as
from trellis_portal.domain.ids import access_id
from trellis_portal.domain.project_access import ProjectAccess
from trellis_portal.domain.visibility import Visibility

RETRY = "The project's access changed at the same moment; retry."


class AccessUseCases(Application[UUID]):
    def project_access(self, project: ProjectRef) -> ProjectAccess | None:
        """None until the firm first grants access or sets visibility."""
        try:
            found: Any = self.repository.get(access_id(project.project_id))
        except AggregateNotFoundError:
            return None
        if not isinstance(found, ProjectAccess) or found.organisation_id != project.organisation_id:
            return None
        return found

    def grant_access(self, project: ProjectRef, user: ClientUserRef, meta: dict[str, str]) -> bool:
        access = self._opened(project, meta)
        granted = access.grant(client_user_id=user.user_id, user_client_id=user.client_id, meta=meta)
        with conflicts_as(RETRY):
            self.save(access)
        return granted

    def revoke_access(self, project: ProjectRef, user_id: UUID, meta: dict[str, str]) -> None:
        access = self._opened(project, meta)
        access.revoke(client_user_id=user_id, meta=meta)
        with conflicts_as(RETRY):
            self.save(access)

    def set_visibility(self, project: ProjectRef, visibility: Visibility, meta: dict[str, str]) -> bool:
        access = self._opened(project, meta)
        changed = access.set_visibility(visibility, meta)
        with conflicts_as(RETRY):
            self.save(access)
        return changed

    def _opened(self, project: ProjectRef, meta: dict[str, str]) -> ProjectAccess:
        return self.project_access(project) or ProjectAccess(
            organisation_id=project.organisation_id, project_id=project.project_id,
            client_id=project.client_id, meta=meta)
