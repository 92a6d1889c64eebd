"""Fuzzed and malformed Kafka messages on every topic the portal's and budget's consumers
read, through the real broker and the consumers' own wiring (FastStream subscribers, the
ledger's batch loop, dead letters on ``<topic>.dlq``): bytes that are not JSON, JSON that
is not a CloudEvent, a known event type breaking its contract, an envelope and payload
naming different organisations, nesting ten thousand deep, 900 KB, a type nobody knows,
an organisation nobody has seen, the same event twice.

No consumer crashes; every poison message is in the dead-letter topic with the reason
and the consumer that refused it; and a valid event published after them, on the same
partition, is still applied: nothing is blocked.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from eventsourcing.persistence import Tracking
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace import TracerProvider

from tests.e2e.processes import eventually
from trellis_budget.consumers.batch_delivery import BatchDelivery
from trellis_budget.consumers.kafka_batch_loop import run_batch_loop
from trellis_budget.wiring import Budget, build_budget
from trellis_contracts.budget.budgets_v1 import BudgetSetV1
from trellis_contracts.event_contract import EventContract
from trellis_contracts.identity.organisations_v1 import OrganisationCreatedV1
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.portal.access_v1 import ProjectAccessGrantedV1
from trellis_contracts.registry import BY_TYPE
from trellis_contracts.topics import (
    BUDGET_EVENTS_V1,
    IDENTITY_EVENTS_V1,
    PLANNING_EVENTS_V1,
    PORTAL_EVENTS_V1,
    dead_letter_topic,
)
from trellis_platform.dead_letters import KafkaDeadLetters
from trellis_platform.delivery import Delivery
from trellis_platform.incoming import EventConsumer
from trellis_platform.kafka_consumer import new_broker, subscribe
from trellis_platform.kafka_sink import ensure_topics, new_producer
from trellis_portal.wiring import Portal, build_portal

pytestmark = pytest.mark.kafka

TOPICS = (PLANNING_EVENTS_V1, BUDGET_EVENTS_V1, IDENTITY_EVENTS_V1, PORTAL_EVENTS_V1)
CASE_HEADER = "hostile-case"
WAIT = 60.0


@dataclass
class Consumers:
    portal: Portal
    budget: Budget
    producer: AIOKafkaProducer
    database_url: str
    running: list[EventConsumer] = field(default_factory=list)

    def reading(self, topic: str) -> list[EventConsumer]:
        return [c for c in self.running if topic in c.topics]


@pytest.fixture
async def consumers(database_url: str, kafka_bootstrap: str) -> AsyncIterator[Consumers]:
    await ensure_topics(kafka_bootstrap, [*TOPICS, *map(dead_letter_topic, TOPICS)])
    portal = build_portal(database_url, pool_size=2)
    budget = build_budget(database_url, pool_size=2)
    producer = new_producer(kafka_bootstrap, client_id="hostile-dead-letters")
    await producer.start()
    found = Consumers(portal, budget, producer, database_url)
    # The distributed mode's wiring: FastStream subscribers for the portal and the client's
    # decisions (trellis_platform.runners), the ledger's own batch loop (budget's runners).
    broker: KafkaBroker = new_broker(kafka_bootstrap, client_id="hostile-consumers",
                                     tracer_provider=TracerProvider())
    for consumer in [*portal.consumers(), budget.client_decisions()]:
        subscribe(broker, Delivery(consumer, KafkaDeadLetters(producer)), consumer.topics)
        found.running.append(consumer)
    ledger = budget.ledger_consumer()
    found.running.append(ledger)
    stopping = asyncio.Event()
    await broker.start()
    ledger_loop = asyncio.create_task(run_batch_loop(
        BatchDelivery(ledger, KafkaDeadLetters(producer)), bootstrap=kafka_bootstrap, topics=ledger.topics,
        client_id="hostile-ledger", stopping=stopping))
    try:
        yield found
    finally:
        stopping.set()
        await broker.stop()
        await ledger_loop
        await producer.stop()
        portal.close()
        budget.close()
    assert not ledger_loop.cancelled()


# --- messages -----------------------------------------------------------------------------

def envelope(payload: EventContract, **overrides: Any) -> dict[str, Any]:
    """The CloudEvent a relay would publish for ``payload``."""
    event: dict[str, Any] = {
        "specversion": "1.0", "id": str(uuid4()), "source": "/trellis/hostile-test",
        "type": payload.event_type,
        "subject": str(uuid4()), "time": datetime.now(UTC).isoformat(), "datacontenttype": "application/json",
        "dataschema": f"schemas/{payload.schema_name()}", "organisationid": str(payload.organisation_id),
        "aggregateversion": 1, "data": payload.model_dump(mode="json"),
    }
    event.update(overrides)
    return event


def encoded(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()


def without(event: dict[str, Any], *path: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(event))
    target = copy
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return copy


def with_data(event: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**event, "data": {**event["data"], **changes}}


def nested(depth: int) -> bytes:
    return b'{"specversion": "1.0", "data": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b"}"


def structural_poison(valid: dict[str, Any]) -> dict[str, bytes]:
    """Messages no consumer can ever apply, whatever the topic: for ``valid``'s topic."""
    other_organisation = str(uuid4())
    return {
        "not-json": b"\xff\xfe{{ this is not json",
        "empty": b"",
        "json-scalar": b"42",
        "json-array": b"[1, 2, 3]",
        "not-a-cloudevent": b'{"hello": "world"}',
        "envelope-missing-organisation": encoded(without(valid, "organisationid")),
        "envelope-version-zero": encoded({**valid, "aggregateversion": 0}),
        "envelope-attribute-name-not-cloudevents": encoded({**valid, "x-admin": True}),
        "contract-missing-field": encoded(without(valid, "data", next(iter(valid["data"])))),
        "contract-wrong-types": encoded(with_data(valid, organisation_id="not-a-uuid")),
        "organisation-mismatch": encoded({**valid, "organisationid": other_organisation}),
        "nested-10000-deep": nested(10_000),
    }


def project_created(organisation: UUID, project: UUID | None = None, **extra: Any) -> dict[str, Any]:
    payload = ProjectCreatedV1(project_id=project or uuid4(), organisation_id=organisation, client_id=uuid4(),
                               name="Warehouse roof", starts_on=date(2026, 3, 2), ends_on=date(2026, 6, 26))
    return with_data(envelope(payload, subject=str(payload.project_id)), **extra)


# --- publishing and reading back ----------------------------------------------------------

@dataclass
class Published:
    label: str
    partition: int
    offset: int


async def publish(producer: AIOKafkaProducer, topic: str, key: str, label: str, value: bytes) -> Published:
    sent = await producer.send_and_wait(topic, value=value, key=key.encode(),
                                        headers=[(CASE_HEADER, label.encode())])
    return Published(label, sent.partition, sent.offset)


async def wait_until(check: Callable[[], bool], what: str) -> None:
    try:
        await asyncio.to_thread(eventually, check, WAIT)
    except AssertionError as timed_out:
        raise AssertionError(f"never happened: {what}") from timed_out


async def dead_letters(bootstrap: str, topic: str, key: str,
                       expected: set[tuple[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """(case, consumer) -> the dead letter's headers, once every expected one arrived."""
    reader = AIOKafkaConsumer(dead_letter_topic(topic), bootstrap_servers=bootstrap,
                              auto_offset_reset="earliest", group_id=None)
    await reader.start()
    found: dict[tuple[str, str], dict[str, str]] = {}
    try:
        deadline = asyncio.get_running_loop().time() + WAIT
        while not expected <= found.keys() and asyncio.get_running_loop().time() < deadline:
            for records in (await reader.getmany(timeout_ms=500)).values():
                for record in records:
                    if record.key != key.encode():
                        continue
                    headers = {k: v.decode("utf-8", "replace") for k, v in record.headers}
                    found[(headers.get(CASE_HEADER, "?"), headers.get("dlq-consumer", "?"))] = headers
    finally:
        await reader.stop()
    return found


def portal_project(consumers: Consumers, organisation: UUID, project: UUID) -> bool:
    return consumers.portal.projects.get(organisation, project) is not None


def ledger_projects(consumers: Consumers, project: UUID) -> int:
    with psycopg.connect(consumers.database_url) as conn:
        row = conn.execute("SELECT count(*) FROM budget.plan_projects WHERE project_id = %s",
                           (project,)).fetchone()
    assert row is not None
    return int(row[0])


# --- the tests ----------------------------------------------------------------------------

async def test_poison_on_planning_events_is_dead_lettered_and_the_next_project_still_arrives(
    consumers: Consumers, kafka_bootstrap: str,
) -> None:
    organisation, project, huge_project = uuid4(), uuid4(), uuid4()
    key = f"hostile-{uuid4()}"  # one key: one partition, the valid event behind the poison
    valid = project_created(organisation, project)
    poison = structural_poison(valid)
    never_seen = envelope(BY_TYPE["com.trellis.planning.milestone.scheduled.v1"].model_validate({
        "milestone_id": str(uuid4()), "project_id": str(uuid4()), "organisation_id": str(uuid4()),
        "name": "Foundations", "starts_on": "2026-03-02", "due_on": "2026-04-30"}))
    tolerated = {
        # Forward compatible: a type this version does not know is passed over, not refused.
        "unknown-type": encoded({**valid, "id": str(uuid4()), "type": "com.trellis.planning.hostile.v1"}),
        # Valid, for a project and organisation no consumer has seen: applied or refused, never a crash.
        "never-seen-organisation": encoded(never_seen),
        # Valid, with 900 KB of a field nobody knows (contracts ignore fields added later).
        "900-kb": encoded(with_data(project_created(organisation, huge_project), padding="x" * 900_000)),
    }
    for label, value in {**poison, **tolerated}.items():
        await publish(consumers.producer, PLANNING_EVENTS_V1, key, label, value)
    await publish(consumers.producer, PLANNING_EVENTS_V1, key, "valid", encoded(valid))
    duplicate = await publish(consumers.producer, PLANNING_EVENTS_V1, key, "duplicate", encoded(valid))

    await wait_until(lambda: portal_project(consumers, organisation, project), "the project is in the portal")
    await wait_until(lambda: ledger_projects(consumers, project) == 1, "the project is in the ledger")
    position = Tracking(f"{PLANNING_EVENTS_V1}:{duplicate.partition}", duplicate.offset)
    for consumer in consumers.reading(PLANNING_EVENTS_V1):
        await wait_until(lambda c=consumer: c.has_applied(position), f"{consumer.name} passed the duplicate")
    assert ledger_projects(consumers, project) == 1, "the duplicate changed nothing"

    refusers = {c.name for c in consumers.reading(PLANNING_EVENTS_V1)}
    expected = {(label, name) for label in poison for name in refusers}
    letters = await dead_letters(kafka_bootstrap, PLANNING_EVENTS_V1, key, expected)
    assert expected <= letters.keys(), f"missing dead letters: {sorted(expected - letters.keys())}"
    for (label, _), headers in letters.items():
        assert headers["dlq-reason"], f"{label} is dead-lettered with its reason"
        assert headers["dlq-original-topic"] == PLANNING_EVENTS_V1
    assert {label for label, _ in letters} <= {*poison, "never-seen-organisation", "900-kb"}, \
        "the valid event, its duplicate and the unknown type are never dead-lettered"
    huge_applied = portal_project(consumers, organisation, huge_project)
    assert huge_applied or ("900-kb", "portal.projects") in letters, "900 KB: applied or refused, not lost"


@pytest.mark.parametrize(("topic", "valid_payload"), [
    (BUDGET_EVENTS_V1, lambda org: BudgetSetV1.model_validate({
        "budget_id": str(uuid4()), "project_id": str(uuid4()), "organisation_id": str(org),
        "currency": "EUR", "lines": [], "total": "0"})),
    (IDENTITY_EVENTS_V1, lambda org: OrganisationCreatedV1(organisation_id=org, name="Acme")),
    (PORTAL_EVENTS_V1, lambda org: ProjectAccessGrantedV1(
        organisation_id=org, project_id=uuid4(), client_id=uuid4(), client_user_id=uuid4(), granted_by="x")),
], ids=["budget", "identity", "portal"])
async def test_poison_on_the_other_topics_is_dead_lettered_and_every_consumer_moves_on(
    consumers: Consumers, kafka_bootstrap: str, topic: str,
    valid_payload: Callable[[UUID], EventContract],
) -> None:
    key = f"hostile-{uuid4()}"
    valid = envelope(valid_payload(uuid4()))
    poison = structural_poison(valid)
    for label, value in poison.items():
        await publish(consumers.producer, topic, key, label, value)
    last = await publish(consumers.producer, topic, key, "unknown-type",
                         encoded({**valid, "type": "com.trellis.hostile.future.v1"}))

    position = Tracking(f"{topic}:{last.partition}", last.offset)
    readers = consumers.reading(topic)
    assert readers, f"some consumer reads {topic}"
    for consumer in readers:
        await wait_until(lambda c=consumer: c.has_applied(position), f"{consumer.name} moved past the poison")
    expected = {(label, c.name) for label in poison for c in readers}
    letters = await dead_letters(kafka_bootstrap, topic, key, expected)
    assert expected <= letters.keys(), f"missing dead letters: {sorted(expected - letters.keys())}"
    assert all(headers["dlq-reason"] for headers in letters.values())
