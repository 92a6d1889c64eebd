"""Version 1 of identity's client events: the companies an organisation works for and
their users, whom the portal lets see what is shared with their client."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import IDENTITY_EVENTS_V1

ClientRoleName = str
"""viewer or approver; a plain string so that a role added later does not break older readers."""


class ClientCreatedV1(EventContract):
    event_type = "com.trellis.identity.client.created.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "An organisation registered a client (a company it delivers projects to)."

    organisation_id: UUID
    client_id: UUID
    name: str = Field(min_length=1, max_length=200)


class ClientUserAddedV1(EventContract):
    event_type = "com.trellis.identity.client_user.added.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "A client user was added to a client, as viewer or approver."

    organisation_id: UUID
    client_id: UUID
    user_id: UUID
    email: str
    name: str
    role: ClientRoleName


class ClientUserRoleChangedV1(EventContract):
    event_type = "com.trellis.identity.client_user.role_changed.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "A client user's role changed."

    organisation_id: UUID
    client_id: UUID
    user_id: UUID
    role: ClientRoleName


class ClientUserRemovedV1(EventContract):
    event_type = "com.trellis.identity.client_user.removed.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "A client user was removed: no more logins, sessions revoked."

    organisation_id: UUID
    client_id: UUID
    user_id: UUID
    role: ClientRoleName
