"""On PostgreSQL, the relay publishes the record of work and capacity: time entries,
resources and bookings, over-allocations and document versions, in commit order."""

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from trellis_contracts.registry import contract_for
from trellis_planning.domain.document import StoredContent
from trellis_planning.domain.resource import ResourceKind
from trellis_planning.wiring import Planning, build_planning
from trellis_platform.outgoing import OutgoingEvent

META = {"actor": "staff:manager"}
PREFIX = "com.trellis.planning."
AREAS = ("time_entry", "resource", "document")


class RecordingSink:
    def __init__(self) -> None:
        self.published: list[OutgoingEvent] = []

    async def publish(self, events: Sequence[OutgoingEvent]) -> None:
        self.published.extend(events)


@pytest.fixture
def planning(database_url: str) -> Iterator[Planning]:
    service = build_planning(database_url, pool_size=2)
    yield service
    service.close()


async def test_the_relay_publishes_every_record_of_work_and_capacity_once_in_order(
    planning: Planning,
) -> None:
    app = planning.application
    org = uuid4()
    project = app.create_project(
        organisation_id=org,
        client_id=uuid4(),
        name="Depot",
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 4, 30),
        meta=META,
    )
    person = app.register_resource(
        organisation_id=org,
        kind=ResourceKind.PERSON,
        name="Ann",
        hours_per_day=Decimal(8),
        working_weekdays=frozenset(range(1, 6)),
        meta=META,
    )
    task, _ = app.create_task(
        organisation_id=org,
        project_id=project.id,
        title="Pour the slab",
        meta=META,
        details={"assignee_ids": [person.id], "estimate_minutes": 600, "duration_days": 1},
    )
    entry = app.log_time(
        organisation_id=org,
        task_id=task.id,
        person_id=person.id,
        worked_on=date(2026, 3, 2),
        minutes=120,
        billable=True,
        note="",
        meta=META,
    )
    app.correct_time_entry(organisation_id=org, entry_id=entry.id, minutes=150, meta=META)
    app.delete_time_entry(organisation_id=org, entry_id=entry.id, meta=META)
    booking = app.book_resource(
        organisation_id=org,
        resource_id=person.id,
        project_id=project.id,
        starts_on=date(2026, 3, 9),
        ends_on=date(2026, 3, 13),
        hours_per_day=Decimal(4),
        meta=META,
    )
    app.cancel_booking(organisation_id=org, resource_id=person.id, booking_id=booking.booking_id, meta=META)
    app.add_document(
        organisation_id=org,
        project_id=project.id,
        name="Slab spec",
        content=StoredContent(key="d" * 64, size=10, sha256="d" * 64),
        content_type="text/plain",
        filename="spec.txt",
        uploaded_by="staff:manager",
        meta=META,
    )

    sink = RecordingSink()
    relay = planning.relay(sink, batch_size=7)
    while await relay.relay_batch():
        pass

    mine = [
        e for e in sink.published if e.envelope.type.startswith(tuple(f"{PREFIX}{area}." for area in AREAS))
    ]
    assert [e.envelope.type.removeprefix(PREFIX).removesuffix(".v1") for e in mine] == [
        "resource.registered",
        "resource.overallocated",  # the task's 600 minutes on its one day exceed Ann's 480
        "time_entry.logged",
        "time_entry.corrected",
        "time_entry.deleted",
        "resource.booked",
        "resource.booking_cancelled",
        "document.version_added",
    ]
    for event in mine:
        contract_for(event.envelope.type).model_validate(event.envelope.data)
    assert [e.notification_id for e in sink.published] == sorted(e.notification_id for e in sink.published)
    assert len({e.envelope.id for e in sink.published}) == len(sink.published)
    assert relay.lag() == 0
