"""Document content in PostgreSQL (planning's schema), as ``bytea`` chunks of 1 MiB.

Each chunk is written in its own short transaction as it arrives, so a slow upload
never holds a transaction (or a connection) open while it waits for the client. The
content becomes visible only when its row in ``document_content`` is written, after
its last chunk: a reader never sees part of an upload. An upload that fails (too large,
client gone) has its staged chunks removed; the same content uploaded again is kept
once (the duplicate's chunks are removed). Reading fetches one chunk per query.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from uuid import UUID, uuid4

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from trellis_planning.domain.document import StoredContent
from trellis_planning.storage.document_store import (
    ContentMissing,
    Measured,
    VerifiedContent,
    check_key,
    rechunked,
    verified,
)


class PostgresDocumentStore:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self._datastore = datastore
        self._content = sql.Identifier(datastore.schema, "document_content")
        self._chunks = sql.Identifier(datastore.schema, "document_chunks")
        self._delete_chunks = sql.SQL("DELETE FROM {} WHERE upload_id = %s").format(self._chunks)
        self._insert_chunk = sql.SQL("INSERT INTO {} (upload_id, seq, data) VALUES (%s, %s, %s)").format(
            self._chunks)

    def create_tables(self) -> None:
        with self._datastore.transaction(commit=True) as curs:
            curs.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                " upload_id uuid NOT NULL, seq integer NOT NULL, data bytea NOT NULL,"
                " PRIMARY KEY (upload_id, seq))"
            ).format(self._chunks))
            curs.execute(sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} ("
                " sha256 text PRIMARY KEY, size bigint NOT NULL, chunk_count integer NOT NULL,"
                " upload_id uuid NOT NULL UNIQUE, stored_at timestamptz NOT NULL DEFAULT now())"
            ).format(self._content))

    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredContent:
        measured = Measured(max_bytes)
        upload_id = uuid4()
        try:
            count = 0
            for chunk in rechunked(measured.through(chunks)):
                with self._datastore.transaction(commit=True) as curs:
                    curs.execute(self._insert_chunk, (upload_id, count, chunk))
                count += 1
            with self._datastore.transaction(commit=True) as curs:
                curs.execute(
                    sql.SQL("INSERT INTO {} (sha256, size, chunk_count, upload_id) VALUES (%s, %s, %s, %s)"
                            " ON CONFLICT (sha256) DO NOTHING").format(self._content),
                    (measured.sha256, measured.size, count, upload_id),
                )
                if curs.rowcount == 0:  # already kept: this upload's copy is not needed
                    curs.execute(self._delete_chunks, (upload_id,))
        except BaseException:
            self._discard(upload_id)
            raise
        return measured.stored(measured.sha256)

    def _discard(self, upload_id: UUID) -> None:
        with contextlib.suppress(Exception), self._datastore.transaction(commit=True) as curs:
            curs.execute(self._delete_chunks, (upload_id,))

    def open(self, key: str) -> VerifiedContent:
        with self._datastore.transaction(commit=False) as curs:
            curs.execute(sql.SQL("SELECT size, chunk_count, upload_id FROM {} WHERE sha256 = %s").format(
                self._content), (check_key(key),))
            row = curs.fetchone()
        if row is None:
            raise ContentMissing(key)
        upload_id, chunk_count = row["upload_id"], row["chunk_count"]
        return verified(key, row["size"], lambda: self._read(upload_id, chunk_count))

    def close(self) -> None:
        self._datastore.close()

    def _read(self, upload_id: UUID, chunk_count: int) -> Iterator[bytes]:
        for seq in range(chunk_count):
            with self._datastore.transaction(commit=False) as curs:
                curs.execute(
                    sql.SQL("SELECT data FROM {} WHERE upload_id = %s AND seq = %s").format(self._chunks),
                    (upload_id, seq),
                )
                row = curs.fetchone()
            if row is None:
                return  # a missing chunk shows up as a checksum failure
            yield bytes(row["data"])
