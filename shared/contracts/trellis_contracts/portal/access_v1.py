"""Version 1 of the portal's access events: which client users see a project, and how much."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PORTAL_EVENTS_V1

BudgetVisibility = Literal["hidden", "percent", "full"]


class ProjectAccessGrantedV1(EventContract):
    event_type = "com.trellis.portal.project_access.granted.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "A client user was given access to a project of their client in the portal."

    organisation_id: UUID
    project_id: UUID
    client_id: UUID
    client_user_id: UUID
    granted_by: str


class ProjectAccessRevokedV1(EventContract):
    event_type = "com.trellis.portal.project_access.revoked.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "A client user's access to a project was taken away."

    organisation_id: UUID
    project_id: UUID
    client_id: UUID
    client_user_id: UUID
    revoked_by: str


class ProjectVisibilityChangedV1(EventContract):
    event_type = "com.trellis.portal.project_visibility.changed.v1"
    topic = PORTAL_EVENTS_V1
    version = 1
    summary = "The firm changed which sections of a project its client sees, and how much of the budget."

    organisation_id: UUID
    project_id: UUID
    milestones: bool
    tasks: bool
    documents: bool
    time: bool
    health: bool
    budget: BudgetVisibility
    changed_by: str
