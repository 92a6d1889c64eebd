"""Publishes integration events to Kafka: idempotent producer, acks=all, keyed by aggregate."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from opentelemetry import propagate, trace

from trellis_contracts.envelope import CLOUDEVENTS_CONTENT_TYPE
from trellis_platform.command_meta import context_from
from trellis_platform.outgoing import OutgoingEvent

tracer = trace.get_tracer("trellis.relay")

DEFAULT_PARTITIONS = 6


def new_producer(bootstrap: str, *, client_id: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=1_048_576,
        compression_type=None,
        request_timeout_ms=30_000,
    )


async def ensure_topics(bootstrap: str, topics: Sequence[str], partitions: int = DEFAULT_PARTITIONS) -> None:
    """Creates missing topics with a fixed partition count (keys stay on their partition)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [NewTopic(name=t, num_partitions=partitions, replication_factor=1) for t in missing]
                )
    finally:
        await admin.close()


class KafkaSink:
    def __init__(self, producer: AIOKafkaProducer) -> None:
        self._producer = producer

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        pending = []
        for event in events:
            with tracer.start_as_current_span(
                f"publish {event.topic}",
                context=context_from(event.headers),
                kind=trace.SpanKind.PRODUCER,
                attributes={"messaging.system": "kafka", "messaging.destination.name": event.topic,
                            "cloudevents.event_type": event.envelope.type},
            ):
                headers: dict[str, str] = {"content-type": CLOUDEVENTS_CONTENT_TYPE}
                propagate.inject(headers)
                pending.append(
                    await self._producer.send(
                        event.topic,
                        value=event.envelope.model_dump_json().encode(),
                        key=event.key.encode(),
                        headers=[(k, v.encode()) for k, v in headers.items()],
                    )
                )
        # Every future must resolve: only then has the broker acknowledged them all.
        await asyncio.gather(*pending)
