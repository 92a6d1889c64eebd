"""An integration event on its way out, and the envelope built from a domain event."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Protocol

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract

# Fixed namespace: CloudEvent ids derive from (aggregate id, version), so a re-publish
# after a relay crash carries the same id and consumers can recognise it.
_EVENT_ID_NAMESPACE = uuid.UUID("6f1d4c55-7d0e-4b8e-9a43-0c6a3b7e2f10")
_EVENT_ID_NAMESPACE_BYTES = _EVENT_ID_NAMESPACE.bytes


class StoredDomainEvent(Protocol):
    originator_id: Any
    originator_version: int
    timestamp: datetime


@dataclass(frozen=True)
class OutgoingEvent:
    topic: str
    key: str
    envelope: CloudEvent
    notification_id: int
    headers: dict[str, str] = field(default_factory=dict)

    @cached_property
    def value(self) -> bytes:
        """The envelope as it travels: structured-mode CloudEvents JSON, written once."""
        return self.envelope.model_dump_json().encode()

    def __reduce__(self) -> tuple[Any, ...]:
        # Between processes it travels as it does on Kafka, as its JSON: pickling the
        # pydantic envelope took longer than mapping the event in the first place.
        return (_from_value, (self.topic, self.key, self.value, self.notification_id, self.headers))


def _from_value(topic: str, key: str, value: bytes, notification_id: int,
                headers: dict[str, str]) -> OutgoingEvent:
    event = OutgoingEvent(topic, key, CloudEvent.model_validate_json(value), notification_id, headers)
    event.__dict__["value"] = value  # what cached_property would keep: the same bytes
    return event


def envelope_for(
    domain_event: StoredDomainEvent,
    payload: EventContract,
    *,
    source: str,
    organisation_id: str,
) -> CloudEvent:
    aggregate_id = str(domain_event.originator_id)
    version = domain_event.originator_version
    recorded_at = domain_event.timestamp
    if recorded_at.tzinfo is None:
        recorded_at = recorded_at.replace(tzinfo=UTC)
    if version < 1:
        raise ValueError(f"aggregate version {version} of {aggregate_id} is not a stored version")
    # Validated, not model_construct: pydantic validates in compiled code, faster than
    # model_construct's Python loop.
    return CloudEvent(
        id=event_id(aggregate_id, version, payload.event_type),
        source=source,
        type=payload.event_type,
        subject=aggregate_id,
        time=recorded_at,
        dataschema=f"schemas/{payload.schema_name()}",
        organisationid=organisation_id,
        aggregateversion=version,
        data=payload.model_dump(mode="json"),
    )


def event_id(aggregate_id: str, version: int, event_type: str) -> str:
    """``str(uuid5(namespace, "<aggregate id>/<version>/<event type>"))``, written out: the
    same SHA-1 and the same bits, without building a UUID object (uuid5 was a twentieth
    of the relay's time)."""
    digest = bytearray(hashlib.sha1(  # noqa: S324 - UUID version 5 is SHA-1 by definition
        _EVENT_ID_NAMESPACE_BYTES + f"{aggregate_id}/{version}/{event_type}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class EventSink(Protocol):
    """Where the relay hands integration events: Kafka, or in-process consumers."""

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        """Returns only when every event is durably accepted; raises otherwise."""
