"""Reading and mapping a relay's next batches while it publishes the current one.

Reading stored events and mapping them to integration events is most of a catching-up
relay's CPU, and Python runs one thread at a time: in a thread, reading ahead only hides
the store's round trip. In a worker process it runs on another core while the relay's
event loop publishes, so a backlog drains at the speed of the slower of the two.

Every batch says where it starts. The relay takes one only if it starts where the relay
stands; anything else (a batch read after a failure, or a stale empty one) is dropped
and read again, so reading ahead can reorder or skip nothing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, Mapper

from trellis_platform.outgoing import OutgoingEvent

logger = logging.getLogger(__name__)

Translate = Callable[[Any, int], Sequence[OutgoingEvent]]
"""Maps one stored domain event (and its notification id) to integration events."""


@dataclass(frozen=True)
class Batch:
    start: int
    """The position the batch was read after."""
    count: int
    """How many stored events it covers (some map to no integration event)."""
    last: int
    """The last stored event's notification id (``start`` when empty)."""
    events: list[OutgoingEvent]


def read_and_map(recorder: ApplicationRecorder, mapper: Mapper[Any], translate: Translate,
                 position: int, batch_size: int) -> Batch:
    notifications = recorder.select_notifications(position, batch_size, inclusive_of_start=False)
    events: list[OutgoingEvent] = []
    for notification in notifications:
        events.extend(translate(mapper.to_domain_event(notification), notification.id))
    last = notifications[-1].id if notifications else position
    return Batch(position, len(notifications), last, events)


def _usable(batch: Batch, position: int) -> bool:
    """Read from where the relay stands, and not empty: an empty one may be stale, as
    events can have arrived since it was read."""
    return batch.start == position and batch.count > 0


class ThreadReadAhead:
    """Reads the next batch in a thread: the store's round trip overlaps the broker's."""

    def __init__(self, application: Application[Any], translate: Translate, batch_size: int) -> None:
        self._application = application
        self._translate = translate
        self._batch_size = batch_size
        self._next: asyncio.Task[Batch] | None = None

    def read_after(self, position: int) -> None:
        self.close()
        self._next = asyncio.create_task(asyncio.to_thread(
            read_and_map, self._application.recorder, self._application.mapper, self._translate,
            position, self._batch_size))

    async def take(self, position: int) -> Batch | None:
        pending, self._next = self._next, None
        if pending is None:
            return None
        try:
            batch = await pending
        except Exception:
            logger.warning("reading ahead failed; reading again", exc_info=True)
            return None
        return batch if _usable(batch, position) else None

    def close(self) -> None:
        if self._next is not None:
            self._next.cancel()
            self._next = None


class ProcessReadAhead:
    """Keeps ``depth`` batches being read in one worker process, ahead of the relay.

    The worker rebuilds the application's recorder and mapper from its class and
    environment (not its use cases), and follows the log with a cursor of its own; the
    relay only says where to start again.
    """

    def __init__(self, application: Application[Any], translate: Translate, batch_size: int, *,
                 depth: int = 2) -> None:
        self._worker_args = (type(application), dict(application.env), translate, batch_size)
        self._depth = depth
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._in_flight: deque[asyncio.Future[Batch]] = deque()

    def read_after(self, position: int) -> None:
        """Keeps the next batches after ``position`` coming."""
        if not self._in_flight:
            self._in_flight.append(self._submit(_read_after, position))
        while len(self._in_flight) < self._depth:
            self._in_flight.append(self._submit(_read_next))

    async def take(self, position: int) -> Batch | None:
        """The batch read ahead from ``position``, if the next one is that and it succeeded."""
        if not self._in_flight:
            return None
        try:
            batch = await self._in_flight.popleft()
        except concurrent.futures.BrokenExecutor:
            logger.warning("the read-ahead worker died; starting another", exc_info=True)
            self._discard(restart_worker=True)
            return None
        except Exception:
            logger.warning("reading ahead failed; reading again", exc_info=True)
            self._discard()
            return None
        if not _usable(batch, position):
            self._discard()
            return None
        return batch

    def close(self) -> None:
        self._discard()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _discard(self, *, restart_worker: bool = False) -> None:
        for pending in self._in_flight:
            pending.cancel()
        self._in_flight.clear()
        if restart_worker and self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _submit(self, call: Callable[..., Batch], *args: int) -> asyncio.Future[Batch]:
        if self._pool is None:
            # Spawned, not forked: the relay's process has threads and an event loop.
            self._pool = concurrent.futures.ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker,
                initargs=self._worker_args)
        return asyncio.get_running_loop().run_in_executor(self._pool, call, *args)


class _Worker:
    def __init__(self, application_class: type[Application[Any]], env: dict[str, str],
                 translate: Translate, batch_size: int) -> None:
        # Application's own __init__ only: it builds the recorder and the mapper (with the
        # class's transcodings) from the environment; the use cases' dependencies (password
        # hashers, signing keys) are not needed to read.
        application = application_class.__new__(application_class)
        Application.__init__(application, env)
        # Kept: an application closes its connection pool when it is collected.
        self.application = application
        self.translate = translate
        self.batch_size = batch_size
        self.position = 0


_worker: _Worker | None = None


def _start_worker(application_class: type[Application[Any]], env: dict[str, str],
                  translate: Translate, batch_size: int) -> None:
    global _worker  # one per worker process, made by its initializer
    threading.Thread(target=_exit_with_the_relay, daemon=True).start()
    _worker = _Worker(application_class, env, translate, batch_size)


def _exit_with_the_relay() -> None:
    """A relay killed outright (SIGKILL, out of memory) cannot stop its worker, and a
    worker waiting for work never notices: it would live on, holding its connections.
    multiprocessing gives a spawned process its parent's sentinel, which becomes ready
    when the parent is gone: waiting on it costs nothing while the relay lives."""
    relay = multiprocessing.parent_process()
    if relay is not None:
        relay.join()
        os._exit(0)


def _read_after(position: int) -> Batch:
    assert _worker is not None
    _worker.position = position
    return _read_next()


def _read_next() -> Batch:
    assert _worker is not None
    application = _worker.application
    batch = read_and_map(application.recorder, application.mapper, _worker.translate, _worker.position,
                         _worker.batch_size)
    _worker.position = batch.last
    return batch
