"""A planning event store filled with history, and watching the relay work through it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache

import psycopg

from bench.infra import Infra
from bench.seed import Template, build_template, copy_into_store
from trellis_planning.wiring import build_planning

EVENTS_PER_PROJECT = 100
PROJECTS_PER_ORGANISATION = 100


@cache
def template() -> Template:
    return build_template(EVENTS_PER_PROJECT)


@dataclass(frozen=True)
class History:
    database_url: str
    projects: int
    events: int
    seed_seconds: float


def seeded_store(infra: Infra, label: str, projects: int) -> History:
    database_url = infra.fresh_database(label)
    build_planning(database_url, pool_size=1).close()  # creates the schema and its tables
    return add_history(database_url, projects)


def add_history(database_url: str, projects: int) -> History:
    organisations = max(1, projects // PROJECTS_PER_ORGANISATION)
    events, seconds = copy_into_store(database_url, template(), projects=projects,
                                      organisations=organisations)
    return History(database_url, projects, events, seconds)


def store_size(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT coalesce(max(notification_id), 0) FROM planning.planning_events").fetchone()
    return int(row[0]) if row else 0


def relay_position(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        try:
            row = conn.execute("SELECT max(notification_id) FROM planning.planning_relay_tracking"
                               " WHERE application_name = 'planning'").fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
    return int(row[0] or 0) if row else 0


def watch_relay(database_url: str, target: int, *, timeout: float, poll: float = 0.1
                ) -> tuple[int, int, float]:
    """Waits until the relay's position reaches ``target``, or ``timeout`` passes.

    Returns (position when first seen moving, last position, seconds between): the
    relay's start-up (imports, connecting) is not part of its throughput.
    """
    deadline = time.monotonic() + timeout
    initial = relay_position(database_url)
    first: tuple[int, float] | None = None
    position = initial
    while time.monotonic() < deadline:
        position = relay_position(database_url)
        now = time.perf_counter()
        if first is None and position > initial:
            first = (position, now)
        if position >= target:
            break
        time.sleep(poll)
    if first is None:
        return initial, position, 0.0
    return first[0], position, time.perf_counter() - first[1]
