"""The organisation's projects as the portal knows them: the staff's list.

Written by the planning consumer in the same transaction as its tracking record and the
client views' facts, so a redelivered event finds its position recorded and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.planning.projects_v1 import ProjectCreatedV1
from trellis_platform.async_reads import AsyncReads


@dataclass(frozen=True)
class ProjectView:
    id: UUID
    organisation_id: UUID
    client_id: UUID
    name: str
    starts_on: date
    ends_on: date
    version: int
    created_at: datetime


class ProjectsView:
    def __init__(self, datastore: PostgresDatastore, reads: AsyncReads) -> None:
        self.datastore = datastore
        self._reads = reads
        self._table = sql.Identifier(datastore.schema, "projects")

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} ("
                    " project_id uuid PRIMARY KEY,"
                    " organisation_id uuid NOT NULL,"
                    " client_id uuid NOT NULL,"
                    " name text NOT NULL,"
                    " starts_on date NOT NULL,"
                    " ends_on date NOT NULL,"
                    " version bigint NOT NULL,"
                    " created_at timestamptz NOT NULL)"
                ).format(self._table)
            )
            curs.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS projects_by_organisation ON {} (organisation_id)").format(
                    self._table
                )
            )

    def insert(self, curs: Cursor[DictRow], envelope: CloudEvent, payload: ProjectCreatedV1) -> None:
        # ON CONFLICT: the relay may re-publish an event after a crash, at a new offset.
        curs.execute(
            sql.SQL(
                "INSERT INTO {} (project_id, organisation_id, client_id, name, starts_on,"
                " ends_on, version, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (project_id) DO NOTHING"
            ).format(self._table),
            (payload.project_id, payload.organisation_id, payload.client_id, payload.name,
             payload.starts_on, payload.ends_on, envelope.aggregateversion, envelope.time),
        )

    def get(self, organisation_id: UUID, project_id: UUID) -> ProjectView | None:
        with self.datastore.get_connection() as conn:
            row = conn.execute(self._one_project(), (project_id, organisation_id), prepare=True).fetchone()
        return _view(row) if row else None

    async def fetch(self, organisation_id: UUID, project_id: UUID) -> ProjectView | None:
        """``get`` on the event loop (the portal view's hottest read: no threadpool hop)."""
        row = await self._reads.fetchone(self._one_project(), (project_id, organisation_id))
        return _view(row) if row else None

    def _one_project(self) -> sql.Composed:
        # One statement on an autocommit connection: one round trip, where a transaction
        # around it added BEGIN and ROLLBACK.
        return sql.SQL("SELECT * FROM {} WHERE project_id = %s AND organisation_id = %s").format(self._table)

    def list(self, organisation_id: UUID, *, limit: int, after: UUID | None) -> list[ProjectView]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT * FROM {} WHERE organisation_id = %s AND (%s::uuid IS NULL OR project_id > %s)"
                    " ORDER BY project_id LIMIT %s"
                ).format(self._table),
                (organisation_id, after, after, limit),
            )
            return [_view(row) for row in curs.fetchall()]

    def count(self) -> int:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(self._table))
            row = curs.fetchone()
        return int(row["n"]) if row else 0


def _view(row: dict[str, Any]) -> ProjectView:
    return ProjectView(
        id=row["project_id"],
        organisation_id=row["organisation_id"],
        client_id=row["client_id"],
        name=row["name"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        version=row["version"],
        created_at=row["created_at"],
    )
