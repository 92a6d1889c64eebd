"""Document routes: upload files to a project, add versions, list and download them.

Uploads are multipart/form-data with the file in a part named ``file`` (a ``name``
field before it, or ``?name=``, names a new document; the file name is the default).
The caller is authenticated and the project found before a byte of the body is read;
the bytes then stream into the document store, which counts them (413 past the
limit) and hashes them. Planners upload; every staff member reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import anyio
from fastapi import APIRouter, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from trellis_planning.api.common import PREFIX, PROBLEM_RESPONSES
from trellis_planning.api.content_download import version_content
from trellis_planning.api.cursors import encode_cursor, name_cursor
from trellis_planning.api.document_schemas import (
    DocumentListItem,
    DocumentPage,
    DocumentResponse,
    DocumentVersionResponse,
)
from trellis_planning.api.multipart_upload import MultipartFile
from trellis_planning.api.record_problems import answering_problems
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.domain.document import (
    Document,
    DocumentVersion,
    StoredContent,
    checked_content_type,
    checked_name,
)
from trellis_planning.domain.plan_errors import NotInOrganisation
from trellis_planning.storage.document_store import ContentTooLarge, DocumentStore
from trellis_planning.views.catch_up import catch_up
from trellis_planning.views.records import RecordsView
from trellis_platform.auth.access import PLANNERS, READERS, access
from trellis_platform.auth.guards import CurrentCaller, guarded
from trellis_platform.command_meta import command_meta
from trellis_platform.problems import Problem

WRITERS = access(staff=PLANNERS, permission="planning.documents:write")
READ = access(staff=READERS, permission="planning.documents:read")
MULTIPART_OVERHEAD_BYTES = 64 * 1024
"""Room for boundaries, part headers and small fields on top of the file itself."""


def _version(document_id: UUID, version: DocumentVersion) -> DocumentVersionResponse:
    return DocumentVersionResponse(
        number=version.number, size_bytes=version.size, sha256=version.sha256,
        content_type=version.content_type, filename=version.filename, uploaded_by=version.uploaded_by,
        uploaded_at=version.uploaded_at,
        content_url=f"{PREFIX}/documents/{document_id}/versions/{version.number}/content",
    )


def _document(document: Document) -> DocumentResponse:
    return DocumentResponse(
        id=document.id, organisation_id=document.organisation_id, project_id=document.project_id,
        name=document.name, versions=[_version(document.id, v) for v in document.versions],
        version=document.version,
    )


async def _receive(store: DocumentStore, upload: MultipartFile, max_bytes: int) -> StoredContent:
    """Streams the file into the store: the store runs in a worker thread and pulls each
    chunk from the request as it arrives, so at most a chunk or two is in memory."""

    def chunks() -> Iterator[bytes]:
        while (chunk := anyio.from_thread.run(upload.next_chunk)) is not None:
            yield chunk

    try:
        return await anyio.to_thread.run_sync(lambda: store.put(chunks(), max_bytes=max_bytes))
    except ContentTooLarge as too_large:
        raise Problem(413, "Content too large",
                      f"A document file has at most {too_large.limit} bytes.") from None


def _numbered(app: PlanningApplication, organisation_id: UUID, document_id: UUID,
              number: int) -> DocumentVersion:
    version = app.get_document(organisation_id, document_id).file_version(number)
    if version is None:
        raise NotInOrganisation(f"version {number} of document", document_id)
    return version


def documents_router(app: PlanningApplication, records: RecordsView, store: DocumentStore,
                     *, max_bytes: int) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["documents"], responses=PROBLEM_RESPONSES)
    upload_limit = max_bytes + MULTIPART_OVERHEAD_BYTES

    @router.post("/projects/{project_id}/documents", status_code=status.HTTP_201_CREATED,
                 response_model=DocumentResponse, max_body_size=upload_limit, **_uploading())
    async def upload_document(project_id: UUID, caller: CurrentCaller, request: Request, response: Response,
                              name: str | None = Query(None, max_length=200)) -> DocumentResponse:
        with answering_problems():
            await run_in_threadpool(app.check_project, caller.organisation_id, project_id)
        upload = MultipartFile(request)
        await upload.open()
        title = name or upload.fields.get("name") or upload.filename or ""
        with answering_problems():
            checked_content_type(upload.content_type)
            checked_name(title)
        content = await _receive(store, upload, max_bytes)
        meta = command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))
        with answering_problems():
            document = await run_in_threadpool(lambda: app.add_document(
                organisation_id=caller.organisation_id, project_id=project_id, name=title, content=content,
                content_type=upload.content_type, filename=upload.filename, uploaded_by=caller.actor(),
                meta=meta,
            ))
        response.headers["Location"] = f"{PREFIX}/documents/{document.id}"
        return _document(document)

    @router.post("/documents/{document_id}/versions", status_code=status.HTTP_201_CREATED,
                 response_model=DocumentVersionResponse, max_body_size=upload_limit, **_uploading())
    async def add_version(document_id: UUID, caller: CurrentCaller, request: Request,
                          response: Response) -> DocumentVersionResponse:
        with answering_problems():
            await run_in_threadpool(app.get_document, caller.organisation_id, document_id)
        upload = MultipartFile(request)
        await upload.open()
        with answering_problems():
            checked_content_type(upload.content_type)
        content = await _receive(store, upload, max_bytes)
        meta = command_meta(actor=caller.actor(), request_id=request.headers.get("x-request-id"))
        with answering_problems():
            document = await run_in_threadpool(lambda: app.add_document_version(
                organisation_id=caller.organisation_id, document_id=document_id, content=content,
                content_type=upload.content_type, filename=upload.filename, uploaded_by=caller.actor(),
                meta=meta,
            ))
        latest = document.latest
        response.headers["Location"] = f"{PREFIX}/documents/{document_id}/versions/{latest.number}"
        return _version(document_id, latest)

    @router.get("/projects/{project_id}/documents", response_model=DocumentPage, **guarded(READ))
    def list_documents(project_id: UUID, caller: CurrentCaller, limit: int = Query(100, ge=1, le=500),
                       cursor: str | None = None) -> DocumentPage:
        with answering_problems():
            app.check_project(caller.organisation_id, project_id)
        after = name_cursor(cursor)
        catch_up(app, records)
        page = records.documents(caller.organisation_id, project_id, limit=limit, after=after)
        last = page.items[-1] if page.items else None
        return DocumentPage(
            items=[DocumentListItem(id=r.id, name=r.name, latest_version=r.latest_version, size_bytes=r.size,
                                    sha256=r.sha256, content_type=r.content_type, changed_at=r.changed_at)
                   for r in page.items],
            next_cursor=encode_cursor(last.name, last.id) if page.has_more and last else None,
        )

    @router.get("/documents/{document_id}", response_model=DocumentResponse, **guarded(READ))
    def get_document(document_id: UUID, caller: CurrentCaller) -> DocumentResponse:
        with answering_problems():
            return _document(app.get_document(caller.organisation_id, document_id))

    @router.get("/documents/{document_id}/versions", response_model=list[DocumentVersionResponse],
                **guarded(READ))
    def list_versions(document_id: UUID, caller: CurrentCaller) -> list[DocumentVersionResponse]:
        with answering_problems():
            document = app.get_document(caller.organisation_id, document_id)
        return [_version(document_id, v) for v in document.versions]

    @router.get("/documents/{document_id}/versions/{number}", response_model=DocumentVersionResponse,
                **guarded(READ))
    def get_version(document_id: UUID, number: int, caller: CurrentCaller) -> DocumentVersionResponse:
        with answering_problems():
            return _version(document_id, _numbered(app, caller.organisation_id, document_id, number))

    @router.get("/documents/{document_id}/versions/{number}/content", response_class=Response,
                **_downloading())
    def download_version(document_id: UUID, number: int, caller: CurrentCaller, request: Request) -> Response:
        with answering_problems():
            version = _numbered(app, caller.organisation_id, document_id, number)
        return version_content(store, version, request)

    @router.get("/documents/{document_id}/content", response_class=Response, **_downloading())
    def download_latest(document_id: UUID, caller: CurrentCaller, request: Request) -> Response:
        with answering_problems():
            latest = app.get_document(caller.organisation_id, document_id).latest
        return version_content(store, latest, request)

    return router


_UPLOAD_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "required": ["file"],
        "properties": {
            "name": {"type": "string", "maxLength": 200,
                     "description": "Before the file; names a new document"},
            "file": {"type": "string", "format": "binary"},
        },
    }}},
}

_CONTENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The file, with its Content-Type, Content-Disposition and ETag (its sha256)",
          # Served with the type it was uploaded with, whatever that is.
          "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
    304: {"description": "Not modified (If-None-Match matched the ETag)"},
    500: {"description": "The stored content failed its integrity check and is not served"},
}


def _uploading() -> dict[str, Any]:
    """The write policy, plus the multipart body OpenAPI cannot infer from a raw request."""
    kwargs = guarded(WRITERS)
    kwargs["openapi_extra"] = {**kwargs["openapi_extra"], "requestBody": _UPLOAD_BODY}
    return kwargs


def _downloading() -> dict[str, Any]:
    kwargs = guarded(READ)
    kwargs["responses"] = {**kwargs["responses"], **_CONTENT_RESPONSES}
    return kwargs
