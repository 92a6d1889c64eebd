"""Identity's facts in the portal: who belongs to which client, with which role.

A removed client user stops seeing anything at the moment the portal learns of it,
whatever grants name them.
"""

from __future__ import annotations

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.identity.clients_v1 import (
    ClientUserAddedV1,
    ClientUserRemovedV1,
    ClientUserRoleChangedV1,
)
from trellis_contracts.topics import IDENTITY_EVENTS_V1
from trellis_portal.consumers.facts_consumer import FactsConsumer
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.tracked_facts import Effect


class IdentityEventsToPortal(FactsConsumer):
    name = "portal.identity"
    topics: tuple[str, ...] = (IDENTITY_EVENTS_V1,)

    def effect_for(self, envelope: CloudEvent, payload: EventContract) -> Effect | None:
        source, version = envelope.subject, envelope.aggregateversion
        if isinstance(payload, ClientUserAddedV1):
            added = payload
            return lambda w, _: w.put(added.client_id, kinds.CLIENT_USER, str(added.user_id), {
                "name": added.name, "email": added.email, "role": added.role},
                source=source, version=version)
        if isinstance(payload, ClientUserRoleChangedV1):
            changed = payload
            return lambda w, _: w.put(changed.client_id, kinds.CLIENT_USER, str(changed.user_id),
                                      {"role": changed.role}, source=source, version=version, merge=True)
        if isinstance(payload, ClientUserRemovedV1):
            removed = payload
            return lambda w, _: w.remove(removed.client_id, kinds.CLIENT_USER, str(removed.user_id),
                                         source=source, version=version)
        return None
