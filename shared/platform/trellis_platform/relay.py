"""Follows a service's notification log and hands each event to a sink, at least once.

The position is a tracking record written only after the sink acknowledged, so a crash
at any point re-sends from the last acknowledged event and never skips one. Events are
read and published in batches: the store's notification ids are gap-free in commit
order (eventsourcing serialises inserts), so reading ``> position`` misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresTrackingRecorder
from psycopg import sql

from trellis_platform.metrics import RELAYS, RelayMetrics
from trellis_platform.outgoing import EventSink
from trellis_platform.read_ahead import ProcessReadAhead, ThreadReadAhead, Translate, read_and_map

logger = logging.getLogger(__name__)

RELAY_TRACKING_TABLE = "relay_tracking"


class NotificationRelay:
    def __init__(
        self,
        *,
        application: Application[Any],
        translate: Translate,
        sink: EventSink,
        database_url: str,
        batch_size: int = 500,
        idle_poll_seconds: float = 0.5,
        metrics: RelayMetrics = RELAYS,
    ) -> None:
        recorder = application.recorder
        assert isinstance(recorder, PostgresApplicationRecorder), "the relay needs PostgreSQL"
        self._application = application
        self._recorder = recorder
        self._translate = translate
        self._sink = sink
        self._database_url = database_url
        self._batch_size = batch_size
        self._idle_poll_seconds = idle_poll_seconds
        self._tracking = PostgresTrackingRecorder(
            recorder.datastore, tracking_table_name=f"{application.name}_{RELAY_TRACKING_TABLE}"
        )
        self._tracking.create_table()
        self._stopping = asyncio.Event()
        self.relayed_total = 0
        # The last position this relay recorded: read from its tracking record once, then
        # kept (no query per batch).
        self._position: int | None = None
        self._read_ahead: ThreadReadAhead | ProcessReadAhead = ThreadReadAhead(
            application, translate, batch_size)
        self._metrics = metrics
        metrics.watch_lag(self.tracking_name, self.lag)

    @property
    def tracking_name(self) -> str:
        return self._application.name

    def position(self) -> int:
        return self._tracking.max_tracking_id(self.tracking_name) or 0

    def lag(self) -> int:
        """How many stored events have not yet been acknowledged by the sink."""
        return (self._recorder.max_notification_id() or 0) - self.position()

    def read_ahead_in_worker_process(self) -> None:
        """Reads and maps ahead in a worker process (on another core) instead of a thread:
        for a relay process of its own, not for one sharing its process with others."""
        self._read_ahead.close()
        self._read_ahead = ProcessReadAhead(self._application, self._translate, self._batch_size)

    async def relay_batch(self) -> int:
        """Publishes the next batch and records the new position; returns its size.

        While the sink waits for the broker's acknowledgement of a full batch, the next
        batches are already being read and mapped, so the store's round trip and the
        mapping overlap the broker's. Nothing of them is sent before this batch is
        acknowledged and its position recorded: events still leave in commit order.
        """
        if self._position is None:
            self._position = await asyncio.to_thread(self.position)
        position = self._position
        batch = await self._read_ahead.take(position)
        if batch is None:
            batch = await asyncio.to_thread(
                read_and_map, self._recorder, self._application.mapper, self._translate, position,
                self._batch_size)
        if not batch.count:
            return 0
        if batch.count >= self._batch_size:
            self._read_ahead.read_after(batch.last)
        try:
            if batch.events:
                await self._sink.publish(batch.events)
            await asyncio.to_thread(
                self._tracking.insert_tracking, Tracking(self.tracking_name, batch.last)
            )
        except BaseException:
            # The tracking record, not memory, says what was acknowledged: PostgreSQL may
            # have committed it and gone away before replying, and recording the same
            # position again would fail for ever.
            self._position = None
            raise
        self._position = batch.last
        self.relayed_total += batch.count
        self._metrics.relayed(self.tracking_name, batch.count)
        return batch.count

    async def run(self) -> None:
        """Relays until ``stop()``; waits on LISTEN/NOTIFY when idle, retries failures."""
        backoff = 0.2
        async with _Wakeups(self._database_url, self._recorder) as wakeups:
            while not self._stopping.is_set():
                try:
                    relayed = await self.relay_batch()
                    backoff = 0.2
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.warning("relay %s failed; retrying in %.1fs", self.tracking_name,
                                   backoff, exc_info=True)
                    await self._sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                if relayed < self._batch_size:
                    await wakeups.wait(self._idle_poll_seconds, self._stopping)

    def stop(self) -> None:
        self._stopping.set()
        self._read_ahead.close()

    async def _sleep(self, seconds: float) -> None:
        await _wait_or_stop(self._stopping, seconds)


class _Wakeups:
    """LISTENs on the event store's channel; falls back to polling if that fails."""

    def __init__(self, database_url: str, recorder: PostgresApplicationRecorder) -> None:
        self._database_url = database_url
        self._channel = recorder.channel_name
        self._conn: psycopg.AsyncConnection[Any] | None = None

    async def __aenter__(self) -> _Wakeups:
        await self._connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._conn is not None:
            await self._conn.close()

    async def _connect(self) -> None:
        try:
            self._conn = await psycopg.AsyncConnection.connect(self._database_url, autocommit=True)
            await self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
        except psycopg.Error:
            logger.warning("cannot LISTEN on %s; polling instead", self._channel, exc_info=True)
            self._conn = None

    async def wait(self, timeout: float, stopping: asyncio.Event) -> None:
        if self._conn is None or self._conn.closed:
            await self._connect()
        if self._conn is None:
            await _wait_or_stop(stopping, timeout)
            return
        try:
            async for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                pass
        except psycopg.Error:
            logger.warning("lost LISTEN connection on %s", self._channel, exc_info=True)
            await self._conn.close()
            self._conn = None


async def _wait_or_stop(stopping: asyncio.Event, timeout: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), timeout=timeout)
