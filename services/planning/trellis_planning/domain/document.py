"""A project document and its versions: facts about stored content, never the content.

The bytes live in a document store under ``content_key``; each version records the
size and SHA-256 the store computed while receiving them, so every read can be checked
against what was recorded. Versions are numbered from 1 and never change.

Stored event topics are ``trellis_planning.domain.document:Document.<Event>``: this
module and these class names stay where they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from trellis_planning.domain.errors import PlanningRuleBroken

MAX_NAME_LENGTH = 200
MAX_FILENAME_LENGTH = 255
DEFAULT_CONTENT_TYPE = "application/octet-stream"
_TCHARS = r"[A-Za-z0-9!#$&^_.+-]+"
_CONTENT_TYPE = re.compile(rf"{_TCHARS}/{_TCHARS}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class StoredContent:
    """What a document store answers after keeping content: where, how big, which hash."""

    key: str
    size: int
    sha256: str


@dataclass(frozen=True)
class DocumentVersion:
    number: int
    content_key: str
    size: int
    sha256: str
    content_type: str
    filename: str
    uploaded_by: str
    uploaded_at: datetime


class Document(Aggregate):
    class Created(Aggregate.Created):
        organisation_id: UUID
        project_id: UUID
        name: str
        meta: dict[str, str]

    @event(Created)
    def __init__(self, *, organisation_id: UUID, project_id: UUID, name: str, meta: dict[str, str]) -> None:
        self.organisation_id = organisation_id
        self.project_id = project_id
        self.name = name
        self.versions: list[DocumentVersion] = []

    @classmethod
    def create(cls, *, organisation_id: UUID, project_id: UUID, name: str, meta: dict[str, str]) -> Document:
        return cls(organisation_id=organisation_id, project_id=project_id, name=checked_name(name), meta=meta)

    @property
    def latest(self) -> DocumentVersion:
        return self.versions[-1]

    def file_version(self, number: int) -> DocumentVersion | None:
        return self.versions[number - 1] if 0 < number <= len(self.versions) else None

    class VersionAdded(Aggregate.Event):
        """Carries the document's organisation, project and name so it can be published alone."""

        organisation_id: UUID
        project_id: UUID
        name: str
        number: int
        content_key: str
        size: int
        sha256: str
        content_type: str
        filename: str
        uploaded_by: str
        meta: dict[str, str]

        def apply(self, aggregate: Any) -> None:
            aggregate.versions.append(DocumentVersion(
                number=self.number, content_key=self.content_key, size=self.size, sha256=self.sha256,
                content_type=self.content_type, filename=self.filename, uploaded_by=self.uploaded_by,
                uploaded_at=self.timestamp,
            ))

    def add_version(self, *, content: StoredContent, content_type: str | None, filename: str | None,
                    uploaded_by: str, meta: dict[str, str]) -> DocumentVersion:
        if content.size <= 0:
            raise PlanningRuleBroken("The uploaded file is empty.")
        if not _SHA256.fullmatch(content.sha256):
            raise PlanningRuleBroken(f"{content.sha256!r} is not a SHA-256 hex digest.")
        self.trigger_event(
            self.VersionAdded, organisation_id=self.organisation_id, project_id=self.project_id,
            name=self.name, number=len(self.versions) + 1, content_key=content.key, size=content.size,
            sha256=content.sha256, content_type=checked_content_type(content_type),
            filename=checked_filename(filename, fallback=self.name), uploaded_by=uploaded_by, meta=meta,
        )
        return self.latest


def checked_name(name: str) -> str:
    name = name.strip()
    if not 0 < len(name) <= MAX_NAME_LENGTH or _CONTROL.search(name):
        raise PlanningRuleBroken(
            f"A document needs a name of 1 to {MAX_NAME_LENGTH} characters without control characters."
        )
    return name


def checked_content_type(content_type: str | None) -> str:
    """The media type without parameters, lower-cased; octet-stream when none was given."""
    if not content_type or not content_type.strip():
        return DEFAULT_CONTENT_TYPE
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not _CONTENT_TYPE.fullmatch(media_type):
        raise PlanningRuleBroken(f"{content_type!r} is not a media type (type/subtype).")
    return media_type


def checked_filename(filename: str | None, *, fallback: str) -> str:
    """The last path segment of what the client sent, never a path; the name when empty."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _CONTROL.sub("", base)[:MAX_FILENAME_LENGTH]
    return base or _CONTROL.sub("", fallback)[:MAX_FILENAME_LENGTH]
