"""Delivers a batch of events to a batch-capable consumer: one transaction per batch.

The platform's Delivery does the work: when a batch cannot be applied as a whole (an
event in it is poison, or keeps failing), it goes event by event, the good ones applied
and the bad one dead-lettered with its reason; transient database errors are retried
until they clear.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from trellis_platform.delivery import Delivery
from trellis_platform.incoming import DeadLetters, EventConsumer, IncomingEvent


class BatchConsumer(EventConsumer, Protocol):
    def apply_batch(self, events: Sequence[IncomingEvent]) -> int: ...


class BatchDelivery:
    """The platform's Delivery, a whole poll at a time: the ledger's Kafka loop reads
    records without FastStream, and hands each poll over here."""

    def __init__(self, consumer: BatchConsumer, dead_letters: DeadLetters) -> None:
        self._delivery = Delivery(consumer, dead_letters)

    @property
    def consumer_name(self) -> str:
        return self._delivery.consumer_name

    @property
    def applied(self) -> int:
        return self._delivery.applied

    async def deliver(self, events: Sequence[IncomingEvent]) -> None:
        """Returns once every event's effect (or its dead letter) is durable."""
        await self._delivery.deliver_batch(events)
