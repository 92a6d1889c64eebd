"""Planning's events applied in batches leave the same read model as applied one by one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from portal_test_kit import envelope, incoming

from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_contracts.planning.tasks_v1 import (
    TaskCreatedV1,
    TaskRenamedV1,
    TaskRescheduledV1,
    TaskStatusChangedV1,
)
from trellis_contracts.topics import PLANNING_EVENTS_V1
from trellis_local.pytest_plugin import fresh_database
from trellis_platform.incoming import IncomingEvent
from trellis_portal.wiring import Portal, build_portal


@pytest.fixture
def other_portal(postgres_server_url: str) -> Iterator[Portal]:
    with fresh_database(postgres_server_url) as url:
        service = build_portal(url, pool_size=2, environ={})
        yield service
        service.close()


def planning_history(rng: random.Random) -> list[IncomingEvent]:
    """Two organisations' projects and tasks, tasks renamed, moved and rescheduled, with
    some events delivered twice (a relay re-publish at a new offset)."""
    events: list[IncomingEvent] = []
    offset = 0

    def add(payload: Any, subject: UUID, version: int) -> None:
        nonlocal offset
        events.append(incoming(envelope(payload, subject=subject, version=version), PLANNING_EVENTS_V1,
                               offset=offset, stream=f"{PLANNING_EVENTS_V1}:0"))
        offset += 1

    for organisation in (uuid4(), uuid4()):
        for p in range(3):
            project = uuid4()
            add(ProjectCreatedV1(project_id=project, organisation_id=organisation, client_id=uuid4(),
                                 name=f"Project {p}", starts_on=date(2026, 1, 5), ends_on=date(2026, 12, 18)),
                project, 1)
            for t in range(4):
                task = uuid4()
                scope = {"task_id": task, "organisation_id": organisation, "project_id": project}
                created = TaskCreatedV1(
                    **scope, title=f"Task {t}", description="", parent_id=None, milestone_id=None,
                    assignee_ids=[], estimate_minutes=60, duration_days=2, starts_on=None, due_on=None,
                    priority="normal", tags=[], custom_values={}, status="todo", status_category="todo")
                add(created, task, 1)
                version = 1
                for change in range(rng.randint(1, 4)):
                    version += 1
                    kind = rng.choice(("rename", "status", "reschedule"))
                    if kind == "rename":
                        payload: Any = TaskRenamedV1(**scope, title=f"Task {t}, take {change}")
                    elif kind == "status":
                        payload = TaskStatusChangedV1(**scope, status="doing", status_category="in_progress",
                                                      rank="m")
                    else:
                        payload = TaskRescheduledV1(**scope, starts_on=date(2026, 2, 1 + change),
                                                    duration_days=3, due_on=date(2026, 2, 4 + change))
                    add(payload, task, version)
                    if rng.random() < 0.2:
                        add(payload, task, version)  # the same fact again: changes nothing
    return events


def read_model(portal: Portal) -> dict[str, Any]:
    with psycopg.connect(portal.database_url) as conn:
        current = conn.execute(
            "SELECT organisation_id, scope, kind, key, body, source, source_version FROM portal.view_facts"
            " WHERE valid_to IS NULL ORDER BY organisation_id, scope, kind, key").fetchall()
        changes = conn.execute("SELECT count(*) FROM portal.view_facts").fetchone()
        projects = conn.execute("SELECT project_id, organisation_id, client_id, name, version"
                                " FROM portal.projects ORDER BY project_id").fetchall()
    return {"current": current, "changes": changes, "projects": projects}


def planning_consumer(portal: Portal) -> Any:
    (consumer,) = [c for c in portal.consumers() if PLANNING_EVENTS_V1 in c.topics]
    return consumer


@pytest.mark.parametrize("seed", [1, 2])
def test_batches_and_single_events_build_the_same_read_model(portal: Portal, other_portal: Portal,
                                                              seed: int) -> None:
    events = planning_history(random.Random(seed))
    one_by_one = planning_consumer(portal)
    for event in events:
        one_by_one.apply(event)
    batched = planning_consumer(other_portal)
    rng = random.Random(seed)
    start = 0
    while start < len(events):
        size = rng.randint(2, 25)
        batched.apply_batch(events[start:start + size])
        start += size
    assert read_model(other_portal) == read_model(portal)


def test_a_redelivered_batch_changes_nothing(portal: Portal) -> None:
    events = planning_history(random.Random(3))
    consumer = planning_consumer(portal)
    assert consumer.apply_batch(events) > 0
    before = read_model(portal)
    assert consumer.apply_batch(events) == 0
    assert read_model(portal) == before
