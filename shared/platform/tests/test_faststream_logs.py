"""FastStream's own lines (start-up, partition assignments, failures) go through the
service's JSON logging, not a coloured text handler of FastStream's."""

from __future__ import annotations

import json
import logging

import pytest
from opentelemetry.sdk.trace import TracerProvider

from trellis_platform.kafka_consumer import new_broker
from trellis_platform.logs import JsonFormatter


def test_faststream_lines_reach_the_root_handlers(caplog: pytest.LogCaptureFixture) -> None:
    new_broker("127.0.0.1:9", client_id="test-logs", tracer_provider=TracerProvider())
    with caplog.at_level(logging.INFO):
        logging.getLogger("faststream").info("FastStream app starting...")
        logging.getLogger("faststream.kafka").info("Consumer x assigned to partitions: (0, 1)")
    assert [r.getMessage() for r in caplog.records] == [
        "FastStream app starting...", "Consumer x assigned to partitions: (0, 1)"]
    faststream = logging.getLogger("faststream")
    assert faststream.handlers == [], "no text handler of FastStream's own"
    assert faststream.propagate, "its lines reach the root's JSON handler"
    assert json.loads(JsonFormatter().format(caplog.records[0]))["logger"] == "faststream"
