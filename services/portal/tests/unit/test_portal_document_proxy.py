"""Downloads pass on planning's bytes only when they are the version's bytes, fetched with a
token for the organisation of the request that the portal renews itself."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import httpx
import pytest

from trellis_portal.content.document_content import (
    ContentMismatch,
    ContentUnavailable,
    ExpectedContent,
    checked,
)
from trellis_portal.content.internal_tokens import InternalTokens, TokenUnavailable
from trellis_portal.content.planning_documents import PlanningDocuments
from trellis_portal.wiring import CLIENT_SECRET, DOCUMENT_URL, TOKEN_URL, documents_from

CONTENT = b"%PDF-1.7 plans" * 10_000
TEMPLATE = "http://planning.test/api/planning/documents/{document_id}/versions/{version}/content"
TOKEN_URL_OF_IDENTITY = "http://identity.test/api/identity/internal-tokens"
SECRET = "s" * 43


def expected(content: bytes = CONTENT) -> ExpectedContent:
    return ExpectedContent(organisation_id=uuid4(), document_id=uuid4(), version=2, size_bytes=len(content),
                           sha256=hashlib.sha256(content).hexdigest())


class Tokens:
    """One token per organisation and renewal, so a test can tell which was used."""

    def __init__(self, *, unavailable: bool = False) -> None:
        self.asked: list[tuple[UUID, bool]] = []
        self.unavailable = unavailable

    async def token_for(self, organisation_id: UUID, *, renew: bool = False) -> str:
        self.asked.append((organisation_id, renew))
        if self.unavailable:
            raise TokenUnavailable("identity is down")
        return f"token-{organisation_id}-{len(self.asked)}"


def planning_answering(statuses: list[int], body: bytes, seen: list[httpx.Request],
                       tokens: Tokens | None = None) -> PlanningDocuments:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(statuses.pop(0) if len(statuses) > 1 else statuses[0], content=body)

    return PlanningDocuments(TEMPLATE, tokens or Tokens(), transport=httpx.MockTransport(handle))


async def read_all(chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in chunks])


async def test_the_versions_bytes_are_fetched_with_a_token_for_the_requests_organisation() -> None:
    seen: list[httpx.Request] = []
    tokens = Tokens()
    wanted = expected()
    assert await read_all(await planning_answering([200], CONTENT, seen, tokens).open(wanted)) == CONTENT
    (request,) = seen
    assert request.url.path == f"/api/planning/documents/{wanted.document_id}/versions/2/content"
    assert request.headers["authorization"] == f"Bearer token-{wanted.organisation_id}-1"
    assert tokens.asked == [(wanted.organisation_id, False)]


async def test_a_refused_token_is_renewed_once() -> None:
    seen: list[httpx.Request] = []
    tokens = Tokens()
    wanted = expected()
    chunks = await planning_answering([401, 200], CONTENT, seen, tokens).open(wanted)
    assert await read_all(chunks) == CONTENT
    assert tokens.asked == [(wanted.organisation_id, False), (wanted.organisation_id, True)]
    assert [r.headers["authorization"][-2:] for r in seen] == ["-1", "-2"]


async def test_a_token_refused_twice_is_unavailable() -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(ContentUnavailable):
        await planning_answering([401, 401], b"{}", seen).open(expected())
    assert len(seen) == 2, "renewed once, not in a loop"


async def test_without_a_token_planning_is_not_asked() -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(ContentUnavailable):
        await planning_answering([200], CONTENT, seen, Tokens(unavailable=True)).open(expected())
    assert not seen


@pytest.mark.parametrize(("status", "body"), [(404, b"{}"), (500, b"{}"), (200, CONTENT[:-1])])
async def test_planning_refusing_or_a_wrong_length_is_unavailable(status: int, body: bytes) -> None:
    with pytest.raises(ContentUnavailable):
        await planning_answering([status], body, []).open(expected())


async def test_planning_down_is_unavailable() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    documents = PlanningDocuments(TEMPLATE, Tokens(), transport=httpx.MockTransport(down))
    with pytest.raises(ContentUnavailable):
        await documents.open(expected())


# -- the portal's own check, whatever the source ---------------------------------------------

async def chunked(content: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    for start in range(0, len(content), size):
        yield content[start:start + size]


async def test_other_bytes_are_never_completed() -> None:
    tampered = bytearray(CONTENT)
    tampered[-1] ^= 1
    passed_on: list[bytes] = []

    async def drain() -> None:
        async for chunk in checked(chunked(bytes(tampered)), expected()):
            passed_on.append(chunk)

    with pytest.raises(ContentMismatch):
        await drain()
    assert len(b"".join(passed_on)) < len(CONTENT), "the last chunk is held back until the digest matched"


@pytest.mark.parametrize("content", [CONTENT + b"!", CONTENT[:-1]])
async def test_more_or_fewer_bytes_are_a_mismatch(content: bytes) -> None:
    with pytest.raises(ContentMismatch):
        await read_all(checked(chunked(content), expected()))


async def test_the_versions_bytes_pass_whole_and_the_source_is_closed() -> None:
    closed: list[bool] = []

    async def source() -> AsyncIterator[bytes]:
        try:
            async for chunk in chunked(CONTENT):
                yield chunk
        finally:
            closed.append(True)

    assert await read_all(checked(source(), expected())) == CONTENT
    assert closed == [True]


# -- tokens from identity ---------------------------------------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def identity_issuing(asked: list[dict[str, str]], status: int = 200) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        asked.append(body)
        assert str(request.url) == TOKEN_URL_OF_IDENTITY
        return httpx.Response(status, json={"access_token": f"t{len(asked)}", "token_type": "Bearer",
                                            "expires_in": 300})

    return httpx.MockTransport(handle)


async def test_identity_is_asked_once_per_organisation_until_the_token_nears_its_expiry() -> None:
    asked: list[dict[str, str]] = []
    clock = Clock()
    tokens = InternalTokens(TOKEN_URL_OF_IDENTITY, SECRET, transport=identity_issuing(asked), clock=clock)
    ours, theirs = uuid4(), uuid4()
    assert await tokens.token_for(ours) == "t1"
    assert asked == [{"client": "portal", "secret": SECRET, "organisation_id": str(ours)}]
    assert await tokens.token_for(theirs) == "t2", "a token is for one organisation only"
    clock.now += 239
    assert await tokens.token_for(ours) == "t1"
    clock.now += 1
    assert await tokens.token_for(ours) == "t3", "renewed a minute before a 5-minute token expires"
    assert await tokens.token_for(ours, renew=True) == "t4", "renewed at once when planning refused it"
    assert len(asked) == 4


@pytest.mark.parametrize("status", [401, 404, 500])
async def test_identity_refusing_is_no_token(status: int) -> None:
    tokens = InternalTokens(TOKEN_URL_OF_IDENTITY, SECRET, transport=identity_issuing([], status))
    with pytest.raises(TokenUnavailable):
        await tokens.token_for(uuid4())


def test_downloads_are_configured_whole_or_not_at_all() -> None:
    whole = {DOCUMENT_URL: TEMPLATE, TOKEN_URL: TOKEN_URL_OF_IDENTITY, CLIENT_SECRET: SECRET}
    assert isinstance(documents_from(whole), PlanningDocuments)
    assert documents_from({}) is None
    with pytest.raises(RuntimeError, match=CLIENT_SECRET):
        documents_from({DOCUMENT_URL: TEMPLATE, TOKEN_URL: TOKEN_URL_OF_IDENTITY})
