"""Applying a batch of events to the facts in one transaction, exactly once.

What ``TrackedFacts.apply`` does for one event, for many: the clock taken once (every
change of the batch takes effect at the same moment, when it commits), each event's
position checked against the stream's tracking record read once, the effects applied in
order, and each stream's last position recorded at the end. Events already applied (a
redelivery after a crash) change nothing. Everything is read and checked before the
transaction starts: a poison event fails the batch before anything is written, and the
platform's delivery then goes event by event.

The facts themselves are written as ``FactWriter`` decides, but not one statement per
change: the current rows of every fact the batch touches are read (and locked) in one
query, the changes are worked out in memory, and written at the end with two
``executemany`` updates and one COPY. One event at a time, two or three round trips per
fact were most of a rebuild's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import Tracking
from psycopg import Cursor, sql
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_platform.incoming import IncomingEvent, PoisonEvent
from trellis_platform.parsing import read_event
from trellis_portal.views.facts import FactWriter
from trellis_portal.views.tracked_facts import Effect, TrackedFacts

FactKey = tuple[UUID, UUID, str, str]  # organisation, scope, kind, key


class PicksEffects(Protocol):
    def effect_for(self, envelope: CloudEvent, payload: EventContract) -> Effect | None: ...


@dataclass
class _Row:
    """A current fact: stored (``id``) or written earlier in this batch (``id`` None)."""

    key: FactKey
    body: dict[str, Any] | None
    source: str
    source_version: int
    id: int | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    def __getitem__(self, name: str) -> Any:  # FactWriter reads rows by column name
        return getattr(self, name)


@dataclass
class _Changes:
    table: sql.Identifier
    current: dict[FactKey, _Row | None] = field(default_factory=dict)
    retagged: dict[int, tuple[str, int]] = field(default_factory=dict)
    closed: dict[int, datetime] = field(default_factory=dict)
    new: list[_Row] = field(default_factory=list)

    def load(self, curs: Cursor[DictRow], keys: Sequence[FactKey]) -> None:
        """The current rows of ``keys`` not known yet, locked until the batch commits."""
        wanted = list(dict.fromkeys(k for k in keys if k not in self.current))
        if not wanted:
            return
        curs.execute(
            sql.SQL("SELECT f.id, f.organisation_id, f.scope, f.kind, f.key, f.body, f.source,"
                    " f.source_version FROM {} f"
                    " JOIN unnest(%s::uuid[], %s::uuid[], %s::text[], %s::text[]) AS w(o, s, k, y)"
                    " ON f.organisation_id = w.o AND f.scope = w.s AND f.kind = w.k AND f.key = w.y"
                    " WHERE f.valid_to IS NULL ORDER BY f.id FOR UPDATE OF f").format(self.table),
            ([k[0] for k in wanted], [k[1] for k in wanted], [k[2] for k in wanted], [k[3] for k in wanted]),
        )
        for key in wanted:
            self.current[key] = None
        for row in curs.fetchall():
            key = (row["organisation_id"], row["scope"], row["kind"], row["key"])
            self.current[key] = _Row(key, row["body"], row["source"], row["source_version"], id=row["id"])

    def replace(self, current: _Row | None, key: FactKey, body: dict[str, Any] | None, source: str,
                version: int, stamp: datetime) -> None:
        """``FactWriter._replace``, remembered instead of executed."""
        if current is not None and current.body == body:
            current.source, current.source_version = source, version
            if current.id is not None:
                self.retagged[current.id] = (source, version)
            return
        if current is not None:
            if current.id is not None:
                self.closed[current.id] = stamp
            else:
                current.valid_to = stamp
        row = _Row(key, body, source, version, valid_from=stamp)
        self.new.append(row)
        self.current[key] = row

    def write(self, curs: Cursor[DictRow]) -> None:
        if self.retagged:
            curs.executemany(
                sql.SQL("UPDATE {} SET source = %s, source_version = %s WHERE id = %s").format(self.table),
                [(s, v, i) for i, (s, v) in self.retagged.items()])
        if self.closed:
            curs.executemany(sql.SQL("UPDATE {} SET valid_to = %s WHERE id = %s").format(self.table),
                             [(at, i) for i, at in self.closed.items()])
        if self.new:
            with curs.copy(sql.SQL("COPY {} (organisation_id, scope, kind, key, body, source, source_version,"
                                   " valid_from, valid_to) FROM STDIN").format(self.table)) as copy:
                for row in self.new:
                    copy.write_row((*row.key, Jsonb(row.body) if row.body is not None else None, row.source,
                                    row.source_version, row.valid_from, row.valid_to))


class _BatchWriter(FactWriter):
    """A FactWriter whose reads and writes go through the batch's changes.

    It relies on FactWriter reading and writing only through ``_current`` and ``_replace``
    (``put`` and ``remove`` decide, those two touch the table): keep it so.
    """

    def __init__(self, curs: Cursor[DictRow], changes: _Changes, organisation_id: UUID,
                 stamp: datetime) -> None:
        super().__init__(curs, changes.table, organisation_id, stamp)
        self._changes = changes

    def _current(self, scope: UUID, kind: str, key: str) -> Any:
        fact = (self.organisation_id, scope, kind, key)
        if fact not in self._changes.current:
            self._changes.load(self._curs, [fact])
        return self._changes.current[fact]

    def _replace(self, current: Any, scope: UUID, kind: str, key: str, body: dict[str, Any] | None,
                 source: str, version: int) -> None:
        self._changes.replace(current, (self.organisation_id, scope, kind, key), body, source, version,
                              self.stamp)


class _KeyProbe(FactWriter):
    """Runs an effect without writing, to learn which facts it touches (their bodies are
    not worked out: that is for the real run)."""

    def __init__(self, organisation_id: UUID, keys: list[FactKey]) -> None:
        self.organisation_id = organisation_id
        self._keys = keys

    def put(self, scope: UUID, kind: str, key: str, body: dict[str, Any], *, source: str, version: int,
            merge: bool = False) -> None:
        self._current(scope, kind, key)

    def remove(self, scope: UUID, kind: str, key: str, *, source: str, version: int) -> None:
        self._current(scope, kind, key)

    def _current(self, scope: UUID, kind: str, key: str) -> None:
        self._keys.append((self.organisation_id, scope, kind, key))

    def _replace(self, *args: Any) -> None:
        return None


class _NoCursor:
    """What a probed effect gets instead of the transaction's cursor."""

    def execute(self, *args: Any, **kwargs: Any) -> _NoCursor:
        return self

    def fetchone(self) -> None:
        return None

    def fetchall(self) -> list[Any]:
        return []


def _touched(items: Sequence[tuple[Tracking, UUID | None, Effect | None]]) -> list[FactKey]:
    keys: list[FactKey] = []
    for _, organisation, effect in items:
        if effect is not None and organisation is not None:
            try:
                effect(_KeyProbe(organisation, keys), _NoCursor())  # type: ignore[arg-type]
            except Exception:  # noqa: S112 - an effect that needs a real cursor loads its facts itself
                continue
    return keys


def apply_facts_batch(consumer: PicksEffects, tracked: TrackedFacts, events: Sequence[IncomingEvent]) -> int:
    """Returns how many events had an effect."""
    items: list[tuple[Tracking, UUID | None, Effect | None]] = []
    for event in events:
        read = read_event(event)
        effect = consumer.effect_for(*read) if read is not None else None
        organisation = _organisation(read[0]) if read is not None and effect is not None else None
        items.append((event.position, organisation, effect))
    touched = _touched(items)
    applied = 0
    with tracked.datastore.transaction(commit=True) as curs:
        stamp = tracked.facts.stamp(curs) if any(e for _, _, e in items) else None
        if stamp is None:
            tracked.facts.hold(curs)
        changes = _Changes(getattr(tracked.facts, "_facts"))  # noqa: B009 - the store's own table
        changes.load(curs, touched)
        recorded: dict[str, int] = {}
        last: dict[str, int] = {}
        for position, organisation, effect in items:
            stream = position.application_name
            if stream not in recorded:
                found = tracked._max_tracking_id(stream, curs)
                recorded[stream] = -1 if found is None else found
            if position.notification_id <= max(recorded[stream], last.get(stream, -1)):
                continue
            last[stream] = position.notification_id
            if effect is not None and organisation is not None and stamp is not None:
                effect(_BatchWriter(curs, changes, organisation, stamp), curs)
                applied += 1
        changes.write(curs)
        for stream, notification_id in last.items():
            tracked._insert_tracking(curs, Tracking(stream, notification_id))
    return applied


def _organisation(envelope: CloudEvent) -> UUID:
    try:
        return UUID(envelope.organisationid)
    except ValueError:
        raise PoisonEvent(f"organisationid {envelope.organisationid!r} is not a UUID") from None
