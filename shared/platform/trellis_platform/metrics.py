"""What operators watch, as OpenTelemetry metrics (ARCHITECTURE.md, "It can be watched").

- Commands and reads: request rate and duration per route, method and status, from
  OpenTelemetry's FastAPI instrumentation (``http.server.duration``); commands are the
  POST, PUT, PATCH and DELETE routes.
- Relays: stored events relayed (``trellis.relay.events``) and stored events the broker
  (or the in-process consumers) has not acknowledged yet (``trellis.relay.lag``).
- Consumers: events applied, duplicate or dead-lettered (``trellis.consumer.events``);
  seconds from an event's publication to its effect being durable
  (``trellis.consumer.latency``, the projection latency of live traffic: a catching-up
  batch is counted, not timed); and messages of a partition not consumed yet
  (``trellis.consumer.lag``, on Kafka).
- Alerts raised (``trellis.alerts``), by source and kind: for now budget's thresholds
  crossed upwards.

``telemetry.configure_telemetry`` decides where they go: Prometheus on
TRELLIS_METRICS_PORT, OTLP with the traces. Each recorder takes a meter, so a test can
read what it recorded; the processes use the global one.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable, Iterable, Sequence

from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Meter, Observation

from trellis_platform.incoming import IncomingEvent

logger = logging.getLogger(__name__)

# Batches up to this size are live traffic, and each of their events is timed; a bigger
# one is a consumer catching up, or a rebuild replaying history.
LIVE_BATCH = 50
# Seconds, for latencies from milliseconds (in-process) to minutes (a consumer catching up).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


class RelayMetrics:
    def __init__(self, meter: Meter | None = None) -> None:
        meter = meter or metrics.get_meter("trellis.relay")
        self._relayed = meter.create_counter(
            "trellis.relay.events", unit="{event}",
            description="Stored events relayed: published (or found to have no public counterpart) "
                        "and their position recorded")
        self._lags: dict[str, weakref.WeakMethod[Callable[[], int]]] = {}
        meter.create_observable_gauge(
            "trellis.relay.lag", callbacks=[self._observe_lags], unit="{event}",
            description="Stored events not yet acknowledged by the relay's sink")

    def relayed(self, relay: str, count: int) -> None:
        self._relayed.add(count, {"relay": relay})

    def watch_lag(self, relay: str, lag: Callable[[], int]) -> None:
        """Reads ``lag`` (a bound method) when the metrics are collected, while its
        object lives."""
        self._lags[relay] = weakref.WeakMethod(lag)

    def _observe_lags(self, options: CallbackOptions) -> Iterable[Observation]:
        observations = []
        for relay, reference in list(self._lags.items()):
            lag = reference()
            if lag is None:
                self._lags.pop(relay, None)
                continue
            try:
                observations.append(Observation(lag(), {"relay": relay}))
            except Exception:
                # The store is unreachable: the gauge has no value this time, and says why here.
                logger.warning("cannot read the lag of relay %s", relay, exc_info=True)
        return observations


class ConsumerMetrics:
    def __init__(self, meter: Meter | None = None, *, clock: Callable[[], float] = time.time) -> None:
        meter = meter or metrics.get_meter("trellis.consumer")
        self._clock = clock
        self._events = meter.create_counter(
            "trellis.consumer.events", unit="{event}",
            description="Events a consumer has been delivered: applied (including those that change "
                        "nothing here), duplicate (applied before) or dead_lettered")
        self._latency = meter.create_histogram(
            "trellis.consumer.latency", unit="s",
            description="From an event's publication to its effect being durable (live traffic)",
            explicit_bucket_boundaries_advisory=LATENCY_BUCKETS)
        self._lags: dict[tuple[str, str, int], int] = {}
        meter.create_observable_gauge(
            "trellis.consumer.lag", callbacks=[self._observe_lags], unit="{message}",
            description="Messages of a partition the consumer has not consumed yet, as of its last batch")

    def applied(self, consumer: str, events: Sequence[IncomingEvent]) -> None:
        """The events' effects (and positions) are durable: count them, and time them when
        they are live traffic."""
        self._events.add(len(events), {"consumer": consumer, "outcome": "applied"})
        if len(events) > LIVE_BATCH:
            return
        now = self._clock()
        for event in events:
            if event.published_at is not None:
                self._latency.record(max(0.0, now - event.published_at), {"consumer": consumer})

    def duplicate(self, consumer: str) -> None:
        """A redelivered event its tracking record says was applied before."""
        self._events.add(1, {"consumer": consumer, "outcome": "duplicate"})

    def dead_lettered(self, consumer: str) -> None:
        self._events.add(1, {"consumer": consumer, "outcome": "dead_lettered"})

    def lag(self, consumer: str, topic: str, partition: int, messages: int) -> None:
        self._lags[(consumer, topic, partition)] = max(0, messages)

    def _observe_lags(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(lag, {"consumer": consumer, "topic": topic, "partition": partition})
                for (consumer, topic, partition), lag in list(self._lags.items())]


class AlertMetrics:
    def __init__(self, meter: Meter | None = None) -> None:
        meter = meter or metrics.get_meter("trellis.alerts")
        self._raised = meter.create_counter(
            "trellis.alerts", unit="{alert}",
            description="Alerts raised and recorded, by the context that raised them and their kind")

    def raised(self, source: str, kind: str) -> None:
        self._raised.add(1, {"source": source, "kind": kind})


RELAYS = RelayMetrics()
CONSUMERS = ConsumerMetrics()
ALERTS = AlertMetrics()
