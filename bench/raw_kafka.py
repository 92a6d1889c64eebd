"""Raw Kafka baselines with aiokafka: production, consumption, and produce-to-consume latency.

Production uses the relay's own producer settings (``new_producer``: idempotent, acks=all,
the same linger and batch size), so the only difference left is what the relay does
around it.
"""

from __future__ import annotations

import asyncio
import os
import struct
import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer

from trellis_platform.kafka_sink import KeyHashCache, ensure_topics, new_producer


def _messages(size: int, keys: int) -> tuple[list[bytes], bytes, list[tuple[str, bytes]]]:
    """Keys, one value of ``size`` bytes, and the headers a relayed event carries."""
    key_values = [str(uuid.uuid4()).encode() for _ in range(keys)]
    value = os.urandom(size // 2).hex().encode()[:size]
    headers = [("content-type", b"application/cloudevents+json; charset=UTF-8"),
               ("traceparent", b"00-" + b"1" * 32 + b"-" + b"2" * 16 + b"-01")]
    return key_values, value, headers


async def raw_produce(bootstrap: str, topic: str, *, messages: int, size: int, keys: int = 10_000,
                      partitions: int = 6) -> float:
    """Sends ``messages`` of ``size`` bytes keyed over ``keys`` keys; returns seconds until all acked."""
    await ensure_topics(bootstrap, [topic], partitions)
    producer = new_producer(bootstrap, client_id="bench-raw-producer")
    await producer.start()
    try:
        key_values, value, headers = _messages(size, keys)
        started = time.perf_counter()
        pending = []
        for n in range(messages):
            pending.append(await producer.send(topic, value=value, key=key_values[n % keys], headers=headers))
            if len(pending) >= 10_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def raw_produce_in_batches(bootstrap: str, topic: str, *, messages: int, size: int,
                                 keys: int = 10_000, partitions: int = 6, batch_messages: int = 500) -> float:
    """As ``raw_produce``, through the producer's batch API (``create_batch``/``send_batch``,
    one record batch per partition, keys partitioned as ``send`` would): the fastest way
    aiokafka has to produce, and the way the relay sends a backlog."""
    await ensure_topics(bootstrap, [topic], partitions)
    producer = new_producer(bootstrap, client_id="bench-raw-batch-producer")
    await producer.start()
    try:
        key_values, value, headers = _messages(size, keys)
        partition_of = KeyHashCache()
        everything = sorted(await producer.partitions_for(topic))
        started = time.perf_counter()
        for first in range(0, messages, batch_messages):
            batches: dict[int, Any] = {}
            pending = []
            for n in range(first, min(first + batch_messages, messages)):
                key = key_values[n % keys]
                partition = partition_of(key, everything, everything)
                batch = batches.get(partition)
                if batch is None:
                    batch = batches[partition] = producer.create_batch()
                if batch.append(key=key, value=value, timestamp=None, headers=headers) is None:
                    pending.append(await producer.send_batch(batch, topic, partition=partition))
                    batch = batches[partition] = producer.create_batch()
                    batch.append(key=key, value=value, timestamp=None, headers=headers)
            for partition, batch in batches.items():
                pending.append(await producer.send_batch(batch, topic, partition=partition))
            await asyncio.gather(*pending)
        return time.perf_counter() - started
    finally:
        await producer.stop()


async def raw_consume(bootstrap: str, topic: str, *, expected: int, timeout: float = 300
                      ) -> tuple[int, float, int]:
    """Reads a topic from the start (no group) until ``expected`` records; (records, seconds, bytes)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest",
                                enable_auto_commit=False, max_partition_fetch_bytes=4 * 1_048_576,
                                fetch_max_bytes=16 * 1_048_576)
    await consumer.start()
    try:
        records = 0
        size = 0
        started = time.perf_counter()
        deadline = started + timeout
        while records < expected and time.perf_counter() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for partition_records in batch.values():
                records += len(partition_records)
                size += sum(len(r.value or b"") for r in partition_records)
        return records, time.perf_counter() - started, size
    finally:
        await consumer.stop()


async def produce_to_consume_latency(bootstrap: str, topic: str, *, rate: float, seconds: float,
                                     size: int) -> list[float]:
    """Messages sent at ``rate`` per second, each stamped; the latency of each as a consumer sees it."""
    await ensure_topics(bootstrap, [topic])
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap,
                                group_id=f"bench-latency-{uuid.uuid4().hex[:6]}",
                                auto_offset_reset="latest", enable_auto_commit=False)
    await consumer.start()
    while not consumer.assignment():  # noqa: ASYNC110 - aiokafka offers no event for it
        await asyncio.sleep(0.05)
    for partition in consumer.assignment():
        await consumer.seek_to_end(partition)
    producer = new_producer(bootstrap, client_id="bench-latency-producer")
    await producer.start()
    latencies: list[float] = []
    total = int(rate * seconds)
    padding = b"x" * max(0, size - 8)

    async def read() -> None:
        while len(latencies) < total:
            batch = await consumer.getmany(timeout_ms=200)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    (sent,) = struct.unpack("!d", record.value[:8])
                    latencies.append(now - sent)

    reader = asyncio.create_task(read())
    try:
        started = time.perf_counter()
        pending = []
        for n in range(total):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            value = struct.pack("!d", time.perf_counter()) + padding
            pending.append(await producer.send(topic, value=value, key=str(n % 97).encode()))
        await asyncio.gather(*pending)
        await asyncio.wait_for(reader, timeout=30)
    finally:
        reader.cancel()
        await producer.stop()
        await consumer.stop()
    return latencies
