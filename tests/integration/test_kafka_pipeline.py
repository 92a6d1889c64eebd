"""One fact end to end through the real broker: HTTP command -> event store -> relay ->
Kafka -> FastStream consumer -> portal read model, with one trace from start to finish.

Commands go through the services' real routes, as an organisation that signed up and
logged in with the real identity service."""

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import jsonschema
import pytest
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.e2e.accounts import PASSWORD
from tests.e2e.processes import eventually
from trellis_contracts.topics import IDENTITY_EVENTS_V1, PLANNING_EVENTS_V1, dead_letter_topic
from trellis_identity.application.passwords import fast_passwords
from trellis_identity.wiring import Identity, build_identity
from trellis_planning.wiring import Planning, build_planning
from trellis_platform.dead_letters import KafkaDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.http_app import new_http_app
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
    def __init__(self, planning: Planning, portal: Portal, identity: Identity, relay: NotificationRelay,
                 broker: KafkaBroker, dead_letter_producer: object, http: httpx.AsyncClient) -> None:
        self.planning = planning
        self.portal = portal
        self.identity = identity
        self.relay = relay
        self.broker = broker
        self.dead_letter_producer = dead_letter_producer
        self.http = http
        self.headers: dict[str, str] = {}
        self.organisation = UUID(int=0)

    async def sign_up(self) -> None:
        email = f"owner-{uuid4().hex[:8]}@acme.test"
        signed = await self.http.post("/api/identity/signup", json={
            "organisation_name": "Acme", "name": "Olivia", "email": email, "password": PASSWORD})
        assert signed.status_code == 201, signed.text
        tokens = await self.http.post("/api/identity/login", json={"email": email, "password": PASSWORD})
        self.headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        self.organisation = UUID(signed.json()["organisation_id"])


@pytest.fixture
async def pipeline(database_url: str, kafka_bootstrap: str) -> AsyncIterator[Pipeline]:
    await ensure_topics(kafka_bootstrap, [PLANNING_EVENTS_V1, dead_letter_topic(PLANNING_EVENTS_V1),
                                          IDENTITY_EVENTS_V1])
    planning = build_planning(database_url, pool_size=2)
    portal = build_portal(database_url, pool_size=2)
    identity = build_identity(database_url, pool_size=2, passwords=fast_passwords())
    app = new_http_app(title="Trellis", routers=[*identity.routers(), *planning.routers()],
                       token_verifier=identity.token_verifier())
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://trellis.test")
    producer = new_producer(kafka_bootstrap, client_id="test-relay")
    await producer.start()
    relay = planning.relay(KafkaSink(producer))
    broker = new_broker(kafka_bootstrap, client_id="test-portal", tracer_provider=tracer_provider)
    for consumer in portal.consumers():
        subscribe(broker, Delivery(consumer, KafkaDeadLetters(producer)), consumer.topics)
    await broker.start()
    relay_task = asyncio.create_task(relay.run())
    pipeline = Pipeline(planning, portal, identity, relay, broker, producer, http)
    await pipeline.sign_up()
    yield pipeline
    relay.stop()
    await relay_task
    await http.aclose()
    await broker.stop()
    await producer.stop()
    planning.close()
    portal.close()
    identity.close()


async def create_project(pipeline: Pipeline) -> UUID:
    created = await pipeline.http.post("/api/planning/projects", headers=pipeline.headers, json={
        "client_id": str(uuid4()), "name": "Data centre fit-out", "starts_on": "2026-07-01",
        "ends_on": "2026-12-18"})
    assert created.status_code == 201, created.text
    return UUID(created.json()["id"])


async def wait_for(check: object, timeout: float = 20) -> None:
    await asyncio.to_thread(eventually, check, timeout)


async def test_a_created_project_reaches_the_portal_through_kafka(pipeline: Pipeline) -> None:
    organisation = pipeline.organisation
    project_id = await create_project(pipeline)
    await wait_for(lambda: pipeline.portal.projects.get(organisation, project_id) is not None)
    assert pipeline.relay.lag() == 0


async def test_the_consumer_span_continues_the_commands_trace(pipeline: Pipeline) -> None:
    spans.clear()
    organisation = pipeline.organisation
    project_id = await create_project(pipeline)
    await wait_for(lambda: pipeline.portal.projects.get(organisation, project_id) is not None)
    (command_span,) = [s for s in spans.get_finished_spans() if s.name == "POST /api/planning/projects"]
    trace_id = command_span.context.trace_id

    def in_trace() -> list[ReadableSpan]:
        return [s for s in spans.get_finished_spans() if s.context.trace_id == trace_id]

    def consumed() -> bool:
        # FastStream's own consume span ends once the handler returned, a moment after the apply.
        return any(s.kind == trace.SpanKind.CONSUMER and s.name != f"apply {PLANNING_EVENTS_V1}"
                   for s in in_trace())

    await wait_for(consumed)
    names = {s.name for s in in_trace()}
    assert f"publish {PLANNING_EVENTS_V1}" in names
    assert f"apply {PLANNING_EVENTS_V1}" in names


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
    organisation = pipeline.organisation
    project_id = await create_project(pipeline)
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
    organisation = pipeline.organisation
    project_id = await create_project(pipeline)
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


async def test_identity_publishes_client_users_as_cloudevents_for_the_portal(
    pipeline: Pipeline, kafka_bootstrap: str,
) -> None:
    http, headers = pipeline.http, pipeline.headers
    client = await http.post("/api/identity/clients", headers=headers, json={"name": "Globex"})
    client_id = client.json()["id"]
    user = await http.post(f"/api/identity/clients/{client_id}/users", headers=headers, json={
        "email": f"carl-{uuid4().hex[:8]}@globex.test", "name": "Carl", "role": "approver",
        "password": PASSWORD})
    assert user.status_code == 201, user.text
    producer = new_producer(kafka_bootstrap, client_id="test-identity-relay")
    await producer.start()
    try:
        relay = pipeline.identity.relay(KafkaSink(producer))
        while await relay.relay_batch():
            pass
    finally:
        await producer.stop()

    reader = AIOKafkaConsumer(IDENTITY_EVENTS_V1, bootstrap_servers=kafka_bootstrap,
                              auto_offset_reset="earliest", group_id=None)
    await reader.start()
    try:
        found: list[dict[str, object]] = []
        deadline = asyncio.get_running_loop().time() + 20
        while len(found) < 4 and asyncio.get_running_loop().time() < deadline:
            for records in (await reader.getmany(timeout_ms=500)).values():
                key = str(pipeline.organisation).encode()
                found.extend(json.loads(r.value) for r in records if r.key == key)
    finally:
        await reader.stop()
    assert [e["type"] for e in found] == [
        "com.trellis.identity.organisation.created.v1", "com.trellis.identity.staff_user.added.v1",
        "com.trellis.identity.client.created.v1", "com.trellis.identity.client_user.added.v1"]
    for event in found:
        jsonschema.validate(event, json.loads((EXPORTED / "cloudevent.json").read_text()))
        jsonschema.validate(event["data"], json.loads((EXPORTED / f"{event['type']}.json").read_text()))
    added = found[-1]["data"]
    assert isinstance(added, dict)
    assert (added["client_id"], added["user_id"], added["role"]) == (client_id, user.json()["id"], "approver")
