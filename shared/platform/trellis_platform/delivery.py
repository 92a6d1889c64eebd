"""Delivers an incoming event to a consumer: exactly-once effect, retries, dead letters.

Transient infrastructure errors are retried until they clear (the partition waits, and
says so in the log). An event that can never be applied goes to the dead letters with
its reason, and the consumer moves past it: nothing is dropped silently and nothing
behind it stays blocked.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from opentelemetry import trace

from trellis_platform.command_meta import context_from
from trellis_platform.incoming import DeadLetters, EventConsumer, IncomingEvent, PoisonEvent

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("trellis.delivery")

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (psycopg.OperationalError, psycopg.InterfaceError)
MAX_ATTEMPTS_FOR_UNEXPECTED = 3


class Delivery:
    def __init__(self, consumer: EventConsumer, dead_letters: DeadLetters) -> None:
        self._consumer = consumer
        self._dead_letters = dead_letters
        self.applied = 0
        self.dead_lettered = 0

    @property
    def consumer_name(self) -> str:
        return self._consumer.name

    async def deliver(self, event: IncomingEvent) -> None:
        """Returns once the event's effect (or its dead letter) is durable."""
        # Under FastStream the telemetry middleware already continued the producer's
        # trace; in-process there is no such span, so continue it from the headers.
        inherited = trace.get_current_span().get_span_context().is_valid
        with tracer.start_as_current_span(
            f"apply {event.topic}",
            context=None if inherited else context_from(event.headers),
            kind=trace.SpanKind.CONSUMER,
            attributes={"trellis.consumer": self._consumer.name, "trellis.position": _position(event)},
        ):
            await self._deliver(event)

    async def _deliver(self, event: IncomingEvent) -> None:
        backoff = 0.1
        unexpected_failures = 0
        while True:
            try:
                if await asyncio.to_thread(self._consumer.has_applied, event.position):
                    return
                await asyncio.to_thread(self._consumer.apply, event)
                self.applied += 1
                return
            except PoisonEvent as poison:
                await self._dead_letter(event, str(poison))
                return
            except TRANSIENT_ERRORS:
                logger.warning("%s: database unavailable, retrying event at %s in %.1fs",
                               self._consumer.name, event.position, backoff, exc_info=True)
            except Exception as error:
                unexpected_failures += 1
                if unexpected_failures >= MAX_ATTEMPTS_FOR_UNEXPECTED:
                    await self._dead_letter(event, f"{type(error).__name__}: {error}")
                    return
                logger.exception("%s: failed to apply event at %s (attempt %d)",
                                 self._consumer.name, event.position, unexpected_failures)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _dead_letter(self, event: IncomingEvent, reason: str) -> None:
        logger.error("%s: dead-lettering event at %s: %s", self._consumer.name, event.position, reason)
        backoff = 0.1
        while True:
            try:
                await self._dead_letters.send(event, self._consumer.name, reason)
                await asyncio.to_thread(self._consumer.record_position, event.position)
                self.dead_lettered += 1
                return
            except Exception:
                logger.warning("%s: cannot store dead letter yet, retrying", self._consumer.name,
                               exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)


def _position(event: IncomingEvent) -> str:
    return f"{event.position.application_name}@{event.position.notification_id}"
