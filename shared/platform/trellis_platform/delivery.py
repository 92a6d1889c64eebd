"""Delivers an incoming event to a consumer: exactly-once effect, retries, dead letters.

Transient infrastructure errors are retried until they clear (the partition waits, and
says so in the log). An event that can never be applied goes to the dead letters with
its reason, and the consumer moves past it: nothing is dropped silently and nothing
behind it stays blocked.

A consumer that implements ``apply_batch`` gets whole batches, one transaction each
(per event, a commit and two round trips are most of the cost of a rebuild). A batch
that holds poison, or keeps failing, is delivered again event by event, so the good
events are applied and only the bad one is dead-lettered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterator, Sequence
from typing import Any

from opentelemetry import trace

from trellis_platform.command_meta import context_from
from trellis_platform.database import TRANSIENT_DATABASE_ERRORS
from trellis_platform.incoming import (
    DeadLetters,
    EventConsumer,
    IncomingEvent,
    PoisonEvent,
    applies_batches,
)
from trellis_platform.metrics import CONSUMERS, LIVE_BATCH, ConsumerMetrics

logger = logging.getLogger(__name__)
tracer = trace.get_tracer("trellis.delivery")

# Retried until they clear, never dead-lettered: the database is down or restarting.
TRANSIENT_ERRORS = TRANSIENT_DATABASE_ERRORS
MAX_ATTEMPTS_FOR_UNEXPECTED = 3
# Batches up to this size are live traffic: each event gets its own spans in its trace.
PER_EVENT_SPANS_UP_TO = LIVE_BATCH
# A catch-up batch's span links this many of its events' traces, not thousands.
MAX_LINKS = 128
# TRELLIS_CONSUMER_BATCHES=0 delivers every event on its own, even to a consumer that
# applies batches (to compare, or to rule batching out).
SWITCH = "TRELLIS_CONSUMER_BATCHES"


class Delivery:
    def __init__(self, consumer: EventConsumer, dead_letters: DeadLetters,
                 metrics: ConsumerMetrics = CONSUMERS) -> None:
        self._consumer = consumer
        self._dead_letters = dead_letters
        self._metrics = metrics
        self.applied = 0
        self.dead_lettered = 0

    @property
    def consumer_name(self) -> str:
        return self._consumer.name

    @property
    def applies_batches(self) -> bool:
        return applies_batches(self._consumer) and os.environ.get(SWITCH) != "0"

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
                    self._metrics.duplicate(self._consumer.name)
                    return
                await asyncio.to_thread(self._consumer.apply, event)
                self.applied += 1
                self._metrics.applied(self._consumer.name, [event])
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

    async def deliver_batch(self, events: Sequence[IncomingEvent]) -> None:
        """Returns once every event's effect (or its dead letter) is durable."""
        if not events:
            return
        with self._spans(events):
            if self.applies_batches and len(events) > 1 and await self._apply_batch(events):
                return
            for event in events:
                await self._deliver(event)

    async def _apply_batch(self, events: Sequence[IncomingEvent]) -> bool:
        """True once the batch is applied; False when it must go event by event."""
        apply_batch: Any = getattr(self._consumer, "apply_batch")  # noqa: B009 - optional capability
        backoff = 0.1
        unexpected_failures = 0
        while True:
            try:
                applied = await asyncio.to_thread(apply_batch, events)
                self.applied += applied if isinstance(applied, int) else len(events)
                self._metrics.applied(self._consumer.name, events)
                return True
            except PoisonEvent as poison:
                logger.warning("%s: a batch of %d holds poison (%s); delivering one by one",
                               self._consumer.name, len(events), poison)
                return False
            except TRANSIENT_ERRORS:
                logger.warning("%s: database unavailable, retrying a batch of %d in %.1fs",
                               self._consumer.name, len(events), backoff, exc_info=True)
            except Exception:
                unexpected_failures += 1
                logger.exception("%s: failed to apply a batch of %d (attempt %d)",
                                 self._consumer.name, len(events), unexpected_failures)
                if unexpected_failures >= MAX_ATTEMPTS_FOR_UNEXPECTED:
                    return False
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    @contextlib.contextmanager
    def _spans(self, events: Sequence[IncomingEvent]) -> Iterator[None]:
        """Each live event's own trace shows it processed and applied, though many share a batch.

        A batch of live traffic (up to ``PER_EVENT_SPANS_UP_TO`` events) gets, per event, a
        ``process`` span continuing the producer's trace (FastStream's consume span of a
        batch starts a trace of its own that only links the messages) and the ``apply`` span
        under it, both lasting as long as the batch. A bigger batch is a consumer catching
        up or a rebuild replaying history: it gets one ``apply`` span linked to its events'
        traces (two spans per event were a third of a rebuild's time).
        """
        spans = []
        if len(events) <= PER_EVENT_SPANS_UP_TO:
            for event in events:
                attributes = {"trellis.consumer": self._consumer.name, "trellis.position": _position(event)}
                process = tracer.start_span(f"process {event.topic}", context=context_from(event.headers),
                                            kind=trace.SpanKind.CONSUMER, attributes=attributes)
                apply = tracer.start_span(f"apply {event.topic}", context=trace.set_span_in_context(process),
                                          kind=trace.SpanKind.CONSUMER, attributes=attributes)
                spans += [apply, process]
        else:
            links = [trace.Link(trace.get_current_span(context_from(e.headers)).get_span_context())
                     for e in events[:MAX_LINKS] if e.headers]
            spans.append(tracer.start_span(
                f"apply {events[0].topic} (batch)", kind=trace.SpanKind.CONSUMER, links=links,
                attributes={"trellis.consumer": self._consumer.name, "trellis.batch_size": len(events),
                            "trellis.first_position": _position(events[0]),
                            "trellis.last_position": _position(events[-1])}))
        try:
            yield
        finally:
            for span in spans:
                span.end()

    async def _dead_letter(self, event: IncomingEvent, reason: str) -> None:
        logger.error("%s: dead-lettering event at %s: %s", self._consumer.name, event.position, reason)
        backoff = 0.1
        while True:
            try:
                await self._dead_letters.send(event, self._consumer.name, reason)
                await asyncio.to_thread(self._consumer.record_position, event.position)
                self.dead_lettered += 1
                self._metrics.dead_lettered(self._consumer.name)
                return
            except Exception:
                logger.warning("%s: cannot store dead letter yet, retrying", self._consumer.name,
                               exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)


def _position(event: IncomingEvent) -> str:
    return f"{event.position.application_name}@{event.position.notification_id}"
