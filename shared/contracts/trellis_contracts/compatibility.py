"""Compares the published schemas with the last release's and names every breaking change.

Subscribers read a topic in both directions of time: a consumer built against the last
release reads what this version publishes, and a consumer of this version replays what
the last release published. Within a major version a change is therefore compatible only
if both still validate, which leaves these additive changes:

- a new event type, on any topic;
- a new optional property (old consumers ignore it, old events lack it);
- a changed title, description, example or default (annotations, not rules).

Everything else is breaking: an event type removed or moved to another topic, a property
removed, a property becoming required or optional, a new required property, and any
change to what a value may be (its type, format, pattern, enum, bounds, nullability).
A breaking change is published as a new major version beside the old one (``.v2``).

``released/`` holds the schemas as the last release published them; ``make contracts``
keeps ``exported/`` current, ``make contracts-release`` records a release.
Run ``python -m trellis_contracts.compatibility`` to check (the test suite does too).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trellis_contracts.export import (
    ASYNCAPI_NAME,
    ENVELOPE_SCHEMA_NAME,
    EXPORT_DIR,
    SCHEMA_DIR_NAME,
    rendered_files,
    write_exports,
)

RELEASED_DIR = EXPORT_DIR.parent / "released"
RELEASE_NAME = "RELEASE"

Schema = Mapping[str, Any]

# Keywords that describe a value without constraining it.
_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$comment", "$id", "deprecated",
                          "readOnly", "writeOnly"})
_SUBSCHEMA = frozenset({"items", "additionalProperties", "propertyNames", "contains", "not", "if", "then",
                        "else", "unevaluatedProperties", "unevaluatedItems"})
_SUBSCHEMA_LISTS = frozenset({"anyOf", "oneOf", "allOf", "prefixItems"})


@dataclass(frozen=True)
class Published:
    """What one release publishes: each event type's schema and topic, and the envelope."""

    schemas: Mapping[str, Schema]  # by event type
    topics: Mapping[str, str]  # event type -> topic
    envelope: Schema

    @classmethod
    def from_files(cls, files: Mapping[str, str]) -> Published:
        """From exported files by their path relative to the export folder."""
        schemas: dict[str, Schema] = {}
        envelope: Schema = {}
        for relative, content in files.items():
            folder, _, name = relative.rpartition("/")
            if folder != SCHEMA_DIR_NAME:
                continue
            if name == ENVELOPE_SCHEMA_NAME:
                envelope = json.loads(content)
            else:
                schemas[name.removesuffix(".json")] = json.loads(content)
        asyncapi = json.loads(files[ASYNCAPI_NAME])
        topics: dict[str, str] = {}
        for channel in asyncapi["channels"].values():
            for ref in channel["messages"].values():
                topics[_pointer(asyncapi, ref["$ref"])["name"]] = channel["address"]
        return cls(schemas=schemas, topics=topics, envelope=envelope)

    @classmethod
    def from_folder(cls, folder: Path) -> Published:
        return cls.from_files({str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*.json")})


def breaking_changes(released: Published, current: Published) -> list[str]:
    """Every change from ``released`` to ``current`` that a subscriber would break on."""
    problems = list(_Comparison(released.envelope, current.envelope).changes(
        "envelope", released.envelope, current.envelope))
    for event_type, old in sorted(released.schemas.items()):
        new = current.schemas.get(event_type)
        if new is None:
            problems.append(f"{event_type}: removed (publish a new major version beside it instead)")
            continue
        problems.extend(_Comparison(old, new).changes(event_type, old, new))
        old_topic, new_topic = released.topics.get(event_type), current.topics.get(event_type)
        if old_topic != new_topic:
            problems.append(f"{event_type}: moved from topic {old_topic} to {new_topic}")
    return problems


class _Comparison:
    """Compares two documents node by node, following ``$ref`` within each."""

    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self._old_root = old_root
        self._new_root = new_root

    def changes(self, path: str, old: Schema, new: Schema) -> Iterator[str]:
        old, new = _resolve(self._old_root, old), _resolve(self._new_root, new)
        old_rules, new_rules = _rules(old), _rules(new)
        if "properties" in old_rules or "properties" in new_rules:
            yield from self._object_changes(path, old_rules, new_rules)
        for keyword in sorted((old_rules.keys() | new_rules.keys()) - {"properties", "required", "$defs"}):
            where = f"{path}: {keyword}"
            if keyword not in new_rules:
                yield f"{where} removed (was {_show(old_rules[keyword])})"
            elif keyword not in old_rules:
                yield f"{where} added ({_show(new_rules[keyword])})"
            elif keyword in _SUBSCHEMA and isinstance(old_rules[keyword], Mapping) and isinstance(
                    new_rules[keyword], Mapping):
                yield from self.changes(f"{path}.{keyword}", old_rules[keyword], new_rules[keyword])
            elif keyword in _SUBSCHEMA_LISTS:
                yield from self._list_changes(path, keyword, old_rules[keyword], new_rules[keyword])
            elif old_rules[keyword] != new_rules[keyword]:
                yield f"{where} changed from {_show(old_rules[keyword])} to {_show(new_rules[keyword])}"

    def _object_changes(self, path: str, old: Schema, new: Schema) -> Iterator[str]:
        old_properties: Mapping[str, Schema] = old.get("properties", {})
        new_properties: Mapping[str, Schema] = new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        for name, old_property in old_properties.items():
            new_property = new_properties.get(name)
            if new_property is None:
                yield f"{path}.{name}: removed"
                continue
            if name in old_required and name not in new_required:
                yield f"{path}.{name}: no longer required (consumers of the last release rely on it)"
            elif name in new_required and name not in old_required:
                yield f"{path}.{name}: now required (events of the last release lack it)"
            yield from self.changes(f"{path}.{name}", old_property, new_property)
        for name in sorted(new_properties.keys() - old_properties.keys()):
            if name in new_required:
                yield f"{path}.{name}: added as required (events of the last release lack it)"

    def _list_changes(self, path: str, keyword: str, old: Any, new: Any) -> Iterator[str]:
        if len(old) != len(new):
            yield f"{path}: {keyword} changed from {len(old)} alternatives to {len(new)}"
            return
        for index, (old_item, new_item) in enumerate(zip(old, new, strict=True)):
            yield from self.changes(f"{path}.{keyword}[{index}]", old_item, new_item)


def _resolve(root: Schema, schema: Schema) -> Schema:
    """The schema a local ``$ref`` points to, with any rules written beside the ref."""
    seen: set[str] = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen or not ref.startswith("#/"):
            break
        seen.add(ref)
        beside = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**_pointer(root, ref), **beside}
    return schema


def _pointer(document: Mapping[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _rules(schema: Schema) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in _ANNOTATIONS}


def _show(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


def current() -> Published:
    return Published.from_files(rendered_files())


def record_release(version: str) -> None:
    """Makes the current exports the last release's, once they are compatible with it."""
    if RELEASED_DIR.exists():
        shutil.rmtree(RELEASED_DIR)
    write_exports(RELEASED_DIR)
    (RELEASED_DIR / RELEASE_NAME).write_text(f"{version}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--record-release", metavar="VERSION",
                        help="after a successful check, record the current schemas as this release")
    args = parser.parse_args(argv)
    release = (RELEASED_DIR / RELEASE_NAME).read_text().strip()
    problems = breaking_changes(Published.from_folder(RELEASED_DIR), current())
    for problem in problems:
        print(f"breaking: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} breaking change(s) against release {release}", file=sys.stderr)
        return 1
    print(f"compatible with release {release}")
    if args.record_release:
        record_release(args.record_release)
        print(f"recorded release {args.record_release}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
