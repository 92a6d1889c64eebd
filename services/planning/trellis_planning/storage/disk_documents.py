"""Document content as files in a directory, named by their SHA-256.

A file is written under ``.incoming/`` first, synced, then renamed into place, so a
reader never sees half a file and a crash leaves at most a stray temporary file.
The same content uploaded twice lands on the same name, once.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from trellis_planning.domain.document import StoredContent
from trellis_planning.storage.document_store import (
    CHUNK_BYTES,
    ContentMissing,
    Measured,
    VerifiedContent,
    check_key,
    rechunked,
    verified,
)

INCOMING = ".incoming"


class DiskDocumentStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._incoming = root / INCOMING
        self._incoming.mkdir(parents=True, exist_ok=True)

    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredContent:
        measured = Measured(max_bytes)
        descriptor, temporary = tempfile.mkstemp(dir=self._incoming, prefix="upload-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                for chunk in rechunked(measured.through(chunks)):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            final = self.path_of(measured.sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, final)
            _sync_directory(final.parent)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return measured.stored(measured.sha256)

    def open(self, key: str) -> VerifiedContent:
        path = self.path_of(check_key(key))
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise ContentMissing(key) from None
        return verified(key, size, lambda: _read(path))

    def close(self) -> None:
        pass

    def path_of(self, key: str) -> Path:
        return self.root / key[:2] / key


def _read(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                yield chunk
    except FileNotFoundError:
        raise ContentMissing(path.name) from None


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
