"""Every message carries its command's trace, whether the relay is live or catching up."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from trellis_contracts.envelope import CloudEvent
from trellis_platform.kafka_sink import PER_EVENT_SPANS_UP_TO, KafkaSink
from trellis_platform.outgoing import OutgoingEvent

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


class FakeProducer:
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    async def send(self, topic: str, *, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> Any:
        self.sent.append({k: v.decode() for k, v in headers})
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def outgoing(n: int) -> OutgoingEvent:
    envelope = CloudEvent(id=str(uuid.uuid4()), source="/test", type="com.trellis.test.thing.done.v1",
                          subject=str(uuid.uuid4()), time=datetime.now(UTC), dataschema="schemas/x",
                          organisationid=str(uuid.uuid4()), aggregateversion=1, data={})
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
    assert [h["traceparent"] for h in producer.sent] == [e.headers["traceparent"] for e in events]
