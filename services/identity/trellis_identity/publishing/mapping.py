"""Domain events to integration events: the one place that imports both.

Only the organisation's directory is published (who belongs to which tenant and client,
in which role). Credentials, sessions, API keys and revocations stay inside identity.
Events are keyed by organisation: one tenant's directory changes arrive in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.event_contract import EventContract
from trellis_contracts.identity.clients_v1 import (
    ClientCreatedV1,
    ClientUserAddedV1,
    ClientUserRemovedV1,
    ClientUserRoleChangedV1,
)
from trellis_contracts.identity.organisations_v1 import (
    OrganisationCreatedV1,
    StaffUserAddedV1,
    StaffUserDeactivatedV1,
    StaffUserRolesChangedV1,
)
from trellis_identity.domain.organisation import Organisation
from trellis_platform.command_meta import trace_headers
from trellis_platform.outgoing import OutgoingEvent, envelope_for

SOURCE = "/trellis/identity"


def _payload(event: Any) -> EventContract | None:
    organisation_id = event.originator_id
    if isinstance(event, Organisation.Created):
        return OrganisationCreatedV1(organisation_id=organisation_id, name=event.name)
    if isinstance(event, Organisation.StaffUserAdded):
        return StaffUserAddedV1(organisation_id=organisation_id, user_id=event.user_id, email=event.email,
                                name=event.name, roles=list(event.roles))
    if isinstance(event, Organisation.StaffRolesChanged):
        return StaffUserRolesChangedV1(organisation_id=organisation_id, user_id=event.user_id,
                                       roles=list(event.roles))
    if isinstance(event, Organisation.StaffUserDeactivated):
        return StaffUserDeactivatedV1(organisation_id=organisation_id, user_id=event.user_id)
    if isinstance(event, Organisation.ClientAdded):
        return ClientCreatedV1(organisation_id=organisation_id, client_id=event.client_id, name=event.name)
    if isinstance(event, Organisation.ClientUserAdded):
        return ClientUserAddedV1(organisation_id=organisation_id, client_id=event.client_id,
                                 user_id=event.user_id, email=event.email, name=event.name, role=event.role)
    if isinstance(event, Organisation.ClientUserRoleChanged):
        return ClientUserRoleChangedV1(organisation_id=organisation_id, client_id=event.client_id,
                                       user_id=event.user_id, role=event.role)
    if isinstance(event, Organisation.ClientUserRemoved):
        return ClientUserRemovedV1(organisation_id=organisation_id, client_id=event.client_id,
                                   user_id=event.user_id, role=event.role)
    return None


def to_integration_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    payload = _payload(domain_event)
    if payload is None:
        return []
    organisation_id = str(domain_event.originator_id)
    return [OutgoingEvent(
        topic=payload.topic,
        key=organisation_id,
        envelope=envelope_for(domain_event, payload, source=SOURCE, organisation_id=organisation_id),
        notification_id=notification_id,
        headers=trace_headers(getattr(domain_event, "meta", {})),
    )]
