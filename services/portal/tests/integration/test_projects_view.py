"""The portal's project view applies planning's events exactly once, whatever arrives twice."""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import Tracking

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_platform.dead_letters import TableDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.incoming import IncomingEvent, PoisonEvent
from trellis_portal.consumers.planning_events import PlanningEventsToProjectsView
from trellis_portal.wiring import Portal, build_portal


@pytest.fixture
def portal(database_url: str) -> Iterator[Portal]:
    service = build_portal(database_url, pool_size=2)
    yield service
    service.close()


def project_created(organisation: UUID, project: UUID, **envelope_overrides: object) -> bytes:
    payload = ProjectCreatedV1(project_id=project, organisation_id=organisation, client_id=uuid4(),
                               name="Fit-out", starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 1))
    fields: dict[str, object] = {
        "id": str(uuid4()), "source": "/trellis/planning", "type": payload.event_type,
        "subject": str(project), "time": datetime.now(UTC),
        "dataschema": "schemas/x.json", "organisationid": str(organisation), "aggregateversion": 1,
        "data": payload.model_dump(mode="json"),
    }
    fields.update(envelope_overrides)
    return CloudEvent.model_validate(fields).model_dump_json().encode()


def incoming(value: bytes, offset: int, stream: str = "planning:0") -> IncomingEvent:
    return IncomingEvent(topic="trellis.planning.events.v1", key=None, value=value,
                         position=Tracking(stream, offset))


def test_a_created_project_appears_in_the_view(portal: Portal) -> None:
    consumer = PlanningEventsToProjectsView(portal.projects)
    organisation, project = uuid4(), uuid4()
    consumer.apply(incoming(project_created(organisation, project), 0))
    view = portal.projects.get(organisation, project)
    assert view is not None
    assert view.name == "Fit-out"
    assert portal.projects.get(uuid4(), project) is None, "another tenant sees nothing"


async def test_redelivery_and_republish_change_nothing(portal: Portal, database_url: str) -> None:
    (consumer,) = portal.consumers()
    delivery = Delivery(consumer, TableDeadLetters(database_url, "portal"))
    organisation, project = uuid4(), uuid4()
    event = project_created(organisation, project)
    await delivery.deliver(incoming(event, 0))
    await delivery.deliver(incoming(event, 0))  # same offset redelivered
    await delivery.deliver(incoming(event, 5))  # re-published by a relay after a crash
    assert portal.projects.count() == 1
    assert delivery.applied == 2, "the redelivery at offset 0 was recognised by its tracking record"


@pytest.mark.parametrize(
    "value",
    [
        b"not json",
        b'{"specversion": "1.0"}',
        "wrong tenant",
    ],
)
async def test_poison_goes_to_dead_letters_and_does_not_block(portal: Portal, database_url: str,
                                                              value: bytes | str) -> None:
    organisation = uuid4()
    if value == "wrong tenant":
        value = project_created(organisation, uuid4(), organisationid=str(uuid4()))
    assert isinstance(value, bytes)
    (consumer,) = portal.consumers()
    with pytest.raises(PoisonEvent):
        consumer.apply(incoming(value, 0, "other:0"))
    delivery = Delivery(consumer, TableDeadLetters(database_url, "portal"))
    await delivery.deliver(incoming(value, 0))
    healthy_project = uuid4()
    await delivery.deliver(incoming(project_created(organisation, healthy_project), 1))
    assert portal.projects.get(organisation, healthy_project) is not None
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT consumer, position, reason FROM portal.dead_letters").fetchall()
    assert len(rows) == 1
    assert rows[0][0] == "portal.projects"
    assert rows[0][1] == "planning:0@0"
    assert rows[0][2]


def test_an_event_type_this_version_does_not_know_is_passed_over(portal: Portal) -> None:
    consumer = PlanningEventsToProjectsView(portal.projects)
    unknown = json.loads(project_created(uuid4(), uuid4()))
    unknown["type"] = "com.trellis.planning.something.new.v1"
    consumer.apply(incoming(json.dumps(unknown).encode(), 3))
    assert consumer.has_applied(Tracking("planning:0", 3))
    assert portal.projects.count() == 0
