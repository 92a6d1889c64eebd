"""Loading many aggregates in one query: a plan's tasks, milestones and settings.

``repository.get`` asks the event store twice per aggregate (its latest snapshot, then
the events after it): a plan of 24 tasks and 2 milestones cost 54 round trips before its
board could answer. Here the events of all of them come in one query, and each aggregate
is projected from its events as ``repository.get`` does. Snapshots only save reading
events: every event is kept, so projecting all of them gives the same aggregate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

from trellis_platform.projection import project_events


def load_many(app: Application[UUID], aggregate_ids: Sequence[UUID]) -> dict[UUID, Any]:
    """The aggregates found among ``aggregate_ids`` (absent ones are left out), each as
    ``app.repository.get`` would give it."""
    wanted = list(dict.fromkeys(aggregate_ids))
    if not wanted:
        return {}
    recorder = app.recorder
    if isinstance(recorder, PostgresApplicationRecorder):
        stored = _select_events_of(recorder, wanted)
    else:
        stored = {i: list(recorder.select_events(i)) for i in wanted}
    found: dict[UUID, Any] = {}
    for aggregate_id, events in stored.items():
        aggregate = project_events(None, map(app.mapper.to_domain_event, events))
        if aggregate is not None:
            found[aggregate_id] = aggregate
    return found


def _select_events_of(recorder: PostgresApplicationRecorder, aggregate_ids: list[UUID]
                      ) -> dict[UUID, list[StoredEvent]]:
    statement = sql.SQL(
        "SELECT originator_id, originator_version, topic, state FROM {}.{}"
        " WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version"
    ).format(sql.Identifier(recorder.datastore.schema), sql.Identifier(recorder.events_table_name))
    grouped: dict[UUID, list[StoredEvent]] = defaultdict(list)
    with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
        curs.execute(statement, (aggregate_ids,), prepare=True)
        for row in curs.fetchall():
            grouped[row["originator_id"]].append(StoredEvent(
                originator_id=row["originator_id"], originator_version=row["originator_version"],
                topic=row["topic"], state=bytes(row["state"])))
    return grouped
