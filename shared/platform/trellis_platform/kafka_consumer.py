"""Runs consumers on Kafka with FastStream: manual acks after the effect is durable."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from aiokafka import TopicPartition
from eventsourcing.persistence import Tracking
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.message import StreamMessage
from opentelemetry.sdk.trace import TracerProvider

from trellis_platform.delivery import Delivery
from trellis_platform.incoming import IncomingEvent
from trellis_platform.metrics import CONSUMERS

# A batch is what one poll returns, up to this many records: big enough to spread a
# transaction's commit over many events, small enough to keep one transaction short.
MAX_BATCH_RECORDS = 1000
# How long an idle poll waits for records. FastStream also sleeps this long after an
# empty poll, so it bounds the extra latency an idle consumer adds to the next event.
BATCH_WAIT_MS = 20


def new_broker(bootstrap: str, *, client_id: str, tracer_provider: TracerProvider) -> KafkaBroker:
    _faststream_logs_through_ours()
    return KafkaBroker(
        bootstrap,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        middlewares=(KafkaTelemetryMiddleware(tracer_provider=tracer_provider),),
        # FastStream's own logger wrote an unstructured INFO line per message received and
        # per message processed; through ours they are JSON, and those two are DEBUG (its
        # failures keep their level).
        logger=logging.getLogger("faststream.kafka"),
        log_level=logging.DEBUG,
    )


def _faststream_logs_through_ours() -> None:
    """FastStream gives its ``faststream`` logger a coloured stdout handler of its own and
    stops it propagating, so its start-up, partition-assignment and failure lines (its
    broker's logger is a child) bypassed our JSON handler. They go through ours instead."""
    faststream = logging.getLogger("faststream")
    faststream.handlers.clear()
    faststream.propagate = True


def incoming_from_record(record: Any) -> IncomingEvent:
    """An aiokafka ConsumerRecord as a consumer receives it: position = topic:partition@offset,
    published when the producer sent it (the record's timestamp, in milliseconds)."""
    headers = {k: v.decode("utf-8", "replace") for k, v in (record.headers or ())}
    return IncomingEvent(
        topic=record.topic,
        key=record.key.decode("utf-8", "replace") if record.key else None,
        value=record.value or b"",
        position=Tracking(f"{record.topic}:{record.partition}", record.offset),
        headers=headers,
        published_at=record.timestamp / 1000 if record.timestamp and record.timestamp > 0 else None,
    )


def record_lag(consumer: str, kafka: Any, records: Sequence[Any]) -> None:
    """How far behind each partition of ``records`` the consumer is, now that they are
    applied: the partition's high watermark as of the last fetch (``kafka`` is the
    AIOKafkaConsumer that fetched them), less the next offset."""
    last: dict[tuple[str, int], int] = {}
    for record in records:
        last[(record.topic, record.partition)] = record.offset
    for (topic, partition), offset in last.items():
        highwater = kafka.highwater(TopicPartition(topic, partition))
        if highwater is not None:
            CONSUMERS.lag(consumer, topic, partition, highwater - offset - 1)


def incoming_from_kafka(message: KafkaMessage) -> IncomingEvent:
    record = message.raw_message
    assert not isinstance(record, tuple), "batch records are delivered one by one"
    return incoming_from_record(record)


async def _not_decoded(message: StreamMessage[Any]) -> None:
    """The handlers read the records themselves (``raw_message``): FastStream need not
    decode every body as JSON first (a tenth of a rebuild's time, for nothing)."""
    return None


def subscribe(broker: KafkaBroker, delivery: Delivery, topics: tuple[str, ...]) -> None:
    """One consumer group per consumer, reading from the start of each topic.

    The offset is committed only after ``deliver`` returned, i.e. after the effect and
    its tracking record committed; a redelivery after a crash is recognised by the
    tracking record and changes nothing. A consumer that applies batches gets each poll
    as one batch, and one offset commit per batch instead of one per event.
    """
    if delivery.applies_batches:
        _subscribe_batches(broker, delivery, topics)
        return

    @broker.subscriber(
        *topics,
        group_id=delivery.consumer_name,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,
        decoder=_not_decoded,
        title=f"{delivery.consumer_name}",
    )
    async def on_event(message: KafkaMessage) -> None:
        await delivery.deliver(incoming_from_kafka(message))
        await message.ack()
        record_lag(delivery.consumer_name, message.consumer, [message.raw_message])


def _subscribe_batches(broker: KafkaBroker, delivery: Delivery, topics: tuple[str, ...]) -> None:
    @broker.subscriber(
        *topics,
        group_id=delivery.consumer_name,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,
        batch=True,
        max_records=MAX_BATCH_RECORDS,
        batch_timeout_ms=BATCH_WAIT_MS,
        decoder=_not_decoded,
        title=f"{delivery.consumer_name} (batches)",
    )
    async def on_batch(message: KafkaMessage) -> None:
        records = message.raw_message if isinstance(message.raw_message, tuple) else (message.raw_message,)
        await delivery.deliver_batch([incoming_from_record(record) for record in records])
        await message.ack()
        record_lag(delivery.consumer_name, message.consumer, records)
