"""The relay follows planning's notification log on PostgreSQL and never skips an event,
whether it reads ahead in a thread or in a worker process."""

import asyncio
import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder

from trellis_planning.wiring import Planning, build_planning
from trellis_platform.outgoing import OutgoingEvent
from trellis_platform.relay import NotificationRelay


class RecordingSink:
    def __init__(self) -> None:
        self.published: list[OutgoingEvent] = []
        self.fail_next = False

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise ConnectionError("broker unavailable")
        self.published.extend(events)


@pytest.fixture
def planning(database_url: str) -> Iterator[Planning]:
    service = build_planning(database_url, pool_size=2)
    yield service
    service.close()


def create_projects(planning: Planning, count: int) -> list[str]:
    organisation = uuid4()
    return [
        str(planning.application.create_project(
            organisation_id=organisation, client_id=uuid4(), name=f"Project {n}",
            starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30), meta={"actor": "test"},
        ).id)
        for n in range(count)
    ]


async def test_every_stored_event_is_published_once_in_commit_order(planning: Planning) -> None:
    ids = create_projects(planning, 7)
    sink = RecordingSink()
    relay = planning.relay(sink, batch_size=3)
    while await relay.relay_batch():
        pass
    assert [e.key for e in sink.published] == ids
    assert [e.notification_id for e in sink.published] == sorted(e.notification_id for e in sink.published)
    assert relay.lag() == 0


async def test_a_failed_publish_does_not_advance_the_position(planning: Planning) -> None:
    ids = create_projects(planning, 2)
    sink = RecordingSink()
    relay = planning.relay(sink)
    sink.fail_next = True
    with pytest.raises(ConnectionError):
        await relay.relay_batch()
    assert relay.position() == 0
    assert await relay.relay_batch() == 2
    assert [e.key for e in sink.published] == ids


async def test_a_restarted_relay_continues_where_the_acknowledged_position_is(planning: Planning) -> None:
    first_ids = create_projects(planning, 2)
    first_sink = RecordingSink()
    await planning.relay(first_sink).relay_batch()
    later_ids = create_projects(planning, 3)
    second_sink = RecordingSink()
    await planning.relay(second_sink).relay_batch()
    assert [e.key for e in first_sink.published] == first_ids
    assert [e.key for e in second_sink.published] == later_ids


async def test_a_position_whose_acknowledgement_was_lost_is_not_recorded_twice(
    planning: Planning, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PostgreSQL can commit the tracking record and stop before it says so (a restart).
    The relay then knows less than the store: it must re-read its position, not retry
    recording the same one for ever while re-publishing the batch each time."""
    ids = create_projects(planning, 5)
    sink = RecordingSink()
    relay = planning.relay(sink, batch_size=3)
    record = PostgresTrackingRecorder.insert_tracking
    lost: list[int] = []

    def committed_but_unacknowledged(recorder: PostgresTrackingRecorder, tracking: Tracking) -> None:
        record(recorder, tracking)
        if not lost:
            lost.append(tracking.notification_id)
            raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(PostgresTrackingRecorder, "insert_tracking", committed_but_unacknowledged)
    with pytest.raises(psycopg.OperationalError):
        await relay.relay_batch()
    await relay_everything(relay)
    assert [e.key for e in sink.published] == ids, "the lost acknowledgement costs no re-publish"
    assert relay.lag() == 0


async def relay_everything(relay: NotificationRelay) -> None:
    while await relay.relay_batch():
        pass


@contextlib.contextmanager
def reading_ahead_in_a_process(planning: Planning, sink: RecordingSink, batch_size: int
                               ) -> Iterator[NotificationRelay]:
    relay = planning.relay(sink, batch_size=batch_size)
    relay.read_ahead_in_worker_process()
    try:
        yield relay
    finally:
        relay.stop()


async def test_reading_ahead_in_a_worker_process_keeps_commit_order_across_batches(
    planning: Planning,
) -> None:
    ids = create_projects(planning, 23)
    sink = RecordingSink()
    with reading_ahead_in_a_process(planning, sink, batch_size=4) as relay:
        await relay_everything(relay)
    assert [e.key for e in sink.published] == ids
    assert relay.lag() == 0


async def test_a_failed_publish_while_reading_ahead_resumes_at_the_acknowledged_position(
    planning: Planning,
) -> None:
    ids = create_projects(planning, 12)
    sink = RecordingSink()
    with reading_ahead_in_a_process(planning, sink, batch_size=3) as relay:
        assert await relay.relay_batch() == 3
        sink.fail_next = True
        with pytest.raises(ConnectionError):
            await relay.relay_batch()
        await relay_everything(relay)
    assert [e.key for e in sink.published] == ids, "nothing skipped, nothing twice"


async def test_a_read_ahead_worker_that_dies_is_replaced(planning: Planning) -> None:
    ids = create_projects(planning, 15)
    sink = RecordingSink()
    with reading_ahead_in_a_process(planning, sink, batch_size=3) as relay:
        assert await relay.relay_batch() == 3
        (worker,) = multiprocessing.active_children()
        os.kill(worker.pid, signal.SIGKILL)
        await asyncio.to_thread(worker.join, 10)
        await relay_everything(relay)
        (replacement,) = multiprocessing.active_children()
        assert replacement.pid != worker.pid
    assert [e.key for e in sink.published] == ids


RELAY_THAT_READS_AHEAD = """
import asyncio, multiprocessing, signal, sys
from trellis_planning.publishing.mapping import to_integration_events
from trellis_planning.wiring import build_planning
from trellis_platform.read_ahead import ProcessReadAhead

async def main():
    planning = build_planning(sys.argv[1], pool_size=1)
    read_ahead = ProcessReadAhead(planning.application, to_integration_events, 10)
    read_ahead.read_after(0)
    await read_ahead.take(0)
    print(multiprocessing.active_children()[0].pid, flush=True)
    signal.pause()  # until killed

asyncio.run(main())
"""


def test_the_worker_of_a_relay_killed_outright_exits_too(planning: Planning, database_url: str) -> None:
    relay = subprocess.Popen([sys.executable, "-c", RELAY_THAT_READS_AHEAD, database_url],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert relay.stdout is not None
        worker_pid = int(relay.stdout.readline())
        os.kill(relay.pid, signal.SIGKILL)
        relay.wait(10)
        gone_by = time.monotonic() + 10  # a bound on the wait, not an expected time
        while pid_alive(worker_pid):
            assert time.monotonic() < gone_by, "the orphaned worker is still running"
            time.sleep(0.1)
    finally:
        relay.kill()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A worker that exited but is not yet reaped by init shows as a zombie: it is gone.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"
