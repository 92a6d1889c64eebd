"""A consumer that applies batches gets one call per batch; poison sends the batch one by one."""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import Tracking

from trellis_platform.delivery import Delivery
from trellis_platform.incoming import IncomingEvent, PoisonEvent


def events(*values: bytes) -> list[IncomingEvent]:
    return [IncomingEvent(topic="t", key=None, value=v, position=Tracking("t:0", n))
            for n, v in enumerate(values)]


class Recorder:
    name = "recorder"
    topics: tuple[str, ...] = ("t",)

    def __init__(self) -> None:
        self.applied: list[bytes] = []
        self.positions: list[int] = []

    def has_applied(self, position: Tracking) -> bool:
        return position.notification_id in self.positions

    def apply(self, event: IncomingEvent) -> None:
        if event.value == b"poison":
            raise PoisonEvent("cannot be applied")
        self.applied.append(event.value)
        self.positions.append(event.position.notification_id)

    def record_position(self, position: Tracking) -> None:
        self.positions.append(position.notification_id)


class BatchRecorder(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def apply_batch(self, batch: Sequence[IncomingEvent]) -> int:
        if any(e.value == b"poison" for e in batch):
            raise PoisonEvent("one of them cannot be applied")
        self.batches.append(len(batch))
        for event in batch:
            self.applied.append(event.value)
            self.positions.append(event.position.notification_id)
        return len(batch)


class DeadLetterBox:
    def __init__(self) -> None:
        self.kept: list[tuple[bytes, str]] = []

    async def send(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        self.kept.append((event.value, reason))


async def test_a_batch_capable_consumer_gets_the_batch_in_one_call() -> None:
    consumer = BatchRecorder()
    delivery = Delivery(consumer, DeadLetterBox())
    await delivery.deliver_batch(events(b"a", b"b", b"c"))
    assert consumer.batches == [3]
    assert consumer.applied == [b"a", b"b", b"c"]
    assert delivery.applied == 3


async def test_poison_in_a_batch_is_dead_lettered_alone_and_the_rest_applied() -> None:
    consumer = BatchRecorder()
    dead_letters = DeadLetterBox()
    delivery = Delivery(consumer, dead_letters)
    await delivery.deliver_batch(events(b"a", b"poison", b"c"))
    assert consumer.batches == [], "the batch as a whole was refused"
    assert consumer.applied == [b"a", b"c"]
    assert dead_letters.kept == [(b"poison", "cannot be applied")]
    assert sorted(consumer.positions) == [0, 1, 2], "the consumer moved past the poison"


async def test_a_consumer_without_batches_gets_each_event() -> None:
    consumer = Recorder()
    delivery = Delivery(consumer, DeadLetterBox())
    assert not delivery.applies_batches
    await delivery.deliver_batch(events(b"a", b"b"))
    assert consumer.applied == [b"a", b"b"]
