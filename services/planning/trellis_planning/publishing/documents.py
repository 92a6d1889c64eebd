"""Document domain events to integration events: each new version, without its content."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trellis_contracts.planning.documents_v1 import DocumentVersionAddedV1
from trellis_planning.domain.document import Document
from trellis_planning.publishing.envelopes import outgoing
from trellis_platform.outgoing import OutgoingEvent


def document_events(domain_event: Any, notification_id: int) -> Sequence[OutgoingEvent]:
    if isinstance(domain_event, Document.VersionAdded):
        payload = DocumentVersionAddedV1(
            document_id=domain_event.originator_id,
            organisation_id=domain_event.organisation_id,
            project_id=domain_event.project_id,
            name=domain_event.name,
            version_number=domain_event.number,
            size_bytes=domain_event.size,
            sha256=domain_event.sha256,
            content_type=domain_event.content_type,
            filename=domain_event.filename,
            uploaded_by=domain_event.uploaded_by,
        )
        return [outgoing(domain_event, payload, notification_id)]
    return []
