"""Spans written to TRELLIS_TRACE_DIR are one JSON object per line, whatever their
attributes hold (FastStream's consume spans carry the Kafka message key as bytes)."""

from __future__ import annotations

import json

from opentelemetry.sdk.trace import TracerProvider

from trellis_platform.telemetry import _one_line


def test_a_span_with_a_bytes_attribute_is_written_with_it_as_text() -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("consume", attributes={"messaging.kafka.message.key": b"project-1",
                                                             "messaging.system": "kafka"}) as span:
        pass
    line = _one_line(span)  # type: ignore[arg-type]
    assert line.endswith("\n")
    assert line.count("\n") == 1
    written = json.loads(line)
    assert written["name"] == "consume"
    assert written["attributes"] == {"messaging.kafka.message.key": "project-1", "messaging.system": "kafka"}
