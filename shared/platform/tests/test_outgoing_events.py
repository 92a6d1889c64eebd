"""An outgoing event is written as JSON once, and crosses to another process as that JSON."""

from __future__ import annotations

import pickle
import uuid
from datetime import UTC, datetime

from trellis_contracts.envelope import CloudEvent
from trellis_platform.outgoing import OutgoingEvent


def an_event() -> OutgoingEvent:
    envelope = CloudEvent(id=str(uuid.uuid4()), source="/trellis/test", type="com.trellis.test.thing.done.v1",
                          subject=str(uuid.uuid4()), time=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
                          dataschema="schemas/x", organisationid=str(uuid.uuid4()), aggregateversion=4,
                          data={"name": "Façade ✓", "nested": {"days": [1, 2]}, "none": None})
    return OutgoingEvent(topic="trellis.test.v1", key=envelope.subject, envelope=envelope, notification_id=42,
                         headers={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})


def test_its_value_is_the_envelope_as_cloudevents_json() -> None:
    event = an_event()
    assert CloudEvent.model_validate_json(event.value) == event.envelope
    assert event.value is event.value, "written once"


def test_unpickled_it_is_the_same_event_with_the_same_bytes() -> None:
    event = an_event()
    again = pickle.loads(pickle.dumps(event))
    assert again == event
    assert again.value == event.value
    assert (again.topic, again.key, again.notification_id, again.headers) == (
        event.topic, event.key, event.notification_id, event.headers)


def test_it_is_pickled_as_its_json_not_as_the_pydantic_model() -> None:
    assert b"pydantic" not in pickle.dumps(an_event())
