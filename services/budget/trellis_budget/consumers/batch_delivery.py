"""Delivers a batch of events to a batch-capable consumer: one transaction per batch.

When a batch cannot be applied as a whole (an event in it is poison, or keeps
failing), the batch is delivered event by event through the platform's Delivery, which
applies the good ones and dead-letters the bad one with its reason. Transient database
errors are retried until they clear.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Protocol

from trellis_platform.delivery import TRANSIENT_ERRORS, Delivery
from trellis_platform.incoming import DeadLetters, EventConsumer, IncomingEvent, PoisonEvent
from trellis_platform.metrics import CONSUMERS

logger = logging.getLogger(__name__)
MAX_ATTEMPTS_FOR_UNEXPECTED = 3


class BatchConsumer(EventConsumer, Protocol):
    def apply_batch(self, events: Sequence[IncomingEvent]) -> int: ...


class BatchDelivery:
    def __init__(self, consumer: BatchConsumer, dead_letters: DeadLetters) -> None:
        self._consumer = consumer
        self._one_by_one = Delivery(consumer, dead_letters)
        self.applied = 0

    @property
    def consumer_name(self) -> str:
        return self._consumer.name

    async def deliver(self, events: Sequence[IncomingEvent]) -> None:
        """Returns once every event's effect (or its dead letter) is durable."""
        backoff = 0.1
        failures = 0
        while True:
            try:
                self.applied += await asyncio.to_thread(self._consumer.apply_batch, events)
                CONSUMERS.applied(self.consumer_name, events)
                return
            except PoisonEvent as poison:
                logger.warning(
                    "%s: a batch of %d holds poison (%s); going one by one",
                    self.consumer_name,
                    len(events),
                    poison,
                )
                break
            except TRANSIENT_ERRORS:
                logger.warning(
                    "%s: database unavailable, retrying a batch in %.1fs",
                    self.consumer_name,
                    backoff,
                    exc_info=True,
                )
            except Exception:
                failures += 1
                logger.exception(
                    "%s: batch of %d failed (attempt %d)", self.consumer_name, len(events), failures
                )
                if failures >= MAX_ATTEMPTS_FOR_UNEXPECTED:
                    break
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)
        for event in events:
            await self._one_by_one.deliver(event)
        self.applied += self._one_by_one.applied
        self._one_by_one.applied = 0
