"""The records read model in planning's PostgreSQL schema: documented tables analysts
may query (``time_entries``, ``documents``, ``resources``), kept with their tracking
position in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from trellis_planning.views.records import (
    Change,
    DocumentRow,
    Page,
    ResourceHoursSet,
    ResourceRow,
    TimeEntryFilter,
    TimeEntryRemoved,
    TimeEntryRow,
)

TRACKING_NAME = "planning"
_LOCK_KEY = 0x7EC0_4D5  # pg_advisory_xact_lock: one catch-up at a time applies a batch


class PostgresRecordsView(PostgresTrackingRecorder):
    def __init__(self, datastore: PostgresDatastore) -> None:
        super().__init__(datastore, tracking_table_name="records_view_tracking")
        self._time_entries = sql.Identifier(datastore.schema, "time_entries")
        self._documents = sql.Identifier(datastore.schema, "documents")
        self._resources = sql.Identifier(datastore.schema, "resources")
        self.sql_create_statements += [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                " time_entry_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, project_id uuid NOT NULL,"
                " task_id uuid NOT NULL, person_id uuid NOT NULL, worked_on date NOT NULL,"
                " minutes integer NOT NULL, billable boolean NOT NULL, note text NOT NULL,"
                " recorded_at timestamptz NOT NULL, changed_at timestamptz NOT NULL, version bigint NOT NULL)"
            ).format(self._time_entries),
            sql.SQL("CREATE INDEX IF NOT EXISTS time_entries_by_day ON {}"
                    " (organisation_id, worked_on, time_entry_id)").format(self._time_entries),
            sql.SQL("CREATE INDEX IF NOT EXISTS time_entries_by_project ON {}"
                    " (project_id, worked_on)").format(self._time_entries),
            sql.SQL("CREATE INDEX IF NOT EXISTS time_entries_by_person ON {}"
                    " (person_id, worked_on)").format(self._time_entries),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                " document_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, project_id uuid NOT NULL,"
                " name text NOT NULL, latest_version integer NOT NULL, size bigint NOT NULL,"
                " sha256 text NOT NULL, content_type text NOT NULL, changed_at timestamptz NOT NULL)"
            ).format(self._documents),
            sql.SQL("CREATE INDEX IF NOT EXISTS documents_by_project ON {}"
                    " (project_id, name, document_id)").format(self._documents),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                " resource_id uuid PRIMARY KEY, organisation_id uuid NOT NULL, kind text NOT NULL,"
                " name text NOT NULL, role text, user_id text, hours_per_day numeric NOT NULL)"
            ).format(self._resources),
            sql.SQL("CREATE INDEX IF NOT EXISTS resources_by_name ON {}"
                    " (organisation_id, name, resource_id)").format(self._resources),
        ]

    def position(self) -> int:
        return self.max_tracking_id(TRACKING_NAME) or 0

    def apply(self, changes: Sequence[tuple[int, list[Change]]], up_to: int) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            # This view's own row only: eventsourcing keeps a '__migration__' row (id 1) in the
            # same table, which read as a position made a first catch-up to 1 loop for ever.
            curs.execute(sql.SQL("SELECT max(notification_id) AS n FROM {} WHERE application_name = %s")
                         .format(sql.Identifier(self.datastore.schema, self.tracking_table_name)),
                         (TRACKING_NAME,))
            row = curs.fetchone()
            position = (row["n"] if row else None) or 0
            if position >= up_to:
                return
            for notification_id, batch in changes:
                if notification_id > position:
                    for change in batch:
                        self._apply(curs, change)
            self._insert_tracking(curs, Tracking(TRACKING_NAME, up_to))

    def _apply(self, curs: Cursor[DictRow], change: Change) -> None:
        if isinstance(change, TimeEntryRow):
            curs.execute(sql.SQL(
                "INSERT INTO {} (time_entry_id, organisation_id, project_id, task_id, person_id, worked_on,"
                " minutes, billable, note, recorded_at, changed_at, version)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (time_entry_id) DO UPDATE SET project_id = excluded.project_id,"
                " task_id = excluded.task_id, person_id = excluded.person_id, worked_on = excluded.worked_on,"
                " minutes = excluded.minutes, billable = excluded.billable, note = excluded.note,"
                " changed_at = excluded.changed_at, version = excluded.version"
            ).format(self._time_entries), (
                change.id, change.organisation_id, change.project_id, change.task_id, change.person_id,
                change.worked_on, change.minutes, change.billable, change.note, change.recorded_at,
                change.changed_at, change.version,
            ))
        elif isinstance(change, TimeEntryRemoved):
            curs.execute(sql.SQL("DELETE FROM {} WHERE time_entry_id = %s").format(self._time_entries),
                         (change.id,))
        elif isinstance(change, DocumentRow):
            curs.execute(sql.SQL(
                "INSERT INTO {} (document_id, organisation_id, project_id, name, latest_version, size,"
                " sha256, content_type, changed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (document_id) DO UPDATE SET name = excluded.name,"
                " latest_version = excluded.latest_version, size = excluded.size, sha256 = excluded.sha256,"
                " content_type = excluded.content_type, changed_at = excluded.changed_at"
            ).format(self._documents), (
                change.id, change.organisation_id, change.project_id, change.name, change.latest_version,
                change.size, change.sha256, change.content_type, change.changed_at,
            ))
        elif isinstance(change, ResourceRow):
            curs.execute(sql.SQL(
                "INSERT INTO {} (resource_id, organisation_id, kind, name, role, user_id, hours_per_day)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (resource_id) DO NOTHING"
            ).format(self._resources), (
                change.id, change.organisation_id, change.kind, change.name, change.role, change.user_id,
                change.hours_per_day,
            ))
        else:
            assert isinstance(change, ResourceHoursSet)
            curs.execute(sql.SQL("UPDATE {} SET hours_per_day = %s WHERE resource_id = %s").format(
                self._resources), (change.hours_per_day, change.id))

    def time_entries(self, where: TimeEntryFilter, *, limit: int,
                     after: tuple[date, UUID] | None) -> Page[TimeEntryRow]:
        conditions: list[sql.Composable] = [sql.SQL("organisation_id = %s")]
        params: list[Any] = [where.organisation_id]
        for column, value in (("project_id", where.project_id), ("task_id", where.task_id),
                              ("person_id", where.person_id)):
            if value is not None:
                conditions.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                params.append(value)
        if where.worked_from is not None:
            conditions.append(sql.SQL("worked_on >= %s"))
            params.append(where.worked_from)
        if where.worked_to is not None:
            conditions.append(sql.SQL("worked_on <= %s"))
            params.append(where.worked_to)
        if after is not None:
            conditions.append(sql.SQL("(worked_on, time_entry_id) > (%s, %s)"))
            params += list(after)
        rows = self._select(self._time_entries, conditions, params, "worked_on, time_entry_id", limit)
        return Page(items=[_time_entry(r) for r in rows[:limit]], has_more=len(rows) > limit)

    def documents(self, organisation_id: UUID, project_id: UUID, *, limit: int,
                  after: tuple[str, UUID] | None) -> Page[DocumentRow]:
        conditions: list[sql.Composable] = [sql.SQL("organisation_id = %s"), sql.SQL("project_id = %s")]
        params: list[Any] = [organisation_id, project_id]
        if after is not None:
            conditions.append(sql.SQL("(name, document_id) > (%s, %s)"))
            params += list(after)
        rows = self._select(self._documents, conditions, params, "name, document_id", limit)
        return Page(items=[_document(r) for r in rows[:limit]], has_more=len(rows) > limit)

    def resources(self, organisation_id: UUID, *, kind: str | None, limit: int,
                  after: tuple[str, UUID] | None) -> Page[ResourceRow]:
        conditions: list[sql.Composable] = [sql.SQL("organisation_id = %s")]
        params: list[Any] = [organisation_id]
        if kind is not None:
            conditions.append(sql.SQL("kind = %s"))
            params.append(kind)
        if after is not None:
            conditions.append(sql.SQL("(name, resource_id) > (%s, %s)"))
            params += list(after)
        rows = self._select(self._resources, conditions, params, "name, resource_id", limit)
        return Page(items=[_resource(r) for r in rows[:limit]], has_more=len(rows) > limit)

    def close(self) -> None:
        self.datastore.close()

    def _select(self, table: sql.Identifier, conditions: list[sql.Composable], params: list[Any],
                order: str, limit: int) -> list[DictRow]:
        query = sql.SQL("SELECT * FROM {} WHERE {} ORDER BY {} LIMIT %s").format(
            table, sql.SQL(" AND ").join(conditions), sql.SQL(order))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, [*params, limit + 1])
            return curs.fetchall()


def _time_entry(row: DictRow) -> TimeEntryRow:
    return TimeEntryRow(
        id=row["time_entry_id"], organisation_id=row["organisation_id"], project_id=row["project_id"],
        task_id=row["task_id"], person_id=row["person_id"], worked_on=row["worked_on"],
        minutes=row["minutes"], billable=row["billable"], note=row["note"], recorded_at=row["recorded_at"],
        changed_at=row["changed_at"], version=row["version"],
    )


def _document(row: DictRow) -> DocumentRow:
    return DocumentRow(
        id=row["document_id"], organisation_id=row["organisation_id"], project_id=row["project_id"],
        name=row["name"], latest_version=row["latest_version"], size=row["size"], sha256=row["sha256"],
        content_type=row["content_type"], changed_at=row["changed_at"],
    )


def _resource(row: DictRow) -> ResourceRow:
    return ResourceRow(
        id=row["resource_id"], organisation_id=row["organisation_id"], kind=row["kind"], name=row["name"],
        role=row["role"], user_id=row["user_id"], hours_per_day=row["hours_per_day"],
    )
