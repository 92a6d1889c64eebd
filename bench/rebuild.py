"""4. Replay and rebuild: events per second rebuilding a read model from history.

Figure: the portal's consumers process (``python -m trellis_portal consumers``) rebuilding
its read models (the staff's project list and the client views' facts) from planning's
whole topic: the portal schema dropped, the consumer group rewound to the start, the
process started, timed from its first committed offset to the last. About 104,000
events of 1,000 projects (projects, milestones, tasks created and moved, progress).
Baselines, same run, same data: a raw aiokafka consume of the same topic (no parsing, no
database), and a raw read of the event store those events came from.
Goal: rebuild at least a fifth of raw consumption.

Run: ``uv run python -m bench.rebuild``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import psycopg
from aiokafka.admin import AIOKafkaAdminClient
from psycopg import sql

from bench import relay
from bench.auth import Issuer
from bench.history import History, seeded_store
from bench.infra import Infra, end_offsets, infrastructure, reset_group
from bench.raw_kafka import raw_consume
from bench.raw_postgres import raw_read
from bench.report import Figure, write_result
from bench.services import PORTAL_CONSUMERS, Services
from trellis_contracts.topics import PLANNING_EVENTS_V1

PROJECTS = 1_000
GROUP = "portal.projects"


async def committed(bootstrap: str, group: str, topic: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
        return sum(meta.offset for tp, meta in offsets.items() if tp.topic == topic and meta.offset > 0)
    finally:
        await admin.close()


def watch_group(bootstrap: str, target: int, *, timeout: float, poll: float = 0.25) -> tuple[int, int, float]:
    """(offsets when first seen moving, last offsets, seconds between) of the portal's group."""
    deadline = time.monotonic() + timeout
    first: tuple[int, float] | None = None
    done = 0
    while time.monotonic() < deadline:
        done = asyncio.run(committed(bootstrap, GROUP, PLANNING_EVENTS_V1))
        now = time.perf_counter()
        if first is None and done > 0:
            first = (done, now)
        if done >= target:
            break
        time.sleep(poll)
    if first is None:
        return 0, done, 0.0
    return first[0], done, time.perf_counter() - first[1]


def drop_portal(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS portal CASCADE")


def read_model_rows(database_url: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    with psycopg.connect(database_url) as conn:
        for table in ("projects", "view_facts"):
            try:
                row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("portal", table))
                                   ).fetchone()
                counts[table] = int(row[0]) if row else 0
            except psycopg.errors.UndefinedTable:
                conn.rollback()
    return counts


def measure(infra: Infra, issuer: Issuer, history: History, *, label: str, timeout: float = 300
            ) -> tuple[list[Figure], dict[str, Any]]:
    """Rebuilds the portal from the planning topic already holding ``history``."""
    offsets = asyncio.run(end_offsets(infra.bootstrap, PLANNING_EVENTS_V1))
    target = sum(offsets.values())
    drop_portal(history.database_url)
    asyncio.run(reset_group(infra.bootstrap, GROUP, PLANNING_EVENTS_V1))
    with Services(infra, issuer, history.database_url) as services:
        services.start(PORTAL_CONSUMERS)
        first, last, seconds = watch_group(infra.bootstrap, target, timeout=timeout)
        memory = services.memory()
    rows = read_model_rows(history.database_url)
    rate = (last - first) / seconds if seconds else 0.0
    raw_records, raw_seconds, raw_bytes = asyncio.run(raw_consume(infra.bootstrap, PLANNING_EVENTS_V1,
                                                                  expected=target))
    raw_rate = raw_records / raw_seconds if raw_seconds else 0.0
    store_rows, store_seconds, _ = raw_read(history.database_url,
                                            sql.Identifier("planning", "planning_events"))
    store_rate = store_rows / store_seconds if store_seconds else 0.0
    conditions = {"projects": history.projects, "topic_events": target, "partitions": len(offsets),
                  "rebuilt_events": last, "rebuild_seconds": round(seconds, 2), "complete": last >= target,
                  "read_model_rows": rows,
                  "raw_consume": {"records": raw_records, "seconds": round(raw_seconds, 2),
                                                          "bytes": raw_bytes},
                  "event_store_read": {"rows": store_rows, "seconds": round(store_seconds, 2)},
                  "memory_mib": memory}
    figures = [
        Figure(f"rebuild portal read models{label}", round(rate, 1), "events/s",
               "raw aiokafka consume of the same topic", round(raw_rate, 1), True, conditions),
        Figure(f"rebuild portal read models{label} vs event store read", round(rate, 1), "events/s",
               "raw read of the event store (server-side cursor)", round(store_rate, 1), True, conditions),
    ]
    return figures, conditions


NOTES = "Goal: rebuild at least a fifth of raw consumption."


def write(figures: list[Figure]) -> None:
    print(f"wrote {write_result('rebuild', figures, notes=NOTES)}")


def main() -> None:
    with infrastructure() as infra, Issuer() as issuer:
        history = seeded_store(infra, "rebuild", PROJECTS)
        relay.measure(infra, issuer, history, label="")  # fills the topic the rebuild reads
        figures, seen = measure(infra, issuer, history, label="")
        print(f"  {seen}", flush=True)
    write(figures)


if __name__ == "__main__":
    main()
