"""Wrapping a mapped payload into an outgoing event keyed by its aggregate."""

from __future__ import annotations

from typing import Any

from trellis_contracts.event_contract import EventContract
from trellis_platform.command_meta import trace_headers
from trellis_platform.outgoing import OutgoingEvent, envelope_for

SOURCE = "/trellis/budget"


def outgoing(domain_event: Any, payload: EventContract, notification_id: int) -> list[OutgoingEvent]:
    return [
        OutgoingEvent(
            topic=payload.topic,
            key=str(domain_event.originator_id),
            envelope=envelope_for(
                domain_event, payload, source=SOURCE, organisation_id=str(domain_event.organisation_id)
            ),
            notification_id=notification_id,
            headers=trace_headers(getattr(domain_event, "meta", None) or {}),
        )
    ]
