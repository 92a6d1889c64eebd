"""What the invariants need from Kafka: every record of a topic, end and committed offsets."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from tests.faults.harness import EVENT_TOPICS
from trellis_contracts.topics import (
    BUDGET_EVENTS_V1,
    IDENTITY_EVENTS_V1,
    PLANNING_EVENTS_V1,
    PORTAL_EVENTS_V1,
    dead_letter_topic,
)

# Each consumer group and the topics it reads (its Kafka group id is the consumer's name).
GROUPS: dict[str, tuple[str, ...]] = {
    "portal.projects": (PLANNING_EVENTS_V1,),
    "portal.budget": (BUDGET_EVENTS_V1,),
    "portal.identity": (IDENTITY_EVENTS_V1,),
    "budget.ledger": (PLANNING_EVENTS_V1, BUDGET_EVENTS_V1),
    "budget.client_decisions": (PORTAL_EVENTS_V1,),
}


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def position(self) -> str:
        """As consumers name it in their tracking records and dead-letter headers."""
        return f"{self.topic}:{self.partition}@{self.offset}"


def subscribers(topic: str) -> list[str]:
    return sorted(group for group, topics in GROUPS.items() if topic in topics)


async def read_all(bootstrap: str, topics: tuple[str, ...]) -> dict[str, list[Record]]:
    """Every record of each topic, from the first offset to the end as of now."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                              max_partition_fetch_bytes=4 * 1_048_576)
    await reader.start()
    records: dict[str, list[Record]] = {topic: [] for topic in topics}
    try:
        partitions = [TopicPartition(topic, p) for topic in topics
                      for p in sorted(await _partitions(reader, topic))]
        if not partitions:
            return records
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        ends = await reader.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        while remaining:
            batch = await reader.getmany(*remaining, timeout_ms=1000, max_records=10_000)
            for tp, got in batch.items():
                for r in got:
                    if r.offset < ends[tp]:
                        records[tp.topic].append(Record(
                            r.topic, r.partition, r.offset, r.key.decode() if r.key else None,
                            r.value or b"", {k: v.decode("utf-8", "replace") for k, v in r.headers or ()}))
                if got and got[-1].offset + 1 >= ends[tp]:
                    remaining.discard(tp)
    finally:
        await reader.stop()
    return records


async def _partitions(reader: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(50):
        found = reader.partitions_for_topic(topic)
        if found:
            return set(found)
        await reader._client.force_metadata_update()  # no public way to ask again
        await asyncio.sleep(0.1)
    return set()


async def end_offsets(bootstrap: str, topics: tuple[str, ...]) -> dict[str, int]:
    """``topic:partition`` -> the offset the next record will get."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await reader.start()
    try:
        partitions = [TopicPartition(topic, p) for topic in topics
                      for p in sorted(await _partitions(reader, topic))]
        ends = await reader.end_offsets(partitions) if partitions else {}
    finally:
        await reader.stop()
    return {f"{tp.topic}:{tp.partition}": offset for tp, offset in ends.items()}


async def committed_offsets(bootstrap: str, groups: list[str]) -> dict[str, dict[str, int]]:
    """group -> ``topic:partition`` -> its committed offset (absent: nothing committed)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        found: dict[str, dict[str, int]] = {}
        for group in groups:
            offsets = await admin.list_consumer_group_offsets(group)
            found[group] = {f"{tp.topic}:{tp.partition}": meta.offset for tp, meta in offsets.items()
                            if meta.offset >= 0}
        return found
    finally:
        await admin.close()


async def lagging(bootstrap: str) -> dict[str, int]:
    """Per consumer group, how many records it has not committed past yet."""
    topics = tuple(sorted({t for ts in GROUPS.values() for t in ts}))
    ends = await end_offsets(bootstrap, topics)
    committed = await committed_offsets(bootstrap, list(GROUPS))
    lag: dict[str, int] = {}
    for group, read in GROUPS.items():
        lag[group] = sum(end - committed[group].get(tp, 0) for tp, end in ends.items()
                         if tp.rsplit(":", 1)[0] in read)
    return lag


DEAD_LETTER_TOPICS = tuple(dead_letter_topic(t) for t in EVENT_TOPICS)
