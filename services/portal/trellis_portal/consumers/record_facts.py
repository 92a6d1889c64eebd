"""Documents and time as the client may see them: a document version's metadata and
digest (never its content, never who uploaded it); a time entry's day and minutes
(never its note, who worked, or whether it is billable)."""

from __future__ import annotations

from trellis_contracts.envelope import CloudEvent
from trellis_contracts.event_contract import EventContract
from trellis_contracts.planning.documents_v1 import DocumentVersionAddedV1
from trellis_contracts.planning.time_entries_v1 import (
    TimeEntryCorrectedV1,
    TimeEntryDeletedV1,
    TimeEntryLoggedV1,
)
from trellis_portal.consumers.facts_consumer import Putter
from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.tracked_facts import Effect


def record_effect(envelope: CloudEvent, payload: EventContract) -> Effect | None:
    facts = Putter(envelope)
    if isinstance(payload, DocumentVersionAddedV1):
        added = payload
        return lambda w, _: facts.put(
            w, added.project_id, kinds.DOCUMENT_VERSION, f"{added.document_id}/{added.version_number}", {
                "document_id": added.document_id, "name": added.name, "version_number": added.version_number,
                "filename": added.filename, "content_type": added.content_type,
                "size_bytes": added.size_bytes, "sha256": added.sha256, "added_at": envelope.time})
    if isinstance(payload, TimeEntryLoggedV1 | TimeEntryCorrectedV1):
        entry = payload
        return lambda w, _: facts.put(w, entry.project_id, kinds.TIME_ENTRY, str(entry.time_entry_id), {
            "worked_on": entry.worked_on, "minutes": entry.minutes})
    if isinstance(payload, TimeEntryDeletedV1):
        deleted = payload
        return lambda w, _: facts.remove(w, deleted.project_id, kinds.TIME_ENTRY, str(deleted.time_entry_id))
    return None
