"""3. Relay throughput: events per second from the event store onto Kafka.

Figure: planning's relay process (``python -m trellis_planning relay``) working through a
backlog of stored history (1,000 projects, about 104,000 events: projects, milestones,
tasks created and moved, schedule shifts, progress), from its first acknowledged batch
to the last. Each stored event is read, mapped to its integration event, published as a
CloudEvent (idempotent producer, acks=all) and the position recorded after the ack.
The relay reads and maps ahead in a worker process and sends a backlog as one record
batch per partition.
Baseline, same run: raw aiokafka production with the same producer settings of as many
messages of the same average size, keyed over as many keys, one ``send`` per message
(the goal's baseline); and the same through aiokafka's batch API, the fastest it
produces (reported beside it, so the relay's distance from the machine's limit shows).
Goal: the relay at least a fifth of raw production.

Run: ``uv run python -m bench.relay``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench.auth import Issuer
from bench.history import History, relay_position, seeded_store, store_size, watch_relay
from bench.infra import Infra, end_offsets, infrastructure, recreate_topics
from bench.raw_kafka import raw_produce, raw_produce_in_batches
from bench.report import Figure, write_result
from bench.services import PLANNING_RELAY, Services
from trellis_contracts.topics import PLANNING_EVENTS_V1, dead_letter_topic

PROJECTS = 1_000
PLANNING_RELAY_BATCH = 500  # the relay's own batch size (Planning.relay)
RAW_TOPIC = "bench.raw-produce"


async def topic_bytes(bootstrap: str, topic: str, sample: int = 2000) -> float:
    """The average size of a record's value on ``topic`` (from its first records)."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest")
    await consumer.start()
    try:
        sizes: list[int] = []
        while len(sizes) < sample:
            batch = await consumer.getmany(timeout_ms=1000, max_records=sample)
            if not batch:
                break
            sizes += [len(r.value or b"") for records in batch.values() for r in records]
        return sum(sizes) / len(sizes) if sizes else 0.0
    finally:
        await consumer.stop()


def measure(infra: Infra, issuer: Issuer, history: History, *, label: str, timeout: float = 300,
            fresh_topic: bool = True) -> tuple[list[Figure], dict[str, Any]]:
    """Relays what ``history`` holds beyond the relay's position onto the planning topic
    (a fresh one unless told otherwise); returns figures and what they saw."""
    recreate_topics(infra.bootstrap, [PLANNING_EVENTS_V1, dead_letter_topic(PLANNING_EVENTS_V1), RAW_TOPIC]
                    if fresh_topic else [RAW_TOPIC])
    before = 0 if fresh_topic else sum(asyncio.run(end_offsets(infra.bootstrap, PLANNING_EVENTS_V1)).values())
    start = relay_position(history.database_url)
    target = store_size(history.database_url)
    with Services(infra, issuer, history.database_url) as services:
        services.start(PLANNING_RELAY)
        first, last, seconds = watch_relay(history.database_url, target, timeout=timeout)
        memory = services.memory()
    offsets = asyncio.run(end_offsets(infra.bootstrap, PLANNING_EVENTS_V1))
    messages = sum(offsets.values()) - before
    stored_rate = (last - first) / seconds if seconds else 0.0
    message_rate = stored_rate * messages / (last - start) if last > start else 0.0
    size = asyncio.run(topic_bytes(infra.bootstrap, PLANNING_EVENTS_V1))
    raw_messages = max(1000, int(message_rate * min(seconds, 30))) if message_rate else messages
    raw_seconds = asyncio.run(raw_produce(infra.bootstrap, RAW_TOPIC, messages=raw_messages, size=int(size),
                                          keys=max(1, history.projects * 25)))
    raw_rate = raw_messages / raw_seconds
    batch_seconds = asyncio.run(raw_produce_in_batches(
        infra.bootstrap, RAW_TOPIC, messages=raw_messages, size=int(size), keys=max(1, history.projects * 25),
        batch_messages=PLANNING_RELAY_BATCH))
    batch_rate = raw_messages / batch_seconds
    seen = {"stored_events": target, "relayed_stored_events": last - start, "kafka_messages": messages,
            "message_bytes_avg": round(size), "relay_seconds": round(seconds, 2),
            "raw_messages": raw_messages, "raw_seconds": round(raw_seconds, 2),
            "raw_batch_seconds": round(batch_seconds, 2), "memory_mib": memory,
            "complete": last >= target}
    conditions = {"projects": history.projects, "stored_events": target,
                  "relayed_stored_events": last - start,
                  "kafka_messages": messages,
                  "message_bytes_avg": round(size), "partitions": len(offsets),
                  "producer": "idempotent, acks=all",
                  "relay_seconds": round(seconds, 2), "complete": last >= target, "memory_mib": memory}
    figures = [
        Figure(f"relay{label}: Kafka messages per second", round(message_rate, 1), "messages/s",
               "raw aiokafka production, same settings and size", round(raw_rate, 1), True, conditions),
        Figure(f"relay{label}: stored events per second", round(stored_rate, 1), "events/s",
               "raw aiokafka production, same settings and size", round(raw_rate, 1), True, conditions),
        Figure(f"relay{label}: Kafka messages per second vs batch production", round(message_rate, 1),
               "messages/s", "raw aiokafka batch API production (send_batch), same settings and size",
               round(batch_rate, 1), True, conditions),
    ]
    return figures, seen


NOTES = ("Goal: the relay at least a fifth of raw production (one send per message). Stored events "
         "that have no public counterpart are read and skipped; messages/s counts what reached Kafka. "
         "The relay sends a backlog through aiokafka's batch API; raw production through the same API "
         "is the third row's baseline.")


def write(figures: list[Figure]) -> None:
    print(f"wrote {write_result('relay', figures, notes=NOTES)}")


def main() -> None:
    with infrastructure() as infra, Issuer() as issuer:
        history = seeded_store(infra, "relay", PROJECTS)
        print(f"  seeded {history.events} events in {history.seed_seconds:.1f}s", flush=True)
        figures, seen = measure(infra, issuer, history, label="")
        print(f"  {seen}", flush=True)
    write(figures)


if __name__ == "__main__":
    main()
