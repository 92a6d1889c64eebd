"""Downloads pass on planning's bytes only when they are the version's bytes."""

from __future__ import annotations

import hashlib
from uuid import uuid4

import httpx
import pytest

from trellis_portal.content.planning_documents import (
    ContentMismatch,
    ContentUnavailable,
    ExpectedContent,
    PlanningDocuments,
)

CONTENT = b"%PDF-1.7 plans" * 10_000
TEMPLATE = "http://planning.test/api/planning/documents/{document_id}/versions/{version}/content"


def expected(content: bytes = CONTENT) -> ExpectedContent:
    return ExpectedContent(document_id=uuid4(), version=2, size_bytes=len(content),
                           sha256=hashlib.sha256(content).hexdigest())


def planning_answering(status: int, body: bytes, seen: list[httpx.Request]) -> PlanningDocuments:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body)

    return PlanningDocuments(TEMPLATE, "service-token", transport=httpx.MockTransport(handle))


async def read_all(documents: PlanningDocuments, wanted: ExpectedContent) -> bytes:
    return b"".join([chunk async for chunk in await documents.open(wanted)])


async def test_the_versions_bytes_are_passed_on_with_the_portals_credential() -> None:
    seen: list[httpx.Request] = []
    wanted = expected()
    assert await read_all(planning_answering(200, CONTENT, seen), wanted) == CONTENT
    (request,) = seen
    assert request.url.path == f"/api/planning/documents/{wanted.document_id}/versions/2/content"
    assert request.headers["authorization"] == "Bearer service-token"


async def test_other_bytes_are_never_completed() -> None:
    tampered = bytearray(CONTENT)
    tampered[-1] ^= 1
    passed_on: list[bytes] = []
    chunks = await planning_answering(200, bytes(tampered), []).open(expected())

    async def drain() -> None:
        async for chunk in chunks:
            passed_on.append(chunk)

    with pytest.raises(ContentMismatch):
        await drain()
    assert len(b"".join(passed_on)) < len(CONTENT), "the last chunk is held back until the digest matched"


@pytest.mark.parametrize(("status", "body"), [(404, b"{}"), (500, b"{}"), (200, CONTENT[:-1])])
async def test_planning_refusing_or_a_wrong_length_is_unavailable(status: int, body: bytes) -> None:
    with pytest.raises(ContentUnavailable):
        await planning_answering(status, body, []).open(expected())


async def test_planning_down_is_unavailable() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    documents = PlanningDocuments(TEMPLATE, "t", transport=httpx.MockTransport(down))
    with pytest.raises(ContentUnavailable):
        await documents.open(expected())
