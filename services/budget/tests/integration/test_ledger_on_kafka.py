"""The ledger consumer on a real Kafka topic: FastStream's batch subscriber, acknowledged
after each batch's transaction; a restarted consumer group applies nothing twice."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import uuid4

import pytest
from budget_test_kit import envelope, person, time_logged
from opentelemetry.sdk.trace import TracerProvider

from trellis_budget.consumers.batch_delivery import BatchDelivery
from trellis_budget.consumers.kafka_batches import subscribe_batches
from trellis_budget.wiring import Budget
from trellis_platform.dead_letters import TableDeadLetters
from trellis_platform.kafka_consumer import new_broker
from trellis_platform.kafka_sink import ensure_topics, new_producer

pytestmark = pytest.mark.kafka


async def consume_until(budget: Budget, bootstrap: str, topic: str, database_url: str, applied: int) -> int:
    delivery = BatchDelivery(budget.ledger_consumer(), TableDeadLetters(database_url, "budget"))
    broker = new_broker(bootstrap, client_id="test-ledger", tracer_provider=TracerProvider())
    subscribe_batches(broker, delivery, (topic,), max_records=25)
    await broker.start()
    try:
        for _ in range(600):
            if delivery.applied >= applied:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # anything more would show up now
    finally:
        await broker.stop()
    return delivery.applied


async def test_time_entries_from_kafka_reach_the_ledger_once(
    budget: Budget,
    kafka_bootstrap: str,
    database_url: str,
) -> None:
    org, project = uuid4(), uuid4()
    topic = f"test.ledger.{uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], partitions=3)
    ada = person(org, "developer")
    entries = [time_logged(org, project, ada.resource_id, date(2026, 1, 1 + n % 28), 60) for n in range(60)]
    producer = new_producer(kafka_bootstrap, client_id="test-planning")
    await producer.start()
    try:
        await producer.send_and_wait(topic, envelope(ada, subject=ada.resource_id), key=b"ada")
        for entry in entries:
            await producer.send(
                topic, envelope(entry, subject=entry.time_entry_id), key=str(entry.time_entry_id).encode()
            )
        await producer.flush()
    finally:
        await producer.stop()
    assert await consume_until(budget, kafka_bootstrap, topic, database_url, applied=61) == 61
    sources = budget.queries.uncosted_sources(org, project)
    assert sources == 60, "no rate for developers yet: recorded, waiting for one"
    assert await consume_until(budget, kafka_bootstrap, topic, database_url, applied=1) == 0, (
        "the group's committed offsets and the tracking records agree: nothing is applied again"
    )
