"""2. Propagation lag: from a command's commit to the change being visible in the portal.

Figure: projects created over HTTP at a fixed rate (open loop: the next command leaves on
time whatever the last one's fate) while planning's API, relay and the portal's
consumers run as processes; the lag of each project from its command's acknowledgement
(just after its commit) to its row being visible in the portal's read model, found by
polling that table every few milliseconds. p50, p99 and max at 50% and 90% of the maximum
write rate, itself measured first in the same run (closed loop, 16 clients, with the whole
pipeline running).
Baseline, same run, same rates: raw Kafka produce-to-consume latency (aiokafka, the relay's
producer settings, messages of the same size).
Goal: p99 under one second at half load.

Run: ``uv run python -m bench.propagation``.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any

import psycopg

from bench.auth import Issuer
from bench.http_load import Response, closed_loop, open_loop
from bench.infra import Infra, infrastructure, recreate_topics
from bench.raw_kafka import produce_to_consume_latency
from bench.report import Figure, write_result
from bench.services import PLANNING_API, PLANNING_RELAY, PORTAL_CONSUMERS, Services
from bench.stats import ms, percentile
from bench.workload import Tenant, create_project, created_id
from trellis_contracts.topics import PLANNING_EVENTS_V1, dead_letter_topic
from trellis_planning.wiring import build_planning

MAX_RATE_SECONDS = 8.0
MAX_RATE_CONCURRENCY = 16
LOAD_SECONDS = 15.0
FRACTIONS = (0.5, 0.9)
POLL_SECONDS = 0.005
MESSAGE_BYTES = 800


class Visibility:
    """Polls the portal's read model for the projects still in flight."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.pending: dict[uuid.UUID, float] = {}
        self.lags: list[float] = []
        self._stop = asyncio.Event()

    def acknowledged(self, response: Response) -> None:
        self.pending[created_id(response)] = response.received_at

    async def run(self) -> None:
        async with await psycopg.AsyncConnection.connect(self.database_url, autocommit=True) as conn:
            while not (self._stop.is_set() and not self.pending):
                if self.pending:
                    ids = list(self.pending)
                    cursor = await conn.execute(
                        "SELECT project_id FROM portal.projects WHERE project_id = ANY(%s)",
                                                (ids,), prepare=True)
                    seen = await cursor.fetchall()
                    now = time.perf_counter()
                    for (project_id,) in seen:
                        acked = self.pending.pop(project_id, None)
                        if acked is not None:
                            self.lags.append(max(0.0, now - acked))
                await asyncio.sleep(POLL_SECONDS)

    def stop(self) -> None:
        self._stop.set()


async def drained(database_url: str, timeout: float = 60) -> None:
    """Waits until the portal has caught up with everything planning stored."""
    deadline = time.monotonic() + timeout
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        while time.monotonic() < deadline:
            stored = await (await conn.execute("SELECT count(*) FROM planning.planning_events"
                                               " WHERE topic LIKE %s", ("%Project.Created",))).fetchone()
            shown = await (await conn.execute("SELECT count(*) FROM portal.projects")).fetchone()
            if stored and shown and shown[0] >= stored[0]:
                return
            await asyncio.sleep(0.2)


async def measure_at(services: Services, tenant: Tenant, rate: float
                     ) -> tuple[list[float], int, dict[int, int]]:
    visibility = Visibility(services.database_url)
    watcher = asyncio.create_task(visibility.run())
    result = await open_loop(services.url(PLANNING_API), create_project(tenant), rate=rate,
                             seconds=LOAD_SECONDS,
                             on_response=visibility.acknowledged, max_connections=64)
    visibility.stop()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(watcher, timeout=60)
    return visibility.lags, len(visibility.pending), result.statuses


async def measure(services: Services, tenant: Tenant, bootstrap: str) -> tuple[list[Figure], dict[str, Any]]:
    top = await closed_loop(services.url(PLANNING_API), create_project(tenant),
                            concurrency=MAX_RATE_CONCURRENCY,
                            seconds=MAX_RATE_SECONDS, expect=201)
    max_rate = top.throughput
    await drained(services.database_url)
    print(f"  maximum write rate {max_rate:.1f}/s", flush=True)
    figures: list[Figure] = []
    seen: dict[str, Any] = {"max_write_rate": round(max_rate, 1)}
    for fraction in FRACTIONS:
        rate = max(1.0, max_rate * fraction)
        lags, unseen, statuses = await measure_at(services, tenant, rate)
        await drained(services.database_url)
        raw = await produce_to_consume_latency(bootstrap, f"bench.latency-{int(fraction * 100)}", rate=rate,
                                               seconds=min(LOAD_SECONDS, 10.0), size=MESSAGE_BYTES)
        load = f"{int(fraction * 100)}% of max write rate"
        conditions = {"rate_per_s": round(rate, 1), "max_write_rate_per_s": round(max_rate, 1),
                      "seconds": LOAD_SECONDS, "commands": len(lags) + unseen, "never_seen": unseen,
                      "statuses": statuses, "poll_ms": POLL_SECONDS * 1000,
                      "raw_kafka": {"p50_ms": ms(percentile(raw, 50)), "p99_ms": ms(percentile(raw, 99)),
                                    "max_ms": ms(max(raw) if raw else float("nan")), "messages": len(raw)},
                      "processes": "planning api, planning relay, portal consumers"}
        seen[load] = {"p50_ms": ms(percentile(lags, 50)), "p99_ms": ms(percentile(lags, 99)),
                      "max_ms": ms(max(lags) if lags else float("nan")), "never_seen": unseen}
        print(f"  {load}: {seen[load]}  raw kafka {conditions['raw_kafka']}", flush=True)
        for name, q in (("p50", 50.0), ("p99", 99.0), ("max", 100.0)):
            value = max(lags) if q == 100.0 and lags else percentile(lags, q)
            baseline = max(raw) if q == 100.0 and raw else percentile(raw, q)
            figures.append(Figure(f"propagation commit -> portal, {load}: {name}", ms(value), "ms",
                                  f"raw Kafka produce -> consume {name}", ms(baseline), False, conditions))
    return figures, seen


def run(infra: Infra, issuer: Issuer) -> None:
    recreate_topics(infra.bootstrap, [PLANNING_EVENTS_V1, dead_letter_topic(PLANNING_EVENTS_V1)])
    database_url = infra.fresh_database("propagation")
    # Tables first: processes started together on an empty database race to create them
    # (CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin in PostgreSQL).
    build_planning(database_url, pool_size=1).close()
    tenant = Tenant.new(issuer)
    with Services(infra, issuer, database_url) as services:
        services.start(PLANNING_API, PLANNING_RELAY, PORTAL_CONSUMERS)
        figures, _ = asyncio.run(measure(services, tenant, infra.bootstrap))
        memory = services.memory()
    for figure in figures:
        figure.conditions["memory_mib"] = memory
    path = write_result("propagation", figures, notes="Goal: p99 under one second at half load.")
    print(f"wrote {path}")


def main() -> None:
    with infrastructure() as infra, Issuer() as issuer:
        run(infra, issuer)


if __name__ == "__main__":
    main()
