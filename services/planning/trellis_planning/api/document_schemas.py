"""What the document routes return (uploads are multipart/form-data, not JSON)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field


class DocumentVersionResponse(BaseModel):
    number: int
    size_bytes: int
    sha256: str
    content_type: str
    filename: str
    uploaded_by: str
    uploaded_at: datetime
    content_url: str = Field(description="GET it for the bytes; its ETag is the sha256")


class DocumentResponse(BaseModel):
    id: UUID
    organisation_id: UUID
    project_id: UUID
    name: str
    versions: list[DocumentVersionResponse]
    version: int = Field(description="Version of the document record (for concurrency), not of the file")


class DocumentListItem(BaseModel):
    id: UUID
    name: str
    latest_version: int
    size_bytes: int
    sha256: str
    content_type: str
    changed_at: datetime


class DocumentPage(BaseModel):
    items: list[DocumentListItem]
    next_cursor: str | None
