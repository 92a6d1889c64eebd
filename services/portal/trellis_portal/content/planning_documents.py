"""Document content fetched from planning's download route (the distributed mode).

Why a proxy: the bytes are planning's (its document store, its schema); a service never
reads another's storage. The portal decides who may download (grant, visibility, the
version known to the portal) and then asks planning with its own credential: a service
token identity issued the portal for the organisation of the request, with
``planning.documents:read`` only (see ``internal_tokens``). Planning finds the document
in that organisation or answers 404, as for any caller. The download route checks the
bytes against the portal's own record of the version (``document_content.checked``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol
from uuid import UUID

import httpx

from trellis_portal.content.document_content import ContentUnavailable, ExpectedContent
from trellis_portal.content.internal_tokens import TokenUnavailable


class AccessTokens(Protocol):
    async def token_for(self, organisation_id: UUID, *, renew: bool = False) -> str:
        """A bearer token planning accepts for that organisation's documents."""


class PlanningDocuments:
    def __init__(self, url_template: str, tokens: AccessTokens, *,
                 transport: httpx.AsyncBaseTransport | None = None, timeout: float = 30.0) -> None:
        """``url_template`` names ``{document_id}`` and ``{version}``, e.g.
        ``http://planning:8101/api/planning/documents/{document_id}/versions/{version}/content``."""
        self._url_template = url_template
        self._tokens = tokens
        self._transport = transport
        self._timeout = timeout

    async def open(self, expected: ExpectedContent) -> AsyncIterator[bytes]:
        """Raises ContentUnavailable before anything is sent when planning does not answer
        200 with the expected length. A token planning refuses (401) is renewed once."""
        client = httpx.AsyncClient(transport=self._transport, timeout=self._timeout)
        try:
            response = await self._get(client, expected, renew=False)
            if response.status_code == 401:
                await response.aclose()
                response = await self._get(client, expected, renew=True)
        except (httpx.HTTPError, TokenUnavailable) as error:
            await client.aclose()
            raise ContentUnavailable(f"no answer from planning: {type(error).__name__}") from None
        length = response.headers.get("content-length")
        if response.status_code != 200 or (length is not None and int(length) != expected.size_bytes):
            await response.aclose()
            await client.aclose()
            raise ContentUnavailable(f"planning answered {response.status_code} (length {length})")
        return _streamed(response, client)

    async def _get(self, client: httpx.AsyncClient, expected: ExpectedContent, *,
                   renew: bool) -> httpx.Response:
        token = await self._tokens.token_for(expected.organisation_id, renew=renew)
        url = self._url_template.format(document_id=expected.document_id, version=expected.version)
        request = client.build_request("GET", url, headers={"Authorization": f"Bearer {token}"})
        return await client.send(request, stream=True)


async def _streamed(response: httpx.Response, client: httpx.AsyncClient) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes():
            yield chunk
    finally:
        await response.aclose()
        await client.aclose()
