"""History for the benchmarks: many realistic projects in planning's event store, fast.

One template project is planned through planning's own use cases (in memory): the
project, milestones, tasks created with their details, tasks moved through the workflow,
time logged. Its stored events are then cloned, every id in them replaced by a fresh one
per copy, and the copies written with COPY into the real event store, in notification
order. The relay and every consumer then see exactly what the application would have
written, at a fraction of the time commands would take.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg
from psycopg import sql

from trellis_planning.application.planning import PlanningApplication

_HEX = re.compile(rb'"_data_":"([0-9a-f]{32})"')
_DASHED = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class TemplateEvent:
    originator: int  # index of the id the event belongs to
    version: int
    topic: str
    parts: tuple[bytes | int, ...]  # literal bytes, or the index of an id (hex or dashed form)


@dataclass(frozen=True)
class Template:
    ids: tuple[uuid.UUID, ...]
    dashed: frozenset[int]  # ids written with dashes at some places (index + len(ids) marks those)
    events: tuple[TemplateEvent, ...]
    organisation_index: int
    # The snapshots the application took meanwhile (a project every 50 events), so that
    # loading a cloned project costs what loading a real one does.
    snapshots: tuple[TemplateEvent, ...] = ()

    @property
    def events_per_project(self) -> int:
        return len(self.events)


def _plan_template(tasks: int, status_moves: int) -> tuple[PlanningApplication, uuid.UUID]:
    app = PlanningApplication()
    meta = {"actor": "staff:bench-manager", "request_id": "0" * 32,
            "traceparent": "00-" + "1" * 32 + "-" + "2" * 16 + "-01"}
    organisation = uuid.uuid4()
    project = app.create_project(organisation_id=organisation, client_id=uuid.uuid4(),
                                 name="Data centre fit-out", starts_on=date(2026, 1, 5),
                                 ends_on=date(2026, 12, 18), meta=meta)
    app_any: Any = app
    milestone_ids = []
    for n in range(2):
        try:
            milestone, _ = app_any.add_milestone(
                organisation_id=organisation, project_id=project.id, name=f"Phase {n + 1}",
                starts_on=date(2026, 1, 5) + timedelta(days=90 * n),
                due_on=date(2026, 3, 27) + timedelta(days=90 * n), meta=meta)
            milestone_ids.append(milestone.id)
        except Exception:  # noqa: S112 - the template takes what the application offers today
            continue
    task_ids = []
    for n in range(tasks):
        details: dict[str, Any] = {"description": "Survey, design, build and hand over this part.",
                                   "estimate_minutes": 240 + 30 * (n % 8), "tags": ["site", "phase"],
                                   "starts_on": date(2026, 1, 12) + timedelta(days=3 * n),
                                   "due_on": date(2026, 1, 19) + timedelta(days=3 * n)}
        if milestone_ids:
            details["milestone_id"] = milestone_ids[n % len(milestone_ids)]
        try:
            task, _ = app_any.create_task(organisation_id=organisation, project_id=project.id,
                                          title=f"Work package {n + 1}", details=details, meta=meta)
        except Exception:
            task, _ = app_any.create_task(organisation_id=organisation, project_id=project.id,
                                          title=f"Work package {n + 1}", meta=meta)
        task_ids.append(task.id)
    plan = app_any.load_plan(organisation, project.id)
    statuses = [s.key for s in plan.workflow.statuses]
    moved = 0
    progress = True
    while moved < status_moves and progress:
        progress = False
        for task_id in task_ids:
            if moved >= status_moves:
                break
            task = app_any.task_in(organisation, task_id)
            current = statuses.index(task.status) if task.status in statuses else 0
            target = statuses[(current + 1) % len(statuses)]
            try:
                app_any.change_status(organisation_id=organisation, task_id=task_id, status=target, meta=meta)
            except Exception:  # noqa: S112 - a transition the workflow refuses: try the next task
                continue
            moved += 1
            progress = True
    return app, organisation


def build_template(events_per_project: int = 100) -> Template:
    """A template project of at least (about) ``events_per_project`` stored events."""
    # Each task brings about four events (its creation, the project's note of it, a
    # schedule shift, a status change): measured, not promised by the domain.
    tasks = max(1, -(-events_per_project * 24 // 100))
    app, organisation = _plan_template(tasks, status_moves=tasks)
    recorder: Any = app.recorder
    notifications = list(recorder.select_notifications(1, 1_000_000))
    ids: dict[str, int] = {organisation.hex: 0}

    def index_of(hex_id: str) -> int:
        return ids.setdefault(hex_id, len(ids))

    snapshots: list[Any] = []
    if app.snapshots is not None:
        for originator in dict.fromkeys(n.originator_id for n in notifications):
            snapshots += app.snapshots.recorder.select_events(originator)
    for n in [*notifications, *snapshots]:
        index_of(uuid.UUID(str(n.originator_id)).hex)
        for match in _HEX.finditer(n.state):
            index_of(match.group(1).decode())
        for match in _DASHED.finditer(n.state):
            index_of(uuid.UUID(match.group().decode()).hex)
    count = len(ids)
    dashed: set[int] = set()
    pattern = re.compile(rb"|".join(
        [re.escape(h.encode()) for h in ids] + [re.escape(str(uuid.UUID(h)).encode()) for h in ids]))
    by_text = {h.encode(): i for h, i in ids.items()} | {str(uuid.UUID(h)).encode(): i + count
                                                         for h, i in ids.items()}

    def templated(n: Any) -> TemplateEvent:
        parts: list[bytes | int] = []
        last = 0
        for match in pattern.finditer(n.state):
            parts.append(n.state[last:match.start()])
            index = by_text[match.group()]
            if index >= count:
                dashed.add(index - count)
            parts.append(index)
            last = match.end()
        parts.append(n.state[last:])
        return TemplateEvent(ids[uuid.UUID(str(n.originator_id)).hex], n.originator_version, n.topic,
                             tuple(parts))

    events = [templated(n) for n in notifications]
    snapshot_events = [templated(n) for n in snapshots]
    app.close()
    return Template(tuple(uuid.UUID(h) for h in ids), frozenset(dashed), tuple(events), 0,
                    tuple(snapshot_events))


def cloned_rows(template: Template, projects: int, organisations: int
                ) -> Iterator[tuple[bool, tuple[Any, ...]]]:
    """(is a snapshot, (originator_id, originator_version, topic, state)) for ``projects`` copies."""
    count = len(template.ids)
    orgs = [uuid.uuid4() for _ in range(organisations)]
    for p in range(projects):
        fresh = [uuid.uuid4() for _ in range(count)]
        fresh[template.organisation_index] = orgs[p % organisations]
        texts = [f.hex.encode() for f in fresh] + [str(f).encode() for f in fresh]
        rows = [*((False, e) for e in template.events), *((True, e) for e in template.snapshots)]
        for snapshot, event in rows:
            state = b"".join(texts[part] if isinstance(part, int) else part for part in event.parts)
            yield snapshot, (fresh[event.originator], event.version, event.topic, state)


def copy_into_store(database_url: str, template: Template, *, projects: int, organisations: int,
                    schema: str = "planning", table: str = "planning_events",
                    snapshots_table: str = "planning_snapshots") -> tuple[int, float]:
    """Appends the copies to the event store with COPY; returns (events, seconds)."""
    started = time.perf_counter()
    rows = 0
    columns = "(originator_id, originator_version, topic, state)"
    snapshots: list[tuple[Any, ...]] = []
    with psycopg.connect(database_url) as conn:
        with conn.cursor() as cursor, cursor.copy(sql.SQL("COPY {} " + columns + " FROM STDIN").format(
                sql.Identifier(schema, table))) as copy:
            for snapshot, row in cloned_rows(template, projects, organisations):
                if snapshot:
                    snapshots.append(row)
                    continue
                copy.write_row(row)
                rows += 1
        if snapshots:
            with conn.cursor() as cursor, cursor.copy(sql.SQL("COPY {} " + columns + " FROM STDIN").format(
                    sql.Identifier(schema, snapshots_table))) as copy:
                for row in snapshots:
                    copy.write_row(row)
        conn.commit()
    # What follows a bulk load in production too: statistics, hint bits and the visibility
    # map set, dirty pages flushed. Otherwise the first benchmark to read the new rows
    # would pay for writing them all again.
    with psycopg.connect(database_url, autocommit=True) as conn:
        for name in (table, snapshots_table):
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(schema, name)))
        conn.execute("CHECKPOINT")
    return rows, time.perf_counter() - started
