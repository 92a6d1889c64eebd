"""Where the portal gets a document version's bytes, and the check it makes of them itself.

The bytes are planning's; how they reach the portal depends on the run mode (an HTTP call
to planning in the distributed mode, planning's store read in process in the embedded
one). Whatever the source, the portal passes on only bytes whose size and SHA-256 match
its own record of the version the client was shown: ``checked`` wraps every source.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


class ContentUnavailable(Exception):
    """The source did not hand over the content (down, refused, or does not know it)."""


class ContentMismatch(Exception):
    """The bytes do not match the version's recorded size or digest."""


@dataclass(frozen=True)
class ExpectedContent:
    """A version as the portal recorded it, and whose it is: the source checks that the
    document belongs to ``organisation_id`` on its side, not only the portal on its own."""

    organisation_id: UUID
    document_id: UUID
    version: int
    size_bytes: int
    sha256: str


class DocumentContent(Protocol):
    async def open(self, expected: ExpectedContent) -> AsyncIterator[bytes]:
        """The version's bytes, in chunks. Raises ContentUnavailable before any byte when
        the source will not serve it (unknown, another organisation's, another size)."""


async def checked(chunks: AsyncIterator[bytes], expected: ExpectedContent) -> AsyncIterator[bytes]:
    """The chunks, each held back until the next one arrived and the last until the
    digest matched: a mismatch (ContentMismatch) leaves the download short of its
    Content-Length, never complete. Closes the source's chunks whatever happens."""
    digest = hashlib.sha256()
    size = 0
    held: bytes | None = None
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > expected.size_bytes:
                raise ContentMismatch("more bytes than the version holds")
            digest.update(chunk)
            if held is not None:
                yield held
            held = chunk
        if size != expected.size_bytes or digest.hexdigest() != expected.sha256:
            raise ContentMismatch("the content does not match the version's digest")
        if held is not None:
            yield held
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
