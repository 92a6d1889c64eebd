"""What operators watch: relays' throughput and lag, consumers' outcomes, latency and lag."""

from __future__ import annotations

import gc
import logging
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from trellis_platform.delivery import Delivery
from trellis_platform.incoming import IncomingEvent, PoisonEvent
from trellis_platform.metrics import LIVE_BATCH, ConsumerMetrics, RelayMetrics

NOW = 1_800_000_000.0


@pytest.fixture
def reader() -> InMemoryMetricReader:
    return InMemoryMetricReader()


@pytest.fixture
def relays(reader: InMemoryMetricReader) -> RelayMetrics:
    return RelayMetrics(MeterProvider(metric_readers=[reader]).get_meter("test"))


@pytest.fixture
def consumers(reader: InMemoryMetricReader) -> ConsumerMetrics:
    return ConsumerMetrics(MeterProvider(metric_readers=[reader]).get_meter("test"), clock=lambda: NOW)


def points(reader: InMemoryMetricReader, name: str) -> dict[tuple[tuple[str, Any], ...], Any]:
    """Each data point of ``name`` by its attributes: a sum's value, or a histogram's point."""
    found: dict[tuple[tuple[str, Any], ...], Any] = {}
    data = reader.get_metrics_data()
    for resource in data.resource_metrics if data else []:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                if metric.name == name:
                    for point in metric.data.data_points:
                        key = tuple(sorted((point.attributes or {}).items()))
                        found[key] = getattr(point, "value", point)
    return found


def events(count: int, *, published_at: float | None = NOW - 0.2) -> list[IncomingEvent]:
    return [IncomingEvent(topic="t", key=None, value=b"x", position=Tracking("t:0", n),
                          published_at=published_at) for n in range(count)]


def outcome(consumer: str, what: str) -> tuple[tuple[str, str], ...]:
    return (("consumer", consumer), ("outcome", what))


class Projection:
    """Applies anything but b"poison", once per position; batches too."""

    name = "recorder"
    topics: tuple[str, ...] = ("t",)

    def __init__(self) -> None:
        self.positions: set[int] = set()

    def has_applied(self, position: Tracking) -> bool:
        return position.notification_id in self.positions

    def apply(self, event: IncomingEvent) -> None:
        if event.value == b"poison":
            raise PoisonEvent("cannot be applied")
        self.positions.add(event.position.notification_id)

    def apply_batch(self, batch: list[IncomingEvent]) -> int:
        for event in batch:
            self.apply(event)
        return len(batch)

    def record_position(self, position: Tracking) -> None:
        self.positions.add(position.notification_id)


class DeadLetters:
    async def send(self, event: IncomingEvent, consumer: str, reason: str) -> None:
        return None


class Relay:
    def __init__(self, lag: int) -> None:
        self.behind = lag

    def lag(self) -> int:
        if self.behind < 0:
            raise ConnectionError("the store is restarting")
        return self.behind


def test_a_relay_counts_what_it_relayed_by_name(relays: RelayMetrics, reader: InMemoryMetricReader) -> None:
    relays.relayed("planning", 500)
    relays.relayed("planning", 20)
    relays.relayed("budget", 3)
    assert points(reader, "trellis.relay.events") == {(("relay", "planning"),): 520,
                                                      (("relay", "budget"),): 3}


def test_a_relays_lag_is_read_when_metrics_are_collected(relays: RelayMetrics,
                                                         reader: InMemoryMetricReader) -> None:
    planning = Relay(lag=7)
    relays.watch_lag("planning", planning.lag)
    assert points(reader, "trellis.relay.lag") == {(("relay", "planning"),): 7}
    planning.behind = 0
    assert points(reader, "trellis.relay.lag") == {(("relay", "planning"),): 0}


def test_a_lag_that_cannot_be_read_is_left_out_and_logged(relays: RelayMetrics, reader: InMemoryMetricReader,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    budget, planning = Relay(lag=-1), Relay(lag=4)
    relays.watch_lag("budget", budget.lag)
    relays.watch_lag("planning", planning.lag)
    with caplog.at_level(logging.WARNING):
        assert points(reader, "trellis.relay.lag") == {(("relay", "planning"),): 4}
    assert "cannot read the lag of relay budget" in caplog.text


def test_a_relay_that_is_gone_is_no_longer_watched(relays: RelayMetrics,
                                                   reader: InMemoryMetricReader) -> None:
    relays.watch_lag("planning", Relay(lag=3).lag)
    gc.collect()
    assert points(reader, "trellis.relay.lag") == {}


async def test_delivered_events_are_counted_by_outcome(consumers: ConsumerMetrics,
                                                       reader: InMemoryMetricReader) -> None:
    delivery = Delivery(Projection(), DeadLetters(), metrics=consumers)
    first, second = events(2)
    poison = IncomingEvent(topic="t", key=None, value=b"poison", position=Tracking("t:0", 9))
    for event in (first, second, first, poison):
        await delivery.deliver(event)
    assert points(reader, "trellis.consumer.events") == {
        (("consumer", "recorder"), ("outcome", "applied")): 2,
        (("consumer", "recorder"), ("outcome", "duplicate")): 1,
        (("consumer", "recorder"), ("outcome", "dead_lettered")): 1,
    }


async def test_a_live_batch_is_timed_from_publication_to_durable_effect(
        consumers: ConsumerMetrics, reader: InMemoryMetricReader) -> None:
    delivery = Delivery(Projection(), DeadLetters(), metrics=consumers)
    await delivery.deliver_batch(events(3, published_at=NOW - 0.2))
    (latency,) = points(reader, "trellis.consumer.latency").values()
    assert latency.count == 3
    assert latency.sum == pytest.approx(0.6)
    assert points(reader, "trellis.consumer.events") == {outcome("recorder", "applied"): 3}


async def test_a_catching_up_batch_is_counted_but_not_timed(consumers: ConsumerMetrics,
                                                            reader: InMemoryMetricReader) -> None:
    delivery = Delivery(Projection(), DeadLetters(), metrics=consumers)
    await delivery.deliver_batch(events(LIVE_BATCH + 1, published_at=NOW - 3600))
    assert points(reader, "trellis.consumer.latency") == {}
    assert points(reader, "trellis.consumer.events") == {
        (("consumer", "recorder"), ("outcome", "applied")): LIVE_BATCH + 1}


def test_an_event_without_a_publication_time_is_counted_not_timed(consumers: ConsumerMetrics,
                                                                  reader: InMemoryMetricReader) -> None:
    consumers.applied("projects", events(2, published_at=None))
    assert points(reader, "trellis.consumer.latency") == {}
    assert points(reader, "trellis.consumer.events") == {outcome("projects", "applied"): 2}


def test_a_consumers_lag_is_its_latest_per_partition(consumers: ConsumerMetrics,
                                                     reader: InMemoryMetricReader) -> None:
    consumers.lag("portal.projects", "planning.events.v1", 0, 120)
    consumers.lag("portal.projects", "planning.events.v1", 0, 0)
    consumers.lag("portal.projects", "planning.events.v1", 3, 5)
    assert points(reader, "trellis.consumer.lag") == {
        (("consumer", "portal.projects"), ("partition", 0), ("topic", "planning.events.v1")): 0,
        (("consumer", "portal.projects"), ("partition", 3), ("topic", "planning.events.v1")): 5,
    }
