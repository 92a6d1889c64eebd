"""The temporal store behind every client view: facts with the moment they took effect.

A fact is one thing a client view is made of (a milestone, a grant, a document version),
kept as rows valid from one moment to the next: a change closes the current row and
opens another, nothing is overwritten. Any view at any past moment is therefore the
rows valid then, and "what did this client see at 10:32" has one exact answer.

The moment a change takes effect is stamped under one lock (the ``view_clock`` row),
held from the stamp until the change commits. A reader takes its moment under the same
lock in share mode, so no change is half-way between stamp and commit when it does:
every change stamped at or before a reader's moment is committed and visible to it,
and every later change is stamped after it. The moment a reader reports is the stamp
of the last change, so reading as of it later gives exactly what was read.

The rows are the record of what the portal showed and when: nothing here is updated in
place except to close a row, and nothing is deleted. Rebuilding from the other contexts'
history gives the same current facts but cannot know the moments they were shown, so a
rebuild goes into new tables, compared with these, and never replaces their history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb


@dataclass(frozen=True)
class Fact:
    scope: UUID
    kind: str
    key: str
    body: dict[str, Any]
    valid_from: datetime


def plain(body: dict[str, Any]) -> dict[str, Any]:
    """Bodies are stored and compared as JSON: ids, dates and decimals become strings.

    Exactly ``json.loads(json.dumps(body, default=_text))``, without the text in between
    (that round trip was a quarter of a rebuild's time)."""
    return _plain_dict(body)


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, dict):
        return _plain_dict(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    # What json writes for subclasses of its own types: the plain value.
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return _text(value)


def _plain_dict(body: dict[Any, Any]) -> dict[str, Any]:
    return {_key(k): _plain(v) for k, v in body.items()}


def _key(key: Any) -> str:
    """How json writes a key: strings as they are, numbers as digits, true, false, null."""
    if isinstance(key, str):
        return str.__str__(key)
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, int | float):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


class FactWriter:
    """Changes facts of one organisation inside a transaction stamped at ``stamp``.

    ``source`` and ``version`` name the aggregate a change comes from and its version:
    a change older than (or as old as) what a fact already holds from the same source is
    a redelivery or a re-publish, and changes nothing.
    """

    def __init__(self, curs: Cursor[DictRow], table: sql.Identifier, organisation_id: UUID,
                 stamp: datetime) -> None:
        self._curs = curs
        self._table = table
        self.organisation_id = organisation_id
        self.stamp = stamp

    def put(self, scope: UUID, kind: str, key: str, body: dict[str, Any], *, source: str, version: int,
            merge: bool = False) -> None:
        current = self._current(scope, kind, key)
        if current is not None and current["source"] == source and current["source_version"] >= version:
            return
        previous = current["body"] if current is not None else None
        new_body = plain({**(previous or {}), **body} if merge else body)
        self._replace(current, scope, kind, key, new_body, source, version)

    def remove(self, scope: UUID, kind: str, key: str, *, source: str, version: int) -> None:
        """Ends the fact. A row without a body remembers the version that ended it, so the
        older event that made it, arriving late, does not bring it back."""
        current = self._current(scope, kind, key)
        if current is not None and current["source"] == source and current["source_version"] >= version:
            return
        self._replace(current, scope, kind, key, None, source, version)

    def _current(self, scope: UUID, kind: str, key: str) -> DictRow | None:
        self._curs.execute(
            sql.SQL("SELECT id, body, source, source_version FROM {} WHERE organisation_id = %s"
                    " AND scope = %s AND kind = %s AND key = %s AND valid_to IS NULL FOR UPDATE"
                    ).format(self._table),
            (self.organisation_id, scope, kind, key),
        )
        return self._curs.fetchone()

    def _replace(self, current: DictRow | None, scope: UUID, kind: str, key: str,
                 body: dict[str, Any] | None, source: str, version: int) -> None:
        if current is not None and current["body"] == body:
            self._curs.execute(
                sql.SQL("UPDATE {} SET source = %s, source_version = %s WHERE id = %s").format(self._table),
                (source, version, current["id"]),
            )
            return
        if current is not None:
            self._curs.execute(
                sql.SQL("UPDATE {} SET valid_to = %s WHERE id = %s").format(self._table),
                (self.stamp, current["id"]),
            )
        self._curs.execute(
            sql.SQL("INSERT INTO {} (organisation_id, scope, kind, key, body, source, source_version,"
                    " valid_from) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)").format(self._table),
            (self.organisation_id, scope, kind, key, Jsonb(body) if body is not None else None, source,
             version, self.stamp),
        )


class FactStore:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        schema = datastore.schema
        self._facts = sql.Identifier(schema, "view_facts")
        self._clock = sql.Identifier(schema, "view_clock")

    def create_tables(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for statement in (
                "CREATE TABLE IF NOT EXISTS {clock} (id int PRIMARY KEY CHECK (id = 1),"
                " at timestamptz NOT NULL)",
                "INSERT INTO {clock} VALUES (1, 'epoch') ON CONFLICT (id) DO NOTHING",
                "CREATE TABLE IF NOT EXISTS {facts} (id bigserial PRIMARY KEY, organisation_id uuid NOT NULL,"
                " scope uuid NOT NULL, kind text NOT NULL, key text NOT NULL, body jsonb,"
                " source text NOT NULL, source_version bigint NOT NULL,"
                " valid_from timestamptz NOT NULL, valid_to timestamptz,"
                " CHECK (valid_to IS NULL OR valid_to >= valid_from))",
                "CREATE UNIQUE INDEX IF NOT EXISTS view_facts_current ON {facts}"
                " (organisation_id, scope, kind, key) WHERE valid_to IS NULL",
                "CREATE INDEX IF NOT EXISTS view_facts_by_scope ON {facts}"
                " (organisation_id, scope, valid_from)",
                "CREATE INDEX IF NOT EXISTS view_facts_by_key ON {facts}"
                " (organisation_id, kind, key, valid_from)",
            ):
                curs.execute(sql.SQL(statement).format(clock=self._clock, facts=self._facts))

    # -- writing --------------------------------------------------------------------------

    def stamp(self, curs: Cursor[DictRow]) -> datetime:
        """The moment of this transaction's changes; holds the clock until commit."""
        curs.execute(sql.SQL(
            "UPDATE {} SET at = greatest(clock_timestamp(), at + interval '1 microsecond')"
            " WHERE id = 1 RETURNING at").format(self._clock))
        row = curs.fetchone()
        assert row is not None
        stamped: datetime = row["at"]
        return stamped

    def hold(self, curs: Cursor[DictRow]) -> None:
        """Takes the clock without moving it: for bookkeeping that must not race a change."""
        curs.execute(sql.SQL("SELECT at FROM {} WHERE id = 1 FOR UPDATE").format(self._clock))

    def writer(self, curs: Cursor[DictRow], organisation_id: UUID, stamp: datetime) -> FactWriter:
        return FactWriter(curs, self._facts, organisation_id, stamp)

    # -- reading --------------------------------------------------------------------------

    def moment(self) -> datetime:
        """Now, as a reader may see it: the stamp of the last change in effect."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(sql.SQL("SELECT at FROM {} WHERE id = 1 FOR SHARE").format(self._clock))
            row = curs.fetchone()
        assert row is not None
        at: datetime = row["at"]
        return at

    def at(self, organisation_id: UUID, scopes: Sequence[UUID], as_of: datetime,
           kinds: Iterable[str] | None = None) -> list[Fact]:
        """The facts of these scopes in effect at ``as_of``."""
        kind_list = list(kinds) if kinds is not None else None
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT scope, kind, key, body, valid_from FROM {} WHERE organisation_id = %s"
                        " AND scope = ANY(%s) AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)"
                        " AND body IS NOT NULL AND (%s::text[] IS NULL OR kind = ANY(%s::text[]))"
                        " ORDER BY scope, kind, key").format(self._facts),
                (organisation_id, list(scopes), as_of, as_of, kind_list, kind_list),
            )
            return [_fact(row) for row in curs.fetchall()]

    def with_key(self, organisation_id: UUID, kind: str, key: str, as_of: datetime) -> list[Fact]:
        """Facts of one kind and key in any scope (the projects granted to a user, say)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT scope, kind, key, body, valid_from FROM {} WHERE organisation_id = %s"
                        " AND kind = %s AND key = %s AND valid_from <= %s"
                        " AND (valid_to IS NULL OR valid_to > %s) AND body IS NOT NULL ORDER BY scope"
                        ).format(self._facts),
                (organisation_id, kind, key, as_of, as_of),
            )
            return [_fact(row) for row in curs.fetchall()]

    def history(self, organisation_id: UUID, scope: UUID) -> list[dict[str, Any]]:
        """Every row of a scope, for tests and audits that want the changes themselves."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT kind, key, body, source_version, valid_from, valid_to FROM {}"
                        " WHERE organisation_id = %s AND scope = %s ORDER BY id").format(self._facts),
                (organisation_id, scope),
            )
            return [dict(row) for row in curs.fetchall()]


def _fact(row: DictRow) -> Fact:
    return Fact(scope=row["scope"], kind=row["kind"], key=row["key"], body=row["body"],
                valid_from=row["valid_from"])
