"""Within a major version, the published schemas change only additively: what the last
release's consumers read and what this version's consumers replay both still validate."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from trellis_contracts import compatibility
from trellis_contracts.compatibility import RELEASED_DIR, Published, breaking_changes, current

EVENT = "com.example.thing.happened.v1"
TOPIC = "example.things.v1"
ENVELOPE = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def thing(properties: dict[str, Any], required: list[str], **rest: Any) -> dict[str, Any]:
    return {"type": "object", "title": "ThingHappenedV1", "properties": properties, "required": required,
            **rest}


ID = {"type": "string", "format": "uuid", "title": "Thing Id"}
AMOUNT = {"type": "string", "description": "A decimal amount as a string"}
NOTE = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
RELEASED = thing({"thing_id": ID, "amount": AMOUNT, "note": NOTE}, ["thing_id", "amount"])


def published(schema: dict[str, Any], *, topic: str = TOPIC,
              others: dict[str, dict[str, Any]] | None = None) -> Published:
    schemas = {EVENT: schema, **(others or {})}
    return Published(schemas=schemas, topics=dict.fromkeys(schemas, topic), envelope=ENVELOPE)


def changes(new: dict[str, Any]) -> list[str]:
    return breaking_changes(published(RELEASED), published(new))


def test_the_same_schemas_are_compatible() -> None:
    assert changes(copy.deepcopy(RELEASED)) == []


def test_a_new_optional_property_is_compatible() -> None:
    colour = {"type": "string"}
    assert changes(thing({**RELEASED["properties"], "colour": colour}, ["thing_id", "amount"])) == []


def test_new_annotations_are_compatible() -> None:
    described = copy.deepcopy(RELEASED)
    described["properties"]["amount"] = {**AMOUNT, "description": "Exact, in the currency's minor unit",
                                         "title": "Amount", "examples": ["12.50"]}
    described["description"] = "A thing happened"
    assert changes(described) == []


def test_a_new_event_type_is_compatible() -> None:
    other = thing({"other_id": ID}, ["other_id"])
    with_other = published(RELEASED, others={"com.example.other.v1": other})
    assert breaking_changes(published(RELEASED), with_other) == []


def test_a_definition_renamed_with_the_same_rules_is_compatible() -> None:
    old = thing({"line": {"$ref": "#/$defs/Line"}}, ["line"], **{"$defs": {"Line": thing({"n": ID}, ["n"])}})
    new = thing({"line": {"$ref": "#/$defs/BudgetLine"}}, ["line"],
                **{"$defs": {"BudgetLine": thing({"n": ID}, ["n"])}})
    assert breaking_changes(published(old), published(new)) == []


@pytest.mark.parametrize(("new", "named"), [
    (thing({"thing_id": ID, "note": NOTE}, ["thing_id"]), "amount: removed"),
    (thing({**RELEASED["properties"], "colour": {"type": "string"}}, ["thing_id", "amount", "colour"]),
     "colour: added as required"),
    (thing(RELEASED["properties"], ["thing_id", "amount", "note"]), "note: now required"),
    (thing(RELEASED["properties"], ["thing_id"]), "amount: no longer required"),
    (thing({**RELEASED["properties"], "amount": {"type": "number"}}, ["thing_id", "amount"]),
     "amount: type changed"),
    (thing({**RELEASED["properties"], "thing_id": {"type": "string"}}, ["thing_id", "amount"]),
     "thing_id: format removed"),
    (thing({**RELEASED["properties"], "amount": {**AMOUNT, "pattern": "^[0-9.]+$"}}, ["thing_id", "amount"]),
     "amount: pattern added"),
    (thing({**RELEASED["properties"], "amount": {"anyOf": [AMOUNT, {"type": "null"}]}},
           ["thing_id", "amount"]), "amount: anyOf added"),
    (thing({**RELEASED["properties"], "note": {"anyOf": [{"type": "string"}]}}, ["thing_id", "amount"]),
     "note: anyOf changed from 2 alternatives to 1"),
    (thing(RELEASED["properties"], ["thing_id", "amount"], additionalProperties=False),
     "additionalProperties added"),
])
def test_a_change_a_subscriber_breaks_on_is_named(new: dict[str, Any], named: str) -> None:
    found = changes(new)
    assert any(named in problem for problem in found), found


def test_a_narrowed_enum_and_a_widened_enum_both_break() -> None:
    old = thing({"status": {"enum": ["open", "done"]}}, ["status"])
    for values in (["open"], ["open", "done", "blocked"]):
        found = breaking_changes(published(old), published(thing({"status": {"enum": values}}, ["status"])))
        assert any("status: enum changed" in problem for problem in found), found


def test_a_change_inside_a_referenced_definition_is_found() -> None:
    old = thing({"line": {"$ref": "#/$defs/Line"}}, ["line"], **{"$defs": {"Line": thing({"n": ID}, ["n"])}})
    new = thing({"line": {"$ref": "#/$defs/Line"}}, ["line"], **{"$defs": {"Line": thing({}, [])}})
    assert any("line.n: removed" in problem for problem in breaking_changes(published(old), published(new)))


def test_a_change_to_array_items_is_found() -> None:
    old = thing({"tags": {"type": "array", "items": {"type": "string"}}}, ["tags"])
    new = thing({"tags": {"type": "array", "items": {"type": "integer"}}}, ["tags"])
    found = breaking_changes(published(old), published(new))
    assert any("tags.items: type changed" in problem for problem in found), found


def test_a_removed_event_type_breaks() -> None:
    other = thing({"other_id": ID}, ["other_id"])
    found = breaking_changes(published(RELEASED, others={"com.example.other.v1": other}), published(RELEASED))
    assert found == ["com.example.other.v1: removed (publish a new major version beside it instead)"]


def test_an_event_type_moved_to_another_topic_breaks() -> None:
    found = breaking_changes(published(RELEASED), published(RELEASED, topic="example.elsewhere.v1"))
    assert found == [f"{EVENT}: moved from topic {TOPIC} to example.elsewhere.v1"]


def test_a_change_to_the_envelope_breaks() -> None:
    new = Published(schemas={EVENT: RELEASED}, topics={EVENT: TOPIC},
                    envelope={**ENVELOPE, "required": []})
    assert breaking_changes(published(RELEASED), new) == ["envelope.id: no longer required "
                                                          "(consumers of the last release rely on it)"]


# The real contracts, against the release recorded in shared/contracts/released.

def test_the_published_schemas_are_compatible_with_the_last_release() -> None:
    found = breaking_changes(LAST_RELEASE, current())
    assert found == [], "breaking changes against the last release: publish a new major version instead\n" + \
        "\n".join(found)


LAST_RELEASE = Published.from_folder(RELEASED_DIR)


def test_the_last_release_is_recorded() -> None:
    assert (RELEASED_DIR / "RELEASE").read_text().strip()
    assert LAST_RELEASE.envelope
    assert LAST_RELEASE.schemas.keys() == LAST_RELEASE.topics.keys()


def test_removing_any_released_property_is_caught() -> None:
    missed = []
    for event_type, schema in LAST_RELEASE.schemas.items():
        for name in schema["properties"]:
            changed = copy.deepcopy(dict(schema))
            del changed["properties"][name]
            changed["required"] = [r for r in changed.get("required", []) if r != name]
            published = Published({**LAST_RELEASE.schemas, event_type: changed}, LAST_RELEASE.topics,
                                  LAST_RELEASE.envelope)
            if f"{event_type}.{name}: removed" not in breaking_changes(LAST_RELEASE, published):
                missed.append(f"{event_type}.{name}")
    assert missed == []


def test_making_any_released_optional_property_required_is_caught() -> None:
    missed = []
    for event_type, schema in LAST_RELEASE.schemas.items():
        for name in schema["properties"].keys() - set(schema.get("required", [])):
            changed = {**schema, "required": [*schema.get("required", []), name]}
            published = Published({**LAST_RELEASE.schemas, event_type: changed}, LAST_RELEASE.topics,
                                  LAST_RELEASE.envelope)
            if f"{event_type}.{name}: now required (events of the last release lack it)" not in \
                    breaking_changes(LAST_RELEASE, published):
                missed.append(f"{event_type}.{name}")
    assert missed == []


def test_the_check_fails_with_the_changes_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The command CI and `make contracts-check` run: non-zero, and says what broke."""
    released = tmp_path / "released"
    shutil.copytree(RELEASED_DIR, released)
    target = released / "schemas" / "com.trellis.planning.project.created.v1.json"
    schema = json.loads(target.read_text())
    schema["properties"]["retired_field"] = {"type": "string"}
    schema["required"].append("retired_field")
    target.write_text(json.dumps(schema))
    monkeypatch.setattr(compatibility, "RELEASED_DIR", released)

    assert compatibility.main([]) == 1
    error = capsys.readouterr().err
    assert "com.trellis.planning.project.created.v1.retired_field: removed" in error
    assert "against release 0.1.0" in error


def test_the_check_passes_and_records_a_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    released = tmp_path / "released"
    shutil.copytree(RELEASED_DIR, released)
    monkeypatch.setattr(compatibility, "RELEASED_DIR", released)

    assert compatibility.main(["--record-release", "0.2.0"]) == 0
    assert (released / "RELEASE").read_text() == "0.2.0\n"
    assert Published.from_folder(released) == current()
