"""The one interface document content is kept behind, and what every store shares.

Content is addressed by its SHA-256: the key of stored content is its hex digest, so
the same bytes are kept once and a key names exactly one content. Content is streamed
in and out in chunks, never held whole in memory; its size is counted while it arrives
(``ContentTooLarge`` as soon as it passes the limit, with nothing kept) and its digest
is checked on every read (``ContentCorrupted`` rather than serving altered bytes).

There is no delete: content is immutable and may be shared by several versions, so
removing it needs reference counting, which is left to a later collector.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from trellis_planning.domain.document import StoredContent

CHUNK_BYTES = 1 << 20
_KEY = re.compile(r"[0-9a-f]{64}")


class ContentTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The content exceeds the limit of {limit} bytes.")
        self.limit = limit


class ContentCorrupted(Exception):
    """Stored content no longer matches the digest it was stored under."""


class ContentMissing(LookupError):
    pass


@dataclass(frozen=True)
class VerifiedContent:
    """Content whose digest was checked when opened; ``chunks()`` streams it and checks
    again on the way, raising ContentCorrupted at the end if it changed in between."""

    key: str
    size: int
    sha256: str
    read: Callable[[], Iterator[bytes]]

    def chunks(self) -> Iterator[bytes]:
        return _checked(self.read(), self.sha256, self.size)


class DocumentStore(Protocol):
    def put(self, chunks: Iterable[bytes], *, max_bytes: int) -> StoredContent:
        """Keeps the content (at most ``max_bytes``) durably before returning."""

    def open(self, key: str) -> VerifiedContent:
        """Raises ContentMissing for an unknown key, ContentCorrupted for altered content."""

    def close(self) -> None:
        """Releases connections; the content stays."""


def check_key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ContentMissing(key)
    return key


class Measured:
    """Counts and hashes content as it passes, refusing it once it exceeds the limit."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise ContentTooLarge(self.max_bytes)
        self._hash.update(chunk)

    def through(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The chunks, each counted and hashed as it arrives (before any buffering)."""
        for chunk in chunks:
            self.add(chunk)
            yield chunk

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def stored(self, key: str) -> StoredContent:
        return StoredContent(key=key, size=self.size, sha256=self.sha256)


def rechunked(chunks: Iterable[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The same bytes in chunks of exactly ``size`` (the last one shorter), none empty."""
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


def verified(key: str, size: int, read: Callable[[], Iterator[bytes]]) -> VerifiedContent:
    """Reads the content through once to check it, before anything is served."""
    for _ in _checked(read(), key, size):
        pass
    return VerifiedContent(key=key, size=size, sha256=key, read=read)


def _checked(chunks: Iterator[bytes], sha256: str, size: int) -> Iterator[bytes]:
    digest = hashlib.sha256()
    seen = 0
    for chunk in chunks:
        digest.update(chunk)
        seen += len(chunk)
        yield chunk
    if seen != size or digest.hexdigest() != sha256:
        raise ContentCorrupted(f"Content {sha256} failed its checksum ({seen} bytes read, {size} expected).")
