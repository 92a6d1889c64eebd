"""Document use cases: record an uploaded file as a project document or a new version.

The content is already in the document store when these run (the HTTP adapter streams
it there first, after ``check_project`` said the project is the caller's); what is
recorded here is the fact of the version, with the size and hash the store computed.
A failure after storing leaves unreferenced content, never a version without content.
"""

from __future__ import annotations

from uuid import UUID

from trellis_planning.application.plan_access import PlanAccess, retried_on_conflict
from trellis_planning.application.tenant_lookups import aggregate_in
from trellis_planning.domain.document import Document, StoredContent


class DocumentUseCases(PlanAccess):
    def check_project(self, organisation_id: UUID, project_id: UUID) -> None:
        self.project_in(organisation_id, project_id)

    def add_document(self, *, organisation_id: UUID, project_id: UUID, name: str, content: StoredContent,
                     content_type: str | None, filename: str | None, uploaded_by: str,
                     meta: dict[str, str]) -> Document:
        self.check_project(organisation_id, project_id)
        document = Document.create(organisation_id=organisation_id, project_id=project_id, name=name,
                                   meta=meta)
        document.add_version(content=content, content_type=content_type, filename=filename,
                             uploaded_by=uploaded_by, meta=meta)
        self.save(document)
        return document

    @retried_on_conflict
    def add_document_version(self, *, organisation_id: UUID, document_id: UUID, content: StoredContent,
                             content_type: str | None, filename: str | None, uploaded_by: str,
                             meta: dict[str, str]) -> Document:
        document = self.get_document(organisation_id, document_id)
        document.add_version(content=content, content_type=content_type, filename=filename,
                             uploaded_by=uploaded_by, meta=meta)
        self.save(document)
        return document

    def get_document(self, organisation_id: UUID, document_id: UUID) -> Document:
        return aggregate_in(self, Document, "document", organisation_id, document_id)
