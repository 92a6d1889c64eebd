"""The ledger consumer on Kafka: FastStream's batch subscriber, manual acknowledgement
after the batch's transaction committed (so a crash redelivers, and the tracking
records recognise what was already applied)."""

from __future__ import annotations

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from trellis_budget.consumers.batch_delivery import BatchDelivery
from trellis_platform.kafka_consumer import incoming_from_record, record_lag

MAX_RECORDS = 2000


def subscribe_batches(
    broker: KafkaBroker, delivery: BatchDelivery, topics: tuple[str, ...], *, max_records: int = MAX_RECORDS
) -> None:
    @broker.subscriber(
        *topics,
        group_id=delivery.consumer_name,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.MANUAL,
        batch=True,
        max_records=max_records,
        batch_timeout_ms=50,
        title=f"{delivery.consumer_name} (batches)",
    )
    async def on_batch(message: KafkaMessage) -> None:
        records = message.raw_message if isinstance(message.raw_message, tuple) else (message.raw_message,)
        await delivery.deliver([incoming_from_record(record) for record in records])
        await message.ack()
        record_lag(delivery.consumer_name, message.consumer, records)
