"""1. Command throughput and latency: single-event commands over HTTP at increasing concurrency.

Figure: ``POST /api/planning/projects`` (one ``Project.Created`` event) against the planning
API process, with a real bearer token, at 1, 4, 16 and 64 concurrent clients, each sending
its next command as soon as the last one answered.
Baselines, same run, same concurrency, interleaved: a raw psycopg single-row insert and
commit of the same stored payload into a table shaped like the event store (no table
lock), and a bare FastAPI endpoint taking and answering the same JSON.
Goal: command throughput at least half of raw single-row commits.

Run: ``uv run python -m bench.commands``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench.auth import Issuer
from bench.http_load import LoadResult, Request, closed_loop
from bench.infra import Infra, infrastructure
from bench.raw_postgres import create_raw_table, raw_commits
from bench.report import Figure, write_result
from bench.services import BARE_API, PLANNING_API, Services
from bench.stats import ms, percentile
from bench.workload import Tenant, create_project, create_project_body
from trellis_planning.wiring import build_planning

CONCURRENCY = (1, 4, 16, 64)
SECONDS = 6.0


def stored_payload(database_url: str) -> tuple[str, bytes]:
    """The topic and state of one real Project.Created, as the event store keeps it."""
    planning = build_planning(database_url, pool_size=1)
    try:
        recorder: Any = planning.application.recorder
        notifications = recorder.select_notifications(1, 1)
        if not notifications:
            from datetime import date
            from uuid import uuid4

            from trellis_platform.command_meta import command_meta

            planning.application.create_project(
                organisation_id=uuid4(), client_id=uuid4(), name="Data centre fit-out 1",
                starts_on=date(2026, 1, 5), ends_on=date(2026, 12, 18),
                meta=command_meta(actor="staff:bench-manager", request_id="0" * 32))
            notifications = recorder.select_notifications(1, 1)
        return notifications[0].topic, notifications[0].state
    finally:
        planning.close()


def summary(result: LoadResult) -> dict[str, Any]:
    return {"throughput_per_s": round(result.throughput, 1), "p50_ms": ms(percentile(result.latencies, 50)),
            "p99_ms": ms(percentile(result.latencies, 99)), "completed": result.completed,
            "errors": result.errors}


def figures_at(concurrency: int, trellis: LoadResult, bare: LoadResult, raw: LoadResult,
               conditions: dict[str, Any]) -> list[Figure]:
    c = {**conditions, "concurrency": concurrency, "trellis": summary(trellis),
         "bare_endpoint": summary(bare),
         "raw_commit": summary(raw)}
    return [
        Figure(f"create project over HTTP, {concurrency} clients: throughput", round(trellis.throughput, 1),
               "commands/s", f"raw single-row insert+commit, {concurrency} connections",
               round(raw.throughput, 1), True, c),
        Figure(f"create project over HTTP, {concurrency} clients: throughput vs bare endpoint",
               round(trellis.throughput, 1), "commands/s", f"bare FastAPI POST, {concurrency} clients",
               round(bare.throughput, 1), True, c),
        Figure(f"create project over HTTP, {concurrency} clients: p50", ms(percentile(trellis.latencies, 50)),
               "ms", "bare FastAPI POST p50", ms(percentile(bare.latencies, 50)), False, c),
        Figure(f"create project over HTTP, {concurrency} clients: p99", ms(percentile(trellis.latencies, 99)),
               "ms", "raw single-row insert+commit p99", ms(percentile(raw.latencies, 99)), False, c),
    ]


async def measure(services: Services, tenant: Tenant, topic: str, state: bytes,
                  levels: tuple[int, ...] = CONCURRENCY, seconds: float = SECONDS) -> list[Figure]:
    trellis_url = services.url(PLANNING_API)
    bare_url = services.url(BARE_API)
    make = create_project(tenant)

    def bare_request(n: int) -> Request:
        return Request.json("POST", "/bare/projects", create_project_body(n))

    conditions = {"event_bytes": len(state), "events_per_command": 1, "seconds_per_level": seconds,
                  "load": "closed loop, keep-alive HTTP/1.1", "processes": "planning api (1 process)"}
    figures: list[Figure] = []
    for concurrency in levels:
        trellis = await closed_loop(trellis_url, make, concurrency=concurrency, seconds=seconds, expect=201)
        bare = await closed_loop(bare_url, bare_request, concurrency=concurrency, seconds=seconds, expect=201)
        raw = await raw_commits(services.database_url, topic=topic, state=state, concurrency=concurrency,
                                seconds=seconds)
        print(f"  c={concurrency:<3} trellis {summary(trellis)}\n        bare {summary(bare)}\n"
              f"        raw {summary(raw)}", flush=True)
        figures += figures_at(concurrency, trellis, bare, raw, conditions)
    return figures


NOTES = ("Goal: throughput at least half of raw single-row commits. Trellis and its baselines share the "
         "machine's cores with the load generator, one after the other at each concurrency.")


def run(infra: Infra, issuer: Issuer) -> None:
    database_url = infra.fresh_database("commands")
    topic, state = stored_payload(database_url)
    create_raw_table(database_url)
    tenant = Tenant.new(issuer)
    with Services(infra, issuer, database_url) as services:
        services.start(PLANNING_API, BARE_API)
        figures = asyncio.run(measure(services, tenant, topic, state))
        memory = services.memory()
    for figure in figures:
        figure.conditions["memory_mib"] = memory
    print(f"wrote {write_result('commands', figures, notes=NOTES)}")


def main() -> None:
    with infrastructure() as infra, Issuer() as issuer:
        run(infra, issuer)


if __name__ == "__main__":
    main()
