"""The document store contract, held by both implementations: PostgreSQL and a directory.

Every test runs against each store: content comes back byte for byte under its SHA-256,
over-sized content is refused while it streams with nothing kept, altered or missing
content is reported rather than served, and a large upload never sits in memory.
"""

import hashlib
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from trellis_planning.storage.disk_documents import DiskDocumentStore
from trellis_planning.storage.document_store import (
    ContentCorrupted,
    ContentMissing,
    ContentTooLarge,
    DocumentStore,
)
from trellis_planning.storage.postgres_documents import PostgresDocumentStore
from trellis_platform.database import datastore, ensure_schema

MIB = 1024 * 1024


@dataclass
class Backend:
    """A store under test, and how to reach behind it to damage or count what it keeps."""

    store: DocumentStore
    corrupt: Callable[[str], None]
    count: Callable[[], int]


@pytest.fixture(params=["disk", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "disk":
        store = DiskDocumentStore(tmp_path / "documents")

        def corrupt_file(key: str) -> None:
            path = store.path_of(key)
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0x01
            path.write_bytes(bytes(data))

        def files() -> int:
            return sum(1 for p in (tmp_path / "documents").rglob("*") if p.is_file())

        yield Backend(store, corrupt_file, files)
        return
    database_url: str = request.getfixturevalue("database_url")
    ensure_schema(database_url, "planning")
    pg_store = PostgresDocumentStore(datastore(database_url, "planning", pool_size=2))
    pg_store.create_tables()

    def corrupt_chunk(key: str) -> None:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(
                "UPDATE planning.document_chunks SET data = overlay(data placing '\\x00'::bytea from 2 for 1)"
                " WHERE upload_id = (SELECT upload_id FROM planning.document_content WHERE sha256 = %s)"
                " AND seq = 0",
                (key,),
            )

    def rows() -> int:
        with psycopg.connect(database_url) as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM planning.document_chunks)"
                " + (SELECT count(*) FROM planning.document_content)"
            ).fetchone()
        return int(row[0]) if row else 0

    yield Backend(pg_store, corrupt_chunk, rows)
    pg_store.close()


def pieces(data: bytes, size: int = 1000) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def read_all(store: DocumentStore, key: str) -> bytes:
    return b"".join(store.open(key).chunks())


def test_content_comes_back_byte_for_byte_under_its_sha256(backend: Backend) -> None:
    data = bytes(range(256)) * 9000  # 2.2 MiB: more than one chunk
    stored = backend.store.put(pieces(data, 7777), max_bytes=10 * MIB)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert (stored.key, stored.size) == (stored.sha256, len(data))
    opened = backend.store.open(stored.key)
    assert (opened.size, opened.sha256) == (len(data), stored.sha256)
    assert b"".join(opened.chunks()) == data
    assert read_all(backend.store, stored.key) == data, "content can be read again"


def test_the_same_content_is_kept_once(backend: Backend) -> None:
    first = backend.store.put([b"same bytes"], max_bytes=MIB)
    kept = backend.count()
    second = backend.store.put(pieces(b"same bytes", 3), max_bytes=MIB)
    assert first == second
    assert backend.count() == kept


def test_content_over_the_limit_is_refused_and_nothing_is_kept(backend: Backend) -> None:
    fed = []

    def endless() -> Iterator[bytes]:
        while True:
            fed.append(1)
            yield b"x" * 4096

    with pytest.raises(ContentTooLarge):
        backend.store.put(endless(), max_bytes=MIB)
    assert len(fed) <= MIB // 4096 + 1, "refused as soon as it passed the limit"
    assert backend.count() == 0
    assert backend.store.put([b"x" * MIB], max_bytes=MIB).size == MIB, "exactly the limit is fine"


def test_altered_content_is_reported_not_served(backend: Backend) -> None:
    stored = backend.store.put([b"the signed contract, version 3"], max_bytes=MIB)
    backend.corrupt(stored.key)
    with pytest.raises(ContentCorrupted):
        backend.store.open(stored.key)


def test_content_altered_while_it_is_read_fails_at_the_end_of_the_stream(backend: Backend) -> None:
    stored = backend.store.put([b"a" * 100_000], max_bytes=MIB)
    opened = backend.store.open(stored.key)
    backend.corrupt(stored.key)
    with pytest.raises(ContentCorrupted):
        b"".join(opened.chunks())


@pytest.mark.parametrize("key", ["0" * 64, "../../etc/passwd", "ABC", ""])
def test_an_unknown_or_malformed_key_is_missing(backend: Backend, key: str) -> None:
    with pytest.raises(ContentMissing):
        backend.store.open(key)


def test_a_large_upload_streams_through_without_being_held_in_memory(backend: Backend) -> None:
    total = 40 * MIB
    expected = hashlib.sha256()

    def generated() -> Iterator[bytes]:
        for n in range(total // 65536):
            chunk = n.to_bytes(4, "big") * 16384
            expected.update(chunk)
            yield chunk

    tracemalloc.start()
    try:
        stored = backend.store.put(generated(), max_bytes=64 * MIB)
        _, peak_while_storing = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest, size = hashlib.sha256(), 0
        for chunk in backend.store.open(stored.key).chunks():
            digest.update(chunk)
            size += len(chunk)
        _, peak_while_reading = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (stored.size, stored.sha256) == (total, expected.hexdigest())
    assert (size, digest.hexdigest()) == (total, expected.hexdigest())
    assert peak_while_storing < 8 * MIB, f"{peak_while_storing} bytes held while storing 40 MiB"
    assert peak_while_reading < 8 * MIB, f"{peak_while_reading} bytes held while reading 40 MiB"
