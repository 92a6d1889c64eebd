"""Wrapping a contract payload for the relay: keyed by the aggregate, trace kept."""

from __future__ import annotations

from typing import Any

from trellis_contracts.event_contract import EventContract
from trellis_platform.command_meta import ACTOR, trace_headers
from trellis_platform.outgoing import OutgoingEvent, envelope_for

SOURCE = "/trellis/portal"


def outgoing(domain_event: Any, payload: EventContract, notification_id: int) -> OutgoingEvent:
    """Keyed by the aggregate id, so one aggregate's events keep their order on Kafka."""
    return OutgoingEvent(
        topic=payload.topic,
        key=str(domain_event.originator_id),
        envelope=envelope_for(domain_event, payload, source=SOURCE,
                              organisation_id=str(domain_event.organisation_id)),
        notification_id=notification_id,
        headers=trace_headers(getattr(domain_event, "meta", {})),
    )


def actor(domain_event: Any) -> str:
    """Who caused the event, as its meta recorded."""
    meta: dict[str, str] = getattr(domain_event, "meta", {})
    return meta.get(ACTOR, "unknown")
