"""Version 1 of identity's organisation and staff events.

Emails and names are here so that other contexts can address and name people (risk
notifications, the portal's "approved by"); no credential ever is.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import IDENTITY_EVENTS_V1

StaffRoleName = str
"""owner, admin, project_manager, member, finance, analyst or auditor (a plain string, so
that a role added later does not break older readers)."""


class OrganisationCreatedV1(EventContract):
    event_type = "com.trellis.identity.organisation.created.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "An organisation (a tenant) signed up."

    organisation_id: UUID
    name: str = Field(min_length=1, max_length=200)


class StaffUserAddedV1(EventContract):
    event_type = "com.trellis.identity.staff_user.added.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "A staff user joined an organisation with these roles."

    organisation_id: UUID
    user_id: UUID
    email: str
    name: str
    roles: list[StaffRoleName] = Field(min_length=1)


class StaffUserRolesChangedV1(EventContract):
    event_type = "com.trellis.identity.staff_user.roles_changed.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "A staff user's roles were replaced by these."

    organisation_id: UUID
    user_id: UUID
    roles: list[StaffRoleName] = Field(min_length=1)


class StaffUserDeactivatedV1(EventContract):
    event_type = "com.trellis.identity.staff_user.deactivated.v1"
    topic = IDENTITY_EVENTS_V1
    version = 1
    summary = "A staff user was deactivated: no more logins, sessions revoked."

    organisation_id: UUID
    user_id: UUID
