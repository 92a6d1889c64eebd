"""Writes the published schemas: one JSON Schema per event type, the envelope, and AsyncAPI.

Run by ``make contracts``; a test fails when the committed files differ from what
this module would write, so the exports never go stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.registry import ALL_CONTRACTS

EXPORT_DIR = Path(__file__).resolve().parent.parent / "exported"
SCHEMA_DIR_NAME = "schemas"
ENVELOPE_SCHEMA_NAME = "cloudevent.json"
ASYNCAPI_NAME = "asyncapi.json"


def data_schema(contract: type[EventContract]) -> dict[str, Any]:
    schema = contract.model_json_schema(mode="serialization")
    schema["$id"] = f"{SCHEMA_DIR_NAME}/{contract.schema_name()}"
    schema["title"] = contract.__name__
    schema["description"] = contract.summary
    return schema


def envelope_schema() -> dict[str, Any]:
    schema = CloudEvent.model_json_schema(mode="serialization")
    schema["$id"] = f"{SCHEMA_DIR_NAME}/{ENVELOPE_SCHEMA_NAME}"
    return schema


def asyncapi_document() -> dict[str, Any]:
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for contract in ALL_CONTRACTS:
        message_name = contract.__name__
        messages[message_name] = {
            "name": contract.event_type,
            "title": contract.__name__,
            "summary": contract.summary,
            "contentType": "application/cloudevents+json",
            "headers": {
                "type": "object",
                "properties": {
                    "content-type": {"type": "string"},
                    "traceparent": {"type": "string", "description": "W3C trace context"},
                },
            },
            "payload": _envelope_with_data(contract),
        }
        channel_id = contract.topic.replace(".", "_")
        channel = channels.setdefault(
            channel_id,
            {
                "address": contract.topic,
                "description": "Keyed by aggregate id: one aggregate's events keep their order.",
                "messages": {},
            },
        )
        channel["messages"][message_name] = {"$ref": f"#/components/messages/{message_name}"}
        operations[f"publish_{channel_id}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel_id}"},
        }
    for operation in operations.values():
        channel_id = operation["channel"]["$ref"].rsplit("/", 1)[1]
        operation["messages"] = [
            {"$ref": f"#/channels/{channel_id}/messages/{name}"}
            for name in sorted(channels[channel_id]["messages"])
        ]
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Trellis integration events",
            "version": "1.0.0",
            "description": "CloudEvents 1.0 in structured mode on Apache Kafka.",
        },
        "defaultContentType": "application/cloudevents+json",
        "channels": dict(sorted(channels.items())),
        "operations": dict(sorted(operations.items())),
        "components": {"messages": dict(sorted(messages.items()))},
    }


def _envelope_with_data(contract: type[EventContract]) -> dict[str, Any]:
    envelope = envelope_schema()
    envelope.pop("$id", None)
    envelope["properties"]["type"] = {"const": contract.event_type, "type": "string"}
    envelope["properties"]["data"] = data_schema(contract)
    envelope["properties"]["data"].pop("$id", None)
    return envelope


def rendered_files() -> dict[str, str]:
    """Relative path -> file content, exactly as it is committed."""
    files = {
        f"{SCHEMA_DIR_NAME}/{ENVELOPE_SCHEMA_NAME}": _dump(envelope_schema()),
        ASYNCAPI_NAME: _dump(asyncapi_document()),
    }
    for contract in ALL_CONTRACTS:
        files[f"{SCHEMA_DIR_NAME}/{contract.schema_name()}"] = _dump(data_schema(contract))
    return files


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def write_exports(target: Path = EXPORT_DIR) -> list[Path]:
    written = []
    for relative, content in rendered_files().items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_exports():
        print(written_path.relative_to(EXPORT_DIR.parent.parent.parent))
