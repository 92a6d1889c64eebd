"""The portal's document content in the embedded mode: planning's store, read in process.

Only a composition root may join two services; this one does, in the shape of the
portal's ``DocumentContent``. It does on planning's side what planning's own download
route does for a caller of the organisation: the document must be that organisation's,
the version must exist and be the one the portal recorded (same size and digest), and
the store verifies the bytes as it opens them; anything else is ContentUnavailable (the
portal answers 502). The portal's download route then checks the bytes once more
against its own record as they stream.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import anyio

from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.storage.document_store import ContentCorrupted, ContentMissing, DocumentStore
from trellis_portal.content.document_content import ContentUnavailable, ExpectedContent

logger = logging.getLogger(__name__)


class InProcessPlanningDocuments:
    def __init__(self, application: PlanningApplication, store: DocumentStore) -> None:
        self._application = application
        self._store = store

    async def open(self, expected: ExpectedContent) -> AsyncIterator[bytes]:
        # Loading the document and verifying the stored bytes read PostgreSQL or disk.
        chunks = await anyio.to_thread.run_sync(self._opened, expected)
        return _off_the_loop(chunks)

    def _opened(self, expected: ExpectedContent) -> Iterator[bytes]:
        try:
            document = self._application.get_document(expected.organisation_id, expected.document_id)
        except NotInOrganisation:
            raise ContentUnavailable(f"planning has no document {expected.document_id} in that organisation"
                                     ) from None
        version = document.file_version(expected.version)
        if version is None:
            raise ContentUnavailable(f"planning has no version {expected.version} of {expected.document_id}")
        if (version.size, version.sha256) != (expected.size_bytes, expected.sha256):
            raise ContentUnavailable(f"planning's version {expected.version} of {expected.document_id} is not"
                                     " the one the portal recorded")
        try:
            content = self._store.open(version.content_key)
        except (ContentMissing, ContentCorrupted) as failure:
            logger.error("document content unavailable: %s (%s)", version.content_key, type(failure).__name__)
            raise ContentUnavailable(f"the stored content of version {expected.version} failed its check"
                                     ) from None
        if (content.size, content.sha256) != (version.size, version.sha256):
            raise ContentUnavailable(f"the stored content of version {expected.version} is not the version's")
        return content.chunks()


async def _off_the_loop(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """Each chunk read in a worker thread; the reader closed there too, whatever happens."""
    try:
        while (chunk := await anyio.to_thread.run_sync(next, chunks, None)) is not None:
            yield chunk
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            await anyio.to_thread.run_sync(close)
