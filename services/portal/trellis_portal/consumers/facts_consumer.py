"""What every consumer of another context's events shares: read, pick the effect, apply once."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_platform.incoming import IncomingEvent, PoisonEvent
from trellis_platform.parsing import read_event
from trellis_portal.views.facts import FactWriter
from trellis_portal.views.tracked_facts import Effect, TrackedFacts


class FactsConsumer(ABC):
    name: str
    topics: tuple[str, ...]

    def __init__(self, tracked: TrackedFacts) -> None:
        self._tracked = tracked

    def has_applied(self, position: Tracking) -> bool:
        return bool(self._tracked.has_tracking_id(position.application_name, position.notification_id))

    def apply(self, event: IncomingEvent) -> None:
        read = read_event(event)
        effect = self.effect_for(*read) if read is not None else None
        if read is None or effect is None:
            self._tracked.skip(event.position)
            return
        self._tracked.apply(event.position, _organisation(read[0]), effect)

    def record_position(self, position: Tracking) -> None:
        self._tracked.skip(position)

    @abstractmethod
    def effect_for(self, envelope: CloudEvent, payload: EventContract) -> Effect | None:
        """The change this event makes to the facts; None when it changes nothing here."""


def _organisation(envelope: CloudEvent) -> UUID:
    try:
        return UUID(envelope.organisationid)
    except ValueError:
        raise PoisonEvent(f"organisationid {envelope.organisationid!r} is not a UUID") from None


def decimal_text(value: object) -> str:
    """Decimals as plain digits (never exponent notation), as JSON carries money."""
    return format(value, "f")


class Putter:
    """Puts facts from one event: its aggregate (subject) and version name the source."""

    def __init__(self, envelope: CloudEvent) -> None:
        self.source = envelope.subject
        self.version = envelope.aggregateversion

    def put(self, writer: FactWriter, scope: UUID, kind: str, key: str, body: dict[str, Any], *,
            merge: bool = False) -> None:
        writer.put(scope, kind, key, body, source=self.source, version=self.version, merge=merge)

    def remove(self, writer: FactWriter, scope: UUID, kind: str, key: str) -> None:
        writer.remove(scope, kind, key, source=self.source, version=self.version)


EffectFor = Callable[[CloudEvent, EventContract], "Effect | None"]
