"""The record-of-work and capacity routes, and what they need besides the application."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter

from trellis_planning.api.capacity import capacity_router
from trellis_planning.api.documents import documents_router
from trellis_planning.api.resources import resources_router
from trellis_planning.api.time_entries import time_entries_router
from trellis_planning.application.planning import PlanningApplication
from trellis_planning.storage.document_store import DocumentStore
from trellis_planning.views.records import RecordsView


@dataclass(frozen=True)
class RecordsAdapters:
    """The records read model, the document store, and the largest document accepted."""

    records: RecordsView
    documents: DocumentStore
    max_document_bytes: int

    def close(self) -> None:
        self.records.close()
        self.documents.close()


def records_routers(app: PlanningApplication, adapters: RecordsAdapters) -> list[APIRouter]:
    return [
        time_entries_router(app, adapters.records),
        resources_router(app, adapters.records),
        capacity_router(app, adapters.records),
        documents_router(app, adapters.records, adapters.documents, max_bytes=adapters.max_document_bytes),
    ]
