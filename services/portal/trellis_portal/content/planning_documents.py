"""Document content fetched from planning's download route, checked against the digest
the portal recorded for that version.

Why a proxy: the bytes are planning's (its document store, its schema); a service never
reads another's storage. The portal decides who may download (grant, visibility, the
version known to the portal) and then asks planning with its own service credential
(an API key with ``planning.documents:read``). It streams what planning answers and
verifies size and SHA-256 against its own record of the version, so it can never pass
on other bytes than the version the client was shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

import httpx


class ContentUnavailable(Exception):
    """Planning did not hand over the content (down, refused, or does not know it)."""


class ContentMismatch(Exception):
    """Planning's bytes do not match the version's recorded size or digest."""


@dataclass(frozen=True)
class ExpectedContent:
    document_id: UUID
    version: int
    size_bytes: int
    sha256: str


class PlanningDocuments:
    def __init__(self, url_template: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = 30.0) -> None:
        """``url_template`` names ``{document_id}`` and ``{version}``, e.g.
        ``http://planning:8101/api/planning/documents/{document_id}/versions/{version}/content``."""
        self._url_template = url_template
        self._token = token
        self._transport = transport
        self._timeout = timeout

    async def open(self, expected: ExpectedContent) -> AsyncIterator[bytes]:
        """Raises ContentUnavailable before anything is sent when planning does not answer
        200 with the expected length; the returned chunks raise ContentMismatch at the end
        if the digest differs (the download is then cut short, never completed)."""
        client = httpx.AsyncClient(transport=self._transport, timeout=self._timeout)
        url = self._url_template.format(document_id=expected.document_id, version=expected.version)
        try:
            response = await client.send(
                client.build_request("GET", url, headers={"Authorization": f"Bearer {self._token}"}),
                stream=True)
        except httpx.HTTPError as error:
            await client.aclose()
            raise ContentUnavailable(f"planning did not answer: {type(error).__name__}") from None
        length = response.headers.get("content-length")
        if response.status_code != 200 or (length is not None and int(length) != expected.size_bytes):
            await response.aclose()
            await client.aclose()
            raise ContentUnavailable(f"planning answered {response.status_code} (length {length})")
        return _checked(response, client, expected)


async def _checked(response: httpx.Response, client: httpx.AsyncClient,
                   expected: ExpectedContent) -> AsyncIterator[bytes]:
    """Holds each chunk back until the next one arrived, and the last until the digest
    matched: a mismatch leaves the download short of its Content-Length, never complete."""
    digest = hashlib.sha256()
    size = 0
    held: bytes | None = None
    try:
        async for chunk in response.aiter_bytes():
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
        await response.aclose()
        await client.aclose()
