"""Downloading a document version the client was shown: the portal authorises, planning
serves the bytes (over HTTP, or from its store in process in the embedded mode), the
portal checks them against the version's digest."""

from __future__ import annotations

import logging
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.problems import Problem
from trellis_portal.api.common import CLIENT_READ, PREFIX, PROBLEM_RESPONSES, PortalContext, not_found, seen
from trellis_portal.content.document_content import ContentUnavailable, ExpectedContent, checked
from trellis_portal.views.client.documents import document_version

logger = logging.getLogger(__name__)

CONTENT_RESPONSES: dict[int | str, dict[str, object]] = {
    # Served with the type it was uploaded with, whatever that is.
    200: {"description": "The file", "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
    502: {"description": "Planning did not hand over the content"},
    503: {"description": "Downloads are not configured on this deployment"},
}


def downloads_router(context: PortalContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["portal client views"],
                       responses={**PROBLEM_RESPONSES, **CONTENT_RESPONSES})

    @router.get("/projects/{project_id}/documents/{document_id}/versions/{version}/content",
                response_class=StreamingResponse, **guarded(CLIENT_READ))
    async def download(project_id: UUID, document_id: UUID, version: int,
                       caller: CurrentCaller) -> StreamingResponse:
        now = await run_in_threadpool(seen, context, caller, project_id)
        found = document_version(now.snapshot, document_id, version)
        if found is None or not now.snapshot.visibility.documents:
            raise not_found(project_id, f"version {version} of document {document_id}")
        if context.documents is None:
            raise Problem(503, "Downloads unavailable", "Document downloads are not configured here.")
        expected = ExpectedContent(organisation_id=caller.organisation_id, document_id=document_id,
                                   version=version, size_bytes=int(found["size_bytes"]),
                                   sha256=found["sha256"])
        try:
            chunks = await context.documents.open(expected)
        except ContentUnavailable as unavailable:
            logger.warning("version %s of document %s not served: %s", version, document_id, unavailable)
            raise Problem(502, "Content unavailable",
                          f"Version {version} cannot be fetched right now; retry later.") from None
        # Whatever the source, only the bytes of the version the client was shown get through.
        return StreamingResponse(checked(chunks, expected), media_type=found["content_type"], headers={
            "Content-Length": str(expected.size_bytes), "ETag": f'"{expected.sha256}"',
            "Content-Disposition": _attachment(found["filename"] or found["name"])})

    return router


def _attachment(filename: str) -> str:
    """An ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 5987)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
