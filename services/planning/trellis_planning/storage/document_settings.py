"""Which document store a process uses, and how large a document may be.

``TRELLIS_DOCUMENT_STORE`` is ``postgres`` (the default: nothing else to run or back
up) or ``disk`` with ``TRELLIS_DOCUMENT_DIR``; ``TRELLIS_DOCUMENT_MAX_BYTES`` caps one
file (25 MiB by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from trellis_planning.storage.disk_documents import DiskDocumentStore
from trellis_planning.storage.document_store import DocumentStore
from trellis_planning.storage.postgres_documents import PostgresDocumentStore
from trellis_platform.database import datastore

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

StoreKind = Literal["postgres", "disk"]


class InvalidDocumentSettings(ValueError):
    pass


@dataclass(frozen=True)
class DocumentSettings:
    store: StoreKind = "postgres"
    directory: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *,
                 default_directory: Path | None = None) -> DocumentSettings:
        store = environ.get("TRELLIS_DOCUMENT_STORE", "postgres")
        if store not in ("postgres", "disk"):
            raise InvalidDocumentSettings(f"TRELLIS_DOCUMENT_STORE={store!r} is neither postgres nor disk")
        given = environ.get("TRELLIS_DOCUMENT_DIR")
        directory = Path(given) if given else default_directory
        if store == "disk" and directory is None:
            raise InvalidDocumentSettings("TRELLIS_DOCUMENT_STORE=disk needs TRELLIS_DOCUMENT_DIR")
        raw_limit = environ.get("TRELLIS_DOCUMENT_MAX_BYTES", str(DEFAULT_MAX_BYTES))
        if not raw_limit.isdigit() or int(raw_limit) <= 0:
            raise InvalidDocumentSettings(
                f"TRELLIS_DOCUMENT_MAX_BYTES={raw_limit!r} is not a positive integer")
        return cls(store="disk" if store == "disk" else "postgres", directory=directory,
                   max_bytes=int(raw_limit))


def build_document_store(settings: DocumentSettings, database_url: str, schema: str) -> DocumentStore:
    if settings.store == "disk":
        assert settings.directory is not None
        return DiskDocumentStore(settings.directory)
    store = PostgresDocumentStore(datastore(database_url, schema, pool_size=2))
    store.create_tables()
    return store
