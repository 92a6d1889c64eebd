"""Every message carries its command's trace, whether the relay is live or catching up;
catching up, it goes out in one record batch per partition, each key on its own partition."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka.errors import MessageSizeTooLargeError

from trellis_contracts.envelope import CloudEvent
from trellis_platform.kafka_sink import PER_EVENT_SPANS_UP_TO, KafkaSink, KeyHashCache
from trellis_platform.outgoing import OutgoingEvent

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


class FakeBatch:
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.records: list[tuple[bytes, bytes, list[tuple[str, bytes]]]] = []

    def append(self, *, key: bytes, value: bytes, timestamp: None, headers: list[tuple[str, bytes]]) -> Any:
        if len(self.records) == self.capacity:
            return None
        self.records.append((key, value, headers))
        return object()


class FakeProducer:
    """Records what it is given: messages one by one, or whole batches by partition."""

    PARTITIONS = 6

    def __init__(self, batch_capacity: int = 1000) -> None:
        self.sent: list[dict[str, str]] = []
        self.batches: list[tuple[int, FakeBatch]] = []
        self._batch_capacity = batch_capacity

    async def send(self, topic: str, *, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> Any:
        self.sent.append({k: v.decode() for k, v in headers})
        return done()

    async def partitions_for(self, topic: str) -> set[int]:
        return set(range(self.PARTITIONS))

    def create_batch(self) -> FakeBatch:
        return FakeBatch(self._batch_capacity)

    async def send_batch(self, batch: FakeBatch, topic: str, *, partition: int) -> Any:
        self.batches.append((partition, batch))
        self.sent.extend({k: v.decode() for k, v in headers} for _, _, headers in batch.records)
        return done()


def done() -> asyncio.Future[None]:
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    future.set_result(None)
    return future


def outgoing(n: int, subject: str | None = None) -> OutgoingEvent:
    envelope = CloudEvent(id=str(uuid.uuid4()), source="/test", type="com.trellis.test.thing.done.v1",
                          subject=subject or str(uuid.uuid4()), time=datetime.now(UTC),
                          dataschema="schemas/x", organisationid=str(uuid.uuid4()),
                          aggregateversion=n + 1, data={})
    parent = f"{n + 1:016x}"
    return OutgoingEvent(topic="t", key=envelope.subject, envelope=envelope, notification_id=n + 1,
                         headers={"traceparent": f"00-{TRACE_ID}-{parent}-01"})


async def test_a_live_event_is_published_in_a_span_of_its_commands_trace() -> None:
    producer = FakeProducer()
    await KafkaSink(producer).publish([outgoing(0)])
    (headers,) = producer.sent
    _, trace_id, _, _ = headers["traceparent"].split("-")
    assert trace_id == TRACE_ID, "the publish span is in the command's trace"
    assert headers["content-type"].startswith("application/cloudevents+json")


async def test_a_catching_up_batch_keeps_each_commands_trace_context() -> None:
    producer = FakeProducer()
    events = [outgoing(n) for n in range(PER_EVENT_SPANS_UP_TO + 10)]
    await KafkaSink(producer).publish(events)
    sent = {h["traceparent"] for h in producer.sent}
    assert len(producer.sent) == len(events)
    assert sent == {e.headers["traceparent"] for e in events}


async def test_a_catching_up_batch_puts_each_key_on_the_partition_the_producer_would() -> None:
    producer = FakeProducer()
    keys = [str(uuid.uuid4()) for _ in range(8)]
    events = [outgoing(n, subject=keys[n % len(keys)]) for n in range(12 * len(keys))]
    await KafkaSink(producer).publish(events)
    partition_of = KeyHashCache()
    everything = list(range(FakeProducer.PARTITIONS))
    for partition, batch in producer.batches:
        assert {partition_of(key, everything, everything) for key, _, _ in batch.records} == {partition}
    for key in keys:
        versions = [CloudEvent.model_validate_json(value).aggregateversion
                    for _, batch in producer.batches for k, value, _ in batch.records if k == key.encode()]
        assert versions == sorted(versions), "one key's events leave in the order they were stored"
        assert len(versions) == 12


async def test_a_full_batch_is_sent_and_the_rest_goes_into_the_next() -> None:
    producer = FakeProducer(batch_capacity=7)
    key = str(uuid.uuid4())
    events = [outgoing(n, subject=key) for n in range(PER_EVENT_SPANS_UP_TO + 10)]
    await KafkaSink(producer).publish(events)
    assert [len(batch.records) for _, batch in producer.batches] == [7] * 8 + [4]
    sent = [value for _, batch in producer.batches for _, value, _ in batch.records]
    assert sent == [e.value for e in events]


async def test_an_event_too_big_for_an_empty_batch_fails_the_publish() -> None:
    producer = FakeProducer(batch_capacity=0)
    with pytest.raises(MessageSizeTooLargeError):
        await KafkaSink(producer).publish([outgoing(n) for n in range(PER_EVENT_SPANS_UP_TO + 1)])
