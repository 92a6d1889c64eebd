"""kill -9 of the relay and of the portal consumers in the middle of 1,000 project creations.

Afterwards: every acknowledged command is in the event store, every stored event is on
Kafka at least once, and the read model holds each project exactly once. The commands
are an organisation's, signed up and logged in through the gateway like any client.
"""

import asyncio
import time
from collections.abc import Iterator
from uuid import uuid4

import httpx
import psycopg
import pytest
from aiokafka import AIOKafkaConsumer

from tests.e2e.accounts import Account, sign_up
from tests.e2e.processes import eventually
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

CREATIONS = 1000
CONCURRENCY = 8


@pytest.fixture
def stack(test_paths: LocalPaths, database_url: str, kafka_bootstrap: str) -> Iterator[Stack]:
    # Its own state directory: pid files, ports and logs of this stack only.
    stack = Stack(
        local_paths(test_paths.root / "stacks" / "faults"),
        database_url=database_url,
        kafka_bootstrap=kafka_bootstrap,
        # One tenant sends a thousand commands as fast as it can: not what the rate limit is for.
        extra_env={"TRELLIS_GATEWAY_TENANT_RATE": "100000/s"},
    )
    try:
        stack.up()
    except Exception:
        stack.down(infrastructure=False)
        raise
    yield stack
    stack.down(infrastructure=False)


async def create_projects(stack: Stack, owner: Account, acknowledged: list[str]) -> int:
    failures = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(CREATIONS):
        queue.put_nowait(n)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            n = queue.get_nowait()
            body = {
                "client_id": str(uuid4()),
                "name": f"Unit {n}",
                "starts_on": "2026-01-05",
                "ends_on": "2026-12-18",
            }
            response = await client.post(f"{stack.gateway_url}/api/planning/projects", json=body,
                                         headers=owner.headers)
            if response.status_code == 201:
                acknowledged.append(response.json()["id"])
            else:
                failures += 1

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(CONCURRENCY)))
    return failures


async def crash_and_restart(stack: Stack, role: str, acknowledged: list[str], after: int) -> None:
    await asyncio.to_thread(eventually, lambda: len(acknowledged) >= after, 120, 0.01)
    await asyncio.to_thread(stack.kill, role)
    await asyncio.sleep(1.0)
    await asyncio.to_thread(stack.start, role)


def stored_project_ids(database_url: str, organisation: str) -> list[str]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT p.project_id FROM portal.projects p WHERE p.organisation_id = %s", (organisation,)
        ).fetchall()
    return [str(r[0]) for r in rows]


def event_store_ids(database_url: str) -> set[str]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT originator_id FROM planning.planning_events").fetchall()
    return {str(r[0]) for r in rows}


async def keys_on_kafka(bootstrap: str) -> list[str]:
    reader = AIOKafkaConsumer(
        PLANNING_EVENTS_V1, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await reader.start()
    keys: list[str] = []
    try:
        idle_rounds = 0
        while idle_rounds < 3:
            batch = await reader.getmany(timeout_ms=1000, max_records=5000)
            records = [r for rs in batch.values() for r in rs]
            idle_rounds = 0 if records else idle_rounds + 1
            keys.extend(r.key.decode() for r in records if r.key)
    finally:
        await reader.stop()
    return keys


async def test_nothing_acknowledged_is_lost_and_nothing_is_applied_twice(
    stack: Stack,
    database_url: str,
    kafka_bootstrap: str,
) -> None:
    owner = await asyncio.to_thread(sign_up, stack.gateway_url)
    organisation = owner.organisation_id
    acknowledged: list[str] = []
    started = time.monotonic()
    failures, *_ = await asyncio.gather(
        create_projects(stack, owner, acknowledged),
        crash_and_restart(stack, "planning-relay", acknowledged, after=CREATIONS * 3 // 10),
        crash_and_restart(stack, "portal-consumers", acknowledged, after=CREATIONS * 6 // 10),
    )
    assert failures == 0, "the API stayed up; only the relay and consumers were killed"
    assert len(acknowledged) == CREATIONS

    stored = event_store_ids(database_url)
    assert set(acknowledged) <= stored, "every 2xx is in the event store"

    await asyncio.to_thread(
        eventually, lambda: len(stored_project_ids(database_url, organisation)) >= CREATIONS, 120, 0.5
    )
    on_kafka = set(await keys_on_kafka(kafka_bootstrap))
    assert set(acknowledged) <= on_kafka, "every stored event reached Kafka at least once"

    in_view = stored_project_ids(database_url, organisation)
    assert sorted(in_view) == sorted(acknowledged), "each project exactly once in the read model"
    print(f"\n{CREATIONS} creations with the relay and consumers killed in {time.monotonic() - started:.1f}s")
