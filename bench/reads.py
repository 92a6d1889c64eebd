"""5. Read latency: the portal's project view and planning's reads under concurrent load.

Figure: ``GET /api/portal/projects/{id}`` (the portal's read model) with a staff token of
the project's organisation, 16 clients in a closed loop over the projects of the history
(1,000 projects rebuilt into the portal from planning's topic); also planning's own reads:
``GET /api/planning/projects/{id}`` (the aggregate loaded from the event store) and, when
planning serves one, the project's kanban board.
Baseline, same run, same load: a bare FastAPI GET answering the same shape from memory.
Goal: portal view p99 within 5x of the bare endpoint.

Run: ``uv run python -m bench.reads``.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import Any

import httpx
import psycopg

from bench import rebuild, relay
from bench.auth import Issuer, bearer
from bench.history import History, seeded_store
from bench.http_load import LoadResult, MakeRequest, Request, closed_loop
from bench.infra import Infra, infrastructure
from bench.report import Figure, write_result
from bench.services import BARE_API, PLANNING_API, PORTAL_API, Services
from bench.stats import ms, percentile
from trellis_platform.auth.caller import StaffRole

CONCURRENCY = 16
SECONDS = 8.0
PROJECTS = 1_000
BOARD_PATHS = ("/api/planning/projects/{project_id}/board",)


def projects_in_portal(database_url: str) -> list[tuple[uuid.UUID, uuid.UUID]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute("SELECT project_id, organisation_id FROM portal.projects").fetchall()
    return [(r[0], r[1]) for r in rows]


def board_path(planning_url: str) -> str | None:
    """Planning's board route, if this version serves one (it was being built)."""
    try:
        paths = httpx.get(f"{planning_url}/openapi.json", timeout=10).json().get("paths", {})
    except (httpx.HTTPError, ValueError):
        return None
    for path in paths:
        if path.endswith("/board") and "{project_id}" in path:
            return str(path)
    return None


def reads(projects: list[tuple[uuid.UUID, uuid.UUID]], tokens: dict[uuid.UUID, str], template: str
          ) -> MakeRequest:
    rng = random.Random(7)  # noqa: S311 - which project to read, not a secret

    def make(n: int) -> Request:
        project_id, organisation_id = projects[rng.randrange(len(projects))]
        return Request("GET", template.format(project_id=project_id), bearer(tokens[organisation_id]))

    return make


def summary(result: LoadResult) -> dict[str, Any]:
    return {"throughput_per_s": round(result.throughput, 1), "p50_ms": ms(percentile(result.latencies, 50)),
            "p99_ms": ms(percentile(result.latencies, 99)), "completed": result.completed,
            "errors": result.errors, "statuses": result.statuses}


def figures_for(name: str, result: LoadResult, bare: LoadResult, conditions: dict[str, Any]) -> list[Figure]:
    c = {**conditions, name: summary(result), "bare_endpoint": summary(bare)}
    return [
        Figure(f"{name}: p99", ms(percentile(result.latencies, 99)), "ms", "bare FastAPI GET p99",
               ms(percentile(bare.latencies, 99)), False, c),
        Figure(f"{name}: p50", ms(percentile(result.latencies, 50)), "ms", "bare FastAPI GET p50",
               ms(percentile(bare.latencies, 50)), False, c),
        Figure(f"{name}: throughput", round(result.throughput, 1), "reads/s", "bare FastAPI GET throughput",
               round(bare.throughput, 1), True, c),
    ]


async def load(services: Services, issuer: Issuer, projects: list[tuple[uuid.UUID, uuid.UUID]], label: str,
               conditions: dict[str, Any]) -> tuple[list[Figure], dict[str, Any]]:
    tokens = {org: issuer.staff(org, StaffRole.MEMBER, subject="bench-reader") for _, org in projects}
    board = board_path(services.url(PLANNING_API))
    targets: list[tuple[str, str, str]] = [
        (f"portal project view{label}", services.url(PORTAL_API), "/api/portal/projects/{project_id}"),
        (f"planning project read{label}", services.url(PLANNING_API), "/api/planning/projects/{project_id}"),
    ]
    if board is not None:
        targets.append((f"planning kanban board{label}", services.url(PLANNING_API), board))
    conditions = {**conditions, "concurrency": CONCURRENCY, "seconds": SECONDS, "projects": len(projects),
                  "organisations": len(tokens), "kanban_board": board or "not served by planning yet"}
    figures: list[Figure] = []
    seen: dict[str, Any] = {}
    bare_url = services.url(BARE_API)
    for name, url, template in targets:
        result = await closed_loop(url, reads(projects, tokens, template), concurrency=CONCURRENCY,
                                   seconds=SECONDS)
        bare = await closed_loop(bare_url, reads(projects, tokens, "/bare/projects/{project_id}"),
                                 concurrency=CONCURRENCY, seconds=SECONDS)
        seen[name] = summary(result)
        seen[f"{name} (bare)"] = summary(bare)
        print(f"  {name}: {summary(result)}\n    bare: {summary(bare)}", flush=True)
        figures += figures_for(name, result, bare, {**conditions, "path": template})
    return figures, seen


def measure(infra: Infra, issuer: Issuer, history: History, *, label: str
            ) -> tuple[list[Figure], dict[str, Any]]:
    """Reads the projects of ``history``, already rebuilt into the portal's read model."""
    projects = projects_in_portal(history.database_url)
    with Services(infra, issuer, history.database_url) as services:
        services.start(PORTAL_API, PLANNING_API, BARE_API)
        figures, seen = asyncio.run(load(services, issuer, projects, label,
                                         {"stored_events": history.events}))
        memory = services.memory()
    for figure in figures:
        figure.conditions["memory_mib"] = memory
    return figures, seen


NOTES = "Goal: portal view p99 within 5x of the bare endpoint."


def write(figures: list[Figure]) -> None:
    print(f"wrote {write_result('reads', figures, notes=NOTES)}")


def main() -> None:
    with infrastructure() as infra, Issuer() as issuer:
        history = seeded_store(infra, "reads", PROJECTS)
        relay.measure(infra, issuer, history, label="")
        rebuild.measure(infra, issuer, history, label="")
        figures, _ = measure(infra, issuer, history, label="")
    write(figures)


if __name__ == "__main__":
    main()
