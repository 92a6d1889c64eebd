"""Domain events to integration events: the one place that imports both.

Published: the organisation's directory (who belongs to which tenant and client, in which
role), and revocations (a token id, or a session or API key whose tokens must be refused),
which every service follows to refuse revoked tokens itself. Credentials never leave
identity. Events are keyed by organisation: one tenant's changes arrive in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
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
from trellis_contracts.identity.revocations_v1 import SessionRevokedV1, TokenRevokedV1
from trellis_identity.application.base import Lifetimes
from trellis_identity.domain.organisation import Organisation
from trellis_identity.domain.revoked_token import RevokedToken
from trellis_identity.domain.session import Session
from trellis_platform.command_meta import trace_headers
from trellis_platform.outgoing import OutgoingEvent, envelope_for

SOURCE = "/trellis/identity"
DEFAULT_LIFETIMES = Lifetimes()


def _payload(event: Any, lifetimes: Lifetimes) -> EventContract | None:
    revocation = _revocation(event, lifetimes)
    if revocation is not None:
        return revocation
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


def _revocation(event: Any, lifetimes: Lifetimes) -> EventContract | None:
    """A revoked token, session or API key; ``expires_at`` is when the last token it covers
    expires (issued at the latest when it was revoked, living at most the lifetime)."""
    if isinstance(event, RevokedToken.Created):
        return TokenRevokedV1(organisation_id=event.organisation_id, token_id=event.token_id,
                              revoked_at=_utc(event.timestamp), expires_at=_utc(event.expires_at))
    if isinstance(event, Session.Revoked) and event.organisation_id is not None:
        revoked_at = _utc(event.timestamp)
        return SessionRevokedV1(organisation_id=event.organisation_id, session_id=event.originator_id,
                                kind="login", reason=event.reason[:200], revoked_at=revoked_at,
                                expires_at=revoked_at + lifetimes.access)
    if isinstance(event, Organisation.ApiKeyRevoked):
        # A service token names its API key as its session.
        revoked_at = _utc(event.timestamp)
        return SessionRevokedV1(organisation_id=event.originator_id, session_id=event.key_id,
                                kind="api_key", reason="API key revoked", revoked_at=revoked_at,
                                expires_at=revoked_at + lifetimes.service)
    return None


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def to_integration_events(domain_event: Any, notification_id: int, *,
                          lifetimes: Lifetimes = DEFAULT_LIFETIMES) -> Sequence[OutgoingEvent]:
    """``lifetimes``: the access and service token lifetimes identity issues with."""
    payload = _payload(domain_event, lifetimes)
    if payload is None:
        return []
    organisation_id = str(getattr(payload, "organisation_id", domain_event.originator_id))
    return [OutgoingEvent(
        topic=payload.topic,
        key=organisation_id,
        envelope=envelope_for(domain_event, payload, source=SOURCE, organisation_id=organisation_id),
        notification_id=notification_id,
        headers=trace_headers(getattr(domain_event, "meta", {})),
    )]
