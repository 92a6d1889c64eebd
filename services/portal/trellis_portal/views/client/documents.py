"""Documents with their version history, newest version first; metadata only, the
content is fetched through the download route."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import DocumentItem, DocumentVersion
from trellis_portal.views.client.snapshot import ProjectSnapshot

DOWNLOAD_PATH = "/api/portal/projects/{project}/documents/{document}/versions/{version}/content"


def documents(snapshot: ProjectSnapshot) -> list[DocumentItem]:
    versions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for body in snapshot.all(kinds.DOCUMENT_VERSION).values():
        versions[body["document_id"]].append(body)
    items = []
    for document_id, found in versions.items():
        found.sort(key=lambda v: int(v["version_number"]), reverse=True)
        items.append(DocumentItem(
            id=UUID(document_id), name=found[0]["name"], latest_version=int(found[0]["version_number"]),
            versions=[_version(snapshot.project_id, v) for v in found]))
    return sorted(items, key=lambda d: (d.name, str(d.id)))


def _version(project_id: UUID, body: dict[str, Any]) -> DocumentVersion:
    return DocumentVersion(
        version_number=int(body["version_number"]), filename=body["filename"],
        content_type=body["content_type"], size_bytes=int(body["size_bytes"]), sha256=body["sha256"],
        added_at=datetime.fromisoformat(body["added_at"]),
        download=DOWNLOAD_PATH.format(project=project_id, document=body["document_id"],
                                      version=body["version_number"]))


def document_version(snapshot: ProjectSnapshot, document_id: UUID, version: int) -> dict[str, Any] | None:
    return snapshot.one(kinds.DOCUMENT_VERSION, f"{document_id}/{version}")
