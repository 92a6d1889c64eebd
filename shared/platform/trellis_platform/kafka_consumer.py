"""Runs consumers on Kafka with FastStream: manual acks after the effect is durable."""

from __future__ import annotations

from eventsourcing.persistence import Tracking
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider

from trellis_platform.delivery import Delivery
from trellis_platform.incoming import IncomingEvent


def new_broker(bootstrap: str, *, client_id: str, tracer_provider: TracerProvider) -> KafkaBroker:
    return KafkaBroker(
        bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        middlewares=(KafkaTelemetryMiddleware(tracer_provider=tracer_provider),),
    )


def incoming_from_kafka(message: KafkaMessage) -> IncomingEvent:
    record = message.raw_message
    assert not isinstance(record, tuple), "batch records are delivered one by one"
    headers = {k: v.decode("utf-8", "replace") for k, v in (record.headers or ())}
    return IncomingEvent(
        topic=record.topic,
        key=record.key.decode("utf-8", "replace") if record.key else None,
        value=record.value or b"",
        position=Tracking(f"{record.topic}:{record.partition}", record.offset),
        headers=headers,
    )


def subscribe(broker: KafkaBroker, delivery: Delivery, topics: tuple[str, ...]) -> None:
    """One consumer group per consumer, reading from the start of each topic.

    The offset is committed only after ``deliver`` returned, i.e. after the effect and
    its tracking record committed; a redelivery after a crash is recognised by the
    tracking record and changes nothing.
    """

    @broker.subscriber(
        *topics,
        group_id=delivery.consumer_name,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,
        title=f"{delivery.consumer_name}",
    )
    async def on_event(message: KafkaMessage) -> None:
        await delivery.deliver(incoming_from_kafka(message))
        await message.ack()
