"""The relay follows planning's notification log on PostgreSQL and never skips an event."""

from collections.abc import Iterator, Sequence
from datetime import date
from uuid import uuid4

import pytest

from trellis_planning.wiring import Planning, build_planning
from trellis_platform.outgoing import OutgoingEvent


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
