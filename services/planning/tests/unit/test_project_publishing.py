"""Planning's domain events become CloudEvents that match the published contract."""

import json
from datetime import date
from pathlib import Path
from uuid import uuid4

import jsonschema

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_planning.domain.project import Project
from trellis_planning.publishing.mapping import to_integration_events

EXPORTED = Path(__file__).resolve().parents[4] / "shared" / "contracts" / "exported" / "schemas"
TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def created_event() -> Project.Created:
    project = Project.create(
        organisation_id=uuid4(), client_id=uuid4(), name="Brand refresh",
        starts_on=date(2026, 2, 2), ends_on=date(2026, 4, 30),
        meta={"actor": "u1", "traceparent": TRACEPARENT},
    )
    (event,) = project.collect_events()
    assert isinstance(event, Project.Created)
    return event


def test_project_created_is_published_keyed_by_project_on_the_planning_topic() -> None:
    event = created_event()
    (outgoing,) = to_integration_events(event, notification_id=7)
    assert outgoing.topic == PLANNING_EVENTS_V1
    assert outgoing.key == str(event.originator_id)
    assert outgoing.notification_id == 7
    assert outgoing.headers == {"traceparent": TRACEPARENT}


def test_the_envelope_carries_tenant_version_and_a_stable_id() -> None:
    event = created_event()
    (first,) = to_integration_events(event, 7)
    (again,) = to_integration_events(event, 9)
    envelope = first.envelope
    assert envelope.type == ProjectCreatedV1.event_type
    assert envelope.subject == str(event.originator_id)
    assert envelope.organisationid == str(event.organisation_id)
    assert envelope.aggregateversion == 1
    assert envelope.time.tzinfo is not None
    assert envelope.id == again.envelope.id, "a re-publish must keep the event id"


def test_the_data_validates_against_the_exported_json_schemas() -> None:
    (outgoing,) = to_integration_events(created_event(), 1)
    document = json.loads(outgoing.envelope.model_dump_json())
    data_schema = json.loads((EXPORTED / f"{ProjectCreatedV1.event_type}.json").read_text())
    envelope_schema = json.loads((EXPORTED / "cloudevent.json").read_text())
    jsonschema.validate(document["data"], data_schema)
    jsonschema.validate(document, envelope_schema)
    assert CloudEvent.model_validate(document) == outgoing.envelope
