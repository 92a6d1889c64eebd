"""The ledger consumer on Kafka without a per-message framework layer: aiokafka's
``getmany`` hands a batch of records, the batch is applied in one transaction, and
the group's offsets are committed after it (at least once; the tracking records make
the effect exactly once). Measured against FastStream's batch subscriber in
bench/ledger.py: FastStream builds a message object per record, which at thousands of
records per second costs more than the ledger's own work.
"""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaConsumer
from aiokafka.errors import CommitFailedError

from trellis_budget.consumers.batch_delivery import BatchDelivery
from trellis_platform.kafka_consumer import incoming_from_record, record_lag

logger = logging.getLogger(__name__)

MAX_RECORDS = 2000


async def run_batch_loop(
    delivery: BatchDelivery,
    *,
    bootstrap: str,
    topics: tuple[str, ...],
    client_id: str,
    stopping: asyncio.Event,
    max_records: int = MAX_RECORDS,
) -> None:
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        client_id=client_id,
        group_id=delivery.consumer_name,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=4 * 1_048_576,
    )
    await consumer.start()
    try:
        while not stopping.is_set():
            fetched = await consumer.getmany(timeout_ms=500, max_records=max_records)
            records = [record for partition in fetched.values() for record in partition]
            if not records:
                continue
            # Delivery traces it: live events in their commands' traces, a catch-up as one span.
            await delivery.deliver([incoming_from_record(record) for record in records])
            try:
                await consumer.commit()
            except CommitFailedError:
                # The group rebalanced while the batch was applied: the partition's new
                # owner reads it again and its tracking records recognise it.
                logger.warning("%s: offsets not committed after a rebalance", delivery.consumer_name)
                continue
            record_lag(delivery.consumer_name, consumer, records)
    finally:
        await consumer.stop()
