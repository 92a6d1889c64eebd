"""An envelope from a newer producer still reads: unknown extension attributes are ignored,
as CloudEvents asks of consumers; attribute names CloudEvents does not allow are refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.export import envelope_schema

VALID: dict[str, Any] = {
    "specversion": "1.0", "id": "8d1c7c6e-3f59-5d1e-9b43-2a8c0f7e6d51", "source": "/trellis/planning",
    "type": "com.trellis.planning.project.created.v1", "subject": "b6f0c1a2-6a51-4c0e-9a8e-1f2d3c4b5a69",
    "time": "2026-11-27T09:30:00Z", "dataschema": "schemas/x", "organisationid": "org-1",
    "aggregateversion": 1, "data": {"name": "Fit-out"},
}


@pytest.mark.parametrize("name", ["partitionkey", "traceparent", "sequence2", "x"])
def test_an_unknown_extension_attribute_is_ignored(name: str) -> None:
    envelope = CloudEvent.model_validate_json(json.dumps({**VALID, name: "value"}))
    assert envelope == CloudEvent.model_validate(VALID)
    assert name not in envelope.model_dump()


@pytest.mark.parametrize("name", ["x-admin", "Partitionkey", "trace_parent", "", "ünicode"])
def test_an_attribute_name_cloudevents_does_not_allow_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="lowercase letters and digits"):
        CloudEvent.model_validate_json(json.dumps({**VALID, name: "value"}))


@pytest.mark.parametrize(("name", "allowed"), [
    ("partitionkey", True), ("sequence2", True), ("data_base64", True),
    ("x-admin", False), ("Partitionkey", False), ("trace_parent", False), ("ünicode", False),
])
def test_the_published_envelope_schema_states_the_same_rule_for_names(name: str, allowed: bool) -> None:
    validator = Draft202012Validator(envelope_schema())
    errors = list(validator.iter_errors({**VALID, name: "value"}))
    assert (not errors) is allowed, [e.message for e in errors]
