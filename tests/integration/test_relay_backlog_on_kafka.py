"""A backlog leaves for Kafka the way a relay process sends it (read ahead in a worker
process, published in record batches per partition): every event once, each aggregate's
events in the order they were stored."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from uuid import uuid4

from aiokafka import AIOKafkaConsumer

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_planning.publishing.mapping import to_integration_events
from trellis_planning.wiring import Planning, build_planning
from trellis_platform.kafka_sink import PER_EVENT_SPANS_UP_TO, KafkaSink, ensure_topics, new_producer
from trellis_platform.read_ahead import read_and_map

BATCH = 2 * PER_EVENT_SPANS_UP_TO  # big enough to take the catching-up path


def store_a_backlog(planning: Planning) -> set[str]:
    """Projects with tasks: each project's aggregate records several versions."""
    organisation = uuid4()
    projects = set()
    for n in range(30):
        project = planning.application.create_project(
            organisation_id=organisation, client_id=uuid4(), name=f"Fit-out {n}",
            starts_on=date(2026, 1, 5), ends_on=date(2026, 9, 30), meta={"actor": "test"})
        for t in range(4):
            planning.application.create_task(organisation_id=organisation, project_id=project.id,
                                             title=f"Task {t}", meta={"actor": "test"},
                                             details={"duration_days": 3})
        projects.add(str(project.id))
    return projects


async def test_a_backlog_reaches_kafka_whole_and_in_order_per_aggregate(database_url: str,
                                                                          kafka_bootstrap: str) -> None:
    await ensure_topics(kafka_bootstrap, [PLANNING_EVENTS_V1])
    planning = build_planning(database_url, pool_size=2)
    consumer = AIOKafkaConsumer(PLANNING_EVENTS_V1, bootstrap_servers=kafka_bootstrap, group_id=None,
                                auto_offset_reset="earliest")
    producer = new_producer(kafka_bootstrap, client_id="test-backlog-relay")
    await producer.start()
    relay = planning.relay(KafkaSink(producer), batch_size=BATCH)
    relay.read_ahead_in_worker_process()
    try:
        store_a_backlog(planning)
        expected = read_and_map(planning.application.recorder, planning.application.mapper,
                                to_integration_events, relay.position(), 100_000).events
        assert len(expected) > 2 * BATCH
        while await relay.relay_batch():
            pass
        assert relay.lag() == 0

        wanted = {e.envelope.id for e in expected}
        ours = {e.key.encode() for e in expected}  # the topic is shared with other tests' messages
        arrived: dict[str, list[str]] = defaultdict(list)
        await consumer.start()
        give_up = time.monotonic() + 60
        while sum(map(len, arrived.values())) < len(wanted) and time.monotonic() < give_up:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    if record.key not in ours:
                        continue
                    envelope = CloudEvent.model_validate_json(record.value or b"")
                    if envelope.id in wanted:
                        arrived[envelope.subject].append(envelope.id)
    finally:
        relay.stop()
        await consumer.stop()
        await producer.stop()
        planning.close()

    stored: dict[str, list[str]] = defaultdict(list)
    for event in expected:
        stored[event.key].append(event.envelope.id)
    assert arrived == stored, "each aggregate's events arrive once, in the order they were stored"
