"""Delivers integration events to consumers in the same process (the embedded mode).

The relay awaits every consumer before it records its position, exactly as it awaits
Kafka's acknowledgement in the distributed mode; the consumers' code is the same.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from eventsourcing.persistence import Tracking

from trellis_platform.delivery import Delivery
from trellis_platform.incoming import IncomingEvent
from trellis_platform.outgoing import OutgoingEvent


class InProcessSink:
    def __init__(self, source_name: str) -> None:
        self._source_name = source_name
        self._subscribers: list[tuple[Delivery, tuple[str, ...]]] = []

    def subscribe(self, delivery: Delivery, topics: tuple[str, ...]) -> None:
        self._subscribers.append((delivery, topics))

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        published_at = time.time()
        incoming = [
            IncomingEvent(
                topic=event.topic,
                key=event.key,
                value=event.value,
                # One stream per producing service and topic: its notification ids
                # increase, which is what tracking records expect.
                position=Tracking(f"{self._source_name}:{event.topic}", event.notification_id),
                headers=dict(event.headers),
                published_at=published_at,
            )
            for event in events
        ]
        # Each consumer gets the relay's batch at once (one transaction if it applies
        # batches), in the order the events were stored.
        for delivery, topics in self._subscribers:
            await delivery.deliver_batch([e for e in incoming if e.topic in topics])
