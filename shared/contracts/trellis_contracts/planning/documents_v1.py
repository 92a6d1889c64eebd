"""Version 1 of planning's document events: facts about files, never their content."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from trellis_contracts.event_contract import EventContract
from trellis_contracts.topics import PLANNING_EVENTS_V1


class DocumentVersionAddedV1(EventContract):
    event_type = "com.trellis.planning.document.version_added.v1"
    topic = PLANNING_EVENTS_V1
    version = 1
    summary = (
        "A file was uploaded to a project, as a new document (version 1) or a new version of one."
        " The content is not published; sha256 identifies it."
    )

    document_id: UUID
    organisation_id: UUID
    project_id: UUID
    name: str = Field(min_length=1, max_length=200)
    version_number: int = Field(ge=1)
    size_bytes: int = Field(ge=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Hex SHA-256 of the content")
    content_type: str = Field(description="Media type the file was uploaded with, e.g. application/pdf")
    filename: str = Field("", description="The file name the uploader gave, without any path")
    uploaded_by: str = Field(description="Who uploaded it: staff:<subject> or service:<key name>")
