"""One fact end to end through the real broker: HTTP command -> event store -> relay ->
Kafka -> FastStream consumer -> portal read model, with one trace from start to finish."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import jsonschema
import pytest
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.e2e.processes import eventually
from trellis_contracts.topics import PLANNING_EVENTS_V1, dead_letter_topic
from trellis_planning.wiring import Planning, build_planning
from trellis_platform.command_meta import command_meta
from trellis_platform.dead_letters import KafkaDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.kafka_consumer import new_broker, subscribe
from trellis_platform.kafka_sink import KafkaSink, ensure_topics, new_producer
from trellis_platform.relay import NotificationRelay
from trellis_platform.telemetry import configure_telemetry
from trellis_portal.wiring import Portal, build_portal

pytestmark = pytest.mark.kafka

EXPORTED = Path(__file__).resolve().parents[2] / "shared" / "contracts" / "exported" / "schemas"
spans = InMemorySpanExporter()
tracer_provider = configure_telemetry("trellis-tests", extra_exporter=spans)


class Pipeline:
    def __init__(self, planning: Planning, portal: Portal, relay: NotificationRelay, broker: KafkaBroker,
                 dead_letter_producer: object) -> None:
        self.planning = planning
        self.portal = portal
        self.relay = relay
        self.broker = broker
        self.dead_letter_producer = dead_letter_producer


@pytest.fixture
async def pipeline(database_url: str, kafka_bootstrap: str) -> AsyncIterator[Pipeline]:
    await ensure_topics(kafka_bootstrap, [PLANNING_EVENTS_V1, dead_letter_topic(PLANNING_EVENTS_V1)])
    planning = build_planning(database_url, pool_size=2)
    portal = build_portal(database_url, pool_size=2)
    producer = new_producer(kafka_bootstrap, client_id="test-relay")
    await producer.start()
    relay = planning.relay(KafkaSink(producer))
    broker = new_broker(kafka_bootstrap, client_id="test-portal", tracer_provider=tracer_provider)
    for consumer in portal.consumers():
        subscribe(broker, Delivery(consumer, KafkaDeadLetters(producer)), consumer.topics)
    await broker.start()
    relay_task = asyncio.create_task(relay.run())
    yield Pipeline(planning, portal, relay, broker, producer)
    relay.stop()
    await relay_task
    await broker.stop()
    await producer.stop()
    planning.close()
    portal.close()


def create_project(planning: Planning, organisation: UUID) -> UUID:
    tracer = trace.get_tracer("test")
    with tracer.start_as_current_span("POST /api/planning/projects"):
        project = planning.application.create_project(
            organisation_id=organisation, client_id=uuid4(), name="Data centre fit-out",
            starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 18), meta=command_meta(actor="test"),
        )
    return project.id


async def wait_for(check: object, timeout: float = 20) -> None:
    await asyncio.to_thread(eventually, check, timeout)


async def test_a_created_project_reaches_the_portal_through_kafka(pipeline: Pipeline) -> None:
    organisation = uuid4()
    project_id = create_project(pipeline.planning, organisation)
    await wait_for(lambda: pipeline.portal.projects.get(organisation, project_id) is not None)
    assert pipeline.relay.lag() == 0


async def test_the_consumer_span_continues_the_commands_trace(pipeline: Pipeline) -> None:
    spans.clear()
    organisation = uuid4()
    project_id = create_project(pipeline.planning, organisation)
    await wait_for(lambda: pipeline.portal.projects.get(organisation, project_id) is not None)
    finished = spans.get_finished_spans()
    (command_span,) = [s for s in finished if s.name == "POST /api/planning/projects"]
    trace_id = command_span.context.trace_id
    in_trace = {s.name for s in finished if s.context.trace_id == trace_id}
    assert f"publish {PLANNING_EVENTS_V1}" in in_trace
    assert f"apply {PLANNING_EVENTS_V1}" in in_trace
    assert any(s.kind == trace.SpanKind.CONSUMER and s.name != f"apply {PLANNING_EVENTS_V1}"
               for s in finished if s.context.trace_id == trace_id), "FastStream's consume span"


async def test_a_poison_message_is_dead_lettered_and_the_partition_moves_on(
    pipeline: Pipeline, kafka_bootstrap: str,
) -> None:
    poison_key = f"poison-{uuid4()}"
    producer = new_producer(kafka_bootstrap, client_id="test-poisoner")
    await producer.start()
    try:
        await producer.send_and_wait(PLANNING_EVENTS_V1, value=b"{not a cloud event", key=poison_key.encode())
    finally:
        await producer.stop()
    organisation = uuid4()
    project_id = create_project(pipeline.planning, organisation)
    await wait_for(lambda: pipeline.portal.projects.get(organisation, project_id) is not None)

    reader = AIOKafkaConsumer(dead_letter_topic(PLANNING_EVENTS_V1), bootstrap_servers=kafka_bootstrap,
                              auto_offset_reset="earliest", group_id=None)
    await reader.start()
    try:
        found = None
        deadline = asyncio.get_running_loop().time() + 20
        while found is None and asyncio.get_running_loop().time() < deadline:
            batch = await reader.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if record.key == poison_key.encode():
                        found = record
        assert found is not None, "the poison message is in the dead-letter topic"
        headers = {k: v.decode() for k, v in found.headers}
        assert headers["dlq-consumer"] == "portal.projects"
        assert "not a CloudEvent" in headers["dlq-reason"]
        assert found.value == b"{not a cloud event"
    finally:
        await reader.stop()


async def test_kafka_carries_a_structured_cloudevent_keyed_by_the_project(
    pipeline: Pipeline, kafka_bootstrap: str,
) -> None:
    organisation = uuid4()
    project_id = create_project(pipeline.planning, organisation)
    await wait_for(lambda: pipeline.relay.lag() == 0)
    reader = AIOKafkaConsumer(PLANNING_EVENTS_V1, bootstrap_servers=kafka_bootstrap,
                              auto_offset_reset="earliest", group_id=None)
    await reader.start()
    try:
        found = None
        deadline = asyncio.get_running_loop().time() + 20
        while found is None and asyncio.get_running_loop().time() < deadline:
            for records in (await reader.getmany(timeout_ms=500)).values():
                for record in records:
                    if record.key == str(project_id).encode():
                        found = record
        assert found is not None
    finally:
        await reader.stop()
    event = json.loads(found.value)
    jsonschema.validate(event, json.loads((EXPORTED / "cloudevent.json").read_text()))
    jsonschema.validate(event["data"], json.loads((EXPORTED / f"{event['type']}.json").read_text()))
    assert event["specversion"] == "1.0"
    assert event["subject"] == str(project_id)
    assert event["organisationid"] == str(organisation)
    assert event["aggregateversion"] == 1
    assert {k for k, _ in found.headers} >= {"content-type", "traceparent"}
