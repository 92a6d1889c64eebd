"""Answering with a stored document version: streamed, typed, named, and checked."""

from __future__ import annotations

import logging
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from trellis_planning.domain.document import DocumentVersion
from trellis_planning.storage.document_store import ContentCorrupted, ContentMissing, DocumentStore
from trellis_platform.problems import Problem

logger = logging.getLogger(__name__)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def version_content(store: DocumentStore, version: DocumentVersion, request: Request) -> Response:
    """The ETag is the content's SHA-256, so ``If-None-Match`` answers 304 without a read.
    Content that no longer matches its checksum is an error, never served."""
    etag = f'"{version.sha256}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "X-Content-Type-Options": "nosniff"}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    try:
        content = store.open(version.content_key)
        if (content.sha256, content.size) != (version.sha256, version.size):
            raise ContentCorrupted(f"{version.content_key} does not match version {version.number}")
    except (ContentCorrupted, ContentMissing) as failure:
        logger.error("document content unavailable: %s (%s)", version.content_key, type(failure).__name__)
        raise Problem(500, "Document content unavailable",
                      f"The stored content of version {version.number} failed its integrity check;"
                      " it is not served, and the failure is logged.") from None
    headers |= {"Content-Length": str(content.size),
                "Content-Disposition": content_disposition(version.filename)}
    return StreamingResponse(content.chunks(), media_type=version.content_type, headers=headers)
