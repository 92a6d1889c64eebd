"""Who among a client's users sees a project, and what of it they see.

One aggregate per project (its id derives from the project's), so grants and
visibility change in one order and the portal can say which were in force when.
Stored event topics are ``trellis_portal.domain.project_access:ProjectAccess.<Event>``:
part of the stored data, so this module and these class names stay where they are.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_portal.domain.errors import NotFound, PortalRuleBroken
from trellis_portal.domain.ids import access_id
from trellis_portal.domain.visibility import DEFAULT_VISIBILITY, Visibility


class ProjectAccess(Aggregate):
    class Opened(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        client_id: UUID
        meta: dict[str, str]

    @staticmethod
    def create_id(project_id: UUID) -> UUID:
        return access_id(project_id)

    @event(Opened)
    def __init__(self, *, organisation_id: UUID, project_id: UUID, client_id: UUID,
                 meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.client_id = client_id
        self.grantees: list[UUID] = []
        self.visibility = DEFAULT_VISIBILITY

    # -- grants ---------------------------------------------------------------------------

    class Granted(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        client_id: UUID
        client_user_id: UUID
        meta: dict[str, str]

    def grant(self, *, client_user_id: UUID, user_client_id: UUID, meta: dict[str, str]) -> bool:
        """Grants the user access; False when they already had it. A user of another
        client never sees this project, whoever asks."""
        if user_client_id != self.client_id:
            raise PortalRuleBroken(
                f"Client user {client_user_id} belongs to another client than project {self.project_id}."
            )
        if client_user_id in self.grantees:
            return False
        self._granted(organisation_id=self.organisation_id, project_id=self.project_id,
                      client_id=self.client_id, client_user_id=client_user_id, meta=meta)
        return True

    @event(Granted)
    def _granted(self, organisation_id: UUID, project_id: UUID, client_id: UUID, client_user_id: UUID,
                 meta: dict[str, str]) -> None:
        self.grantees.append(client_user_id)

    class Revoked(Aggregate.Event):
        organisation_id: UUID
        project_id: UUID
        client_id: UUID
        client_user_id: UUID
        meta: dict[str, str]

    def revoke(self, *, client_user_id: UUID, meta: dict[str, str]) -> None:
        if client_user_id not in self.grantees:
            raise NotFound(f"Client user {client_user_id} has no access to project {self.project_id}.")
        self._revoked(organisation_id=self.organisation_id, project_id=self.project_id,
                      client_id=self.client_id, client_user_id=client_user_id, meta=meta)

    @event(Revoked)
    def _revoked(self, organisation_id: UUID, project_id: UUID, client_id: UUID, client_user_id: UUID,
                 meta: dict[str, str]) -> None:
        self.grantees.remove(client_user_id)

    # -- visibility -----------------------------------------------------------------------

    class VisibilityChanged(Aggregate.Event):
        """``visibility`` holds Visibility.fields(): plain values, so stored events stay JSON."""

        organisation_id: UUID
        project_id: UUID
        visibility: dict[str, Any]
        meta: dict[str, str]

    def set_visibility(self, visibility: Visibility, meta: dict[str, str]) -> bool:
        """False when nothing changed (no event: the history shows only real changes)."""
        if visibility == self.visibility:
            return False
        self._visibility_changed(organisation_id=self.organisation_id, project_id=self.project_id,
                                 visibility=visibility.fields(), meta=meta)
        return True

    @event(VisibilityChanged)
    def _visibility_changed(self, organisation_id: UUID, project_id: UUID, visibility: dict[str, Any],
                            meta: dict[str, str]) -> None:
        self.visibility = Visibility.from_fields(visibility)
