"""An integration event as a consumer receives it, with its position in its stream."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from eventsourcing.persistence import Tracking


@dataclass(frozen=True)
class IncomingEvent:
    """Raw bytes plus where they came from; parsing belongs to the consumer runtime.

    ``position`` names the stream and the offset in it: a Kafka topic partition and
    offset, or the producing service's notification id when delivered in-process.
    ``published_at`` (seconds since the epoch) is when it was handed to the transport,
    for the consumers' latency metric.
    """

    topic: str
    key: str | None
    value: bytes
    position: Tracking
    headers: dict[str, str] = field(default_factory=dict)
    published_at: float | None = None


class PoisonEvent(Exception):
    """The event can never be applied (malformed, wrong tenant, contract violated)."""


class EventConsumer(Protocol):
    """A projection or policy that applies integration events exactly once."""

    name: str
    topics: tuple[str, ...]

    def has_applied(self, position: Tracking) -> bool: ...

    def apply(self, event: IncomingEvent) -> None:
        """Applies the event and records its position in one transaction.

        Raises PoisonEvent when the event can never be applied.
        """

    def record_position(self, position: Tracking) -> None:
        """Moves past an event without an effect (not ours, or dead-lettered)."""


class BatchEventConsumer(EventConsumer, Protocol):
    """A consumer that can also apply many events in one transaction (optional).

    Delivery hands it whole batches (a Kafka poll, a relay batch in-process) and falls
    back to ``apply`` event by event when a batch holds poison, so the good events are
    applied and the bad one dead-lettered on its own.
    """

    def apply_batch(self, events: Sequence[IncomingEvent]) -> int:
        """Applies, in one transaction, every event not applied yet, and records the last
        position of each stream in the batch; returns how many had an effect.

        Raises PoisonEvent (having written nothing) when an event can never be applied.
        """


def applies_batches(consumer: EventConsumer) -> bool:
    return callable(getattr(consumer, "apply_batch", None))


class DeadLetters(Protocol):
    async def send(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        """Keeps the event with the reason; returns once it is durably kept."""
